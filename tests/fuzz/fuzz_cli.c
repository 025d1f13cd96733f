/*
 * fuzz_cli.c - libFuzzer target of the command line (src/cli/cli.c): the
 * input, cut at its NUL bytes, is the argument list after "shmviz" (at
 * most 64 arguments).
 *
 * cli_parse() must either refuse it with one line (not empty, no newline,
 * valid UTF-8 without control characters) or give options within the
 * limits cli.h and --help state: workers 0 (default) or 1..256, rows
 * 1..1G, interval 10..10000 ms, hold 0..3600 s, budget 0.1..100 %,
 * cow-write 0..100 %, duration 0.1..CLI_DURATION_MAX s (for --attach and
 * --workload prefork only), size 200x150..8000x8000, speed 1/16..64, a mode
 * among the five and the runs that go with it, at most two clean labels
 * and only with --compare, an output ending in .svg or .png and only with
 * --plot, no --record with --replay or --plot; and every string it keeps
 * lies in the arguments it was given. The number parsers get each
 * argument too, and what they accept must be in their range.
 *
 * Built and run by tests/fuzz/run.sh (clang, -fsanitize=fuzzer,address,
 * undefined); see docs/fuzzing.md.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "src/cli/cli.h"
#include "src/util/macros.h"
#include "src/util/parse.h"
#include "src/util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARGS_MAX 64

static char *args[ARGS_MAX + 2];
static int nargs;

/* whether s points into one of the arguments (or is NULL) */
static bool in_args(const char *s)
{
	if (!s)
		return true;
	for (int i = 0; i < nargs; i++)
		if (args[i] && s >= args[i] && s <= args[i] + strlen(args[i]))
			return true;
	return false;
}

/* -o's extension is taken in any case (OUT.PNG) */
static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcasecmp(s + n - t, tail) == 0;
}

static void check_options(const struct cli_options *o)
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
	bool mode_ok = false;

	if (o->action == CLI_HELP || o->action == CLI_VERSION)
		return;
	if (o->action != CLI_RUN && o->action != CLI_REPLAY && o->action != CLI_PLOT)
		abort();
	if (o->workers < 0 || o->workers > CLI_WORKERS_MAX ||
	    o->rows < 1 || o->rows > CLI_ROWS_MAX ||
	    o->interval_ms < CLI_INTERVAL_MIN || o->interval_ms > CLI_INTERVAL_MAX ||
	    !(o->hold_s >= 0 && o->hold_s <= CLI_HOLD_MAX) ||
	    !(o->budget_pct >= 0.1 && o->budget_pct <= 100) ||
	    o->cow_write_pct < 0 || o->cow_write_pct > 100 ||
	    o->width < 200 || o->width > 8000 || o->height < 150 || o->height > 8000 ||
	    !(o->speed >= CLI_SPEED_MIN && o->speed <= CLI_SPEED_MAX))
		abort();
	if (!o->mode)
		abort();
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++)
		if (strcmp(o->mode, modes[i].name) == 0 && o->runs == modes[i].runs)
			mode_ok = true;
	if (!mode_ok || (!in_args(o->mode) && strcmp(o->mode, "both") != 0))
		abort(); /* the default, or what --mode said */
	if (o->workload != WORKLOAD_NATIVE && o->workload != WORKLOAD_PYTHON &&
	    o->workload != WORKLOAD_COMPARE && o->workload != WORKLOAD_COMMAND &&
	    o->workload != WORKLOAD_ATTACH && o->workload != WORKLOAD_PREFORK)
		abort();
	/* -- CMD: a program to run, its words as given */
	if ((o->workload == WORKLOAD_COMMAND) != (o->ncommand > 0) ||
	    (o->ncommand && (!o->command || !o->command[0])))
		abort();
	if ((o->workload == WORKLOAD_ATTACH) != (o->attach_pid > 0))
		abort();
	if (o->repeat < 0 || o->repeat > CLI_REPEAT_MAX)
		abort();
	/* --duration: 0 (none) or 0.1..CLI_DURATION_MAX, and only where it
	 * means something; prefork reads for its default when not given, and
	 * runs its own four runs (no --mode) */
	if (!(o->duration_s == 0 ||
	      (o->duration_s >= 0.1 && o->duration_s <= CLI_DURATION_MAX)) ||
	    (o->duration_s > 0 && o->workload != WORKLOAD_ATTACH &&
	     o->workload != WORKLOAD_PREFORK) ||
	    (o->workload == WORKLOAD_PREFORK &&
	     (o->duration_s <= 0 || strcmp(o->mode, "both") != 0)))
		abort();
	if (o->workload == WORKLOAD_COMPARE &&
	    (!o->compare[0] || !o->compare[1] || !*o->compare[0] || !*o->compare[1]))
		abort();
	/* Python has no cow run; its --mode all is shared and the copy with
	 * each start method */
	if (o->workload == WORKLOAD_PYTHON && o->runs == CLI_RUN_COW)
		abort();
	if (o->nlabels < 0 || o->nlabels > 2 ||
	    (o->nlabels && o->workload != WORKLOAD_COMPARE))
		abort();
	for (int i = 0; i < o->nlabels; i++)
		if (!o->labels[i] || !*o->labels[i] || strlen(o->labels[i]) > 23 ||
		    !text_is_clean(o->labels[i], strlen(o->labels[i])))
			abort();
	if (o->output_path &&
	    (o->action != CLI_PLOT || !(ends_with(o->output_path, ".svg") ||
					ends_with(o->output_path, ".png"))))
		abort();
	if (o->action == CLI_PLOT && (!o->plot_path || !o->output_path))
		abort();
	if (o->action == CLI_REPLAY && !o->replay_path)
		abort();
	if ((o->replay_path || o->plot_path) && o->record_path)
		abort();
	if (o->record_path && !*o->record_path)
		abort();
	if (o->python && (!*o->python || (o->workload != WORKLOAD_PYTHON &&
					   o->workload != WORKLOAD_PREFORK)))
		abort();
	if (o->captions && !*o->captions)
		abort();
	if (!in_args(o->record_path) || !in_args(o->compare[0]) ||
	    !in_args(o->compare[1]) || !in_args(o->labels[0]) ||
	    !in_args(o->labels[1]) || !in_args(o->replay_path) ||
	    !in_args(o->plot_path) || !in_args(o->output_path) ||
	    !in_args(o->python) || !in_args(o->captions))
		abort();
}

static void check_numbers(const char *s)
{
	uint64_t n;
	long l;
	double d;

	if (parse_count(s, &n) && !(s[0] >= '0' && s[0] <= '9') && s[0] != '.')
		abort();
	if (parse_int(s, -5, 300, &l) && (l < -5 || l > 300))
		abort();
	if (parse_double(s, 0.0625, 64, &d) && !(d >= 0.0625 && d <= 64))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char name[] = "shmviz";
	struct cli_options o;
	char err[512], *buf;
	size_t at = 0;

	if (size > 4096)
		return 0;
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	nargs = 0;
	args[nargs++] = name;
	while (at < size && nargs <= ARGS_MAX) {
		args[nargs++] = buf + at;
		at += strlen(buf + at) + 1;
	}
	args[nargs] = NULL;
	for (int i = 1; i < nargs; i++)
		check_numbers(args[i]);

	memset(err, 0, sizeof(err));
	if (cli_parse(nargs, args, &o, err, sizeof(err))) {
		check_options(&o);
	} else if (!err[0] || strchr(err, '\n') || !text_is_clean(err, strlen(err))) {
		abort(); /* one clean line */
	}
	free(buf);
	return 0;
}
