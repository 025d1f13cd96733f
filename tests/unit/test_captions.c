/* Unit tests of the lesson caption file: parsing, errors with line
 * numbers, matching by run, phase, state and condition, placeholders; and
 * the shipped assets/captions.txt (argv[1]) parses. */
#include <stdlib.h>

#include "check.h"
#include "src/core/model.h"
#include "src/report/captions.h"

static bool parse(const char *text, struct captions *c, char *err, size_t errlen)
{
	return captions_parse(text, strlen(text), c, err, errlen);
}

static void expect_error_n(const char *text, size_t len, const char *want)
{
	struct captions c;
	char err[256] = "";

	CHECK(!captions_parse(text, len, &c, err, sizeof(err)));
	CHECK(strstr(err, want) != NULL);
	if (!strstr(err, want))
		fprintf(stderr, "  got: %s\n", err);
	CHECK_INT(c.n, 0);
	captions_finish(&c);
}

static void expect_error(const char *text, const char *want)
{
	expect_error_n(text, strlen(text), want);
}

static void test_parse(void)
{
	struct captions c;
	char err[256];
	const char *text =
		"\xef\xbb\xbf# a comment\n"
		"\n"
		"   # indented comment\n"
		"shared attach: Each worker maps the same {size}.\r\n"
		"copy hold if overcount < 10M:\tNothing is shared.  \n"
		"* running: {run} runs";

	CHECK(parse(text, &c, err, sizeof(err)));
	CHECK_INT(c.n, 3);
	CHECK_STR(c.rules[0].run, "shared");
	CHECK_STR(c.rules[0].phase, "attach");
	CHECK_STR(c.rules[0].text, "Each worker maps the same {size}.");
	CHECK_INT(c.rules[0].line, 4);
	CHECK(c.rules[1].has_cond);
	CHECK_INT(c.rules[1].var, CV_OVERCOUNT);
	CHECK_STR(c.rules[1].op, "<");
	CHECK_NEAR(c.rules[1].value, 10 * 1024, 1e-9);
	CHECK_STR(c.rules[1].text, "Nothing is shared.");
	CHECK_STR(c.rules[2].run, "*");
	captions_finish(&c);
	captions_finish(&c);   /* twice is harmless */
	captions_finish(NULL);
	CHECK(parse("", &c, err, sizeof(err)));
	CHECK_INT(c.n, 0);
}

static void test_errors(void)
{
	expect_error("shared attach Each worker\n", "line 1: expected 'RUN PHASE: text'");
	expect_error("# ok\nshared: text\n", "line 2: expected a phase");
	expect_error("shared attach:   \n", "empty");
	expect_error("shared attach: {nosuch} here\n", "line 1: unknown placeholder {nosuch}");
	expect_error("shared attach: {size here\n", "without '}'");
	expect_error("shared attach if bogus > 1: x\n", "unknown number 'bogus'");
	expect_error("shared attach if run > 1: x\n", "unknown number 'run'");
	expect_error("shared attach if pss ~ 1: x\n", "expected <, <=");
	expect_error("shared attach if pss > 1Q: x\n", "expected a number");
	expect_error("shared attach if pss > 1 2: x\n", "unexpected words");
	expect_error("shared attach when pss > 1: x\n", "expected 'if'");
	expect_error("shared attach: bad \x1b[31m escape\n", "control character");
	expect_error("shared attach: bad \xff byte\n", "not valid UTF-8");
	expect_error_n("shared attach: nul\0byte\n", 24, "NUL");
	/* the name is cut to 32 bytes, never inside a character: 31 x and a
	 * two-byte letter give 31 x */
	expect_error("x y: {xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xce\xa3}\n",
		     "unknown placeholder {xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx}");
	{
		char big[CAPTIONS_TEXT_MAX + 64];

		memset(big, 'x', sizeof(big));
		memcpy(big, "a b: ", 5);
		big[sizeof(big) - 1] = '\0';
		expect_error(big, "longer than");
	}
	{
		struct captions c;
		char err[256];

		CHECK(!captions_load("/nonexistent/captions.txt", &c, err, sizeof(err)));
		CHECK(strstr(err, "/nonexistent/captions.txt") != NULL);
	}
}

/* each comparison at its boundary; {shared} and {private} split ΣPSS; an
 * empty text placeholder shows "?" */
