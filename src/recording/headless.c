/*
 * headless.c - recording sink: every event becomes JSON on the way to the
 * file; nothing is kept beyond what the model bounds. The summary's
 * header is printed at the start, the progress line on a terminal's
 * stderr as the runs go (see headless.h).
 */
#include "src/recording/headless.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "src/report/summary.h"
#include "src/util/clock.h"
#include "src/util/fmt.h"
#include "src/util/text.h"

#define PROGRESS_EVERY_S 0.1  /* at most ten redraws a second */

void headless_progress_text(char *buf, size_t size, const struct model *m,
			    const struct run *r, size_t cols)
{
	char line[512], clean[512], t[FMT_SIZE_MAX], pss[SUMMARY_PEAK_MAX], round[48] = "";
	const struct phase *ph;
	size_t index = 0, fit;

	if (!r || size == 0) {
		if (size)
			buf[0] = '\0';
		return;
	}
	for (size_t i = 0; i < m->nruns; i++)
		if (&m->runs[i] == r)
			index = i;
	ph = run_phase_current(r);
	if (run_state_ended(r->state)) {
		/* an ended run: its peak, as the summary will show it */
		if (run_has_peak(r) && !r->peak.pss_partial)
			summary_peak_text(pss, sizeof(pss), r, false);
		else
			snprintf(pss, sizeof(pss), "not sampled");
	} else if (r->npoints && !r->points[r->npoints - 1].pss_partial) {
		fmt_kb_long(pss, sizeof(pss), r->points[r->npoints - 1].pss_kb);
	} else {
		snprintf(pss, sizeof(pss), "not sampled yet");
	}
	if (r->t_now > 0)
		fmt_seconds(t, sizeof(t), r->t_now);
	else
		snprintf(t, sizeof(t), "0 s");
	/* --repeat: the round first */
	if (m->config.repeat > 1)
		snprintf(round, sizeof(round), "round %d of %d \xc2\xb7 ", m->round + 1,
			 m->config.repeat);
	snprintf(line, sizeof(line),
		 "shmviz: %srun %zu/%zu %s \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 %s\xce\xa3PSS %s",
		 round, index + 1, m->nruns, r->name,
		 run_state_ended(r->state) ?
		 model_state_name(r->state) : ph ? ph->name : "starting", t,
		 run_state_ended(r->state) ? "peak " : "", pss);
	/* a run's name and a phase's are the user's or a program's text */
	text_sanitize(clean, sizeof(clean), line, strlen(line), false);
	fit = text_fit(clean, cols, NULL);
	if (fit >= size)
		fit = size - 1;
	memcpy(buf, clean, fit);
	buf[fit] = '\0';
}

static void progress(struct headless *h, const struct model *m,
		     const struct run *r, bool force)
{
	struct winsize ws;
	size_t cols = 80;
	char line[512];
	double now;

	if (!h->progress || !r)
		return;
	now = clock_mono_s();
	if (!force && h->shown && now - h->last_mono < PROGRESS_EVERY_S)
		return;
	if (ioctl(fileno(h->progress), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		cols = ws.ws_col;
	/* one column short of the width: no wrap to a second line */
	headless_progress_text(line, sizeof(line), m, r, cols - 1);
	fprintf(h->progress, "\r\033[K%s", line);
	fflush(h->progress);
	h->shown = true;
	h->last_mono = now;
}

void headless_clear(struct headless *h)
{
	if (!h || !h->progress || !h->shown)
		return;
	fputs("\r\033[K", h->progress);
	fflush(h->progress);
	h->shown = false;
}

static bool update(void *ctx, const struct model *m, enum sink_event ev,
		   const struct run *r)
{
	struct headless *h = ctx;
	bool ok = true;

	switch (ev) {
	case SINK_START:
		ok = record_begin(h->rec, m);
		/* under the TUI (a tee) the header waits for the summary */
		if (ok && h->summary && !h->header_done && !h->inner.ops) {
			summary_header(h->summary, m);
			fflush(h->summary);
			h->header_done = true;
		}
		return ok;
	/* --repeat: every round is recorded; runs[] of the recording hold
	 * the round the model shows at the end (the median one), every
	 * round's figures go into .repeat */
	case SINK_RUN_BEGIN:
		record_round(h->rec, m->round, (size_t)(r - m->runs));
		ok = record_run_begin(h->rec, r);
		progress(h, m, r, true);
		return ok;
	case SINK_TICK:
		ok = record_tick(h->rec, r);
		progress(h, m, r, false);
		return ok;
	case SINK_RUN_END:
		ok = record_run_end(h->rec, r);
		progress(h, m, r, true);
		return ok;
	case SINK_PHASE:
		progress(h, m, r, true);
		break;
	case SINK_IDLE:
		headless_clear(h);
		break;
	case SINK_REDRAW:
		break;
	}
	return true;
}

static const struct sink_ops ops = {
	.update = update,
};

struct sink headless_sink(struct headless *h)
{
	return (struct sink){ .ops = &ops, .ctx = h };
}

static int tee_input_fd(void *ctx)
{
	struct headless *h = ctx;

	return h->inner.ops->input_fd ? h->inner.ops->input_fd(h->inner.ctx) : -1;
}

static enum sink_cmd tee_input(void *ctx, const struct model *m)
{
	struct headless *h = ctx;

	return h->inner.ops->input ? h->inner.ops->input(h->inner.ctx, m) : SINK_CMD_NONE;
}

static bool tee_update(void *ctx, const struct model *m, enum sink_event ev,
		       const struct run *r)
{
	struct headless *h = ctx;
	bool ok = update(h, m, ev, r);

	/* the screen shows what was recorded, even after a write failed
	 * (the session then ends with the error) */
	if (h->inner.ops->update && !h->inner.ops->update(h->inner.ctx, m, ev, r))
		ok = false;
	return ok;
}

static int tee_timeout_ms(void *ctx)
{
	struct headless *h = ctx;

	return h->inner.ops->timeout_ms ? h->inner.ops->timeout_ms(h->inner.ctx) : -1;
}

static bool tee_stays(void *ctx)
{
	struct headless *h = ctx;

	return h->inner.ops->stays ? h->inner.ops->stays(h->inner.ctx) : false;
}

/* the screen's mapping views ask for snapshots while recorded too */
static enum sink_maps tee_mappings(void *ctx)
{
	struct headless *h = ctx;

	return h->inner.ops->mappings ? h->inner.ops->mappings(h->inner.ctx) :
					SINK_MAPS_NONE;
}

/* every operation of the inner sink is passed on (a missing one would
 * make the screen's feature silently dead while recording) */
static const struct sink_ops tee_ops = {
	.input_fd = tee_input_fd,
	.input = tee_input,
	.update = tee_update,
	.timeout_ms = tee_timeout_ms,
	.stays = tee_stays,
	.mappings = tee_mappings,
};

struct sink headless_tee(struct headless *h, struct sink inner)
{
	h->inner = inner;
	h->progress = NULL;
	return (struct sink){ .ops = &tee_ops, .ctx = h };
}
