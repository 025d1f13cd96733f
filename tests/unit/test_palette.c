/*
 * Unit tests of the colour themes: every role of both themes reaches a
 * WCAG 2 contrast ratio of 4.5:1 against its background, computed from
 * the theme table itself (src/core/palette.c), the picture's phases (a
 * name over its colour) included; the colour arithmetic against
 * known values; --theme auto's reading of COLORFGBG. Prints the ratios.
 */
#include "check.h"
#include "src/core/palette.h"

static int same(struct rgb8 a, unsigned r, unsigned g, unsigned b)
{
	return a.r == r && a.g == g && a.b == b;
}

int main(void)
{
	static const char *const names[PALETTE_THEMES] = { "dark", "light" };
	enum palette_theme t;

	/* the xterm palette: the cube's corners and levels, the grey ramp */
	CHECK(same(palette_rgb(16), 0, 0, 0));
	CHECK(same(palette_rgb(231), 255, 255, 255));
	CHECK(same(palette_rgb(196), 255, 0, 0));
	CHECK(same(palette_rgb(220), 255, 215, 0));
	CHECK(same(palette_rgb(81), 95, 215, 255));
	CHECK(same(palette_rgb(232), 8, 8, 8));
	CHECK(same(palette_rgb(244), 128, 128, 128));
	CHECK(same(palette_rgb(255), 238, 238, 238));
	/* WCAG: white on black is 21:1, a colour on itself 1:1, and the
	 * published value of #777777 on white, 4.48:1 */
	CHECK_NEAR(palette_contrast(palette_rgb(231), palette_rgb(16)), 21.0, 1e-9);
	CHECK_NEAR(palette_contrast(palette_rgb(38), palette_rgb(38)), 1.0, 1e-9);
	CHECK_NEAR(palette_contrast((struct rgb8){ 0x77, 0x77, 0x77 }, palette_rgb(231)),
		   4.48, 0.005);
	/* the old 256-colour tones on white: the 1.4-1.7:1 */
	CHECK(palette_contrast(palette_rgb(220), palette_rgb(231)) < 1.7);
	CHECK(palette_contrast(palette_rgb(151), palette_rgb(231)) < 1.7);

	for (t = PALETTE_DARK; t < PALETTE_THEMES; t++) {
		for (int r = 0; r < THEME_COUNT; r++) {
			struct palette_pair p = palette_pair(t, (enum theme_role)r);
			double ratio = palette_contrast(palette_rgb(p.fg), palette_rgb(p.bg));

			printf("%-5s %-12s %3d on %3d  %5.2f:1\n", names[t],
			       palette_role_name((enum theme_role)r), p.fg, p.bg, ratio);
			/* the xterm colours whose values are fixed */
			CHECK(p.fg >= 16 && p.fg <= 255);
			CHECK(p.bg >= 16 && p.bg <= 255);
			CHECK(ratio >= 4.5);
			if (ratio < 4.5)
				fprintf(stderr, "%s %s: %.2f:1\n", names[t],
					palette_role_name((enum theme_role)r), ratio);
		}
		/* the graph's three colours can be told apart */
		CHECK(palette_pair(t, THEME_SHARED).fg != palette_pair(t, THEME_PRIVATE).fg);
		CHECK(palette_pair(t, THEME_SHARED).fg != palette_pair(t, THEME_LINE).fg);
		CHECK(palette_pair(t, THEME_PRIVATE).fg != palette_pair(t, THEME_LINE).fg);
		/* the picture's phases each a colour of its own (their names
		 * over them were checked above) */
		for (int a = THEME_PHASE_HOLD; a < THEME_COUNT; a++)
			for (int b = a + 1; b < THEME_COUNT; b++)
				CHECK(palette_pair(t, (enum theme_role)a).bg !=
				      palette_pair(t, (enum theme_role)b).bg);
	}
	CHECK_STR(palette_role_name(THEME_PHASE_OTHER_3), "phase-other-3");
	CHECK_INT(palette_background(PALETTE_DARK), 16);
	CHECK_INT(palette_background(PALETTE_LIGHT), 231);

	/* --theme auto */
	CHECK_INT(palette_auto(NULL), PALETTE_DARK);
	CHECK_INT(palette_auto(""), PALETTE_DARK);
	CHECK_INT(palette_auto("15;0"), PALETTE_DARK);
	CHECK_INT(palette_auto("0;15"), PALETTE_LIGHT);
	CHECK_INT(palette_auto("0;7"), PALETTE_LIGHT);
	CHECK_INT(palette_auto("7;8"), PALETTE_DARK);
	CHECK_INT(palette_auto("0;default;15"), PALETTE_LIGHT);
	CHECK_INT(palette_auto("15;default;0"), PALETTE_DARK);
	CHECK_INT(palette_auto("0;default"), PALETTE_DARK);
	CHECK_INT(palette_auto("0;16"), PALETTE_DARK);
	CHECK_INT(palette_auto("0;15x"), PALETTE_DARK);
	CHECK_INT(palette_auto("15"), PALETTE_DARK);
	CHECK(palette_parse("light", "15;0", &t) && t == PALETTE_LIGHT);
	CHECK(palette_parse("dark", "0;15", &t) && t == PALETTE_DARK);
	CHECK(palette_parse("auto", "0;15", &t) && t == PALETTE_LIGHT);
	CHECK(palette_parse("auto", NULL, &t) && t == PALETTE_DARK);
	CHECK(!palette_parse("Light", NULL, &t));
	CHECK(!palette_parse("", NULL, &t));
	return check_done();
}
