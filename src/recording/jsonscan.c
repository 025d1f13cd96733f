/*
 * jsonscan.c - the JSON scanning and the memory caps of the replay loader:
 * the gates a recording's text passes before and while cJSON parses it
 * (replay.c walks what it built).
 *
 *   1. the bytes: valid UTF-8, no NUL byte, no raw control character
 *      inside a string, nesting at most REPLAY_MAX_DEPTH deep (a real
 *      recording nests 7 deep), something other than blanks;
 *   2. memory: every member the tables of schema.h do not hold is blanked
 *      in place before cJSON sees it, and what cJSON allocates is counted
 *      and capped;
 *   3. cJSON parses a NUL-ended copy (for a whole document, the whole of
 *      it: trailing garbage is an error), and no object may hold a key
 *      twice.
 */
#include "src/recording/jsonscan.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "src/recording/replay.h"
#include "src/util/macros.h"
#include "src/util/text.h"

/* ---- gate 1: the bytes ---- */

/* line and column (1-based, in bytes) of offset off */
void jsonscan_where(const char *buf, size_t off, size_t *line, size_t *col)
{
	size_t start = 0;

	*line = 1;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	}
	*col = off - start + 1;
}

static size_t where_line(const char *buf, size_t off)
{
	size_t line, col;

	jsonscan_where(buf, off, &line, &col);
	return line;
}

/* Gate 1 (see the top of the file). *open is set to whether the bytes end
 * inside a string or with brackets open: a truncated document. */
bool jsonscan_prescan(const char *buf, size_t len, bool *open, char *err,
		    size_t errlen)
{
	const unsigned char *u = (const unsigned char *)buf;
	size_t depth = 0, i = 0, line, col;
	bool in_str = false, esc = false, any = false;
	const char *what = NULL;

	while (i < len) {
		unsigned char ch = u[i];

		if (ch == 0) {
			what = "a NUL byte: not a text file";
			break;
		}
		if (ch >= 0x80) {
			size_t n = text_utf8_len(buf + i, len - i);

			if (!n) {
				what = "invalid UTF-8";
				break;
			}
			if (!in_str) {
				what = "a character outside any string";
				break;
			}
			esc = false;
			i += n;
			continue;
		}
		if (in_str) {
			if (esc)
				esc = false;
			else if (ch == '\\')
				esc = true;
			else if (ch == '"')
				in_str = false;
			else if (ch < 0x20) {
				what = "a control character inside a string";
				break;
			}
		} else {
			if (ch == '"') {
				in_str = true;
			} else if (ch == '[' || ch == '{') {
				if (++depth > REPLAY_MAX_DEPTH) {
					what = "nested more than " REPLAY_MAX_DEPTH_STR " levels deep";
					break;
				}
			} else if (ch == ']' || ch == '}') {
				if (depth)
					depth--;
			}
			if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
				any = true;
		}
		i++;
	}
	if (what) {
		jsonscan_where(buf, i, &line, &col);
		snprintf(err, errlen, "%s at line %zu, column %zu", what, line, col);
		return false;
	}
	if (!any) {
		snprintf(err, errlen, len ? "only blanks: no JSON in it" :
			 "empty: no JSON in it");
		return false;
	}
	*open = in_str || depth > 0;
	return true;
}

/* ---- gate 2: memory ----
 *
 * cJSON takes about 80 bytes a value: an array of small numbers costs 40
 * times its text. So before it parses, the value of every member whose
 * key the loader never reads is blanked in place, once it is checked to be
 * valid JSON: replaced by "null" and blanks, its newlines kept, so that an
 * error's line and column stay where they were, and cJSON builds one node
 * for it. What cJSON allocates is counted (cJSON_InitHooks, during the
 * load only) and capped; a failed allocation, the cap's or the system's
 * (ulimit -v), is reported as "out of memory", never as bad JSON. */

/* Whether the loader reads key k (n bytes, as written) in an object of
 * obj: a row of its table (one the gate does not blank); the table of its
 * members in *child (NULL: a value read whole) */
static bool known_key(const struct schema_object *obj, const char *k, size_t n,
		      const struct schema_object **child)
{
	const struct schema_field *f;
	int fig;

	*child = NULL;
	if (!obj)
		return false;
	if (memchr(k, '\\', n))
		return true; /* an escape may spell a known key: keep it whole */
	f = schema_find(obj, k, n, &fig);
	if (!f || (f->flags & SF_BLANK))
		return false;
	if (f->type == ST_OBJECT || f->type == ST_ARRAY)
		*child = f->child;
	return true;
}

static void skip_ws(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\n' ||
			    s[*i] == '\r'))
		(*i)++;
}

