/*
 * table.c - the per-process table (see table.h). Columns come from
 * layout_table(): the narrower the pane, the fewer and shorter.
 */
#include "ui/table.h"

#include <stdio.h>
#include <string.h>

#include "src/util/fmt.h"
#include "src/util/text.h"
#include "ui/draw.h"
#include "ui/theme.h"

static struct table_layout last_shown;

const struct table_layout *table_shown(void)
{
	return &last_shown;
}

const char *table_explain(enum table_col c)
{
	return c < TCOL_COUNT ? table_columns[c].explain : "";
}

const char *table_heading(enum table_col c, bool shrt)
{
	if (c >= TCOL_COUNT)
		return "";
	return shrt ? table_columns[c].short_heading : table_columns[c].heading;
}

static bool unreadable(const struct proc_row *w)
{
	return w->smaps == SMAPS_STATE_UNREADABLE;
}

static void state_text(char *buf, size_t size, const struct proc_row *w, bool shrt)
{
	const char *s;

	if (w->state == 'x') {
		snprintf(buf, size, shrt ? "x" : "exited");
		return;
	}
	switch (w->smaps) {
	case SMAPS_STATE_UNREADABLE:
		s = shrt ? "?" : "unreadable";
		break;
	case SMAPS_STATE_GONE:
		s = shrt ? "Z" : "zombie";
		break;
	case SMAPS_STATE_HELD:
		s = shrt ? "~" : "held";
		break;
	case SMAPS_STATE_NONE:
		s = shrt ? "." : "not read";
		break;
	case SMAPS_STATE_ESTIMATED:
		s = shrt ? "~" : "estimated";
		break;
	case SMAPS_STATE_EXACT:
		s = shrt ? "" : "exact";
		break;
	case SMAPS_STATE_READ:
	default:
		s = shrt ? "" : "read";
		break;
	}
	if (w->smaps == SMAPS_STATE_UNREADABLE && !shrt)
		snprintf(buf, size, "%s", s);
	else
		snprintf(buf, size, "%c%s%s", w->state > ' ' && w->state < 127 ? w->state : '?',
			 shrt ? "" : " ", s);
}

static int64_t mem_value(const struct proc_row *w, enum table_col c)
{
	int f = table_columns[c].figure;

	/* RSS also comes from status, which needs no smaps read: the latest
	 * is shown, and shown when smaps_rollup is unreadable */
	if (f == SMAPS_I_rss && w->rss_now_kb >= 0)
		return w->rss_now_kb;
	if (f < 0 || (unreadable(w) && f != SMAPS_I_rss))
		return MODEL_KB_NONE;
	return smaps_get(&w->mem, (size_t)f);
}

/* The attribute of a non-zero figure of column c over base. */
static attr_t role_attr(enum table_col c, attr_t base)
{
	switch (table_columns[c].role) {
	case GROLE_SHARED:
		return base | (theme_attr(THEME_SHARED) & ~A_BOLD);
	case GROLE_PRIVATE:
		return base | (theme_attr(THEME_PRIVATE) & ~A_BOLD);
	default:
		return base;
	}
}

void table_draw(const struct rect *r, int rows, const struct run_view *v)
{
	struct table_layout t;
	int pid_digits = 5, x, y = r->y;
	attr_t head = theme_attr(THEME_HEADING);
	size_t shown = 0;

	for (size_t i = 0; i < v->nrows; i++) {
		int d = snprintf(NULL, 0, "%d", (int)v->rows[i].pid);

		if (d > pid_digits)
			pid_digits = d;
	}
	layout_table(r->w, pid_digits, &t);
	if (!t.n || r->h < 1)
		return;
	last_shown = t;
	x = r->x;
	for (size_t c = 0; c < t.n; c++) {
		const char *h = table_heading(t.col[c], t.short_names);

		if (table_columns[t.col[c]].left)
			draw_text(y, x + (c ? 1 : 0), t.width[c] - 1, head, h);
		else
			draw_text_right(y, x, t.width[c], head, h);
		x += t.width[c];
	}
	y++;
	for (size_t i = 0; i < v->nrows && (int)shown < rows; i++) {
		const struct proc_row *w = &v->rows[i];
		bool gone = w->state == 'x';
		bool last = (int)shown == rows - 1 && v->nrows - i > 1;
		attr_t base = (gone ? theme_attr(THEME_DIM) : A_NORMAL) |
			      (v->selected && w->pid == v->selected ? A_REVERSE : 0);
		char buf[MODEL_COMM_MAX + 8];

		x = r->x;
		if (last) {
			snprintf(buf, sizeof(buf), "%s %zu more processes",
				 draw_glyph("\xe2\x80\xa6", "..."), v->nrows - i);
			draw_text(y, x + 1, r->w - 2, theme_attr(THEME_DIM), buf);
			break;
		}
		for (size_t c = 0; c < t.n; c++) {
			enum table_col col = t.col[c];
			attr_t a = base;

			switch (col) {
			case TCOL_PID:
				snprintf(buf, sizeof(buf), "%d", (int)w->pid);
				draw_text_right(y, x, t.width[c], a, buf);
				break;
			case TCOL_ROLE:
				draw_text(y, x + 1, t.width[c] - 1, a,
					  t.short_names ? model_role_short(w->role) : model_role_name(w->role));
				break;
			case TCOL_STATE: {
				/* an ended run's processes have all exited: the
				 * kept frame's figures stay, not its states (a
				 * lesson's stop left them T) */
				struct proc_row ended = *w;

				if (v->at_peak)
					ended.state = 'x';
				state_text(buf, sizeof(buf), &ended, t.short_names);
				if (unreadable(w))
					a = theme_attr(THEME_FAIL);
				draw_text(y, x + 1, t.width[c] - 1, a, buf);
				break;
			}
			case TCOL_COMM:
				/* comm is sanitised by the sampler; ASCII mode
				 * also replaces non-ASCII characters */
				text_sanitize(buf, sizeof(buf), w->comm, strlen(w->comm),
					      draw_ascii());
				draw_text(y, x + 1, t.width[c] - 1, theme_attr(THEME_DIM), buf);
				break;
			default: {
				int64_t kb = mem_value(w, col);

				/* 4 columns at most: a short column is 5 wide,
				 * its first the space between columns */
				fmt_kb_cell(buf, sizeof(buf), kb);
				if (kb < 0)
					a = theme_attr(THEME_FAIL);
				else if (kb > 0)
					a = role_attr(col, a);
				draw_text_right(y, x, t.width[c], a, buf);
				break;
			}
			}
			x += t.width[c];
		}
		y++;
		shown++;
	}
}
