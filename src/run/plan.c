/*
 * plan.c - the runs of a session and their command lines.
 *
 * native   shmviz runs its workload program: "shmviz-workload MODE ROWS
 *          WORKERS HOLD COW_PCT" (workload.h), found beside shmviz or
 *          where it is installed (assets.h), checked before anything
 *          runs; output to /dev/null
 * python   the interpreter (python.h) runs assets/experiment.py once a
 *          mode; checked before anything runs
 * prefork  the interpreter runs assets/prefork.py once a variant (fork,
 *          frozen, numpy, shm); checked before anything runs
 * compare  the user's two commands, split by words.h and run with
 *          execvp; each program is looked up first (command.h)
 * command  -- CMD [ARG]...: one command, its words as given, run as a
 *          compare command is
 * attach   --attach PID: no command; the run watches a tree that runs
 *          already (docs/architecture.md, "Attaching")
 *
 * Python and command runs write their output to NAME.log in a directory
 * made for the session under $TMPDIR (or /tmp); its path is in the model
 * (run.log), the recording and the summary.
 */
#include "src/run/plan.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probes/stat.h"
#include "probes/status.h"
#include "src/run/command.h"
#include "src/run/python.h"
#include "src/run/words.h"
#include "src/util/assets.h"
#include "src/util/macros.h"
#include "src/util/readfile.h"
#include "src/util/text.h"
#include "src/workload/dataset.h"
#include "src/workload/workload.h"

#define PYTHON_SCRIPT "experiment.py"
#define PREFORK_SCRIPT "prefork.py"
/* one str object of 25 characters in CPython 3.8 to 3.12 (40 bytes of
 * header, the characters and a NUL, in pymalloc's 16-byte classes): the
 * size the header shows for --workload prefork's objects */
#define PREFORK_OBJECT_BYTES 80

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

static int native_plan(const struct cli_options *o, const char *program,
		       const char *mode, struct run_plan *p)
{
	char rows[32], workers[16], hold[32], cow[16];
	size_t n = 0;

	snprintf(rows, sizeof(rows), "%llu", (unsigned long long)o->rows);
	snprintf(workers, sizeof(workers), "%d", o->workers);
	snprintf(hold, sizeof(hold), "%g", o->hold_s);
	snprintf(cow, sizeof(cow), "%d", o->cow_write_pct);
	p->path = strdup(program);
	p->expect_result = true;
	/* the moments before the workload's first phase line (its exec)
	 * belong to a phase too: the phases add up to the run's time */
	snprintf(p->first_phase, sizeof(p->first_phase), "start");
	if (!p->path || add_arg(p, &n, WORKLOAD_PROGRAM) ||
	    add_arg(p, &n, mode) ||
	    add_arg(p, &n, rows) || add_arg(p, &n, workers) ||
	    add_arg(p, &n, hold) || add_arg(p, &n, cow))
		return -1;
	return 0;
}

/* What a run of one of the Python workloads (experiment.py, prefork.py)
 * begins with: the interpreter with -I (nothing from the current
 * directory, PYTHON* variables or the user's site directory: python.c)
 * and the script; SIGTERM at shmviz's death, on which both scripts clean
 * up (their segment, their workers, the pool whose resource tracker then
 * unlinks its semaphores); the interpreter's start and the imports are a
 * phase of their own. */
static int interpreter_plan(const char *py, const char *script,
			    struct run_plan *p, size_t *n)
{
	p->path = strdup(py);
	p->default_sigpipe = true;
	p->death_signal = SIGTERM;
	p->expect_result = true;
	snprintf(p->first_phase, sizeof(p->first_phase), "start");
	if (!p->path || add_arg(p, n, py) || add_arg(p, n, "-I") ||
	    add_arg(p, n, script))
		return -1;
	return 0;
}