/* a JSON string at *i (its quotes included); false when it is not one */
static bool skip_string(const char *s, size_t len, size_t *i)
{
	if (*i >= len || s[*i] != '"')
		return false;
	for ((*i)++; *i < len; (*i)++) {
		unsigned char ch = (unsigned char)s[*i];

		if (ch == '"') {
			(*i)++;
			return true;
		}
		if (ch < 0x20)
			return false;
		if (ch == '\\') {
			(*i)++;
			if (*i >= len || !strchr("\"\\/bfnrtu", s[*i]))
				return false;
			if (s[*i] == 'u') {
				for (int k = 0; k < 4; k++) {
					(*i)++;
					if (*i >= len || !isxdigit((unsigned char)s[*i]))
						return false;
				}
			}
		}
	}
	return false;
}

static bool skip_number(const char *s, size_t len, size_t *i)
{
	size_t start = *i, digits;

	if (*i < len && s[*i] == '-')
		(*i)++;
	if (*i >= len || !isdigit((unsigned char)s[*i]))
		return false;
	if (s[*i] == '0')
		(*i)++;
	else
		while (*i < len && isdigit((unsigned char)s[*i]))
			(*i)++;
	if (*i < len && s[*i] == '.') {
		(*i)++;
		for (digits = 0; *i < len && isdigit((unsigned char)s[*i]); digits++)
			(*i)++;
		if (!digits)
			return false;
	}
	if (*i < len && (s[*i] == 'e' || s[*i] == 'E')) {
		(*i)++;
		if (*i < len && (s[*i] == '+' || s[*i] == '-'))
			(*i)++;
		for (digits = 0; *i < len && isdigit((unsigned char)s[*i]); digits++)
			(*i)++;
		if (!digits)
			return false;
	}
	return *i > start;
}

/* Walks one value at *i: ctx is the table its members are read by (NULL:
 * none of them, or a value taken whole: an escaped key's);
 * blank: members the loader does not read are blanked (false: the value
 * is only checked). Returns false at the first thing that is not JSON:
 * the rest is left as it is, for cJSON to report. */
static bool walk_value(char *s, size_t len, size_t *i, int depth,
		       const struct schema_object *ctx, bool blank)
{
	skip_ws(s, len, i);
	if (*i >= len || depth > REPLAY_MAX_DEPTH)
		return false;
	if (s[*i] == '{' || s[*i] == '[') {
		bool obj = s[*i] == '{';
		char close = obj ? '}' : ']';

		(*i)++;
		skip_ws(s, len, i);
		if (*i < len && s[*i] == close) {
			(*i)++;
			return true;
		}
		for (;;) {
			bool known = true;
			const struct schema_object *child = NULL;

			if (obj) {
				size_t k = *i;

				if (!skip_string(s, len, i))
					return false;
				if (blank)
					known = known_key(ctx, s + k + 1, *i - k - 2, &child);
				skip_ws(s, len, i);
				if (*i >= len || s[*i] != ':')
					return false;
				(*i)++;
				skip_ws(s, len, i);
				if (!known) {
					size_t v = *i;

					if (!walk_value(s, len, i, depth + 1, NULL, false))
						return false;
					/* "null" and blanks, newlines kept */
					if (*i - v >= 4) {
						memcpy(s + v, "null", 4);
						for (size_t b = v + 4; b < *i; b++)
							if (s[b] != '\n')
								s[b] = ' ';
					}
				} else if (!walk_value(s, len, i, depth + 1, child,
						       blank && child)) {
					/* read whole: a scalar field, a key spelled
					 * with escapes, or a value only checked */
					return false;
				}
			} else if (!walk_value(s, len, i, depth + 1, ctx, blank)) {
				return false;
			}
			skip_ws(s, len, i);
			if (*i < len && s[*i] == ',') {
				(*i)++;
				skip_ws(s, len, i);
				continue;
			}
			if (*i < len && s[*i] == close) {
				(*i)++;
				return true;
			}
			return false;
		}
	}
	if (s[*i] == '"')
		return skip_string(s, len, i);
	if (len - *i >= 4 && (memcmp(s + *i, "true", 4) == 0 ||
			      memcmp(s + *i, "null", 4) == 0)) {
		*i += 4;
		return true;
	}
	if (len - *i >= 5 && memcmp(s + *i, "false", 5) == 0) {
		*i += 5;
		return true;
	}
	return skip_number(s, len, i);
}

/* what cJSON holds during a load: each block carries its size */
static size_t cjson_bytes, cjson_cap;
static bool cjson_out_of_memory;

static void *counted_malloc(size_t size)
{
	size_t *p;

	if (size > SIZE_MAX - 16 || cjson_bytes + size > cjson_cap) {
		cjson_out_of_memory = true;
		return NULL;
	}
	p = malloc(size + 16);
	if (!p) {
		cjson_out_of_memory = true;
		return NULL;
	}
	*p = size;
	cjson_bytes += size;
	return (char *)p + 16;
}

