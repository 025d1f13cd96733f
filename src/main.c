/*
 * main.c - the composition root: parses the command line, checks the
 * machine, builds the model and the run plans, and connects the session
 * loop to its sink (the TUI, or the headless recorder). The only file of
 * src/ that reaches into ui/.
 */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "probes/host.h"
#include "src/cli/cli.h"
#include "src/core/model.h"
#include "src/core/palette.h"
#include "src/recording/export.h"
#include "src/recording/headless.h"
#include "src/recording/record.h"
#include "src/recording/replay.h"
#include "src/report/captions.h"
#include "src/report/plot.h"
#include "src/report/summary.h"
#include "src/run/guard.h"
#include "src/run/plan.h"
#include "src/run/preflight.h"
#include "src/run/session.h"
#include "src/util/outpath.h"
#include "src/util/text.h"
#include "src/workload/dataset.h"
#include "ui/playback.h"
#include "ui/tui.h"

/* Every error line of shmviz goes through here: sanitised whole (a path,
 * a program name, a value of the command line may hold an escape
 * sequence or a newline), so that it is one line of plain text. */
static int said; /* error lines printed */

static void say(const char *msg)
{
	char line[4096];

	said++;
	text_sanitize(line, sizeof(line), msg, strlen(msg), false);
	fprintf(stderr, "shmviz: %s\n", line);
}

static int die(int status, const char *msg)
{
	say(msg);
	return status;
}

/* --ascii, or a locale whose characters are not UTF-8 */
static bool ascii_wanted(const struct cli_options *o)
{
	return o->ascii || strcmp(nl_langinfo(CODESET), "UTF-8") != 0;
}

static struct tui_options tui_options_from(const struct cli_options *o)
{
	const char *no_color = getenv("NO_COLOR");
	struct tui_options to = {
		.ascii = ascii_wanted(o),
		.color = no_color == NULL || !*no_color,
		.captions = o->captions,
		.lesson = o->lesson,
	};

	palette_parse(o->theme ? o->theme : "auto", getenv("COLORFGBG"), &to.theme);

	return to;
}

/* The export paths are checked before anything is loaded or run; the
 * recording they come from must be a regular file (it is read twice). */
static int check_exports(const struct cli_options *o)
{
	const char *paths[] = { o->export_csv, o->export_trace };
	const char *in = o->replay_path ? o->replay_path : o->plot_path;
	struct stat st;
	char err[512], name[256];

	/* (a directory is the loader's to refuse, as for --replay alone) */
	if ((o->export_csv || o->export_trace) && in && stat(in, &st) == 0 &&
	    !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		text_shown(name, sizeof(name), in, OUTPATH_SHOWN_MAX);
		snprintf(err, sizeof(err), "%s: an export reads the recording twice: it must be a regular file, not %s",
			 name, outpath_kind(st.st_mode));
		return die(EXIT_USAGE, err);
	}

	for (size_t i = 0; i < 2; i++) {
		int status = paths[i] ? outpath_check(paths[i], o->force,
						      "cannot export to", NULL,
						      err, sizeof(err)) : 0;

		if (status)
			return die(status, err);
	}
	return 0;
}

/* --export-csv, --export-trace: the recording at rec, whose runs m holds */
static int run_exports(const struct cli_options *o, const struct model *m,
		       const char *rec, int sigfd)
{
	const char *paths[] = { o->export_csv, o->export_trace };
	const enum export_format fmts[] = { EXPORT_CSV, EXPORT_TRACE };
	char err[512];

	for (size_t i = 0; i < 2; i++) {
		int status = paths[i] ? export_write(fmts[i], m, rec, o->recover,
						     paths[i], sigfd, err,
						     sizeof(err)) : 0;

		if (status)
			return status > 128 ? status : die(status, err);
	}
	return 0;
}

/* A recording for --replay and --plot; with --recover, one cut short is
 * read up to its last sample, and a line on stderr says so. */
static int load_recording(const struct cli_options *o, const char *path,
			  struct model *m, int sigfd, char *err, size_t errlen)
{
	char note[512], line[1024], name[256];
	int status;

