/*
 * theme.c - the colour pairs behind the roles (see theme.h). Terminals
 * with 256 colours get the theme's table (src/core/palette.c) on the theme's
 * background; 8 colours the basic ones on the terminal's own background;
 * none get attributes only.
 */
#include "ui/theme.h"

#include <string.h>

static bool use_color;
static attr_t attrs[THEME_COUNT];
/* graph pairs: [fg role][bg role] */
static attr_t graph_attrs[4][4];

enum { C_DEFAULT = -1 };

struct palette {
	short shared, private_, line, ok, fail, run, wait, title, key_bg,
	      phase_a, phase_b, hold, caption;
};

static const struct palette pal8 = {
	.shared = COLOR_CYAN, .private_ = COLOR_MAGENTA, .line = COLOR_YELLOW,
	.ok = COLOR_GREEN, .fail = COLOR_RED, .run = COLOR_YELLOW,
	.wait = COLOR_BLUE, .title = COLOR_CYAN,
	.key_bg = COLOR_CYAN, .phase_a = COLOR_BLUE, .phase_b = COLOR_CYAN,
	.hold = COLOR_WHITE, .caption = COLOR_GREEN,
};

/* 8 colours: the terminal's own, on its own background (their values
 * are the terminal's, so no ratio can be computed): on a light one, no
 * yellow or cyan text */
static const struct palette pal8_light = {
	.shared = COLOR_BLUE, .private_ = COLOR_MAGENTA, .line = COLOR_RED,
	.ok = COLOR_GREEN, .fail = COLOR_RED, .run = COLOR_RED,
	.wait = COLOR_BLUE, .title = COLOR_BLUE,
	.key_bg = COLOR_BLUE, .phase_a = COLOR_BLUE, .phase_b = COLOR_MAGENTA,
	.hold = COLOR_BLACK, .caption = COLOR_BLACK,
};

static short next_pair = 1;

static attr_t pair(short fg, short bg)
{
	short p = next_pair++;

	if (p >= COLOR_PAIRS)
		return A_NORMAL;
	init_pair(p, fg, bg);
	return COLOR_PAIR(p);
}