static void counted_free(void *ptr)
{
	size_t *p;

	if (!ptr)
		return;
	p = (size_t *)(void *)((char *)ptr - 16);
	cjson_bytes -= *p;
	free(p);
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The key found twice among the members of o, or NULL. */
static const char *duplicate_key(const cJSON *o)
{
	const char *small[32], **keys = small, **heap = NULL, *dup = NULL;
	size_t n = 0, k = 0;

	for (const cJSON *c = o->child; c; c = c->next)
		n++;
	if (n < 2)
		return NULL;
	if (n > ARRAY_SIZE(small)) {
		heap = malloc(n * sizeof(*heap));
		if (!heap)
			return NULL;
		keys = heap;
	}
	for (const cJSON *c = o->child; c; c = c->next)
		keys[k++] = c->string ? c->string : "";
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 1; i < n && !dup; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0)
			dup = keys[i];
	free(heap);
	return dup;
}

/* Refuses an object with a key twice anywhere in the tree: readers
 * disagree on which one counts (cJSON the first, jq and Python the last),
 * so such a file would mean different things to different tools. path is
 * where j is (".runs[2]"); false with one line in err. */
static bool no_duplicates(const cJSON *j, char *path, size_t len, size_t cap,
			  char *err, size_t errlen)
{
	size_t i = 0;

	if (cJSON_IsObject(j)) {
		const char *dup = duplicate_key(j);

		if (dup) {
			char key[64];

			text_sanitize(key, sizeof(key), dup, strlen(dup), false);
			snprintf(err, errlen, "the key \"%s\" appears twice in one object (%s): a recording has each key once",
				 key, len ? path : "the top level");
			return false;
		}
	}
	if (!cJSON_IsObject(j) && !cJSON_IsArray(j))
		return true;
	for (const cJSON *c = j->child; c; c = c->next, i++) {
		int n;

		if (cJSON_IsArray(j))
			n = snprintf(path + len, cap - len, "[%zu]", i);
		else
			n = snprintf(path + len, cap - len, ".%.40s", c->string ? c->string : "");
		if (n < 0 || (size_t)n >= cap - len)
			n = (int)(cap - len - 1);
		if (!no_duplicates(c, path, len + (size_t)n, cap, err, errlen))
			return false;
		path[len] = '\0';
	}
	return true;
}

/* The error of a parse that failed at off (truncated: the bytes ended
 * inside the document) */
static void parse_error(const char *text, size_t len, size_t off, bool root,
			bool open, bool whole, char *err, size_t errlen)
{
	size_t last = len, line, col;

	while (last > 0 && strchr(" \t\r\n", text[last - 1]))
		last--;
	jsonscan_where(text, off, &line, &col);
	if (!whole)
		snprintf(err, errlen, "not valid JSON at line %zu, column %zu of the sample",
			 line, col);
	else if (root)
		snprintf(err, errlen, "more after the end of the JSON document, at line %zu, column %zu",
			 line, col);
	else if (open)
		snprintf(err, errlen, "truncated: the JSON ends at line %zu before the document is complete",
			 last ? where_line(text, last) : 1);
	else
		snprintf(err, errlen, "not valid JSON at line %zu, column %zu",
			 line, col);
}

cJSON *jsonscan_parse(char *text, size_t len, const struct schema_object *obj,
		      bool whole, char *err, size_t errlen)
{
	cJSON_Hooks hooks = { counted_malloc, counted_free };
	char path[512] = "";
	const char *end = NULL;
	cJSON *root;
	size_t at = 0, off, last = len;
	bool open = false;

	if (!jsonscan_prescan(text, len, &open, err, errlen))
		return NULL;
	walk_value(text, len, &at, 0, obj, true);
	/* a recording's own members take about 8 times their text */
	cjson_bytes = 0;
	cjson_cap = REPLAY_PARSE_FACTOR * len + REPLAY_PARSE_SLACK;
	cjson_out_of_memory = false;
	cJSON_InitHooks(&hooks);
	root = cJSON_ParseWithLengthOpts(text, len + 1, &end, false);
	if (cjson_out_of_memory) {
		jsonscan_free(root);
		snprintf(err, errlen, "out of memory: loading it needs more than %zu MiB",
			 cjson_cap >> 20);
		return NULL;
	}
	off = end && end >= text && end <= text + len ? (size_t)(end - text) : len;
	while (last > 0 && strchr(" \t\r\n", text[last - 1]))
		last--;
	if (!root || (whole && off < last)) {
		parse_error(text, len, off, root, open, whole, err, errlen);
		jsonscan_free(root);
		return NULL;
	}
	if (!no_duplicates(root, path, 0, sizeof(path), err, errlen)) {
		jsonscan_free(root);
		return NULL;
	}
	return root;
}

void jsonscan_free(cJSON *root)
{
	cJSON_Delete(root);
	cJSON_InitHooks(NULL);
}
