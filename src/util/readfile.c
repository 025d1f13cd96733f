/*
 * readfile.c - reading a small file whole (src/util/readfile.h).
 */
#include "src/util/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

ssize_t readfile(int dirfd, const char *path, char *buf, size_t size)
{
	size_t n = 0;
	int fd, err = 0;

	if (size == 0)
		return -EINVAL;
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (n < size - 1) {
		ssize_t r = read(fd, buf + n, size - 1 - n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	return err ? -err : (ssize_t)n;
}
