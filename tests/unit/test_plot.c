/* Unit tests of the picture: models at the edges (no run started, one
 * sample, four runs, a failed run with a long cause, figures of a petabyte
 * and times of days, every sample at t = 0) all draw, as SVG and PNG, at
 * the smallest and a large size; a bad output path is refused with one
 * line and leaves nothing. The e2e test plot.sh checks real recordings. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "src/cli/cli.h"
#include "src/report/plot.h"
#include "src/util/macros.h"

static char dir[] = "/tmp/shmviz-test-plot.XXXXXX";

static struct proc_row row(pid_t pid, int64_t rss, int64_t pss, int64_t prv)
{
	struct proc_row w;

	memset(&w, 0, sizeof(w));
	w.pid = pid;
	w.state = 'S';
	w.role = pid == 1 ? ROLE_PARENT : ROLE_WORKER;
	w.smaps = SMAPS_STATE_READ;
	w.rss_now_kb = rss;
	w.mem = (struct smaps_kb){ .rss = rss, .pss = pss,
				   .shared_dirty = rss - prv, .private_dirty = prv };
	return w;
}

static void header(struct model *m, const char *workload)
{
	model_init(m, true);
	snprintf(m->version, sizeof(m->version), "0.test");
	snprintf(m->host.kernel, sizeof(m->host.kernel), "6.1.0-test");
	m->host.cpus = 2;
	m->host.mem_total_kb = 24 << 20;
	snprintf(m->config.workload, sizeof(m->config.workload), "%s", workload);
	m->config.workers = 2;
	m->config.rows = 10000000;
	m->config.bytes = 240000000;
	m->config.interval_ms = 100;
}

/* a done run: phases, n ticks ramping to top kB over seconds */
static void fill_run(struct run *r, int n, double seconds, int64_t top)
{
	static const char *const phases[] = { "spawn", "fill", "attach",
					      "compute", "hold", "exit" };

	for (size_t i = 0; i < 6; i++)
		run_phase_begin(r, phases[i], seconds * (double)i / 6);
	run_phase_end(r, seconds);
	for (int k = 0; k < n; k++) {
		double t = n > 1 ? seconds * k / (n - 1) : 0;
		int64_t v = n > 1 ? top * k / (n - 1) : top;
		struct proc_row rows[3] = {
			row(1, v, v / 2, v / 4), row(2, v, v / 4, v / 8),
			row(3, v, v / 4, v / 8),
		};

		CHECK(run_add_tick(r, t, rows, 3, true));
	}
	r->state = RUN_DONE;
	r->result.wall_s = seconds;
	r->result.compute_s = seconds / 6;
}

static bool exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* draws m as name (in dir) at w x h; checks the file's first bytes */
static void draw(const struct model *m, const char *name, int w, int h)
{
	char path[256], err[512] = "", head[8] = { 0 };
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	CHECK_INT(plot_write(m, path, w, h, err, sizeof(err)), 0);
	if (err[0])
		fprintf(stderr, "%s: %s\n", name, err);
	f = fopen(path, "rb");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(fread(head, 1, sizeof(head), f) == sizeof(head));
	fclose(f);
	if (strcasestr(name, ".png"))
		CHECK(memcmp(head, "\x89PNG", 4) == 0);
	else
		CHECK(memcmp(head, "<?xml", 5) == 0);
	unlink(path);
}

/* A class's runs: n of them (1 to 4), names and details as shmviz gives
 * them, a kernel peak, and with rounds the --repeat line */
