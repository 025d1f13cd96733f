#!/bin/bash
# The small things of a lecture: + and - walk the interval ladder (10, 20,
# 50, 100, 200, 500 ms, 1, 2, 5, 10 s) both ways, so 100 ms is reached
# again; the footer names the interval; one worker is "1 worker"; the
# help overlay explains every column heading the table shows at the
# current width and lists every key of the mode; a bad caption file exits
# with the status docs/captions.md states; -o out.PNG is a PNG.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

footer() { screen_of "$1" | tail -1; }

# --- the ladder, live, with one worker ---------------------------------
start L 100 32 -- -w 1 -n 100k --hold 30 --mode shared
wait_for L "interval 100 ms"
footer L | grep -Eq '\+/- interval 100 ms' || fail "footer: $(footer L)"
grep -q "1 workers" "$TMP/screen" && fail "'1 workers' on the screen: $(grep -m1 '1 workers' "$TMP/screen")"
grep -q "1 worker" "$TMP/screen" || fail "no '1 worker' on the screen: $(head -3 "$TMP/screen")"
step() { # KEY WANT
	keys L "$1"
	keys_settle L
	footer L | grep -q "interval $2" || fail "after $1: want interval $2, footer: $(footer L)"
}
step - "200 ms"
step + "100 ms"
step + "50 ms"
step + "20 ms"
step + "10 ms"
step + "10 ms"
step - "20 ms"
step - "50 ms"
step - "100 ms"
step - "200 ms"
step - "500 ms"
step - "1 s"
step - "2 s"
step - "5 s"
step - "10 s"
step - "10 s"
keys L q
wait_exit L
[ "$rc" = 0 ] || fail "live: exit $rc: $(cat "$TMP/err.L")"
no_leftovers

# --- help: every column heading shown, every key of the mode -----------
run --record "$TMP/r.json" -w 2 -n 200k --hold 0.2
[ "$rc" = 0 ] || fail "recording: exit $rc: $(cat "$TMP/err")"
no_leftovers
for width in 80 120 200; do
	name=h$width
	start "$name" "$width" 32 -- --replay "$TMP/r.json"
	keys "$name" End
	wait_for "$name" "⏸ "
	wait_for "$name" "PID"
	heads=$(screen_of "$name" | grep -m1 'PID' | sed 's/[│╭╮]/ /g' | tr -s ' ' '\n' | grep -v '^$' | sort -u)
	[ -n "$heads" ] || fail "$width: no table header"
	keys "$name" '?'
	wait_for "$name" "keys"
	screen_of "$name" > "$TMP/help.$width"
	for h in $heads; do
		grep -Eq "│ +$h  [a-zA-Z]" "$TMP/help.$width" ||
			fail "$width columns: heading $h shown but not explained in the help: $(cat "$TMP/help.$width")"
	done
	# every explanation whole (wrapped, never cut), as ui/layout.c gives it
	"$PY" - "$SRCDIR/ui/layout.c" "$TMP/help.$width" $heads <<'PYEOF' || fail "$width columns: an explanation is cut in the help: $(cat "$TMP/help.$width")"
import re, sys
src = open(sys.argv[1]).read()
table = src[src.index("table_columns[TCOL_COUNT]"):]
explain = {}
for long_h, short_h, e in re.findall(r'\[TCOL_\w+\] = \{ "([^"]*)", "([^"]*)",\s*"([^"]*)"', table):
    explain[long_h] = explain[short_h] = e
lines = open(sys.argv[2]).read().split("\n")
top = next(i for i, l in enumerate(lines) if "keys " in l and "╭" in l)
x0 = lines[top].index("╭─ shmviz")
x1 = lines[top].index("╮", x0)
rows = []
for l in lines[top + 1:]:
    if l[x0:x0 + 1] == "╰":
        break
    rows.append(l[x0 + 1:x1].strip())
text = re.sub(r"\s+", " ", " ".join(rows))
heads = [h for h in sys.argv[3:] if h in explain]
missing = [explain[h] for h in heads if explain[h] not in text]
assert heads and not missing, (missing, text)
PYEOF
	for k in "q" "space" "left/right" "S-left/right" "< / >" "also , and ." "Home / End" "also g and G" "m" "l" "Ctrl-L" "?"; do
		grep -qF "$k" "$TMP/help.$width" || fail "$width: key '$k' of the replay is not in the help"
	done
	note "$width columns: help explains $(echo $heads)"
	keys "$name" q
	wait_exit "$name"
	[ "$rc" = 0 ] || fail "$name: exit $rc"
done
# the live help lists the keys of a live run
start H 100 32 -- -w 1 -n 100k --hold 5 --mode shared
wait_for H "interval"
keys H '?'
wait_for H "keys"
for k in "q" "space" "r" "m" "+ / -" "l" "Ctrl-L" "?" "10 20 50 100 200 500 ms"; do
	grep -qF "$k" "$TMP/screen" || fail "live: key '$k' is not in the help: $(cat "$TMP/screen")"
done
keys H q
keys H q
wait_exit H
no_leftovers

# --- the documented exit status of a bad caption file ------------------
printf 'shared hold: {sise}\n' > "$TMP/bad.txt"
run --replay "$TMP/r.json" --captions "$TMP/bad.txt"
want=$(grep -o 'unknown placeholder {sise}` (exit [0-9]' "$SRCDIR/docs/captions.md" | grep -o '[0-9]$')
[ -n "$want" ] || fail "docs/captions.md states no exit status for a bad caption file"
[ "$rc" = "$want" ] || fail "a bad caption file: exit $rc, docs/captions.md says $want"

# --- -o with the extension in capitals ----------------------------------
run --plot "$TMP/r.json" -o "$TMP/out.PNG"
[ "$rc" = 0 ] || fail "-o out.PNG: exit $rc: $(cat "$TMP/err")"
head -c 4 "$TMP/out.PNG" | grep -q PNG || fail "out.PNG is no PNG"
no_leftovers
echo "ok: ladder, 1 worker, help columns and keys, documented exit, .PNG"
