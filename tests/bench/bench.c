/*
 * bench.c - the measuring half of the benchmark (tests/bench/run.sh drives
 * it and prints the table). Each subcommand prints "key value" lines.
 *
 *   tree PROCS MB           start a tree like a shared workload's: a root
 *                           that maps MB of shared memory and PROCS-1
 *                           children mapping the same pages; print the
 *                           root's pid, stay until stdin closes
 *   tick ROOT REPS          shmviz's sampler against a plain C loop on the
 *                           tree of ROOT, alternating, REPS pairs each:
 *                           full ticks (smaps_rollup, stat, status of every
 *                           process) and counter ticks (stat, status)
 *   smaps PID REPS          a /proc/PID/smaps read folded into groups
 *                           (src/core/mapgroups.c) against a smaps_rollup read
 *                           of the same process, alternating: their
 *                           costs, the ratio, the mappings and groups
 *   scan ROOT REPS          a full /proc scan, an incremental scan and the
 *                           counters of the tree of ROOT
 *   nansum MB REPS          CPU of one in-process nansum over MB of records
 *   pipe MB REPS            a plain pipe copy of MB into a child's fresh
 *                           buffer: bytes per second
 *   watch OUT -- CMD...     run CMD; poll its RSS; once it has exited (not
 *                           yet reaped) read its own CPU time (children
 *                           excluded); write the figures to OUT
 *
 * Costs are CPU time of the measuring thread (CLOCK_THREAD_CPUTIME_ID):
 * /proc reads are system time of the reader, and other load on the
 * machine does not count. Ratios are medians over pairs measured back to
 * back, the order swapped every pair.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probes/mappings.h"
#include "probes/procs.h"
#include "probes/smaps.h"
#include "probes/tree.h"
#include "src/core/mapgroups.h"
#include "src/core/model.h"
#include "src/core/protocol.h"
#include "src/sample/sampler.h"
#include "src/util/clock.h"
#include "src/workload/dataset.h"

#define MB (1024.0 * 1024.0)

static void nap_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void die(const char *what)
{
	fprintf(stderr, "shmviz-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* ---- tree ---- */

static int cmd_tree(int procs, double mb)
{
	size_t bytes = (size_t)(mb * MB);
	int ready[2];
	pid_t root;
	char c;

	if (procs < 1 || pipe(ready) != 0)
		die("tree");
	root = fork();
	if (root < 0)
		die("fork");
	if (root == 0) {
		int fd = memfd_create("shmviz-bench", 0);
		char *p;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NAME, "bench-root");
		if (fd < 0 || ftruncate(fd, (off_t)bytes) != 0)
			_exit(1);
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			_exit(1);
		memset(p, 1, bytes);
		for (int i = 1; i < procs; i++) {
			if (fork() == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				prctl(PR_SET_NAME, "bench-worker");
				/* fork does not copy a shared mapping's page
				 * tables: map it again, populated */
				if (mmap(NULL, bytes, PROT_READ,
					 MAP_SHARED | MAP_POPULATE, fd, 0) == MAP_FAILED ||
				    write(ready[1], "w", 1) != 1)
					_exit(1);
				for (;;)
					pause();
			}
		}
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	for (int i = 0; i < procs; i++)
		if (read(ready[0], &c, 1) != 1) {
			kill(root, SIGKILL);
			fprintf(stderr, "shmviz-bench: the tree did not start\n");
			return 1;
		}
	printf("root %d\n", (int)root);
	fflush(stdout);
	/* until whoever started us closes our stdin */
	while (read(0, &c, 1) > 0)
		;
	kill(root, SIGKILL); /* the workers die with it (PDEATHSIG) */
	waitpid(root, NULL, 0);
	return 0;
}

/* ---- the plain loop: what the kernel charges, nothing more ---- */

