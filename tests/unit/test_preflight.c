/* Unit tests of the checks before a run: memory arithmetic, a too-small
 * tmpfs is refused with sizes, stale segments of dead creators go, live
 * ones stay, names are validated. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "src/preflight.h"

int main(void)
{
	struct cli_options o = { .runs = CLI_RUN_SHARED | CLI_RUN_COPY,
				 .workload = WORKLOAD_NATIVE };
	char dir[] = "/tmp/shmviz-preflight-XXXXXX", path[256], err[256];
	uint64_t S = 240000000ULL;
	pid_t dead;
	FILE *out;
	char *text = NULL;
	size_t textlen = 0;

	/* copy of 4 workers: 5 copies, plus a margin */
	CHECK(preflight_memory_needed(&o, 4, S) >= 5 * S);
	CHECK(preflight_memory_needed(&o, 4, S) < 5 * S + (256ULL << 20));
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
	/* a dead creator: a child that has exited */
	dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	snprintf(path, sizeof(path), "%s/shmviz-%d-0", dir, (int)dead);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	snprintf(path, sizeof(path), "%s/shmviz-%d-0", dir, (int)getpid());
	close(open(path, O_CREAT | O_WRONLY, 0600));
	snprintf(path, sizeof(path), "%s/other-1-0", dir);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	out = open_memstream(&text, &textlen);
	CHECK_INT(preflight_remove_stale(dir, out), 1);
	fclose(out);
	CHECK(strstr(text, "removed stale segment") != NULL);
	free(text);
	snprintf(path, sizeof(path), "%s/shmviz-%d-0", dir, (int)dead);
	CHECK(access(path, F_OK) != 0);
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
