/*
 * headless.c - recording sink: every event becomes JSON on the way to the
 * file; nothing is kept beyond what the model bounds.
 */
#include "src/headless.h"

static bool update(void *ctx, const struct model *m, enum sink_event ev,
		   const struct run *r)
{
	struct headless *h = ctx;

	switch (ev) {
	case SINK_START:
		return record_begin(h->rec, m);
	/* --repeat: runs[] of the recording hold the first round (the one
	 * always whole); every round's figures go into .repeat at the end */
	case SINK_RUN_BEGIN:
		return m->round > 0 || record_run_begin(h->rec, r);
	case SINK_TICK:
		return m->round > 0 || record_tick(h->rec, r);
	case SINK_RUN_END:
		return m->round > 0 || record_run_end(h->rec, r);
	case SINK_PHASE:
	case SINK_IDLE:
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