/* a size in a condition: M, Mi and MiB alike are binary */
static void test_units(void)
{
	struct captions c;
	char err[256];

	CHECK(parse("* * if overcount > 10M: a\n* * if overcount > 10Mi: b\n"
		    "* * if overcount > 10MiB: c\n* * if overcount > 1.5GiB: d\n", &c, err, sizeof(err)));
	CHECK_INT(c.n, 4);
	if (c.n == 4) {
		CHECK_NEAR(c.rules[0].value, 10240, 1e-9);
		CHECK_NEAR(c.rules[1].value, 10240, 1e-9);
		CHECK_NEAR(c.rules[2].value, 10240, 1e-9);
		CHECK_NEAR(c.rules[3].value, 1.5 * 1024 * 1024, 1e-9);
	}
	captions_finish(&c);
	CHECK(!parse("* * if overcount > 10MB: a\n", &c, err, sizeof(err)));
	captions_finish(&c);
}

static void test_values(void)
{
	struct captions c;
	char err[256], out[256];
	struct caption_ctx ctx;
	const struct caption_rule *r;
	struct model m;
	struct run *a;
	struct point p = { .rss_kb = 3072, .pss_kb = 2048, .uss_kb = 1024, .nprocs = 2,
			   .consistent = true };
	const char *text =
		"* * if nprocs < 2: lt\n"
		"* * if nprocs <= 2: le\n"
		"* * if nprocs = 2: eq\n"
		"* *: other\n";

	CHECK(parse(text, &c, err, sizeof(err)));
	model_init(&m, false);
	a = model_add_run(&m, "shared", "shared", "");
	captions_context(&ctx, &m, a, &p, "hold", 1.0, false);
	r = captions_pick(&c, "shared", "hold", RUN_RUNNING, false, &ctx);
	CHECK(r && r->line == 2);
	captions_expand(out, sizeof(out),
			"{shared} shared + {private} private = {pss}, top says {rss}; cause: {cause}",
			&ctx);
	CHECK_STR(out, "1.0 MiB shared + 1.0 MiB private = 2.0 MiB, top says 3.0 MiB; cause: ?");
	model_finish(&m);
	captions_finish(&c);
}

