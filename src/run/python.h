/*
 * python.h - the interpreter of --workload python: which one, and whether
 * it can run the experiment (Python 3.8 or later for
 * multiprocessing.shared_memory, and numpy). Checked before any run
 * starts, so a missing piece is one line and exit 4, not a failed run.
 */
#ifndef SHMVIZ_SRC_PYTHON_H
#define SHMVIZ_SRC_PYTHON_H

#if !defined(SHMVIZ_USES_RUN) && !defined(SHMVIZ_USES_ALL)
#error "src/run/ is not a layer this library may use (docs/architecture.md, Layers)"
/* The check of --workload prefork, whose first two runs need no numpy:
 * a Python 3.8 or later that cannot import numpy passes with *numpy
 * false. */
int python_check_prefork(const char *py, bool *numpy, char *err,
			 size_t errlen);

#endif

#include <stdbool.h>
#include <stddef.h>

/* The default when nothing names an interpreter (Debian's python3, whose
 * numpy is the python3-numpy package). */
#define PYTHON_DEFAULT "/usr/bin/python3"

/* Chooses the interpreter: opt (--python) when given, else
 * $SHMVIZ_PYTHON, else PYTHON_DEFAULT when it exists, else python3 on
 * PATH. Writes its path to out. Returns 0, or EXIT_ENVIRONMENT with one
 * line in err naming what is missing and the package that brings it. */
int python_find(const char *opt, char *out, size_t size, char *err,
		size_t errlen);

/* Runs py once to check its version and that it imports numpy. Returns 0,
 * or EXIT_ENVIRONMENT with one line in err (e.g. "... cannot import numpy
 * (install python3-numpy ...)"). */
int python_check(const char *py, char *err, size_t errlen);

/* The same, and the interpreter's default start method of multiprocessing
 * ("fork", "spawn", "forkserver"; "" when the check did not say) in
 * method. */
int python_check_method(const char *py, char *method, size_t msize, char *err,
			size_t errlen);

/* The check of --workload prefork, whose first two runs need no numpy:
 * a Python 3.8 or later that cannot import numpy passes with *numpy
 * false. */
int python_check_prefork(const char *py, bool *numpy, char *err,
			 size_t errlen);

#endif
