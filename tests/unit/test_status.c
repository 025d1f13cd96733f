/* The status parser: the four memory lines and Tgid of real status text,
 * a zombie's status (no memory lines: zeros), foreign text refused, and a
 * Groups line longer than the read buffer skipped without losing the lines
 * after it (through status_readat() on a directory laid out like /proc). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "probes/status.h"

static const char live[] =
	"Name:\tshmviz-w1\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t4242\n"
	"Ngid:\t0\nPid:\t4242\nPPid:\t4241\nVmPeak:\t  250000 kB\n"
	"VmSize:\t  246000 kB\nVmHWM:\t  245800 kB\nVmRSS:\t  245760 kB\n"
	"RssAnon:\t     100 kB\nRssFile:\t    1500 kB\nRssShmem:\t  244160 kB\n"
	"VmData:\t     300 kB\nThreads:\t1\n";

static const char zombie[] =
	"Name:\tdone\nState:\tZ (zombie)\nTgid:\t77\nPid:\t77\nPPid:\t1\n"
	"Threads:\t1\n";

int main(void)
{
	struct proc_status st;
	char dir[] = "/tmp/shmviz-test-status-XXXXXX";
	char path[128];
	FILE *f;
	int dfd;

	CHECK_INT(status_parse(live, strlen(live), &st), 0);
	CHECK_INT(st.tgid, 4242);
	CHECK_INT(st.vm_rss_kb, 245760);
	CHECK_INT(st.rss_anon_kb, 100);
	CHECK_INT(st.rss_file_kb, 1500);
	CHECK_INT(st.rss_shmem_kb, 244160);
	/* no newline at the end, and a length that cuts the last line */
	CHECK_INT(status_parse(live, strlen(live) - 1, &st), 0);
	CHECK_INT(st.rss_shmem_kb, 244160);

	CHECK_INT(status_parse(zombie, strlen(zombie), &st), 0);
	CHECK_INT(st.vm_rss_kb, 0);
	CHECK_INT(st.rss_shmem_kb, 0);
	CHECK_INT(status_parse("Rss: 12 kB\nPss: 6 kB\n", 21, &st), -EINVAL);

	/* a status file with a 20 kB Groups line before the memory lines */
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/4242", dir);
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof(path), "%s/4242/status", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("Name:\tmany-groups\nTgid:\t4242\nPid:\t4242\nGroups:\t", f);
		for (int i = 0; i < 4000; i++)
			fprintf(f, "%d ", 10000 + i);
		fputs("\nVmRSS:\t  9000 kB\nRssAnon:\t  8000 kB\n"
		      "RssFile:\t  600 kB\nRssShmem:\t  400 kB\n", f);
		fclose(f);
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	CHECK_INT(status_readat(dfd, "4242", &st), 0);
	CHECK_INT(st.tgid, 4242);
	CHECK_INT(st.vm_rss_kb, 9000);
	CHECK_INT(st.rss_anon_kb, 8000);
	CHECK_INT(st.rss_shmem_kb, 400);
	CHECK_INT(status_readat(dfd, "4243", &st), -ENOENT);
	close(dfd);
	unlink(path);
	snprintf(path, sizeof(path), "%s/4242", dir);
	rmdir(path);
	rmdir(dir);

	/* the real thing: our own status */
	CHECK_INT(status_readat(AT_FDCWD, "/proc/self", &st), 0);
	CHECK_INT(st.tgid, getpid());
	CHECK(st.vm_rss_kb > 0);
	return check_done();
}
