#!/bin/bash
# Signals in the interactive paths (tui.sh covers Ctrl-C in a live run and
# tui_replay.sh SIGTERM while a replay plays):
# - live TUI: SIGTERM and SIGHUP (a hung-up terminal) while the shared
#   segment exists: 143 / 129, the terminal modes restored, off the
#   alternate screen, no process and no segment left;
# - replay: SIGINT (as a signal, not a key) and SIGHUP while paused: 130 /
#   129, restored;
# - --plot with SIGTERM pending from the start: the picture is written
#   whole, then the signal is honoured (143); no temporary file;
# - the terminal hangs up while SIGHUP is ignored (nohup): shmviz ends
#   within moments instead of spinning on the dead terminal.
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

# --- a hang-up with SIGHUP ignored (nohup): the terminal is gone, shmviz
# ends at once (it used to spin on POLLHUP at 100% of a core) -------------
hup_ignored() {
	name=$1
	shift
	rm -f "$TMP/rc.$name"
	cat > "$TMP/run.$name" <<SCRIPT
trap '' HUP
env SHMVIZ_TEST_TAG=$TAG "$SHMVIZ" $* 2>"$TMP/err.$name"
echo "\$?" > "$TMP/rc.$name"
SCRIPT
	tmx new-session -d -s "$name" -x 100 -y 30 "sh $TMP/run.$name" ||
		fail "tmux new-session failed"
}
cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat" 2>/dev/null; }
for what in live replay; do
	if [ $what = live ]; then
		hup_ignored "h$what" --mode shared -w 1 -n 1M --hold 60 -i 50
		wait_for "h$what" "hold"
	else
		hup_ignored "h$what" --replay "$TMP/r.json" --speed 0.0625
		wait_for "h$what" "▶ [0-9.]+ s"
	fi
	pid=$(shmviz_pid)
	[ -n "$pid" ] || fail "hang-up ($what): no shmviz process"
	grep -q "^SigIgn:.*[13579bdf]$" "/proc/$pid/status" ||
		fail "hang-up ($what): SIGHUP is not ignored by shmviz: nothing tested"
	tmx kill-session -t "h$what"
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 "$pid" 2>/dev/null && [ "$(cat /proc/$pid/comm 2>/dev/null)" = shmviz ]; then
		t0=$(cpu_ticks "$pid")
		sleep 1
		t1=$(cpu_ticks "$pid")
		fail "hang-up ($what) with SIGHUP ignored: shmviz still runs 5 s later, using $((t1 - t0)) ticks of CPU a second"
	fi
	i=0
	while [ ! -s "$TMP/rc.h$what" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ "$(cat "$TMP/rc.h$what" 2>/dev/null)" = 129 ] ||
		fail "hang-up ($what): exit $(cat "$TMP/rc.h$what" 2>/dev/null), expected 129 as for SIGHUP"
	no_leftovers
done

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
