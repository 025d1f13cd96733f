/* Unit tests of the streaming recorder (src/recording/record.c) at its edges: a
 * recording committed while a run is still open (the session ended
 * without telling the sink the run's end, as after running out of memory
 * while sampling) is still one whole JSON document that the replay loader
 * reads back, with the open run and the run that never started. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "fixture.h"
#include "src/core/model.h"
#include "src/recording/record.h"
#include "src/recording/replay.h"
#include "src/util/macros.h"

static void commit_with_open_run(void)
{
	char dir[] = "/tmp/shmviz-test-record-XXXXXX", path[64], err[512];
	struct proc_row row = { 0 };
	struct recorder *rc = NULL;
	struct model m, back;
	struct run *a, *b;
	int status;

	model_init(&m, false);
	model_init(&back, true);
	snprintf(m.version, sizeof(m.version), "test");
	snprintf(m.host.kernel, sizeof(m.host.kernel), "6.1.0");
	snprintf(m.host.machine, sizeof(m.host.machine), "x86_64");
	m.host.cpus = 2;
	m.host.page_size = 4096;
	m.host.mem_total_kb = 24 * 1024 * 1024;
	m.config.workers = 1;
	m.config.rows = 1000;
	m.config.bytes = 24000;
	m.config.interval_ms = 100;
	m.config.hold_s = 1;
	m.config.budget_pct = 5;
	snprintf(m.config.mode, sizeof(m.config.mode), "both");
	snprintf(m.config.workload, sizeof(m.config.workload), "native");
	a = model_add_run(&m, "shared", "shared", "POSIX shm, 1 workers");
	b = model_add_run(&m, "copy", "copy", "pipe to each worker, 1 workers");
	CHECK(a && b);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/r.json", dir);
	rc = record_create(path, false, err, sizeof(err));
	CHECK(rc != NULL);
	if (!a || !b || !rc)
		goto out;

	row.pid = 4242;
	row.ppid = 1;
	row.role = ROLE_PARENT;
	snprintf(row.comm, sizeof(row.comm), "shmviz-shared");
	row.state = 'S';
	row.smaps = SMAPS_STATE_READ;
	row.mem = (struct smaps_kb){ .rss = 2048, .pss = 1024, .shared_dirty = 512,
				     .private_dirty = 512 };
	row.rss_now_kb = 2048;
	row.rss_anon_kb = 1024;
	row.rss_file_kb = 1024;
	row.rss_shmem_kb = 0;

	CHECK(record_begin(rc, &m));
	a->state = RUN_RUNNING;
	run_phase_begin(a, "spawn", 0);
	CHECK(record_run_begin(rc, a));
	CHECK(run_add_tick(a, 0.1, &row, 1, true));
	CHECK(record_tick(rc, a));
	CHECK(run_add_tick(a, 0.2, &row, 1, true));
	CHECK(record_tick(rc, a));
	/* no record_run_end(): the session could not say the run ended */
	a->state = RUN_FAILED;
	snprintf(a->cause, sizeof(a->cause), "out of memory while sampling");
	CHECK(record_commit(rc, &m));
	CHECK_STR(record_error(rc), "");

	status = replay_load(path, &back, err, sizeof(err));
	if (status)
		fprintf(stderr, "replay_load: %s\n", err);
	CHECK_INT(status, 0);
	CHECK_INT((int)back.nruns, 2);
	if (back.nruns == 2) {
		CHECK_STR(back.runs[0].name, "shared");
		CHECK_INT((int)back.runs[0].nframes, 2);
		CHECK(back.runs[0].state == RUN_FAILED);
		CHECK_STR(back.runs[1].name, "copy");
		CHECK(back.runs[1].state == RUN_WAITING);
		CHECK_INT((int)back.runs[1].nframes, 0);
	}
out:
	record_destroy(rc);
	unlink(path);
	rmdir(dir);
	model_finish(&back);
	model_finish(&m);
}

/* The streamed samples (a row unchanged since the sample before is written
 * from its earlier text) are, value for value, what record_run_json()
 * builds from the same frames: through unchanged rows, a changed one, a
 * process leaving and others joining. */
static void streamed_equals_built(void)
{
	char dir[] = "/tmp/shmviz-test-record-XXXXXX", path[64], err[512];
	struct proc_row rows[3] = { { 0 } };
	struct recorder *rc = NULL;
	struct model m;
	struct run *a;
	cJSON *doc = NULL, *built = NULL;
	char *text = NULL;
	const size_t counts[] = { 2, 2, 2, 1, 3, 3 };
	const double times[] = { 0.1, 0.2, 0.1 + 0.2, 0.4, 1.0 / 3.0, 12345.678901234567 };

	model_init(&m, true);
	snprintf(m.version, sizeof(m.version), "test");
	snprintf(m.config.mode, sizeof(m.config.mode), "shared");
	snprintf(m.config.workload, sizeof(m.config.workload), "native");
	m.config.interval_ms = 100;
	a = model_add_run(&m, "shared", "shared", "POSIX shm, 2 workers");
	CHECK(a != NULL);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/r.json", dir);
	rc = record_create(path, false, err, sizeof(err));
	CHECK(rc != NULL);
	if (!a || !rc)
		goto out;
	for (int i = 0; i < 3; i++) {
		rows[i].pid = 100 + i;
		rows[i].ppid = i ? 100 : 1;
		rows[i].role = i ? ROLE_WORKER : ROLE_PARENT;
		snprintf(rows[i].comm, sizeof(rows[i].comm), "w\"%d\\", i);
		rows[i].state = 'S';
		rows[i].smaps = SMAPS_STATE_EXACT;
		rows[i].mem = (struct smaps_kb){ .rss = 2048, .pss = 1024 + i,
						 .shared_dirty = 512, .private_dirty = 512 };
		rows[i].est_error_kb = MODEL_KB_NONE;
		rows[i].smaps_t = 0.05;
		rows[i].utime_s = 0.01 * i;
	}
	CHECK(record_begin(rc, &m));
	a->state = RUN_RUNNING;
	CHECK(record_run_begin(rc, a));
	for (size_t k = 0; k < ARRAY_SIZE(counts); k++) {
		if (k == 2) {
			rows[1].mem.pss += 7;
			rows[1].moved = true;
			rows[1].smaps = SMAPS_STATE_READ;
		}
		if (k == 3)
			rows[1].moved = false;
		CHECK(run_add_tick(a, times[k], rows, counts[k], k != 2));
		CHECK(record_tick(rc, a));
	}
	a->state = RUN_DONE;
	CHECK(record_run_end(rc, a));
	CHECK(record_commit(rc, &m));
	text = fixture_read(path, NULL);
	doc = text ? cJSON_Parse(text) : NULL;
	built = record_run_json(a, true);
	CHECK(doc != NULL);
	CHECK(built != NULL);
	if (doc && built) {
		cJSON *runs = cJSON_GetObjectItemCaseSensitive(doc, "runs");
		cJSON *streamed = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetArrayItem(runs, 0), "samples");
		cJSON *want = cJSON_GetObjectItemCaseSensitive(built, "samples");

		CHECK_INT(cJSON_GetArraySize(streamed), 6);
		CHECK(cJSON_Compare(streamed, want, true));
	}
out:
	cJSON_Delete(doc);
	cJSON_Delete(built);
	free(text);
	record_destroy(rc);
	unlink(path);
	rmdir(dir);
	model_finish(&m);
}

int main(void)
{
	commit_with_open_run();
	streamed_equals_built();
	return check_done();
}
