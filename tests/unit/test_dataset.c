/* Unit tests of the table: layout, values, the NaN-skipping sum. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "src/workload/dataset.h"

int main(void)
{
	struct record *r = malloc(1001 * sizeof(*r));

	CHECK_INT(sizeof(struct record), 24);
	dataset_fill(r, 0, 1001, 1000);
	CHECK(r[0].val == 1.0);
	CHECK(isnan(r[1].val));
	CHECK_STR(r[0].label, "string");
	CHECK_STR(r[1].label, "abc");
	CHECK_INT(r[3].ts_ns, 1000 + 3 * 1000);
	CHECK(dataset_nansum(r, 1001) == 501.0);
	CHECK(dataset_nansum(r, 1000) == 500.0);
	CHECK(dataset_nansum(r, 1) == 1.0);
	CHECK(dataset_nansum(r, 0) == 0.0);
	CHECK(dataset_expected(1001) == 501.0);
	CHECK(dataset_expected(1000) == 500.0);
	CHECK(dataset_expected(10000000) == 5000000.0);
	/* a fill that starts mid-table continues the pattern */
	dataset_fill(r, 7, 2, 0);
	CHECK(isnan(r[0].val));
	CHECK(r[1].val == 1.0);
	free(r);
	return check_done();
}
