/*
 * playback.h - the replay player: plays a loaded recording in the
 * interactive views (the struct tui of tui.h).
 */
#ifndef SHMVIZ_UI_PLAYBACK_H
#define SHMVIZ_UI_PLAYBACK_H

#if !defined(SHMVIZ_USES_UI) && !defined(SHMVIZ_USES_ALL)
#error "ui/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include "src/core/model.h"

struct tui;

/* Plays a loaded recording (every frame kept) until the user quits.
 * Returns the exit status. */
int playback_run(struct tui *t, const struct model *m, double speed, int sigfd);

#endif
