/* Unit tests of sanitising: no control character or invalid UTF-8 gets
 * through, valid text is kept, nothing is cut in half. */
#include <locale.h>
#include <string.h>

#include "check.h"
#include "src/util/text.h"

/* the first line of s wrapped at cols: text_wrap()'s bytes of it */
static const char *wrap(const char *s, int cols)
{
	static char buf[256];
	size_t n = text_wrap(s, cols);

	snprintf(buf, sizeof(buf), "%.*s", (int)n, s);
	return buf;
}

/* Wrapping at spaces: a word, a figure and its unit, a sign and its
 * figure stay on one line; what is wider than the line with no break is
 * taken whole. */
static void test_wrap(void)
{
	CHECK_STR(wrap("abc def", 7), "abc def");
	CHECK_STR(wrap("abc def", 6), "abc");
	CHECK_STR(wrap("abc def", 0), "abc def");
	CHECK_STR(wrap("abc   ", 10), "abc");
	/* "16 MiB" is one figure, wider than 4: whole */
	CHECK_STR(wrap("16 MiB lost", 4), "16 MiB");
	CHECK_STR(wrap("lost 16 MiB", 9), "lost");
	CHECK_STR(wrap("lost 16 MiB", 11), "lost 16 MiB");
	/* "2.4× less" (its ASCII "2.4x less") is never split */
	CHECK_STR(wrap("lost 2.4\xc3\x97 less memory", 9), "lost");
	CHECK_STR(wrap("lost 2.4\xc3\x97 less memory", 14), "lost 2.4\xc3\x97 less");
	CHECK_STR(wrap("is 2.4x less", 9), "is");
	CHECK_STR(wrap("max x y", 5), "max x");
	/* a sign stays with its figure: "≥ 95 MiB", "(<= 285 MiB)" */
	CHECK_STR(wrap("peak \xe2\x89\xa5 95 MiB now", 8), "peak");
	CHECK_STR(wrap("peak (<= 285 MiB)", 14), "peak");
	/* a path wider than the line: whole, up to its end */
	CHECK_STR(wrap("/a/very/long/path/name x", 5), "/a/very/long/path/name");
	CHECK_STR(wrap("output: /a/very/long/path/name", 10), "output:");
}

static const char *clean(const char *s, size_t len, bool ascii)
{
	static char buf[256];

	text_sanitize(buf, sizeof(buf), s, len, ascii);
	return buf;
}

int main(void)
{
	char small[5];

	test_wrap();
	CHECK_STR(clean("python3", 7, false), "python3");
	CHECK_STR(clean("a\x1b[31mred", 9, false), "a?[31mred");
	CHECK_STR(clean("\x1b]0;title\x07", 10, false), "?]0;title?");
	CHECK_STR(clean("new\nline\t", 9, false), "new?line?");
	CHECK_STR(clean("del\x7f", 4, false), "del?");
	/* C1 controls encoded in UTF-8 (U+009B is CSI) */
	CHECK_STR(clean("x\xc2\x9b" "2J", 5, false), "x?2J");
	/* a raw C1 byte is not UTF-8 */
	CHECK_STR(clean("x\x9b" "2J", 4, false), "x\xef\xbf\xbd" "2J");
	/* invalid UTF-8: overlong, surrogate, truncated */
	CHECK_STR(clean("\xc0\xaf", 2, false), "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR(clean("\xed\xa0\x80", 3, false),
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR(clean("ab\xe2\x82", 4, false), "ab\xef\xbf\xbd\xef\xbf\xbd");
	/* valid UTF-8 kept, or replaced in ASCII mode */
	CHECK_STR(clean("\xce\xa3PSS", 5, false), "\xce\xa3PSS");
	CHECK_STR(clean("\xce\xa3PSS", 5, true), "?PSS");
	CHECK(text_is_clean("\xce\xa3PSS", 5));
	CHECK(!text_is_clean("a\x1b", 2));
	CHECK(!text_is_clean("\xff", 1));

	/* the replay loader's byte gate uses this one decoder too */
	CHECK(text_utf8_len("a", 1) == 1);
	CHECK(text_utf8_len("\xce\xa3", 2) == 2);
	CHECK(text_utf8_len("\xe2\x80\x94", 3) == 3);
	CHECK(text_utf8_len("\xf0\x9f\x98\x80", 4) == 4);
	CHECK(text_utf8_len("\xce\xa3", 1) == 0);          /* cut */
	CHECK(text_utf8_len("\xc0\xaf", 2) == 0);          /* overlong */
	CHECK(text_utf8_len("\xed\xa0\x80", 3) == 0);      /* surrogate */
	CHECK(text_utf8_len("\xf4\x90\x80\x80", 4) == 0);  /* > U+10FFFF */
	CHECK(text_utf8_len("", 0) == 0);
	/* never cut in half */
	text_sanitize(small, sizeof(small), "ab\xce\xa3\xce\xa3", 6, false);
	CHECK_STR(small, "ab\xce\xa3");
	text_sanitize(small, sizeof(small), "abc\xce\xa3", 5, false);
	CHECK_STR(small, "abc");
	CHECK_INT(text_columns("\xce\xa3PSS"), 4);
	/* a NUL ends the string */
	CHECK_STR(clean("ab\0cd", 5, false), "ab");
	/* columns: a CJK character takes two, a combining one none */
	if (setlocale(LC_CTYPE, "C.UTF-8")) {
		size_t c;

		CHECK_INT(text_columns("\xe6\x97\xa5\xe6\x9c\xac"), 4);     /* 日本 */
		CHECK_INT(text_columns("e\xcc\x81"), 1);                      /* e + U+0301 */
		CHECK_INT(text_fit("\xe6\x97\xa5\xe6\x9c\xac", 3, &c), 3); /* one of two */
		CHECK_INT(c, 2);
		CHECK_INT(text_fit("ab\xe6\x97\xa5", 3, &c), 2);
		CHECK_INT(c, 2);
	}
	/* an error line's user string: sanitised, its middle elided */
	{
		char shown[32];

		CHECK_STR(text_shown(shown, sizeof(shown), "/tmp/a\nb", 20), "/tmp/a?b");
		CHECK_STR(text_shown(shown, sizeof(shown), "0123456789abcdefghijklmnopqrstuvwxyz", 15),
			  "0123...stuvwxyz");
		/* never a character cut in half on either side */
		text_shown(shown, sizeof(shown),
			   "\xce\xa3\xce\xa3\xce\xa3\xce\xa3\xce\xa3\xce\xa3\xce\xa3\xce\xa3", 10);
		CHECK(text_is_clean(shown, strlen(shown)));
		CHECK(strlen(shown) <= 10);
		CHECK(strstr(shown, "...") != NULL);
	}
	return check_done();
}
