/*
 * bigshm.c - an LD_PRELOAD shim for the tests: statvfs("/dev/shm") says a
 * tebibyte is free, whatever the truth. shmviz's check before the run then
 * passes, and the workload meets the real limit in posix_fallocate: the
 * case of space that disappears between the check and the segment (another
 * program filling /dev/shm meanwhile), made deterministic.
 *
 * Built without _FILE_OFFSET_BITS (see tests/meson.build), so that both
 * names, statvfs and statvfs64, can be defined.
 */
#include <dlfcn.h>
#include <string.h>
#include <sys/statvfs.h>

#define LIE(name, type)                                                   \
	int name(const char *path, struct type *buf)                      \
	{                                                                 \
		int (*real)(const char *, struct type *);                 \
		int rc;                                                   \
                                                                          \
		*(void **)&real = dlsym(RTLD_NEXT, #name);                \
		rc = real ? real(path, buf) : -1;                         \
		if (rc == 0 && strcmp(path, "/dev/shm") == 0 &&           \
		    buf->f_frsize) {                                      \
			buf->f_blocks = (1ULL << 40) / buf->f_frsize;     \
			buf->f_bfree = buf->f_blocks;                     \
			buf->f_bavail = buf->f_blocks;                    \
		}                                                         \
		return rc;                                                \
	}

LIE(statvfs, statvfs)
LIE(statvfs64, statvfs64)
