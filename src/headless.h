/*
 * headless.h - the sink of `shmviz --record`: streams the recording and,
 * at the end, prints the summary.
 */
#ifndef SHMVIZ_SRC_HEADLESS_H
#define SHMVIZ_SRC_HEADLESS_H

#include <stdio.h>

#include "src/record.h"
#include "src/sink.h"

struct headless {
	struct recorder *rec;
	FILE *summary;          /* stdout, or stderr when recording to stdout */
};

struct sink headless_sink(struct headless *h);

#endif
