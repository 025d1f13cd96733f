/*
 * check.h - the unit tests' assertions: each failing check prints where
 * and what, the test goes on, and check_done() turns the count into the
 * exit status (0 pass, 1 fail). A test with no check at all fails too.
 */
#ifndef SHMVIZ_TESTS_CHECK_H
#define SHMVIZ_TESTS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond) \
	do { \
		check_count++; \
		if (!(cond)) { \
			check_failures++; \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond); \
		} \
	} while (0)

#define CHECK_STR(a, b) \
	do { \
		const char *a_ = (a), *b_ = (b); \
		check_count++; \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) { \
			check_failures++; \
			fprintf(stderr, "%s:%d: \"%s\" != \"%s\" (%s vs %s)\n", \
				__FILE__, __LINE__, a_ ? a_ : "(null)", \
				b_ ? b_ : "(null)", #a, #b); \
		} \
	} while (0)

#define CHECK_INT(a, b) \
	do { \
		long long a_ = (long long)(a), b_ = (long long)(b); \
		check_count++; \
		if (a_ != b_) { \
			check_failures++; \
			fprintf(stderr, "%s:%d: %lld != %lld (%s vs %s)\n", \
				__FILE__, __LINE__, a_, b_, #a, #b); \
		} \
	} while (0)

#define CHECK_NEAR(a, b, eps) \
	do { \
		double a_ = (a), b_ = (b); \
		check_count++; \
		if (!(fabs(a_ - b_) <= (eps))) { \
			check_failures++; \
			fprintf(stderr, "%s:%d: %g not within %g of %g (%s)\n", \
				__FILE__, __LINE__, a_, (double)(eps), b_, #a); \
		} \
	} while (0)

static inline int check_done(void)
{
	if (check_count == 0) {
		fprintf(stderr, "no check ran\n");
		return 1;
	}
	fprintf(stderr, "%d checks, %d failed\n", check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