static int python_plan(const struct cli_options *o, const char *py,
		       const char *script, const char *mode,
		       const char *method, struct run_plan *p)
{
	char rows[32], workers[16], hold[32];
	size_t n = 0;

	snprintf(rows, sizeof(rows), "%llu", (unsigned long long)o->rows);
	snprintf(workers, sizeof(workers), "%d", o->workers);
	snprintf(hold, sizeof(hold), "%g", o->hold_s);
	if (interpreter_plan(py, script, p, &n) ||
	    add_arg(p, &n, "--mode") || add_arg(p, &n, mode) ||
	    add_arg(p, &n, "--rows") || add_arg(p, &n, rows) ||
	    add_arg(p, &n, "--workers") || add_arg(p, &n, workers) ||
	    add_arg(p, &n, "--hold") || add_arg(p, &n, hold) ||
	    add_arg(p, &n, "--start-method") || add_arg(p, &n, method))
		return -1;
	return 0;
}

static int prefork_plan(const struct cli_options *o, const char *py,
			const char *script, const char *variant,
			struct run_plan *p)
{
	char objects[32], workers[16], readfor[32], hold[32];
	size_t n = 0;

	snprintf(objects, sizeof(objects), "%llu", (unsigned long long)o->rows);
	snprintf(workers, sizeof(workers), "%d", o->workers);
	snprintf(readfor, sizeof(readfor), "%g", o->duration_s);
	snprintf(hold, sizeof(hold), "%g", o->hold_s);
	if (interpreter_plan(py, script, p, &n))
		return -1;
	{
		const char *const words[] = {
			"--variant", variant, "--objects", objects,
			"--workers", workers, "--read", readfor, "--hold", hold,
		};

		for (size_t i = 0; i < ARRAY_SIZE(words); i++)
			if (add_arg(p, &n, words[i]))
				return -1;
	}
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

static int build_native(const struct cli_options *o, struct model *m,
			struct run_plan *plans, char *err, size_t errlen)
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
	char program[PATH_MAX], why[PATH_MAX + 256];

