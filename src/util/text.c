/*
 * text.c - UTF-8 validation and control-character replacement.
 */
#include "src/util/text.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

/* Decodes one UTF-8 character at s (n bytes available). Returns its length
 * and sets *cp, or 0 for an invalid sequence (overlong, surrogate, beyond
 * U+10FFFF, truncated). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

size_t text_utf8_len(const char *s, size_t n)
{
	uint32_t cp;

	return n ? utf8_decode((const unsigned char *)s, n, &cp) : 0;
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

size_t text_sanitize(char *dst, size_t cap, const char *src, size_t len,
		     bool ascii)
{
	const unsigned char *s = (const unsigned char *)src;
	static const char fffd[] = "\xef\xbf\xbd";
	size_t out = 0, i = 0;

	if (cap == 0)
		return 0;
	while (i < len) {
		uint32_t cp = 0;
		size_t n = utf8_decode(s + i, len - i, &cp);
		const char *put;
		size_t plen;

		if (s[i] == '\0')
			break;
		if (n == 0) {
			put = ascii ? "?" : fffd;
			plen = ascii ? 1 : 3;
			n = 1;
		} else if (is_control(cp) || (ascii && cp >= 0x80)) {
			put = "?";
			plen = 1;
		} else {
			put = src + i;
			plen = n;
		}
		if (out + plen >= cap)
			break;
		memcpy(dst + out, put, plen);
		out += plen;
		i += n;
	}
	dst[out] = '\0';
	return out;
}

char *text_shown(char *dst, size_t cap, const char *src, size_t max)
{
	char full[4096 * 3 + 1];
	size_t len, head, tail;

	if (cap == 0)
		return dst;
	if (max >= cap)
		max = cap - 1;
	len = text_sanitize(full, sizeof(full), src ? src : "",
			    src ? strlen(src) : 0, false);
	if (len <= max) {
		memcpy(dst, full, len + 1);
		return dst;
	}
	if (max < 8) {
		text_sanitize(dst, max + 1, full, len, false);
		return dst;
	}
	/* a third before the dots, the rest (the file's name) after */
	head = (max - 3) / 3;
	tail = max - 3 - head;
	while (head && ((unsigned char)full[head] & 0xc0) == 0x80)
		head--;
	while (tail && ((unsigned char)full[len - tail] & 0xc0) == 0x80)
		tail--;
	memcpy(dst, full, head);
	memcpy(dst + head, "...", 3);
	memcpy(dst + head + 3, full + len - tail, tail);
	dst[head + 3 + tail] = '\0';
	return dst;
}

bool text_is_clean(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(u + i, len - i, &cp);

		if (n == 0 || is_control(cp))
			return false;
		i += n;
	}
	return true;
}

