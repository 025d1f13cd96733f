#!/bin/bash
# --theme: the colours on the screen are the theme table's (printed by the
# unit test test_palette, which checks each role's contrast), on the
# theme's own background; auto follows COLORFGBG; --plot draws the same
# roles, light unless --theme dark.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"

export LANG=C.UTF-8 LC_ALL=C.UTF-8
PALETTE=${PALETTE:?PALETTE must name test_palette}
"$PALETTE" > "$TMP/table" || fail "test_palette failed: $(cat "$TMP/table")"
# fg/bg of a role: role THEME NAME -> "FG BG"
role() { awk -v t="$1" -v r="$2" '$1 == t && $2 == r { print $3, $5 }' "$TMP/table"; }
fgs() { awk -v t="$1" '$1 == t { print $3 }' "$TMP/table" | sort -u; }
bgs() { awk -v t="$1" '$1 == t { print $5 }' "$TMP/table" | sort -u; }
[ "$(role light normal)" != "" ] && [ "$(role dark normal)" != "" ] ||
	fail "no theme table from test_palette: $(cat "$TMP/table")"

run --record "$TMP/r.json" -w 2 -n 200k -i 50 --hold 0.3
[ "$rc" = 0 ] || fail "recording: exit $rc: $(cat "$TMP/err")"
no_leftovers

# check THEME NAME: the screen of NAME uses only THEME's colours, its
# background under the title, its caption colour on the caption line
check() {
	theme=$1 name=$2
	read -r nfg nbg <<< "$(role "$theme" normal)"
	read -r cfg _ <<< "$(role "$theme" caption)"
	screen_esc "$name" > "$TMP/esc.$name"
	grep -Eo $'\e\\[38;5;[0-9]+m' "$TMP/esc.$name" | grep -Eo '[0-9]+m' | tr -d m | sort -u > "$TMP/fg.$name"
	grep -Eo $'\e\\[48;5;[0-9]+m' "$TMP/esc.$name" | grep -Eo '[0-9]+m' | tr -d m | sort -u > "$TMP/bg.$name"
	[ -s "$TMP/fg.$name" ] || fail "$name: no 256-colour foreground on the screen"
	extra=$(comm -23 "$TMP/fg.$name" <(fgs "$theme"))
	[ -z "$extra" ] || fail "$name ($theme): foreground colours not in the $theme theme: $extra"
	# graph cells put one role's colour under another's: backgrounds are
	# the theme's background, a role's own, or a role's foreground
	extra=$(comm -23 "$TMP/bg.$name" <( (bgs "$theme"; fgs "$theme") | sort -u))
	[ -z "$extra" ] || fail "$name ($theme): background colours not in the $theme theme: $extra"
	head -1 "$TMP/esc.$name" | grep -q $'\e\\[48;5;'"$nbg"'m' ||
		fail "$name ($theme): the title line is not on the theme's background $nbg"
	grep -F '›' "$TMP/esc.$name" | grep -q $'\e\\[38;5;'"$cfg"'m' ||
		fail "$name ($theme): the caption is not in colour $cfg: $(grep -F ' › ' "$TMP/esc.$name" | cat -v)"
	roles "$theme" "$TMP/esc.$name" || fail "$name ($theme): a role in another role's colour"
	note "$name: $theme, $(wc -l < "$TMP/fg.$name") foreground colours, background $nbg"
}

