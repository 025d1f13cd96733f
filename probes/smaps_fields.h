/*
 * smaps_fields.h - the one list of the smaps figures shmviz keeps.
 *
 * Every figure of /proc/PID/smaps_rollup that shmviz reads is one line of
 * SMAPS_FIELDS below, and everything that treats the figures alike is made
 * from it: struct smaps_kb (the probes' and the model's type), the text
 * parsers of smaps_rollup and smaps, the libproc2 item list, the "unknown"
 * initialiser, the keys of a recording (written and read back), the known
 * keys of the replay's duplicate check and the CSV columns. Code that uses
 * one figure for a reason of its own (USS is Private_Clean + Private_Dirty,
 * the estimate's rules) names it.
 *
 * A line is X(member, kernel key, libproc2 item, recording key, flags):
 *   member         the member of struct smaps_kb, kB
 *   kernel key     the name before the colon in smaps_rollup and smaps
 *   libproc2 item  the pids_item that reads it (an ul_int)
 *   recording key  the key of the figure in a recording's process and
 *                  mapping group objects; the CSV column has the same name
 *   flags          SMAPS_* below
 *
 * The order is the order of the keys in a recording and of the columns of
 * the CSV export (docs/recording.md): a new figure goes at the end.
 */
#ifndef SHMVIZ_PROBES_SMAPS_FIELDS_H
#define SHMVIZ_PROBES_SMAPS_FIELDS_H

#if !defined(SHMVIZ_USES_PROBES) && !defined(SHMVIZ_USES_ALL)
#error "probes/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stddef.h>
#include <stdint.h>

/* A figure the kernel did not give (an old kernel has no Pss_Shmem) or that
 * could not be read. Never confused with 0. */
#define SMAPS_NONE (-1)

/* A process object of a recording must have the key: the figures of the
 * first schema. Newer figures are optional, so that older recordings load;
 * a missing one is unknown. */
#define SMAPS_REQ       (1u << 0)
/* Per-mapping smaps has it too: mapping groups keep it and record it. */
#define SMAPS_MAP       (1u << 1)
/* A mapping group object of a recording must have the key. */
#define SMAPS_MAP_REQ   (1u << 2)
/* Came with Pss_Shmem (Linux 5.10): unknown on an older kernel, where
 * libproc2 would give 0. */
#define SMAPS_SINCE_510 (1u << 3)

#define SMAPS_FIELDS(X) \
	/* resident pages mapped, counted in full */ \
	X(rss, "Rss", PIDS_SMAP_RSS, "rss_kb", \
	  SMAPS_REQ | SMAPS_MAP | SMAPS_MAP_REQ) \
	/* each page divided by its mappers */ \
	X(pss, "Pss", PIDS_SMAP_PSS, "pss_kb", \
	  SMAPS_REQ | SMAPS_MAP | SMAPS_MAP_REQ) \
	/* the shmem part of Pss (per-mapping smaps has none on today's \
	 * kernels, so a group's is optional) */ \
	X(pss_shmem, "Pss_Shmem", PIDS_SMAP_PSS_SHMEM, "pss_shmem_kb", \
	  SMAPS_REQ | SMAPS_MAP | SMAPS_SINCE_510) \
	X(shared_clean, "Shared_Clean", PIDS_SMAP_SHR_CLEAN, "shared_clean_kb", \
	  SMAPS_REQ | SMAPS_MAP | SMAPS_MAP_REQ) \
	/* shm and tmpfs pages land here */ \
	X(shared_dirty, "Shared_Dirty", PIDS_SMAP_SHR_DIRTY, "shared_dirty_kb", \
	  SMAPS_REQ | SMAPS_MAP | SMAPS_MAP_REQ) \
	X(private_clean, "Private_Clean", PIDS_SMAP_PRV_CLEAN, "private_clean_kb", \
	  SMAPS_REQ | SMAPS_MAP | SMAPS_MAP_REQ) \
	X(private_dirty, "Private_Dirty", PIDS_SMAP_PRV_DIRTY, "private_dirty_kb", \
	  SMAPS_REQ | SMAPS_MAP | SMAPS_MAP_REQ) \
	X(swap, "Swap", PIDS_SMAP_SWAP, "swap_kb", \
	  SMAPS_REQ | SMAPS_MAP) \
	/* the anonymous part of Pss (recording schema 2) */ \
	X(pss_anon, "Pss_Anon", PIDS_SMAP_PSS_ANON, "pss_anon_kb", \
	  SMAPS_SINCE_510) \
	/* the file part of Pss (schema 2) */ \
	X(pss_file, "Pss_File", PIDS_SMAP_PSS_FILE, "pss_file_kb", \
	  SMAPS_SINCE_510) \
	/* anonymous pages mapped, shared or not (schema 2) */ \
	X(anonymous, "Anonymous", PIDS_SMAP_ANONYMOUS, "anonymous_kb", 0)

/* The figures of one process (smaps_rollup) or mapping group, kB,
 * SMAPS_NONE when unknown. */
struct smaps_kb {
#define SMAPS_MEMBER_(member, key, item, json, flags) int64_t member;
	SMAPS_FIELDS(SMAPS_MEMBER_)
#undef SMAPS_MEMBER_
};

/* Index of each figure in smaps_fields[]: SMAPS_I_rss, ... */
enum smaps_index {
#define SMAPS_INDEX_(member, key, item, json, flags) SMAPS_I_##member,
	SMAPS_FIELDS(SMAPS_INDEX_)
#undef SMAPS_INDEX_
	SMAPS_NFIELDS
};

/* An initialiser of struct smaps_kb with every figure unknown. */
#define SMAPS_NONE_INIT_(member, key, item, json, flags) .member = SMAPS_NONE,
#define SMAPS_KB_NONE { SMAPS_FIELDS(SMAPS_NONE_INIT_) }

struct smaps_field {
	const char *key;   /* the kernel's */
	const char *json;  /* the recording's and the CSV's */
	size_t off;        /* in struct smaps_kb */
	unsigned flags;    /* SMAPS_* */
};

/* The list as a table, in its order. */
extern const struct smaps_field smaps_fields[SMAPS_NFIELDS];

/* Figure i of s. */
static inline int64_t smaps_get(const struct smaps_kb *s, size_t i)
{
	return *(const int64_t *)((const char *)s + smaps_fields[i].off);
}

static inline void smaps_set(struct smaps_kb *s, size_t i, int64_t v)
{
	*(int64_t *)((char *)s + smaps_fields[i].off) = v;
}

/* Index of the figure with recording key json (n bytes), or -1. */
int smaps_field_by_json(const char *json, size_t n);

#endif
