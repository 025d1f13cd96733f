#!/bin/bash
# The live TUI through tmux, as a person would see it: both panes with
# live numbers, the comparison once both runs finish, the metric key, a
# resize below the minimum and back, help, pause, q and Ctrl-C (exit 0 and
# 130, terminal modes restored, no process and no segment left), NO_COLOR,
# an ASCII locale, a 1x1 terminal, and TERM=dumb or unknown (exit 4).
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"

export LANG=C.UTF-8 LC_ALL=C.UTF-8
RUN="-w 2 -n 200k -i 50"

# --- a whole session at 80x24 -------------------------------------------
start a 80 24 -- $RUN --hold 1.5 --record "$TMP/a.json"
wait_for a "shared"
grep -q "copy" "$TMP/screen" || fail "no copy pane: $(cat "$TMP/screen")"
# live numbers: the table's rows and the legend's ΣRSS with a figure
wait_for a "ΣRSS [0-9.]+[KMG]"
wait_for a "^│ *[0-9]+ (par|wkr)"
# m cycles the metric: the status line and the title say which
grep -q "m PSS" "$TMP/screen" || fail "no metric in the status line: $(cat "$TMP/screen")"
keys a m
wait_for a "m RSS"
grep -q "graph: RSS" "$TMP/screen" || fail "the title does not name the metric"
keys a m
wait_for a "m USS"
keys a m
wait_for a "m PSS"
# the comparison strip once both runs are done
wait_for a "shared [0-9.]+ m?s, .*copy [0-9.]+ m?s.*(faster|slower|as fast).*memory"
grep -E "shared [0-9.]+ m?s, .*copy [0-9.]+ m?s" "$TMP/screen" > "$TMP/strip.a"
# the caption under the panes
grep -q "›" "$TMP/screen" || fail "no caption line: $(cat "$TMP/screen")"
# help over the screen; any key closes it
keys a '?'
wait_for a "shmviz: keys"
keys a x
i=0; while screen_of a | grep -q "shmviz: keys" && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
screen_of a | grep -q "shmviz: keys" && fail "help did not close"
# pause shows PAUSED, space again resumes
keys a Space
wait_for a "PAUSED"
keys a Space
i=0; while screen_of a | grep -q PAUSED && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
screen_of a | grep -q PAUSED && fail "space did not resume: still PAUSED after 5 s"
# resize below the minimum: the message; back: the panes
# (narrower than the message: wrapped at spaces, every word of it and of
# the hint whole on a line: a figure cut in two, "80x2" over "4;", reads
# as another size; the hint on no line of the message)
for size in "60 20" "40 12" "30 12"; do
	set -- $size
	tmx resize-window -t a -x "$1" -y "$2"
	wait_for a "$1x$2\\."
	want="shmviz needs a terminal of at least 80x24; this one is $1x$2. Make it larger, or q to quit."
	for w in $want; do
		screen_of a | tr -s ' ' '\n' | grep -qxF -- "$w" ||
			fail "$1x$2: the word '$w' is not whole on the screen: $(screen_of a)"
	done
	[ "$(screen_of a | grep -c 'Make it larger, or q to quit\.$')" = 1 ] ||
		fail "$1x$2: the hint not on a line of its own: $(screen_of a)"
