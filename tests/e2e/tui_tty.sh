#!/bin/bash
# The TUI's screen is shmviz's own:
# 1. a --compare program cannot write to the terminal: it runs in a session
#    of its own, without a controlling terminal (/dev/tty: ENXIO);
# 2. whatever wrote behind ncurses' back is painted over when a run ends;
# 3. and at once on Ctrl-L;
# 4. wide (CJK) characters take two columns: the borders stay in place.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TMPDIR="$TMP"

# 1. a program that writes to /dev/tty, and sets the window title
start c 100 30 TMPDIR="$TMP" -- --compare \
	"'sh -c \"printf \\\"\\\\033]2;PWNED\\\\007SCRIBBLE\\\" > /dev/tty; sleep 3\"'" true -i 50
wait_for c "A · "
# the moment: the program's attempt is over once its log says it failed
# (no terminal); whatever it could have written came before that line
i=0; until grep -q "/dev/tty" "$TMP"/shmviz-log-*/A.log 2>/dev/null || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
log=$(ls "$TMP"/shmviz-log-*/A.log)
grep -q "/dev/tty" "$log" || fail "the program could open /dev/tty: its log: $(cat "$log")"
keys_settle c   # and every frame drawn since is on the screen
screen_of c | grep -q SCRIBBLE && fail "a run wrote to shmviz's terminal: $(screen_of c)"
[ "$(tmx display -p -t c '#{pane_title}')" != PWNED ] || fail "a run set the window title"

# 2. scribbled over from outside during run A: repainted when it ends
tty=$(tmx display -p -t c '#{pane_tty}')
printf '\033[2J\033[HSCRIBBLE' > "$tty"
wait_for c "SCRIBBLE"
wait_for c "A [0-9.]+ m?s"   # the comparison strip: both runs ended
keys_settle c   # the frames of the runs' end are drawn
screen_of c > "$TMP/screen"
grep -q SCRIBBLE "$TMP/screen" && fail "not repainted after the runs ended: $(cat "$TMP/screen")"
grep -q "shmviz · " "$TMP/screen" || fail "no title line after the runs ended: $(cat "$TMP/screen")"

# 3. Ctrl-L while idle
printf '\033[2J\033[HSCRIBBLE2' > "$tty"
wait_for c "SCRIBBLE2"   # written after the erase, in one write
screen_of c | grep -q "shmviz · " && fail "the scribble did not wipe the screen: nothing to test"
keys c C-l
wait_for c "shmviz · "
screen_of c | grep -q SCRIBBLE2 && fail "Ctrl-L did not repaint the whole screen: $(screen_of c)"
keys c q
wait_exit c
[ "$rc" = 0 ] && [ "$restored" = restored ] || fail "exit $rc, terminal $restored"
no_leftovers

# 4. wide characters (CJK: two columns each) in a label and a command keep
#    every line within the screen and the panes' corners in place
start w 100 30 -- --compare "'sh -c \"sleep 1\" 日本語日本語日本語日本語日本語日本語日本語'" true \
	--label 日本語日本語日
wait_for w "B · true"
wait_for w "done in"
screen_of w > "$TMP/screen"
$PY - "$TMP/screen" <<'PY' || fail "wide characters broke the layout: $(cat "$TMP/screen")"
import sys, unicodedata
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
bad = [l for l in lines if cols(l) > 100]
assert not bad, f"lines wider than the screen: {bad}"
top = next(l for l in lines if "日本語" in l and "╭" in l)
assert cols(top) == 100 and top.endswith("╮"), f"the top border: {top!r} ({cols(top)} columns)"
left = top[:top.index("╮") + 1]
assert cols(left) == 50, f"the left pane's corner at column {cols(left)}, not 50: {top!r}"
PY
keys w q
wait_exit w
no_leftovers
echo ok
