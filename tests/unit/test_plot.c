/* Unit tests of the picture: models at the edges (no run started, one
 * sample, four runs, a failed run with a long cause, figures of a petabyte
 * and times of days, every sample at t = 0) all draw, as SVG and PNG, at
 * the smallest and a large size; the SVG's title names the runs and the
 * table as the test built them. What is drawn is read back from the PNG:
 * on runs of known flat figures, the heights of the ΣUSS and shared areas
 * and of the ΣRSS line and the widths of the areas are the figures and
 * durations on one scale for all runs, each in its role's colour of the
 * theme (light and dark), the state in the colour of ok or failed, and
 * the SVG's description gives each run's wall time (its hold left out)
 * and CPU time (user and system) as the test set them, and a compute
 * phase's span as the compute time; a run
 * of nothing, or of a kilobyte beside a petabyte, draws no area. A bad
 * output path is refused with one line and leaves nothing. The e2e test
 * plot.sh checks real recordings. */
#include <cairo.h>
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "src/cli/cli.h"
#include "src/core/palette.h"
#include "src/report/plot.h"
#include "src/util/macros.h"
#include "src/util/fmt.h"

/* the title of header()'s table: 10,000,000 rows of 240,000,000 bytes,
 * 234,375 KiB, 228.9 MiB shown without a decimal from 10 units up */
#define TITLE(runs) "shmviz: " runs ": 2 workers, 10,000,000 rows (229 MiB)"

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

/* The text between <tag> and </tag> in the file at path, into buf. */
static const char *svg_element(const char *path, const char *tag, char *buf,
			       size_t size)
{
	char open_tag[32], close_tag[32], *data = malloc(1 << 20), *a, *b;
	FILE *f = fopen(path, "rb");

	buf[0] = '\0';
	if (f && data) {
		size_t n = fread(data, 1, (1 << 20) - 1, f);

		data[n] = '\0';
		snprintf(open_tag, sizeof(open_tag), "<%s>", tag);
		snprintf(close_tag, sizeof(close_tag), "</%s>", tag);
		a = strstr(data, open_tag);
		b = a ? strstr(a, close_tag) : NULL;
		if (a && b)
			snprintf(buf, size, "%.*s", (int)(b - a - strlen(open_tag)),
				 a + strlen(open_tag));
	}
	if (f)
		fclose(f);
	free(data);
	return buf;
}

/* draws m as name (in dir) at w x h; checks the file's first bytes, and
 * an SVG's <title> against title */
