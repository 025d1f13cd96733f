/*
 * playback.h - the replay player: plays a loaded recording in the
 * interactive views (the struct tui of tui.h).
 */
#ifndef SHMVIZ_UI_PLAYBACK_H
#define SHMVIZ_UI_PLAYBACK_H

#include "src/core/model.h"

struct tui;

/* Plays a loaded recording (every frame kept) until the user quits.
 * Returns the exit status. */
int tui_replay(struct tui *t, const struct model *m, double speed, int sigfd);

#endif
