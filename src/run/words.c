/*
 * words.c - splitting a command line into words (see words.h).
 *
 * One pass over the string with a small state machine: outside any word,
 * in an unquoted part, in '...' or in "...". Each word grows in a buffer
 * of the string's length (no word is longer than the string).
 */
#include "src/run/words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum state { BLANK, WORD, SINGLE, DOUBLE };

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static bool push(struct words *w, size_t *cap, const char *word, size_t len)
{
	char *copy;

	if (w->argc + 2 > *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		char **nv = realloc(w->argv, ncap * sizeof(*nv));

		if (!nv)
			return false;
		w->argv = nv;
		*cap = ncap;
	}
	copy = malloc(len + 1);
	if (!copy)
		return false;
	memcpy(copy, word, len);
	copy[len] = '\0';
	w->argv[w->argc++] = copy;
	w->argv[w->argc] = NULL;
	return true;
}

bool words_split(const char *s, struct words *w, char *err, size_t errlen)
{
	size_t cap = 0, len = 0;
	enum state st = BLANK;
	char *buf = malloc(strlen(s) + 1);
	bool ok = false;

	w->argv = NULL;
	w->argc = 0;
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	for (const char *p = s;; p++) {
		char c = *p;

		switch (st) {
		case BLANK:
		case WORD:
			if (c == '\0' || blank(c)) {
				if (st == WORD && !push(w, &cap, buf, len))
					goto nomem;
				st = BLANK;
				len = 0;
				if (c == '\0')
					goto done;
			} else if (c == '\'') {
				st = SINGLE;
			} else if (c == '"') {
				st = DOUBLE;
			} else if (c == '\\') {
				if (p[1] == '\0') {
					snprintf(err, errlen, "a backslash at the end escapes nothing");
					goto out;
				}
				p++;
				if (*p != '\n')
					buf[len++] = *p;
				else if (st == BLANK)
					break; /* a continued line between words */
				st = WORD;
			} else {
				buf[len++] = c;
				st = WORD;
			}
			break;
		case SINGLE:
			if (c == '\0') {
				snprintf(err, errlen, "unbalanced single quote");
				goto out;
			}
			if (c == '\'')
				st = WORD;
			else
				buf[len++] = c;
			break;
		case DOUBLE:
			if (c == '\0') {
				snprintf(err, errlen, "unbalanced double quote");
				goto out;
			}
			if (c == '"') {
				st = WORD;
			} else if (c == '\\' && p[1] && strchr("$`\"\\\n", p[1])) {
				p++;
				if (*p != '\n')
					buf[len++] = *p;
			} else {
				buf[len++] = c;
			}
			break;
		}
	}
nomem:
	snprintf(err, errlen, "out of memory");
	goto out;
done:
	ok = true;
out:
	free(buf);
	return ok;
}

void words_finish(struct words *w)
{
	if (!w->argv)
		return;
	for (size_t i = 0; i < w->argc; i++)
		free(w->argv[i]);
	free(w->argv);
	w->argv = NULL;
	w->argc = 0;
}