static void test_pick(void)
{
	struct captions c;
	char err[256], out[256];
	struct caption_ctx ctx;
	const struct caption_rule *r;
	struct model m;
	struct run *a, *b;
	struct point p = { .rss_kb = 144 * 1024, .pss_kb = 47 * 1024, .uss_kb = 100,
			   .nprocs = 3, .consistent = true };
	const char *text =
		"all done if speedup >= 1: {second} took {speedup} the time of {first}\n"
		"all done: both done\n"
		"shared hold if overcount > 1M: top says {rss}, really {pss} in {nprocs}\n"
		"shared hold: holding\n"
		"shared attach: Each worker maps the same {size} ({workers} workers)\n"
		"* failed: {run} failed: {cause}\n"
		"* waiting: {run} waits\n"
		"* *: {run} in {phase}\n";

	CHECK(parse(text, &c, err, sizeof(err)));
	model_init(&m, false);
	m.config.bytes = 240ULL * 1024 * 1024;
	m.config.workers = 4;
	a = model_add_run(&m, "shared", "shared", "POSIX shm");
	b = model_add_run(&m, "copy", "copy", "pipes");
	a->workers = 4;

	captions_context(&ctx, &m, a, &p, "attach", 0.2, false);
	r = captions_pick(&c, "shared", "attach", RUN_RUNNING, false, &ctx);
	CHECK(r && r->line == 5);
	captions_expand(out, sizeof(out), r ? r->text : "", &ctx);
	CHECK_STR(out, "Each worker maps the same 240 MiB (4 workers)");
	captions_expand(out, sizeof(out), "{n_workers}, {n_procs}", &ctx);
	CHECK_STR(out, "4 workers, 3 processes");
	a->workers = 1;
	p.nprocs = 1;
	captions_context(&ctx, &m, a, &p, "attach", 0.2, false);
	captions_expand(out, sizeof(out), "{n_workers}, {n_procs}", &ctx);
	CHECK_STR(out, "1 worker, 1 process");
	a->workers = 4;
	p.nprocs = 3;
	captions_context(&ctx, &m, a, &p, "attach", 0.2, false);

	/* a condition decides between two rules of one phase */
	r = captions_pick(&c, "shared", "hold", RUN_RUNNING, false, &ctx);
	CHECK(r && r->line == 3);
	captions_expand(out, sizeof(out), r ? r->text : "", &ctx);
	CHECK_STR(out, "top says 144 MiB, really 47 MiB in 3");
	/* a sample wider than one moment: its PSS figures are marked, the
	 * counters' ΣRSS not */
	p.consistent = false;
	captions_context(&ctx, &m, a, &p, "hold", 1.0, false);
	captions_expand(out, sizeof(out), r ? r->text : "", &ctx);
	CHECK_STR(out, "top says 144 MiB, really \xe2\x89\x88" "47 MiB in 3");
	captions_context(&ctx, &m, a, &p, "hold", 1.0, true);
	captions_expand(out, sizeof(out), r ? r->text : "", &ctx);
	CHECK_STR(out, "top says 144 MiB, really ~47 MiB in 3");
	p.consistent = true;
	p.rss_kb = p.pss_kb;
	captions_context(&ctx, &m, a, &p, "hold", 1.0, false);
	r = captions_pick(&c, "shared", "hold", RUN_RUNNING, false, &ctx);
	CHECK(r && r->line == 4);
	/* no sample yet: a condition on a number it lacks does not hold */
	captions_context(&ctx, &m, a, NULL, "hold", 1.0, false);
	r = captions_pick(&c, "shared", "hold", RUN_RUNNING, false, &ctx);
	CHECK(r && r->line == 4);

	/* states, wildcards, and the other run's phases */
	r = captions_pick(&c, "copy", NULL, RUN_WAITING, false, &ctx);
	CHECK(r && r->line == 7);
	strcpy(b->cause, "the copy workload was killed by SIGKILL");
	captions_context(&ctx, &m, b, NULL, NULL, -1, false);
	r = captions_pick(&c, "copy", NULL, RUN_FAILED, false, &ctx);
	CHECK(r && r->line == 6);
	captions_expand(out, sizeof(out), r ? r->text : "", &ctx);
	CHECK_STR(out, "copy failed: the copy workload was killed by SIGKILL");
	captions_context(&ctx, &m, b, &p, "transfer", 0.5, false);
	r = captions_pick(&c, "copy", "transfer", RUN_RUNNING, false, &ctx);
	CHECK(r && r->line == 8);
	captions_expand(out, sizeof(out), r ? r->text : "", &ctx);
	CHECK_STR(out, "copy in transfer");
	/* "all" rules only at the end, with the comparison's numbers */
	a->state = b->state = RUN_DONE;
	a->result.wall_s = 0.06;
	b->result.wall_s = 2.4;
	a->peak.pss_kb = 245 * 1024;
	b->peak.pss_kb = 1200 * 1024;
	a->nticks = b->nticks = 1;
	captions_context(&ctx, &m, a, NULL, NULL, -1, false);
	r = captions_pick(&c, "shared", NULL, RUN_DONE, true, &ctx);
	CHECK(r && r->line == 1);
	captions_expand(out, sizeof(out), r ? r->text : "", &ctx);
	CHECK_STR(out, "copy took 40\xc3\x97 the time of shared");
	/* {faster} and {lessmem}: the way the strip says it */
	captions_expand(out, sizeof(out), "{first} {faster} than {second}, {lessmem}", &ctx);
	CHECK_STR(out, "shared 40\xc3\x97 faster than copy, not sampled"); /* no consistent sample */
	a->nconsistent = b->nconsistent = 1;
	a->nbounded = b->nbounded = 1;
	a->result.wall_s = 2.4;
	b->result.wall_s = 0.06;
	a->peak.pss_kb = 1200 * 1024;
	b->peak.pss_kb = 10 * 1024;
	captions_context(&ctx, &m, a, NULL, NULL, -1, false);
	captions_expand(out, sizeof(out), "{first} {faster} than {second}, {lessmem}", &ctx);
	CHECK_STR(out, "shared 40\xc3\x97 slower than copy, 120\xc3\x97 more");
	b->peak.pss_kb = 1200 * 1024 + 10;
	captions_context(&ctx, &m, a, NULL, NULL, -1, false);
	captions_expand(out, sizeof(out), "{lessmem}", &ctx);
	CHECK_STR(out, "as much");
	a->result.wall_s = 0.06;
	b->result.wall_s = 2.4;
	a->peak.pss_kb = 245 * 1024;
	b->peak.pss_kb = 1200 * 1024;
	captions_context(&ctx, &m, a, NULL, NULL, -1, false);
	/* ASCII: no byte above 127 */
	ctx.ascii = true;
	captions_expand(out, sizeof(out), "\xce\xa3PSS {speedup}", &ctx);
	CHECK_STR(out, "?PSS 40x");
	/* a small buffer never cuts a character in half */
	ctx.ascii = false;
	captions_expand(out, 4, "ab\xce\xa3", &ctx);
	CHECK_STR(out, "ab");
	captions_expand(out, 1, "abc", &ctx);
	CHECK_STR(out, "");
	/* "* *" takes what nothing else does; with no rule at all, NULL */
	r = captions_pick(&c, "x", NULL, RUN_DONE, false, &ctx);
	CHECK(r && r->line == 8);
	CHECK(captions_pick(NULL, "x", NULL, RUN_DONE, false, &ctx) == NULL);
	model_finish(&m);
	captions_finish(&c);
}

