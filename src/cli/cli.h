/*
 * cli.h - the command line: options, their limits, and the exit statuses.
 *
 * cli_parse() never prints and never exits: it fills struct cli_options or
 * returns an error line for main() to print, so every rule is unit-tested.
 */
#ifndef SHMVIZ_SRC_CLI_H
#define SHMVIZ_SRC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

enum cli_action {
	CLI_RUN,       /* run workloads: TUI, or headless with --record */
	CLI_REPLAY,
	CLI_PLOT,
	CLI_HELP,
	CLI_VERSION,
};

/* which runs a native or python session makes, in this order */
#define CLI_RUN_SHARED 0x1
#define CLI_RUN_COPY 0x2
#define CLI_RUN_COW 0x4

enum cli_workload {
	WORKLOAD_NATIVE,
	WORKLOAD_PYTHON,
	WORKLOAD_COMPARE,
	WORKLOAD_COMMAND,  /* -- CMD [ARG]...: one command */
	WORKLOAD_ATTACH,   /* --attach PID: a tree already running */
};

/* Python's start methods (--start-method) */
#define CLI_START_METHODS "fork, spawn, forkserver"

#define CLI_DURATION_MAX 86400.0
#define CLI_REPEAT_MAX 100

#define CLI_WORKERS_MAX 256
#define CLI_ROWS_MAX 1000000000ULL /* 22.4 GiB of records */
#define CLI_INTERVAL_MIN 10
#define CLI_INTERVAL_MAX 10000
#define CLI_HOLD_MAX 3600.0
#define CLI_SPEED_MIN 0.0625    /* replay speed factors */
#define CLI_SPEED_MAX 64.0

struct cli_options {
	enum cli_action action;
	int workers;              /* 0: the number of online CPUs */
	uint64_t rows;
	int interval_ms;
	double hold_s;
	unsigned runs;            /* CLI_RUN_* bits */
	const char *mode;         /* as given: shared, copy, both, cow, all */
	enum cli_workload workload;
	int cow_write_pct;
	double budget_pct;        /* of one core */
	const char *record_path;  /* NULL: interactive */
	bool force;               /* replace a symlink at the record path */
	const char *compare[2];
	const char *labels[2];
	int nlabels;
	const char *replay_path;
	const char *plot_path;
	const char *output_path;
	int width, height;        /* --size for --plot */
	double speed;             /* replay speed factor */
	const char *python;       /* interpreter for --workload python */
	const char *captions;     /* caption file, NULL: the installed one */
	bool ascii;               /* no Unicode graphics */
	char *const *command;     /* after --: the program and its arguments */
	int ncommand;
	int attach_pid;           /* --attach PID, 0: none */
	double duration_s;        /* --duration S for --attach, 0: none */
	const char *start_method; /* --start-method for --workload python,
	                             NULL: spawn */
	int repeat;               /* --repeat N: rounds, 1..CLI_REPEAT_MAX */
	const char *theme;        /* --theme: dark, light or auto (default) */
	bool quiet;               /* -q: no summary, no progress line */
	bool lesson;              /* --lesson: wait at each phase boundary */
	bool headless;            /* --headless: --record without the TUI even
	                             on a terminal */
	const char *export_csv;   /* --export-csv OUT, NULL: none */
	const char *export_trace; /* --export-trace OUT */
	bool mappings;            /* --mappings: groups of smaps mappings in
	                             the recording; --plot's bar charts */
	bool recover;             /* --recover: a recording cut short */
};

/* Parses argv. Returns true, or false with one line (no newline) in err. */
bool cli_parse(int argc, char **argv, struct cli_options *o, char *err,
	       size_t errlen);

/* Parses a count with an optional k/M/G suffix (10^3, 10^6, 10^9) and an
 * optional fraction before it ("2M", "1.5M", "250k", "10000000").
 * Returns false for empty, negative, garbage, overflow. */
bool cli_parse_count(const char *s, uint64_t *out);

/* Parses a whole number in [min, max]; false otherwise. */
bool cli_parse_int(const char *s, long min, long max, long *out);

/* Parses a decimal number in [min, max]; false otherwise. */
bool cli_parse_double(const char *s, double min, double max, double *out);

/* The sampling interval after + (faster: shorter) or - from ms, on the
 * ladder 10, 20, 50, 100, 200, 500 ms, 1, 2, 5, 10 s: the next step below
 * or above ms (an ms between two steps goes to the nearer one in that
 * direction), ms itself at either end. */
int cli_interval_step(int ms, bool faster);

/* The --help text. */
const char *cli_usage(void);

#endif
