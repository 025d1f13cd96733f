/* Unit tests of the smaps_rollup text parser on fixtures from real kernels,
 * and of the live reader against this process. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "probes/smaps.h"

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/data/smaps";
	struct smaps_kb s;
	char *buf;
	size_t n;

	buf = fixture_load(dir, "shared-worker-240m-w4.txt", &n);
	CHECK_INT(smaps_parse(buf, n, &s), 0);
	free(buf);
	CHECK_INT(s.rss, 236096);
	CHECK_INT(s.pss, 47157);
	CHECK_INT(s.pss_shmem, 46875);
	CHECK_INT(s.shared_clean, 1340);
	CHECK_INT(s.shared_dirty, 234728);
	CHECK_INT(s.private_clean, 0);
	CHECK_INT(s.private_dirty, 28);
	CHECK_INT(s.swap, 0);
	/* the segment is shared dirty (tmpfs pages), split among 5 mappers */
	CHECK(s.shared_dirty > 234000);
	CHECK_NEAR((double)s.pss_shmem, 240000000.0 / 1024 / 5, 2);

	/* an old kernel: no Pss_Shmem, which is unknown, not 0 */
	buf = fixture_load(dir, "kernel-4.14-no-pss-shmem.txt", &n);
	CHECK_INT(smaps_parse(buf, n, &s), 0);
	free(buf);
	CHECK_INT(s.rss, 884);
	CHECK_INT(s.pss_shmem, SMAPS_NONE);
	CHECK_INT(s.private_dirty, 96);

	/* not smaps_rollup at all */
	CHECK_INT(smaps_parse("", 0, &s), -EINVAL);
	CHECK_INT(smaps_parse("hello\nworld\n", 12, &s), -EINVAL);
	/* a truncated line keeps what came before, never invents a value */
	CHECK_INT(smaps_parse("Rss: 12 kB\nPss:", strlen("Rss: 12 kB\nPss:"), &s), 0);
	CHECK_INT(s.rss, 12);
	CHECK_INT(s.pss, SMAPS_NONE);
	/* overflow is refused, not wrapped */
	{
		const char *big = "Rss: 99999999999999999999999 kB\nPss: 1 kB\n";

		CHECK_INT(smaps_parse(big, strlen(big), &s), 0);
	}
	CHECK_INT(s.rss, SMAPS_NONE);
	CHECK_INT(s.pss, 1);

	/* the live file of this process */
	CHECK_INT(smaps_read(getpid(), &s), 0);
	CHECK(s.rss > 0);
	CHECK(s.pss > 0 && s.pss <= s.rss);
	/* a process that does not exist */
	CHECK(smaps_read(0x3ffffff, &s) == -ENOENT);
	return check_done();
}