# roles THEME ESC: each element of the screen in its role's colours, as
# the theme table gives them (ui/theme.c draws each with its role's pair)
roles() {
	"$PY" -c '
import os, sys
sys.path.insert(0, os.environ["SRCDIR"] + "/tests/e2e")
from screen_cells import cells, find, theme_pairs
table, theme, esc = sys.argv[1:]
pair = theme_pairs(table, theme)
L = cells(open(esc).read())
bad = []
def want(what, where, role, bg=True):
    if not where:
        bad.append(f"{what}: not on the screen")
        return
    r, c = where
    ch, fg, b = L[r][c]
    f0, b0 = pair[role]
    if fg != f0 or (bg and b != b0):
        bad.append(f"{what} ({ch!r} at {r},{c}): {fg} on {b}, the {role} role is {f0} on {b0}")
def first(text, k=0, start=0):
    f = find(L, text, start)
    return (f[0][0], f[0][1] + k) if f else None
want("the title", first("shmviz"), "title")
want("the title line", first("·"), "normal")
want("a box corner", first("╭"), "border")
want("a run name", first("╭─ ", 3), "heading")
want("a finished run", first("done in"), "ok")
want("the y axis", first("┤", -1), "dim")
want("the phase label", first("phase"), "dim")
# the hold in the phase row (its length is left out where the pane is narrow)
ph = first("phase")
want("the hold phase", first("hold", 0, ph[0]) if ph else None, "phase-hold")
leg = first(" hold: private")
want("the legend: private", leg and (leg[0], leg[1] - 1), "private")
want("the legend: shared", first("█ shared", 0, leg[0] if leg else 0), "shared")
want("the legend: ΣRSS line", first(" ΣRSS", -1), "line")
want("the table heading", first("PID ROLE"), "heading")
want("the caption", first("›"), "caption")
want("the status line (paused)", first("⏸"), "paused")
want("a key", first(" quit", -1), "key")
for b in bad:
    print("role:", b)
sys.exit(1 if bad else 0)
' "$TMP/table" "$1" "$2"
}

# show NAME THEME [ENV=VALUE...] -- ARGS: the replay's last frame under
# THEME's colours, then q
show() {
	name=$1 theme=$2
	shift 2
	start "$name" 100 32 TERM=screen-256color "$@" --replay "$TMP/r.json"
	keys "$name" End
	wait_for "$name" " › "
	check "$theme" "$name"
	keys "$name" q
	wait_exit "$name"
	[ "$rc" = 0 ] || fail "$name: exit $rc"
	[ "$restored" = restored ] || fail "$name: terminal modes not restored"
}
show s1 light -- --theme light
show s2 dark -- --theme dark
show s3 light "COLORFGBG='0;15'" --
show s4 dark "COLORFGBG='15;0'" --
show s5 dark COLORFGBG= --
show s6 light "COLORFGBG='0;default;15'" -- --theme auto

# the phase bar: neighbouring phases in the two phase roles by turns,
# hold in its own (a command that says three phases of 0.4 s, then holds)
run --record "$TMP/ph.json" -i 50 -- sh -c 'for p in p1 p2 p3 hold; do echo "phase $p" >&3; sleep 0.4; done'
[ "$rc" = 0 ] || fail "phases: exit $rc: $(cat "$TMP/err")"
for theme in dark light; do
	start "ph$theme" 100 32 TERM=screen-256color -- --theme "$theme" --replay "$TMP/ph.json"
	keys "ph$theme" End
	wait_for "ph$theme" "p1.*p2.*p3"
	screen_esc "ph$theme" > "$TMP/esc.ph$theme"
	"$PY" - "$TMP/table" "$theme" "$TMP/esc.ph$theme" <<'PYEOF' || fail "$theme: the phase bar's colours"
import os, sys
sys.path.insert(0, os.environ["SRCDIR"] + "/tests/e2e")
from screen_cells import cells, find, theme_pairs
table, theme, esc = sys.argv[1:]
pair = theme_pairs(table, theme)
L = cells(open(esc).read())
# the bar's row: its label "phase" at the pane's left edge (the command
# line in the title says "phase" too)
row = [f for f in find(L, "phase") if f[1] <= 2][0][0]
def at(name):
    r, c = [f for f in find(L, name, row) if f[0] == row][0]
    return L[r][c][1:]
