#!/bin/bash
# Signals in the interactive paths (tui.sh covers Ctrl-C in a live run and
# tui_replay.sh SIGTERM while a replay plays):
# - live TUI: SIGTERM and SIGHUP (a hung-up terminal) while the shared
#   segment exists: 143 / 129, the terminal modes restored, off the
#   alternate screen, no process and no segment left;
# - replay: SIGINT (as a signal, not a key) and SIGHUP while paused: 130 /
#   129, restored;
# - --plot with SIGTERM pending from the start: the picture is written
#   whole, then the signal is honoured (143); no temporary file.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"

export LANG=C.UTF-8 LC_ALL=C.UTF-8
F="$PY $SRCDIR/tests/e2e/faults.py"

# the shmviz process of the test (not its workload, also named shmviz)
shmviz_pid() {
	for p in $(tagged_pids); do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = shmviz ] && echo "$p" && return
	done
}

# wait until a shmviz segment exists (a guard of 60 s against hangs)
wait_segment() {
	i=0
	while [ -z "$(ls /dev/shm)" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	[ -n "$(ls /dev/shm)" ] || fail "$1: no segment ever appeared"
}

# --- live TUI ------------------------------------------------------------
for sig in TERM HUP; do
	start "l$sig" 100 30 -- --mode shared -w 2 -n 20M --hold 30 -i 50
	wait_segment "live SIG$sig"
	pid=$(shmviz_pid)
	[ -n "$pid" ] || fail "live SIG$sig: no shmviz process"
	kill -"$sig" "$pid"
	wait_exit "l$sig"
	want=$((128 + $(kill -l "$sig")))
	[ "$rc" = "$want" ] || fail "live SIG$sig: exit $rc, expected $want ($(cat "$TMP/err.l$sig"))"
	[ "$restored" = restored ] || fail "live SIG$sig: the terminal modes were not restored"
	[ "$(tmx display -p -t "l$sig" '#{alternate_on}')" = 0 ] || fail "live SIG$sig: still on the alternate screen"
	no_leftovers
done

# --- replay ---------------------------------------------------------------
run --record "$TMP/r.json" -w 2 -n 200k -i 50 --hold 0.3
[ "$rc" = 0 ] || fail "recording: exit $rc: $(cat "$TMP/err")"
for sig in INT HUP; do
	start "r$sig" 100 30 -- --replay "$TMP/r.json" --speed 0.0625
	wait_for "r$sig" "▶ [0-9.]+ s"
	keys "r$sig" Space
	wait_for "r$sig" "⏸ [0-9.]+ s"
	pid=$(shmviz_pid)
	[ -n "$pid" ] || fail "replay SIG$sig: no shmviz process"
	kill -"$sig" "$pid"
	wait_exit "r$sig"
	want=$((128 + $(kill -l "$sig")))
	[ "$rc" = "$want" ] || fail "replay SIG$sig: exit $rc, expected $want"
	[ "$restored" = restored ] || fail "replay SIG$sig: the terminal modes were not restored"
	[ "$(tmx display -p -t "r$sig" '#{alternate_on}')" = 0 ] || fail "replay SIG$sig: still on the alternate screen"
done
no_leftovers

# --- --plot: the picture whole, then the signal ----------------------------
mkdir "$TMP/pic"
$F run --pending TERM --out "$TMP/out" --err "$TMP/err" -- \
	"$SHMVIZ" --plot "$TMP/r.json" -o "$TMP/pic/p.svg" >"$TMP/launch" ||
	fail "--plot: $(cat "$TMP/launch")"
how=$(tail -n 1 "$TMP/launch")
[ "$how" = "exit 143" ] || fail "--plot with SIGTERM pending: $how ($(cat "$TMP/err"))"
$PY -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "$TMP/pic/p.svg" ||
	fail "--plot with SIGTERM pending: the SVG is not whole"
[ "$(ls -A "$TMP/pic")" = p.svg ] || fail "--plot left: $(ls -A "$TMP/pic")"
no_leftovers
echo ok
