#!/bin/bash
# A SIGKILL of shmviz while a --lesson run stands stopped (its tree in
# SIGSTOP): the guard continues the stopped members before it ends them (a
# SIGTERM to a stopped process stays pending until it goes on), so the
# workload unlinks its segment; what a killed workload could not unlink
# (/dev/shm/shmviz-PID-N of a member or a root) the guard removes. Nothing
# of the run is left, no segment in /dev/shm.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

start L 120 32 -- --lesson --record "$TMP/l.json" --mode shared -w 2 -n 1M --hold 30
# let each boundary go until one stops the tree with its segment made
found=0 i=0
while [ $i -lt 40 ] && [ $found = 0 ]; do
	wait_for L "LESSON: space goes on"
	k=0
	while [ $k -lt 100 ]; do
		stopped=0
		for p in $(tagged_pids); do
			case "$(cat /proc/$p/comm 2>/dev/null)" in shmviz-shared|shmviz-w*) ;; *) continue ;; esac
			st=$(awk '{sub(/.*\) /, ""); print $1}' "/proc/$p/stat" 2>/dev/null)
			[ "$st" = T ] && stopped=$((stopped + 1))
		done
		[ $stopped -gt 0 ] && break
		sleep 0.05
		k=$((k + 1))
	done
	if [ $stopped -gt 0 ] && ls /dev/shm | grep -q '^shmviz-'; then
		found=1
		break
	fi
	title=$(screen_of L | grep -E '^╭')
	keys L Space
	j=0
	while [ $j -lt 100 ] && [ "$(screen_of L | grep -E '^╭')" = "$title" ]; do sleep 0.05; j=$((j + 1)); done
	i=$((i + 1))
done
[ $found = 1 ] || fail "no lesson stop with the tree stopped and its segment made"
note "stopped at: $(screen_of L | grep -E '^╭' | head -1); segments: $(ls /dev/shm)"
spid=""
for p in $(tagged_pids); do
	[ "$(cat /proc/$p/comm 2>/dev/null)" = shmviz ] && spid=$p
done
[ -n "$spid" ] || fail "shmviz itself not found"
kill -9 "$spid"
# every member ends (a deadline against a hang only: the guard's grace is
# 3 s, its kills follow)
i=0
while [ -n "$(tagged_pids | grep -vx "$spid")" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
left=$(tagged_pids)
[ -z "$left" ] || fail "processes left after SIGKILL of shmviz in a lesson stop: $(for p in $left; do printf '%s(%s %s) ' "$p" "$(cat /proc/$p/comm)" "$(awk '{sub(/.*\) /, ""); print $1}' /proc/$p/stat)"; done)"
segs=$(ls /dev/shm | grep '^shmviz-' || true)
[ -z "$segs" ] || fail "segments left in /dev/shm after SIGKILL of shmviz in a lesson stop: $segs"
echo ok
