/*
 * cli.c - getopt_long parsing with limits; see cli.h.
 *
 * Every value is checked whole: "4x", "", "-1", "1e3", out-of-range and
 * overflowing numbers are refused with one line naming the option. An
 * option given twice is refused too, rather than silently taking the last.
 */
#include "src/cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/util/macros.h"
#include "src/util/outpath.h"
#include "src/util/parse.h"
#include "src/util/text.h"

enum long_only {
	OPT_HOLD = 0x100,
	OPT_MODE,
	OPT_RECORD,
	OPT_FORCE,
	OPT_BUDGET,
	OPT_WORKLOAD,
	OPT_COW_WRITE,
	OPT_COMPARE,
	OPT_LABEL,
	OPT_REPLAY,
	OPT_PLOT,
	OPT_SIZE,
	OPT_SPEED,
	OPT_PYTHON,
	OPT_CAPTIONS,
	OPT_ASCII,
	OPT_ATTACH,
	OPT_DURATION,
	OPT_START_METHOD,
	OPT_REPEAT,
	OPT_THEME,
	OPT_HEADLESS,
	OPT_SHOW_OUTPUT,
	OPT_EXPORT_CSV,
	OPT_EXPORT_TRACE,
	OPT_MAPPINGS,
	OPT_RECOVER,
	OPT_LESSON,
	OPT_PROJECT,
	OPT_LAST,
};

static const struct option long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "workers", required_argument, NULL, 'w' },
	{ "rows", required_argument, NULL, 'n' },
	{ "interval", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "budget", required_argument, NULL, OPT_BUDGET },
	{ "workload", required_argument, NULL, OPT_WORKLOAD },
	{ "cow-write", required_argument, NULL, OPT_COW_WRITE },
	{ "compare", required_argument, NULL, OPT_COMPARE },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "speed", required_argument, NULL, OPT_SPEED },
	{ "python", required_argument, NULL, OPT_PYTHON },
	{ "captions", required_argument, NULL, OPT_CAPTIONS },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "attach", required_argument, NULL, OPT_ATTACH },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "start-method", required_argument, NULL, OPT_START_METHOD },
	{ "repeat", required_argument, NULL, OPT_REPEAT },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "quiet", no_argument, NULL, 'q' },
	{ "headless", no_argument, NULL, OPT_HEADLESS },
	{ "show-output", no_argument, NULL, OPT_SHOW_OUTPUT },
	{ "export-csv", required_argument, NULL, OPT_EXPORT_CSV },
	{ "export-trace", required_argument, NULL, OPT_EXPORT_TRACE },
	{ "mappings", no_argument, NULL, OPT_MAPPINGS },
	{ "recover", no_argument, NULL, OPT_RECOVER },
	{ "lesson", no_argument, NULL, OPT_LESSON },
	{ "project", required_argument, NULL, OPT_PROJECT },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
