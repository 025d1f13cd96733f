/*
 * outpath.h - what shmviz checks of a path it will write by replacing it
 * (the --record file, the --plot picture) before doing any work.
 *
 * Such a file is written beside its target and renamed over it, so the
 * target must be something a rename may replace: nothing yet, a regular
 * file, or (only when the user says so, --force) a symlink, which is
 * replaced, never followed. Anything else that exists there (a directory,
 * a FIFO, a device node such as /dev/null, a socket) is refused: a rename
 * would put a regular file in place of a machine's /dev/null, and a reader
 * waiting on a FIFO would get nothing. `--record -` streams to standard
 * output for the cases where a stream is what is wanted.
 *
 * What would only fail at the end, after the whole run, is refused up
 * front too: a path ending in '/', a name longer than NAME_MAX, a file of
 * another user in a sticky directory (rename(2) gets EPERM).
 */
#ifndef SHMVIZ_SRC_OUTPATH_H
#define SHMVIZ_SRC_OUTPATH_H

#if !defined(SHMVIZ_USES_UTIL) && !defined(SHMVIZ_USES_ALL)
#error "src/util/ is not a layer this library may use (docs/architecture.md, Layers)"
/* A temporary file to write beside a target in dir: O_TMPFILE where the
 * file system has it (no name, *tmp NULL: nothing is left even by a
 * SIGKILL), else ".BASE.XXXXXX" (mode 0600, O_EXCL), its name in *tmp (to
 * free). Returns the fd (write-only, close-on-exec), or -1 with errno. */
int outpath_temp(const char *dir, const char *base, char **tmp);

/* Gives an O_TMPFILE file fd a fresh name ".BASE.<12 hex digits>" in dir
 * (linkat never replaces: a name someone else made is never taken), in
 * *tmp (to free). Returns 0 or an errno. */
int outpath_temp_name(int fd, const char *dir, const char *base, char **tmp);

#endif

#include <stdbool.h>
#include <stddef.h>

/* The longest a path is shown in an error line (its middle elided), so
 * that the reason after it always fits. */
#define OUTPATH_SHOWN_MAX 200

/* Returns 0 when path may be replaced, or EXIT_USAGE with one line in err
 * ("<verb> <path>: <reason> (<hint>)"; the path sanitised; hint may be
 * NULL). force: a symlink at path may be replaced. */
int outpath_check(const char *path, bool force, const char *verb,
		  const char *hint, char *err, size_t errlen);

/* Whether a and b name the same file, however each is spelt (out.dat and
 * ./out.dat, a symlink, a hard link): the same device and inode when both
 * exist (followed, or as they are), else the same directory (resolved)
 * and name. Exports may not overwrite the recording or each other. */
bool outpath_same(const char *a, const char *b);

/* The mode of a file shmviz writes: what creat(2) would give under the
 * umask (0666 less its bits), and no more readable than source when it is
 * given (an export or a picture is as private as its recording: a
 * recording of 0600 makes exports of 0600). */
unsigned outpath_mode(const char *source);

/* What kind of file st_mode is, for a message: "a FIFO", "a character
 * device", ... */
const char *outpath_kind(unsigned mode);

/* A temporary file to write beside a target in dir: O_TMPFILE where the
 * file system has it (no name, *tmp NULL: nothing is left even by a
 * SIGKILL), else ".BASE.XXXXXX" (mode 0600, O_EXCL), its name in *tmp (to
 * free). Returns the fd (write-only, close-on-exec), or -1 with errno. */
int outpath_temp(const char *dir, const char *base, char **tmp);

/* Gives an O_TMPFILE file fd a fresh name ".BASE.<12 hex digits>" in dir
 * (linkat never replaces: a name someone else made is never taken), in
 * *tmp (to free). Returns 0 or an errno. */
int outpath_temp_name(int fd, const char *dir, const char *base, char **tmp);

#endif
