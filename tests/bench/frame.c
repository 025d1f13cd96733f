/*
 * frame.c - how long the TUI takes to draw one frame of a 200x50 screen
 * on a pseudo-terminal (tests/bench/run.sh, figure 5).
 *
 *   shmviz-frame-bench FRAMES
 *
 * The parent opens a pseudo-terminal of 50 rows and 200 columns and keeps
 * reading its master side (a terminal that never reads would block the
 * drawing); the child makes the slave its controlling terminal and its
 * stdin/stdout, starts the real TUI (tui_create, TERM=xterm-256color, a
 * UTF-8 locale: braille graphs and colours, the dearest path), fills a
 * model like a finished shared run and a running copy run with 5
 * processes and a few hundred samples each, and then times FRAMES live
 * ticks: one sample added, the sink told (SINK_TICK), which collects and
 * draws the whole screen and writes it to the terminal. Prints "key
 * value" lines: frames, frame_median_ms, frame_p90_ms, frame_bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "src/core/model.h"
#include "src/core/sink.h"
#include "src/util/clock.h"
#include "ui/tui.h"

#define PROCS 5
#define HISTORY 300

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One tick of a run: a parent and four workers; shared runs map one
 * segment, copy runs hold a copy each once the transfer has begun. */
static bool add_tick(struct run *r, bool shared, unsigned i, double t)
{
	struct proc_row rows[PROCS];
	int64_t seg = 240 * 1024, grow = i < 100 ? seg * (int64_t)i / 100 : seg;

	memset(rows, 0, sizeof(rows));
	for (int k = 0; k < PROCS; k++) {
		struct proc_row *w = &rows[k];
		int64_t mine = k == 0 ? grow : (shared ? grow : grow * 9 / 10);

		w->pid = 40000 + (shared ? 0 : 100) + k;
		w->ppid = k == 0 ? 39999 : w->pid - k;
		w->role = k == 0 ? ROLE_PARENT : ROLE_WORKER;
		if (k == 0)
			snprintf(w->comm, sizeof(w->comm), "shmviz-%s", shared ? "shared" : "copy");
		else
			snprintf(w->comm, sizeof(w->comm), "shmviz-w%d", k);
		w->state = 'S';
		w->start_ticks = 1000 + (uint64_t)k;
		w->smaps = i % 7 ? SMAPS_STATE_HELD : SMAPS_STATE_READ;
		w->smaps_t = t;
		w->mem.rss = mine + 2000;
		w->mem.pss = shared ? mine / PROCS + 2000 : mine + 2000;
		w->mem.pss_shmem = shared ? mine / PROCS : 0;
		w->mem.shared_clean = 1500;
		w->mem.shared_dirty = shared ? mine : 0;
		w->mem.private_clean = 100;
		w->mem.private_dirty = shared ? 400 : mine + 400;
		w->mem.swap = 0;
		w->rss_now_kb = w->mem.rss;
		w->rss_anon_kb = shared ? 400 : mine;
		w->rss_file_kb = 1600;
		w->rss_shmem_kb = shared ? mine : 0;
		w->utime_s = t / 4;
		w->stime_s = t / 8;
		w->minflt = 1000 + i;
	}
	r->t_now = t;
	return run_add_tick(r, t, rows, PROCS, i % 7 == 0);
}

static struct run *fake_run(struct model *m, const char *name, bool shared,
			    bool done)
{
	static const char *phases[] = { "spawn", "fill", "attach", "compute", "hold" };
	struct run *r = model_add_run(m, name, shared ? "POSIX shm" : "pipe copy",
				      "5 workers");

	r->state = done ? RUN_DONE : RUN_RUNNING;
	r->workers = PROCS - 1;
	r->root = 39999;
	for (unsigned i = 0; i < HISTORY; i++) {
		double t = i * 0.02;

		if (i % 60 == 0 && i / 60 < 5)
			run_phase_begin(r, shared || i / 60 != 2 ? phases[i / 60] :
					"transfer", t);
		add_tick(r, shared, i, t);
	}
	if (done) {
		run_phase_end(r, HISTORY * 0.02);
		r->result.have_sum = true;
		r->result.sum = r->result.expected = 5e6;
		r->result.wall_s = 1.2;
		r->result.total_s = HISTORY * 0.02;
		r->result.compute_s = 0.03;
	}
	return r;
}

