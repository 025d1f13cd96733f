/*
 * fuzz_replay.c - libFuzzer target of the replay loader: any bytes go to
 * replay_load_buffer(), which must never crash, leak or hang, and must
 * either refuse them (status 3, one clean line) or give a model that keeps
 * the promises the views rely on. A loaded model then goes through the
 * summary table and line, which format its numbers.
 *
 * Built and run by tests/fuzz/run.sh (clang, -fsanitize=fuzzer,address,
 * undefined); see docs/fuzzing.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/recording/replay.h"
#include "src/report/summary.h"
#include "src/util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

static void check_model(const struct model *m)
{
	if (m->nruns < 1 || m->nruns > MODEL_MAX_RUNS)
		abort();
	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];
		size_t rows = 0;

		if (!r->name[0] || !text_is_clean(r->name, strlen(r->name)))
			abort();
		if (!text_is_clean(r->cause, strlen(r->cause)) ||
		    !text_is_clean(r->detail, strlen(r->detail)))
			abort();
		if (r->nphases > MODEL_MAX_PHASES || r->nframes != r->nticks)
			abort();
		for (size_t k = 0; k < r->nphases; k++)
			if (r->phases[k].start_s < 0 ||
			    (k && r->phases[k].start_s < r->phases[k - 1].start_s))
				abort();
		for (size_t k = 0; k < r->nframes; k++) {
			const struct frame *f = &r->frames[k];

			if (f->first != rows || f->first + f->n > r->nrows)
				abort();
			if (k && f->t < r->frames[k - 1].t)
				abort();
			/* the smaps peaks are the consistent samples' */
			if (f->total.pss_kb < 0 ||
			    (f->total.consistent && f->total.pss_kb > r->peak.pss_kb) ||
			    f->total.rss_kb > r->peak.rss_kb)
				abort();
			for (size_t j = 0; j < f->n; j++) {
				const struct proc_row *w = &r->rows[f->first + j];

				if (w->pid <= 0 ||
				    !text_is_clean(w->comm, strlen(w->comm)))
					abort();
			}
			rows += f->n;
		}
		if (rows != r->nrows)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model m;
	char err[512], line[512];
	int status = replay_load_buffer((const char *)data, size, &m, err,
					sizeof(err));

	if (status != 0 && status != 3)
		abort();
	if (status == 3 &&
	    (!err[0] || strchr(err, '\n') || !text_is_clean(err, strlen(err))))
		abort();
	if (status == 0) {
		check_model(&m);
		if (!devnull)
			devnull = fopen("/dev/null", "w");
		if (devnull)
			summary_print(devnull, &m);
		for (size_t i = 1; i < m.nruns; i++) {
			summary_line(line, sizeof(line), &m.runs[0], &m.runs[i], false);
			summary_line(line, sizeof(line), &m.runs[0], &m.runs[i], true);
		}
	}
	model_finish(&m);
	return 0;
}
