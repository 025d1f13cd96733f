/* Unit tests of the checks before a run: memory arithmetic, a too-small
 * tmpfs is refused with sizes, stale segments of dead creators go, live
 * ones stay, names are validated. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "src/run/preflight.h"
#include "src/util/macros.h"

/* the Python copy run's time: rows x workers, a warning of one line with
 * the figures from 60 s on; nothing for the native workload, nor for a
 * Python run with no copy to pickle */
static void test_python_time(void)
{
	struct cli_options p = { .runs = CLI_RUN_SHARED | CLI_RUN_COPY,
				 .workload = WORKLOAD_PYTHON, .rows = 10000000 };
	char *w = NULL;
	size_t wl = 0;
	FILE *f = open_memstream(&w, &wl);

	CHECK(preflight_python_copy_s(&p, 4) == 40 * PREFLIGHT_PY_COPY_S_PER_MROW);
	CHECK(f != NULL);
	if (!f)
		return;
	preflight_python_warn(&p, 4, f);
	fclose(f);
	CHECK(w && strstr(w, "10000000 rows to 4 workers may take 4 min") &&
	      strchr(w, '\n') == w + wl - 1);
	free(w);
	p.rows = 1000000;
	CHECK(preflight_python_copy_s(&p, 4) < PREFLIGHT_PY_WARN_S);
	w = NULL;
	f = open_memstream(&w, &wl);
	CHECK(f != NULL);
	if (!f)
		return;
	preflight_python_warn(&p, 4, f);
	fclose(f);
	CHECK(wl == 0);
	free(w);
	p.rows = 10000000;
	p.runs = CLI_RUN_SHARED;
	CHECK(preflight_python_copy_s(&p, 4) == 0);
	p.runs = CLI_RUN_COPY;
	p.workload = WORKLOAD_NATIVE;
	CHECK(preflight_python_copy_s(&p, 4) == 0);
}

