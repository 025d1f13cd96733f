#!/bin/bash
# After a SIGKILL of shmviz no process of a run remains, for every
# workload (src/run/guard.h: a guard process outside shmviz's tree ends the
# runs' processes when shmviz dies):
# 1. --compare 'sh -c "sleep 31 & sleep 31"': both sleeps go (they were
#    orphans of init before);
# 2. a program that cleared its environment (env -i) is found by its run's
#    session (every root runs in a session of its own);
# 3. a kill of shmviz's whole process group does not reach the guard;
# 4. --workload python: the pool's workers, the resource tracker and the
#    pool's semaphores (/dev/shm/sem.mp-*) all go;
# 5. a run's root has no controlling terminal (its own session).
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"

# live processes in session sid
in_session() {
	for s in /proc/[0-9]*/stat; do
		awk -v sid="$1" '{sub(/.*\) /, ""); if ($4 == sid && $1 != "Z") print FILENAME}' "$s" 2>/dev/null
	done
}

# waits until at least $1 live processes named $2 carry the tag
wait_procs() {
	for i in $(seq 300); do
		n=0
		for p in $(tagged_pids); do
			[ "$(cat /proc/$p/comm 2>/dev/null)" = "$2" ] && n=$((n + 1))
		done
		[ "$n" -ge "$1" ] && return 0
		sleep 0.05
	done
	fail "$3: never $1 processes named $2"
}

# 1. a shell's background child and its foreground one
"$SHMVIZ" --record "$TMP/c.json" --compare 'sh -c "sleep 31 & sleep 31"' true \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
wait_procs 2 sleep "compare"
guard=$(for p in $(tagged_pids); do [ "$(cat /proc/$p/comm)" = shmviz-guard ] && echo "$p"; done)
kill -KILL $pid
wait $pid 2>/dev/null
no_leftovers
[ -n "$guard" ] || fail "no guard process was seen"
[ "$(awk '{sub(/.*\) /, ""); print $2}' /proc/$guard/stat 2>/dev/null)" != "$pid" ] ||
	fail "the guard is a child of shmviz (it would be sampled)"
[ -e "$TMP/c.json" ] && fail "SIGKILL: a recording appeared"

# 2. env -i: no tag, no token; found by its session
"$SHMVIZ" --record "$TMP/e.json" --compare 'env -i /bin/sh -c "sleep 32 & exec sleep 32"' true \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
root=""
for i in $(seq 300); do
	root=$(pgrep -P "$pid" | head -n 1)
	[ -n "$root" ] && [ "$(in_session "$root" | wc -l)" -ge 2 ] && break
	sleep 0.05
done
[ "$(in_session "$root" | wc -l)" -ge 2 ] || fail "env -i: the run's session never held two sleeps"
kill -KILL $pid
wait $pid 2>/dev/null
for i in $(seq 50); do [ -z "$(in_session "$root")" ] && break; sleep 0.1; done
[ -z "$(in_session "$root")" ] || fail "env -i: processes of the run's session left: $(in_session "$root")"
no_leftovers

# 3. SIGKILL of shmviz's whole process group (setsid: a group of its own)
setsid "$SHMVIZ" --record "$TMP/g.json" --compare 'sh -c "sleep 33 & sleep 33"' true \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
wait_procs 2 sleep "process group"
pgid=$(for p in $(tagged_pids); do [ "$(cat /proc/$p/comm)" = shmviz ] && echo "$p"; done | head -n 1)
kill -KILL -- "-$pgid"
no_leftovers

# 5. the root has no controlling terminal, even when shmviz has one (run
#    on a pseudo-terminal by script(1))
if command -v script >/dev/null; then
	script -qec "$SHMVIZ --record $TMP/t.json --headless --compare 'sleep 34' true" /dev/null \
		>"$TMP/out" 2>"$TMP/err" </dev/null &
	spid=$!
	wait_procs 1 sleep "tty"
	me=$(for p in $(tagged_pids); do [ "$(cat /proc/$p/comm)" = shmviz ] && echo "$p"; done | head -n 1)
	kid=$(for p in $(tagged_pids); do [ "$(cat /proc/$p/comm)" = sleep ] && echo "$p"; done | head -n 1)
	mytty=$(awk '{sub(/.*\) /, ""); print $5}' /proc/$me/stat)
	tty=$(awk '{sub(/.*\) /, ""); print $5}' /proc/$kid/stat)
	[ "$mytty" != 0 ] || fail "tty: shmviz has no terminal under script(1): nothing proven"
	[ "$tty" = 0 ] || fail "the run has shmviz's controlling terminal (tty_nr $tty)"
	kill -TERM "$me"
	wait $spid
	no_leftovers
else
	note "no script(1): the terminal case is not run"
fi

# 4. the Python workload: pool workers, resource tracker, semaphores
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	"$SHMVIZ" --record "$TMP/p.json" --workload python --mode copy -n 100k -w 2 --hold 30 \
		>"$TMP/out" 2>"$TMP/err" </dev/null &
	pid=$!
	# the parent, two workers and the resource tracker
	wait_procs 4 python3 "python"
	ls /dev/shm | grep -q '^sem\.mp-' || note "python: no semaphore in /dev/shm during the hold"
	kill -KILL $pid
	wait $pid 2>/dev/null
	no_leftovers
	[ -z "$(ls /dev/shm)" ] || fail "python: left in /dev/shm: $(ls /dev/shm)"
else
	note "no python3 with numpy: the Python case is not run"
fi

# 6. a segment named as a workload's (/dev/shm/shmviz-PID-N) of a member
# killed with shmviz, which could not unlink it: the guard does
"$SHMVIZ" --record "$TMP/n.json" --compare 'sh -c ": > /dev/shm/shmviz-$$-0; exec sleep 37"' true \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
wait_procs 1 sleep "segment"
for i in $(seq 300); do ls /dev/shm | grep -q '^shmviz-' && break; sleep 0.05; done
ls /dev/shm | grep -q '^shmviz-' || fail "segment: /dev/shm/shmviz-PID-0 never made"
kill -KILL $pid
wait $pid 2>/dev/null
no_leftovers

# 7. without cgroups (hidden in this test's mount namespace: the runs get
# none), a member that left its run's session (setsid) is found by the
# token its environment carries
mount -t tmpfs shmviz-nocgroup /sys/fs/cgroup || fail "cannot hide /sys/fs/cgroup"
"$SHMVIZ" --record "$TMP/s.json" --compare 'sh -c "setsid sleep 36 & exec sleep 36"' true \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
pid=$!
wait_procs 2 sleep "setsid"
kill -KILL $pid
wait $pid 2>/dev/null
no_leftovers
umount /sys/fs/cgroup
echo ok