done
tmx resize-window -t a -x 100 -y 30
wait_for a "╭─ shared"
grep -q "needs a terminal" "$TMP/screen" && fail "the size message stayed"
# 1x1 and back: no crash. A 1x1 screen shows nothing (curses leaves the
# last cell), so its moment is a key sent after the resize: curses reports
# the new size before the keys that follow it, and the key's effect (the
# metric RSS) is seen once the panes are back; 2x40 shows the message
# wrapped, to the character
tmx resize-window -t a -x 1 -y 1
keys a m
tmx resize-window -t a -x 2 -y 40
i=0; until screen_of a | tr -d ' \n' | grep -q "thisoneis2x40\.$" || [ $i -ge 300 ]; do sleep 0.2; i=$((i + 1)); done
screen_of a | tr -d ' \n' | grep -q "thisoneis2x40\.$" || fail "2x40: no message: $(screen_of a)"
tmx resize-window -t a -x 80 -y 24
wait_for a "╭─ shared"
wait_for a "m RSS"
keys a m
wait_for a "m USS"
keys a m
wait_for a "m PSS"
# q quits: status 0, terminal modes restored, nothing left
keys a q
wait_exit a
[ "$rc" = 0 ] || fail "q: exit $rc, expected 0 ($(cat "$TMP/err.a"))"
[ "$restored" = restored ] || fail "q: the terminal modes were not restored"
[ "$(tmx display -p -t a '#{alternate_on}')" = 0 ] || fail "q: still on the alternate screen"
[ -s "$TMP/err.a" ] && fail "q: something was written to stderr: $(cat "$TMP/err.a")"
no_leftovers
# the strip's words and factors are the recording's: shared against copy,
# faster when copy's wall time is longer, less memory when its peak ΣPSS
# is higher, each factor the ratio of the recorded figures
$PY - "$TMP/a.json" "$TMP/strip.a" <<'PYEOF' >&2 || fail "the strip does not say what the recording says"
import json, re, sys
runs = {r["name"]: r for r in json.load(open(sys.argv[1]))["runs"]}
line = open(sys.argv[2]).read()
m = re.search(r"shared (?:([0-9.]+)\u00d7 (faster|slower)|as fast), ([0-9.]+)\u00d7 (less|more) memory", line)
assert m, line
a, b = runs["shared"], runs["copy"]
speed = b["result"]["wall_s"] / a["result"]["wall_s"]
mem = b["peak"]["pss_kb"] / a["peak"]["pss_kb"]
def near(shown, x):
    x = x if x >= 1 else 1 / x
    return abs(float(shown) - x) <= (0.051 if x < 9.95 else 0.51)
# a factor that reads 1.0 is said "as fast"
assert (m.group(1) is None) == ("%.1f" % max(speed, 1 / speed) == "1.0"), (m.group(0), speed)
assert m.group(1) is None or m.group(2) == ("faster" if speed >= 1 else "slower"), (m.group(0), speed)
assert m.group(4) == ("less" if mem >= 1 else "more"), (m.group(0), mem)
assert near(m.group(1) or "1.0", speed) and near(m.group(3), mem), (m.group(0), speed, mem)
print("# strip:", m.group(0), "recording: %.3f, %.3f" % (speed, mem))
PYEOF

# --- pause freezes everything: graphs, scales, tables, the strip ----------
# paused in the shared run's hold, the copy run starts and moves behind the
# picture; redrawn (the metric key three times: PSS again), the screen is
# what it was to the character, and moves again once resumed
start p 100 30 -- -w 2 -n 1M -i 50 --hold 1.5
wait_for p "hold"
keys p Space
wait_for p "PAUSED"
# every key before is handled and its frame drawn (the status line, the
# last line, says so)
keys_settle p
screen_of p > "$TMP/paused1"
grep -Eq "faster|slower|as fast" "$TMP/paused1" && fail "paused before the copy run, yet the strip is shown"
# the moment behind the picture: the copy run starts (its parent, a child
# of shmviz, is named shmviz-copy) and ends (the session waits for q)
sv=$(for p in $(tagged_pids); do [ "$(cat /proc/$p/comm 2>/dev/null)" = shmviz ] && echo "$p"; done | head -n 1)
[ -n "$sv" ] || fail "pause: no shmviz process"
i=0; until pgrep -P "$sv" -x shmviz-copy >/dev/null || [ $i -ge 1200 ]; do sleep 0.05; i=$((i + 1)); done
copy=$(pgrep -P "$sv" -x shmviz-copy) || fail "pause: the copy run never started"
i=0; while [ -e "/proc/$copy" ] && [ "$(awk '{sub(/.*\) /, ""); print $1}' /proc/$copy/stat 2>/dev/null)" != Z ] && [ $i -lt 1200 ]; do
	sleep 0.05; i=$((i + 1))
done
[ -e "/proc/$copy" ] && [ "$(awk '{sub(/.*\) /, ""); print $1}' /proc/$copy/stat 2>/dev/null)" != Z ] &&
	fail "pause: the copy run never ended"
keys p m
wait_for p "m RSS"
keys p m
wait_for p "m USS"
keys p m
wait_for p "m PSS"
screen_of p > "$TMP/paused2"
diff "$TMP/paused1" "$TMP/paused2" >"$TMP/pdiff" ||
	fail "the paused screen changed: $(cat "$TMP/pdiff")"
