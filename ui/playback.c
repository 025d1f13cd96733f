/*
 * playback.c - the replay player (see playback.h): a loaded recording
 * played at a speed, stepped and sought, in the views of the live sink
 * (tui.c); every redraw collects the panes at the replay position.
 */
#include "ui/playback.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "src/core/limits.h"
#include "src/util/clock.h"
#include "src/util/exits.h"
#include "ui/tui_internal.h"

/* the frame each ended run's pane shows, found among all its frames */
static void find_peaks(struct tui *t, const struct model *m)
{
	for (size_t i = 0; i < m->nruns && i < MODEL_MAX_RUNS; i++)
		view_peak_find(&t->peak[i], &m->runs[i]);
}

/* the time of the sample after (dir > 0) or before (dir < 0) pos in any
 * run; samples less than a millisecond apart count as one */
static double step_sample(const struct tui *t, const struct model *m,
			  double pos, int dir)
{
	double best = dir > 0 ? INFINITY : -INFINITY;

	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];

		for (size_t lo = 0, hi = r->nframes; lo < hi;) {
			size_t mid = lo + (hi - lo) / 2;
			double ft = r->frames[mid].t + t->replay.offset[i];

			if (dir > 0 ? ft > pos + 1e-3 : ft < pos - 1e-3) {
				if (dir > 0 ? ft < best : ft > best)
					best = ft;
				if (dir > 0)
					hi = mid;
				else
					lo = mid + 1;
			} else {
				if (dir > 0)
					lo = mid + 1;
				else
					hi = mid;
			}
		}
	}
	if (!isfinite(best))
		return dir > 0 ? pos : 0;
	return best;
}

/* --lesson: a stop shows the phase that ends there, just before it ends */
#define LESSON_EPS 1e-6

/* --lesson: the first phase end of any run in (from, to] (in the
 * position's time), or -1 */
static double next_boundary(const struct tui *t, const struct model *m,
			    double from, double to)
{
	double best = -1;

	for (size_t i = 0; i < m->nruns; i++)
		for (size_t k = 0; k < m->runs[i].nphases; k++) {
			double s = m->runs[i].phases[k].end_s + t->replay.offset[i];

			if (m->runs[i].phases[k].end_s > 0 && s > from && s <= to &&
			    (best < 0 || s < best))
				best = s;
		}
	return best;
}

/* --replay --lesson: the runs one after the other, in the order they ran
 * (their start times), as the class saw them live */
static void order_runs(struct tui *t, const struct model *m)
{
	double at = 0;
	bool done[MODEL_MAX_RUNS] = { false };

	for (size_t n = 0; n < m->nruns && n < MODEL_MAX_RUNS; n++) {
		size_t first = SIZE_MAX;

		for (size_t i = 0; i < m->nruns && i < MODEL_MAX_RUNS; i++)
			if (!done[i] && (first == SIZE_MAX ||
					 m->runs[i].started_mono < m->runs[first].started_mono))
				first = i;
		done[first] = true;
		t->replay.offset[first] = at;
		at += view_run_length(&m->runs[first]);
	}
	t->replay.length = at;
}

static void seek(struct tui *t, double pos)
{
	if (pos < 0)
		pos = 0;
	if (pos > t->replay.length)
		pos = t->replay.length;
	t->replay.position = pos;
}

/* returns -1 to go on, or the exit status */
static int replay_key(struct tui *t, const struct model *m, int ch)
{
	if (ch == 'q' || ch == 'Q')
		return 0;
	if (t->help && ch != '?' && ch != KEY_RESIZE) {
		t->help = false;
		return -1;
	}
	if (tui_view_key(t, ch) || tui_mapping_key(t, m, ch))
		return -1;
	if (ch != KEY_RESIZE && ch != 12 /* Ctrl-L */ && ch != 'l' && ch != '?')
		t->lesson.wait = false;
	switch (ch) {
	case ' ':
		if (!t->replay.playing && t->replay.position >= t->replay.length)
			t->replay.position = 0;   /* at the end, space plays again */
		t->replay.playing = !t->replay.playing;
		break;
	case KEY_RIGHT:
		t->replay.playing = false;
		seek(t, step_sample(t, m, t->replay.position, 1));
		break;
	case KEY_LEFT:
		t->replay.playing = false;
		seek(t, step_sample(t, m, t->replay.position, -1));
		break;
	case KEY_SRIGHT:
	case ']':
		seek(t, t->replay.position + t->replay.length * 0.05);
		break;
	case KEY_SLEFT:
	case '[':
		seek(t, t->replay.position - t->replay.length * 0.05);
		break;
	case '>':
	case '.':
		t->replay.speed = fmin(t->replay.speed * 2, CLI_SPEED_MAX);
		break;
	case '<':
	case ',':
		t->replay.speed = fmax(t->replay.speed / 2, CLI_SPEED_MIN);
		break;
	case KEY_HOME:
	case 'g':
		seek(t, 0);
		break;
	case KEY_END:
	case 'G':
		seek(t, t->replay.length);
		t->replay.playing = false;
		break;
	default:
		break;
	}
	return -1;
}

int playback_run(struct tui *t, const struct model *m, double speed, int sigfd)
{
	double last;

	t->replay.on = true;
	t->replay.playing = true;
	t->replay.position = 0;
	t->replay.speed = speed > 0 ? speed : 1;
	t->replay.length = 0;
	find_peaks(t, m);
	for (size_t i = 0; i < m->nruns; i++) {
		double l = view_run_length(&m->runs[i]);

		t->replay.offset[i < MODEL_MAX_RUNS ? i : 0] = 0;
		if (l > t->replay.length)
			t->replay.length = l;
	}
	if (t->lesson.on && m->nruns > 1)
		order_runs(t, m);
	last = clock_mono_s();
	tui_draw(t, m);
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = sigfd, .events = POLLIN },
			{ .fd = t->epoll_fd, .events = POLLIN },
		};
		int timeout = t->replay.playing ? 40 : -1, ch;
		double now;

		if (t->note[0] && !t->replay.playing)
			timeout = 2000;
		if (poll(pfd, 2, timeout) < 0 && errno != EINTR)
			return EXIT_ENVIRONMENT;
		if (sigfd >= 0 && (pfd[0].revents & POLLIN)) {
			struct signalfd_siginfo si;

			while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM ||
				    si.ssi_signo == SIGHUP)
					return 128 + (int)si.ssi_signo;
		}
		if (pfd[1].revents & POLLIN) {
			struct epoll_event evs[2];
			int n = epoll_wait(t->epoll_fd, evs, 2, 0);

			if (tui_terminal_gone(t, evs, n))
				return 128 + SIGHUP;
			while ((ch = tui_next_key(t)) != ERR) {
				int st = replay_key(t, m, ch);

				if (st >= 0)
					return st;
				t->dirty = true;
			}
		}
		now = clock_mono_s();
		if (t->replay.playing) {
			double next = t->replay.position + (now - last) * t->replay.speed;
			/* past the end the position stands just before */
			double b = t->lesson.on ? next_boundary(t, m, t->replay.position + 2 * LESSON_EPS,
							     next + LESSON_EPS) : -1;

			if (b >= 0) {
				/* --lesson: the end of a phase, with its caption,
				 * until space */
				seek(t, b - LESSON_EPS);
				t->replay.playing = false;
				t->lesson.wait = true;
			} else {
				seek(t, next);
			}
			if (t->replay.position >= t->replay.length)
				t->replay.playing = false;
			t->dirty = true;
		}
		last = now;
		if (t->dirty || timeout >= 0)
			tui_draw(t, m);
	}
}
