/*
 * exits.h - shmviz's exit statuses, one list for every layer that ends the
 * program with one (documented in --help, README and the man page).
 */
#ifndef SHMVIZ_UTIL_EXITS_H
#define SHMVIZ_UTIL_EXITS_H

#if !defined(SHMVIZ_USES_UTIL) && !defined(SHMVIZ_USES_ALL)
#error "src/util/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

/* Exit statuses (documented in --help, README and the man page). */
enum exit_status {
	EXIT_OK = 0,
	EXIT_RUN_FAILED = 1,   /* a workload failed: wrong sum, dead worker */
	EXIT_USAGE = 2,        /* bad command line, unwritable record path */
	EXIT_BAD_RECORDING = 3,/* --replay/--plot file unreadable or invalid */
	EXIT_ENVIRONMENT = 4,  /* no /proc, /dev/shm too small, not enough
	                          memory, no terminal, python3/numpy missing */
	EXIT_NOT_EXECUTABLE = 126, /* --compare: program found, not runnable */
	EXIT_NOT_FOUND = 127,  /* --compare: program not found */
	/* with -- CMD: the command's own exit status, 128+N when signal N
	 * killed it */
	/* 128 + signal when interrupted: 129 SIGHUP, 130 SIGINT, 143 SIGTERM */
};

#endif
