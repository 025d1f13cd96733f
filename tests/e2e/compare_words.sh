#!/bin/bash
# --compare results say the same thing everywhere: a run too short to be
# sampled is "not sampled" (n/c in the summary), never a peak of 0; no
# ratio reads 0.0x; the closing caption and the strip name the same
# factor in the same direction ("small 120x faster" in both), in the TUI
# replay and in the plot's description.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
export TMPDIR="$TMP" LANG=C.UTF-8 LC_ALL=C.UTF-8
TOUCH=${TOUCH:?TOUCH must name tests/helpers/touch}

run --record "$TMP/c.json" --compare "$TOUCH 64 0.3" "true" --label big --label small
[ "$rc" = 0 ] || fail "compare: exit $rc: $(cat "$TMP/err")"
no_leftovers
# big: its samples that are one moment; small: 0 when it has no peak at
# all (no sample with a bound: "not sampled"), else 1
read -r nc_big nc_small <<< "$("$PY" -c 'import json, sys; d = json.load(open(sys.argv[1])); r = d["runs"]; print(r[0]["peak"]["consistent_samples"], 0 if r[1]["peak"]["pss_kb"] is None else 1)' "$TMP/c.json")"
note "consistent samples of big: $nc_big; small has a peak: $nc_small"
# touch holds its 64 MiB still for 0.3 s after saying "hold" (a phase
# change is sampled at once): a sample of it is one moment on any machine
[ "$nc_big" -gt 0 ] || fail "big had no consistent sample: its hold was never one moment"
grep -E '^(wall time|CPU time|peak ΣRSS)' "$TMP/out" | grep -q ' 0\.0x' && fail "a ratio reads 0.0x: $(cat "$TMP/out")"
# the ratio column says it as the strip does: small holds far less than
# big's 64 MiB, "N× less", never "0.0043x" (check_summary.py, in record,
# holds the figure to the recording)
# (small may end before any sample of its memory: then its ΣRSS is n/c and
# the ratio -, never 0 KiB and "?")
if [ "$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["runs"][1]["peak"]["rss_sum_kb"] or 0)' "$TMP/c.json")" = 0 ]; then
	grep -Eq '^peak ΣRSS +[0-9.]+ MiB +n/c +-$' "$TMP/out" ||
		fail "small was never sampled, yet its ΣRSS is: $(grep '^peak ΣRSS' "$TMP/out")"
else
	grep -Eq '^peak ΣRSS .* [0-9.]+× less$' "$TMP/out" ||
		fail "the ΣRSS ratio is not in words: $(grep '^peak ΣRSS' "$TMP/out")"
fi
grep -E '^(wall time|CPU time|peak Σ)' "$TMP/out" | grep -Eq ' 0\.[0-9]+x' &&
	fail "a ratio below 1: $(cat "$TMP/out")"
pss_small=$(sed -n 's/^peak ΣPSS *//p' "$TMP/out" | awk -F '  +' '{ print $2 }')
if [ "$nc_small" = 0 ]; then
	[ "$pss_small" = "n/c" ] || fail "small was never sampled, yet the summary says $pss_small"
fi

grep -q '^compute time *- *- ' "$TMP/out" || fail "the summary gives a compute time: $(grep compute "$TMP/out")"

"$PY" "$SRCDIR/tests/e2e/check_summary.py" "$TMP/out" "$TMP/c.json" >&2 ||
	fail "the summary against the recording"

# and said in words where both were sampled: a 1 MiB hold beside 64 MiB
run --record "$TMP/w.json" --compare "$TOUCH 64 0.3" "$TOUCH 1 0.3" --label big --label small
[ "$rc" = 0 ] || fail "compare of two holds: exit $rc: $(cat "$TMP/err")"
grep -Eq '^peak ΣRSS .* [0-9.]+× less$' "$TMP/out" ||
	fail "the ΣRSS ratio is not in words: $(grep '^peak ΣRSS' "$TMP/out")"
"$PY" "$SRCDIR/tests/e2e/check_summary.py" "$TMP/out" "$TMP/w.json" >&2 ||
	fail "the summary of two holds against the recording"

# the plot's description carries the comparison line of the strip
run --plot "$TMP/c.json" -o "$TMP/c.svg"
[ "$rc" = 0 ] || fail "--plot: exit $rc: $(cat "$TMP/err")"
desc=$(sed -n 's/.*<desc>\(.*\)<\/desc>.*/\1/p' "$TMP/c.svg")
[ -n "$desc" ] || fail "no description in the SVG"
echo "$desc" | grep -q 'peak 0 KiB' && fail "the plot says peak 0 KiB: $desc"
# a command without a compute phase: "-" there, as in the summary
echo "$desc" | grep -q 'big: wall [^·]* · compute - · CPU' || fail "the plot gives big a compute time: $desc"
echo "$desc" | grep -q 'compute 0 us' && fail "the plot says compute 0 us: $desc"
if [ "$nc_small" = 0 ]; then
	echo "$desc" | grep -q 'small [^,]*, peak not sampled' || fail "the plot does not say small was not sampled: $desc"
fi

# the replay's end: strip and caption, same factor, same direction
start p 120 32 -- --replay "$TMP/c.json"
keys p End
# the end's strip and caption (the first screen has a caption too: "›
# big has not started yet", so "› " alone would not wait for End)
wait_for p '^ big .* — small '
wait_for p 'big against small'
strip=$(grep -E '^ big .* — small ' "$TMP/screen" || true)
[ -n "$strip" ] || fail "no comparison strip: $(cat "$TMP/screen")"
cap=$(sed -n '/› /,/^ *[▶⏸]/p' "$TMP/screen" | grep -v '[▶⏸]' | tr -s ' \n' ' ')
factor=$(echo "$strip" | grep -Eo 'big ([0-9.]+× (faster|slower)|as fast)')
[ -n "$factor" ] || fail "no factor in the strip: $strip"
echo "$cap" | grep -qF "big against small: ${factor#big }" || fail "the caption ($cap) does not say what the strip says ($factor)"
echo "$cap" | grep -q '0\.0×' && fail "the caption says 0.0×: $cap"
if [ "$nc_small" = 0 ]; then
	echo "$strip" | grep -q 'peak not sampled' || fail "the strip does not say not sampled: $strip"
	echo "$cap" | grep -q 'not sampled' || fail "the caption does not say not sampled: $cap"
fi
note "strip: $strip"
note "caption: $cap"
keys p q
wait_exit p
[ "$rc" = 0 ] || fail "replay: exit $rc"
no_leftovers
echo "ok: not sampled, never 0; strip and caption agree"
