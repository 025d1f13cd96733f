/*
 * plan.c - the runs of a session and their command lines.
 */
#include "src/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/dataset.h"

static int add_arg(struct run_plan *p, size_t *n, const char *s)
{
	if (*n + 1 >= SESSION_ARGV_MAX)
		return -1;
	p->argv[*n] = strdup(s);
	if (!p->argv[*n])
		return -1;
	(*n)++;
	p->argv[*n] = NULL;
	return 0;
}

static int native_plan(const struct cli_options *o, const char *self_exe,
		       const char *mode, struct run_plan *p)
{
	char rows[32], workers[16], hold[32], cow[16];
	size_t n = 0;

	snprintf(rows, sizeof(rows), "%llu", (unsigned long long)o->rows);
	snprintf(workers, sizeof(workers), "%d", o->workers);
	snprintf(hold, sizeof(hold), "%g", o->hold_s);
	snprintf(cow, sizeof(cow), "%d", o->cow_write_pct);
	p->path = strdup(self_exe);
	if (!p->path || add_arg(p, &n, "shmviz") ||
	    add_arg(p, &n, "@workload") || add_arg(p, &n, mode) ||
	    add_arg(p, &n, rows) || add_arg(p, &n, workers) ||
	    add_arg(p, &n, hold) || add_arg(p, &n, cow))
		return -1;
	return 0;
}

int plan_build(const struct cli_options *o, const char *self_exe,
	       struct model *m, struct run_plan *plans, char *err,
	       size_t errlen)
{
	static const struct {
		unsigned bit;
		const char *name;
		const char *detail;
	} native[] = {
		{ CLI_RUN_SHARED, "shared", "POSIX shm" },
		{ CLI_RUN_COPY, "copy", "pipe to each worker" },
		{ CLI_RUN_COW, "cow", "fork copy-on-write" },
	};
	struct model_config *c = &m->config;

	c->workers = o->workers;
	c->rows = o->rows;
	c->bytes = o->rows * sizeof(struct record);
	c->interval_ms = o->interval_ms;
	c->hold_s = o->hold_s;
	c->budget_pct = o->budget_pct;
	c->cow_write_pct = o->cow_write_pct;
	snprintf(c->mode, sizeof(c->mode), "%s", o->mode);

	if (o->workload != WORKLOAD_NATIVE) {
		snprintf(err, errlen, "this workload is not available in this build");
		return EXIT_USAGE;
	}
	snprintf(c->workload, sizeof(c->workload), "native");
	for (size_t i = 0; i < sizeof(native) / sizeof(native[0]); i++) {
		char detail[MODEL_TEXT_MAX];
		struct run *r;

		if (!(o->runs & native[i].bit))
			continue;
		if (native[i].bit == CLI_RUN_COW && o->cow_write_pct)
			snprintf(detail, sizeof(detail), "%s, %d%% written, %d workers",
				 native[i].detail, o->cow_write_pct, o->workers);
		else
			snprintf(detail, sizeof(detail), "%s, %d workers",
				 native[i].detail, o->workers);
		r = model_add_run(m, native[i].name, native[i].name, detail);
		if (!r || native_plan(o, self_exe, native[i].name,
				      &plans[m->nruns - 1])) {
			snprintf(err, errlen, "out of memory");
			return EXIT_ENVIRONMENT;
		}
		r->workers = o->workers;
	}
	return 0;
}