/* Every figure a caption may name, of a run whose figures all differ:
 * each placeholder gives its own figure, in its unit (a caption that
 * says ΣRSS with the ΣPSS figure, or a MiB for a KiB, reads as true) */
static void test_figures(void)
{
	struct model m;
	struct run *a;
	struct caption_ctx ctx;
	char out[512];
	struct point p = { .rss_kb = 144 * 1024, .pss_kb = 47 * 1024,
			   .uss_kb = 20 * 1024, .nprocs = 5, .consistent = true };

	model_init(&m, false);
	m.config.bytes = 240ULL * 1024 * 1024;
	m.config.rows = 1000000;
	m.config.workers = 4;
	a = model_add_run(&m, "shared", "shared", "POSIX shm");
	a->workers = 4;
	a->state = RUN_DONE;
	a->nticks = 1;
	a->result.wall_s = 1.5;
	a->peak.pss_kb = 10 * 1024;
	a->peak.rss_kb = 30 * 1024;
	a->result.have_tracemalloc = true;
	a->result.tracemalloc_peak_kb = 333;
	a->kpeak.kb = 50 * 1024;
	a->result.have_data = true;
	a->result.data_kb = 7 * 1024;
	a->proj.private_kb = 2 * 1024;
	captions_context(&ctx, &m, a, &p, "hold", 0.75, false);
	captions_expand(out, sizeof(out),
			"{size}|{rows}|{workers}|{pss}|{rss}|{uss}|{shared}|{private}|"
			"{overcount}|{nprocs}|{elapsed}|{wall}|{peak_pss}|{peak_rss}|"
			"{tracemalloc}|{kernel_peak}|{data}|{worker_private}", &ctx);
	CHECK_STR(out, "240 MiB|1000000|4|47 MiB|144 MiB|20 MiB|27 MiB|20 MiB|"
		  "97 MiB|5|0.75 s|1.50 s|10 MiB|30 MiB|"
		  "333 KiB|50 MiB|7.0 MiB|2.0 MiB");
	model_finish(&m);
}

