/* Hostile process names, end to end through the real kernel: the tree of
 * tests/helpers/hostile.c (names with parentheses, newlines, escape
 * sequences, C1 controls, invalid UTF-8) is sampled by the sampler through
 * libproc2 and written by the recorder. Every name must be read whole
 * (the stat name ends at the last ')'), reach the model with its control
 * characters replaced and its invalid bytes made U+FFFD, and the file must
 * be JSON that python3's strict json.load reads back as clean text.
 *
 * usage: test_hostile PATH-OF-hostile */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "fixture.h"
#include "src/core/model.h"
#include "src/core/protocol.h"
#include "src/recording/record.h"
#include "src/sample/sampler.h"
#include "src/util/text.h"
#include "tests/helpers/hostile.h"

/* a --compare command line as hostile as the names */
static const char hostile_label[] = "./x 'a\x1b]0;t\x07' \x9b\xff \"q\" \\";

static pid_t start_hostile(const char *path, FILE **out)
{
	int p[2];
	pid_t pid;

	if (pipe(p) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl(path, path, "60", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	*out = fdopen(p[0], "r");
	return pid;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* every string of a cJSON tree is clean text (recursive: a recording is
 * a few levels deep) */
static void check_strings(const cJSON *j) /* NOLINT(misc-no-recursion) */
{
	for (; j; j = j->next) {
		if (cJSON_IsString(j))
			CHECK(text_is_clean(j->valuestring, strlen(j->valuestring)));
		if (j->string)
			CHECK(text_is_clean(j->string, strlen(j->string)));
		check_strings(j->child);
	}
}

/* python3's json.load, strict, then every string free of controls */
static int python_check(const char *path)
{
	static const char prog[] =
		"import json, sys\n"
		"d = json.load(open(sys.argv[1], encoding='utf-8', errors='strict'))\n"
		"def walk(v):\n"
		"    if isinstance(v, str):\n"
		"        assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in v), repr(v)\n"
		"    elif isinstance(v, dict):\n"
		"        for k, x in v.items(): walk(k); walk(x)\n"
		"    elif isinstance(v, list):\n"
		"        for x in v: walk(x)\n"
		"walk(d)\n"
		"comms = {p['comm'] for s in d['runs'][0]['samples'] for p in s['procs']}\n"
		"assert 'a b) (c' in comms and 'q\"uote\\\\' in comms, comms\n";
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		execlp("python3", "python3", "-c", prog, path, (char *)NULL);
		_exit(77);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/shmviz-hostile.XXXXXX", path[64], err[256];
	const struct frame *f;
	const struct proc_row *rows;
	struct recorder *rc;
	struct sampler *s;
	struct model m;
	struct run *r;
	FILE *out = NULL;
	size_t nnames = 0, found = 0;
	char line[64];
	pid_t tree;
	int py;

	if (argc < 2) {
		fprintf(stderr, "usage: test_hostile PATH-OF-hostile\n");
		return 2;
	}
	for (; hostile_names[nnames]; nnames++)
		;
	tree = start_hostile(argv[1], &out);
	CHECK(tree > 0 && out);
	if (tree <= 0 || !out)
		return check_done();
	CHECK(fgets(line, sizeof(line), out) != NULL);
	CHECK(strncmp(line, "ready ", 6) == 0);

	model_init(&m, false);
	r = model_add_run(&m, "A", hostile_label, "hostile \x1b[2J names");
	CHECK(r != NULL);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/r.json", dir);
	rc = record_create(path, false, err, sizeof(err));
	CHECK(rc != NULL);
	s = sampler_create(10, 100, err, sizeof(err));
	CHECK(s != NULL);
	if (!r || !rc || !s)
		goto out;
	CHECK(record_begin(rc, &m));
	r->state = RUN_RUNNING;
	CHECK(record_run_begin(rc, r));
	sampler_begin(s, tree);
	for (int i = 0; i < 3; i++) {
		CHECK(sampler_tick(s, r, 0.01 * i, proto_now(), true));
		CHECK(record_tick(rc, r));
		nap_ms(10);
	}

	/* the model: every name read whole and made clean */
	f = run_frame_at(r, -1);
	CHECK(f != NULL);
	rows = f ? run_frame_rows(r, f) : NULL;
	CHECK(f && f->n == nnames + 1);
	for (size_t i = 0; rows && i < f->n; i++) {
		const struct proc_row *w = &rows[i];

		CHECK(text_is_clean(w->comm, strlen(w->comm)));
		CHECK(w->pid == tree || w->ppid == tree);
		CHECK(w->state == 'S');
		CHECK((w->smaps == SMAPS_STATE_READ || w->smaps == SMAPS_STATE_EXACT) && w->mem.rss > 0);
		for (size_t k = 0; k < nnames; k++) {
			char want[MODEL_COMM_MAX], raw[16];

			/* the kernel keeps 15 bytes of a name */
			snprintf(raw, sizeof(raw), "%s", hostile_names[k]);
			text_sanitize(want, sizeof(want), raw, strlen(raw), false);
			if (strcmp(w->comm, want) == 0) {
				found++;
				break;
			}
		}
	}
	CHECK_INT(found, nnames);
	/* spot checks of what the replacements must give */
	for (size_t i = 0; rows && i < f->n; i++) {
		if (rows[i].pid == tree)
			CHECK_STR(rows[i].comm, "hostile (?[2J)");
	}

	r->state = RUN_DONE;
	CHECK(record_run_end(rc, r));
	CHECK(record_commit(rc, &m));
	CHECK_STR(record_error(rc), "");

	/* the file: cJSON reads it back and every string is clean */
	{
		char *text = fixture_read(path, NULL);
		cJSON *doc = text ? cJSON_Parse(text) : NULL;

		CHECK(doc != NULL);
		if (doc) {
			const cJSON *run0 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0);
			const cJSON *label = cJSON_GetObjectItem(run0, "label");

			check_strings(doc);
			CHECK(cJSON_IsString(label));
			if (cJSON_IsString(label))
				CHECK_STR(label->valuestring,
					  "./x 'a?]0;t?' \xef\xbf\xbd\xef\xbf\xbd \"q\" \\");
		}
		cJSON_Delete(doc);
		free(text);
	}
	py = python_check(path);
	if (py == 77)
		fprintf(stderr, "python3 missing: strict json.load not run\n");
	else
		CHECK_INT(py, 0);
out:
	kill(tree, SIGKILL); /* its children die with it */
	waitpid(tree, NULL, 0);
	if (out)
		fclose(out);
	sampler_destroy(s);
	record_destroy(rc);
	unlink(path);
	rmdir(dir);
	model_finish(&m);
	return check_done();
}
