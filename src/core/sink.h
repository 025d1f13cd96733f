/*
 * sink.h - what the session loop needs of a sink (the TUI or the headless
 * recorder): a table of functions over an opaque context, as smemstat
 * switches its display back-ends. Sinks only read the model.
 */
#ifndef SHMVIZ_SRC_SINK_H
#define SHMVIZ_SRC_SINK_H

#if !defined(SHMVIZ_USES_CORE) && !defined(SHMVIZ_USES_ALL)
#error "src/core/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>

#include "src/core/model.h"

enum sink_event {
	SINK_START,      /* before the first run */
	SINK_RUN_BEGIN,  /* run started */
	SINK_TICK,       /* a sample was added to run */
	SINK_PHASE,      /* a phase began or ended */
	SINK_RUN_END,    /* run done or failed */
	SINK_IDLE,       /* every run has ended */
	SINK_REDRAW,     /* the sink's own timeout expired */
};

enum sink_cmd {
	SINK_CMD_NONE,
	SINK_CMD_QUIT,
	SINK_CMD_RERUN,
	SINK_CMD_FASTER,   /* shorter sampling interval */
	SINK_CMD_SLOWER,
	SINK_CMD_HANGUP,   /* the terminal is gone (read end of file,
	                      POLLHUP): end as on SIGHUP */
	SINK_CMD_LESSON_GO, /* --lesson: the run stopped at a phase boundary
	                       goes on (model.lesson_wait) */
	SINK_CMD_HALT,     /* the run in progress stops (its tree stands
	                      still, model.halted), or a stopped one goes on */
};

/* what a sink wants of smaps mappings snapshots (src/core/mapgroups.h) */
enum sink_maps {
	SINK_MAPS_NONE,
	SINK_MAPS_BOUNDARIES, /* at phase boundaries, within the budget */
	SINK_MAPS_VIEW,       /* a view of them is open: also once a second,
	                         within the budget */
	SINK_MAPS_NOW,        /* a view was just opened (Enter on a process,
	                         t): one snapshot at the next tick, whatever
	                         the budget and the period; then as VIEW */
};

struct sink_ops {
	/* descriptor to poll for input, or -1 */
	int (*input_fd)(void *ctx);
	/* reads the input that is ready; returns what the user asked for */
	enum sink_cmd (*input)(void *ctx, const struct model *m);
	/* the model changed; run is the run concerned (NULL for START/IDLE).
	 * Returns false on a fatal error of the sink (a full disk). */
	bool (*update)(void *ctx, const struct model *m, enum sink_event ev,
		       const struct run *run);
	/* ms until the sink wants SINK_REDRAW without any event, or -1 */
	int (*timeout_ms)(void *ctx);
	/* whether the session goes on after every run has ended */
	bool (*stays)(void *ctx);
	/* what it wants of mappings snapshots; NULL: none */
	enum sink_maps (*mappings)(void *ctx);
};

struct sink {
	const struct sink_ops *ops;
	void *ctx;
};

#endif