"Usage: shmviz [OPTION]...                    run the workloads in the TUI\n"
"       shmviz [OPTION]... -- CMD [ARG]...    run one command, show its tree\n"
"       shmviz [OPTION]... --attach PID       watch a running tree, read-only\n"
"       shmviz --record FILE [OPTION]...      record: the TUI on a terminal,\n"
"                                             else headless; writes JSON\n"
"       shmviz --replay FILE                  replay a recording in the TUI\n"
"       shmviz --plot FILE -o OUT.svg|OUT.png picture of a recording\n"
"       shmviz --replay FILE --export-csv|--export-trace OUT\n"
"                                             export a recording, no TUI\n"
"\n"
"Shows why shared memory beats copying: runs a workload that hands a table\n"
"to worker processes through one POSIX shared-memory segment, then one that\n"
"copies it into every worker, samples every process of each tree from\n"
"/proc/PID/smaps_rollup, and draws RSS (what top says) against PSS (the\n"
"true footprint) on one scale.\n"
"\n"
"Workloads:\n"
"  --workload native     the experiment in C (default): a table of 24-byte\n"
"                        records handed to workers through POSIX shm\n"
"                        (shared), a pipe to each (copy), or fork (cow)\n"
"  --workload python     the original Python experiment: numpy, a\n"
"                        ProcessPoolExecutor, multiprocessing.shared_memory\n"
"                        (shared) or the table pickled into each worker\n"
"                        (copy: about 6 s a million rows a worker);\n"
"                        needs python3 and python3-numpy\n"
"  --workload prefork    data loaded once, read by fork workers: -n str\n"
"                        objects (2M) in a list (fork), the same after\n"
"                        gc.freeze() (frozen), as one numpy array (numpy),\n"
"                        in shared memory (shm); workers read for\n"
"                        --duration S (4), then hold; needs python3\n"
"                        (numpy for the last two runs)\n"
"  --compare 'CMD A' 'CMD B'\n"
"                        any two commands, one after the other, each with\n"
"                        its whole process tree; split into words by\n"
"                        shmviz ('...' and \"...\" and backslashes as in sh;\n"
"                        no $, globs, pipes or redirections: write\n"
"                        sh -c '...' for those), run with execvp, stdin\n"
"                        from /dev/null, output to a log file (its path is\n"
"                        in the summary)\n"
"  --label NAME          name of a --compare run instead of A, B (once\n"
"                        for A, which may then not be called B; twice\n"
"                        for A and B)\n"
"  -- CMD [ARG]...       one command (argv as given, no shell), its whole\n"
"                        tree in one pane; shmviz exits with its exit\n"
"                        status (128+N when signal N killed it)\n"
"  --attach PID          watch the tree of a running process without\n"
"                        touching it (no signal, no ptrace): new\n"
"                        descendants join, those that end leave; ends\n"
"                        when PID exits, on q, SIGINT or SIGTERM (the\n"
"                        tree runs on). Another user's processes need\n"
"                        root or CAP_SYS_PTRACE, else they show as\n"
"                        unreadable (a recording of them is 0600). PID\n"
"                        is a process, not a thread\n"
"  --duration S          end --attach after S seconds (0.1..86400); with\n"
"                        --workload prefork: how long its workers read\n"
"  Any program can put phases on the timeline: it writes lines such as\n"
"  'phase NAME' to the descriptor in $SHMVIZ_PHASE_FD (docs/protocol.md).\n"
"\n";

/* in two parts: ISO C compilers need only take 4095 bytes a literal */
static const char usage_text2[] =
"Runs:\n"
"  --mode MODE           shared, copy, both (default: shared then copy),\n"
"                        cow (fork copy-on-write), all (shared, copy, cow)\n"
"  -w, --workers N       worker processes, 1..256 (default: online CPUs)\n"
"  -n, --rows N          records of 24 bytes, a count: k, M, G = 10^3, 10^6,\n"
"                        10^9 (default 10M: 229 MiB; sizes shown are binary)\n"
"      --hold S          seconds workers keep the data after computing (1),\n"
"                        longer until sampled (5 s at most)\n"
"      --cow-write PCT   share of pages each cow worker writes, 0..100 (0)\n"
"      --repeat N        N rounds, 1..100, the order of the runs alternating\n"
"                        each round: wall time, CPU time and peak \xce\xa3PSS\n"
"                        as median, min and max, a warning when they\n"
"                        vary more than 1.5x (with the workloads,\n"
"                        --compare and --)\n"
"      --python PATH     interpreter for --workload python (default:\n"
"                        $SHMVIZ_PYTHON, else /usr/bin/python3, else\n"
"                        python3 in PATH); it runs isolated (-I):\n"
"                        PYTHONPATH and the current directory are\n"
"                        not searched\n"
"      --start-method M  start method of --workload python's pool: fork,\n"
"                        spawn (default), forkserver; with --mode all the\n"
"                        copy run is made once with each (shared, copy\n"
"                        fork, copy spawn, copy forkserver)\n"
"\n"
"Sampling:\n"
"  -i, --interval MS     sampling interval, 10..10000 ms (default 100)\n"
"      --budget PCT      CPU budget of the sampler, % of one core (5),\n"
"                        held over every 10 s within one point; PSS reads\n"
"                        are spaced out to stay within it (a sweep of a\n"
"                        large tree spread over ticks; a tree at a new\n"
"                        high or a plateau of its RSS is read at once,\n"
"                        from at most one point of a core more), and\n"
"                        ticks too when a tree of hundreds of processes\n"
"                        makes their counters cost more than three\n"
"                        quarters of it\n"
"\n";

