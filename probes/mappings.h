/*
 * mappings.h - the mappings of /proc/PID/smaps, one record each.
 *
 * smaps_rollup (smaps.h) sums a process's memory; smaps says which mapping
 * holds it: the POSIX segment, a library, the heap. Its cost is a walk of
 * the same page tables plus one block of text a mapping (tests/bench
 * measures it against smaps_rollup), so the sampler reads it rarely and
 * within its budget (docs/architecture.md, "Mappings").
 *
 * Paths are kept as the kernel printed them (a newline in a file name comes
 * as "\012"; other bytes, control characters included, come raw): callers
 * sanitise them before showing or storing them, as process names are.
 */
#ifndef SHMVIZ_PROBES_MAPPINGS_H
#define SHMVIZ_PROBES_MAPPINGS_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probes/smaps_fields.h"

#define MAPPING_PATH_MAX 4096

/* What a mapping is, from its path column. */
enum mapping_kind {
	MAPPING_ANON,     /* no path, or [anon:NAME] (prctl PR_SET_VMA) */
	MAPPING_HEAP,     /* [heap] */
	MAPPING_STACK,    /* [stack] */
	MAPPING_SHM,      /* a file under /dev/shm/ (POSIX shared memory) */
	MAPPING_MEMFD,    /* /memfd:NAME */
	MAPPING_SHARED_ANON, /* MAP_SHARED|MAP_ANONYMOUS: /dev/zero (deleted),
	                        [anon_shmem:NAME] */
	MAPPING_FILE,     /* any other file */
	MAPPING_SPECIAL,  /* [vdso], [vvar], [vsyscall], other [..] */
};

struct mapping {
	uint64_t start, end;       /* address range [start, end) */
	char perms[5];             /* "r-xp" */
	uint64_t offset;
	unsigned dev_major, dev_minor;
	uint64_t inode;
	enum mapping_kind kind;
	bool deleted;              /* the path ended in " (deleted)" (removed
	                              from path); a file whose name really ends
	                              so is told apart by nothing but its inode */
	char path[MAPPING_PATH_MAX]; /* raw bytes, NUL-ended, cut if longer;
	                                "" for an anonymous mapping */
	struct smaps_kb mem;       /* the figures of the list that per-mapping
	                              smaps has (SMAPS_MAP), SMAPS_NONE for
	                              the others and any it did not print */
};

/* Called once a mapping, when all its lines were read; a non-zero return
 * stops the parse and is returned by it. */
typedef int (*mapping_fn)(void *ctx, const struct mapping *m);

/* Parses smaps text of len bytes (need not be NUL-terminated). Returns the
 * number of mappings passed to fn, the first non-zero return of fn, or
 * -EINVAL when the text holds a figure line before any mapping's header
 * (not smaps text), -ENOMEM. smaps_rollup text parses as one mapping,
 * "[rollup]". */
int mappings_parse(const char *text, size_t len, mapping_fn fn, void *ctx);

/* Reads /proc/PID/smaps whole and parses it; *bytes (may be NULL) gets the
 * size of the text. Returns as mappings_parse(), or -ENOENT/-ESRCH when the
 * process is gone, -EACCES when it may not be read, -ENOMEM, -errno. A
 * zombie has no mapping: 0. */
int mappings_read(pid_t pid, mapping_fn fn, void *ctx, size_t *bytes);

/* Name of a kind: "anon", "heap", "stack", "shm", "memfd", "shared-anon",
 * "file", "special"; mapping_kind_parse() reads one back. */
const char *mapping_kind_name(enum mapping_kind k);
bool mapping_kind_parse(const char *s, enum mapping_kind *out);

#endif
