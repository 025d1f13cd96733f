/*
 * waitstatus.h - a wait(2) status in words, for the session and for the
 * workloads' own reports of their workers.
 */
#ifndef SHMVIZ_UTIL_WAITSTATUS_H
#define SHMVIZ_UTIL_WAITSTATUS_H

#include <stddef.h>

/* One line describing a wait status: "exited with status 3", "was killed
 * by signal 9 (Killed)". */
void describe_wait_status(int status, char *buf, size_t size);

#endif
