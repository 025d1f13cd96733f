/* docs/recording.md holds the recording's tables of src/recording/schema.h:
 * each object's table in the document is the one under a line
 * "<!-- schema: NAME -->" (NAME: the object's name in schema.c), whose
 * first column names its keys (`key`, several a row, `key[]` for an array)
 * and whose second, when the table has three columns, its type. Every row
 * of the object must be there, and nothing else:
 *
 *   - the keys are the same both ways (a figure of the smaps list is a key
 *     of each object that holds the list, a merged object's rows are in
 *     its own table; the CSV's columns are its own rows with the
 *     process's that have a column);
 *   - the type says "string", "boolean", "object", "array", or for a
 *     number "number", "integer" or the values it takes ("1, 2");
 *   - "null" in the type when and only when the row may be null (SF_NULL).
 *
 * And every row's unit is the one its key's suffix says (docs/recording.md:
 * "_kb" KiB, "_s" seconds, ...), in every table, the exports' too.
 *
 *   test_schema docs/recording.md
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"
#include "src/recording/schema.h"
#include "src/util/macros.h"

/* the objects the document has a table of (the trace's are prose) */
static const struct schema_object *const documented[] = {
	&schema_top, &schema_header, &schema_host, &schema_config, &schema_run,
	&schema_phase, &schema_result, &schema_peak, &schema_kernel_peak,
	&schema_decay, &schema_decay_fig, &schema_decay_member,
	&schema_projection, &schema_sample, &schema_proc, &schema_total,
	&schema_msnap, &schema_map_proc, &schema_group, &schema_summary,
	&schema_comparison, &schema_repeat, &schema_repeat_run, &schema_round,
	&schema_stats, &schema_sampler, &schema_csv,
};

#define MAX_KEYS 128

struct doc_key {
	char key[64];
	char type[128];   /* "" when the table has no type column */
	bool seen;
};

struct want {
	const char *key;
	const struct schema_field *f;  /* NULL: a figure of the smaps list */
	bool nullable;
};

/* The keys of an object: its rows, the smaps list for ST_FIGURES */
static size_t want_keys(const struct schema_object *obj, struct want *w, size_t n)
{
	for (size_t i = 0; i < obj->n; i++) {
		const struct schema_field *f = &obj->fields[i];

		if (f->type == ST_MERGE) {
			continue; /* the merged object has a table of its own */
		} else if (f->type == ST_FIGURES) {
			for (size_t k = 0; k < SMAPS_NFIELDS; k++)
				if (!f->lo || (smaps_fields[k].flags & (unsigned)f->lo))
					w[n++] = (struct want){ smaps_fields[k].json, NULL, true };
		} else {
			w[n++] = (struct want){ f->key, f, f->flags & SF_NULL };
		}
	}
	return n;
}

/* the CSV's columns: its own rows and the process's with a column */
static size_t want_csv(struct want *w)
{
	size_t n = want_keys(&schema_csv, w, 0);
	struct want p[MAX_KEYS];
	size_t np = want_keys(&schema_proc, p, 0);

	for (size_t i = 0; i < np; i++)
		if (!p[i].f || SF_CSV_OF(p[i].f->flags))
			w[n++] = p[i];
	return n;
}

/* The cells of a table row "| a | b | c |" */
static int cells(char *line, char **cell, int max)
{
	int n = 0;
	char *p = strchr(line, '|');

	while (p && n < max) {
		char *q = strchr(p + 1, '|');

		if (!q)
			break;
		*q = '\0';
		cell[n++] = p + 1;
		p = q;
	}
	return n;
}

/* The keys of the table under the marker of name in doc */
static size_t doc_keys(const char *doc, const char *name, struct doc_key *keys)
{
	char marker[96], *text, *line, *save = NULL;
	const char *at;
	size_t n = 0;
	int row = 0;

	snprintf(marker, sizeof(marker), "<!-- schema: %s -->\n", name);
	at = strstr(doc, marker);
	if (!at) {
		fprintf(stderr, "docs/recording.md: no table of %s (%s)\n", name, marker);
		return 0;
	}
	text = strdup(at + strlen(marker));
	for (line = strtok_r(text, "\n", &save); line && line[0] == '|';
	     line = strtok_r(NULL, "\n", &save), row++) {
		char *cell[8], *k;
		int nc = cells(line, cell, 8);

		if (row < 2 || nc < 2)
			continue; /* the heading and its rule */
		/* every `key` of the first cell */
		for (k = strchr(cell[0], '`'); k; k = strchr(k + 1, '`')) {
			char *end = strchr(k + 1, '`');
			size_t len;

			if (!end || n == MAX_KEYS)
				break;
			len = (size_t)(end - k - 1);
			if (len >= 2 && memcmp(end - 2, "[]", 2) == 0)
				len -= 2;
			snprintf(keys[n].key, sizeof(keys[n].key), "%.*s", (int)len, k + 1);
			snprintf(keys[n].type, sizeof(keys[n].type), "%s",
				 nc >= 3 ? cell[1] : "");
			keys[n++].seen = false;
			k = end;
		}
	}
	free(text);
	return n;
}