static int child(int frames, int out)
{
	struct tui_options o = { .ascii = false, .color = true, .captions = NULL };
	struct model m;
	struct run *shared, *copy;
	struct sink sk;
	struct tui *t;
	double *v = calloc((size_t)frames, sizeof(double));
	char err[512];
	FILE *f = fdopen(out, "w");

	if (!v || !f) {
		free(v);
		if (f)
			fclose(f);
		return 1;
	}
	setenv("TERM", "xterm-256color", 1);
	unsetenv("NO_COLOR");
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	t = tui_create(&o, err, sizeof(err));
	if (!t) {
		fprintf(f, "skip %s\n", err);
		fclose(f);
		free(v);
		return 77;
	}
	model_init(&m, false);
	snprintf(m.config.mode, sizeof(m.config.mode), "both");
	snprintf(m.config.workload, sizeof(m.config.workload), "native");
	m.config.workers = PROCS - 1;
	m.config.rows = 10000000;
	m.config.bytes = 240000000;
	m.config.interval_ms = 20;
	m.config.budget_pct = 5;
	shared = fake_run(&m, "shared", true, true);
	copy = fake_run(&m, "copy", false, false);
	sk = tui_sink(t);
	sk.ops->update(sk.ctx, &m, SINK_START, NULL);
	sk.ops->update(sk.ctx, &m, SINK_RUN_BEGIN, shared);
	sk.ops->update(sk.ctx, &m, SINK_RUN_END, shared);
	sk.ops->update(sk.ctx, &m, SINK_RUN_BEGIN, copy);
	for (int i = 0; i < frames; i++) {
		double t0;

		add_tick(copy, false, HISTORY + (unsigned)i, (HISTORY + i) * 0.02);
		t0 = clock_mono_s();
		sk.ops->update(sk.ctx, &m, SINK_TICK, copy);
		v[i] = clock_mono_s() - t0;
	}
	tui_destroy(t);
	model_finish(&m);
	qsort(v, (size_t)frames, sizeof(*v), cmp_double);
	fprintf(f, "frames %d\n", frames);
	fprintf(f, "frame_median_ms %.4f\n", 1e3 * v[frames / 2]);
	fprintf(f, "frame_p90_ms %.4f\n", 1e3 * v[frames * 9 / 10]);
	fclose(f);
	free(v);
	return 0;
}

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 50, .ws_col = 200 };
	int frames = argc > 1 ? atoi(argv[1]) : 200;
	int res[2], master, status;
	long long bytes = 0;
	char buf[65536];
	pid_t kid;
	FILE *f;

	if (frames < 1 || pipe(res) != 0)
		return 2;
	kid = forkpty(&master, NULL, NULL, &ws);
	if (kid < 0) {
		fprintf(stderr, "shmviz-frame-bench: forkpty: %s\n", strerror(errno));
		return 77;
	}
	if (kid == 0) {
		close(res[0]);
		_exit(child(frames, res[1]));
	}
	close(res[1]);
	/* the terminal's side: read everything the TUI writes */
	for (;;) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 60000) <= 0)
			break;
		n = read(master, buf, sizeof(buf));
		if (n <= 0)
			break; /* EIO once the child has closed the slave */
		bytes += n;
	}
	waitpid(kid, &status, 0);
	close(master);
	f = fdopen(res[0], "r");
	if (f) {
		while (fgets(buf, sizeof(buf), f))
			fputs(buf, stdout);
		fclose(f);
	}
	printf("frame_bytes %.0f\n", (double)bytes / frames);
	if (!WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}
