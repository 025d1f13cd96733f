/*
 * phase.c - the phase protocol for the test programs (phase.h).
 */
#include "phase.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int phase_fd = -1;
static int ack_fd = -1;

void phase_open(void)
{
	const char *env = getenv("SHMVIZ_PHASE_FD");

	if (env)
		phase_fd = atoi(env);
	env = getenv("SHMVIZ_ACK_FD");
	if (env)
		ack_fd = atoi(env);
}

int checkpoint(int wait_ms)
{
	struct pollfd pfd = { .fd = ack_fd, .events = POLLIN };
	char c;

	if (phase_fd < 0 || ack_fd < 0 || write(phase_fd, "checkpoint\n", 11) != 11)
		return 0;
	if (poll(&pfd, 1, wait_ms) != 1 || read(ack_fd, &c, 1) != 1)
		return 0;
	return 1;
}

void phase_close(void)
{
	phase_fd = -1;
}

void say(const char *phase, long pid)
{
	char line[128];
	int n;

	if (phase_fd < 0)
		return;
	if (pid > 0)
		n = snprintf(line, sizeof(line), "role %ld worker\n", pid);
	else
		n = snprintf(line, sizeof(line), "phase %s\n", phase);
	if (n > 0 && write(phase_fd, line, (size_t)n) < 0)
		phase_fd = -1;
}

void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) != 0)
		;
}
