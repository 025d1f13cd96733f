/* Unit tests of the roles of processes the workload did not announce
 * (src/sample/roles.c; the rule in roles.h): a multiprocessing pool of
 * each start method, a gunicorn-like pre-forked pool, a lone child. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "src/sample/roles.h"

static void row(struct proc_row *r, pid_t pid, pid_t ppid, enum proc_role role,
		const char *comm)
{
	memset(r, 0, sizeof(*r));
	r->pid = pid;
	r->ppid = ppid;
	r->role = role;
	snprintf(r->comm, sizeof(r->comm), "%s", comm);
}

int main(void)
{
	struct proc_row rows[16];
	enum roles_kind kinds[16];
	struct roles *rl;
	size_t n = 0;

	CHECK_INT(roles_classify("python3 -c from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=5, pipe_handle=7) --multiprocessing-fork"),
		  ROLES_MP_WORKER);
	CHECK_INT(roles_classify("/usr/bin/python3 -I -c from multiprocessing.resource_tracker import main;main(4)"),
		  ROLES_MP_HELPER);
	CHECK_INT(roles_classify("python3 -c from multiprocessing.forkserver import main; main(8, 9, ['__main__'], **{'sys_path': []})"),
		  ROLES_FORKSERVER);
	CHECK_INT(roles_classify("gunicorn app:app -w 3"), ROLES_OTHER);

	/* spawn: the root, its resource tracker, one worker */
	row(&rows[n], 100, 1, ROLE_PARENT, "python3"), kinds[n++] = ROLES_OTHER;
	row(&rows[n], 101, 100, ROLE_CHILD, "python3"), kinds[n++] = ROLES_MP_HELPER;
	row(&rows[n], 102, 100, ROLE_CHILD, "python3"), kinds[n++] = ROLES_MP_WORKER;
	/* forkserver: the server (a child of the root) and two of its forks */
	row(&rows[n], 110, 100, ROLE_CHILD, "python3"), kinds[n++] = ROLES_FORKSERVER;
	row(&rows[n], 111, 110, ROLE_CHILD, "python3"), kinds[n++] = ROLES_FORKSERVER;
	row(&rows[n], 112, 110, ROLE_CHILD, "python3"), kinds[n++] = ROLES_FORKSERVER;
	/* a pre-forked pool under a master: three of one executable */
	row(&rows[n], 120, 100, ROLE_CHILD, "gunicorn"), kinds[n++] = ROLES_OTHER;
	row(&rows[n], 121, 120, ROLE_CHILD, "gunicorn"), kinds[n++] = ROLES_OTHER;
	row(&rows[n], 122, 120, ROLE_CHILD, "gunicorn"), kinds[n++] = ROLES_OTHER;
	row(&rows[n], 123, 120, ROLE_CHILD, "gunicorn"), kinds[n++] = ROLES_OTHER;
	/* a lone child of another executable stays a child; one the
	 * workload announced keeps its role */
	row(&rows[n], 130, 120, ROLE_CHILD, "sh"), kinds[n++] = ROLES_OTHER;
	row(&rows[n], 131, 100, ROLE_HELPER, "sh"), kinds[n++] = ROLES_MP_WORKER;
	/* the root is no sibling: one child of its executable beside it
	 * (both children of shmviz) stays a child */
	row(&rows[n], 140, 1, ROLE_CHILD, "python3"), kinds[n++] = ROLES_OTHER;
	CHECK(roles_apply(rows, n, kinds));
	{
		static const enum proc_role want[] = {
			ROLE_PARENT, ROLE_HELPER, ROLE_WORKER,
			ROLE_HELPER, ROLE_WORKER, ROLE_WORKER,
			ROLE_CHILD, ROLE_WORKER, ROLE_WORKER, ROLE_WORKER,
			ROLE_CHILD, ROLE_HELPER, ROLE_CHILD,
		};

		for (size_t i = 0; i < n; i++)
			if (rows[i].role != want[i])
				CHECK_INT((int)rows[i].pid * 10 + (int)rows[i].role,
					  (int)rows[i].pid * 10 + (int)want[i]);
	}

	/* live: this process's own command line is read once */
	rl = roles_create();
	CHECK(rl != NULL);
	row(&rows[0], getpid(), getppid(), ROLE_CHILD, "test_roles");
	if (rl) {
		CHECK(roles_refine(rl, rows, 1));
		CHECK_INT(rows[0].role, ROLE_CHILD);
	}
	roles_destroy(rl);
	roles_destroy(NULL);
	return check_done();
}
