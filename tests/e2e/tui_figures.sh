#!/bin/bash
# The TUI's figures against the recording it wrote (tests/e2e/check_screen.py):
# the title's workers, rows and size; each pane's header time; the legend's
# private, shared, ΣPSS, ΣRSS and overcount; every table cell (RSS, PSS,
# Shared_Clean, Shared_Dirty, Private_Dirty, role, state); the strip's
# times, peaks, factors and words. Twice a session with --record: paused
# in the shared run's hold (the pane shows its newest sample, which the
# header's time in the phase names), then once every run ended (each pane
# the frame it keeps). At 140x40 (long headings and words), --mode all at
# 180x32 (three runs: each later one's time, peak and verdict) and at
# 80x24 (the short ones), the last with a CPU hog on every core.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

ROWS=1000000

# every key sent before is handled and its frame drawn: the metric key
# three times, PSS again (the status line names it at any width)
settle() {
	keys "$1" m
	wait_for "$1" " m RSS "
	keys "$1" m
	wait_for "$1" " m USS "
	keys "$1" m
	wait_for "$1" " m PSS "
}

session() { # NAME COLS ROWS RUNS [SHMVIZ ARGS...]
	local nm=$1 cols=$2 lines=$3 runs=$4
	shift 4
	rm -f "$TMP/$nm.json"
	start "$nm" "$cols" "$lines" -- --record "$TMP/$nm.json" -w 2 -n "$ROWS" --hold 3 "$@"
	wait_for "$nm" "─ hold [0-9.]+ m?s ─"
	keys "$nm" Space
	wait_for "$nm" "PAUSED"
	settle "$nm"
	screen_of "$nm" > "$TMP/$nm.paused"
	keys "$nm" Space
	wait_for "$nm" "(faster|slower|as fast)"
	settle "$nm"
	screen_of "$nm" > "$TMP/$nm.ended"
	keys "$nm" q
	wait_exit "$nm"
	[ "$rc" = 0 ] || fail "$nm: exit $rc: $(cat "$TMP/err.$nm")"
	[ -s "$TMP/$nm.json" ] || fail "$nm: no recording"
	"$PY" "$SRCDIR/tests/e2e/check_recording.py" "$TMP/$nm.json" --runs "$runs" >&2 ||
		fail "$nm: the recording is not valid"
	"$PY" "$SRCDIR/tests/e2e/check_screen.py" "$TMP/$nm.paused" "$TMP/$nm.json" --rows $ROWS >&2 ||
		fail "$nm: the paused screen's figures are not the recording's; screen:
$(cat "$TMP/$nm.paused")"
	"$PY" "$SRCDIR/tests/e2e/check_screen.py" "$TMP/$nm.ended" "$TMP/$nm.json" --rows $ROWS >&2 ||
		fail "$nm: the ended screen's figures are not the recording's; screen:
$(cat "$TMP/$nm.ended")"
	note "$nm: $(grep -E 'faster|slower|as fast' "$TMP/$nm.ended" | grep -v '^│' | head -1)"
}

session wide 140 40 shared,copy
no_leftovers
session all 180 32 shared,copy,cow --mode all
no_leftovers
start_hogs 300
session small 80 24 shared,copy
stop_hogs
no_leftovers
echo "ok: the screen's figures are the recording's"
