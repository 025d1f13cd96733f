/*
 * tui.c - the interactive sink (see tui.h; the replay player is
 * playback.c). The only file that owns terminal state: curses starts here
 * with newterm() and ends here on every way out (tui_destroy(), atexit,
 * fatal signals).
 *
 * Input is one pollable descriptor: an epoll set of the terminal and a
 * signalfd of SIGWINCH, so the session's poll() wakes for a key and for a
 * resize alike, and nothing busy-waits. Every redraw first collects what
 * each pane shows at its view time (struct run_view), then draws it: live,
 * the view time is a run's newest sample; paused, the moment of the pause
 * (its rows copied, since a live run keeps only its newest frame); in a
 * replay, the replay position.
 */
#include "ui/tui.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

#include "src/report/captions.h"
#include "src/util/assets.h"
#include "src/util/clock.h"
#include "src/util/macros.h"
#include "src/util/text.h"
#include "ui/layout.h"
#include "ui/mapview.h"
#include "ui/screen.h"
#include "ui/theme.h"
#include "ui/tui_internal.h"
#include "ui/view.h"

static struct tui *active;   /* the tui whose curses is up, for the exits */

static void restore_terminal(void)
{
	if (active && active->scr && !isendwin())
		endwin();
}

static void on_exit_restore(void)
{
	restore_terminal();
}

/* a fatal signal: give the terminal back, then die of the same signal */
static void on_fatal(int sig)
{
	restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_exits(void)
{
	static bool done;
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT };
	struct sigaction sa;

	if (done)
		return;
	done = true;
	atexit(on_exit_restore);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(fatal); i++)
		sigaction(fatal[i], &sa, NULL);
}

static bool check_term(char *err, size_t errlen, int fd)
{
	const char *term = getenv("TERM");
	char clean[64];
	int errret = 0;
	const char *cup;

	if (!term || !*term) {
		snprintf(err, errlen, "TERM is not set: the interactive view needs a terminal type (e.g. TERM=xterm-256color), or use --record FILE");
		return false;
	}
	text_sanitize(clean, sizeof(clean), term, strlen(term), true);
	if (!strcmp(term, "dumb")) {
		snprintf(err, errlen, "TERM=dumb cannot show the interactive view: set TERM to your terminal's type (e.g. xterm-256color), or use --record FILE");
		return false;
	}
	if (setupterm(term, fd, &errret) != OK) {
		if (errret == -1)
			snprintf(err, errlen, "no terminfo database found for TERM=%s: install ncurses-base, or use --record FILE", clean);
		else
			snprintf(err, errlen, "TERM=%s is an unknown terminal type (no terminfo entry): set TERM to your terminal's type, or use --record FILE", clean);
		return false;
	}
	cup = tigetstr("cup");
	/* (char *)-1: terminfo's "not a string capability" */
	if (!cup || cup == (char *)-1) { /* NOLINT(performance-no-int-to-ptr) */
		del_curterm(cur_term);
		snprintf(err, errlen, "TERM=%s cannot move the cursor, which the interactive view needs: use a full terminal, or --record FILE", clean);
		return false;
	}
	del_curterm(cur_term);
	return true;
}

static void load_captions(struct tui *t, const char *path, char *err,
			  size_t errlen, bool *ok)
{
	char def[4096];

	*ok = true;
	if (path) {
		if (!captions_load(path, &t->caps, err, errlen)) {
			char e[512];

			snprintf(e, sizeof(e), "--captions %s", err);
			snprintf(err, errlen, "%s", e);
			*ok = false;
		}
		return;
	}
	/* the installed captions are optional: without them, no caption */
	if (assets_path(CAPTIONS_FILE, def, sizeof(def)) && access(def, R_OK) == 0) {
		char e[256];

		if (!captions_load(def, &t->caps, e, sizeof(e)))
			captions_finish(&t->caps);
	}
}

