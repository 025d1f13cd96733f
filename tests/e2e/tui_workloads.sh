#!/bin/bash
# The workloads of this issue in the TUI, through tmux: the Python run's
# table shows the pool's workers and the resource tracker (helper); --mode
# all shows a shared, a copy and a cow pane; --compare shows both commands
# and, in the help, where their output went; q ends each with status 0,
# the terminal restored and nothing left behind.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TMPDIR="$TMP"
TOUCH=${TOUCH:?TOUCH must name tests/helpers/touch}

# --compare: both panes, their commands in the headers, the logs in help
start c 100 30 TMPDIR="$TMP" -- --compare "'$TOUCH 48 1.5'" "'$TOUCH 24 1.5 2'" --label one -i 50
wait_for c "one · touch 48 1.5"
wait_for c "B · touch 24 1.5 2"
wait_for c "[0-9]+ wkr "
# the two children join one after the other: wait (10 s at most) for both
i=0
while [ "$(screen_of c | grep -c "[0-9] wkr ")" != 2 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
screen_of c | grep -c "[0-9] wkr " | grep -qx 2 || fail "compare: B's two children are not workers: $(screen_of c)"
wait_for c "one [0-9.]+ m?s, peak (≥ )?[0-9.]+ [KMG]iB .* B [0-9.]+ m?s, peak"
keys c '?'
wait_for c "Output of the runs:"
wait_for c "one  $TMP/shmviz-log-[A-Za-z0-9]+/A.log"
keys c x
keys c q
wait_exit c
[ "$rc" = 0 ] && [ "$restored" = restored ] || fail "compare: exit $rc, terminal $restored"
no_leftovers

if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	# Python: the pool's workers and the resource tracker in the table
	start p 100 34 TMPDIR="$TMP" -- --workload python --mode shared -n 100k -w 2 --hold 4 -i 50
	wait_for p "shared · Python"
	wait_for p "[0-9]+ (hlp|helper) "
	wait_for p "[0-9]+ (wkr|worker) "
	# both workers, once the pool has announced them
	i=0
	until [ "$(screen_of p | grep -Ec "[0-9] (wkr|worker) ")" = 2 ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(screen_of p | grep -Ec "[0-9] (wkr|worker) ")" = 2 ] || fail "python: not two workers: $(screen_of p)"
	keys p q
	wait_exit p
	[ "$rc" = 0 ] && [ "$restored" = restored ] || fail "python: exit $rc, terminal $restored"
	no_leftovers
else
	note "no numpy for /usr/bin/python3: the Python part is left out"
fi

# --workload prefork: its own story in the title (not "shared memory vs
# copying"), the runs' objects counted as such
start f 160 30 -- --workload prefork -n 100k -w 2 --duration 0.5 --hold 0.2 -i 50
wait_for f "shmviz · data loaded once, read by forked workers · 2 workers · 100000 objects \\("
wait_for f "╭─ fork .*╭─ frozen "
keys f q
wait_exit f
[ "$rc" = 0 ] && [ "$restored" = restored ] || fail "prefork: exit $rc, terminal $restored"
no_leftovers

# --mode all: three panes
start a 120 30 -- --mode all -n 200k -w 2 --hold 0.3 -i 50
wait_for a "shared · POSIX"
wait_for a "copy · pipe"
wait_for a "cow · fork"
wait_for a "cow ([0-9.]+ m?s, peak|([0-9.]+× (faster|slower)|as fast))"
keys a q
wait_exit a
[ "$rc" = 0 ] && [ "$restored" = restored ] || fail "all: exit $rc, terminal $restored"
no_leftovers
echo ok
