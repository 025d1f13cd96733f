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

/* the views' state: curses, input, what is shown, the replay position */
#define TUI_BOUNDED_KEPT 4

struct tui {
	SCREEN *scr;
	FILE *in;              /* the terminal's input (stdin or /dev/tty) */
	bool close_in;
	int epoll_fd;
	int in_fd;
	int winch_fd;
	bool ascii;
	bool recording;        /* r is off: the recording is this session */
	bool lesson;           /* --lesson: wait at each phase boundary */
	bool lesson_wait;      /* waiting there for space */
	enum chart_metric metric;
	bool paused;
	struct model frozen;   /* paused: the model at the pause, drawn */
	bool frozen_ok;
	bool help;
	bool captions_on;
	struct captions caps;
	bool dirty;            /* redraw at the next chance */
	char note[96];
	double note_until;     /* CLOCK_MONOTONIC, s */
	struct view_snapshot snap[MODEL_MAX_RUNS];   /* at the pause */
	struct view_snapshot peak[MODEL_MAX_RUNS];   /* an ended run's frame */
	/* the last bounded frames of each run, one of which a --lesson stop
	 * shows (model.lesson_t) */
	struct view_snapshot bounded[MODEL_MAX_RUNS][TUI_BOUNDED_KEPT];
	unsigned bounded_next[MODEL_MAX_RUNS];
	/* replay */
	bool replay;
	bool playing;
	double position, length, speed;
	/* --replay --lesson: the runs one after the other, in the order they
	 * ran: run i's time is the position less offset[i] */
	double offset[MODEL_MAX_RUNS];
	/* the table's selected process, and the mappings views */
	bool sel;
	size_t sel_run;
	pid_t sel_pid;
	enum mapview mv;
	size_t mv_run;
	pid_t mv_pid;
	int mv_scroll;
	int mv_lines;
	bool mv_now;                 /* a view was just opened: its
	                                mappings are read at once
	                                (SINK_MAPS_NOW), once */
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