struct tui *tui_create(const struct tui_options *o, char *err, size_t errlen)
{
	struct tui *t = calloc(1, sizeof(*t));
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t winch;
	bool ok;

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->epoll_fd = t->winch_fd = -1;
	t->ascii = o->ascii;
	t->recording = o->recording;
	t->lesson.on = o->lesson;
	t->captions_on = true;
	t->replay.speed = 1;
	load_captions(t, o->captions, err, errlen, &ok);
	if (!ok)
		goto fail;
	if (isatty(STDIN_FILENO)) {
		t->in = stdin;
	} else {
		/* stdin redirected: keys still come from the terminal */
		t->in = fopen("/dev/tty", "re");
		if (!t->in) {
			snprintf(err, errlen, "no terminal to read keys from (/dev/tty: %s): use --record FILE",
				 strerror(errno));
			goto fail;
		}
		t->close_in = true;
	}
	t->in_fd = fileno(t->in);
	if (!check_term(err, errlen, STDOUT_FILENO))
		goto fail;
	/* SIGWINCH through a descriptor: blocked here, read from winch_fd */
	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	sigprocmask(SIG_BLOCK, &winch, NULL);
	t->winch_fd = signalfd(-1, &winch, SFD_CLOEXEC | SFD_NONBLOCK);
	t->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (t->winch_fd < 0 || t->epoll_fd < 0) {
		snprintf(err, errlen, "cannot watch the terminal: %s", strerror(errno));
		goto fail;
	}
	ev.data.fd = t->in_fd;
	if (epoll_ctl(t->epoll_fd, EPOLL_CTL_ADD, t->in_fd, &ev) != 0) {
		snprintf(err, errlen, "cannot watch the terminal: %s", strerror(errno));
		goto fail;
	}
	ev.data.fd = t->winch_fd;
	epoll_ctl(t->epoll_fd, EPOLL_CTL_ADD, t->winch_fd, &ev);

