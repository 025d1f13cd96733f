/*
 * palette.h - the colour themes (--theme dark|light|auto): one table of
 * roles, each a foreground over a background in the xterm 256-colour
 * palette, shared by the TUI (ui/theme.c) and the pictures of --plot.
 *
 * Every role reaches a WCAG 2 contrast ratio of at least 4.5:1 (level AA
 * for text) against its background in both themes; the unit test
 * tests/unit/test_palette.c computes every ratio from this table.
 * No curses here: the table, the colour arithmetic and the choice of the
 * auto theme are pure, and unit-tested.
 */
#ifndef SHMVIZ_SRC_PALETTE_H
#define SHMVIZ_SRC_PALETTE_H

#if !defined(SHMVIZ_USES_CORE) && !defined(SHMVIZ_USES_ALL)
#error "src/core/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>

enum palette_theme {
	PALETTE_DARK,
	PALETTE_LIGHT,
	PALETTE_THEMES,
};

/* The roles of the screen (htop's ColorElements): views ask for a role,
 * never for a colour. */
enum theme_role {
	THEME_NORMAL,
	THEME_DIM,        /* secondary text, axes */
	THEME_BORDER,
	THEME_TITLE,      /* run names, the title line */
	THEME_HEADING,    /* table header */
	THEME_SHARED,     /* the shared part of the footprint */
	THEME_PRIVATE,    /* the private part */
	THEME_LINE,       /* the line over the area (ΣRSS) */
	THEME_OK,         /* done */
	THEME_FAIL,       /* failed, unreadable */
	THEME_RUNNING,
	THEME_WAITING,
	THEME_KEY,        /* a key in the status line */
	THEME_STATUS,     /* the status line */
	THEME_PAUSED,     /* the paused badge */
	THEME_CAPTION,
	THEME_STRIP,      /* the comparison */
	THEME_PHASE_A,    /* the screen's phase bar: segments by turns */
	THEME_PHASE_B,
	THEME_PHASE_HOLD, /* the hold, on the screen and in the picture */
	/* the picture's phase bar: a role a phase (src/core/chart.c,
	 * chart_phase_role()), the name over its colour */
	THEME_PHASE_SPAWN,
	THEME_PHASE_FILL,
	THEME_PHASE_ATTACH,  /* and fork */
	THEME_PHASE_TRANSFER,
	THEME_PHASE_WRITE,
	THEME_PHASE_COMPUTE,
	THEME_PHASE_EXIT,
	THEME_PHASE_OTHER_0, /* any other phase, by a hash of its name */
	THEME_PHASE_OTHER_1,
	THEME_PHASE_OTHER_2,
	THEME_PHASE_OTHER_3,
	THEME_COUNT,
};

/* The roles the screen paints (the rest are the picture's alone). */
#define THEME_SCREEN_COUNT THEME_PHASE_SPAWN

/* A role's colours: xterm 256-colour indices (16..255, whose RGB values
 * are fixed; 0..15 are the terminal's own and are never used). */
struct palette_pair {
	short fg, bg;
};

struct rgb8 {
	unsigned char r, g, b;
};

/* The pair of a role in a theme (the theme's background where the role
 * has none of its own). */
struct palette_pair palette_pair(enum palette_theme t, enum theme_role role);

/* The background of a theme: black for dark, white for light. */
short palette_background(enum palette_theme t);

/* The name of a role, for tests and docs ("caption"). */
const char *palette_role_name(enum theme_role role);

/* The RGB value of an xterm colour 16..255. */
struct rgb8 palette_rgb(short xterm);

/* WCAG 2 relative luminance (0..1) and contrast ratio (1..21). */
double palette_luminance(struct rgb8 c);
double palette_contrast(struct rgb8 a, struct rgb8 b);

/* The theme --theme auto picks: from COLORFGBG ("fg;bg" or
 * "fg;default;bg", as rxvt and Konsole set it) when it names a
 * background, light for 7 and 9..15, dark for 0..6 and 8; otherwise
 * (unset, empty, unparsable) dark. */
enum palette_theme palette_auto(const char *colorfgbg);

/* Parses "dark", "light" or "auto" (auto resolved with colorfgbg).
 * Returns false for anything else. */
bool palette_parse(const char *s, const char *colorfgbg, enum palette_theme *out);

#endif
