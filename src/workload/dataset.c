/*
 * dataset.c - filling and summing the experiment's table.
 */
#include "src/workload/dataset.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

void dataset_fill(struct record *r, uint64_t first, uint64_t n, int64_t t0_ns)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t row = first + i;

		r[i].ts_ns = t0_ns + (int64_t)row * 1000;
		if (row % 2 == 0) {
			r[i].val = 1.0;
			memcpy(r[i].label, "string\0", 8);
		} else {
			r[i].val = NAN;
			memcpy(r[i].label, "abc\0\0\0\0", 8);
		}
	}
}

double dataset_nansum(const struct record *r, uint64_t n)
{
	double s0 = 0, s1 = 0;
	uint64_t i = 0;

	/* two accumulators: the loop is bound by memory, not by the adds */
	for (; i + 1 < n; i += 2) {
		double a = r[i].val, b = r[i + 1].val;

		s0 += a == a ? a : 0.0;
		s1 += b == b ? b : 0.0;
	}
	if (i < n && r[i].val == r[i].val)
		s0 += r[i].val;
	return s0 + s1;
}

double dataset_expected(uint64_t rows)
{
	uint64_t valid = (rows + 1) / 2; /* every other row is NaN */

	return (double)valid;
}