/* the rest of the text: one string literal may hold at most 4095 bytes */
static const char usage_text3[] =
"Output:\n"
"      --record FILE     write the recording to FILE: on a terminal the TUI\n"
"                        shows the session recorded (r is off), the\n"
"                        summary follows; else headless ('-': stdout, the\n"
"                        summary then goes to stderr)\n"
"                        (only a new or regular file: a FIFO or a device\n"
"                        node is refused, exit 2)\n"
"                        (on a terminal's stderr a progress line shows\n"
"                        the run, phase, time and \xce\xa3PSS as they go)\n"
"  -q, --quiet           with --record: no summary, no progress line; the\n"
"                        runs' logs are kept all the same (the recording\n"
"                        names them: runs[].log)\n"
"      --headless        with --record: no TUI, even on a terminal\n"
"      --show-output     with --record, headless: the runs' own output\n"
"                        (stdout and stderr) on shmviz's stderr too, as it\n"
"                        comes and as written; it is still logged (no\n"
"                        progress line then; with a TUI it is only logged)\n"
"      --export-csv OUT  the recording as CSV: one row a process a sample\n"
"      --export-trace OUT  the recording as Chrome trace-event JSON, which\n"
"                        Perfetto (ui.perfetto.dev) opens; both with\n"
"                        --replay FILE (then no TUI), --plot FILE, or\n"
"                        --record FILE (exported once the run is recorded)\n"
"      --recover         --replay, --plot: a recording cut short (a killed\n"
"                        --record - > FILE) is read up to its last sample\n"
"      --force           replace a symlink at the record path, at -o or\n"
"                        at an export's path (one to a FIFO, a device or\n"
"                        a socket, as /dev/stdout, is refused all the same)\n"
"      --project N       with --record: each run's \xce\xa3PSS projected for N\n"
"                        workers (its shared part once + N x a worker's\n"
"                        worst private part), in the summary and the\n"
"                        recording\n"
"      --mappings        with --record: the groups of every process's\n"
"                        /proc/PID/smaps mappings at each phase boundary\n"
"                        and in the hold (a run without phases of its\n"
"                        own: once a second, the last kept); with --plot:\n"
"                        a bar chart of each run's top groups\n"
"  -o, --output OUT      picture for --plot: .svg or .png\n"
"      --size WxH        picture size in pixels (default 1600x900)\n"
"      --speed X         replay speed factor, 0.0625..64 (default 1)\n"
"      --captions FILE   lesson caption file (default: the installed one;\n"
"                        a regular file)\n"
"      --lesson          the TUI stops as each phase ends, its caption on\n"
"                        the screen, until space (live and --replay);\n"
"                        live, p stops and continues the workload\n"
"      --ascii           draw and write the summary with ASCII only\n"
"      --theme THEME     dark, light or auto (default: light when\n"
"                        $COLORFGBG names a light background, else dark;\n"
"                        --plot: light unless dark is given); every colour\n"
"                        has >= 4.5:1 contrast on its background\n"
"  -h, --help            this text\n"
"  -V, --version         version\n"
"\n";

/* the rest of --help: one literal may not pass 4095 bytes (C99) */
static const char usage_tail[] =
"Exit status: 0 ok; 1 a run failed; 2 usage error (also: no terminal and\n"
"no --record); 3 bad recording; 4 environment (no /proc, /dev/shm or\n"
"memory too small, a terminal curses cannot use, python3 or numpy\n"
"missing); 126/127 a --compare or -- program not executable / not found;\n"
"with -- CMD the command's own status; 128+N stopped by signal N (130\n"
"SIGINT, 143 SIGTERM; 129 SIGHUP, or the TUI's terminal hung up).\n"
"\n"
"Environment: NO_COLOR disables colours; COLORFGBG chooses --theme auto's\n"
"theme; SHMVIZ_PYTHON names the interpreter of --workload python.\n";

const char *cli_usage(void)
{
	static char whole[sizeof(usage_text) + sizeof(usage_text2) + sizeof(usage_text3) +
			  sizeof(usage_tail)];

	if (!whole[0])
		snprintf(whole, sizeof(whole), "%s%s%s%s", usage_text, usage_text2,
			 usage_text3, usage_tail);
	return whole;
}

static bool fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

/* A value of the command line as an error line shows it: valid UTF-8
 * without control characters (a newline would make two lines), at most
 * size - 1 bytes, no character cut in half. */
static const char *shown(char *buf, size_t size, const char *s)
{
	text_sanitize(buf, size, s ? s : "", s ? strlen(s) : 0, false);
	return buf;
}

static bool parse_mode(const char *s, unsigned *runs)
{
	static const struct {
		const char *name;
		unsigned runs;
	} modes[] = {
		{ "shared", CLI_RUN_SHARED },
		{ "copy", CLI_RUN_COPY },
		{ "both", CLI_RUN_SHARED | CLI_RUN_COPY },
		{ "cow", CLI_RUN_COW },
		{ "all", CLI_RUN_SHARED | CLI_RUN_COPY | CLI_RUN_COW },
	};

	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		if (strcmp(s, modes[i].name) == 0) {
			*runs = modes[i].runs;
			return true;
		}
	}
	return false;
}

