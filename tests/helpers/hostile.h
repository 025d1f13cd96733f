/*
 * hostile.h - the hostile process names of tests/helpers/hostile.c, shared
 * with the tests that check how shmviz reads, shows and records them.
 * Each is at most 15 bytes, the kernel's limit for a process name.
 */
#ifndef SHMVIZ_TESTS_HOSTILE_H
#define SHMVIZ_TESTS_HOSTILE_H

#define HOSTILE_PARENT_NAME "hostile (\x1b[2J)"

static const char *const hostile_names[] = {
	"a b) (c",              /* spaces, parentheses */
	") S 1 2 3 (",          /* fake stat fields after a ')' */
	"new\nline",            /* newline */
	"\x1b[31mred",          /* CSI */
	"\x1b]0;own\x07",       /* OSC setting the window title */
	"del\x7f",              /* DEL */
	"c1\xc2\x9b",           /* C1 CSI, as UTF-8 */
	"raw\x9b",              /* C1 CSI, as a raw byte: invalid UTF-8 */
	"bad\xff\xfe",          /* invalid UTF-8 */
	"q\"uote\\",            /* JSON's quote and backslash */
	"tab\tx",               /* tab */
	"\xc3\xa9\xe4\xb8\xad", /* valid UTF-8: kept as it is */
	"aaaaaaaaaaaaa\xe4\xb8\xad", /* 16 bytes: cut to 15 mid-character */
	NULL,
};

#endif
