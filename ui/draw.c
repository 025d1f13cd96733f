/*
 * draw.c - clipped text, lines and boxes (see draw.h).
 */
#include "ui/draw.h"

#include <string.h>
#include <wchar.h>

#include "src/util/macros.h"
#include "src/util/text.h"

static bool ascii_mode;

void draw_set_ascii(bool ascii)
{
	ascii_mode = ascii;
}

bool draw_ascii(void)
{
	return ascii_mode;
}

const char *draw_glyph(const char *utf8, const char *ascii)
{
	return ascii_mode ? ascii : utf8;
}

/* Writes len bytes of UTF-8 at (y, x). The strings are decoded here and
 * handed to curses as wide characters: the narrow mvaddnstr() converts
 * byte by byte through mbrtowc() and was half of a frame's time
 * (tests/bench: perf of a 200x50 frame). Bytes that are not UTF-8 become
 * U+FFFD. */
static void put_utf8(int y, int x, const char *s, size_t len)
{
	wchar_t w[512];
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len;
	int n = 0;

	move(y, x);
	while (p < end) {
		unsigned c = *p++;
		int more = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;

		if (more < 0) {
			c = 0xfffd;
		} else if (more) {
			c &= 0x3fu >> more;
			for (int i = 0; i < more; i++) {
				if (p >= end || (*p & 0xc0) != 0x80) {
					c = 0xfffd;
					break;
				}
				c = (c << 6) | (*p++ & 0x3fu);
			}
		}
		w[n++] = (wchar_t)c;
		if (n == (int)ARRAY_SIZE(w)) {
			addnwstr(w, n);
			n = 0;
		}
	}
	if (n)
		addnwstr(w, n);
}

int draw_text(int y, int x, int maxw, attr_t attr, const char *s)
{
	int rows, cols;
	size_t bytes = 0, n = 0, slen = strlen(s);

	getmaxyx(stdscr, rows, cols);
	if (y < 0 || y >= rows || x >= cols || maxw <= 0)
		return 0;
	/* skip what lies left of the screen (a wide character cut by the
	 * edge is skipped whole, and its cell left of the text stays) */
	while (x < 0 && bytes < slen) {
		size_t len;
		int w = text_char_columns(s + bytes, slen - bytes, &len);

		bytes += len;
		x += w;
		maxw -= w;
	}
	s += bytes;
	if (maxw > cols - x)
		maxw = cols - x;
	if (maxw <= 0)
		return 0;
	/* by columns: a wide character takes two, and one that does not
	 * fit whole is left out, never drawn over the cell beyond */
	bytes = text_fit(s, (size_t)maxw, &n);
	if (!n)
		return 0;
	attron(attr);
	put_utf8(y, x, s, bytes);
	attroff(attr);
	return (int)n;
}

int draw_text_right(int y, int x, int w, attr_t attr, const char *s)
{
	int n = text_columns(s);

	if (n > w) {
		/* keep the end: numbers are read from their right */
		const char *p = s;
		size_t left = strlen(s);

		for (int skip = n - w; skip > 0 && left; ) {
			size_t len;

			skip -= text_char_columns(p, left, &len);
			p += len;
			left -= len;
		}
		n = text_columns(p);
		return draw_text(y, x + w - n, n, attr, p);
	}
	return draw_text(y, x + w - n, n, attr, s);
}

void draw_fill(int y, int x, int w, attr_t attr, const char *glyph)
{
	char buf[512];
	size_t g = strlen(glyph), at = 0;
	int n = 0;

	if (w <= 0 || !g)
		return;
	while (n < w) {
		if (at + g >= sizeof(buf)) {
			buf[at] = '\0';
			draw_text(y, x, n, attr, buf);
			x += n;
			w -= n;
			n = 0;
			at = 0;
			continue;
		}
		memcpy(buf + at, glyph, g);
		at += g;
		n++;
	}
	buf[at] = '\0';
	draw_text(y, x, n, attr, buf);
}

void draw_box(const struct rect *r, attr_t attr)
{
	const char *h = draw_glyph("\xe2\x94\x80", "-");
	const char *v = draw_glyph("\xe2\x94\x82", "|");

	if (r->w < 2 || r->h < 2)
		return;
	draw_text(r->y, r->x, 1, attr, draw_glyph("\xe2\x95\xad", "+"));
	draw_fill(r->y, r->x + 1, r->w - 2, attr, h);
	draw_text(r->y, r->x + r->w - 1, 1, attr, draw_glyph("\xe2\x95\xae", "+"));
	for (int y = r->y + 1; y < r->y + r->h - 1; y++) {
		draw_text(y, r->x, 1, attr, v);
		draw_text(y, r->x + r->w - 1, 1, attr, v);
	}
	draw_text(r->y + r->h - 1, r->x, 1, attr, draw_glyph("\xe2\x95\xb0", "+"));
	draw_fill(r->y + r->h - 1, r->x + 1, r->w - 2, attr, h);
	draw_text(r->y + r->h - 1, r->x + r->w - 1, 1, attr, draw_glyph("\xe2\x95\xaf", "+"));
}
