/*
 * cmdline.c - reader of /proc/PID/cmdline (see cmdline.h): its words end
 * in NULs, which become spaces.
 */
#include "probes/cmdline.h"

#include <fcntl.h>
#include <stdio.h>

#include "src/util/readfile.h"

int cmdline_read(pid_t pid, char *buf, size_t size)
{
	char path[32];
	ssize_t n;

	if (!size)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	n = readfile(AT_FDCWD, path, buf, size);
	if (n < 0)
		return (int)n;
	/* the last word's NUL ends the line */
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	return (int)n;
}