static void test_shipped(const char *path)
{
	struct captions c;
	char err[512];

	CHECK(captions_load(path, &c, err, sizeof(err)));
	if (c.n == 0)
		fprintf(stderr, "%s: %s\n", path, err);
	CHECK(c.n >= 20);
	/* the shipped file shows tracemalloc's figure beside ΣPSS in the
	 * shared hold of the Python workload, and says nothing of it when
	 * the run did not report one (the native workload) */
	{
		struct model m;
		struct run *a;
		struct caption_ctx ctx;
		const struct caption_rule *r;
		struct point p = { .consistent = true, .rss_kb = 205 * 1024, .pss_kb = 125 * 1024,
				   .uss_kb = 1024, .nprocs = 3 };
		char out[1024];

		model_init(&m, false);
		a = model_add_run(&m, "shared", "shared", "Python");
		a->result.have_tracemalloc = true;
		a->result.tracemalloc_peak_kb = 16;
		captions_context(&ctx, &m, a, &p, "hold", 1.0, false);
		r = captions_pick(&c, "shared", "hold", RUN_RUNNING, false, &ctx);
		captions_expand(out, sizeof(out), r ? r->text : "", &ctx);
		CHECK(strstr(out, "tracemalloc") && strstr(out, "16 KiB") && strstr(out, "125 MiB"));
		printf("python shared hold: %s\n", out);
		a->result.have_tracemalloc = false;
		captions_context(&ctx, &m, a, &p, "hold", 1.0, false);
		r = captions_pick(&c, "shared", "hold", RUN_RUNNING, false, &ctx);
		captions_expand(out, sizeof(out), r ? r->text : "", &ctx);
		CHECK(!strstr(out, "tracemalloc"));
		model_finish(&m);
	}
	/* the native copy run's hold (a live -w 2 lesson: ΣRSS 696M beside
	 * ΣPSS 688M in the strip): the caption names both figures the strip
	 * shows and what parts them, never "agree (688 MiB)" beside a strip
	 * that says ΣRSS 696M */
	{
		struct model m;
		struct run *b;
		struct caption_ctx ctx;
		const struct caption_rule *r;
		struct point p = { .consistent = true, .rss_kb = 712704, .pss_kb = 704512,
				   .uss_kb = 703000, .nprocs = 3 };
		char out[1024];

		model_init(&m, false);
		snprintf(m.config.workload, sizeof(m.config.workload), "native");
		model_add_run(&m, "shared", "shared", "POSIX shm");
		b = model_add_run(&m, "copy", "copy", "pipe per worker");
		captions_context(&ctx, &m, b, &p, "hold", 0.3, false);
		r = captions_pick(&c, "copy", "hold", RUN_RUNNING, false, &ctx);
		captions_expand(out, sizeof(out), r ? r->text : "", &ctx);
		printf("native copy hold: %s\n", out);
		CHECK(strstr(out, "696 MiB") && strstr(out, "688 MiB") && strstr(out, "8.0 MiB"));
		model_finish(&m);
	}
	/* the Python copy run, with the figures of one measured
	 * (--workload python -w 2 -n 1M): in its transfer the parent held
	 * 582 MiB of pickled bytes, the workers their 19M, ΣPSS 632 MiB: the
	 * caption says pickling, not "Private_Dirty grows in every worker",
	 * which the native copy keeps; --mode all -n 1M where copy-fork
	 * (0.36 s) beat shared (0.57 s) says why */
	{
		struct model m;
		struct run *a, *b;
		struct caption_ctx ctx;
		const struct caption_rule *r;
		struct point p = { .rss_kb = 690000, .pss_kb = 647329,
				   .uss_kb = 640000, .nprocs = 4 };
		char out[1024];

		model_init(&m, false);
		snprintf(m.config.workload, sizeof(m.config.workload), "python");
		m.config.bytes = 24000000;
		a = model_add_run(&m, "shared", "shared", "Python");
		b = model_add_run(&m, "copy", "copy", "Python");
		captions_context(&ctx, &m, b, &p, "transfer", 22.6, false);
		r = captions_pick(&c, "copy", "transfer", RUN_RUNNING, false, &ctx);
		captions_expand(out, sizeof(out), r ? r->text : "", &ctx);
		printf("python copy transfer: %s\n", out);
		CHECK(strstr(out, "pickles") && strstr(out, "632 MiB") &&
		      !strstr(out, "Private_Dirty"));
		snprintf(m.config.workload, sizeof(m.config.workload), "native");
		captions_context(&ctx, &m, b, &p, "transfer", 22.6, false);
		r = captions_pick(&c, "copy", "transfer", RUN_RUNNING, false, &ctx);
		CHECK(r && strstr(r->text, "Private_Dirty"));
		snprintf(m.config.workload, sizeof(m.config.workload), "python");
		a->state = b->state = RUN_DONE;
		a->result.wall_s = 0.57;
		b->result.wall_s = 0.36;
		captions_context(&ctx, &m, a, NULL, NULL, -1, false);
		r = captions_pick(&c, "shared", NULL, RUN_DONE, true, &ctx);
		captions_expand(out, sizeof(out), r ? r->text : "", &ctx);
		printf("copy-fork faster: %s\n", out);
		CHECK(strstr(out, "finished before shared") && strstr(out, "1.6\xc3\x97 slower") &&
		      strstr(out, "fork()"));
		model_finish(&m);
	}
	captions_finish(&c);
}

int main(int argc, char **argv)
{
	test_parse();
	test_errors();
	test_pick();
	test_figures();
	test_values();
	test_units();
	if (argc > 1)
		test_shipped(argv[1]);
	return check_done();
}
