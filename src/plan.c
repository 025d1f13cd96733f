/*
 * plan.c - the runs of a session and their command lines.
 *
 * native   shmviz runs itself: "shmviz @workload MODE ROWS WORKERS HOLD
 *          COW_PCT" (workload.h); output to /dev/null
 * python   the interpreter (python.h) runs assets/experiment.py once a
 *          mode; checked before anything runs
 * compare  the user's two commands, split by words.h and run with
 *          execvp; each program is looked up first (command.h)
 *
 * Python and command runs write their output to NAME.log in a directory
 * made for the session under $TMPDIR (or /tmp); its path is in the model
 * (run.log), the recording and the summary.
 */
#include "src/plan.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/assets.h"
#include "src/command.h"
#include "src/dataset.h"
#include "src/python.h"
#include "src/words.h"

#define PYTHON_SCRIPT "experiment.py"

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
	p->expect_result = true;
	if (!p->path || add_arg(p, &n, "shmviz") ||
	    add_arg(p, &n, "@workload") || add_arg(p, &n, mode) ||
	    add_arg(p, &n, rows) || add_arg(p, &n, workers) ||
	    add_arg(p, &n, hold) || add_arg(p, &n, cow))
		return -1;
	return 0;
}

static int python_plan(const struct cli_options *o, const char *py,
		       const char *script, const char *mode,
		       struct run_plan *p)
{
	char rows[32], workers[16], hold[32];
	size_t n = 0;

	snprintf(rows, sizeof(rows), "%llu", (unsigned long long)o->rows);
	snprintf(workers, sizeof(workers), "%d", o->workers);
	snprintf(hold, sizeof(hold), "%g", o->hold_s);
	p->path = strdup(py);
	p->default_sigpipe = true;
	/* experiment.py cleans up on SIGTERM: its segment, its pool (whose
	 * resource tracker then unlinks the pool's semaphores) */
	p->death_signal = SIGTERM;
	p->expect_result = true;
	if (!p->path || add_arg(p, &n, py) || add_arg(p, &n, script) ||
	    add_arg(p, &n, "--mode") || add_arg(p, &n, mode) ||
	    add_arg(p, &n, "--rows") || add_arg(p, &n, rows) ||
	    add_arg(p, &n, "--workers") || add_arg(p, &n, workers) ||
	    add_arg(p, &n, "--hold") || add_arg(p, &n, hold))
		return -1;
	return 0;
}

/* The session's log directory, made on first use; "" until then. */
struct logdir {
	char path[PATH_MAX];
};

static bool log_path(struct logdir *d, const char *file, struct run_plan *p,
		     struct run *r, char *err, size_t errlen)
{
	char buf[PATH_MAX];
	int n;

	if (!d->path[0]) {
		const char *tmp = getenv("TMPDIR");

		if (!tmp || tmp[0] != '/' || strlen(tmp) > 200)
			tmp = "/tmp";
		snprintf(d->path, sizeof(d->path), "%s/shmviz-log-XXXXXX", tmp);
		if (!mkdtemp(d->path)) {
			snprintf(err, errlen, "cannot make a directory for the runs' output in %s: %s",
				 tmp, strerror(errno));
			d->path[0] = '\0';
			return false;
		}
	}
	n = snprintf(buf, sizeof(buf), "%s/%s.log", d->path, file);
	if (n < 0 || (size_t)n >= sizeof(r->log)) {
		snprintf(err, errlen, "the log path is too long");
		return false;
	}
	p->log_path = strdup(buf);
	if (!p->log_path) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	memcpy(r->log, buf, (size_t)n + 1);
	return true;
}