int main(void)
{
	struct cli_options o = { .runs = CLI_RUN_SHARED | CLI_RUN_COPY,
				 .workload = WORKLOAD_NATIVE };
	char dir[] = "/tmp/shmviz-preflight-XXXXXX", path[256], err[256];
	uint64_t S = 240000000ULL;
	pid_t dead, zombie;
	FILE *out;
	char *text = NULL;
	size_t textlen = 0;

	test_python_time();
	/* copy of 4 workers: 5 copies, plus a margin */
	CHECK(preflight_memory_needed(&o, 4, S) >= 5 * S);
	CHECK(preflight_memory_needed(&o, 4, S) < 5 * S + (256ULL << 20));
	/* one worker: the parent's table and the worker's copy */
	CHECK(preflight_memory_needed(&o, 1, S) >= 2 * S);
	CHECK(preflight_memory_needed(&o, 1, S) < 2 * S + (256ULL << 20));
	o.runs = CLI_RUN_SHARED;
	CHECK(preflight_memory_needed(&o, 4, S) < 2 * S);
	o.runs = CLI_RUN_COW;
	o.cow_write_pct = 50;
	CHECK(preflight_memory_needed(&o, 4, S) >= 3 * S);
	o.runs = CLI_RUN_SHARED | CLI_RUN_COPY;
	/* the Python workload as measured: copy with 2 workers peaked at
	 * about 16 tables plus 30 MiB an interpreter; never below that */
	o.workload = WORKLOAD_PYTHON;
	CHECK(preflight_memory_needed(&o, 2, S) >= 16 * S + 4 * (30ULL << 20));
	CHECK(preflight_memory_needed(&o, 2, S) < 20 * S);
	CHECK(preflight_memory_needed(&o, 1, S) >= 10 * S);
	o.runs = CLI_RUN_SHARED;
	CHECK(preflight_memory_needed(&o, 2, S) >= 2 * S + 3 * (30ULL << 20));
	CHECK(preflight_memory_needed(&o, 2, S) < 4 * S);
	o.workload = WORKLOAD_COMPARE;
	CHECK_INT(preflight_memory_needed(&o, 2, S), 0);
	o.workload = WORKLOAD_NATIVE;
	o.runs = CLI_RUN_SHARED | CLI_RUN_COPY;

	/* absurd sizes are refused with both numbers */
	CHECK(!preflight_check(&o, 256, 24ULL << 40, "/dev/shm", err, sizeof(err)));
	CHECK(strstr(err, "MemAvailable") != NULL);
	CHECK(strstr(err, "TiB") != NULL || strstr(err, "PiB") != NULL);
	CHECK(preflight_check(&o, 2, 1 << 20, "/dev/shm", err, sizeof(err)));

	CHECK(mkdtemp(dir) != NULL);
	/* cgroup limits, in a tree made here: v2 (memory.max), its parent
	 * unlimited ("max"); v1 (memory.limit_in_bytes), its root unlimited */
	{
		char cgfile[300], root[300], which[600], cmd[1024];
		static const char *const files[][2] = {
			{ "a/memory.max", "max\n" },
			{ "a/memory.current", "0\n" },
			{ "a/b/memory.max", "104857600\n" },
			{ "a/b/memory.current", "4194304\n" },
			{ "memory/memory.limit_in_bytes", "9223372036854771712\n" },
			{ "memory/memory.usage_in_bytes", "0\n" },
			{ "memory/x/memory.limit_in_bytes", "209715200\n" },
			{ "memory/x/memory.usage_in_bytes", "52428800\n" },
		};

		snprintf(root, sizeof(root), "%s/cg", dir);
		snprintf(cmd, sizeof(cmd), "mkdir -p %s/a/b %s/memory/x", root, root);
		CHECK(system(cmd) == 0);
		for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
			snprintf(cmd, sizeof(cmd), "%s/%s", root, files[i][0]);
			out = fopen(cmd, "w");
			CHECK(out != NULL);
			if (out) {
				fputs(files[i][1], out);
				fclose(out);
			}
		}
		snprintf(cgfile, sizeof(cgfile), "%s/cgroup", dir);
		out = fopen(cgfile, "w");
		CHECK(out != NULL);
		if (out) {
			fputs("0::/a/b\n", out);
			fclose(out);
		}
		CHECK_INT((int)preflight_cgroup_available_kb(cgfile, root, which, sizeof(which)),
			  (104857600 - 4194304) / 1024);
		CHECK(strstr(which, "/a/b/memory.max") != NULL);
		/* 2 copies of 100 MB do not fit in 96 MiB: refused, naming it */
		o.runs = CLI_RUN_COPY;
		CHECK(!preflight_check_in(&o, 1, 100000000ULL, "/dev/shm", cgfile, root,
					  err, sizeof(err)));
		CHECK(strstr(err, "the cgroup of shmviz allows 96") != NULL);
		CHECK(strstr(err, "a/b/memory.max") != NULL);
		/* 1 MB does */
		CHECK(preflight_check_in(&o, 1, 1000000ULL, "/dev/shm", cgfile, root,
					 err, sizeof(err)));
		/* a parent with less room than its child: the least of the
		 * tree counts (40 MiB left in a, 96 MiB in a/b) */
		snprintf(cmd, sizeof(cmd), "%s/a/memory.max", root);
		out = fopen(cmd, "w");
		CHECK(out != NULL);
		if (out) {
			fputs("52428800\n", out);
			fclose(out);
		}
		snprintf(cmd, sizeof(cmd), "%s/a/memory.current", root);
		out = fopen(cmd, "w");
		CHECK(out != NULL);
		if (out) {
			fputs("10485760\n", out);
			fclose(out);
		}
		CHECK_INT((int)preflight_cgroup_available_kb(cgfile, root, which, sizeof(which)),
			  (52428800 - 10485760) / 1024);
		CHECK(strstr(which, "/a/memory.max") != NULL && !strstr(which, "/b/"));
		o.runs = CLI_RUN_SHARED | CLI_RUN_COPY;
		/* v1 */
		out = fopen(cgfile, "w");
		CHECK(out != NULL);
		if (out) {
			fputs("7:cpu,cpuacct:/\n4:memory:/x\n0::/\n", out);
			fclose(out);
		}
		CHECK_INT((int)preflight_cgroup_available_kb(cgfile, root, which, sizeof(which)),
			  (209715200 - 52428800) / 1024);
		CHECK(strstr(which, "memory/x/memory.limit_in_bytes") != NULL);
		/* no file: no limit known */
		CHECK_INT((int)preflight_cgroup_available_kb("/nonexistent", root, NULL, 0), -1);
		snprintf(cmd, sizeof(cmd), "rm -rf %s %s", root, cgfile);
		CHECK(system(cmd) == 0);
	}
	/* a dead creator: a child that has exited */
	dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	snprintf(path, sizeof(path), "%s/shmviz-%d-0", dir, (int)dead);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	snprintf(path, sizeof(path), "%s/shmviz-%d-0", dir, (int)getpid());
	close(open(path, O_CREAT | O_WRONLY, 0600));
	/* a zombie creator: exited, not reaped (a slow init does this to
	 * orphans); it will never unlink its segment */
	zombie = fork();
	if (zombie == 0)
		_exit(0);
	{
		siginfo_t si = { 0 };

		/* waits for the exit, and leaves the zombie */
		CHECK(waitid(P_PID, (id_t)zombie, &si, WEXITED | WNOWAIT) == 0);
	}
	snprintf(path, sizeof(path), "%s/shmviz-%d-0", dir, (int)zombie);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	snprintf(path, sizeof(path), "%s/other-1-0", dir);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	out = open_memstream(&text, &textlen);
	CHECK_INT(preflight_remove_stale(dir, out), 2);
	fclose(out);
	CHECK(strstr(text, "removed stale segment") != NULL);
	free(text);
	snprintf(path, sizeof(path), "%s/shmviz-%d-0", dir, (int)dead);
	CHECK(access(path, F_OK) != 0);
	snprintf(path, sizeof(path), "%s/shmviz-%d-0", dir, (int)zombie);
	CHECK(access(path, F_OK) != 0);
	waitpid(zombie, NULL, 0);
	snprintf(path, sizeof(path), "%s/shmviz-%d-0", dir, (int)getpid());
	CHECK(access(path, F_OK) == 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/other-1-0", dir);
	CHECK(access(path, F_OK) == 0);
	unlink(path);
	rmdir(dir);

	CHECK(preflight_shm_name_ok("/shmviz-12-0"));
	CHECK(preflight_shm_name_ok("/psm_8f2a_b"));
	CHECK(!preflight_shm_name_ok("shmviz"));
	CHECK(!preflight_shm_name_ok("/"));
	CHECK(!preflight_shm_name_ok("/../etc/passwd"));
	CHECK(!preflight_shm_name_ok("/a/b"));
	CHECK(!preflight_shm_name_ok("/.."));
	CHECK(!preflight_shm_name_ok(NULL));
	return check_done();
}
