#!/bin/bash
# A SIGKILL of shmviz while its run's tree stands stopped (SIGSTOP, as a
# --lesson stop leaves it): the guard continues the stopped members before
# it ends them (a SIGTERM to a stopped process stays pending until it goes
# on), so the workload unlinks its segment; what a killed workload could
# not unlink (/dev/shm/shmviz-PID-N of a member or a root) the guard
# removes. Nothing of the run is left, no segment in /dev/shm.
#
# The test makes that state itself, whatever the machine's pace: it stops
# every process of the run (all but shmviz and its guard) as soon as the
# segment exists, as a lesson stop at the fill would, then kills shmviz.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

state_of() { awk '{sub(/.*\) /, ""); print $1}' "/proc/$1/stat" 2>/dev/null; }

"$SHMVIZ" --record "$TMP/l.json" --mode shared -w 2 -n 20M --hold 30 \
	>"$TMP/out" 2>"$TMP/err" </dev/null &
spid=$!
for _ in $(seq 3000); do ls /dev/shm | grep -q '^shmviz-' && break; sleep 0.01; done
ls /dev/shm | grep -q '^shmviz-' || fail "the segment never appeared: $(cat "$TMP/err")"
# the run's tree: every tagged process but shmviz and its guard, stopped
# until none of them runs (one forked meanwhile is stopped at the next turn)
for _ in $(seq 100); do
	running=0
	for p in $(tagged_pids); do
		case "$(cat "/proc/$p/comm" 2>/dev/null)" in shmviz | shmviz-guard) continue ;; esac
		[ "$p" = "$spid" ] && continue
		st=$(state_of "$p")
		[ -z "$st" ] || [ "$st" = T ] || [ "$st" = Z ] && continue
		kill -STOP "$p" 2>/dev/null
		running=$((running + 1))
	done
	[ $running = 0 ] && break
	sleep 0.01
done
stopped=0
for p in $(tagged_pids); do
	[ "$(state_of "$p")" = T ] && stopped=$((stopped + 1))
done
[ $stopped -ge 3 ] || fail "only $stopped processes of the run stopped (a root and 2 workers expected)"
ls /dev/shm | grep -q '^shmviz-' || fail "the segment went before the tree stopped"
note "stopped: $stopped processes; segments: $(ls /dev/shm)"
kill -9 "$spid"
wait "$spid" 2>/dev/null
# every member ends (a deadline against a hang only: the guard's grace is
# 3 s, its kills follow)
i=0
while [ -n "$(tagged_pids)" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
left=$(tagged_pids)
[ -z "$left" ] || fail "processes left after SIGKILL of shmviz with its tree stopped: $(for p in $left; do printf '%s(%s %s) ' "$p" "$(cat /proc/$p/comm)" "$(state_of "$p")"; done)"
segs=$(ls /dev/shm | grep '^shmviz-' || true)
[ -z "$segs" ] || fail "segments left in /dev/shm after SIGKILL of shmviz with its tree stopped: $segs"
echo ok
