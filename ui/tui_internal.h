/*
 * tui_internal.h - what the two halves of the interactive views share: the
 * live sink (tui.c) and the replay player (playback.c). Not for callers of
 * the tui; they include tui.h.
 */
#ifndef SHMVIZ_UI_TUI_INTERNAL_H
#define SHMVIZ_UI_TUI_INTERNAL_H

#if !defined(SHMVIZ_USES_UI) && !defined(SHMVIZ_USES_ALL)
#error "ui/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/types.h>

#include <curses.h>

#include "src/core/model.h"
#include "src/report/captions.h"
#include "ui/layout.h"
#include "ui/mapview.h"
#include "ui/tui.h"
#include "ui/view.h"

#define TUI_BOUNDED_KEPT 4

/* The views' state, one part a mode or feature (docs/architecture.md rule 14) */

/* p (live_input(), take_snapshot(), unfreeze()): the model at the pause is
 * drawn, and each run's frame then */
struct tui_pause {
	bool on;
	struct model frozen;
	bool ok;               /* frozen holds a copy */
	struct view_snapshot snap[MODEL_MAX_RUNS];
};

/* --lesson (live_input(), lesson_frame(), playback.c): the last bounded
 * frames of each run, one of which a stop shows (model.lesson_t) */
struct tui_lesson {
	bool on;               /* wait at each phase boundary */
	bool wait;             /* waiting there for space */
	struct view_snapshot bounded[MODEL_MAX_RUNS][TUI_BOUNDED_KEPT];
	unsigned next[MODEL_MAX_RUNS];
};

/* a replay's position (playback.c) */
struct tui_replay {
	bool on, playing;
	double position, length, speed;
	/* --replay --lesson: the runs one after the other, in the order they
	 * ran: run i's time is the position less offset[i] */
	double offset[MODEL_MAX_RUNS];
};

/* the table's selected process (move_selection(), tui_mapping_key()) */
struct tui_sel {
	bool on;
	size_t run;
	pid_t pid;
};

/* the mappings views (tui_mapping_key(), live_mappings()) */
struct tui_maps {
	enum mapview view;
	size_t run;
	pid_t pid;
	int top, height;       /* the first line shown, the lines on screen */
	bool now;              /* a view was just opened: its mappings are
	                          read at once (SINK_MAPS_NOW), once */
};

struct tui {
	SCREEN *scr;
	FILE *in;              /* the terminal's input (stdin or /dev/tty) */
	bool close_in;
	int epoll_fd, in_fd, winch_fd;
	bool ascii;
	bool recording;        /* r is off: the recording is this session */
	enum chart_metric metric;
	bool help;
	bool captions_on;
	struct captions caps;
	bool dirty;            /* redraw at the next chance */
	char note[96];
	double note_until;     /* CLOCK_MONOTONIC, s */
	struct view_snapshot peak[MODEL_MAX_RUNS];   /* an ended run's frame */
	struct tui_pause pause;
	struct tui_lesson lesson;
	struct tui_replay replay;
	struct tui_sel sel;
	struct tui_maps maps;
};

/* Collects what every pane shows and draws it: live is the session's
 * model (paused, the copy made at the pause is drawn), or a replay's. */
void tui_draw(struct tui *t, const struct model *live);

/* Keys common to live and replay; true when the key was one. */
bool tui_view_key(struct tui *t, int ch);

/* Keys of the table's selection and of the mappings views (common to live
 * and replay); true when the key was one. m is the model drawn. */
bool tui_mapping_key(struct tui *t, const struct model *m, int ch);

/* Handles a resize among the n events; true when the terminal hung up. */
bool tui_terminal_gone(struct tui *t, const struct epoll_event *evs, int n);

/* The next key typed, or ERR. */
int tui_next_key(struct tui *t);

#endif
