/*
 * fds.c - a test program that prints every descriptor it was started
 * with, one "fd N -> TARGET" line each (TARGET from /proc/self/fd), and
 * then what it reads on stdin, so a test can check what shmviz passes to
 * a command: 0 from /dev/null, 1 and 2 to the log, 3 the phase pipe, 4
 * the answers to checkpoints.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char buf[64];
	ssize_t n;

	if (!d) {
		perror("fds: /proc/self/fd");
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX], target[PATH_MAX];
		ssize_t len;
		int fd;

		if (e->d_name[0] == '.')
			continue;
		fd = atoi(e->d_name);
		if (fd == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		len = readlink(path, target, sizeof(target) - 1);
		target[len > 0 ? len : 0] = '\0';
		printf("fd %d -> %s\n", fd, target);
	}
	closedir(d);
	n = read(0, buf, sizeof(buf));
	printf("stdin read %zd bytes\n", n);
	printf("SHMVIZ_PHASE_FD=%s\n", getenv("SHMVIZ_PHASE_FD") ? getenv("SHMVIZ_PHASE_FD") : "");
	printf("SHMVIZ_ACK_FD=%s\n", getenv("SHMVIZ_ACK_FD") ? getenv("SHMVIZ_ACK_FD") : "");
	return 0;
}
