/* Unit tests of the --compare word splitting: every quoting rule of
 * words.h, the errors, and that nothing is expanded. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "src/run/words.h"

/* splits s and checks the words against the NULL-ended list that follows */
static void expect(const char *s, ...)
{
	struct words w;
	char err[128] = "";
	va_list ap;
	size_t i = 0;
	const char *want;

	CHECK(words_split(s, &w, err, sizeof(err)));
	va_start(ap, s);
	while ((want = va_arg(ap, const char *)) != NULL) {
		CHECK(i < w.argc);
		if (i < w.argc)
			CHECK_STR(w.argv[i], want);
		i++;
	}
	va_end(ap);
	CHECK_INT(w.argc, i);
	CHECK(w.argv == NULL || w.argv[w.argc] == NULL);
	if (w.argc != i)
		fprintf(stderr, "  (splitting [%s])\n", s);
	words_finish(&w);
}

static void expect_error(const char *s, const char *what)
{
	struct words w;
	char err[128] = "";

	CHECK(!words_split(s, &w, err, sizeof(err)));
	CHECK(strstr(err, what) != NULL);
	words_finish(&w);
}

int main(void)
{
	struct words w;
	char err[128];

	/* blanks */
	expect("ls -l /tmp", "ls", "-l", "/tmp", (char *)NULL);
	expect("  a\t b \n c  ", "a", "b", "c", (char *)NULL);
	expect("", (char *)NULL);
	expect("   \t\n", (char *)NULL);
	/* single quotes keep everything */
	expect("echo 'a b'  'c\"d' 'e\\f'", "echo", "a b", "c\"d", "e\\f", (char *)NULL);
	expect("'$HOME' '`x`' '*'", "$HOME", "`x`", "*", (char *)NULL);
	/* double quotes: backslash only before $ ` \" \\ newline */
	expect("\"a b\" \"c\\\"d\" \"e\\\\f\" \"g\\h\"", "a b", "c\"d", "e\\f", "g\\h", (char *)NULL);
	expect("\"\\$x \\`y\\`\"", "$x `y`", (char *)NULL);
	expect("\"a\\\nb\"", "ab", (char *)NULL);
	expect("\"it's\"", "it's", (char *)NULL);
	/* backslash outside quotes */
	expect("a\\ b c", "a b", "c", (char *)NULL);
	expect("\\'x \\\"y \\\\z", "'x", "\"y", "\\z", (char *)NULL);
	expect("a\\\nb", "ab", (char *)NULL);
	expect("a \\\n b", "a", "b", (char *)NULL);
	/* pieces together form one word; empty quotes an empty word */
	expect("a'b'\"c\"d", "abcd", (char *)NULL);
	expect("x '' \"\" y", "x", "", "", "y", (char *)NULL);
	expect("''", "", (char *)NULL);
	/* nothing is expanded or special */
	expect("echo $HOME ~ *.c a;b c|d e&f <in >out (x) #c",
	       "echo", "$HOME", "~", "*.c", "a;b", "c|d", "e&f", "<in", ">out",
	       "(x)", "#c", (char *)NULL);
	expect("sh -c 'echo hi | wc -c'", "sh", "-c", "echo hi | wc -c", (char *)NULL);
	/* UTF-8 passes through */
	expect("printf '\xce\xa3 %s' \xc3\xa9t\xc3\xa9", "printf", "\xce\xa3 %s",
	       "\xc3\xa9t\xc3\xa9", (char *)NULL);

	/* errors */
	expect_error("echo 'abc", "unbalanced single quote");
	expect_error("echo \"abc", "unbalanced double quote");
	expect_error("echo \"a\\\"", "unbalanced double quote");
	expect_error("'", "unbalanced single quote");
	expect_error("echo abc\\", "backslash at the end");
	/* finishing twice, and a failed split, are safe */
	CHECK(words_split("a b", &w, err, sizeof(err)));
	words_finish(&w);
	words_finish(&w);
	CHECK_INT(w.argc, 0);
	return check_done();
}
