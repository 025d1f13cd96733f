/*
 * help.c - the help overlay (see help.h).
 */
#include "ui/help.h"

#include <stdio.h>
#include <string.h>

#include "src/util/macros.h"
#include "src/util/text.h"
#include "ui/draw.h"
#include "ui/layout.h"
#include "ui/table.h"
#include "ui/theme.h"

struct help_line {
	const char *key;
	const char *text;
};

static const struct help_line live_keys[] = {
	{ "q", "quit (workloads stopped, segments removed)" },
	{ "Ctrl-C", "quit with status 130" },
	{ "space", "pause the display (sampling goes on; with --lesson: as p)" },
	{ "p", "stop or continue the workload itself (SIGSTOP, SIGCONT)" },
	{ "r", "run the workloads again" },
	{ "m", "graph PSS, RSS or USS (private pages only)" },
	{ "+ / -", "sampling interval: 10 20 50 100 200 500 ms, 1 2 5 10 s" },
	{ "l", "lesson captions on or off" },
	{ "up/down j/k", "select a process; Enter: its mappings" },
	{ "t", "mapping groups of the run; Esc: back" },
	{ "d", "sharing decay: shared turning private, rate and half-life" },
	{ "Ctrl-L", "repaint the whole screen" },
	{ "?", "this help (any key closes it)" },
};

static const struct help_line replay_keys[] = {
	{ "q", "quit" },
	{ "space", "play or pause" },
	{ "left/right", "one sample back or forward" },
	{ "S-left/right", "5% back or forward (also [ and ])" },
	{ "< / >", "half or double speed (also , and .)" },
	{ "Home / End", "jump to the start or the end (also g and G)" },
	{ "m", "graph PSS, RSS or USS (private pages only)" },
	{ "l", "lesson captions on or off" },
	{ "up/down j/k", "select a process; Enter: its mappings" },
	{ "t", "mapping groups of the run; Esc: back" },
	{ "d", "sharing decay: shared turning private, rate and half-life" },
	{ "Ctrl-L", "repaint the whole screen" },
	{ "?", "this help (any key closes it)" },
};

/* The lines of a column's explanation wrapped at width; drawn from row y
 * at column x when x > 0, above row bottom (the box's border) */
static int explain_lines(enum table_col c, int width, int x, int y, int bottom)
{
	const char *text = table_explain(c);
	size_t off[4], len[4];
	bool cut;
	int n;

	if (width < 8)
		return 1;
	n = layout_wrap(text, width, 4, off, len, &cut);
	for (int i = 0; x > 0 && i < n && y + i < bottom; i++) {
		char line[256];

		snprintf(line, sizeof(line), "%.*s", (int)len[i], text + off[i]);
		draw_text(y + i, x, width, A_NORMAL, line);
	}
	return n ? n : 1;
}

void help_draw(int cols, int rows, bool replay, const struct model *m)
{
	const struct help_line *k = replay ? replay_keys : live_keys;
	size_t nk = replay ? ARRAY_SIZE(replay_keys) :
		    ARRAY_SIZE(live_keys);
	const struct table_layout *tl = table_shown();
	size_t nt = tl->n, nlogs = 0;
	int w = 78, h, x, y;
	struct rect box;
	bool cut;

	/* where the output of the Python and --compare runs went */
	for (size_t i = 0; m && i < m->nruns; i++)
		nlogs += m->runs[i].log[0] != '\0';
	if (w > cols)
		w = cols;
	/* a column's explanation wraps: every line counted */
	h = (int)nk + 4 + (nlogs ? (int)nlogs + 2 : 0);
	for (size_t i = 0; i < nt; i++)
		h += explain_lines(tl->col[i], w - 18, 0, 0, 0);
	cut = h > rows;
	if (cut)
		h = rows;
	if (w < 4 || h < 3)
		return;
	x = (cols - w) / 2;
	y = (rows - h) / 2;
	box = (struct rect){ y, x, h, w };
	for (int r = y; r < y + h; r++)
		draw_fill(r, x, w, A_NORMAL, " ");
	draw_box(&box, theme_attr(THEME_TITLE));
	draw_text(y, x + 2, w - 4, theme_attr(THEME_TITLE),
		  replay ? " shmviz replay: keys " : " shmviz: keys ");
	/* what did not fit is said on the bottom border, not drawn over it */
	if (cut)
		draw_text(y + h - 1, x + 2, w - 4, theme_attr(THEME_TITLE),
			  " more in a taller terminal ");
	y++;
	for (size_t i = 0; i < nk && y < box.y + h - 1; i++, y++) {
		draw_text_right(y, x + 2, 12, theme_attr(THEME_KEY) | A_BOLD, k[i].key);
		draw_text(y, x + 16, w - 18, A_NORMAL, k[i].text);
	}
	if (nt && y + 1 < box.y + h - 1) {
		/* the table's columns, each heading as the table shows it */
		draw_text(y++, x + 2, w - 4, theme_attr(THEME_TITLE),
			  "The table's columns:");
		for (size_t i = 0; i < nt && y < box.y + h - 1; i++) {
			draw_text_right(y, x + 2, 12, theme_attr(THEME_HEADING) | A_BOLD,
					table_heading(tl->col[i], tl->short_names));
			y += explain_lines(tl->col[i], w - 18, x + 16, y, box.y + h - 1);
		}
	}
	if (!nlogs || y + 1 >= box.y + h - 1)
		return;
	y++;
	draw_text(y++, x + 2, w - 4, theme_attr(THEME_TITLE), "Output of the runs:");
	for (size_t i = 0; i < m->nruns && y < box.y + h - 1; i++) {
		char line[MODEL_NAME_MAX + MODEL_PATH_MAX + 8], clean[sizeof(line) * 3];

		if (!m->runs[i].log[0])
			continue;
		snprintf(line, sizeof(line), "%s  %s", m->runs[i].name, m->runs[i].log);
		text_sanitize(clean, sizeof(clean), line, strlen(line), false);
		draw_text(y++, x + 2, w - 4, A_NORMAL, clean);
	}
}