	install_exits();
	t->scr = newterm(getenv("TERM"), stdout, t->in);
	if (!t->scr) {
		snprintf(err, errlen, "cannot start the terminal (TERM is not usable): use --record FILE");
		goto fail;
	}
	active = t;
	set_term(t->scr);
	cbreak();          /* not raw: Ctrl-C still sends SIGINT */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	leaveok(stdscr, TRUE);
	/* xterm's shifted arrows and Home/End, whatever the terminfo says */
	define_key("\033[1;2D", KEY_SLEFT);
	define_key("\033[1;2C", KEY_SRIGHT);
	define_key("\033[1~", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[H", KEY_HOME);
	define_key("\033[F", KEY_END);
	define_key("\033OH", KEY_HOME);
	define_key("\033OF", KEY_END);
	theme_init(o->color, o->theme);
	return t;
fail:
	tui_destroy(t);
	return NULL;
}

/* the paused display's model goes */
static void unfreeze(struct tui *t)
{
	if (t->pause.ok)
		model_finish(&t->pause.frozen);
	t->pause.ok = false;
}

void tui_destroy(struct tui *t)
{
	sigset_t winch;

	if (!t)
		return;
	if (t->scr) {
		if (!isendwin())
			endwin();
		delscreen(t->scr);
		t->scr = NULL;
		fflush(stdout);
	}
	if (active == t)
		active = NULL;
	if (t->epoll_fd >= 0)
		close(t->epoll_fd);
	if (t->winch_fd >= 0) {
		close(t->winch_fd);
		sigemptyset(&winch);
		sigaddset(&winch, SIGWINCH);
		sigprocmask(SIG_UNBLOCK, &winch, NULL);
	}
	if (t->close_in)
		fclose(t->in);
	unfreeze(t);
	for (size_t i = 0; i < MODEL_MAX_RUNS; i++) {
		view_snapshot_free(&t->pause.snap[i]);
		view_snapshot_free(&t->peak[i]);
		for (size_t k = 0; k < TUI_BOUNDED_KEPT; k++)
			view_snapshot_free(&t->lesson.bounded[i][k]);
	}
	captions_finish(&t->caps);
	free(t);
}

/* -- collect ------------------------------------------------------------ */

static void take_snapshot(struct tui *t, const struct model *m)
{
	for (size_t i = 0; i < m->nruns; i++)
		view_snapshot_take(&t->pause.snap[i], &m->runs[i]);
}

static void track_peak(struct tui *t, const struct model *m, const struct run *r)
{
	size_t i = (size_t)(r - m->runs);

	if (i >= MODEL_MAX_RUNS)
		return;
	view_peak_track(&t->peak[i], r);
	/* a sample of one moment: one a --lesson stop may show */
	if (r->npoints && r->points[r->npoints - 1].consistent) {
		view_snapshot_take(&t->lesson.bounded[i][t->lesson.next[i]], r);
		t->lesson.next[i] = (t->lesson.next[i] + 1) % TUI_BOUNDED_KEPT;
	}
}

/* --lesson, live: the bounded frame of run i the stop shows, or NULL */
static const struct view_snapshot *lesson_frame(const struct tui *t,
						const struct model *m, size_t i)
{
	if (t->replay.on || !m->lesson_wait || m->runs[i].state != RUN_RUNNING)
		return NULL;
	for (size_t k = 0; k < TUI_BOUNDED_KEPT; k++)
		if (t->lesson.bounded[i][k].have && t->lesson.bounded[i][k].t == m->lesson_t)
			return &t->lesson.bounded[i][k];
	return NULL;
}

/* run i of m as its pane shows it: at the replay position, as it was at
 * the pause, at a --lesson stop its bounded frame, or live */
static void collect_run(struct tui *t, const struct model *m, size_t i,
			struct run_view *v)
{
	const struct view_snapshot *pause = NULL;
	double at = -1;

	if (t->replay.on && t->replay.position < t->replay.offset[i]) {
		/* --replay --lesson: a run that ran after the one shown */
		static const struct view_snapshot later = { .have = true,
							    .state = RUN_WAITING };

		pause = &later;
	} else if (t->replay.on)
		at = t->replay.position - t->replay.offset[i];
	else if (t->pause.on && t->pause.snap[i].have && !t->pause.ok)
		pause = &t->pause.snap[i];
	view_collect_kept(&m->runs[i], at, pause, &t->peak[i], v);
	if (t->replay.on && t->lesson.wait && !t->pause.on)
		/* a stop at a phase's end: its bounded sample, as live */
		view_lesson_frame(v);
	if (!t->pause.on && (pause = lesson_frame(t, m, i))) {
		/* the run as it is (its phase, the one that ended), in the
		 * frame of that phase's end */
		v->rows = pause->rows;
		v->nrows = pause->n;
		v->total = pause->total;
		v->have_total = pause->have_total;
		v->t = pause->t;
		/* the phase that ended lasted until its boundary, not until
		 * the frame shown (a checkpoint's sample is taken a little
		 * before the line): its length as the phase row gives it
		 * once the stop is let go, in the header, the phase row and
		 * the caption alike */
		if (v->phase && m->lesson_end_t >= v->phase->start_s) {
			if (m->lesson_end_t > v->t)
				v->t = m->lesson_end_t;
			v->elapsed = m->lesson_end_t - v->phase->start_s;
		}
	}
}

/* the run a caption speaks of: the one running (in a replay, the one whose
 * phase began last) */
static const struct run_view *focus(const struct screen_in *in)
{
	const struct run_view *best = NULL;

	for (size_t i = 0; i < in->nviews; i++) {
		const struct run_view *v = &in->views[i];

		if (v->state != RUN_RUNNING)
			continue;
		if (!best || (v->phase && best->phase &&
			      v->phase->start_s > best->phase->start_s) ||
		    (v->phase && !best->phase))
			best = v;
	}
	return best ? best : in->nviews ? &in->views[0] : NULL;
}

static void caption_for(struct tui *t, const struct model *m,
			const struct screen_in *in, char *out, size_t cap)
{
	struct caption_ctx ctx;
	const struct caption_rule *rule = NULL;
	const struct run_view *v;
	bool all_done = in->nviews > 0;

	out[0] = '\0';
	if (!t->caps.n)
		return;
	/* the comparison's caption once every run ended, a run the user
	 * stopped excepted: its own caption says so, never "done" */
	for (size_t i = 0; i < in->nviews; i++)
		if (!run_state_ended(in->views[i].state) ||
		    in->views[i].state == RUN_STOPPED)
			all_done = false;
	if (all_done) {
		captions_context(&ctx, m, &m->runs[0], NULL, NULL, -1, t->ascii);
		rule = captions_pick(&t->caps, m->runs[0].name, NULL, RUN_DONE, true, &ctx);
	}
	if (!rule && (v = focus(in))) {
		/* a replay before a run's first sample: "not-started" */
		const char *ph = v->not_started ? "not-started" :
				 v->phase ? v->phase->name : NULL;

		captions_context(&ctx, m, v->run, v->have_total ? &v->total : NULL,
				 ph, v->elapsed, t->ascii);
		rule = captions_pick(&t->caps, v->run->name, ph, v->state, false, &ctx);
	}
	if (rule)
		captions_expand(out, cap, rule->text, &ctx);
}

void tui_draw(struct tui *t, const struct model *live)
{
	/* paused, everything drawn (graphs, scales, tables, the summary
	 * strip, captions) is the model as it was at the pause */
	const struct model *m = t->pause.on && t->pause.ok ? &t->pause.frozen : live;
	struct screen_in in = {
		.m = m,
		.metric = t->metric,
		.ascii = t->ascii,
		.paused = t->pause.on,
		.help = t->help,
		.captions_on = t->captions_on && t->caps.n,
		.replay = t->replay.on,
		.recording = t->recording,
		.lesson_wait = t->lesson.wait || live->lesson_wait,
		.halted = live->halted,
		.playing = t->replay.playing,
		.position = t->replay.position,
		.length = t->replay.length,
		.speed = t->replay.speed,
	};
	char caption[CAPTIONS_TEXT_MAX * 2];

	if (!t->scr)
		return;
	for (size_t i = 0; i < m->nruns && i < MODEL_MAX_RUNS; i++)
		collect_run(t, m, i, &in.views[in.nviews++]);
	if (t->sel.on && t->sel.run < in.nviews)
		in.views[t->sel.run].selected = t->sel.pid;
	if (t->maps.view != MAPVIEW_NONE && t->maps.run < in.nviews) {
		in.mv = (struct mapview_in){
			.kind = t->maps.view,
			.run = &m->runs[t->maps.run],
			.pid = t->maps.pid,
			.t = t->replay.on ? t->replay.position : -1,
			.sample_t = in.views[t->maps.run].t,
			.scroll = t->maps.top,
			.ascii = t->ascii,
			.replay = t->replay.on,
		};
		in.mv_lines = &t->maps.height;
	}
	if (in.captions_on)
		caption_for(t, m, &in, caption, sizeof(caption));
	else
		caption[0] = '\0';
	in.caption = caption;
	if (t->note[0] && clock_mono_s() < t->note_until)
		in.note = t->note;
	else
		t->note[0] = '\0';
	screen_draw(&in);
	wnoutrefresh(stdscr);
	doupdate();
	t->dirty = false;
}

/* -- input -------------------------------------------------------------- */

static void handle_resize(struct tui *t)
{
	struct signalfd_siginfo si;
	struct winsize ws;

	while (read(t->winch_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	t->dirty = true;
}

static void set_note(struct tui *t, const char *s)
{
	snprintf(t->note, sizeof(t->note), "%s", s);
	t->note_until = clock_mono_s() + 2.0;
}

/* keys common to live and replay; returns true when the key was one */
bool tui_view_key(struct tui *t, int ch)
{
	switch (ch) {
	case 'm':
	case 'M':
		t->metric = (enum chart_metric)((t->metric + 1) % CHART_METRICS);
		return true;
	case '?':
	case 'h':
	case KEY_F(1):
		t->help = !t->help;
		return true;
	case 'l':
	case 'L':
		t->captions_on = !t->captions_on;
		if (!t->caps.n)
			set_note(t, "no caption file loaded");
		return true;
	case KEY_RESIZE:
		return true;
	case 'L' & 0x1f: /* Ctrl-L: repaint the whole screen */
		clearok(curscr, TRUE);
		return true;
	}
	return false;
}

/* Moves the table's selection by dir over the processes of every pane in
 * turn (as drawn: m is the model drawn). */
static void move_selection(struct tui *t, const struct model *m, int dir)
{
	struct run_view v;
	size_t total = 0, cur = 0;
	bool found = false;

	for (size_t i = 0; i < m->nruns && i < MODEL_MAX_RUNS; i++) {
		collect_run(t, m, i, &v);
		for (size_t k = 0; k < v.nrows; k++, total++) {
			if (t->sel.on && i == t->sel.run && v.rows[k].pid == t->sel.pid) {
				cur = total;
				found = true;
			}
		}
	}
	if (!total) {
		t->sel.on = false;
		return;
	}
	if (!found)
		cur = dir > 0 ? 0 : total - 1;
	else if (dir > 0 && cur + 1 < total)
		cur++;
	else if (dir < 0 && cur > 0)
		cur--;
	for (size_t i = 0; i < m->nruns && i < MODEL_MAX_RUNS; i++) {
		collect_run(t, m, i, &v);
		if (cur < v.nrows) {
			t->sel.on = true;
			t->sel.run = i;
			t->sel.pid = v.rows[cur].pid;
			return;
		}
		cur -= v.nrows;
	}
}

/* the run the tree view shows without a selection: the one running, else
 * the last that ran */
static size_t current_run(const struct model *m)
{
	size_t best = 0;

	for (size_t i = 0; i < m->nruns && i < MODEL_MAX_RUNS; i++) {
		if (m->runs[i].state == RUN_RUNNING)
			return i;
		if (m->runs[i].state != RUN_WAITING)
			best = i;
	}
	return best;
}

static void open_proc(struct tui *t)
{
	if (!t->sel.on)
		return;
	t->maps.view = MAPVIEW_PROC;
	t->maps.run = t->sel.run;
	t->maps.pid = t->sel.pid;
	t->maps.top = 0;
	t->maps.now = true;
}

/* Keys of the table's selection and of the mappings views (common to live
 * and replay); returns true when the key was one. m is the model drawn. */
bool tui_mapping_key(struct tui *t, const struct model *m, int ch)
{
	if (t->maps.view != MAPVIEW_NONE) {
		switch (ch) {
		case 27: /* Esc */
			t->maps.view = MAPVIEW_NONE;
			return true;
		case KEY_UP:
		case 'k':
			if (t->maps.top > 0)
				t->maps.top--;
			return true;
		case KEY_DOWN:
		case 'j':
			if (t->maps.top + 1 < t->maps.height)
				t->maps.top++;
			return true;
		case KEY_PPAGE:
			t->maps.top = t->maps.top > 10 ? t->maps.top - 10 : 0;
			return true;
		case KEY_NPAGE:
			t->maps.top += 10;
			if (t->maps.top >= t->maps.height)
				t->maps.top = t->maps.height > 0 ? t->maps.height - 1 : 0;
			return true;
		case 't':
		case 'T':
			t->maps.view = MAPVIEW_TREE;
			t->maps.top = 0;
			return true;
		case 'd':
			t->maps.view = MAPVIEW_DECAY;
			t->maps.top = 0;
			return true;
		case '\n':
		case '\r':
		case KEY_ENTER:
			open_proc(t);
			return true;
		default:
			return false;
		}
	}
	switch (ch) {
	case KEY_UP:
	case 'k':
		move_selection(t, m, -1);
		return true;
	case KEY_DOWN:
	case 'j':
		move_selection(t, m, 1);
		return true;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (!t->sel.on)
			move_selection(t, m, 1);
		open_proc(t);
		return true;
	case 't':
	case 'T':
	case 'd':
		t->maps.view = ch == 'd' ? MAPVIEW_DECAY : MAPVIEW_TREE;
		t->maps.run = t->sel.on ? t->sel.run : current_run(m);
		t->maps.top = 0;
		t->maps.now = ch != 'd';
		return true;
	case 27: /* Esc */
		t->sel.on = false;
		return true;
	default:
		return false;
	}
}

/* Handles a resize among the n events; true when the terminal hung up
 * (POLLHUP or an error on its input): nothing will ever come from it, and
 * it would be reported ready at every poll. */
bool tui_terminal_gone(struct tui *t, const struct epoll_event *evs, int n)
{
	bool gone = false;

	for (int i = 0; i < n; i++) {
		if (evs[i].data.fd == t->winch_fd)
			handle_resize(t);
		else if (evs[i].data.fd == t->in_fd &&
			 (evs[i].events & (EPOLLHUP | EPOLLERR)))
			gone = true;
	}
	return gone;
}

int tui_next_key(struct tui *t)
{
	int ch = getch();

	(void)t;
	return ch;
}

static enum sink_cmd live_input(void *ctx, const struct model *m)
{
	struct tui *t = ctx;
	enum sink_cmd cmd = SINK_CMD_NONE;
	struct epoll_event evs[2];
	int n = epoll_wait(t->epoll_fd, evs, 2, 0);
	int ch;

	if (tui_terminal_gone(t, evs, n))
		return SINK_CMD_HANGUP;
	while ((ch = tui_next_key(t)) != ERR) {
		if (ch == 'q' || ch == 'Q')
			return SINK_CMD_QUIT;
		if (t->help && ch != '?' && ch != KEY_RESIZE) {
			/* any key closes the help */
			t->help = false;
			t->dirty = true;
			continue;
		}
		if (tui_view_key(t, ch) ||
		    tui_mapping_key(t, t->pause.on && t->pause.ok ? &t->pause.frozen : m, ch)) {
			t->dirty = true;
			continue;
		}
		switch (ch) {
		case 'p':
		case 'P':
			/* the workload itself stops (or goes on) */
			cmd = SINK_CMD_HALT;
			break;
		case ' ':
			if (m->lesson_wait && !t->pause.on) {
				/* --lesson: the run goes on to its next phase */
				cmd = SINK_CMD_LESSON_GO;
				t->dirty = true;
				break;
			}
			if (t->lesson.on && !t->pause.on) {
				/* --lesson: a pause stops the workload, so that
				 * the class resumes where it paused */
				cmd = SINK_CMD_HALT;
				break;
			}
			t->pause.on = !t->pause.on;
			unfreeze(t);
			if (t->pause.on) {
				take_snapshot(t, m);
				t->pause.ok = model_copy(&t->pause.frozen, m);
			}
			t->dirty = true;
			break;
		case 'r':
		case 'R':
			if (t->recording) {
				set_note(t, "recording: no rerun");
				break;
			}
			t->pause.on = false;
			unfreeze(t);
			set_note(t, "running again");
			cmd = SINK_CMD_RERUN;
			break;
		case '+':
		case '=':
			set_note(t, "sampling more often");
			cmd = SINK_CMD_FASTER;
			break;
		case '-':
		case '_':
			set_note(t, "sampling less often");
			cmd = SINK_CMD_SLOWER;
			break;
		default:
			break;
		}
		if (cmd != SINK_CMD_NONE)
			break;
	}
	if (t->dirty && cmd == SINK_CMD_NONE)
		tui_draw(t, m);
	else if (cmd != SINK_CMD_NONE)
		t->dirty = true;   /* drawn once the session has acted on it */
	return cmd;
}

/* -- the live sink ------------------------------------------------------ */

static int live_input_fd(void *ctx)
{
	struct tui *t = ctx;

	return t->epoll_fd;
}

static bool live_update(void *ctx, const struct model *m, enum sink_event ev,
			const struct run *r)
{
	struct tui *t = ctx;

	if (ev == SINK_RUN_BEGIN && r && r >= m->runs && r < m->runs + MODEL_MAX_RUNS) {
		view_peak_reset(&t->peak[r - m->runs]);
		for (size_t k = 0; k < TUI_BOUNDED_KEPT; k++)
			t->lesson.bounded[r - m->runs][k].have = false;
	}
	if (ev == SINK_TICK && r)
		track_peak(t, m, r);
	if (ev == SINK_RUN_END) {
		/* whatever wrote to the terminal behind ncurses' back (a
		 * program of the run that had a descriptor of it) is painted
		 * over: the next refresh redraws every cell */
		clearok(curscr, TRUE);
		t->dirty = true;
	}
	if (!t->pause.on || t->dirty || ev == SINK_REDRAW)
		tui_draw(t, m);
	return true;
}

static int live_timeout_ms(void *ctx)
{
	struct tui *t = ctx;
	double left;

	if (t->dirty)
		return 0;
	if (!t->note[0])
		return -1;
	left = t->note_until - clock_mono_s();
	/* once more when the note expires, to take it off */
	return left <= 0 ? 0 : (int)ceil(left * 1000.0);
}

static bool live_stays(void *ctx)
{
	(void)ctx;
	return true;
}

static enum sink_maps live_mappings(void *ctx)
{
	struct tui *t = ctx;

	if (t->maps.view == MAPVIEW_NONE || t->maps.view == MAPVIEW_DECAY || t->pause.on)
		return SINK_MAPS_BOUNDARIES;
	if (t->maps.now) {
		t->maps.now = false;
		return SINK_MAPS_NOW;
	}
	return SINK_MAPS_VIEW;
}

static const struct sink_ops live_ops = {
	.input_fd = live_input_fd,
	.input = live_input,
	.update = live_update,
	.timeout_ms = live_timeout_ms,
	.stays = live_stays,
	.mappings = live_mappings,
};

struct sink tui_sink(struct tui *t)
{
	return (struct sink){ .ops = &live_ops, .ctx = t };
}
