/*
 * dataset.h - the table of the experiment: N records of a timestamp, a
 * float that alternates 1.0 and NaN, and a short label; 24 bytes a record,
 * 229 MiB for the default 10 million rows.
 */
#ifndef SHMVIZ_SRC_DATASET_H
#define SHMVIZ_SRC_DATASET_H

#if !defined(SHMVIZ_USES_WORKLOAD) && !defined(SHMVIZ_USES_ALL)
#error "src/workload/ is not a layer this library may use (docs/architecture.md, Layers)"
#endif

#include <stdint.h>

struct record {
	int64_t ts_ns;   /* timestamp, ns since the epoch */
	double val;      /* 1.0 on even rows, NaN on odd rows */
	char label[8];   /* "string" on even rows, "abc" on odd rows */
};

_Static_assert(sizeof(struct record) == 24, "a record is 24 bytes");

/* Fills n records starting at row first. */
void dataset_fill(struct record *r, uint64_t first, uint64_t n, int64_t t0_ns);

/* The sum of val over n records, NaNs skipped (numpy's nansum). */
double dataset_nansum(const struct record *r, uint64_t n);

/* What dataset_nansum() of a whole table of rows records must give. */
double dataset_expected(uint64_t rows);

#endif
