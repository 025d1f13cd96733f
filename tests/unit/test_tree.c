/* Tree discovery against the real /proc: children and grandchildren of a
 * root are found by ppid, an unrelated process is not, and /proc/loadavg
 * moves when a process is created; the incremental scan over the pids
 * handed out since finds the same. */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "probes/tree.h"

static bool has(const pid_t *v, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == pid)
			return true;
	return false;
}

int main(void)
{
	int ready[2] = { -1, -1 }, go[2] = { -1, -1 };
	pid_t root, self = getpid(), *found = NULL;
	size_t n = 0;
	int64_t last;
	char c;

	CHECK(pipe(ready) == 0 && pipe(go) == 0);
	last = tree_last_pid();
	CHECK(last > 0);
	root = fork();
	if (root == 0) {
		/* root: one child that has a grandchild; only the test holds
		 * the write end of go, so closing it releases them */
		close(go[1]);
		pid_t kid = fork();

		if (kid == 0) {
			pid_t grandkid = fork();

			if (grandkid == 0) {
				if (write(ready[1], "g", 1) != 1)
					_exit(1);
				if (read(go[0], &c, 1) < 0)
					_exit(1);
				_exit(0);
			}
			waitpid(grandkid, NULL, 0);
			_exit(0);
		}
		waitpid(kid, NULL, 0);
		_exit(0);
	}
	CHECK(read(ready[0], &c, 1) == 1);
	CHECK(tree_last_pid() != last);
	CHECK_INT(tree_descendants(&root, 1, &found, &n), 0);
	CHECK_INT(n, 2);
	CHECK(!has(found, n, root));
	CHECK(!has(found, n, self));
	free(found);
	/* from ourselves: the root too */
	CHECK_INT(tree_descendants(&self, 1, &found, &n), 0);
	CHECK_INT(n, 3);
	CHECK(has(found, n, root));
	free(found);
	/* incremental: the pids handed out since last, whose parent is the
	 * root or a joiner, are the same two */
	{
		int64_t now = tree_last_pid();

		CHECK_INT(tree_new_descendants(&root, 1, last, now, &found, &n), 0);
		CHECK_INT(n, 2);
		CHECK(!has(found, n, root));
		free(found);
		/* from ourselves: root, child and grandchild */
		CHECK_INT(tree_new_descendants(&self, 1, last, now, &found, &n), 0);
		CHECK_INT(n, 3);
		free(found);
		/* nothing created since now: nothing new (and nothing read) */
		CHECK_INT(tree_new_descendants(&root, 1, now, now, &found, &n), 0);
		CHECK_INT(n, 0);
		CHECK(found == NULL);
		/* the wrapped range (now, last]: every pid but the tree's */
		CHECK_INT(tree_new_descendants(&root, 1, now, last, &found, &n), 0);
		CHECK_INT(n, 0);
		free(found);
		/* a range across the wrap of the pid counter, (last, pid_max]
		 * and [1, 1]: the two are in it */
		CHECK_INT(tree_new_descendants(&root, 1, last, 1, &found, &n), 0);
		CHECK_INT(n, 2);
		CHECK(!has(found, n, root));
		free(found);
	}
	/* a pid with no children */
	{
		pid_t none = 0x3ffffff;

		CHECK_INT(tree_descendants(&none, 1, &found, &n), 0);
		CHECK_INT(n, 0);
		free(found);
	}
	close(go[1]);
	waitpid(root, NULL, 0);
	return check_done();
}