# resumed: the picture catches up with both runs, the strip appears
keys p Space
wait_for p "faster|slower|as fast"
grep -q PAUSED "$TMP/screen" && fail "space did not resume: the strip is drawn under PAUSED"
keys p q
wait_exit p
[ "$rc" = 0 ] || fail "pause: exit $rc ($(cat "$TMP/err.p"))"
no_leftovers

# --- Ctrl-C in the middle of a run: 130, restored, nothing left -----------
start c 100 30 -- $RUN --hold 30
wait_for c "hold"
keys c C-c
wait_exit c
[ "$rc" = 130 ] || fail "Ctrl-C: exit $rc, expected 130 ($(cat "$TMP/err.c"))"
[ "$restored" = restored ] || fail "Ctrl-C: the terminal modes were not restored"
[ "$(tmx display -p -t c '#{alternate_on}')" = 0 ] || fail "Ctrl-C: still on the alternate screen"
no_leftovers

# --- NO_COLOR: no colour at all; without it, colours ----------------------
start nc 80 24 NO_COLOR=1 -- $RUN --hold 0.3 --mode shared
wait_for nc "done in"
screen_esc nc > "$TMP/esc"
grep -Eq $'\e\\[(3[0-7]|4[0-7]|38;|48;|9[0-7])' "$TMP/esc" && fail "NO_COLOR: colour escapes on the screen"
keys nc q
wait_exit nc
[ "$rc" = 0 ] || fail "NO_COLOR: exit $rc"
start co 80 24 -- $RUN --hold 0.3 --mode shared
wait_for co "done in"
screen_esc co | grep -Eq $'\e\\[(3[0-7]|38;)' || fail "no colour without NO_COLOR"
keys co q
wait_exit co
no_leftovers

# --- ASCII locale: not a byte above 127 on the screen -----------------------
start asc 80 24 LANG=C LC_ALL=C -- $RUN --hold 0.3
wait_for asc "faster|slower|as fast"
LC_ALL=C grep -q '[^ -~]' "$TMP/screen" && fail "LANG=C: non-ASCII on the screen: $(LC_ALL=C grep -n '[^ -~]' "$TMP/screen" | head -3)"
grep -q "+-- *shared\|+- shared" "$TMP/screen" || fail "LANG=C: no ASCII box: $(cat "$TMP/screen")"
grep -Eq "[#:]" "$TMP/screen" || fail "LANG=C: no ASCII graph"
keys asc q
wait_exit asc
[ "$rc" = 0 ] || fail "LANG=C: exit $rc"
no_leftovers

# --- starting at 1x1 --------------------------------------------------------
start tiny 1 1 -- $RUN --hold 0.3 --mode shared
# curses is started (on the alternate screen) at 1x1 before the resize
i=0; until [ "$(tmx display -p -t tiny '#{alternate_on}')" = 1 ] || [ -s "$TMP/rc.tiny" ] || [ $i -ge 300 ]; do
	sleep 0.1; i=$((i + 1))
done
[ "$(tmx display -p -t tiny '#{alternate_on}')" = 1 ] || fail "1x1: curses never started ($(cat "$TMP/rc.tiny" "$TMP/err.tiny" 2>/dev/null))"
tmx resize-window -t tiny -x 90 -y 26
wait_for tiny "shared"
keys tiny q
wait_exit tiny
[ "$rc" = 0 ] || fail "1x1: exit $rc ($(cat "$TMP/err.tiny"))"
no_leftovers

# --- TERM dumb or unknown: one line, exit 4 --------------------------------
start dumb 80 24 TERM=dumb -- $RUN
wait_exit dumb
[ "$rc" = 4 ] || fail "TERM=dumb: exit $rc, expected 4"
[ "$(grep -c '' "$TMP/err.dumb")" = 1 ] || fail "TERM=dumb: not one line: $(cat "$TMP/err.dumb")"
grep -q "TERM=dumb" "$TMP/err.dumb" || fail "TERM=dumb: $(cat "$TMP/err.dumb")"
start unk 80 24 TERM=no-such-terminal-xyz -- $RUN
wait_exit unk
[ "$rc" = 4 ] || fail "unknown TERM: exit $rc, expected 4"
grep -q "unknown terminal type" "$TMP/err.unk" || fail "unknown TERM: $(cat "$TMP/err.unk")"
no_leftovers
echo "ok"
