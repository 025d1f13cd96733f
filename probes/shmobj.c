/*
 * shmobj.c - shared memory objects and their allocated size (shmobj.h).
 */
#include "probes/shmobj.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* a path a shared memory object's mapping shows in maps */
static int shmem_path(const char *p, size_t len)
{
	static const char *const prefixes[] = {
		"/dev/shm/", "/memfd:", "/SYSV", "/dev/zero (deleted)",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t pl = strlen(prefixes[i]);

		if (len >= pl && memcmp(p, prefixes[i], pl) == 0)
			return 1;
	}
	return 0;
}

/* One line of maps: "START-END PERMS OFFSET MAJ:MIN INODE   PATH" */
static int parse_line(const char *l, size_t len, struct shmobj_map *m)
{
	char perms[8], line[256];
	unsigned maj, min;
	int path = 0;
	size_t cut = len < sizeof(line) - 1 ? len : sizeof(line) - 1;

	memcpy(line, l, cut);
	line[cut] = '\0';
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64 " %n",
		   &m->start, &m->end, perms, &m->offset, &maj, &min, &m->ino,
		   &path) < 7 || path <= 0 || strlen(perms) < 4 || perms[3] != 's')
		return 0;
	if (m->end <= m->start || !shmem_path(l + path, len - (size_t)path))
		return 0;
	m->dev = makedev(maj, min);
	return 1;
}

int shmobj_parse(const char *buf, size_t len, struct shmobj_map **maps,
		 size_t *n, size_t *cap)
{
	size_t at = 0;

	while (at < len) {
		const char *nl = memchr(buf + at, '\n', len - at);
		size_t ll = nl ? (size_t)(nl - (buf + at)) : len - at;
		struct shmobj_map m;

		/* the cheap test first: most lines are private ('p') */
		if (memchr(buf + at, 's', ll < 40 ? ll : 40) &&
		    parse_line(buf + at, ll, &m)) {
			if (*n == *cap) {
				size_t nc = *cap ? *cap * 2 : 8;
				struct shmobj_map *nm = realloc(*maps, nc * sizeof(*nm));

				if (!nm)
					return -ENOMEM;
				*maps = nm;
				*cap = nc;
			}
			(*maps)[(*n)++] = m;
		}
		at += ll + 1;
	}
	return 0;
}

int shmobj_maps(pid_t pid, struct shmobj_map **maps, size_t *n, size_t *cap)
{
	char path[64], buf[16384];
	size_t have = 0;
	int fd, err = 0;

	*n = 0;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t r = read(fd, buf + have, sizeof(buf) - have);
		const char *last;
		size_t whole;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			break;
		}
		have += (size_t)r;
		if (r == 0) {
			/* the end: a last line without a newline */
			err = shmobj_parse(buf, have, maps, n, cap);
			break;
		}
		last = memrchr(buf, '\n', have);
		if (!last) {
			if (have == sizeof(buf))
				have = 0;   /* a line longer than the buffer: no object's */
			continue;
		}
		whole = (size_t)(last - buf) + 1;
		err = shmobj_parse(buf, whole, maps, n, cap);
		if (err)
			break;
		memmove(buf, buf + whole, have - whole);
		have -= whole;
	}
	close(fd);
	return err;
}

int shmobj_stat(pid_t pid, const struct shmobj_map *m, struct shmobj_size *out)
{
	char path[96];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64,
		 (int)pid, m->start, m->end);
	if (stat(path, &st) != 0)
		return -errno;
	out->dev = (uint64_t)st.st_dev;
	out->ino = (uint64_t)st.st_ino;
	out->alloc_kb = (int64_t)st.st_blocks / 2;
	out->size_kb = ((int64_t)st.st_size + 1023) / 1024;
	return 0;
}

/* whether one of pid's open files is (dev, ino): 1, 0, or -errno */
static int fd_holds(pid_t pid, uint64_t dev, uint64_t ino)
{
	char path[64];
	DIR *d;
	struct dirent *e;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while (!found && (e = readdir(d))) {
		char to[32];
		ssize_t len;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		/* only a link to shared memory is followed (a stat of another
		 * file may wait on its file system: NFS, FUSE), to the file,
		 * deleted or not */
		len = readlinkat(dirfd(d), e->d_name, to, sizeof(to) - 1);
		if (len <= 0)
			continue;
		to[len] = '\0';
		if (strncmp(to, "/dev/shm/", 9) != 0 && strncmp(to, "/memfd:", 7) != 0)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, 0) == 0 && (uint64_t)st.st_dev == dev &&
		    (uint64_t)st.st_ino == ino)
			found = 1;
	}
	closedir(d);
	return found;
}

int shmobj_held(pid_t pid, uint64_t dev, uint64_t ino)
{
	struct shmobj_map *maps = NULL;
	size_t n = 0, cap = 0;
	int got = fd_holds(pid, dev, ino), err;

	if (got != 0)
		return got;
	err = shmobj_maps(pid, &maps, &n, &cap);
	for (size_t i = 0; !err && !got && i < n; i++)
		got = maps[i].dev == dev && maps[i].ino == ino;
	free(maps);
	return err ? err : got;
}