static bool parse_size(const char *s, int *w, int *h)
{
	char wbuf[16];
	const char *x = strchr(s, 'x');
	long lw, lh;
	size_t n;

	if (!x)
		return false;
	n = (size_t)(x - s);
	if (n == 0 || n >= sizeof(wbuf))
		return false;
	memcpy(wbuf, s, n);
	wbuf[n] = '\0';
	if (!parse_int(wbuf, 200, 8000, &lw) ||
	    !parse_int(x + 1, 150, 8000, &lh))
		return false;
	*w = (int)lw;
	*h = (int)lh;
	return true;
}

static const char *option_name(int c, char *buf, size_t size)
{
	for (const struct option *o = long_options; o->name; o++) {
		if (o->val == c) {
			snprintf(buf, size, "--%s", o->name);
			return buf;
		}
	}
	snprintf(buf, size, "-%c", c);
	return buf;
}

static void set_defaults(struct cli_options *o)
{
	memset(o, 0, sizeof(*o));
	o->action = CLI_RUN;
	o->rows = 10000000ULL;
	o->interval_ms = 100;
	o->hold_s = 1.0;
	o->runs = CLI_RUN_SHARED | CLI_RUN_COPY;
	o->mode = "both";
	o->workload = WORKLOAD_NATIVE;
	o->budget_pct = 5.0;
	o->width = 1600;
	o->height = 900;
	o->speed = 1.0;
	o->repeat = 1;
}

/* Recording, replay, plot, export and the TUI's options: the end of the
 * chain that run_option() begins. */
static bool output_option(int c, const char *val, struct cli_options *o,
			  char *err, size_t errlen)
{
	char name[32];

	switch (c) {
	case 'o':
		if (!*optarg)
			return fail(err, errlen, "--output: the path is empty");
		o->output_path = optarg;
		break;
	case OPT_RECORD:
		if (!*optarg)
			return fail(err, errlen, "--record: the path is empty");
		o->record_path = optarg;
		break;
	case OPT_FORCE:
		o->force = true;
		break;
	case OPT_REPLAY:
		o->replay_path = optarg;
		o->action = CLI_REPLAY;
		break;
	case OPT_PLOT:
		o->plot_path = optarg;
		o->action = CLI_PLOT;
		break;
	case OPT_SIZE:
		if (!parse_size(optarg, &o->width, &o->height))
			return fail(err, errlen, "--size: '%s' is not WIDTHxHEIGHT in pixels (200x150 to 8000x8000)",
				    val);
		break;
	case OPT_SPEED:
		if (!parse_double(optarg, CLI_SPEED_MIN, CLI_SPEED_MAX, &o->speed))
			return fail(err, errlen, "--speed: '%s' is not a factor from 0.0625 to 64",
				    val);
		break;
	case OPT_CAPTIONS:
		if (!*optarg)
			return fail(err, errlen, "--captions: the path is empty");
		o->captions = optarg;
		break;
	case OPT_ASCII:
		o->ascii = true;
		break;
	case 'q':
		o->quiet = true;
		break;
	case OPT_HEADLESS:
		o->headless = true;
		break;
	case OPT_SHOW_OUTPUT:
		o->show_output = true;
		break;
	case OPT_LESSON:
		o->lesson = true;
		break;
	case OPT_THEME:
		if (strcmp(optarg, "dark") && strcmp(optarg, "light") &&
		    strcmp(optarg, "auto"))
			return fail(err, errlen, "--theme: '%s' is not one of dark, light, auto",
				    val);
		o->theme = optarg;
		break;
	case OPT_RECOVER:
		o->recover = true;
		break;
	case OPT_EXPORT_CSV:
	case OPT_EXPORT_TRACE:
		if (!*optarg)
			return fail(err, errlen, "%s: the path is empty",
				    option_name(c, name, sizeof(name)));
		if (c == OPT_EXPORT_CSV)
			o->export_csv = optarg;
		else
			o->export_trace = optarg;
		break;
	case OPT_MAPPINGS:
		o->mappings = true;
		break;
	default:
		return fail(err, errlen, "unknown option (see --help)");
	}
	return true;
}

/* What runs: --workload, --compare, --attach and their own options; any
 * other option goes on to output_option(). */
static bool workload_option(int c, const char *val, int argc, char **argv,
			    struct cli_options *o, char *err, size_t errlen)
{
	long v;

