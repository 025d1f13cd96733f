/* Unit tests of the /proc/PID/stat parser: hostile names end at the last
 * ')', fields after it land where proc(5) says. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "probes/stat.h"
#include "src/util/readfile.h"

static const char tail[] =
	" S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n";

static int parse_with_comm(const char *comm, struct proc_stat *st)
{
	char line[512];

	snprintf(line, sizeof(line), "4242 (%s)%s", comm, tail);
	return stat_parse(line, strlen(line), st);
}

/* stat_readat()'s reader: the whole file, NUL-ended; a short buffer
 * keeps the head; a missing file is -errno */
static void small_file(void)
{
	char path[] = "/tmp/shmviz-unit-XXXXXX", buf[8], big[64];
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, "0123456789", 10) == 10);
	close(fd);
	CHECK_INT(readfile(AT_FDCWD, path, big, sizeof(big)), 10);
	CHECK_STR(big, "0123456789");
	CHECK_INT(readfile(AT_FDCWD, path, buf, sizeof(buf)), 7);
	CHECK_STR(buf, "0123456");
	unlink(path);
	CHECK_INT(readfile(AT_FDCWD, path, buf, sizeof(buf)), -ENOENT);
}

int main(void)
{
	struct proc_stat st;
	char line[512];

	small_file();
	CHECK_INT(parse_with_comm("cat", &st), 0);
	CHECK_INT(st.pid, 4242);
	CHECK_STR(st.comm, "cat");
	CHECK_INT(st.state, 'S');
	CHECK_INT(st.ppid, 1);
	CHECK_INT(st.minflt, 7);
	CHECK_INT(st.majflt, 9);
	/* cminflt 8 + cmajflt 10: the faults of the children it reaped */
	CHECK_INT(st.child_faults, 18);
	CHECK_INT(st.utime_ticks, 11);
	CHECK_INT(st.stime_ticks, 12);
	CHECK_INT(st.num_threads, 17);
	CHECK_INT(st.start_ticks, 19);
	CHECK_INT(st.rss_pages, 21); /* field 24, not vsize (23) */
	CHECK_INT(st.vsize, 20);     /* field 23 */

	/* spaces, parentheses, a newline, an escape sequence in the name */
	CHECK_INT(parse_with_comm("a b) (c", &st), 0);
	CHECK_STR(st.comm, "a b) (c");
	CHECK_INT(st.ppid, 1);
	CHECK_INT(parse_with_comm(") S 9 9 9 (", &st), 0);
	CHECK_STR(st.comm, ") S 9 9 9 (");
	CHECK_INT(st.ppid, 1);
	CHECK_INT(st.start_ticks, 19);
	CHECK_INT(parse_with_comm("new\nline", &st), 0);
	CHECK_STR(st.comm, "new\nline");
	CHECK_INT(parse_with_comm("\x1b]0;owned\x07", &st), 0);
	CHECK_STR(st.comm, "\x1b]0;owned\x07");
	CHECK_INT(parse_with_comm("", &st), 0);
	CHECK_STR(st.comm, "");

	/* malformed */
	CHECK(stat_parse("", 0, &st) != 0);
	CHECK(stat_parse("12 (x", 5, &st) != 0);
	snprintf(line, sizeof(line), "12 (x) S 1 2");
	CHECK(stat_parse(line, strlen(line), &st) != 0);
	snprintf(line, sizeof(line), "x (x)%s", tail);
	CHECK(stat_parse(line, strlen(line), &st) != 0);

	/* this process */
	CHECK_INT(stat_read(getpid(), &st), 0);
	CHECK_INT(st.pid, getpid());
	CHECK_INT(st.ppid, getppid());
	CHECK(st.start_ticks > 0);
	CHECK(stat_read(0x3ffffff, &st) < 0);
	return check_done();
}