static void class_model(struct model *m, size_t n, bool rounds)
{
	static const char *const names[] = { "shared", "copy", "copy-fork", "copy-forkserver" };
	static const char *const details[] = {
		"POSIX shm, 2 workers", "pipe per worker, 2 workers",
		"multiprocessing fork, pickled tables, 2 workers",
		"multiprocessing forkserver, pickled tables, 2 workers",
	};

	header(m, "python");
	snprintf(m->config.mode, sizeof(m->config.mode), "all");
	for (size_t i = 0; i < n; i++) {
		struct run *r = model_add_run(m, names[i], NULL, details[i]);

		fill_run(r, 120, 0.27 * (double)(i + 1) + 1.0, 240000 * (int64_t)(i + 1) + 456789);
		r->kpeak.kb = 250000 * (int64_t)(i + 1);
		r->result.cpu_user_s = 0.123456;
		r->result.cpu_sys_s = 0.05;
		if (rounds) {
			r->nrounds = 3;
			for (int k = 0; k < 3; k++)
				r->rounds[k] = (struct round_figs){ .wall_s = 0.3 + 0.01 * k,
					.cpu_s = 0.2, .pss_kb = 240000, .ok = true };
		}
	}
	m->config.repeat = rounds ? 3 : 1;
}

/* Every text of a picture and the labels of its lines lie inside it; from
 * 640x360 up they cover no other text and no label covers a graph's data;
 * from 800x450 up nothing is cut and no text is smaller than 9 px. Over
 * sizes and run counts (plot_layout(): the boxes of the drawing itself). */
static void test_layout(void)
{
	static const int sizes[][2] = {
		{ 200, 150 }, { 640, 480 }, { 800, 450 }, { 800, 600 }, { 1024, 576 },
		{ 1280, 720 }, { 1600, 900 }, { 1920, 1080 }, { 1600, 1200 }, { 3840, 2160 },
	};
	static struct plot_layout l;
	unsigned pictures = 0;

	for (size_t n = 1; n <= 4; n++) {
		for (int rounds = 0; rounds < 2; rounds++) {
			struct model m;

			class_model(&m, n, rounds);
			for (size_t k = 0; k < ARRAY_SIZE(sizes); k++) {
				int w = sizes[k][0], h = sizes[k][1];
				bool big = w >= 800 && h >= 450;
				/* (below 640x360 the text is too small to read: the
				 * picture's own scale, hinted fonts larger than it) */
				bool legible = w >= 640 && h >= 360;
				unsigned out = 0, over = 0, data = 0;

				CHECK(plot_layout(&m, w, h, false, &l));
				CHECK(l.n > 10 && l.n < PLOT_BOXES_MAX);
				pictures++;
				for (size_t i = 0; i < l.n; i++) {
					struct plot_rect a = l.box[i].r;

					out += a.x < -0.5 || a.y < -0.5 || a.x + a.w > w + 0.5 ||
					       a.y + a.h > h + 0.5;
					for (size_t j = i + 1; j < l.n; j++) {
						const struct plot_box *b = &l.box[j];
						bool text_a = l.box[i].kind != PLOT_BOX_DATA;
						bool text_b = b->kind != PLOT_BOX_DATA;

						if (!plot_rects_overlap(a, b->r))
							continue;
						if (text_a && text_b)
							over++;
						else if (text_a != text_b)
							data++;
					}
				}
				if (out || (legible && (over || data)) || (big && (l.cut || l.min_text_px < 9)))
					printf("%zu runs%s at %dx%d: %u outside, %u overlaps, %u over data, %zu cut, smallest text %.1f px, %dx%d panels\n",
					       n, rounds ? " (rounds)" : "", w, h, out, over, data,
					       l.cut, l.min_text_px, l.cols, l.rows);
				CHECK_INT(out, 0);
				if (legible) {
					CHECK_INT(over, 0);
					CHECK_INT(data, 0);
				}
				if (big) {
					CHECK_INT(l.cut, 0);
					CHECK(l.min_text_px >= 9);
				}
			}
			model_finish(&m);
		}
	}
	printf("layout: %u pictures\n", pictures);
	CHECK(plot_rects_overlap((struct plot_rect){ 0, 0, 10, 10 }, (struct plot_rect){ 5, 5, 10, 10 }));
	CHECK(!plot_rects_overlap((struct plot_rect){ 0, 0, 10, 10 }, (struct plot_rect){ 10, 0, 10, 10 }));
}