static bool type_fits(const struct schema_field *f, const char *type)
{
	switch (f->type) {
	case ST_TEXT:
	case ST_CHAR:
	case ST_ROLE:
	case ST_SMAPS:
	case ST_STATE:
		return strstr(type, "string");
	case ST_BOOL:
		return strstr(type, "boolean");
	case ST_OBJECT:
		return strstr(type, "object");
	case ST_ARRAY:
		return strstr(type, "array");
	default:
		return strstr(type, "number") || strstr(type, "integer") ||
		       strpbrk(type, "0123456789");
	}
}

static void check_object(const char *doc, const struct schema_object *obj)
{
	struct want w[MAX_KEYS];
	struct doc_key keys[MAX_KEYS];
	size_t nw = obj == &schema_csv ? want_csv(w) : want_keys(obj, w, 0);
	size_t nk = doc_keys(doc, obj->name, keys);

	CHECK(nk > 0);
	for (size_t i = 0; i < nw; i++) {
		size_t k;

		for (k = 0; k < nk && strcmp(keys[k].key, w[i].key) != 0; k++)
			;
		if (k == nk) {
			fprintf(stderr, "docs/recording.md, table of %s: no row of `%s`\n",
				obj->name, w[i].key);
			CHECK(false);
			continue;
		}
		keys[k].seen = true;
		if (!keys[k].type[0])
			continue;
		if (w[i].f && !type_fits(w[i].f, keys[k].type)) {
			fprintf(stderr, "docs/recording.md, table of %s: `%s` is %s, the type says \"%s\"\n",
				obj->name, w[i].key, w[i].f->type == ST_TEXT ? "a string" : "not that",
				keys[k].type);
			CHECK(false);
		}
		if (w[i].nullable != (strstr(keys[k].type, "null") != NULL)) {
			fprintf(stderr, "docs/recording.md, table of %s: `%s` %s null, the type says \"%s\"\n",
				obj->name, w[i].key, w[i].nullable ? "may be" : "is never",
				keys[k].type);
			CHECK(false);
		}
	}
	for (size_t k = 0; k < nk; k++) {
		if (!keys[k].seen) {
			fprintf(stderr, "docs/recording.md, table of %s: `%s` is no row of the table (src/recording/schema.h)\n",
				obj->name, keys[k].key);
			CHECK(false);
		}
	}
}

/* the unit a key's suffix names, NULL: none */
static const char *unit_of(const char *key)
{
	static const struct {
		const char *suffix, *unit;
	} units[] = {
		{ "_kb_s", "KiB/s" }, { "_kb", "KiB" }, { "_ms", "ms" },
		{ "_us", "us" }, { "_pct", "%" }, { "_s", "s" },
	};
	size_t n = strlen(key);

	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		size_t k = strlen(units[i].suffix);

		if (n > k && strcmp(key + n - k, units[i].suffix) == 0)
			return units[i].unit;
	}
	return NULL;
}

static void check_units(const struct schema_object *obj)
{
	for (size_t i = 0; i < obj->n; i++) {
		const struct schema_field *f = &obj->fields[i];
		const char *u = unit_of(f->key);

		if (u && strcmp(u, f->unit) != 0) {
			fprintf(stderr, "src/recording/schema.h, %s.%s: unit \"%s\", its key says %s\n",
				obj->name, f->key, f->unit, u);
			CHECK(false);
		}
	}
}

int main(int argc, char **argv)
{
	size_t len;
	char *doc;

	if (argc != 2) {
		fprintf(stderr, "usage: test_schema docs/recording.md\n");
		return 2;
	}
	doc = fixture_read(argv[1], &len);
	CHECK(doc != NULL);
	if (!doc)
		return check_done();
	for (size_t i = 0; i < ARRAY_SIZE(documented); i++) {
		check_object(doc, documented[i]);
		check_units(documented[i]);
	}
	check_units(&schema_trace);
	check_units(&schema_trace_event);
	check_units(&schema_trace_mem);
	free(doc);
	return check_done();
}
