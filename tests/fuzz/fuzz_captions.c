/*
 * fuzz_captions.c - libFuzzer target of the lesson caption file
 * (src/report/captions.c): any bytes go to captions_parse(), as from a file a
 * teacher edited.
 *
 * A refusal must leave no rule and say "line N: what is wrong" in one line
 * (valid UTF-8, no control character). A file that parses must give rules
 * as docs/captions.md describes them: a run and a phase of one word each,
 * a condition on a known number with one of the six operators and a
 * finite value, a text of 1 to 511 bytes, clean, without tabs or blanks at
 * its ends; line numbers that grow. Every rule's text is then expanded
 * with every placeholder known, with none known, and in ASCII, into
 * buffers of several sizes: the result always ends within the buffer and
 * is clean (ASCII only in ASCII mode), never a character cut in half.
 * captions_pick() must return one of the rules, for the run it was asked
 * about, whose condition holds.
 *
 * Built and run by tests/fuzz/run.sh (clang, -fsanitize=fuzzer,address,
 * undefined); see docs/fuzzing.md.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/report/captions.h"
#include "src/util/macros.h"
#include "src/util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct caption_ctx full, none, ascii, live;

static void set_ctx(void)
{
	static struct model m;
	struct run *a, *b;
	struct proc_row rows[2];

	memset(&full, 0, sizeof(full));
	for (int v = 0; v < CV_NUM_COUNT; v++) {
		full.have[v] = true;
		full.num[v] = (double)(v * 123457 % 1000003) + 0.25;
	}
	full.num[CV_SPEEDUP] = 2.75;
	full.num[CV_MEMRATIO] = 0.3;
	for (int v = CV_NUM_COUNT; v < CV_COUNT; v++)
		snprintf(full.str[v - CV_NUM_COUNT], sizeof(full.str[0]),
			 "name-%d \xce\xa3\xe2\x80\x94", v);
	ascii = full;
	ascii.ascii = true;
	for (int v = CV_NUM_COUNT; v < CV_COUNT; v++)
		snprintf(ascii.str[v - CV_NUM_COUNT], sizeof(ascii.str[0]), "run%d", v);
	memset(&none, 0, sizeof(none));

	/* what the views fill in: a model of two runs, one sample */
	model_init(&m, false);
	m.config.bytes = 240000000;
	m.config.rows = 10000000;
	m.config.workers = 2;
	a = model_add_run(&m, "shared", NULL, "POSIX shm, 2 workers");
	b = model_add_run(&m, "copy", NULL, "pipe to each worker");
	memset(rows, 0, sizeof(rows));
	for (int i = 0; i < 2; i++) {
		rows[i].pid = 100 + i;
		rows[i].state = 'S';
		rows[i].role = i ? ROLE_WORKER : ROLE_PARENT;
		rows[i].smaps = SMAPS_STATE_READ;
		rows[i].rss_now_kb = 234000;
		rows[i].mem = (struct smaps_kb){ .rss = 234000, .pss = 117000,
						  .shared_clean = 1000,
						  .shared_dirty = 233000,
						  .private_dirty = 1000 };
	}
	if (a && b) {
		run_add_tick(a, 0.5, rows, 2, true);
		run_add_tick(b, 0.5, rows, 2, true);
		a->state = RUN_DONE;
		a->result.wall_s = 0.42;
		captions_context(&live, &m, a, &a->frames[0].total, "hold", 0.5, false);
	}
}

static void check_expand(const char *text, const struct caption_ctx *ctx)
{
	static const size_t caps[] = { 1, 2, 3, 7, 40, 512, 2048 };
	char out[2048 + 16];

	for (size_t i = 0; i < ARRAY_SIZE(caps); i++) {
		size_t len;

		memset(out, 'Z', sizeof(out));
		captions_expand(out, caps[i], text, ctx);
		if (!memchr(out, '\0', caps[i]) || out[caps[i]] != 'Z')
			abort(); /* not ended within the buffer, or past it */
		len = strlen(out);
		if (!text_is_clean(out, len))
			abort();
		if (ctx->ascii)
			for (size_t k = 0; k < len; k++)
				if ((unsigned char)out[k] >= 0x80)
					abort();
	}
}

static void check_pick(const struct captions *c, const char *run,
		       const char *phase, enum run_state state, bool all_done,
		       const struct caption_ctx *ctx)
{
	const struct caption_rule *r = captions_pick(c, run, phase, state,
						     all_done, ctx);

	if (!r)
		return;
	if (r < c->rules || r >= c->rules + c->n)
		abort();
	if (all_done ? strcmp(r->run, "all") != 0
		     : strcmp(r->run, "*") != 0 && strcmp(r->run, run) != 0)
		abort();
	if (r->has_cond && !ctx->have[r->var])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static const char *const ops[] = { "<", "<=", ">", ">=", "=", "!=" };
	struct captions c;
	char err[256];
	int last = 0;

	if (!ready) {
		set_ctx();
		ready = true;
	}
	memset(err, 0, sizeof(err));
	if (!captions_parse((const char *)data, size, &c, err, sizeof(err))) {
		if (c.n || c.rules || strncmp(err, "line ", 5) != 0 ||
		    !strstr(err, ": ") || strchr(err, '\n') ||
		    !text_is_clean(err, strlen(err)))
			abort();
		return 0;
	}
	if (c.n > CAPTIONS_RULES_MAX || (c.n && !c.rules))
		abort();
	for (size_t i = 0; i < c.n; i++) {
		const struct caption_rule *r = &c.rules[i];
		size_t len = strlen(r->text);
		bool op_ok = false;

		if (!r->run[0] || !r->phase[0] || strpbrk(r->run, " \t:") ||
		    strpbrk(r->phase, " \t:") || r->line <= last)
			abort();
		last = r->line;
		if (!len || len >= CAPTIONS_TEXT_MAX || strchr(r->text, '\t') ||
		    r->text[0] == ' ' || r->text[len - 1] == ' ' ||
		    !text_is_clean(r->text, len))
			abort();
		if (r->has_cond) {
			for (size_t k = 0; k < ARRAY_SIZE(ops); k++)
				if (strcmp(r->op, ops[k]) == 0)
					op_ok = true;
			if (!op_ok || (int)r->var < 0 || r->var >= CV_NUM_COUNT ||
			    !isfinite(r->value))
				abort();
		}
		if (i < 64) {
			check_expand(r->text, &full);
			check_expand(r->text, &none);
			check_expand(r->text, &ascii);
			check_expand(r->text, &live);
		}
	}
	check_pick(&c, "shared", "attach", RUN_RUNNING, false, &full);
	check_pick(&c, "copy", "transfer", RUN_RUNNING, false, &none);
	check_pick(&c, "shared", NULL, RUN_DONE, false, &live);
	check_pick(&c, "A", NULL, RUN_FAILED, false, &full);
	check_pick(&c, "shared", NULL, RUN_DONE, true, &full);
	check_pick(&c, "copy", NULL, RUN_DONE, true, &none);
	captions_finish(&c);
	return 0;
}