int text_char_columns(const char *s, size_t n, size_t *len)
{
	uint32_t cp;
	size_t l = n ? utf8_decode((const unsigned char *)s, n, &cp) : 0;
	int w;

	if (l == 0) {
		*len = n ? 1 : 0;
		return 1; /* drawn as U+FFFD */
	}
	*len = l;
	if (cp < 0x80)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int text_columns(const char *s)
{
	size_t n = strlen(s);
	int cols = 0;

	while (n) {
		size_t len;

		cols += text_char_columns(s, n, &len);
		s += len;
		n -= len;
	}
	return cols;
}

size_t text_fit(const char *s, size_t maxcols, size_t *cols)
{
	size_t used = 0, bytes = 0, n = strlen(s);

	while (bytes < n) {
		size_t len;
		int w = text_char_columns(s + bytes, n - bytes, &len);

		if (used + (size_t)w > maxcols)
			break;
		used += (size_t)w;
		bytes += len;
	}
	if (cols)
		*cols = used;
	return bytes;
}

/* the signs shmviz writes and their ASCII (text_to_ascii()) */
static const struct {
	const char *utf8, *ascii;
} signs[] = {
	{ "\xce\xa3", "" },          /* Σ: "ΣPSS" is "PSS" */
	{ "\xc3\x97", "x" },         /* × */
	{ "\xe2\x89\xa5", ">=" },    /* ≥ */
	{ "\xe2\x89\xa4", "<=" },    /* ≤ */
	{ "\xe2\x89\x88", "~" },     /* ≈ */
	{ "\xe2\x80\x94", "--" },    /* — */
	{ "\xe2\x80\x93", "-" },     /* – */
	{ "\xe2\x80\xa6", "..." },   /* … */
	{ "\xc2\xb7", "-" },         /* · */
	{ "\xc2\xb1", "+/-" },       /* ± */
	{ "\xe2\x86\x92", "->" },    /* → */
	{ "\xe2\x80\xba", ">" },     /* › */
	{ "\xc2\xb5", "u" },         /* µ */
};

/* the length of the sign at s (n bytes left), 0 when none is there */
static size_t sign_at(const char *s, size_t n)
{
	for (size_t k = 0; k < sizeof(signs) / sizeof(signs[0]); k++) {
		size_t l = strlen(signs[k].utf8);

		if (l <= n && memcmp(s, signs[k].utf8, l) == 0)
			return l;
	}
	return 0;
}

/* whether the space after the word w (n bytes) holds it to the next:
 * a figure and its unit, a sign and what it signs (text_wrap()) */
static bool wrap_holds(const char *w, size_t n)
{
	const unsigned char *u = (const unsigned char *)w;

	if (!n)
		return false;
	if (isdigit(u[n - 1]))
		return true;
	/* "2.4×", "2.4x" */
	if (n >= 3 && u[n - 2] == 0xc3 && u[n - 1] == 0x97 && isdigit(u[n - 3]))
		return true;
	if (n >= 2 && u[n - 1] == 'x' && isdigit(u[n - 2]))
		return true;
	/* signs alone: "≥", "(≤", "--", "+" */
	for (size_t i = 0; i < n;) {
		size_t l = sign_at(w + i, n - i);

		if (l)
			i += l;
		else if (u[i] < 0x80 && ispunct(u[i]))
			i++;
		else
			return false;
	}
	return true;
}

size_t text_wrap(const char *s, int cols)
{
	size_t i = 0, brk = 0, n = strlen(s);
	int used = 0;

	if (cols <= 0)
		return n;
	while (s[i]) {
		size_t w0 = i, sp;
		int ww = 0;

		while (s[i] && s[i] != ' ') {
			size_t len;

			ww += text_char_columns(s + i, n - i, &len);
			i += len;
		}
		/* the word does not fit after a break: the line ends there */
		if (brk && used + ww > cols)
			return brk;
		used += ww;
		if (!s[i])
			return i;
		sp = i;
		if (!wrap_holds(s + w0, i - w0)) {
			/* a break: here when what came is too wide already */
			if (used >= cols)
				return sp;
			brk = sp;
		}
		while (s[i] == ' ') {
			i++;
			used++;
		}
		if (!s[i])
			return sp;
	}
	return i;
}

size_t text_to_ascii(char *dst, size_t cap, const char *src)
{
	size_t out = 0, n = strlen(src);

	if (!cap)
		return 0;
	for (size_t i = 0; i < n;) {
		const char *rep = NULL;
		size_t len = 1;

		if ((unsigned char)src[i] >= 0x80) {
			len = text_utf8_len(src + i, n - i);
			if (!len)
				len = 1;
			rep = "?";
			for (size_t k = 0; k < sizeof(signs) / sizeof(signs[0]); k++)
				if (strlen(signs[k].utf8) == len &&
				    memcmp(src + i, signs[k].utf8, len) == 0)
					rep = signs[k].ascii;
		}
		if (rep) {
			size_t r = strlen(rep);

			if (out + r >= cap)
				break;
			memcpy(dst + out, rep, r);
			out += r;
		} else {
			if (out + 1 >= cap)
				break;
			dst[out++] = src[i];
		}
		i += len;
	}
	dst[out] = '\0';
	return out;
}