	switch (c) {
	case OPT_WORKLOAD:
		if (strcmp(optarg, "native") == 0)
			o->workload = WORKLOAD_NATIVE;
		else if (strcmp(optarg, "python") == 0)
			o->workload = WORKLOAD_PYTHON;
		else if (strcmp(optarg, "prefork") == 0)
			o->workload = WORKLOAD_PREFORK;
		else
			return fail(err, errlen, "--workload: '%s' is not one of native, python, prefork",
				    val);
		break;
	case OPT_COMPARE:
		if (optind >= argc)
			return fail(err, errlen, "--compare needs two commands: --compare 'CMD A' 'CMD B'");
		o->compare[0] = optarg;
		o->compare[1] = argv[optind++];
		if (!*o->compare[0] || !*o->compare[1])
			return fail(err, errlen, "--compare: a command is empty");
		o->workload = WORKLOAD_COMPARE;
		break;
	case OPT_LABEL:
		if (o->nlabels == 2)
			return fail(err, errlen, "--label given more than twice (one per --compare command)");
		if (!*optarg || strlen(optarg) >= 24 ||
		    !text_is_clean(optarg, strlen(optarg)))
			return fail(err, errlen, "--label: a label must be 1 to 23 bytes of printable text");
		o->labels[o->nlabels++] = optarg;
		break;
	case OPT_PYTHON:
		if (!*optarg)
			return fail(err, errlen, "--python: the path is empty");
		o->python = optarg;
		break;
	case OPT_ATTACH:
		if (!parse_int(optarg, 1, 0x7fffffff, &v))
			return fail(err, errlen, "--attach: '%s' is not a process id",
				    val);
		o->attach_pid = (int)v;
		o->workload = WORKLOAD_ATTACH;
		break;
	case OPT_DURATION:
		if (!parse_double(optarg, 0.1, CLI_DURATION_MAX, &o->duration_s))
			return fail(err, errlen, "--duration: '%s' is not a number of seconds from 0.1 to %.0f",
				    val, CLI_DURATION_MAX);
		break;
	case OPT_START_METHOD:
		if (strcmp(optarg, "fork") != 0 && strcmp(optarg, "spawn") != 0 &&
		    strcmp(optarg, "forkserver") != 0)
			return fail(err, errlen, "--start-method: '%s' is not one of " CLI_START_METHODS,
				    val);
		o->start_method = optarg;
		break;
	default:
		return output_option(c, val, o, err, errlen);
	}
	return true;
}

/* -w, -n, -i and the other figures of a run; any other option goes on to
 * workload_option(). */
static bool run_option(int c, const char *val, int argc, char **argv,
		       struct cli_options *o, char *err, size_t errlen)
{
	long v;

	switch (c) {
	case 'w':
		if (!parse_int(optarg, 1, CLI_WORKERS_MAX, &v))
			return fail(err, errlen, "--workers: '%s' is not a whole number from 1 to %d",
				    val, CLI_WORKERS_MAX);
		o->workers = (int)v;
		break;
	case 'n':
		if (!parse_count(optarg, &o->rows) || o->rows == 0 ||
		    o->rows > CLI_ROWS_MAX)
			return fail(err, errlen, "--rows: '%s' is not a count from 1 to 1G (suffixes k, M, G)",
				    val);
		break;
	case 'i':
		if (!parse_int(optarg, CLI_INTERVAL_MIN, CLI_INTERVAL_MAX, &v))
			return fail(err, errlen, "--interval: '%s' is not a whole number of milliseconds from %d to %d",
				    val, CLI_INTERVAL_MIN, CLI_INTERVAL_MAX);
		o->interval_ms = (int)v;
		break;
	case OPT_HOLD:
		if (!parse_double(optarg, 0, CLI_HOLD_MAX, &o->hold_s))
			return fail(err, errlen, "--hold: '%s' is not a number of seconds from 0 to %.0f",
				    val, CLI_HOLD_MAX);
		break;
	case OPT_MODE:
		if (!parse_mode(optarg, &o->runs))
			return fail(err, errlen, "--mode: '%s' is not one of shared, copy, both, cow, all",
				    val);
		o->mode = optarg;
		break;
	case OPT_BUDGET:
		if (!parse_double(optarg, 0.1, 100, &o->budget_pct))
			return fail(err, errlen, "--budget: '%s' is not a percentage from 0.1 to 100",
				    val);
		break;
	case OPT_COW_WRITE:
		if (!parse_int(optarg, 0, 100, &v))
			return fail(err, errlen, "--cow-write: '%s' is not a whole percentage from 0 to 100",
				    val);
		o->cow_write_pct = (int)v;
		break;
	case OPT_PROJECT:
		if (!parse_int(optarg, 1, CLI_PROJECT_MAX, &v))
			return fail(err, errlen, "--project: '%s' is not a whole number of workers from 1 to %d",
				    val, CLI_PROJECT_MAX);
		o->project = (int)v;
		break;
	case OPT_REPEAT:
		if (!parse_int(optarg, 1, CLI_REPEAT_MAX, &v))
			return fail(err, errlen, "--repeat: '%s' is not a whole number from 1 to %d",
				    val, CLI_REPEAT_MAX);
		o->repeat = (int)v;
		break;
	default:
		return workload_option(c, val, argc, argv, o, err, errlen);
	}
	return true;
}

