/* Unit tests of the command line: defaults, limits, suffixes, refusals. */
#include <stdint.h>

#include "check.h"
#include "src/cli/cli.h"
#include "src/util/macros.h"
#include "src/util/parse.h"

static bool parse_v(struct cli_options *o, char *err, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return cli_parse(argc, argv, o, err, 256);
}

#define PARSE(o, err, ...) \
	parse_v((o), (err), (char *[]){ "shmviz", __VA_ARGS__, NULL })

int main(void)
{
	struct cli_options o;
	char err[256];
	uint64_t n;
	long l;
	double d;

	/* counts with suffixes */
	CHECK(parse_count("10000000", &n) && n == 10000000ULL);
	CHECK(parse_count("2M", &n) && n == 2000000ULL);
	CHECK(parse_count("250k", &n) && n == 250000ULL);
	CHECK(parse_count("1.5M", &n) && n == 1500000ULL);
	CHECK(parse_count("1G", &n) && n == 1000000000ULL);
	CHECK(!parse_count("1.5", &n));
	CHECK(!parse_count("", &n));
	CHECK(!parse_count("-1", &n));
	CHECK(!parse_count("4x", &n));
	CHECK(!parse_count("2MB", &n));
	CHECK(!parse_count("99999999999999999999", &n));
	CHECK(!parse_count("18446744073709551615G", &n));
	/* the fraction must not carry the sum past 2^64 and wrap it into a
	 * small, acceptable count */
	CHECK(!parse_count("18446744073.8G", &n));
	CHECK(!parse_count("18446744073709551.7k", &n));
	CHECK(parse_count("18446744073.709551615G", &n) && n == UINT64_MAX);
	CHECK(!parse_count(" 2", &n));
	CHECK(!parse_count("0x10", &n));
	CHECK(!parse_count(".", &n));

	CHECK(parse_int("42", 1, 256, &l) && l == 42);
	CHECK(!parse_int("0", 1, 256, &l));
	CHECK(!parse_int("257", 1, 256, &l));
	CHECK(!parse_int("4x", 1, 256, &l));
	CHECK(!parse_int("", 1, 256, &l));
	CHECK(!parse_int("+4", 1, 256, &l));
	CHECK(!parse_int("99999999999999999999", 1, 256, &l));
	CHECK(parse_double("0.5", 0, 10, &d) && d == 0.5);
	CHECK(!parse_double("nan", 0, 10, &d));
	CHECK(!parse_double("inf", 0, 10, &d));
	CHECK(!parse_double("1e3", 0, 10000, &d));
	CHECK(!parse_double("-0.5", 0, 10, &d));

	/* defaults */
	CHECK(PARSE(&o, err, "--record", "x.json"));
	CHECK_INT(o.action, CLI_RUN);
	CHECK_INT(o.rows, 10000000);
	CHECK_INT(o.interval_ms, 100);
	CHECK_INT(o.workers, 0);
	CHECK(o.hold_s == 1.0);
	CHECK_INT(o.runs, CLI_RUN_SHARED | CLI_RUN_COPY);
	CHECK(o.budget_pct == 5.0);
	CHECK_STR(o.record_path, "x.json");

	CHECK(PARSE(&o, err, "-w", "4", "-n", "2M", "-i", "50", "--hold", "0.5",
		    "--mode", "copy"));
	CHECK_INT(o.workers, 4);
	CHECK_INT(o.rows, 2000000);
	CHECK_INT(o.interval_ms, 50);
	CHECK(o.hold_s == 0.5);
	CHECK_INT(o.runs, CLI_RUN_COPY);
	CHECK(PARSE(&o, err, "--mode", "all"));
	CHECK_INT(o.runs, CLI_RUN_SHARED | CLI_RUN_COPY | CLI_RUN_COW);
	/* every --mode word, the runs --help gives it */
	CHECK(PARSE(&o, err, "--mode", "shared"));
	CHECK_INT(o.runs, CLI_RUN_SHARED);
	CHECK(PARSE(&o, err, "--mode", "both"));
	CHECK_INT(o.runs, CLI_RUN_SHARED | CLI_RUN_COPY);
	CHECK(PARSE(&o, err, "--mode", "cow"));
	CHECK_INT(o.runs, CLI_RUN_COW);
	CHECK(PARSE(&o, err, "--help"));
	CHECK_INT(o.action, CLI_HELP);
	CHECK(PARSE(&o, err, "-V"));
	CHECK_INT(o.action, CLI_VERSION);

	/* every refusal names the option */
	CHECK(!PARSE(&o, err, "-w", "0"));
	CHECK(strstr(err, "--workers") != NULL);
	CHECK(!PARSE(&o, err, "-w", "257"));
	CHECK(!PARSE(&o, err, "-w", "4x"));
	CHECK(!PARSE(&o, err, "-w", ""));
	CHECK(!PARSE(&o, err, "-w", "-3"));
	CHECK(!PARSE(&o, err, "-n", "99999999999999999999"));
	CHECK(strstr(err, "--rows") != NULL);
	CHECK(!PARSE(&o, err, "-n", "0"));
	CHECK(!PARSE(&o, err, "-n", "2G"));
	CHECK(!PARSE(&o, err, "-i", "9"));
	CHECK(strstr(err, "--interval") != NULL);
	CHECK(!PARSE(&o, err, "-i", "10001"));
	CHECK(!PARSE(&o, err, "--hold", "-1"));
	CHECK(!PARSE(&o, err, "--hold", "3601"));
	CHECK(!PARSE(&o, err, "--mode", "fast"));
	CHECK(strstr(err, "--mode") != NULL);
	CHECK(!PARSE(&o, err, "--budget", "0"));
	CHECK(!PARSE(&o, err, "--budget", "101"));
	CHECK(!PARSE(&o, err, "--bogus"));
	CHECK(strstr(err, "--bogus") != NULL);
	CHECK(!PARSE(&o, err, "-w"));
	CHECK(strstr(err, "needs a value") != NULL);
	CHECK(!PARSE(&o, err, "-w", "2", "-w", "3"));
	CHECK(strstr(err, "twice") != NULL);
	CHECK(!PARSE(&o, err, "--record", ""));
	CHECK(!PARSE(&o, err, "stray"));
	CHECK(strstr(err, "stray") != NULL);
	/* a value shown in the error line keeps it one clean line */
	CHECK(!PARSE(&o, err, "--workers", "1\n2"));
	CHECK_STR(err, "--workers: '1?2' is not a whole number from 1 to 256");
	CHECK(!PARSE(&o, err, "stray\x1b[2J"));
	CHECK_STR(err, "unexpected argument 'stray?[2J' (see --help)");
	CHECK(!PARSE(&o, err, "-\x01"));
	CHECK_STR(err, "unknown option: byte 0x01 after '-' (see --help)");
	CHECK(!PARSE(&o, err, "--plot", "r.json", "-o", "x\xff.gif"));
	CHECK_STR(err, "--output: 'x\xef\xbf\xbd.gif' must end in .svg or .png");
	CHECK(!PARSE(&o, err, "--cow-write", "10"));
	CHECK(PARSE(&o, err, "--mode", "cow", "--cow-write", "10"));
	CHECK_INT(o.cow_write_pct, 10);
	CHECK(!PARSE(&o, err, "--mode", "cow", "--cow-write", "101"));
	CHECK(!PARSE(&o, err, "--plot", "r.json"));
	CHECK(PARSE(&o, err, "--plot", "r.json", "-o", "x.svg"));
	CHECK_INT(o.action, CLI_PLOT);
	CHECK(!PARSE(&o, err, "--plot", "r.json", "-o", "x.gif"));
	/* the extension in any case */
	CHECK(PARSE(&o, err, "--plot", "r.json", "-o", "out.PNG"));
	CHECK(PARSE(&o, err, "--plot", "r.json", "-o", "out.Svg"));
	CHECK(PARSE(&o, err, "--plot", "r.json", "-o", "x.svg", "--theme", "dark"));
	CHECK_STR(o.theme, "dark");
	CHECK(PARSE(&o, err, "--theme", "light"));
	CHECK_STR(o.theme, "light");
	CHECK(PARSE(&o, err, "--replay", "r.json", "--theme", "auto"));
	CHECK(!PARSE(&o, err, "--theme", "white"));
	CHECK_STR(err, "--theme: 'white' is not one of dark, light, auto");
	CHECK(!PARSE(&o, err, "--theme", "dark", "--theme", "light"));
	CHECK(PARSE(&o, err, "--record", "r.json", "-q"));
	CHECK(o.quiet);
	CHECK(PARSE(&o, err, "--quiet", "--record", "-"));
	CHECK(o.quiet);
	CHECK(!PARSE(&o, err, "-q"));
	CHECK_STR(err, "--quiet is only for --record");
	CHECK(!PARSE(&o, err, "--replay", "r.json", "-q"));
	/* + and -: the interval ladder, every step reachable both ways */
	{
		static const int ladder[] = { 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000 };
		const int steps = (int)ARRAY_SIZE(ladder);

		for (int i = 0; i < steps; i++) {
			CHECK_INT(interval_step(ladder[i], true), ladder[i > 0 ? i - 1 : 0]);
			CHECK_INT(interval_step(ladder[i], false),
				  ladder[i < steps - 1 ? i + 1 : steps - 1]);
			/* down and back up: 100 ms is reached again */
			CHECK_INT(interval_step(interval_step(ladder[i], true), false),
				  i > 0 ? ladder[i] : ladder[1]);
		}
		CHECK_INT(interval_step(150, true), 100);
		CHECK_INT(interval_step(150, false), 200);
		CHECK_INT(interval_step(CLI_INTERVAL_MIN, true), CLI_INTERVAL_MIN);
		CHECK_INT(interval_step(CLI_INTERVAL_MAX, false), CLI_INTERVAL_MAX);
	}
	/* options of a run do nothing to a recording: refused */
	CHECK(!PARSE(&o, err, "--plot", "r.json", "-o", "x.svg", "-w", "2"));
	CHECK_STR(err, "--workers is not for --plot: it changes a run, not a recording");
	CHECK(!PARSE(&o, err, "--plot", "r.json", "-o", "x.svg", "--mode", "copy"));
	CHECK(!PARSE(&o, err, "--plot", "r.json", "-o", "x.svg", "-i", "50"));
	CHECK_STR(err, "--interval is not for --plot: it changes a run, not a recording");
	CHECK(!PARSE(&o, err, "--plot", "r.json", "-o", "x.svg", "--budget", "3"));
	CHECK(!PARSE(&o, err, "--plot", "r.json", "-o", "x.svg", "--hold", "1"));
	CHECK(!PARSE(&o, err, "--replay", "r.json", "-n", "1k"));
	CHECK_STR(err, "--rows is not for --replay: it changes a run, not a recording");
	CHECK(!PARSE(&o, err, "--replay", "r.json", "--force"));
	CHECK(PARSE(&o, err, "--plot", "r.json", "-o", "x.svg", "--force"));
	CHECK(!PARSE(&o, err, "--force", "-n", "1k"));
	CHECK(!PARSE(&o, err, "--replay", "r.json", "--record", "x"));
	CHECK(PARSE(&o, err, "--compare", "true", "sleep 1", "--label", "a",
		    "--label", "b"));
	CHECK_INT(o.workload, WORKLOAD_COMPARE);
	CHECK_STR(o.compare[0], "true");
	CHECK_STR(o.compare[1], "sleep 1");
	CHECK_INT(o.nlabels, 2);
	CHECK(!PARSE(&o, err, "--compare", "true"));
	CHECK(!PARSE(&o, err, "--label", "x"));
	CHECK(!PARSE(&o, err, "--compare", "a", "b", "--label", "1",
		     "--label", "2", "--label", "3"));
	/* --compare takes no table options; labels are printable text */
	CHECK(!PARSE(&o, err, "--compare", "a", "b", "-n", "1M"));
	CHECK(strstr(err, "--rows is not for --compare") != NULL);
	CHECK(!PARSE(&o, err, "--compare", "a", "b", "-w", "2"));
	CHECK(!PARSE(&o, err, "--compare", "a", "b", "--hold", "2"));
	CHECK(!PARSE(&o, err, "--compare", "a", "b", "--label", "x\033[2J"));
	CHECK(strstr(err, "printable") != NULL);
	CHECK(PARSE(&o, err, "--compare", "a", "b", "--label", "\xce\xa3 sum"));
	/* the documented length, 1 to 23 bytes: both sides of each end */
	CHECK(PARSE(&o, err, "--compare", "a", "b", "--label", "abcdefghijklmnopqrstuvw"));
	CHECK_STR(o.labels[0], "abcdefghijklmnopqrstuvw");
	CHECK(!PARSE(&o, err, "--compare", "a", "b", "--label", "abcdefghijklmnopqrstuvwx"));
	CHECK(strstr(err, "1 to 23 bytes") != NULL);
	CHECK(!PARSE(&o, err, "--compare", "a", "b", "--label", ""));
	CHECK(PARSE(&o, err, "--workload", "python", "--python", "/usr/bin/python3"));
	CHECK_STR(o.python, "/usr/bin/python3");
	CHECK(!PARSE(&o, err, "--python", "/usr/bin/python3"));
	/* python's all: shared and the copy with each start method */
	CHECK(PARSE(&o, err, "--workload", "python", "--mode", "all"));
	CHECK(!PARSE(&o, err, "--workload", "python", "--mode", "cow"));
	CHECK(strchr(err, '\n') == NULL);
	CHECK(PARSE(&o, err, "--workload", "python", "--start-method", "fork"));
	CHECK_STR(o.start_method, "fork");
	CHECK(!PARSE(&o, err, "--workload", "python", "--start-method", "vfork"));
	CHECK(!PARSE(&o, err, "--start-method", "spawn"));
	CHECK(strstr(err, "only for --workload python") != NULL);

	/* -- CMD: the words after it are the command's, options too */
	{
		/* o.command points into argv: it must outlive the checks */
		char *argv[] = { "shmviz", "--record", "x", "--", "sh", "-c", "exit 3",
				 "-w", "2", NULL };

		CHECK(parse_v(&o, err, argv));
		CHECK_INT(o.workload, WORKLOAD_COMMAND);
		CHECK_INT(o.ncommand, 5);
		CHECK(o.command == argv + 4);
		CHECK_STR(o.command[0], "sh");
		CHECK_STR(o.command[4], "2");
	}
	CHECK(!PARSE(&o, err, "--record", "x", "--"));
	CHECK(strstr(err, "no command") != NULL);
	CHECK(!PARSE(&o, err, "--compare", "a", "b", "--", "c"));
	CHECK(!PARSE(&o, err, "-w", "2", "--", "c"));
	CHECK(!PARSE(&o, err, "--attach", "1", "--", "c"));
	CHECK(!PARSE(&o, err, "stray", "--", "c"));
	/* "--" as an option's value is no end of options */
	CHECK(PARSE(&o, err, "--record", "--"));
	CHECK_INT(o.ncommand, 0);
	CHECK(PARSE(&o, err, "--record", "--", "--", "true"));
	CHECK_STR(o.record_path, "--");
	CHECK_INT(o.ncommand, 1);

	/* --attach PID [--duration S] */
	CHECK(PARSE(&o, err, "--attach", "4711", "--duration", "2.5"));
	CHECK_INT(o.workload, WORKLOAD_ATTACH);
	CHECK_INT(o.attach_pid, 4711);
	CHECK(o.duration_s == 2.5);
	CHECK(!PARSE(&o, err, "--attach", "0"));
	CHECK(!PARSE(&o, err, "--attach", "12x"));
	CHECK(!PARSE(&o, err, "--attach", "1", "--mode", "copy"));
	CHECK(!PARSE(&o, err, "--attach", "1", "--workload", "python"));
	CHECK(!PARSE(&o, err, "--duration", "3"));
	CHECK(!PARSE(&o, err, "--attach", "1", "--duration", "0"));
	CHECK(!PARSE(&o, err, "--plot", "r.json", "-o", "x.svg", "--attach", "1"));

	/* --workload prefork: its own defaults of -n and --duration (the
	 * seconds its workers read), no --mode */
	CHECK(PARSE(&o, err, "--workload", "prefork"));
	CHECK_INT(o.workload, WORKLOAD_PREFORK);
	CHECK(o.rows == 2000000 && o.duration_s == 4.0);
	CHECK(PARSE(&o, err, "--workload", "prefork", "-n", "5k", "--duration", "0.5",
		    "--python", "/usr/bin/python3"));
	CHECK(o.rows == 5000 && o.duration_s == 0.5);
	CHECK(!PARSE(&o, err, "--workload", "prefork", "--mode", "copy"));
	CHECK(strstr(err, "--mode is not for --workload prefork") != NULL);
	CHECK(!PARSE(&o, err, "--workload", "prefork", "--start-method", "fork"));
	/* --project N: with --record, 1 to 100000 workers, not for a replay */
	CHECK(PARSE(&o, err, "--record", "x", "--workload", "prefork", "--project", "32"));
	CHECK_INT(o.project, 32);
	CHECK(PARSE(&o, err, "--record", "x", "--project", "1"));
	CHECK(!PARSE(&o, err, "--workload", "prefork", "--project", "32"));
	CHECK(strstr(err, "--project needs --record") != NULL);
	CHECK(!PARSE(&o, err, "--record", "x", "--project", "0"));
	CHECK(!PARSE(&o, err, "--record", "x", "--project", "100001"));
	CHECK(!PARSE(&o, err, "--replay", "r.json", "--project", "4"));
	CHECK(strlen(cli_usage()) > 500);
	CHECK(strstr(cli_usage(), "--workload prefork") != NULL);
	CHECK(strstr(cli_usage(), "--project N") != NULL);
	CHECK(strstr(cli_usage(), "--workload python") != NULL);
	CHECK(strstr(cli_usage(), "--compare") != NULL);
	CHECK(strstr(cli_usage(), "--mode MODE") != NULL);
	CHECK(strstr(cli_usage(), "Exit status") != NULL);
	/* the two halves of --help, joined */
	CHECK(strstr(cli_usage(), "makes their counters cost more than three\n                        quarters of it\n\nOutput:\n") != NULL);
	CHECK(strstr(cli_usage(), "--export-trace OUT") != NULL);

	/* exports: from --replay, --plot or --record FILE */
	CHECK(PARSE(&o, err, "--replay", "r.json", "--export-csv", "r.csv"));
	CHECK(o.action == CLI_REPLAY && o.export_csv && !o.export_trace);
	CHECK(PARSE(&o, err, "--replay", "r.json", "--export-trace", "t.json", "--export-csv",
		    "r.csv", "--force"));
	CHECK(o.force && o.export_trace && o.export_csv);
	CHECK(PARSE(&o, err, "--plot", "r.json", "-o", "r.svg", "--export-trace", "t.json"));
	CHECK(PARSE(&o, err, "--record", "r.json", "--export-csv", "r.csv", "-w", "2"));
	CHECK(o.action == CLI_RUN && o.workers == 2);
	CHECK(!PARSE(&o, err, "--export-csv", "r.csv"));
	CHECK(strstr(err, "needs a recording") != NULL);
	CHECK(!PARSE(&o, err, "--record", "-", "--export-trace", "t.json"));
	CHECK(strstr(err, "needs --record FILE") != NULL);
	CHECK(!PARSE(&o, err, "--replay", "r.json", "--export-csv", ""));
	CHECK(strstr(err, "--export-csv: the path is empty") != NULL);
	CHECK(!PARSE(&o, err, "--replay", "r.json", "--export-trace", "r.json"));
	CHECK(strstr(err, "same file") != NULL);
	CHECK(!PARSE(&o, err, "--plot", "r.json", "-o", "x.svg", "--export-csv", "x.svg"));
	CHECK(strstr(err, "same file") != NULL);
	CHECK(!PARSE(&o, err, "--replay", "r.json", "--export-csv", "x", "--export-trace", "x"));
	CHECK(strstr(err, "name the same file") != NULL);
	/* the same file spelt another way (none of them exists: the
	 * resolved directory and name) */
	CHECK(!PARSE(&o, err, "--replay", "r.json", "--export-csv", "./r.json"));
	CHECK(strstr(err, "same file as the recording") != NULL);
	CHECK(!PARSE(&o, err, "--record", "r2.json", "--export-trace", "./r2.json"));
	CHECK(strstr(err, "same file as the recording") != NULL);
	CHECK(!PARSE(&o, err, "--plot", "r.json", "-o", "p.svg", "--export-csv", "./p.svg"));
	CHECK(strstr(err, "same file as the recording or the picture") != NULL);
	CHECK(!PARSE(&o, err, "--replay", "r.json", "--export-csv", "out.dat", "--export-trace",
		     "./out.dat"));
	CHECK(strstr(err, "name the same file") != NULL);
	CHECK(!PARSE(&o, err, "--plot", "p.svg", "-o", "./p.svg"));
	CHECK(strstr(err, "--output names the same file as the recording") != NULL);
	CHECK(PARSE(&o, err, "--replay", "r.json", "--export-csv", "./r.csv", "--export-trace",
		    "r.json.trace"));
	CHECK(!PARSE(&o, err, "--replay", "r.json", "--export-csv", "a", "--export-csv", "b"));
	CHECK(strstr(err, "given twice") != NULL);
	CHECK(!PARSE(&o, err, "--replay", "r.json", "--export-csv", "a", "--speed", "2"));
	CHECK(strstr(err, "not for an export") != NULL);
	CHECK(PARSE(&o, err, "--replay", "r.json", "--recover"));
	CHECK(o.recover);
	CHECK(PARSE(&o, err, "--plot", "r.json", "-o", "r.svg", "--recover"));
	CHECK(!PARSE(&o, err, "--record", "r.json", "--recover"));
	CHECK(strstr(err, "only for --replay and --plot") != NULL);
	/* --force writes nothing with a bare --replay, but is an export's */
	CHECK(!PARSE(&o, err, "--replay", "r.json", "--force"));
	/* --mappings: with --record only */
	CHECK(PARSE(&o, err, "--record", "x.json", "--mappings") && o.mappings);
	CHECK(PARSE(&o, err, "--record", "x.json") && !o.mappings);
	CHECK(!PARSE(&o, err, "--mappings"));
	CHECK(strstr(err, "--mappings is only for --record and --plot") != NULL);
	CHECK(!PARSE(&o, err, "--replay", "x.json", "--mappings"));
	CHECK(PARSE(&o, err, "--plot", "x.json", "-o", "y.svg", "--mappings") && o.mappings);
	CHECK(strstr(cli_usage(), "--mappings") && strstr(cli_usage(), "Exit status: 0 ok"));
	/* an export goes to a file: '-' is refused, not taken as a name */
	CHECK(!PARSE(&o, err, "--replay", "r.json", "--export-csv", "-"));
	CHECK(strstr(err, "not to standard output") != NULL);
	CHECK(PARSE(&o, err, "--replay", "r.json", "--export-csv", "./-"));
	/* --lesson: the TUI's; never with --attach, whose tree is not stopped */
	CHECK(PARSE(&o, err, "--lesson") && o.lesson);
	CHECK(!PARSE(&o, err, "--lesson", "--attach", "1"));
	CHECK(strstr(err, "not for --attach") != NULL);
	CHECK(!PARSE(&o, err, "--plot", "x.json", "-o", "y.svg", "--lesson"));
	return check_done();
}
