/*
 * palette.c - the colour themes (see palette.h).
 */
#include "src/core/palette.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BG (-1) /* the theme's background */

/* the picture's phases, the same in both themes: a name over a colour */
#define PICTURE_PHASES \
	[THEME_PHASE_SPAWN] = { 16, 249 }, [THEME_PHASE_FILL] = { 16, 215 }, \
	[THEME_PHASE_ATTACH] = { 16, 71 }, [THEME_PHASE_TRANSFER] = { 16, 167 }, \
	[THEME_PHASE_WRITE] = { 231, 94 }, [THEME_PHASE_COMPUTE] = { 231, 97 }, \
	[THEME_PHASE_EXIT] = { 16, 66 }, [THEME_PHASE_OTHER_0] = { 16, 107 }, \
	[THEME_PHASE_OTHER_1] = { 16, 74 }, [THEME_PHASE_OTHER_2] = { 16, 169 }, \
	[THEME_PHASE_OTHER_3] = { 16, 137 }

/* [theme][role]: foreground, background. Contrast ratios (WCAG 2, from
 * this table; tests/unit/test_palette.c checks every one is >= 4.5):
 * dark on black 16, light on white 231. */
static const struct palette_pair table[PALETTE_THEMES][THEME_COUNT] = {
	[PALETTE_DARK] = {
		[THEME_NORMAL] = { 252, BG },
		[THEME_DIM] = { 245, BG },
		[THEME_BORDER] = { 245, BG },
		[THEME_TITLE] = { 81, BG },
		[THEME_HEADING] = { 81, BG },
		[THEME_SHARED] = { 38, BG },
		[THEME_PRIVATE] = { 169, BG },
		[THEME_LINE] = { 220, BG },
		[THEME_OK] = { 77, BG },
		[THEME_FAIL] = { 203, BG },
		[THEME_RUNNING] = { 214, BG },
		[THEME_WAITING] = { 110, BG },
		[THEME_KEY] = { 16, 38 },
		[THEME_STATUS] = { 252, BG },
		[THEME_PAUSED] = { 16, 214 },
		[THEME_CAPTION] = { 151, BG },
		[THEME_STRIP] = { 231, BG },
		[THEME_PHASE_A] = { 231, 61 },
		[THEME_PHASE_B] = { 231, 24 },
		[THEME_PHASE_HOLD] = { 231, 240 },
		PICTURE_PHASES,
	},
	[PALETTE_LIGHT] = {
		[THEME_NORMAL] = { 16, BG },
		[THEME_DIM] = { 240, BG },
		[THEME_BORDER] = { 242, BG },
		[THEME_TITLE] = { 25, BG },
		[THEME_HEADING] = { 25, BG },
		[THEME_SHARED] = { 24, BG },
		[THEME_PRIVATE] = { 125, BG },
		[THEME_LINE] = { 130, BG },
		[THEME_OK] = { 28, BG },
		[THEME_FAIL] = { 124, BG },
		[THEME_RUNNING] = { 130, BG },
		[THEME_WAITING] = { 61, BG },
		[THEME_KEY] = { 231, 25 },
		[THEME_STATUS] = { 16, BG },
		[THEME_PAUSED] = { 231, 124 },
		[THEME_CAPTION] = { 23, BG },
		[THEME_STRIP] = { 16, BG },
		[THEME_PHASE_A] = { 231, 61 },
		[THEME_PHASE_B] = { 231, 24 },
		[THEME_PHASE_HOLD] = { 231, 240 },
		PICTURE_PHASES,
	},
};

static const char *const role_names[THEME_COUNT] = {
	"normal", "dim", "border", "title", "heading", "shared", "private",
	"line", "ok", "fail", "running", "waiting", "key", "status",
	"paused", "caption", "strip", "phase-a", "phase-b", "phase-hold",
	"phase-spawn", "phase-fill", "phase-attach", "phase-transfer",
	"phase-write", "phase-compute", "phase-exit", "phase-other-0",
	"phase-other-1", "phase-other-2", "phase-other-3",
};

short palette_background(enum palette_theme t)
{
	return t == PALETTE_LIGHT ? 231 : 16;
}

struct palette_pair palette_pair(enum palette_theme t, enum theme_role role)
{
	struct palette_pair p = { 252, 16 };

	if ((unsigned)t >= PALETTE_THEMES || (unsigned)role >= THEME_COUNT)
		return p;
	p = table[t][role];
	if (p.bg == BG)
		p.bg = palette_background(t);
	return p;
}

const char *palette_role_name(enum theme_role role)
{
	return (unsigned)role < THEME_COUNT ? role_names[role] : "?";
}

struct rgb8 palette_rgb(short x)
{
	static const unsigned char level[6] = { 0, 95, 135, 175, 215, 255 };
	struct rgb8 c = { 0, 0, 0 };

	if (x >= 232 && x <= 255) {
		unsigned char v = (unsigned char)(8 + 10 * (x - 232));

		c.r = c.g = c.b = v;
	} else if (x >= 16 && x < 232) {
		int i = x - 16;

		c.r = level[i / 36];
		c.g = level[(i / 6) % 6];
		c.b = level[i % 6];
	}
	return c;
}

static double channel(unsigned char v)
{
	double x = v / 255.0;

	return x <= 0.03928 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4);
}

double palette_luminance(struct rgb8 c)
{
	return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) +
	       0.0722 * channel(c.b);
}

double palette_contrast(struct rgb8 a, struct rgb8 b)
{
	double la = palette_luminance(a), lb = palette_luminance(b);

	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

enum palette_theme palette_auto(const char *colorfgbg)
{
	const char *last;
	char *end;
	long bg;

	if (!colorfgbg || !*colorfgbg)
		return PALETTE_DARK;
	last = strrchr(colorfgbg, ';');
	if (!last)
		return PALETTE_DARK;
	last++;
	if (*last < '0' || *last > '9')
		return PALETTE_DARK;
	bg = strtol(last, &end, 10);
	if (*end || bg < 0 || bg > 15)
		return PALETTE_DARK;
	return bg == 7 || bg >= 9 ? PALETTE_LIGHT : PALETTE_DARK;
}

bool palette_parse(const char *s, const char *colorfgbg, enum palette_theme *out)
{
	if (!s)
		return false;
	if (strcmp(s, "dark") == 0)
		*out = PALETTE_DARK;
	else if (strcmp(s, "light") == 0)
		*out = PALETTE_LIGHT;
	else if (strcmp(s, "auto") == 0)
		*out = palette_auto(colorfgbg);
	else
		return false;
	return true;
}