	if (!o->recover)
		return replay_load_signals(path, m, sigfd, err, errlen);
	status = replay_load_recover(path, m, sigfd, note, sizeof(note), err, errlen);
	if (!status && note[0]) {
		text_sanitize(name, sizeof(name), path, strlen(path), false);
		snprintf(line, sizeof(line), "%s: %s", name, note);
		fprintf(stderr, "shmviz: %s\n", line);
	}
	return status;
}

/* --replay FILE: load (exit 3 when the file is bad), then play it; with
 * an export, write it instead (no terminal needed). */
static int run_replay(const struct cli_options *o)
{
	struct tui_options to = tui_options_from(o);
	struct model m;
	struct tui *t;
	char err[512];
	int status, sigfd;

	if (o->export_csv || o->export_trace) {
		status = check_exports(o);
		if (status)
			return status;
		sigfd = session_signals_init();
		status = load_recording(o, o->replay_path, &m, sigfd, err, sizeof(err));
		if (status && status < 128)
			status = die(status, err);
		if (!status)
			status = run_exports(o, &m, o->replay_path, sigfd);
		model_finish(&m);
		if (sigfd >= 0)
			close(sigfd);
		return status;
	}
	sigfd = session_signals_init();

	/* a recording read from a pipe may take as long as its writer: a
	 * signal meanwhile ends the load */
	status = load_recording(o, o->replay_path, &m, sigfd, err, sizeof(err));
	if (status) {
		model_finish(&m);
		if (sigfd >= 0)
			close(sigfd);
		return status > 128 ? status : die(status, err);
	}
	if (!isatty(STDOUT_FILENO)) {
		model_finish(&m);
		if (sigfd >= 0)
			close(sigfd);
		return die(EXIT_USAGE, "standard output is not a terminal: --replay needs one (--plot FILE -o OUT.svg makes a picture)");
	}
	t = tui_create(&to, err, sizeof(err));
	if (!t) {
		model_finish(&m);
		if (sigfd >= 0)
			close(sigfd);
		return die(EXIT_ENVIRONMENT, err);
	}
	if (sigfd < 0) {
		tui_destroy(t);
		model_finish(&m);
		return die(EXIT_ENVIRONMENT, "cannot set up signal handling");
	}
	status = playback_run(t, &m, o->speed, sigfd);
	tui_destroy(t);
	close(sigfd);
	model_finish(&m);
	return status;
}

/* --plot FILE -o OUT: load (exit 3), draw (exit 2 when OUT cannot be
 * written). Signals wait while the picture is written, so a Ctrl-C never
 * leaves half a file; they are honoured after it. */
static int run_plot(const struct cli_options *o)
{
	struct signalfd_siginfo si;
	struct model m;
	char err[512];
	int status, sigfd = session_signals_init();

	/* what -o names is checked before the recording is loaded */
	status = outpath_check(o->output_path, o->force, "cannot write", NULL,
			       err, sizeof(err));
	if (status) {
		if (sigfd >= 0)
			close(sigfd);
		return die(status, err);
	}
	status = check_exports(o);
	if (status) {
		if (sigfd >= 0)
			close(sigfd);
		return status;
	}
	status = load_recording(o, o->plot_path, &m, sigfd, err, sizeof(err));
	/* a picture is light (for a slide) unless dark is asked for */
	plot_set_theme(o->theme && strcmp(o->theme, "dark") == 0 ? PALETTE_DARK : PALETTE_LIGHT);
	plot_set_source(o->plot_path);
	if (!status)
		status = plot_write_mappings(&m, o->output_path, o->width, o->height,
					     o->mappings, err, sizeof(err));
	if (!status && (o->export_csv || o->export_trace)) {
		status = run_exports(o, &m, o->plot_path, sigfd);
		if (status) {
			model_finish(&m);
			if (sigfd >= 0)
				close(sigfd);
			return status;
		}
	}
	model_finish(&m);
	if (status > 128) {
		/* interrupted while the recording came through a pipe */
		close(sigfd);
		return status;
	}
	if (status) {
		if (sigfd >= 0)
			close(sigfd);
		return die(status, err);
	}
	if (sigfd >= 0 && read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si) &&
	    si.ssi_signo != SIGCHLD)
		status = 128 + (int)si.ssi_signo;
	if (sigfd >= 0)
		close(sigfd);
	return status;
}

/* The plans of the session's runs, after the checks of the machine
 * (the number of workers: o's, else one a CPU). Returns 0, or an exit
 * status once the error is said and m finished. */