static void plain_read(pid_t pid, const char *file)
{
	char path[64], buf[8192];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

static void plain_tick(const pid_t *pids, size_t n, bool smaps)
{
	for (size_t i = 0; i < n; i++) {
		if (smaps)
			plain_read(pids[i], "smaps_rollup");
		plain_read(pids[i], "stat");
		plain_read(pids[i], "status");
	}
}

static size_t tree_pids(pid_t root, pid_t **out)
{
	pid_t *kids = NULL, *all;
	size_t n = 0;

	if (tree_descendants(&root, 1, &kids, &n) != 0)
		die("scan");
	all = malloc((n + 1) * sizeof(*all));
	if (!all)
		die("malloc");
	all[0] = root;
	memcpy(all + 1, kids, n * sizeof(*kids));
	free(kids);
	*out = all;
	return n + 1;
}

/* One sampler tick at time t; its CPU cost. */
static double sampler_cost(struct sampler *s, struct run *r, double t,
			   bool force_pss)
{
	double c0 = clock_cpu_thread_s();

	if (!sampler_tick(s, r, t, proto_now(), force_pss))
		die("sampler_tick");
	return clock_cpu_thread_s() - c0;
}

static double plain_cost(const pid_t *pids, size_t n, bool smaps)
{
	double c0 = clock_cpu_thread_s();

	plain_tick(pids, n, smaps);
	return clock_cpu_thread_s() - c0;
}

/* What is measured against the plain loop: a sampler tick, or the probe
 * alone (procs.c: the reads without the sampler's bookkeeping). */
struct subject {
	struct sampler *s;
	struct run *r;
	struct procs_reader *rd;
	struct proc_sample *out;
	const pid_t *pids;
	size_t n;
	bool smaps;
	double t0;
};

static double subject_cost(struct subject *x)
{
	double c0;
	size_t got;

	if (x->s)
		return sampler_cost(x->s, x->r, clock_mono_s() - x->t0, x->smaps);
	c0 = clock_cpu_thread_s();
	procs_read(x->rd, x->pids, x->n, x->smaps, x->out, &got);
	return clock_cpu_thread_s() - c0;
}

/* REPS pairs of (subject, plain loop), order swapped every pair, gap_ms
 * apart (a sampler's ticks are apart too: caches cool meanwhile). */
static void compare(const char *name, struct subject *x, int reps, int gap_ms)
{
	double *ratio = calloc((size_t)reps, sizeof(double));
	double *a = calloc((size_t)reps, sizeof(double));
	double *b = calloc((size_t)reps, sizeof(double));

	if (!ratio || !a || !b)
		die("calloc");
	x->t0 = clock_mono_s();
	for (int i = 0; i < reps; i++) {
		nap_ms(gap_ms);
		if (i % 2 == 0) {
			a[i] = subject_cost(x);
			b[i] = plain_cost(x->pids, x->n, x->smaps);
		} else {
			b[i] = plain_cost(x->pids, x->n, x->smaps);
			a[i] = subject_cost(x);
		}
		ratio[i] = a[i] / b[i];
	}
	printf("%s_ratio %.4f\n", name, median(ratio, (size_t)reps));
	printf("%s_shmviz_us %.1f\n", name, median(a, (size_t)reps) * 1e6);
	printf("%s_plain_us %.1f\n", name, median(b, (size_t)reps) * 1e6);
	printf("%s_procs %zu\n", name, x->n);
	if (x->s) {
		struct sampler_stats st;

		sampler_get_stats(x->s, &st);
		printf("%s_pss_reads %llu\n", name, (unsigned long long)st.pss_reads);
		printf("%s_scans %llu\n", name, (unsigned long long)st.scans);
		printf("%s_scan_cpu_s %.6f\n", name, st.scan_cpu_s);
		printf("%s_counter_cpu_s %.6f\n", name, st.counter_cpu_s);
		printf("%s_pss_cpu_s %.6f\n", name, st.pss_cpu_s);
	}
	free(ratio);
	free(a);
	free(b);
}

static int cmd_tick(pid_t root, int reps)
{
	struct model m;
	struct run *r;
	struct sampler *full, *counters;
	struct procs_reader *rd = procs_reader_create();
	struct proc_sample *out;
	pid_t *pids;
	size_t n = tree_pids(root, &pids);
	char err[256];

	model_init(&m, false);
	r = model_add_run(&m, "bench", "", "");
	/* the counters' sampler gets the smallest budget: after the first
	 * tick it reads no PSS for a minute */
	full = sampler_create(20, 100, err, sizeof(err));
	counters = sampler_create(20, 0.0001, err, sizeof(err));
	out = calloc(n, sizeof(*out));
	if (!r || !full || !counters || !rd || !out) {
		fprintf(stderr, "shmviz-bench: %s\n", err);
		return 1;
	}
	sampler_begin(full, root);
	sampler_begin(counters, root);
	/* the first tick of a run scans /proc and reads everyone new */
	sampler_cost(full, r, 0, true);
	sampler_cost(counters, r, 0, true);
	compare("full", &(struct subject){ .s = full, .r = r, .pids = pids,
					   .n = n, .smaps = true }, reps, 5);
	compare("counters", &(struct subject){ .s = counters, .r = r,
					       .pids = pids, .n = n }, reps, 5);
	compare("probe_full", &(struct subject){ .rd = rd, .out = out,
						 .pids = pids, .n = n,
						 .smaps = true }, reps, 5);
	compare("probe_counters", &(struct subject){ .rd = rd, .out = out,
						     .pids = pids, .n = n },
		reps, 5);
	sampler_destroy(full);
	sampler_destroy(counters);
	procs_reader_destroy(rd);
	model_finish(&m);
	free(out);
	free(pids);
	return 0;
}

/* ---- smaps ---- */

static double smaps_cost(pid_t pid, int *maps, size_t *groups, size_t *bytes)
{
	struct proc_row row = { .pid = pid, .role = ROLE_PARENT, .comm = "bench" };
	struct map_snap snap;
	double c0;

	memset(&snap, 0, sizeof(snap));
	c0 = clock_cpu_thread_s();
	if (mapgroups_take(&snap, 0, "", &row, 1, mappings_read, NULL) != 0)
		die("mapgroups_take");
	c0 = clock_cpu_thread_s() - c0;
	*groups = snap.ngroups;
	*bytes = snap.bytes;
	*maps = 0;
	for (size_t i = 0; i < snap.ngroups; i++)
		*maps += snap.groups[i].nmaps;
	map_snap_free(&snap);
	return c0;
}

static double rollup_cost(pid_t pid)
{
	struct smaps_kb r;
	double c0 = clock_cpu_thread_s();

	if (smaps_read(pid, &r) != 0)
		die("smaps_read");
	return clock_cpu_thread_s() - c0;
}

static int cmd_smaps(pid_t pid, int reps)
{
	double *ratio = calloc((size_t)reps, sizeof(double));
	double *a = calloc((size_t)reps, sizeof(double));
	double *b = calloc((size_t)reps, sizeof(double));
	size_t groups = 0, bytes = 0;
	int maps = 0;

	if (!ratio || !a || !b)
		die("calloc");
	for (int i = 0; i < reps; i++) {
		nap_ms(5);
		if (i % 2 == 0) {
			a[i] = smaps_cost(pid, &maps, &groups, &bytes);
			b[i] = rollup_cost(pid);
		} else {
			b[i] = rollup_cost(pid);
			a[i] = smaps_cost(pid, &maps, &groups, &bytes);
		}
		ratio[i] = a[i] / b[i];
	}
	printf("smaps_ratio %.4f\n", median(ratio, (size_t)reps));
	printf("smaps_us %.1f\n", median(a, (size_t)reps) * 1e6);
	printf("rollup_us %.1f\n", median(b, (size_t)reps) * 1e6);
	printf("smaps_mappings %d\n", maps);
	printf("smaps_groups %zu\n", groups);
	printf("smaps_bytes %zu\n", bytes);
	free(ratio);
	free(a);
	free(b);
	return 0;
}

/* ---- groups: folding many mappings (docs/architecture.md, "Mappings") ---- */

/* smaps text of n mappings of n distinct files (the worst case for a
 * search through the groups), folded for two processes and summed; the CPU
 * time per mapping and the key comparisons per mapping */
static int cmd_groups(long n, int reps)
{
	size_t cap = (size_t)n * 160 + 1, len = 0;
	char *t = malloc(cap);
	double *us = calloc((size_t)reps, sizeof(double));
	uint64_t cmp = 0;

	if (!t || !us)
		die("malloc");
	for (long i = 0; i < n; i++)
		len += (size_t)snprintf(t + len, cap - len,
					"%08lx-%08lx r--p 00000000 08:01 %ld /lib/f%ld\nRss: 4 kB\nPss: 1 kB\n",
					(i + 16) * 8192, (i + 16) * 8192 + 4096, i + 1, i);
	for (int r = 0; r < reps; r++) {
		struct map_snap snap;
		struct map_group *sum = NULL;
		size_t nsum = 0, *of = NULL;
		uint64_t c0 = mapgroups_compares();
		double t0 = clock_cpu_thread_s();

		memset(&snap, 0, sizeof(snap));
		if (mapgroups_fold_text(&snap, 1, ROLE_PARENT, "a", t, len) != n ||
		    mapgroups_fold_text(&snap, 2, ROLE_WORKER, "b", t, len) != n ||
		    !mapgroups_sum_index(&snap, &sum, &nsum, &of) || nsum != (size_t)n)
			die("groups: folded wrong");
		us[r] = (clock_cpu_thread_s() - t0) * 1e6 / (double)(2 * n);
		cmp = mapgroups_compares() - c0;
		free(sum);
		free(of);
		map_snap_free(&snap);
	}
	printf("groups_mappings %ld\n", 2 * n);
	printf("groups_us_per_mapping %.4f\n", median(us, (size_t)reps));
	printf("groups_compares_per_mapping %.3f\n", (double)cmp / (double)(2 * n));
	free(us);
	free(t);
	return 0;
}

/* ---- scan ---- */

static int cmd_scan(pid_t root, int reps)
{
	double *full = calloc((size_t)reps, sizeof(double));
	double *incr = calloc((size_t)reps, sizeof(double));
	double *cnt = calloc((size_t)reps, sizeof(double));
	struct procs_reader *rd = procs_reader_create();
	struct proc_sample out[64];
	pid_t *pids, *found;
	size_t n = tree_pids(root, &pids), nf, got;
	int64_t before = tree_last_pid();
	int nproc = 0;

	if (!full || !incr || !cnt || !rd || n > 64)
		die("scan");
	for (int i = 0; i < reps; i++) {
		double c0 = clock_cpu_thread_s(), c1, c2, c3;
		int64_t now;

		if (tree_descendants(&root, 1, &found, &nf) == 0)
			free(found);
		c1 = clock_cpu_thread_s();
		/* what the sampler does when a pid was handed out: the pids
		 * since one tick ago (here: since the last repetition) */
		now = tree_last_pid();
		if (tree_new_descendants(pids, n, before, now, &found, &nf) == 0)
			free(found);
		before = now;
		c2 = clock_cpu_thread_s();
		procs_read(rd, pids, n, false, out, &got);
		c3 = clock_cpu_thread_s();
		full[i] = c1 - c0;
		incr[i] = c2 - c1;
		cnt[i] = c3 - c2;
		nap_ms(20);
	}
	{
		char buf[64];
		FILE *f = fopen("/proc/loadavg", "r");

		if (f && fgets(buf, sizeof(buf), f)) {
			char *slash = strchr(buf, '/');

			nproc = slash ? atoi(slash + 1) : 0;
		}
		if (f)
			fclose(f);
	}
	printf("scan_full_us %.1f\n", median(full, (size_t)reps) * 1e6);
	printf("scan_incremental_us %.1f\n", median(incr, (size_t)reps) * 1e6);
	printf("scan_counters_us %.1f\n", median(cnt, (size_t)reps) * 1e6);
	printf("scan_procs_tree %zu\n", n);
	printf("scan_threads_system %d\n", nproc);
	procs_reader_destroy(rd);
	free(pids);
	free(full);
	free(incr);
	free(cnt);
	return 0;
}

/* ---- workloads' baselines ---- */

static int cmd_nansum(double mb, int reps)
{
	uint64_t rows = (uint64_t)(mb * MB) / sizeof(struct record);
	struct record *t = malloc(rows * sizeof(*t));
	double *v = calloc((size_t)reps, sizeof(double));
	volatile double sink = 0;

	if (!t || !v)
		die("malloc");
	dataset_fill(t, 0, rows, 0); /* every page touched before timing */
	for (int i = 0; i < reps; i++) {
		double c0 = clock_cpu_thread_s();

		sink += dataset_nansum(t, rows);
		v[i] = clock_cpu_thread_s() - c0;
	}
	printf("nansum_cpu_s %.6f\n", median(v, (size_t)reps));
	printf("nansum_bytes %llu\n", (unsigned long long)(rows * sizeof(*t)));
	(void)sink;
	free(t);
	free(v);
	return 0;
}

/* The plain way: one write() of the whole table into a default pipe, a
 * child reading into a buffer it has just allocated. */
static int cmd_pipe(double mb, int reps)
{
	size_t bytes = (size_t)(mb * MB);
	char *src = malloc(bytes);
	double *v = calloc((size_t)reps, sizeof(double));

	if (!src || !v)
		die("malloc");
	memset(src, 7, bytes);
	for (int i = 0; i < reps; i++) {
		int data[2], done[2];
		double t0;
		pid_t kid;
		char c;

		if (pipe(data) != 0 || pipe(done) != 0)
			die("pipe");
		kid = fork();
		if (kid < 0)
			die("fork");
		if (kid == 0) {
			char *dst = malloc(bytes);
			size_t got = 0;

			close(data[1]);
			while (dst && got < bytes) {
				ssize_t r = read(data[0], dst + got, bytes - got);

				if (r <= 0)
					_exit(1);
				got += (size_t)r;
			}
			_exit(write(done[1], "d", 1) == 1 ? 0 : 1);
		}
		close(data[0]);
		close(done[1]);
		t0 = clock_mono_s();
		for (size_t off = 0; off < bytes;) {
			ssize_t w = write(data[1], src + off, bytes - off);

			if (w <= 0)
				die("write");
			off += (size_t)w;
		}
		if (read(done[0], &c, 1) != 1)
			die("child");
		v[i] = clock_mono_s() - t0;
		close(data[1]);
		close(done[0]);
		waitpid(kid, NULL, 0);
	}
	printf("pipe_bytes %zu\n", bytes);
	printf("pipe_s %.6f\n", median(v, (size_t)reps));
	printf("pipe_bytes_per_s %.0f\n", (double)bytes / median(v, (size_t)reps));
	free(src);
	free(v);
	return 0;
}

/* ---- watch ---- */

static long status_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, klen) == 0) {
			v = atol(line + klen);
			break;
		}
	fclose(f);
	return v;
}