static void draw(const struct model *m, const char *name, int w, int h,
		 const char *title)
{
	char path[256], err[512] = "", head[8] = { 0 }, got[1024];
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
	if (strcasestr(name, ".png")) {
		CHECK(memcmp(head, "\x89PNG", 4) == 0);
	} else {
		CHECK(memcmp(head, "<?xml", 5) == 0);
		CHECK_STR(svg_element(path, "title", got, sizeof(got)), title);
	}
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

/* ---- the picture read back: what is drawn where, in which colour ---- */

struct image {
	cairo_surface_t *s;
	const unsigned char *px;
	int w, h, stride;
};

/* draws m as a w x h PNG and reads it back; false when it cannot */
static bool render_png(const struct model *m, int w, int h, struct image *im)
{
	char path[256], err[512] = "";

	snprintf(path, sizeof(path), "%s/read.png", dir);
	CHECK_INT(plot_write(m, path, w, h, err, sizeof(err)), 0);
	im->s = cairo_image_surface_create_from_png(path);
	unlink(path);
	if (cairo_surface_status(im->s) != CAIRO_STATUS_SUCCESS) {
		CHECK(!"the PNG reads back");
		cairo_surface_destroy(im->s);
		return false;
	}
	cairo_surface_flush(im->s);
	im->px = cairo_image_surface_get_data(im->s);
	im->w = cairo_image_surface_get_width(im->s);
	im->h = cairo_image_surface_get_height(im->s);
	im->stride = cairo_image_surface_get_stride(im->s);
	CHECK_INT(im->w, w);
	CHECK_INT(im->h, h);
	return im->w == w && im->h == h;
}

static struct rgb8 pixel(const struct image *im, int x, int y)
{
	uint32_t v;   /* cairo's ARGB32 and RGB24: 0xAARRGGBB, native order */

	memcpy(&v, im->px + (size_t)y * (size_t)im->stride + (size_t)x * 4, 4);
	return (struct rgb8){ (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			      (unsigned char)v };
}

static bool same(struct rgb8 a, struct rgb8 b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* A colour of the picture: a role's, painted over the background with an
 * opacity of at least min_alpha (the areas are a little translucent). */
struct paint {
	struct rgb8 c, bg;
	double min_alpha;
};

/* whether p is c over bg at an opacity of min_alpha..1, within 6 of 255
 * in every channel */
static bool painted(struct rgb8 p, const struct paint *k)
{
	const int pc[3] = { p.r, p.g, p.b }, cc[3] = { k->c.r, k->c.g, k->c.b },
		  bc[3] = { k->bg.r, k->bg.g, k->bg.b };
	int far = 0;
	double a;

	for (int i = 1; i < 3; i++)
		if (abs(cc[i] - bc[i]) > abs(cc[far] - bc[far]))
			far = i;
	if (cc[far] == bc[far])
		return false;   /* the colour of the background: not found */
	a = (double)(pc[far] - bc[far]) / (cc[far] - bc[far]);
	if (a < k->min_alpha - 0.02 || a > 1.02)
		return false;
	for (int i = 0; i < 3; i++)
		if (fabs(pc[i] - (a * cc[i] + (1 - a) * bc[i])) > 6)
			return false;
	return true;
}

/* The colours of theme t as the picture must paint its roles. */
struct roles {
	struct rgb8 bg;
	struct paint priv, shared, line, ok, fail;
};

static struct roles roles_of(enum palette_theme t)
{
	struct roles r;

	r.bg = palette_rgb(palette_background(t));
	r.priv = (struct paint){ palette_rgb(palette_pair(t, THEME_PRIVATE).fg), r.bg, 0.75 };
	r.shared = (struct paint){ palette_rgb(palette_pair(t, THEME_SHARED).fg), r.bg, 0.75 };
	r.line = (struct paint){ palette_rgb(palette_pair(t, THEME_LINE).fg), r.bg, 0.9 };
	r.ok = (struct paint){ palette_rgb(palette_pair(t, THEME_OK).fg), r.bg, 0.9 };
	r.fail = (struct paint){ palette_rgb(palette_pair(t, THEME_FAIL).fg), r.bg, 0.9 };
	return r;
}

/* an area's column: at least this many pixels of the private colour on
 * top of each other (the legend's swatches are 14) */
#define AREA_MIN 20

/* The heights in column x, in pixels above the area's base: the top of
 * the private area (ΣUSS), the top of the shared area over it (ΣPSS) and
 * the middle of the ΣRSS line above; false when no area stands there. */
static bool column(const struct image *im, const struct roles *c, int x,
		   double *uss, double *pss, double *rss)
{
	int y = im->h - 1, base = 0, top, first;

	for (; y >= 0; y--) {
		if (!painted(pixel(im, x, y), &c->priv))
			continue;
		base = y + 1;
		while (y >= 0 && painted(pixel(im, x, y), &c->priv))
			y--;
		if (base - (y + 1) >= AREA_MIN)
			break;
	}
	if (y < 0)
		return false;
	top = y + 1;
	*uss = base - top;
	/* the shared area: from the private one's top (an edge of two
	 * pixels may be neither colour) */
	for (int skip = 0; skip < 2 && y >= 0 && !painted(pixel(im, x, y), &c->shared); skip++)
		y--;
	while (y >= 0 && painted(pixel(im, x, y), &c->shared))
		y--;
	*pss = base - (y + 1);
	/* the line: the first pixels of its colour above */
	while (y >= 0 && !painted(pixel(im, x, y), &c->line))
		y--;
	first = y;
	while (y >= 0 && painted(pixel(im, x, y), &c->line))
		y--;
	*rss = y < 0 && first < 0 ? -1 : base - (first + y + 2) / 2.0;
	return true;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The area of the columns x0..x1: how many columns it covers, and the
 * median of each height over them (labels and the peak's dot cover a
 * few). */
struct drawn {
	int cols;
	double uss, pss, rss;
	int ok_px, fail_px;   /* pixels of the ok and failed colours */
};

static struct drawn measure(const struct image *im, const struct roles *c,
			    int x0, int x1)
{
	struct drawn d = { 0 };
	size_t n = (size_t)(x1 - x0);
	double *u = calloc(n, sizeof(double)), *p = calloc(n, sizeof(double)),
	       *r = calloc(n, sizeof(double));

	CHECK(u && p && r);
	for (int x = x0; u && p && r && x < x1; x++) {
		if (column(im, c, x, &u[d.cols], &p[d.cols], &r[d.cols]))
			d.cols++;
		for (int y = 0; y < im->h; y++) {
			d.ok_px += painted(pixel(im, x, y), &c->ok);
			d.fail_px += painted(pixel(im, x, y), &c->fail);
		}
	}
	if (d.cols) {
		qsort(u, (size_t)d.cols, sizeof(double), cmp_double);
		qsort(p, (size_t)d.cols, sizeof(double), cmp_double);
		qsort(r, (size_t)d.cols, sizeof(double), cmp_double);
		d.uss = u[d.cols / 2];
		d.pss = p[d.cols / 2];
		d.rss = r[d.cols / 2];
	}
	free(u);
	free(p);
	free(r);
	return d;
}

/* flat figures over seconds: one process of ΣRSS rss, ΣPSS pss, ΣUSS uss */
static void flat_run(struct run *r, double seconds, int64_t rss, int64_t pss,
		     int64_t uss)
{
	for (int k = 0; k <= 60; k++) {
		struct proc_row w = row(1, rss, pss, uss);

		CHECK(run_add_tick(r, seconds * k / 60, &w, 1, true));
	}
	r->state = RUN_DONE;
	/* a hold of a second, left out of the wall time; CPU time, user and
	 * system */
	r->result.wall_s = seconds;
	r->result.total_s = seconds + 1;
	r->result.cpu_user_s = seconds / 4;
	r->result.cpu_sys_s = seconds / 8;
}

/* The figures under each panel, as the SVG's description gives them: the
 * wall time without the hold, CPU time user and system */
static void check_times(const struct model *m, const double *seconds)
{
	char path[256], err[512] = "", desc[4096], want[256], a[FMT_SIZE_MAX],
	     c[FMT_SIZE_MAX];

	snprintf(path, sizeof(path), "%s/times.svg", dir);
	CHECK_INT(plot_write(m, path, 1600, 900, err, sizeof(err)), 0);
	svg_element(path, "desc", desc, sizeof(desc));
	unlink(path);
	for (size_t i = 0; i < m->nruns; i++) {
		const struct run *r = &m->runs[i];

		snprintf(want, sizeof(want), " %s: wall %s \xc2\xb7 compute - \xc2\xb7 CPU %s.",
			 r->name, fmt_seconds(a, sizeof(a), seconds[i]),
			 fmt_seconds(c, sizeof(c), seconds[i] / 4 + seconds[i] / 8));
		if (!strstr(desc, want))
			fprintf(stderr, "not in the description: '%s'\n%s\n", want, desc);
		CHECK(strstr(desc, want) != NULL);
	}
}

/* A run with a compute phase: the figures under its panel (the SVG's
 * description) give the compute phase's span as its compute time, not
 * the workers' CPU time in it, nor the wall time */
static void test_compute_time(void)
{
	char path[256], err[512] = "", desc[4096];
	struct model m;
	struct run *r;

	header(&m, "native");
	r = model_add_run(&m, "shared", NULL, "");
	flat_run(r, 3, 1000000, 450000, 200000);
	run_phase_begin(r, "fill", 0);
	run_phase_begin(r, "compute", 1.0);
	run_phase_begin(r, "hold", 1.4);
	run_phase_end(r, 3);
	r->result.compute_s = 0.4;      /* the phase's span */
	r->result.compute_cpu_s = 0.75; /* its workers' CPU time, another figure */
	snprintf(path, sizeof(path), "%s/compute.svg", dir);
	CHECK_INT(plot_write(&m, path, 1600, 900, err, sizeof(err)), 0);
	svg_element(path, "desc", desc, sizeof(desc));
	unlink(path);
	if (!strstr(desc, " shared: wall 3.00 s \xc2\xb7 compute 0.40 s \xc2\xb7 CPU "))
		fprintf(stderr, "no compute time of 0.40 s in the description:\n%s\n", desc);
	CHECK(strstr(desc, " shared: wall 3.00 s \xc2\xb7 compute 0.40 s \xc2\xb7 CPU ") != NULL);
	model_finish(&m);
}

/* Two runs of flat figures, side by side on one scale, in theme t: each
 * height is its figure times one number of pixels a kB (taken from the
 * highest), the widths are the durations (1 s and 3 s), the areas and the
 * line are in the theme's colours of their roles, on its background; the
 * state is in the colour of ok (shared) or failed (copy). */
static void test_drawn(enum palette_theme t)
{
	static const double seconds[2] = { 1, 3 };
	static const int64_t fig[2][3] = {   /* ΣRSS, ΣPSS, ΣUSS of each run */
		{ 1000000, 450000, 200000 }, { 1800000, 1000000, 900000 },
	};
	const int W = 1600, H = 900;
	struct roles c = roles_of(t);
	struct model m;
	struct image im;
	struct drawn d[2];
	struct run *r;
	double k;

	header(&m, "native");
	flat_run(model_add_run(&m, "shared", NULL, ""), seconds[0], fig[0][0], fig[0][1], fig[0][2]);
	r = model_add_run(&m, "copy", NULL, "");
	flat_run(r, seconds[1], fig[1][0], fig[1][1], fig[1][2]);
	r->state = RUN_FAILED;
	snprintf(r->cause, sizeof(r->cause), "killed");
	plot_set_theme(t);
	check_times(&m, seconds);
	if (!render_png(&m, W, H, &im)) {
		model_finish(&m);
		return;
	}
	/* the background, at the corners */
	CHECK(same(pixel(&im, 0, 0), c.bg));
	CHECK(same(pixel(&im, W - 1, H - 1), c.bg));
	/* one panel a run: the left half and the right half */
	d[0] = measure(&im, &c, 0, W / 2);
	d[1] = measure(&im, &c, W / 2, W);
	k = d[1].rss / (double)fig[1][0];
	for (int i = 0; i < 2; i++) {
		printf("theme %d run %d: %d columns, heights USS %.1f PSS %.1f RSS %.1f "
		       "(want %.1f %.1f %.1f), ok %d failed %d pixels\n", t, i, d[i].cols,
		       d[i].uss, d[i].pss, d[i].rss, k * (double)fig[i][2],
		       k * (double)fig[i][1], k * (double)fig[i][0], d[i].ok_px, d[i].fail_px);
		CHECK(d[i].cols > 0);
		CHECK_NEAR(d[i].uss, k * (double)fig[i][2], 3);
		CHECK_NEAR(d[i].pss, k * (double)fig[i][1], 3);
		CHECK_NEAR(d[i].rss, k * (double)fig[i][0], 3);
	}
	CHECK(k * (double)fig[0][2] >= AREA_MIN);   /* every area was seen */
	/* one time scale: 3 s is three times as wide as 1 s */
	CHECK_NEAR(d[1].cols, seconds[1] / seconds[0] * d[0].cols, 4);
	/* "ok" in the first panel, "failed" and its cause in the second */
	CHECK(d[0].ok_px >= 5 && d[0].fail_px == 0);
	CHECK(d[1].fail_px >= 5 && d[1].ok_px == 0);
	cairo_surface_destroy(im.s);
	model_finish(&m);
}

/* Columns of an area in each half of m's picture (light theme). */
static void area_columns(const struct model *m, int cols[2])
{
	struct roles c = roles_of(PALETTE_LIGHT);
	struct image im;

	plot_set_theme(PALETTE_LIGHT);
	cols[0] = cols[1] = -1;
	if (!render_png(m, 1600, 900, &im))
		return;
	cols[0] = measure(&im, &c, 0, 800).cols;
	cols[1] = measure(&im, &c, 800, 1600).cols;
	cairo_surface_destroy(im.s);
}

static void draw_both(const struct model *m, const char *stem,
		      const char *title)
{
	char name[64];

	snprintf(name, sizeof(name), "%s.svg", stem);
	draw(m, name, 1600, 900, title);
	snprintf(name, sizeof(name), "%s.png", stem);
	draw(m, name, 200, 150, title);
	draw(m, name, 1920, 1080, title);
	/* the extension in any case: .PNG is a PNG, .SVG an SVG */
	snprintf(name, sizeof(name), "%s.PNG", stem);
	draw(m, name, 200, 150, title);
	snprintf(name, sizeof(name), "%s.SVG", stem);
	draw(m, name, 200, 150, title);
}

int main(void)
{
	struct model m;

	test_layout();
	char err[512], path[256];
	struct run *r;
	int cols[2];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_drawn(PALETTE_LIGHT);
	test_drawn(PALETTE_DARK);
	test_compute_time();

	/* nothing ran */
	header(&m, "native");
	model_add_run(&m, "shared", NULL, "POSIX shm, 2 workers");
	model_add_run(&m, "copy", NULL, "pipe to each worker, 2 workers");
	draw_both(&m, "empty", TITLE("shared vs copy"));
	area_columns(&m, cols);
	CHECK(cols[0] == 0 && cols[1] == 0);   /* no sample: no area */
	model_finish(&m);

	/* one sample each, all at t = 0 */
	header(&m, "native");
	fill_run(model_add_run(&m, "shared", NULL, ""), 1, 0, 1000);
	fill_run(model_add_run(&m, "copy", NULL, ""), 1, 0, 3000);
	draw_both(&m, "one-sample", TITLE("shared vs copy"));
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
	draw_both(&m, "four", "shmviz: shared vs copy-with-a-rather-long-name-x vs cow vs "
		  "\xce\xa3-\xe2\x80\x94-utf8: memory over time");
	model_finish(&m);

	/* a petabyte, over days */
	header(&m, "native");
	fill_run(model_add_run(&m, "huge", NULL, ""), 20, 900000, 1099511627776LL);
	fill_run(model_add_run(&m, "tiny", NULL, ""), 20, 0.0004, 1);
	draw_both(&m, "extremes", TITLE("huge vs tiny"));
	/* a kilobyte for 0.4 ms beside a petabyte over days: nothing to see */
	area_columns(&m, cols);
	printf("extremes: area in %d and %d columns\n", cols[0], cols[1]);
	CHECK(cols[0] > 100 && cols[1] == 0);

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