static void draw_both(const struct model *m, const char *stem)
{
	char name[64];

	snprintf(name, sizeof(name), "%s.svg", stem);
	draw(m, name, 1600, 900);
	snprintf(name, sizeof(name), "%s.png", stem);
	draw(m, name, 200, 150);
	draw(m, name, 1920, 1080);
	/* the extension in any case: .PNG is a PNG, .SVG an SVG */
	snprintf(name, sizeof(name), "%s.PNG", stem);
	draw(m, name, 200, 150);
	snprintf(name, sizeof(name), "%s.SVG", stem);
	draw(m, name, 200, 150);
}

int main(void)
{
	struct model m;

	test_layout();
	char err[512], path[256];
	struct run *r;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}

	/* nothing ran */
	header(&m, "native");
	model_add_run(&m, "shared", NULL, "POSIX shm, 2 workers");
	model_add_run(&m, "copy", NULL, "pipe to each worker, 2 workers");
	draw_both(&m, "empty");
	model_finish(&m);

	/* one sample each, all at t = 0 */
	header(&m, "native");
	fill_run(model_add_run(&m, "shared", NULL, ""), 1, 0, 1000);
	fill_run(model_add_run(&m, "copy", NULL, ""), 1, 0, 3000);
	draw_both(&m, "one-sample");
	model_finish(&m);

	/* four runs, one failed with a long cause, long names */
	header(&m, "compare");
	fill_run(model_add_run(&m, "shared", NULL, "POSIX shm"), 50, 0.4, 240000);
	fill_run(model_add_run(&m, "copy-with-a-rather-long-name-x", NULL,
			       "a detail long enough to be cut with an ellipsis, surely, at this width"),
		 200, 3.0, 720000);
	r = model_add_run(&m, "cow", NULL, "fork copy-on-write");
	fill_run(r, 30, 1.0, 480000);
	r->state = RUN_FAILED;
	snprintf(r->cause, sizeof(r->cause), "%s",
		 "the cow workload was killed by SIGKILL after it had written more than its share of the table, which is a long cause");
	model_add_run(&m, "\xce\xa3-\xe2\x80\x94-utf8", NULL, "never started");
	CHECK_INT(m.nruns, 4);
	draw_both(&m, "four");
	model_finish(&m);

	/* a petabyte, over days */
	header(&m, "native");
	fill_run(model_add_run(&m, "huge", NULL, ""), 20, 900000, 1099511627776LL);
	fill_run(model_add_run(&m, "tiny", NULL, ""), 20, 0.0004, 1);
	draw_both(&m, "extremes");

	/* bad outputs: one line, exit 2, nothing left */
	snprintf(path, sizeof(path), "%s/no/such/dir/p.svg", dir);
	CHECK_INT(plot_write(&m, path, 800, 600, err, sizeof(err)), EXIT_USAGE);
	CHECK(strstr(err, "No such file") != NULL && !strchr(err, '\n'));
	snprintf(path, sizeof(path), "%s/no/line\nbreak\x1b[2J.svg", dir);
	CHECK_INT(plot_write(&m, path, 800, 600, err, sizeof(err)), EXIT_USAGE);
	CHECK(!strchr(err, '\n') && !strchr(err, '\x1b'));
	snprintf(path, sizeof(path), "%s/p.jpg", dir);
	CHECK_INT(plot_write(&m, path, 800, 600, err, sizeof(err)), EXIT_USAGE);
	CHECK(!exists("p.jpg"));
	snprintf(path, sizeof(path), "%s/d.png", dir);
	CHECK(mkdir(path, 0700) == 0);
	CHECK_INT(plot_write(&m, path, 800, 600, err, sizeof(err)), EXIT_USAGE);
	CHECK(strstr(err, "directory") != NULL);
	rmdir(path);
	model_finish(&m);

	/* nothing is left in the directory: no temporary file */
	{
		DIR *d = opendir(dir);
		struct dirent *e;
		int left = 0;

		while (d && (e = readdir(d)))
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				left++, fprintf(stderr, "left: %s\n", e->d_name);
		if (d)
			closedir(d);
		CHECK_INT(left, 0);
	}
	rmdir(dir);
	return check_done();
}
