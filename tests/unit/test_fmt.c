/* Unit tests of number formatting. */
#include "check.h"
#include "src/util/fmt.h"

int main(void)
{
	char b[FMT_SIZE_MAX];

	CHECK_STR(fmt_kb(b, sizeof(b), 0), "0");
	CHECK_STR(fmt_kb(b, sizeof(b), -1), "?");
	CHECK_STR(fmt_kb(b, sizeof(b), 512), "512K");
	CHECK_STR(fmt_kb(b, sizeof(b), 1023), "1023K");
	CHECK_STR(fmt_kb(b, sizeof(b), 1024), "1.0M");
	CHECK_STR(fmt_kb(b, sizeof(b), 6L * 1024), "6.0M");
	CHECK_STR(fmt_kb(b, sizeof(b), 10L * 1024 - 10), "10M");
	CHECK_STR(fmt_kb(b, sizeof(b), 234375), "229M");
	CHECK_STR(fmt_kb(b, sizeof(b), 1258291), "1.2G");
	CHECK_STR(fmt_kb(b, sizeof(b), 12LL * 1024 * 1024), "12G");
	CHECK_STR(fmt_kb(b, sizeof(b), 3LL * 1024 * 1024 * 1024), "3.0T");
	CHECK_STR(fmt_kb(b, sizeof(b), INT64_MAX), "8388608P");
	/* a table's cell: 4 columns, 1000 to 1023 of a unit as 1.0 of the next */
	CHECK_STR(fmt_kb_cell(b, sizeof(b), 0), "0");
	CHECK_STR(fmt_kb_cell(b, sizeof(b), -1), "?");
	CHECK_STR(fmt_kb_cell(b, sizeof(b), 999), "999K");
	CHECK_STR(fmt_kb_cell(b, sizeof(b), 1000), "1.0M");
	CHECK_STR(fmt_kb_cell(b, sizeof(b), 1020), "1.0M");
	CHECK_STR(fmt_kb_cell(b, sizeof(b), 1023), "1.0M");
	CHECK_STR(fmt_kb_cell(b, sizeof(b), 1024), "1.0M");
	CHECK_STR(fmt_kb_cell(b, sizeof(b), 234375), "229M");
	CHECK_STR(fmt_kb_cell(b, sizeof(b), 999L * 1024 + 511), "999M");
	CHECK_STR(fmt_kb_cell(b, sizeof(b), 1000L * 1024), "1.0G");
	CHECK_STR(fmt_kb_cell(b, sizeof(b), 1023LL * 1024 * 1024), "1.0T");
	for (int64_t kb = 1; kb < 4LL << 40; kb = kb * 3 / 2 + 1)
		CHECK(strlen(fmt_kb_cell(b, sizeof(b), kb)) <= 4);
	CHECK_STR(fmt_kb_long(b, sizeof(b), 234375), "229 MiB");
	CHECK_STR(fmt_kb_long(b, sizeof(b), -1), "unreadable");
	CHECK_STR(fmt_kb_long(b, sizeof(b), 100), "100 KiB");
	/* one decimal from 1 to 9.95 units, as fmt_kb */
	CHECK_STR(fmt_kb_long(b, sizeof(b), 1024), "1.0 MiB");
	CHECK_STR(fmt_kb_long(b, sizeof(b), 6L * 1024), "6.0 MiB");
	CHECK_STR(fmt_kb_long(b, sizeof(b), 10L * 1024 - 10), "10 MiB");
	CHECK_STR(fmt_kb_long(b, sizeof(b), 1258291), "1.2 GiB");
	CHECK_STR(fmt_seconds(b, sizeof(b), 0.000850), "850 us");
	CHECK_STR(fmt_seconds(b, sizeof(b), 0.058), "58 ms");
	CHECK_STR(fmt_seconds(b, sizeof(b), 0.41), "0.41 s");
	CHECK_STR(fmt_seconds(b, sizeof(b), 2.41), "2.41 s");
	CHECK_STR(fmt_seconds(b, sizeof(b), 24.1), "24.1 s");
	CHECK_STR(fmt_seconds(b, sizeof(b), 102), "102 s");
	CHECK_STR(fmt_seconds(b, sizeof(b), 200 + 3 * 60 * 60.0), "183 m 20 s");
	CHECK_STR(fmt_seconds(b, sizeof(b), -1), "?");
	CHECK_STR(fmt_seconds(b, sizeof(b), NAN), "?");
	CHECK_STR(fmt_ratio(b, sizeof(b), 40.2, 1), "40x");
	CHECK_STR(fmt_ratio(b, sizeof(b), 4.93, 1), "4.9x");
	CHECK_STR(fmt_ratio(b, sizeof(b), 4.93, 0), "4.9\xc3\x97");
	CHECK_STR(fmt_ratio(b, sizeof(b), 0, 1), "?");
	/* a small ratio is never shown as 0 */
	CHECK_STR(fmt_ratio(b, sizeof(b), 1.0 / 115, 1), "0.0087x");
	CHECK_STR(fmt_ratio(b, sizeof(b), 0.094, 1), "0.094x");
	CHECK_STR(fmt_ratio(b, sizeof(b), 0.096, 1), "0.1x");
	CHECK_STR(fmt_ratio(b, sizeof(b), INFINITY, 1), "?");
	return check_done();
}