static int build_native(const struct cli_options *o, const char *self_exe,
			struct model *m, struct run_plan *plans, char *err,
			size_t errlen)
{
	static const struct {
		unsigned bit;
		const char *name;
		const char *detail;
	} native[] = {
		{ CLI_RUN_SHARED, "shared", "POSIX shm" },
		{ CLI_RUN_COPY, "copy", "pipe per worker" },
		{ CLI_RUN_COW, "cow", "fork copy-on-write" },
	};

	snprintf(m->config.workload, sizeof(m->config.workload), "native");
	for (size_t i = 0; i < sizeof(native) / sizeof(native[0]); i++) {
		char detail[MODEL_TEXT_MAX];
		struct run *r;

		if (!(o->runs & native[i].bit))
			continue;
		if (native[i].bit == CLI_RUN_COW && o->cow_write_pct)
			snprintf(detail, sizeof(detail), "%s, %d%% written, %d worker%s",
				 native[i].detail, o->cow_write_pct, o->workers,
				 o->workers == 1 ? "" : "s");
		else
			snprintf(detail, sizeof(detail), "%s, %d worker%s",
				 native[i].detail, o->workers, o->workers == 1 ? "" : "s");
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

static int build_python(const struct cli_options *o, struct model *m,
			struct run_plan *plans, struct logdir *d, char *err,
			size_t errlen)
{
	static const struct {
		unsigned bit;
		const char *name;
		const char *detail;
	} modes[] = {
		{ CLI_RUN_SHARED, "shared", "Python, multiprocessing.shared_memory" },
		{ CLI_RUN_COPY, "copy", "Python, pickled into each worker" },
	};
	char py[PATH_MAX], script[PATH_MAX];
	int rc;

	rc = python_find(o->python, py, sizeof(py), err, errlen);
	if (rc)
		return rc;
	if (!assets_path(PYTHON_SCRIPT, script, sizeof(script)) ||
	    access(script, R_OK) != 0) {
		snprintf(err, errlen, "cannot find the Python workload %s in %s (reinstall shmviz, or set SHMVIZ_ASSETS)",
			 PYTHON_SCRIPT, assets_dir());
		return EXIT_ENVIRONMENT;
	}
	rc = python_check(py, err, errlen);
	if (rc)
		return rc;
	snprintf(m->config.workload, sizeof(m->config.workload), "python");
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char detail[MODEL_TEXT_MAX], label[MODEL_TEXT_MAX];
		struct run_plan *p;
		struct run *r;

		if (!(o->runs & modes[i].bit))
			continue;
		snprintf(detail, sizeof(detail), "%s, %d worker%s", modes[i].detail,
			 o->workers, o->workers == 1 ? "" : "s");
		snprintf(label, sizeof(label), "%s --mode %s", PYTHON_SCRIPT,
			 modes[i].name);
		r = model_add_run(m, modes[i].name, label, detail);
		if (!r)
			goto nomem;
		p = &plans[m->nruns - 1];
		if (python_plan(o, py, script, modes[i].name, p))
			goto nomem;
		if (!log_path(d, modes[i].name, p, r, err, errlen))
			return EXIT_ENVIRONMENT;
		r->workers = o->workers;
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	return EXIT_ENVIRONMENT;
}

/* Appends word to out, in single quotes when words.h would not read it
 * back as one word as it is. */
static void append_word(char *out, size_t size, const char *word)
{
	size_t len = strlen(out);
	bool quote = !*word || strpbrk(word, " \t\n'\"\\") != NULL;

	if (len && len + 1 < size)
		out[len++] = ' ';
	if (quote && len + 1 < size)
		out[len++] = '\'';
	for (const char *c = word; *c && len + 1 < size; c++) {
		if (*c == '\'' && quote) {
			if (len + 4 >= size)
				break;
			memcpy(out + len, "'\\''", 4); /* close, \', reopen */
			len += 4;
		} else {
			out[len++] = *c;
		}
	}
	if (quote && len + 1 < size)
		out[len++] = '\'';
	out[len] = '\0';
}

/* The words with the program's directory left out ("touch 64 2"), for
 * the views' narrow headers; the label keeps the command as given. */
static void short_command(const struct words *w, char *out, size_t size)
{
	const char *prog = strrchr(w->argv[0], '/');

	out[0] = '\0';
	append_word(out, size, prog && prog[1] ? prog + 1 : w->argv[0]);
	for (size_t k = 1; k < w->argc; k++)
		append_word(out, size, w->argv[k]);
}

static int build_compare(const struct cli_options *o, struct model *m,
			 struct run_plan *plans, struct logdir *d, char *err,
			 size_t errlen)
{
	static const char *const names[2] = { "A", "B" };
	struct words w[2] = { { NULL, 0 }, { NULL, 0 } };
	char why[256], found[PATH_MAX];
	int rc = 0;

	snprintf(m->config.workload, sizeof(m->config.workload), "compare");
	snprintf(m->config.mode, sizeof(m->config.mode), "compare");
	m->config.workers = 0;
	m->config.rows = 0;
	m->config.bytes = 0;
	if (o->nlabels == 2 && strcmp(o->labels[0], o->labels[1]) == 0) {
		snprintf(err, errlen, "--label: the two runs need different names");
		return EXIT_USAGE;
	}
	/* one label names A; B keeps its name, which the label must not
	 * take */
	if (o->nlabels == 1 && strcmp(o->labels[0], names[1]) == 0) {
		snprintf(err, errlen, "--label: '%s' is the name of the other run (give --label twice to name both)",
			 names[1]);
		return EXIT_USAGE;
	}
	/* every check before anything is made */
	for (int i = 0; i < 2; i++) {
		if (!words_split(o->compare[i], &w[i], why, sizeof(why))) {
			snprintf(err, errlen, "--compare: command %s: %s", names[i], why);
			rc = EXIT_USAGE;
			goto out;
		}
		if (w[i].argc == 0) {
			snprintf(err, errlen, "--compare: command %s is empty", names[i]);
			rc = EXIT_USAGE;
			goto out;
		}
		if (w[i].argc >= SESSION_ARGV_MAX) {
			snprintf(err, errlen, "--compare: command %s has more than %d words",
				 names[i], SESSION_ARGV_MAX - 1);
			rc = EXIT_USAGE;
			goto out;
		}
		rc = command_resolve(w[i].argv[0], found, sizeof(found), why,
				     sizeof(why));
		if (rc) {
			snprintf(err, errlen, "--compare: command %s: %s: %s", names[i],
				 w[i].argv[0], why);
			goto out;
		}
	}
	for (int i = 0; i < 2; i++) {
		const char *name = i < o->nlabels ? o->labels[i] : names[i];
		struct run_plan *p;
		struct run *r;
		size_t n = 0;

		r = model_add_run(m, name, o->compare[i], NULL);
		if (!r)
			goto nomem;
		short_command(&w[i], r->detail, sizeof(r->detail));
		p = &plans[m->nruns - 1];
		p->default_sigpipe = true;
		snprintf(p->first_phase, sizeof(p->first_phase), "run");
		for (size_t k = 0; k < w[i].argc; k++)
			if (add_arg(p, &n, w[i].argv[k]))
				goto nomem;
		if (!log_path(d, names[i], p, r, err, errlen)) {
			rc = EXIT_ENVIRONMENT;
			goto out;
		}
	}
	goto out;
nomem:
	snprintf(err, errlen, "out of memory");
	rc = EXIT_ENVIRONMENT;
out:
	words_finish(&w[0]);
	words_finish(&w[1]);
	return rc;
}

int plan_build(const struct cli_options *o, const char *self_exe,
	       struct model *m, struct run_plan *plans, char *err,
	       size_t errlen)
{
	struct model_config *c = &m->config;
	struct logdir d = { "" };
	int rc;

	c->workers = o->workers;
	c->rows = o->rows;
	c->bytes = o->rows * sizeof(struct record);
	c->interval_ms = o->interval_ms;
	c->hold_s = o->hold_s;
	c->budget_pct = o->budget_pct;
	c->cow_write_pct = o->cow_write_pct;
	snprintf(c->mode, sizeof(c->mode), "%s", o->mode);

	switch (o->workload) {
	case WORKLOAD_NATIVE:
		rc = build_native(o, self_exe, m, plans, err, errlen);
		break;
	case WORKLOAD_PYTHON:
		rc = build_python(o, m, plans, &d, err, errlen);
		break;
	case WORKLOAD_COMPARE:
		rc = build_compare(o, m, plans, &d, err, errlen);
		break;
	default:
		snprintf(err, errlen, "unknown workload");
		rc = EXIT_USAGE;
		break;
	}
	if (rc) {
		/* nothing of a refused plan stays: strings, runs, directory */
		for (size_t i = 0; i < MODEL_MAX_RUNS; i++)
			run_plan_finish(&plans[i]);
		if (d.path[0])
			rmdir(d.path);
		m->nruns = 0;
	}
	return rc;
}