static int cmd_watch(const char *out, char **argv)
{
	double t0 = clock_mono_s(), cpu = -1;
	long rss_max = 0, hwm = 0, rss_last = -1, at_min[121];
	int nmin = 0;
	siginfo_t si;
	clockid_t clk;
	pid_t kid;
	FILE *f;

	kid = fork();
	if (kid < 0)
		die("fork");
	if (kid == 0) {
		/* stopped with us: shmviz then stops its own tree */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execvp(argv[0], argv);
		_exit(127);
	}
	for (;;) {
		long rss, h;

		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, kid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
			die("waitid");
		if (si.si_pid == kid)
			break;
		rss = status_kb(kid, "VmRSS:");
		h = status_kb(kid, "VmHWM:");
		if (rss > rss_max)
			rss_max = rss;
		if (h > hwm)
			hwm = h;
		if (rss > 0)
			rss_last = rss;
		/* the RSS at each whole minute */
		if (rss > 0 && nmin < 121 && clock_mono_s() - t0 >= 60.0 * (nmin + 1))
			at_min[nmin++] = rss;
		nap_ms(200);
	}
	/* exited, not reaped: its own CPU time is still there to read */
	if (clock_getcpuclockid(kid, &clk) == 0) {
		struct timespec ts;

		if (clock_gettime(clk, &ts) == 0)
			cpu = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	}
	if (cpu < 0) {
		/* fall back to its stat: utime + stime in clock ticks */
		char path[64];
		unsigned long long ut = 0, stt = 0;
		FILE *sf;

		snprintf(path, sizeof(path), "/proc/%d/stat", (int)kid);
		sf = fopen(path, "r");
		if (sf) {
			char buf[1024], *p;

			if (fgets(buf, sizeof(buf), sf) && (p = strrchr(buf, ')')) &&
			    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
				   &ut, &stt) == 2)
				cpu = (double)(ut + stt) / (double)sysconf(_SC_CLK_TCK);
			fclose(sf);
		}
	}
	{
		int status;
		double w = clock_mono_s() - t0;

		waitpid(kid, &status, 0);
		f = fopen(out, "w");
		if (!f)
			die(out);
		fprintf(f, "watch_status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		fprintf(f, "watch_wall_s %.3f\n", w);
		fprintf(f, "watch_cpu_s %.6f\n", cpu);
		fprintf(f, "watch_rss_max_kb %ld\n", rss_max);
		fprintf(f, "watch_hwm_kb %ld\n", hwm);
		for (int i = 0; i < nmin; i++)
			fprintf(f, "watch_rss_min%d_kb %ld\n", i + 1, at_min[i]);
		fprintf(f, "watch_rss_last_kb %ld\n", rss_last);
		fclose(f);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: shmviz-bench tree PROCS MB | tick ROOT REPS | "
		"smaps PID REPS | groups MAPPINGS REPS | scan ROOT REPS | nansum MB REPS | pipe MB REPS | "
		"watch OUT -- CMD...\n");
	return 2;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && strcmp(argv[1], "tree") == 0)
		return cmd_tree(atoi(argv[2]), atof(argv[3]));
	if (argc == 4 && strcmp(argv[1], "tick") == 0)
		return cmd_tick((pid_t)atoi(argv[2]), atoi(argv[3]));
	if (argc == 4 && strcmp(argv[1], "smaps") == 0)
		return cmd_smaps((pid_t)atoi(argv[2]), atoi(argv[3]));
	if (argc == 4 && strcmp(argv[1], "groups") == 0)
		return cmd_groups(atol(argv[2]), atoi(argv[3]));
	if (argc == 4 && strcmp(argv[1], "scan") == 0)
		return cmd_scan((pid_t)atoi(argv[2]), atoi(argv[3]));
	if (argc == 4 && strcmp(argv[1], "nansum") == 0)
		return cmd_nansum(atof(argv[2]), atoi(argv[3]));
	if (argc == 4 && strcmp(argv[1], "pipe") == 0)
		return cmd_pipe(atof(argv[2]), atoi(argv[3]));
	if (argc >= 5 && strcmp(argv[1], "watch") == 0 &&
	    strcmp(argv[3], "--") == 0)
		return cmd_watch(argv[2], argv + 4);
	return usage();
}
