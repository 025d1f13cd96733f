/*
 * test_shmobj.c - which mappings of /proc/PID/maps are shared memory
 * objects (probes/shmobj.c), from text written here, and the size of one
 * this process maps, against what it wrote (st_blocks).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "probes/shmobj.h"

static const char maps[] =
	"55d0c0000000-55d0c0001000 r--p 00000000 fe:01 1234                       /usr/bin/x\n"
	"7f0000000000-7f0004000000 rw-s 00000000 00:01 2048                       /dev/zero (deleted)\n"
	"7f1000000000-7f1000100000 rw-s 00000000 00:19 77                         /dev/shm/shmviz-1-0\n"
	"7f2000000000-7f2000100000 r--s 00001000 00:01 99                         /memfd:pool (deleted)\n"
	"7f3000000000-7f3000200000 rw-s 00000000 00:01 32770                      /SYSV0000abcd (deleted)\n"
	"7f4000000000-7f4000100000 rw-p 00000000 00:19 78                         /dev/shm/private-one\n"
	"7f5000000000-7f5000100000 rw-s 00000000 fe:01 5555                       /home/u/data.bin\n"
	"7f6000000000-7f6000021000 rw-p 00000000 00:00 0                          [heap]\n"
	"7f7000000000-7f7000001000 rw-s 00000000 00:01 11                         /dev/zero (deleted)";

/* Whether a process holds a file: open, mapped with its descriptor
 * closed, neither (a memfd: a shmem file of this process's own) */
static void test_held(void)
{
	int fd = memfd_create("shmviz-test-held", MFD_CLOEXEC), other;
	struct stat st, so;
	void *p;

	CHECK(fd >= 0);
	CHECK(ftruncate(fd, 8192) == 0);
	CHECK(fstat(fd, &st) == 0);
	/* open */
	CHECK_INT(shmobj_held(getpid(), st.st_dev, st.st_ino), 1);
	/* another file of the same kind: not this one */
	other = memfd_create("shmviz-test-other", MFD_CLOEXEC);
	CHECK(other >= 0 && fstat(other, &so) == 0);
	CHECK(so.st_ino != st.st_ino);
	close(other);
	CHECK_INT(shmobj_held(getpid(), so.st_dev, so.st_ino), 0);
	/* mapped, the descriptor closed */
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	close(fd);
	CHECK_INT(shmobj_held(getpid(), st.st_dev, st.st_ino), 1);
	/* neither */
	munmap(p, 8192);
	CHECK_INT(shmobj_held(getpid(), st.st_dev, st.st_ino), 0);
	/* a process that is not there */
	CHECK(shmobj_held(0x7ffffff0, st.st_dev, st.st_ino) < 0);
}

int main(void)
{
	struct shmobj_map *m = NULL;
	size_t n = 0, cap = 0;
	struct shmobj_size sz;
	size_t bytes = 3u << 20;
	char *p;

	/* shared mappings of /dev/zero, /dev/shm, memfd and SysV only, the
	 * last line without its newline too; private and plain files not */
	CHECK_INT(shmobj_parse(maps, sizeof(maps) - 1, &m, &n, &cap), 0);
	CHECK_INT(n, 5);
	CHECK(m[0].start == 0x7f0000000000 && m[0].end == 0x7f0004000000);
	CHECK(m[0].ino == 2048 && m[0].offset == 0);
	CHECK(m[1].ino == 77);
	CHECK(m[2].offset == 0x1000 && m[2].ino == 99);
	CHECK(m[3].ino == 32770);
	CHECK(m[4].ino == 11);
	CHECK(m[1].dev != m[0].dev);

	/* this process's own: 3 MiB shared anonymous, 2 of them written */
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	memset(p, 1, 2u << 20);
	CHECK_INT(shmobj_maps(getpid(), &m, &n, &cap), 0);
	for (size_t i = 0; i < n; i++) {
		int err;

		if (m[i].start != (uint64_t)(uintptr_t)p)
			continue;
		CHECK(m[i].end - m[i].start == bytes);
		err = shmobj_stat(getpid(), &m[i], &sz);
		if (err == -EPERM) {
			fprintf(stderr, "# no CAP_SYS_ADMIN: the object's size is not checked\n");
			break;
		}
		CHECK_INT(err, 0);
		CHECK_INT(sz.alloc_kb, 2048);
		CHECK_INT(sz.size_kb, 3072);
		n = 0;
		break;
	}
	CHECK_INT(n, 0);
	munmap(p, bytes);
	free(m);
	test_held();
	return check_done();
}
