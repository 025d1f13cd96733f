#!/bin/bash
# --mode all at 80x24 (and 120x30): every run's verdict against the first
# is on the screen, whole, with the factors and directions the recording
# gives (wall time and peak ΣPSS ratios, as fmt_ratio prints them); the
# pane titles of done runs all use one form ("done in" in all or none)
# and none is cut with an ellipsis. Live and in a replay.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

run --record "$TMP/r.json" --mode all -w 2 -n 1M --hold 0.2
[ "$rc" = 0 ] || fail "record: exit $rc: $(cat "$TMP/err")"
no_leftovers
# "copy 1.4× slower" and "2.9× more", as the screen must say them
"$PY" - "$TMP/r.json" > "$TMP/want" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
runs = d["runs"]
def ratio(r):
    if r < 0.095:
        return "%.2g×" % r
    return ("%.1f×" if r < 10 else "%.0f×") % r
a = runs[0]
# each later run against the first: as "vs shared: copy 1.4× slower, 2.9×
# more mem", as "cow 0.14 s, peak 24 MiB: 2.0× faster than shared, as much
# memory", or for the second run in the first run's words ("shared 1.4×
# faster, 2.9× less memory"); one extended regex a line
for i, b in enumerate(runs[1:]):
    s = b["result"]["wall_s"] / a["result"]["wall_s"]
    rs = ratio(s if s >= 1 else 1 / s)
    pa, pb = a["peak"]["pss_kb"], b["peak"]["pss_kb"]
    m = pb / pa
    rm = ratio(m if m >= 1 else 1 / m)
    def words(slower, more):
        mem = "as much mem" if rm == "1.0×" else "%s %s mem" % (rm, "more" if more else "less")
        # a factor that reads 1.0 is "as fast" (as "as much" memory)
        speed = "as fast" if rs == "1.0×" else "%s %s" % (rs, "slower" if slower else "faster")
        return "%s[^,·]*, %s" % (speed, mem)
    forms = ["%s [^·]*%s" % (b["name"], words(s >= 1, m >= 1))]
    if i == 0:
        forms.append("%s %s" % (a["name"], words(s < 1, m < 1)))
    print("(" + "|".join(forms) + ")")
PY
[ "$(wc -l < "$TMP/want")" = 2 ] || fail "no verdicts from the recording: $(cat "$TMP/want")"

check() { # NAME COLS: the screen of NAME, all runs done
	nm=$1 cols=$2
	screen_of "$nm" > "$TMP/s.$nm"
	strip=$(grep -B1 -m1 '^ › ' "$TMP/s.$nm" | head -1)
	[ -n "$strip" ] || fail "$nm: no strip above the caption: $(cat "$TMP/s.$nm")"
	while read -r re; do
		echo "$strip" | grep -Eq "$re" || fail "$nm ($cols cols): no verdict $re in the strip: $strip"
	done < "$TMP/want"
	echo "$strip" | grep -q '·$' && fail "$nm ($cols cols): the strip ends cut: $strip"
	titles=$(grep -E '^╭' "$TMP/s.$nm")
	echo "$titles" | grep -q '…' && fail "$nm ($cols cols): a title is cut: $titles"
	n_in=$(echo "$titles" | grep -o 'done in' | wc -l)
	[ "$n_in" = 0 ] || [ "$n_in" = 3 ] || fail "$nm ($cols cols): $n_in of 3 titles say 'done in': $titles"
	[ "$(echo "$titles" | grep -Eo '[0-9.]+ (s|ms)' | wc -l)" = 3 ] || fail "$nm ($cols cols): not every title gives its time: $titles"
	# one form of the legend in every pane (the overcount named in all or
	# none), and every pane's time axis alike to the column
	"$PY" - "$TMP/s.$nm" <<'PYEOF' || fail "$nm ($cols cols): the panes differ: $(cat "$TMP/s.$nm")"
import re, sys
lines = open(sys.argv[1]).read().split("\n")
axis = next(l for l in lines if "└" in l)
starts = [m.start() for m in re.finditer("└", axis)]
assert len(starts) == 3, axis
# each pane's axis from its corner to its border
axes = [axis[s:axis.index("│", s)] for s in starts]
assert len(set(axes)) == 1, axes
legend = next(l for l in lines if "RSS" in l and ("⠒" in l or " - " in l))
parts = [p for p in re.split(r"│+", legend) if "RSS" in p]
assert len(parts) == 3, legend
forms = set("too much" in p and 0 or "overcount" in p and 1 or ", +" in p and 2 or 3 for p in parts)
assert len(forms) == 1, parts
print("legend form", forms, "axis", axes[0])
PYEOF
	note "$nm $cols: $strip"
}

start R 80 24 -- --replay "$TMP/r.json"
keys R End
wait_for R "⏸ "
wait_for R " › "
check R 80
tmx resize-window -t R -x 120 -y 30
keys R l   # handled after the new size: curses reports it first
wait_for R "captions off"
keys R l
wait_for R " › "
check R 120
keys R q
wait_exit R

# live, at 80x24: the same rules on the verdicts of this run
start L 80 24 -- --mode all -w 2 -n 1M --hold 0.2
wait_for L "vs shared|— copy"
wait_for L " › "
screen_of L > "$TMP/s.L"
strip=$(grep -B1 -m1 '^ › ' "$TMP/s.L" | head -1)
for run in copy cow; do
	echo "$strip" | grep -Eq "$run ([0-9.]+× (slower|faster)|as fast), ([0-9.]+× (more|less)|as much) mem" ||
		fail "live 80x24: no whole verdict of $run: $strip"
done
titles=$(grep -E '^╭' "$TMP/s.L")
echo "$titles" | grep -q '…' && fail "live: a title is cut: $titles"
keys L q
wait_exit L
[ "$rc" = 0 ] || fail "live: exit $rc"
no_leftovers
echo "ok: every verdict readable"
