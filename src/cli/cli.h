/*
 * cli.h - the command line: the options (their limits: src/core/limits.h;
 * the exit statuses: src/util/exits.h).
 *
 * cli_parse() never prints and never exits: it fills struct cli_options or
 * returns an error line for main() to print, so every rule is unit-tested.
 */
#ifndef SHMVIZ_SRC_CLI_H
#define SHMVIZ_SRC_CLI_H

#if !defined(SHMVIZ_USES_CLI) && !defined(SHMVIZ_USES_ALL)
#error "src/cli/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/core/limits.h"
#include "src/util/exits.h"


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
	WORKLOAD_PREFORK,  /* Python objects read by fork workers */
};

/* --workload prefork: objects when -n is not given, seconds its workers
 * read when --duration is not given */
#define CLI_PREFORK_OBJECTS 2000000ULL
#define CLI_PREFORK_READ_S 4.0

/* Python's start methods (--start-method) */
#define CLI_START_METHODS "fork, spawn, forkserver"


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
	double duration_s;        /* --duration S for --attach, 0: none; for
	                             --workload prefork the seconds its
	                             workers read */
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
	int project;              /* --project N: ΣPSS projected for N
	                             workers, 0: none */
};

/* Parses argv. Returns true, or false with one line (no newline) in err. */
bool cli_parse(int argc, char **argv, struct cli_options *o, char *err,
	       size_t errlen);

/* The --help text. */
const char *cli_usage(void);

#endif