/* What follows the options: a command after "--", else nothing. */
static bool take_command(int argc, char **argv, int end_of_option,
			 struct cli_options *o, char *err, size_t errlen)
{
	char val[160];

	/* "--" that ended the options (not the value of one) */
	if (optind >= 2 && optind - 1 == end_of_option &&
	    strcmp(argv[optind - 1], "--") == 0) {
		if (optind >= argc)
			return fail(err, errlen, "--: no command after it (shmviz [OPTION]... -- CMD [ARG]...)");
		if (!*argv[optind])
			return fail(err, errlen, "--: the command is empty");
		o->command = argv + optind;
		o->ncommand = argc - optind;
		optind = argc;
	}
	if (optind < argc)
		return fail(err, errlen, "unexpected argument '%s' (see --help)",
			    shown(val, sizeof(val), argv[optind]));
	return true;
}

/* --replay and --plot against the options of a run; --quiet and
 * --headless against --record. */
static bool check_recording_options(const struct cli_options *o,
				    const unsigned char *seen, char *err,
				    size_t errlen)
{
	char name[32];

	if (o->replay_path && o->plot_path)
		return fail(err, errlen, "--replay and --plot cannot be used together");
	if ((o->replay_path || o->plot_path) && o->record_path)
		return fail(err, errlen, "--record cannot be used with --%s",
			    o->replay_path ? "replay" : "plot");
	/* options of a run do nothing to a recording: refused, not ignored */
	if (o->action == CLI_PLOT || o->action == CLI_REPLAY) {
		static const int run_only[] = {
			'w', 'n', 'i', OPT_HOLD, OPT_MODE, OPT_BUDGET, OPT_WORKLOAD,
			OPT_COW_WRITE, OPT_COMPARE, OPT_PYTHON, OPT_ATTACH,
			OPT_DURATION, OPT_START_METHOD, OPT_REPEAT, OPT_PROJECT,
		};
		const char *act = o->action == CLI_PLOT ? "plot" : "replay";

		for (size_t i = 0; i < ARRAY_SIZE(run_only); i++)
			if (seen[run_only[i]])
				return fail(err, errlen, "%s is not for --%s: it changes a run, not a recording",
					    option_name(run_only[i], name, sizeof(name)), act);
		if (o->nlabels)
			return fail(err, errlen, "--label is not for --%s: it changes a run, not a recording",
				    act);
		if (o->ncommand)
			return fail(err, errlen, "a command after -- is not for --%s: it makes a run, not a recording",
				    act);
		if (o->force && o->action == CLI_REPLAY && !o->export_csv &&
		    !o->export_trace)
			return fail(err, errlen, "--force is not for --replay: it writes nothing");
	}
	if (o->quiet && !o->record_path)
		return fail(err, errlen, "--quiet is only for --record");
	if (o->headless && !o->record_path)
		return fail(err, errlen, "--headless is only for --record");
	if (o->show_output && !o->record_path)
		return fail(err, errlen, "--show-output is only for --record (headless)");
	return true;
}

/* --export-csv and --export-trace: what they read, where they write */
static bool check_export_options(const struct cli_options *o,
				 const unsigned char *seen, char *err,
				 size_t errlen)
{
	if (o->export_csv || o->export_trace) {
		const char *opt = o->export_csv ? "--export-csv" : "--export-trace";
		const char *in = o->replay_path ? o->replay_path :
				 o->plot_path ? o->plot_path : o->record_path;

		if (o->action == CLI_RUN && !o->record_path)
			return fail(err, errlen, "%s needs a recording: --replay FILE, --plot FILE, or a run with --record FILE",
				    opt);
		if (o->action == CLI_RUN && strcmp(o->record_path, "-") == 0)
			return fail(err, errlen, "%s needs --record FILE: a recording written to standard output cannot be read again",
				    opt);
		if (o->export_csv && o->export_trace &&
		    outpath_same(o->export_csv, o->export_trace))
			return fail(err, errlen, "--export-csv and --export-trace name the same file");
		for (int k = 0; k < 2; k++) {
			const char *p = k ? o->export_trace : o->export_csv;

			if (p && strcmp(p, "-") == 0)
				return fail(err, errlen, "%s -: an export is written to a file, not to standard output (name one: ./- if need be)",
					    k ? "--export-trace" : "--export-csv");
			/* the same file however it is named (./r.json, a
			 * link): an export must not replace the recording it
			 * reads or the picture */
			if (p && ((in && strcmp(in, "-") != 0 && outpath_same(p, in)) ||
				  (o->output_path && outpath_same(p, o->output_path))))
				return fail(err, errlen, "%s names the same file as the recording or the picture",
					    k ? "--export-trace" : "--export-csv");
		}
		if (seen[OPT_SPEED])
			return fail(err, errlen, "--speed is not for an export: --replay with an export shows nothing");
		if (o->lesson && o->action == CLI_REPLAY)
			return fail(err, errlen, "--lesson is not for an export: --replay with an export shows nothing");
	}
	return true;
}