static int build_plans(const struct cli_options *o, struct model *m,
		       struct session *s)
{
	struct cli_options oo = *o;
	char err[512];
	int status;

	if (!oo.workers)
		oo.workers = m->host.cpus;
	preflight_remove_stale(PREFLIGHT_SHM_DIR, stderr);
	if (!preflight_check(&oo, oo.workers, oo.rows * sizeof(struct record), PREFLIGHT_SHM_DIR,
			     err, sizeof(err))) {
		model_finish(m);
		return die(EXIT_ENVIRONMENT, err);
	}
	status = plan_build(&oo, m, s->plans, err, sizeof(err));
	if (status) {
		model_finish(m);
		return die(status, err);
	}
	preflight_python_warn(&oo, oo.workers, stderr);
	return 0;
}

/* --show-output: the runs' output beside the summary; never over a TUI,
 * nor between a progress line's redraws */
static void show_output(const struct cli_options *o, struct session *s,
			struct headless *h, const struct tui *t)
{
	if (o->show_output && !t) {
		s->echo_fd = STDERR_FILENO;
		h->progress = NULL;
	}
}

/* --ascii, or a locale not UTF-8: the summary's text in ASCII, a line at
 * a time on its way out (text_to_ascii(); the table's cells are ASCII
 * already, summary_set_ascii(), so that its columns line up) */
struct ascii_out {
	FILE *to;
	size_t n;
	char line[4096];
};

static void ascii_line(struct ascii_out *a, size_t n)
{
	char buf[sizeof(a->line) * 2], keep[sizeof(a->line)];
	size_t rest = a->n - n;

	memcpy(keep, a->line + n, rest);
	a->line[n] = '\0';
	text_to_ascii(buf, sizeof(buf), a->line);
	fputs(buf, a->to);
	fflush(a->to);
	memcpy(a->line, keep, rest);
	a->n = rest;
}

static ssize_t ascii_write(void *cookie, const char *b, size_t n)
{
	struct ascii_out *a = cookie;

	for (size_t i = 0; i < n; i++) {
		a->line[a->n++] = b[i];
		if (b[i] == '\n') {
			ascii_line(a, a->n);
		} else if (a->n == sizeof(a->line) - 1) {
			/* a line this long: out up to a character's start */
			size_t k = a->n;

			while (k > 1 && ((unsigned char)a->line[k - 1] & 0xc0) == 0x80)
				k--;
			ascii_line(a, k > 1 ? k - 1 : a->n);
		}
	}
	return (ssize_t)n;
}

static int ascii_close(void *cookie)
{
	struct ascii_out *a = cookie;

	if (a->n)
		ascii_line(a, a->n);
	free(a);
	return 0;
}

