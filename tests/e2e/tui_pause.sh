#!/bin/bash
# p stops the workload itself, outside --lesson too: every process of the
# run's tree is in state T (the test's own /proc reads) and the status line
# says RUN STOPPED; p again continues them (none left in T); q then ends the
# session with nothing left. A q while stopped ends the run too (its tree
# continued, then stopped as any run is), leaving no process, no segment.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

state_of() { awk '{sub(/.*\) /, ""); print $1}' "/proc/$1/stat" 2>/dev/null; }
# "STOPPED RUNNING": the run's processes (all tagged but shmviz and its
# guard) in state T, and the others alive
states() {
	local t=0 r=0 p st
	for p in $(tagged_pids); do
		case "$(cat "/proc/$p/comm" 2>/dev/null)" in shmviz | shmviz-guard) continue ;; esac
		st=$(state_of "$p")
		case "$st" in '' | Z | X) continue ;; T) t=$((t + 1)) ;; *) r=$((r + 1)) ;; esac
	done
	echo "$t $r"
}

for round in 1 2; do
	start P 120 32 -- --mode shared -w 2 -n 1M --hold 60
	wait_for P "─ hold [0-9.]+ m?s ─"
	keys P p
	wait_for P "RUN STOPPED: p goes on"
	# the signal reaches every member (a bound against a hang, not a
	# timing check)
	k=0
	while [ $k -lt 100 ]; do
		set -- $(states)
		[ "$1" -ge 3 ] && [ "$2" = 0 ] && break
		sleep 0.05
		k=$((k + 1))
	done
	[ "$1" -ge 3 ] && [ "$2" = 0 ] || fail "RUN STOPPED shown, yet $1 processes stopped and $2 running"
	note "round $round: $1 processes stopped"
	if [ $round = 1 ]; then
		keys P p
		k=0
		while [ $k -lt 100 ]; do
			set -- $(states)
			[ "$1" = 0 ] && break
			sleep 0.05
			k=$((k + 1))
		done
		[ "$1" = 0 ] || fail "p again, yet $1 processes still stopped"
		screen_of P | grep -q "RUN STOPPED" && sleep 0.5
		screen_of P | grep -q "RUN STOPPED" && fail "still RUN STOPPED after p"
	fi
	keys P q
	wait_exit P
	no_leftovers
done
echo "ok: p stops and continues the workload; q while stopped leaves nothing"