/* --recover, --lesson, --force, --mappings, -o and --size */
static bool check_output_options(const struct cli_options *o,
				 const unsigned char *seen, char *err,
				 size_t errlen)
{
	char val[160];

	if (o->recover && o->action == CLI_RUN)
		return fail(err, errlen, "--recover is only for --replay and --plot");
	if (o->lesson && (o->action == CLI_PLOT || o->headless ||
			  (o->record_path && !strcmp(o->record_path, "-"))))
		return fail(err, errlen, "--lesson is for the TUI: a run on a terminal or --replay");
	/* --lesson stops the tree at each boundary (SIGSTOP): an attached
	 * tree is never signalled */
	if (o->lesson && o->workload == WORKLOAD_ATTACH)
		return fail(err, errlen, "--lesson is not for --attach: it would stop the tree, which --attach never signals");
	if (o->action == CLI_RUN && o->force && !o->record_path)
		return fail(err, errlen, "--force is only for --record and --plot");
	if (o->mappings && !(o->action == CLI_RUN && o->record_path) &&
	    o->action != CLI_PLOT)
		return fail(err, errlen, "--mappings is only for --record and --plot");
	if (o->action == CLI_PLOT && !o->output_path)
		return fail(err, errlen, "--plot needs an output: -o OUT.svg or -o OUT.png");
	if (o->action != CLI_PLOT && (o->output_path || seen[OPT_SIZE]))
		return fail(err, errlen, "%s is only for --plot",
			    o->output_path ? "--output" : "--size");
	if (o->output_path) {
		const char *dot = strrchr(o->output_path, '.');

		if (!dot || (strcasecmp(dot, ".svg") != 0 && strcasecmp(dot, ".png") != 0))
			return fail(err, errlen, "--output: '%s' must end in .svg or .png",
				    shown(val, sizeof(val), o->output_path));
		if (o->plot_path && outpath_same(o->plot_path, o->output_path))
			return fail(err, errlen, "--output names the same file as the recording");
	}
	return true;
}

/* The workloads against each other and their own options; a command
 * after -- or --attach sets o->workload here. */
