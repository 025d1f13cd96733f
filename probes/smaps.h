/*
 * smaps.h - the memory figures of /proc/PID/smaps_rollup, and a plain-text
 * parser for them.
 *
 * The live sampler reads smaps_rollup through libproc2 (procs.c); this parser
 * reads the same text from a file or a buffer so that fixtures captured on
 * other kernels can drive the tests, and so that the benchmark has a plain
 * reader to compare against.
 */
#ifndef SHMVIZ_PROBES_SMAPS_H
#define SHMVIZ_PROBES_SMAPS_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A figure the kernel did not give (an old kernel has no Pss_Shmem) or that
 * could not be read. Never confused with 0. */
#define SMAPS_NONE (-1)

struct smaps_rollup {
	int64_t rss_kb;           /* Rss: resident pages mapped, counted in full */
	int64_t pss_kb;           /* Pss: each page divided by its mappers */
	int64_t pss_shmem_kb;     /* Pss_Shmem (kernel 5.10+), else SMAPS_NONE */
	int64_t shared_clean_kb;  /* Shared_Clean */
	int64_t shared_dirty_kb;  /* Shared_Dirty: shm/tmpfs pages land here */
	int64_t private_clean_kb; /* Private_Clean */
	int64_t private_dirty_kb; /* Private_Dirty */
	int64_t swap_kb;          /* Swap */
	int64_t pss_anon_kb;      /* Pss_Anon (5.10+), else SMAPS_NONE */
	int64_t pss_file_kb;      /* Pss_File (5.10+), else SMAPS_NONE */
	int64_t anonymous_kb;     /* Anonymous: anon pages, shared or not */
};

/* Sets every figure to SMAPS_NONE. */
void smaps_clear(struct smaps_rollup *s);

/* Parses smaps_rollup text of len bytes (need not be NUL-terminated).
 * Lines it does not know are skipped. Returns 0, or -EINVAL when the text
 * holds neither Rss nor Pss (not smaps_rollup text at all). */
int smaps_parse(const char *text, size_t len, struct smaps_rollup *out);

/* Reads and parses /proc/PID/smaps_rollup with open/read/close.
 * Returns 0, -ENOENT or -ESRCH when the process is gone, -EACCES when it
 * may not be read, -EINVAL for an empty or foreign file (a zombie), or
 * another -errno. */
int smaps_read(pid_t pid, struct smaps_rollup *out);

#endif