void theme_init(bool color, enum palette_theme theme)
{
	const struct palette *c;
	short gcol[4];

	next_pair = 1;
	use_color = color && has_colors() && start_color() == OK;
	if (use_color && use_default_colors() != OK)
		assume_default_colors(COLOR_WHITE, COLOR_BLACK);
	if (use_color && COLOR_PAIRS < 32)
		use_color = false;
	if (!use_color) {
		for (int i = 0; i < THEME_COUNT; i++)
			attrs[i] = A_NORMAL;
		attrs[THEME_DIM] = A_DIM;
		attrs[THEME_TITLE] = A_BOLD;
		attrs[THEME_HEADING] = A_BOLD | A_UNDERLINE;
		attrs[THEME_LINE] = A_BOLD;
		attrs[THEME_OK] = A_BOLD;
		attrs[THEME_FAIL] = A_BOLD | A_REVERSE;
		attrs[THEME_RUNNING] = A_BOLD;
		attrs[THEME_KEY] = A_REVERSE | A_BOLD;
		attrs[THEME_PAUSED] = A_REVERSE | A_BOLD;
		attrs[THEME_STRIP] = A_BOLD;
		attrs[THEME_PHASE_A] = A_REVERSE;
		attrs[THEME_PHASE_B] = A_REVERSE | A_DIM;
		attrs[THEME_PHASE_HOLD] = A_DIM;
		memset(graph_attrs, 0, sizeof(graph_attrs));
		for (int b = 0; b < 4; b++)
			graph_attrs[GROLE_LINE][b] = A_BOLD;
		return;
	}
	if (COLORS >= 256) {
		static const bool bold[THEME_COUNT] = {
			[THEME_TITLE] = true, [THEME_SHARED] = true,
			[THEME_PRIVATE] = true, [THEME_LINE] = true,
			[THEME_OK] = true, [THEME_FAIL] = true,
			[THEME_RUNNING] = true, [THEME_PAUSED] = true,
			[THEME_STRIP] = true,
		};

		for (int i = 0; i < THEME_SCREEN_COUNT; i++) {
			struct palette_pair pp = palette_pair(theme, (enum theme_role)i);

			attrs[i] = pair(pp.fg, pp.bg) | (bold[i] ? A_BOLD : A_NORMAL);
		}
		/* the theme's own background under everything drawn */
		bkgdset(attrs[THEME_NORMAL] | ' ');
		gcol[GROLE_NONE] = palette_background(theme);
		gcol[GROLE_PRIVATE] = palette_pair(theme, THEME_PRIVATE).fg;
		gcol[GROLE_SHARED] = palette_pair(theme, THEME_SHARED).fg;
		gcol[GROLE_LINE] = palette_pair(theme, THEME_LINE).fg;
		for (int f = 0; f < 4; f++)
			for (int b = 0; b < 4; b++)
				graph_attrs[f][b] = pair(gcol[f], gcol[b]);
		for (int b = 0; b < 4; b++)
			graph_attrs[GROLE_LINE][b] |= A_BOLD;
		return;
	}
	c = theme == PALETTE_LIGHT ? &pal8_light : &pal8;
	attrs[THEME_NORMAL] = A_NORMAL;
	attrs[THEME_DIM] = A_DIM;
	attrs[THEME_BORDER] = A_DIM;
	attrs[THEME_TITLE] = pair(c->title, C_DEFAULT) | A_BOLD;
	attrs[THEME_HEADING] = pair(c->title, C_DEFAULT);
	attrs[THEME_SHARED] = pair(c->shared, C_DEFAULT) | A_BOLD;
	attrs[THEME_PRIVATE] = pair(c->private_, C_DEFAULT) | A_BOLD;
	attrs[THEME_LINE] = pair(c->line, C_DEFAULT) | A_BOLD;
	attrs[THEME_OK] = pair(c->ok, C_DEFAULT) | A_BOLD;
	attrs[THEME_FAIL] = pair(c->fail, C_DEFAULT) | A_BOLD;
	attrs[THEME_RUNNING] = pair(c->run, C_DEFAULT) | A_BOLD;
	attrs[THEME_WAITING] = pair(c->wait, C_DEFAULT);
	attrs[THEME_KEY] = pair(COLOR_BLACK, c->key_bg);
	attrs[THEME_STATUS] = A_NORMAL;
	attrs[THEME_PAUSED] = pair(COLOR_WHITE, c->fail) | A_BOLD;
	attrs[THEME_CAPTION] = pair(c->caption, C_DEFAULT);
	attrs[THEME_STRIP] = A_BOLD;
	attrs[THEME_PHASE_A] = pair(COLOR_WHITE, c->phase_a);
	attrs[THEME_PHASE_B] = pair(COLOR_WHITE, c->phase_b);
	attrs[THEME_PHASE_HOLD] = pair(COLOR_WHITE, c->hold);
	gcol[GROLE_NONE] = C_DEFAULT;
	gcol[GROLE_PRIVATE] = c->private_;
	gcol[GROLE_SHARED] = c->shared;
	gcol[GROLE_LINE] = c->line;
	for (int f = 0; f < 4; f++)
		for (int b = 0; b < 4; b++)
			graph_attrs[f][b] = f == GROLE_NONE && b == GROLE_NONE ? A_NORMAL :
					    pair(gcol[f], gcol[b]); /* gcol[GROLE_NONE]: C_DEFAULT */
	for (int b = 0; b < 4; b++)
		graph_attrs[GROLE_LINE][b] |= A_BOLD;
}

bool theme_color(void)
{
	return use_color;
}

attr_t theme_attr(enum theme_role role)
{
	return (unsigned)role < THEME_COUNT ? attrs[role] : A_NORMAL;
}

attr_t theme_graph(unsigned fg, unsigned bg)
{
	if (fg > 3 || bg > 3)
		return A_NORMAL;
	return graph_attrs[fg][bg];
}

attr_t theme_phase(const char *name, int index)
{
	if (!strcmp(name, "hold") || !strcmp(name, "exit"))
		return attrs[THEME_PHASE_HOLD];
	return attrs[index % 2 ? THEME_PHASE_B : THEME_PHASE_A];
}
