/*
 * waitstatus.c - a wait(2) status in words (src/util/waitstatus.h).
 */
#include "src/util/waitstatus.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

void describe_wait_status(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "was killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status))
		snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
	else
		snprintf(buf, size, "stopped");
}