	if (!assets_program(WORKLOAD_PROGRAM, program, sizeof(program), why,
			    sizeof(why))) {
		snprintf(err, errlen, "cannot run the native workload: %s (reinstall shmviz)",
			 why);
		return EXIT_ENVIRONMENT;
	}
	snprintf(m->config.workload, sizeof(m->config.workload), "native");
	for (size_t i = 0; i < ARRAY_SIZE(native); i++) {
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
		if (!r || native_plan(o, program, native[i].name,
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
	/* --mode all: the copy run once with each start method, so that
	 * fork's workers (which inherit the parent's table) stand beside
	 * spawn's and forkserver's (which are handed a copy) */
	static const struct {
		unsigned bit;
		const char *name;
		const char *mode;
		const char *method;     /* NULL: --start-method's */
		const char *detail;
	} modes[] = {
		{ CLI_RUN_SHARED, "shared", "shared", NULL, "Python, multiprocessing.shared_memory" },
		{ CLI_RUN_COPY, "copy", "copy", NULL, "Python, a copy in each worker" },
		{ CLI_RUN_COW, "copy-fork", "copy", "fork", "Python, a copy in each worker" },
		{ CLI_RUN_COW, "copy-spawn", "copy", "spawn", "Python, a copy in each worker" },
		{ CLI_RUN_COW, "copy-forkserver", "copy", "forkserver", "Python, a copy in each worker" },
	};
	/* all (shared, copy, cow bits): shared and the three copies */
	unsigned runs = o->runs & CLI_RUN_COW ? CLI_RUN_SHARED | CLI_RUN_COW :
		       o->runs;
	char py[PATH_MAX], script[PATH_MAX], dflt[16];
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
	rc = python_check_method(py, dflt, sizeof(dflt), err, errlen);
	if (rc)
		return rc;
	snprintf(m->config.workload, sizeof(m->config.workload), "python");
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
		char detail[MODEL_TEXT_MAX], label[MODEL_TEXT_MAX];
		struct run_plan *p;
		struct run *r;

		const char *method = modes[i].method ? modes[i].method :
				     o->start_method ? o->start_method : "spawn";

		if (!(runs & modes[i].bit))
			continue;
		/* which start method this interpreter takes when none is
		 * named (fork on Linux before Python 3.14, forkserver since) */
		snprintf(detail, sizeof(detail), "%s, %s%s%s%s, %d worker%s",
			 modes[i].detail, method,
			 dflt[0] ? " (default: " : "", dflt, dflt[0] ? ")" : "",
			 o->workers, o->workers == 1 ? "" : "s");
		snprintf(label, sizeof(label), "%s --mode %s --start-method %s",
			 PYTHON_SCRIPT, modes[i].mode, method);
		r = model_add_run(m, modes[i].name, label, detail);
		if (!r)
			goto nomem;
		p = &plans[m->nruns - 1];
		if (python_plan(o, py, script, modes[i].mode, method, p))
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

/* --workload prefork: one run a variant of prefork.py, each its own
 * tree; the two that need numpy are left out, with a line on stderr,
 * when the interpreter cannot import it. */
static int build_prefork(const struct cli_options *o, struct model *m,
			 struct run_plan *plans, struct logdir *d, char *err,
			 size_t errlen)
{
	static const struct {
		const char *name;
		bool numpy;
		const char *detail;
	} variants[] = {
		{ "fork", false, "str objects read by fork workers" },
		{ "frozen", false, "the same after gc.freeze()" },
		{ "numpy", true, "the same strings as one numpy array" },
		{ "shm", true, "that array in shared memory" },
	};
	char py[PATH_MAX], script[PATH_MAX];
	bool numpy;
	int rc;

	rc = python_find(o->python, py, sizeof(py), err, errlen);
	if (rc)
		return rc;
	if (!assets_path(PREFORK_SCRIPT, script, sizeof(script)) ||
	    access(script, R_OK) != 0) {
		snprintf(err, errlen, "cannot find the prefork workload %s in %s (reinstall shmviz, or set SHMVIZ_ASSETS)",
			 PREFORK_SCRIPT, assets_dir());
		return EXIT_ENVIRONMENT;
	}
	rc = python_check_prefork(py, &numpy, err, errlen);
	if (rc)
		return rc;
	if (!numpy)
		fprintf(stderr, "shmviz: %s cannot import numpy: the numpy and shm runs are left out (install python3-numpy)\n",
			py);
	snprintf(m->config.workload, sizeof(m->config.workload), "prefork");
	snprintf(m->config.mode, sizeof(m->config.mode), "prefork");
	m->config.bytes = o->rows * PREFORK_OBJECT_BYTES;
	for (size_t i = 0; i < ARRAY_SIZE(variants); i++) {
		char detail[MODEL_TEXT_MAX], label[MODEL_TEXT_MAX];
		struct run_plan *p;
		struct run *r;

		if (variants[i].numpy && !numpy)
			continue;
		snprintf(detail, sizeof(detail), "%s, %d worker%s",
			 variants[i].detail, o->workers, o->workers == 1 ? "" : "s");
		snprintf(label, sizeof(label), "%s --variant %s", PREFORK_SCRIPT,
			 variants[i].name);
		r = model_add_run(m, variants[i].name, label, detail);
		if (!r)
			goto nomem;
		p = &plans[m->nruns - 1];
		if (prefork_plan(o, py, script, variants[i].name, p))
			goto nomem;
		if (!log_path(d, variants[i].name, p, r, err, errlen))
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
static void short_command(char *const *argv, size_t argc, char *out,
			  size_t size)
{
	const char *prog = strrchr(argv[0], '/');

	out[0] = '\0';
	append_word(out, size, prog && prog[1] ? prog + 1 : argv[0]);
	for (size_t k = 1; k < argc; k++)
		append_word(out, size, argv[k]);
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
		short_command(w[i].argv, w[i].argc, r->detail, sizeof(r->detail));
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

/* A run's name from a program's file name: clean text of at most 23
 * bytes, else "command". */
static void command_name(const char *prog, char *out, size_t size)
{
	const char *base = strrchr(prog, '/');

	base = base && base[1] ? base + 1 : prog;
	if (strlen(base) < 24 && text_is_clean(base, strlen(base)))
		snprintf(out, size, "%s", base);
	else
		snprintf(out, size, "command");
}

static int build_command(const struct cli_options *o, struct model *m,
			 struct run_plan *plans, struct logdir *d, char *err,
			 size_t errlen)
{
	char why[256], found[PATH_MAX], name[MODEL_NAME_MAX];
	char label[MODEL_TEXT_MAX] = "";
	struct run_plan *p = &plans[0];
	struct run *r;
	size_t n = 0;
	int rc;

	snprintf(m->config.workload, sizeof(m->config.workload), "command");
	snprintf(m->config.mode, sizeof(m->config.mode), "command");
	m->config.workers = 0;
	m->config.rows = 0;
	m->config.bytes = 0;
	if (o->ncommand >= SESSION_ARGV_MAX) {
		snprintf(err, errlen, "--: the command has more than %d words",
			 SESSION_ARGV_MAX - 1);
		return EXIT_USAGE;
	}
	rc = command_resolve(o->command[0], found, sizeof(found), why, sizeof(why));
	if (rc) {
		snprintf(err, errlen, "%s: %s", o->command[0], why);
		return rc;
	}
	for (int k = 0; k < o->ncommand; k++)
		append_word(label, sizeof(label), o->command[k]);
	command_name(o->command[0], name, sizeof(name));
	r = model_add_run(m, name, label, NULL);
	if (!r)
		goto nomem;
	short_command(o->command, (size_t)o->ncommand, r->detail,
		      sizeof(r->detail));
	p->default_sigpipe = true;
	p->pass_status = true;
	snprintf(p->first_phase, sizeof(p->first_phase), "run");
	for (int k = 0; k < o->ncommand; k++)
		if (add_arg(p, &n, o->command[k]))
			goto nomem;
	if (!log_path(d, "command", p, r, err, errlen))
		return EXIT_ENVIRONMENT;
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	return EXIT_ENVIRONMENT;
}

/* /proc/PID/FILE into out as one line of clean text (cmdline's NULs
 * become spaces); false when it cannot be read. */
static bool proc_text(int pid, const char *file, char *out, size_t size)
{
	char path[64], buf[MODEL_TEXT_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	n = readfile(AT_FDCWD, path, buf, sizeof(buf));
	if (n <= 0)
		return false;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
		n--;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	text_sanitize(out, size, buf, (size_t)n, false);
	return out[0] != '\0';
}

static int build_attach(const struct cli_options *o, struct model *m,
			struct run_plan *plans, char *err, size_t errlen)
{
	char comm[MODEL_NAME_MAX], label[MODEL_TEXT_MAX], detail[MODEL_TEXT_MAX];
	struct run *r;

	snprintf(m->config.workload, sizeof(m->config.workload), "attach");
	snprintf(m->config.mode, sizeof(m->config.mode), "attach");
	m->config.workers = 0;
	m->config.rows = 0;
	m->config.bytes = 0;
	if (o->attach_pid == (int)getpid()) {
		snprintf(err, errlen, "--attach: %d is shmviz itself", o->attach_pid);
		return EXIT_USAGE;
	}
	if (!proc_text(o->attach_pid, "stat", label, sizeof(label))) {
		snprintf(err, errlen, "--attach: no process %d", o->attach_pid);
		return EXIT_USAGE;
	}
	{
		struct proc_status ps;
		struct proc_stat st;
		char pidname[32];

		/* a thread's id opens /proc/TID like a process's, but its tree
		 * is its process's: said up front, not "no such process"
		 * later from a scan that lists processes only */
		snprintf(pidname, sizeof(pidname), "/proc/%d", o->attach_pid);
		if (status_readat(AT_FDCWD, pidname, &ps) == 0 && ps.tgid > 0 &&
		    ps.tgid != o->attach_pid) {
			snprintf(err, errlen, "--attach: %d is a thread of process %d, not a process: attach to %d",
				 o->attach_pid, (int)ps.tgid, (int)ps.tgid);
			return EXIT_USAGE;
		}
		/* a kernel thread (kthreadd, pid 2, and its children) maps no
		 * memory of its own: nothing to watch */
		if (stat_read(o->attach_pid, &st) == 0 &&
		    (o->attach_pid == 2 || st.ppid == 2)) {
			snprintf(err, errlen, "--attach: %d is a kernel thread: it has no memory of its own to watch",
				 o->attach_pid);
			return EXIT_USAGE;
		}
		/* a zombie has exited: only its parent's wait is left */
		if (stat_read(o->attach_pid, &st) == 0 &&
		    (st.state == 'Z' || st.state == 'X')) {
			snprintf(err, errlen, "--attach: %d has exited (a zombie its parent %d has not reaped): nothing to watch",
				 o->attach_pid, (int)st.ppid);
			return EXIT_USAGE;
		}
		/* an ancestor's tree holds shmviz itself */
		for (pid_t p = getppid(); p >= 1 && stat_read(p, &st) == 0; p = st.ppid) {
			if (p == o->attach_pid) {
				snprintf(err, errlen, "--attach: %d is an ancestor of shmviz: its tree would hold shmviz itself (attach to a process beside it)",
					 o->attach_pid);
				return EXIT_USAGE;
			}
		}
	}
	if (!proc_text(o->attach_pid, "comm", comm, sizeof(comm)) || strlen(comm) >= 24)
		snprintf(comm, sizeof(comm), "pid %d", o->attach_pid);
	/* a kernel thread or a zombie has no command line: its name */
	if (!proc_text(o->attach_pid, "cmdline", label, sizeof(label)))
		snprintf(label, sizeof(label), "%s", comm);
	snprintf(detail, sizeof(detail), "attached to pid %d", o->attach_pid);
	r = model_add_run(m, comm, label, detail);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return EXIT_ENVIRONMENT;
	}
	plans[0].attach_pid = o->attach_pid;
	plans[0].duration_s = o->duration_s;
	snprintf(plans[0].first_phase, sizeof(plans[0].first_phase), "attached");
	return 0;
}

int plan_build(const struct cli_options *o, struct model *m,
	       struct run_plan *plans, char *err, size_t errlen)
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
	c->repeat = o->repeat > 1 ? o->repeat : 1;
	snprintf(c->mode, sizeof(c->mode), "%s", o->mode);

	switch (o->workload) {
	case WORKLOAD_NATIVE:
		rc = build_native(o, m, plans, err, errlen);
		break;
	case WORKLOAD_PYTHON:
		rc = build_python(o, m, plans, &d, err, errlen);
		break;
	case WORKLOAD_PREFORK:
		rc = build_prefork(o, m, plans, &d, err, errlen);
		break;
	case WORKLOAD_COMPARE:
		rc = build_compare(o, m, plans, &d, err, errlen);
		break;
	case WORKLOAD_COMMAND:
		rc = build_command(o, m, plans, &d, err, errlen);
		break;
	case WORKLOAD_ATTACH:
		rc = build_attach(o, m, plans, err, errlen);
		break;
	default:
		snprintf(err, errlen, "unknown workload");
		rc = EXIT_USAGE;
		break;
	}
	for (size_t i = 0; i < m->nruns; i++)
		m->runs[i].proj.workers = o->project;
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
