/*
 * command.c - program lookup the way execvp(3) does it (see command.h):
 * each directory of PATH in order (an empty entry is the current
 * directory), the first regular file with execute permission wins; a
 * match without permission makes the failure EACCES (126), as in execvp.
 */
#include "src/run/command.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/util/exits.h"

/* 0 when path is a runnable file, else 126 or 127 with why */
static int check_file(const char *path, const char **why)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		*why = errno == EACCES ? "cannot be reached (permission denied)" :
		       "no such file";
		return errno == EACCES ? EXIT_NOT_EXECUTABLE : EXIT_NOT_FOUND;
	}
	if (S_ISDIR(st.st_mode)) {
		*why = "is a directory";
		return EXIT_NOT_EXECUTABLE;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0) {
		*why = "is not executable";
		return EXIT_NOT_EXECUTABLE;
	}
	return 0;
}

int command_resolve(const char *prog, char *out, size_t size, char *err,
		    size_t errlen)
{
	char defpath[256];
	const char *path = getenv("PATH"), *why = NULL, *p;
	bool denied = false;
	int rc;

	if (!*prog) {
		snprintf(err, errlen, "the program name is empty");
		return EXIT_NOT_FOUND;
	}
	if (strchr(prog, '/')) {
		rc = check_file(prog, &why);
		if (rc) {
			snprintf(err, errlen, "%s", why);
			return rc;
		}
		if (snprintf(out, size, "%s", prog) >= (int)size) {
			snprintf(err, errlen, "the path is too long");
			return EXIT_NOT_FOUND;
		}
		return 0;
	}
	if (!path) {
		/* what execvp uses without PATH */
		if (confstr(_CS_PATH, defpath, sizeof(defpath)) == 0)
			snprintf(defpath, sizeof(defpath), "/bin:/usr/bin");
		path = defpath;
	}
	for (p = path;; ) {
		const char *colon = strchr(p, ':');
		size_t dlen = colon ? (size_t)(colon - p) : strlen(p);
		char cand[4096];
		int n;

		if (dlen == 0)
			n = snprintf(cand, sizeof(cand), "%s", prog);
		else
			n = snprintf(cand, sizeof(cand), "%.*s/%s", (int)dlen, p, prog);
		if (n > 0 && (size_t)n < sizeof(cand)) {
			rc = check_file(cand, &why);
			if (rc == 0) {
				if ((size_t)n >= size) {
					snprintf(err, errlen, "the path is too long");
					return EXIT_NOT_FOUND;
				}
				memcpy(out, cand, (size_t)n + 1);
				return 0;
			}
			if (rc == EXIT_NOT_EXECUTABLE)
				denied = true;
		}
		if (!colon)
			break;
		p = colon + 1;
	}
	if (denied) {
		snprintf(err, errlen, "is not executable (found in PATH without execute permission)");
		return EXIT_NOT_EXECUTABLE;
	}
	snprintf(err, errlen, "not found in PATH");
	return EXIT_NOT_FOUND;
}
