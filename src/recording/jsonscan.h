/*
 * jsonscan.h - the gates a recording's text passes before and while cJSON
 * parses it: its bytes, the members the loader reads (the rest blanked),
 * what cJSON may allocate, a key twice (jsonscan.c says how).
 */
#ifndef SHMVIZ_SRC_JSONSCAN_H
#define SHMVIZ_SRC_JSONSCAN_H

#if !defined(SHMVIZ_USES_RECORDING) && !defined(SHMVIZ_USES_ALL)
#error "src/recording/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "src/recording/schema.h"

struct cJSON;

/* Gate 1 alone: false with one line in err ("invalid UTF-8 at line 3,
 * column 7"); *open: the bytes end inside a string or with brackets open
 * (a truncated document). */
bool jsonscan_prescan(const char *buf, size_t len, bool *open, char *err,
		      size_t errlen);

/* Line and column (from 1, in bytes) of offset off of buf. */
void jsonscan_where(const char *buf, size_t off, size_t *line, size_t *col);

/* Parses text (len bytes and a NUL after them; its unread members are
 * blanked in place) as an object of obj (schema.h): a whole document
 * (whole: nothing may follow it) or one sample. Returns the root, whose
 * memory is counted against the cap until jsonscan_free(); NULL with one
 * line in err. */
struct cJSON *jsonscan_parse(char *text, size_t len,
			     const struct schema_object *obj, bool whole,
			     char *err, size_t errlen);
void jsonscan_free(struct cJSON *root);

#endif
