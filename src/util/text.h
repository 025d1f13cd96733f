/*
 * text.h - making strings from other programs safe to show and to store.
 *
 * Process names and command lines may hold any byte: escape sequences that
 * would drive the terminal, C1 controls, invalid UTF-8. Before such a
 * string reaches a view or the recorder it goes through text_sanitize().
 */
#ifndef SHMVIZ_SRC_TEXT_H
#define SHMVIZ_SRC_TEXT_H

#if !defined(SHMVIZ_USES_UTIL) && !defined(SHMVIZ_USES_ALL)
#error "src/util/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>

/* Copies len bytes of src into dst (cap bytes, always NUL-ended) as valid
 * UTF-8 with no control character: C0 controls, DEL and C1 controls
 * (U+0080..U+009F) become '?', invalid UTF-8 bytes become U+FFFD. With
 * ascii true, every non-ASCII character becomes '?' too. A character is
 * never cut in half. Returns the length written. */
size_t text_sanitize(char *dst, size_t cap, const char *src, size_t len,
		     bool ascii);

/* src (NUL-ended UTF-8) in ASCII into dst (cap bytes, NUL-ended): the
 * signs shmviz writes as words or ASCII signs ("\xce\xa3" goes, "\xc3\x97" is
 * "x", "\xe2\x89\xa5" ">=", "\xe2\x80\x94" "--", ...), any other non-ASCII
 * character '?'. Returns the length written. */
size_t text_to_ascii(char *dst, size_t cap, const char *src);

/* A user string (a path, a program name) as an error line shows it:
 * sanitised as text_sanitize() does, and when longer than max bytes (max <
 * cap) its middle replaced by "..." at character boundaries, so that the
 * line keeps room for the reason after it. Returns dst. */
char *text_shown(char *dst, size_t cap, const char *src, size_t max);

/* Length of the valid UTF-8 character at s (n bytes left), or 0 when the
 * bytes there are not one (overlong, surrogate, beyond U+10FFFF, cut). */
size_t text_utf8_len(const char *s, size_t n);

/* Whether s (len bytes) is valid UTF-8 with no control character. */
bool text_is_clean(const char *s, size_t len);

/* Terminal columns of the character at s (n bytes left) and, in *len, its
 * length in bytes (1 for a byte that is no UTF-8): 2 for a wide character
 * (CJK, most emoji), 0 for a combining one, 1 otherwise; by wcwidth(3) in
 * the current locale (a character it does not know counts 1). */
int text_char_columns(const char *s, size_t n, size_t *len);

/* Terminal columns of a sanitised string (wide characters count 2,
 * combining ones 0); an int, as the views' coordinates are. */
int text_columns(const char *s);

/* Bytes of the longest start of s that fits in maxcols columns (a wide
 * character is never cut in half); its columns in *cols (may be NULL). */
size_t text_fit(const char *s, size_t maxcols, size_t *cols);

/* Bytes of the start of s (sanitised UTF-8, one line) that make its first
 * line when s is wrapped at cols columns, broken at a space and never
 * inside a word nor inside a figure: the space after a word that ends in
 * a digit ("16 MiB", "82 ms"), in a digit and a times sign ("2.4× less",
 * "2.4x less") or that holds no letter or digit ("≥ 95 MiB", "— copy")
 * does not break. A stretch with no break that is wider than cols is
 * taken whole, up to its end (a long path). The spaces at the break are
 * left out of the count: the next line starts after them. All of s when
 * cols <= 0 or when it fits. */
size_t text_wrap(const char *s, int cols);

#endif
