/* Unit tests of the memory cgroup's location and choice (probes/cgroup.c)
 * from fixtures of /proc/self/cgroup and /proc/self/mountinfo
 * (tests/data/cgroup): a hybrid machine (memory on cgroup v1), a systemd
 * machine (cgroup v2 alone), a container whose mount shows a subtree, a
 * cgroup outside the mount, no memory controller at all, an escaped mount
 * point; and whether a v2 cgroup gives memory to its children, from a
 * directory made here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "probes/cgroup.h"

static const char *dir;

static int locate(const char *name, struct cgroup_dir *out, char *why,
		  size_t whylen)
{
	char f[64];
	char *cg, *mi;
	int rc;

	snprintf(f, sizeof(f), "%s.cgroup", name);
	cg = fixture_load(dir, f, NULL);
	snprintf(f, sizeof(f), "%s.mountinfo", name);
	mi = fixture_load(dir, f, NULL);
	rc = cgroup_locate(cg, mi, out, why, whylen);
	free(cg);
	free(mi);
	return rc;
}

static void test_locate(void)
{
	struct cgroup_dir d;
	char why[256];

	/* memory on v1 wins over the v2 line of the same machine */
	CHECK_INT(locate("hybrid", &d, why, sizeof(why)), 0);
	CHECK_INT(d.version, 1);
	CHECK(strncmp(d.path, "/sys/fs/cgroup/memory/process_api/", 34) == 0);
	CHECK_INT(locate("v2", &d, why, sizeof(why)), 0);
	CHECK_INT(d.version, 2);
	CHECK_STR(d.path, "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/shmviz.scope");
	/* the mount shows /docker/abc123 as its root */
	CHECK_INT(locate("container", &d, why, sizeof(why)), 0);
	CHECK_INT(d.version, 1);
	CHECK_STR(d.path, "/sys/fs/cgroup/memory");
	CHECK_INT(locate("outside", &d, why, sizeof(why)), -EXDEV);
	CHECK(strstr(why, "/other/place") != NULL);
	/* no memory line on v1: the v2 hierarchy, at the root */
	CHECK_INT(locate("nomemory", &d, why, sizeof(why)), 0);
	CHECK_INT(d.version, 2);
	CHECK_STR(d.path, "/sys/fs/cgroup/unified");
	CHECK_INT(locate("escaped", &d, why, sizeof(why)), 0);
	CHECK_STR(d.path, "/mnt/cg root/my group");
	CHECK_INT(cgroup_locate("4:memory:/a\n", "", &d, why, sizeof(why)), -ENOENT);
	CHECK(strstr(why, "not mounted") != NULL);
	CHECK_INT(cgroup_locate("", "", &d, why, sizeof(why)), -ENOENT);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* v2: children get memory only when subtree_control lists it; v1 always */
static void test_can_nest(void)
{
	char tmp[] = "/tmp/shmviz-cgroup-XXXXXX", file[128], why[256];
	struct cgroup_dir d = { .version = 2 };

	CHECK(mkdtemp(tmp) != NULL);
	snprintf(d.path, sizeof(d.path), "%s", tmp);
	snprintf(file, sizeof(file), "%s/cgroup.subtree_control", tmp);
	put(file, "cpu io\n");
	CHECK_INT(cgroup_can_nest(&d, why, sizeof(why)), -EOPNOTSUPP);
	CHECK(strstr(why, "lacks memory") != NULL);
	put(file, "cpu memory pids\n");
	CHECK_INT(cgroup_can_nest(&d, why, sizeof(why)), 0);
	unlink(file);
	CHECK_INT(cgroup_can_nest(&d, why, sizeof(why)), -ENOENT);
	d.version = 1;
	CHECK_INT(cgroup_can_nest(&d, why, sizeof(why)), 0);
	rmdir(tmp);
}

/* the peak file's text: bytes, whole */
static void test_peak_read(void)
{
	char path[] = "/tmp/shmviz-peak-XXXXXX";
	int fd = mkstemp(path);
	int64_t b = 0;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, "123456789\n", 10) == 10);
	CHECK_INT(cgroup_peak_read(fd, &b), 0);
	CHECK(b == 123456789);
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(pwrite(fd, "max\n", 4, 0) == 4);
	CHECK_INT(cgroup_peak_read(fd, &b), -EINVAL);
	close(fd);
	unlink(path);
}

/* memory.stat's anonymous pages: v1 "rss" (not "rss_huge", not
 * "total_rss"), v2 "anon" (not "anon_thp"), in kB; a text without it or
 * with a bad number is refused. The texts are the machine's own (v1:
 * kernel 6.18) and v2's documented order. */
static void test_anon_parse(void)
{
	const char *v1 = "cache 2195456\nrss 1794048\nrss_huge 0\nshmem 0\n"
			 "mapped_file 0\ntotal_rss 9999360\n";
	const char *v2 = "anon_thp 2097152\nanon 4206592\nfile 8192\n";
	int64_t kb = -1;

	CHECK_INT(cgroup_anon_parse(v1, 1, &kb), 0);
	CHECK(kb == 1752);
	CHECK_INT(cgroup_anon_parse(v2, 2, &kb), 0);
	CHECK(kb == 4108);
	CHECK_INT(cgroup_anon_parse(v1, 2, &kb), -EINVAL);
	CHECK_INT(cgroup_anon_parse("cache 1\nrss 12x\n", 1, &kb), -EINVAL);
	CHECK_INT(cgroup_anon_parse("rss -4096\n", 1, &kb), -EINVAL);
	CHECK_INT(cgroup_anon_parse("", 1, &kb), -EINVAL);
	CHECK(kb == 4108);   /* untouched by a refusal */
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_cgroup DATA_DIR\n");
		return 2;
	}
	dir = argv[1];
	test_locate();
	test_can_nest();
	test_peak_read();
	test_anon_parse();
	return check_done();
}