static bool check_workload_options(struct cli_options *o,
				   const unsigned char *seen, char *err,
				   size_t errlen)
{
	char name[32];

	/* seen[], not o->workload: a --workload after --compare overrides it */
	if (o->nlabels && !seen[OPT_COMPARE])
		return fail(err, errlen, "--label is only for --compare");
	if (seen[OPT_COMPARE] && seen[OPT_WORKLOAD])
		return fail(err, errlen, "--compare and --workload cannot be used together");
	if (seen[OPT_COMPARE] && seen[OPT_MODE])
		return fail(err, errlen, "--compare and --mode cannot be used together");
	if (o->workload == WORKLOAD_COMPARE &&
	    (seen['w'] || seen['n'] || seen[OPT_HOLD]))
		return fail(err, errlen, "%s is not for --compare: the commands do their own work",
			    seen['w'] ? "--workers" : seen['n'] ? "--rows" : "--hold");
	if (seen[OPT_COW_WRITE] && !(o->runs & CLI_RUN_COW))
		return fail(err, errlen, "--cow-write needs --mode cow or --mode all");
	if (o->workload == WORKLOAD_PYTHON && o->runs == CLI_RUN_COW)
		return fail(err, errlen, "--workload python has no cow mode (use shared, copy, both, or all: the copy run with each start method)");
	if (o->python && o->workload != WORKLOAD_PYTHON &&
	    o->workload != WORKLOAD_PREFORK)
		return fail(err, errlen, "--python is only for --workload python and prefork");
	if (o->workload == WORKLOAD_PREFORK) {
		if (seen[OPT_MODE])
			return fail(err, errlen, "--mode is not for --workload prefork: it runs fork, frozen, numpy and shm");
		if (!seen['n'])
			o->rows = CLI_PREFORK_OBJECTS;
		if (!seen[OPT_DURATION])
			o->duration_s = CLI_PREFORK_READ_S;
	}
	if (o->ncommand || seen[OPT_ATTACH]) {
		const char *what = o->ncommand ? "a command after --" : "--attach";
		static const int own_work[] = {
			OPT_COMPARE, OPT_WORKLOAD, OPT_MODE, 'w', 'n', OPT_HOLD,
			OPT_LABEL, OPT_ATTACH,
		};

		for (size_t i = 0; i < ARRAY_SIZE(own_work); i++) {
			bool given = own_work[i] == OPT_LABEL ? o->nlabels > 0 :
				     seen[own_work[i]] != 0;

			/* --attach is refused only beside a command */
			if (!given || (own_work[i] == OPT_ATTACH && !o->ncommand))
				continue;
			return fail(err, errlen, "%s cannot be used with %s",
				    option_name(own_work[i], name, sizeof(name)), what);
		}
		o->workload = o->ncommand ? WORKLOAD_COMMAND : WORKLOAD_ATTACH;
	}
	if (seen[OPT_REPEAT] && o->workload == WORKLOAD_ATTACH)
		return fail(err, errlen, "--repeat is not for --attach: a running tree runs once");
	if (seen[OPT_DURATION] && !seen[OPT_ATTACH] &&
	    o->workload != WORKLOAD_PREFORK)
		return fail(err, errlen, "--duration is only for --attach and --workload prefork");
	if (o->project && !o->record_path)
		return fail(err, errlen, "--project needs --record: the projection goes into the summary and the recording");
	if (o->start_method && o->workload != WORKLOAD_PYTHON)
		return fail(err, errlen, "--start-method is only for --workload python");
	return true;
}

/* The checks across options, once every option is read. */
static bool check_combinations(struct cli_options *o, const unsigned char *seen,
			       char *err, size_t errlen)
{
	if (!check_recording_options(o, seen, err, errlen) ||
	    !check_export_options(o, seen, err, errlen) ||
	    !check_output_options(o, seen, err, errlen) ||
	    !check_workload_options(o, seen, err, errlen))
		return false;
	if (seen[OPT_SPEED] && o->action != CLI_REPLAY)
		return fail(err, errlen, "--speed is only for --replay");
	return true;
}

bool cli_parse(int argc, char **argv, struct cli_options *o, char *err,
	       size_t errlen)
{
	unsigned char seen[OPT_LAST] = { 0 };
	char name[32], val[160];
	int end_of_option = 1; /* where the last option ended */

	set_defaults(o);

	optind = 0; /* full re-initialisation, so tests may call this again */
	opterr = 0;
	for (;;) {
		int longindex = -1;
		/* '+': options end at the first word that is none, so that a
		 * command after -- keeps its own options */
		int c = getopt_long(argc, argv, "+:hVqw:n:i:o:", long_options,
				&longindex);
		if (c == -1)
			break;
		if (c == '?') {
			if (optopt > ' ' && optopt < 0x7f)
				return fail(err, errlen, "unknown option '-%c' (see --help)", optopt);
			if (optopt)
				return fail(err, errlen, "unknown option: byte 0x%02x after '-' (see --help)",
					    (unsigned)optopt & 0xffu);
			return fail(err, errlen, "unknown option '%s' (see --help)",
				    shown(val, sizeof(val), argv[optind - 1]));
		}
		if (c == ':') {
			return fail(err, errlen, "option '%s' needs a value",
				    shown(val, sizeof(val), argv[optind - 1]));
		}
		shown(val, sizeof(val), optarg);
		if (c >= 0 && c < OPT_LAST && c != OPT_LABEL) {
			if (seen[c])
				return fail(err, errlen, "option %s given twice",
					    option_name(c, name, sizeof(name)));
			seen[c] = 1;
		}
		switch (c) {
		case 'h':
			o->action = CLI_HELP;
			return true;
		case 'V':
			o->action = CLI_VERSION;
			return true;
		default:
			if (!run_option(c, val, argc, argv, o, err, errlen))
				return false;
		}
		end_of_option = optind; /* --compare takes a word more */
	}
	if (!take_command(argc, argv, end_of_option, o, err, errlen))
		return false;
	return check_combinations(o, seen, err, errlen);
}