got = [at(n) for n in ("p1", "p2", "p3")]
ab = {pair["phase-a"], pair["phase-b"]}
assert all(g in ab for g in got), (got, ab)
assert got[0] != got[1] and got[1] != got[2], ("neighbours alike", got)
hold = [f for f in find(L, "hold", row) if f[0] == row]
assert not hold or L[hold[0][0]][hold[0][1]][1:] == pair["phase-hold"], (L[hold[0][0]][hold[0][1]], pair["phase-hold"])
print("# phases:", got, "hold", pair["phase-hold"], file=sys.stderr)
PYEOF
	keys "ph$theme" q
	wait_exit "ph$theme"
done

# 8 colours (README: the terminal's own, no yellow text on light): the
# light screen has no yellow or cyan text, the dark one draws its ΣRSS line
# in yellow (so the check sees the codes)
for theme in dark light; do
	start "e$theme" 100 32 TERM=screen -- --theme "$theme" --replay "$TMP/r.json"
	keys "e$theme" End
	wait_for "e$theme" " › "
	screen_esc "e$theme" > "$TMP/esc.e$theme"
	keys "e$theme" q
	wait_exit "e$theme"
	# foreground colours set, as SGR parameters 30-37 (one a line)
	grep -Eo $'\e\\[[0-9;]*m' "$TMP/esc.e$theme" | tr -d 'm\033[' | tr ';' '\n' |
		grep -Ex '3[0-7]' | sort -u > "$TMP/fg8.$theme"
	[ -s "$TMP/fg8.$theme" ] || fail "$theme, 8 colours: no colour on the screen: $(cat -v "$TMP/esc.e$theme" | head -3)"
done
grep -qx 33 "$TMP/fg8.dark" || fail "8 colours, dark: no yellow text (the ΣRSS line): $(tr '\n' ' ' < "$TMP/fg8.dark")"
grep -Eqx '3[36]' "$TMP/fg8.light" && fail "8 colours, light: yellow or cyan text: $(tr '\n' ' ' < "$TMP/fg8.light")"

# the old tones, 1.4-1.7:1 on white, are gone from the light screen
for old in 220 151 81; do
	grep -qx "$old" "$TMP/fg.s1" && fail "light: colour $old (about 1.5:1 on white) still on the screen"
done

# --plot: the same roles; the SVG fills name them (cairo writes percentages)
pct() { # xterm index -> cairo's "rgb(R%,G%,B%)" prefix of the red channel
	"$PY" - "$1" <<'PY'
import sys
i = int(sys.argv[1])
if i >= 232:
    r = g = b = 8 + 10 * (i - 232)
else:
    lv = [0, 95, 135, 175, 215, 255]; i -= 16
    r, g, b = lv[i // 36], lv[(i // 6) % 6], lv[i % 6]
fmt = lambda v: ("%f" % (v * 100 / 255)).rstrip("0").rstrip(".") + "%"
print("rgb(%s,%s,%s)" % (fmt(r), fmt(g), fmt(b)))
PY
}
for theme in light dark; do
	if [ "$theme" = light ]; then targs=(); else targs=(--theme dark); fi
	run --plot "$TMP/r.json" -o "$TMP/p-$theme.svg" "${targs[@]}"
	[ "$rc" = 0 ] || fail "--plot $theme: exit $rc: $(cat "$TMP/err")"
	for r in normal shared private line; do
		read -r fg bg <<< "$(role "$theme" "$r")"
		grep -qF "$(pct "$fg")" "$TMP/p-$theme.svg" ||
			fail "--plot $theme: no $r colour $fg ($(pct "$fg")) in the picture"
	done
	grep -qF "fill:$(pct "$bg")" "$TMP/p-$theme.svg" || grep -qF "fill:$(pct "$bg");" "$TMP/p-$theme.svg" ||
		fail "--plot $theme: no background $bg ($(pct "$bg"))"
done
no_leftovers
echo "ok: both themes on screen and in --plot"