/* to, or a stream that writes to it in ASCII (to when out of memory) */
static FILE *ascii_stream(FILE *to)
{
	static const cookie_io_functions_t io = { .write = ascii_write, .close = ascii_close };
	struct ascii_out *a = calloc(1, sizeof(*a));
	FILE *f;

	if (!a)
		return to;
	a->to = to;
	f = fopencookie(a, "w", io);
	if (!f) {
		free(a);
		return to;
	}
	/* a line out as it is written: in order with what else goes to the
	 * terminal (the exports' lines, errors on stderr) */
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

/* Where the session goes: with --record, the recording (and on a
 * terminal the TUI as well), else the TUI. Returns 0, or an exit status
 * once the error is said. */
static int open_sink(const struct cli_options *o, struct session *s,
		     struct headless *h, struct tui **t)
{
	char err[512];

	if (o->record_path && o->lesson && !isatty(STDOUT_FILENO))
		return die(EXIT_USAGE, "--lesson is for the TUI: standard output is not a terminal");
	if (o->record_path) {
		h->rec = record_create(o->record_path, o->force, err, sizeof(err));
		if (!h->rec)
			return die(EXIT_USAGE, err);
		h->summary = strcmp(o->record_path, "-") == 0 ? stderr : stdout;
		if (o->quiet) {
			h->summary = NULL;
		} else if (ascii_wanted(o)) {
			summary_set_ascii(true);
			/* (the ASCII stream has no descriptor: the width is
			 * that of the one under it) */
			summary_set_width_fd(fileno(h->summary));
			h->summary = ascii_stream(h->summary);
		}
		if (!o->quiet && isatty(STDERR_FILENO) &&
		    !(strcmp(o->record_path, "-") == 0 && isatty(STDOUT_FILENO)))
			/* (not between the JSON's lines on one terminal) */
			h->progress = stderr;
		s->sink = headless_sink(h);
		if (!o->headless && strcmp(o->record_path, "-") != 0 &&
		    isatty(STDOUT_FILENO)) {
			/* on a terminal: the TUI shows the session recorded */
			struct tui_options to = tui_options_from(o);

			to.recording = true;
			*t = tui_create(&to, err, sizeof(err));
			/* a terminal curses cannot use (TERM unset or dumb):
			 * headless, as without a terminal */
			if (*t)
				s->sink = headless_tee(h, tui_sink(*t));
			else if (o->lesson)
				return die(EXIT_ENVIRONMENT, err);
		}
	} else {
		struct tui_options to = tui_options_from(o);

		*t = tui_create(&to, err, sizeof(err));
		if (!*t)
			return die(EXIT_ENVIRONMENT, err);
		s->sink = tui_sink(*t);
	}
	return 0;
}

/* With --record, once the session is over: the recording committed, its
 * summary and its exports. Returns the exit status, status as it was
 * unless this fails. */
static int finish_recording(const struct cli_options *o, struct model *m,
			    const struct session *s, struct headless *h,
			    int status, int sigfd)
{
	if (h->rec && !s->started) {
		/* nothing was recorded (the sampler could not start): the file
		 * at the path stays as it was, and no summary of runs that
		 * never ran is printed */
		if (!s->error[0])
			say("the session could not start");
	} else if (h->rec) {
		if (!record_error(h->rec)[0])
			record_commit(h->rec, m);
		if (record_error(h->rec)[0]) {
			say(record_error(h->rec));
			if (status == EXIT_OK || status == EXIT_RUN_FAILED)
				status = EXIT_ENVIRONMENT;
		} else {
			int xs;

			if (h->summary) {
				if (!h->header_done)
					summary_header(h->summary, m);
				summary_body(h->summary, m);
			}
			/* the recording is whole: read again for the exports */
			xs = run_exports(o, m, o->record_path, sigfd);
			if (xs && (xs > 128 || status == EXIT_OK ||
				   status == EXIT_RUN_FAILED))
				status = xs;
		}
	}
	return status;
}

/* Why exit 4, when nothing said it yet: the cause of the first run that
 * failed, else a line that says no more than that. */
static void say_why_environment(const struct model *m)
{
	for (size_t i = 0; i < m->nruns; i++) {
		if (m->runs[i].state == RUN_FAILED && m->runs[i].cause[0]) {
			char line[MODEL_TEXT_MAX + MODEL_NAME_MAX + 32];

			snprintf(line, sizeof(line), "the %s run failed: %s",
				 m->runs[i].name, m->runs[i].cause);
			say(line);
			break;
		}
	}
	if (!said)
		say("a run failed for want of something of the machine");
}

static int run_session(const struct cli_options *o)
{
	struct model m;
	struct session s = { 0 };
	struct headless h = { 0 };
	struct tui *t = NULL;
	char err[512];
	int status, sigfd = -1;

	if (!o->record_path && !isatty(STDOUT_FILENO))
		return die(EXIT_USAGE, "standard output is not a terminal: use --record FILE (or --record -) to run headless");
	status = check_exports(o);
	if (status)
		return status;
	model_init(&m, false);
	snprintf(m.version, sizeof(m.version), "%s", SHMVIZ_VERSION);
	if (host_read(&m.host) != 0) {
		model_finish(&m);
		return die(EXIT_ENVIRONMENT, "cannot read /proc/meminfo: is /proc mounted?");
	}
	status = build_plans(o, &m, &s);
	if (status)
		return status;
	s.model = &m;
	s.grace_ms = 500;
	s.repeat = o->repeat;
	s.mappings = o->mappings;
	s.echo_fd = -1;

	status = open_sink(o, &s, &h, &t);
	if (status)
		goto out;
	show_output(o, &s, &h, t);
	/* --lesson stops each run at its phase boundaries: only with a TUI,
	 * whose space lets it go on */
	s.lesson = o->lesson && t != NULL;
	/* before any run, and before shmviz becomes a subreaper: the guard
	 * must be outside the tree it guards */
	if (guard_start(err, sizeof(err)) != 0) {
		status = die(EXIT_ENVIRONMENT, err);
		goto out;
	}
	/* orphans of a run come back to us, to be reaped and never left */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigfd = session_signals_init();
	if (sigfd < 0) {
		status = die(EXIT_ENVIRONMENT, "cannot set up signal handling");
		goto out;
	}
	status = session_run(&s, sigfd);
	headless_clear(&h);
	tui_destroy(t);
	t = NULL;
	if (s.error[0])
		say(s.error);
	if (s.kpeak_why[0] && status != EXIT_ENVIRONMENT) {
		/* once, and not an error: the runs went on without it (when
		 * the environment failed them, its one line says why, and a
		 * cgroup not had is part of it) */
		char line[400];

		text_sanitize(line, sizeof(line), s.kpeak_why, strlen(s.kpeak_why), false);
		fprintf(stderr, "shmviz: no kernel peak: %s\n", line);
	}
	if (o->repeat > 1 && s.started && !m.interrupted && m.nruns &&
	    m.round + 1 < o->repeat && status != EXIT_OK) {
		/* a run that failed (or a -- CMD that exited non-zero) ends
		 * the rounds: say so, not only in the summary's count (q in
		 * the TUI ends them too, as the user asked: nothing to say) */
		char why[256];

		snprintf(why, sizeof(why), "--repeat %d: the rounds stopped after round %d: a run ended with exit status %d",
			 o->repeat, m.round + 1, status);
		say(why);
	}
	status = finish_recording(o, &m, &s, &h, status, sigfd);
	if (status == EXIT_ENVIRONMENT && !said) {
		/* a run failed for want of something of the machine (no
		 * descriptor, /dev/shm filled meanwhile): exit 4 always says
		 * why on stderr, as every other exit 4 does */
		say_why_environment(&m);
	}
out:
	guard_release();
	tui_destroy(t);
	record_destroy(h.rec);
	if (h.summary && h.summary != stdout && h.summary != stderr)
		fclose(h.summary);
	for (size_t i = 0; i < MODEL_MAX_RUNS; i++)
		run_plan_finish(&s.plans[i]);
	model_finish(&m);
	if (sigfd >= 0)
		close(sigfd);
	return status;
}

int main(int argc, char **argv)
{
	struct cli_options o;
	char err[512];

	/* first of all: from here on SIGINT, SIGTERM and SIGHUP wait for the
	 * session loop, which cleans up (shmviz-workload blocks them too) */
	if (session_signals_block() != 0)
		return die(EXIT_ENVIRONMENT, "cannot set up signal handling");
	/* descriptors 0, 1 and 2 open (on /dev/null if closed): a file
	 * opened later must never become one, or a message meant for the
	 * terminal goes into the recording (`shmviz --record F >&-`) */
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			return EXIT_ENVIRONMENT;
	}
	setlocale(LC_ALL, "");
	/* the terminal's character set from the environment, numbers always
	 * with a '.': what the options, the JSON and the docs use, whatever
	 * LC_NUMERIC says (a de_DE user's --hold 0.5 is half a second) */
	setlocale(LC_NUMERIC, "C");
	if (!cli_parse(argc, argv, &o, err, sizeof(err)))
		return die(EXIT_USAGE, err);
	if (o.captions) {
		/* a bad caption file is a bad command line, refused up front */
		struct captions caps;
		char cerr[400];

		if (!captions_load(o.captions, &caps, cerr, sizeof(cerr))) {
			snprintf(err, sizeof(err), "--captions: %s", cerr);
			return die(EXIT_USAGE, err);
		}
		captions_finish(&caps);
	}
	switch (o.action) {
	case CLI_HELP:
		fputs(cli_usage(), stdout);
		return EXIT_OK;
	case CLI_VERSION:
		printf("shmviz %s\n", SHMVIZ_VERSION);
		return EXIT_OK;
	case CLI_REPLAY:
		return run_replay(&o);
	case CLI_PLOT:
		return run_plot(&o);
	case CLI_RUN:
		break;
	}
	return run_session(&o);
}
