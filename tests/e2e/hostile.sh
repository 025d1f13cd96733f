#!/bin/bash
# Hostile names and command lines through the whole binary: two --compare
# runs of tests/helpers/hostile.c (processes named with parentheses, a
# newline, ESC/CSI/OSC sequences, DEL, C1 controls, invalid UTF-8) whose
# command lines carry an OSC sequence, a raw C1 byte and invalid UTF-8.
# The recording must be JSON that python3's strict json.load reads, with
# no control character in any string; the summary on stdout must hold no
# control character either (nothing reaches the terminal).
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
: "${HOSTILE:?HOSTILE must name tests/helpers/hostile}"
J="$TMP/r.json"
export TMPDIR="$TMP" # where --compare keeps the commands' output

# the extra words are ignored by hostile; they make the command lines
cmd_a="$HOSTILE 1 a"$'\e]0;owned\a'
cmd_b="$HOSTILE 1 "$'\x9b2J\xff'
run --record "$J" --compare "$cmd_a" "$cmd_b" -i 50
[ "$rc" = 0 ] || fail "exit $rc: $(cat "$TMP/err")"
no_leftovers
$PY - "$J" <<'PYEOF' || fail "the recording"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8", errors="strict"))
def walk(v):
    if isinstance(v, str):
        assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in v), repr(v)
    elif isinstance(v, dict):
        for k, x in v.items():
            walk(k)
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
walk(d)
comms = {p["comm"] for r in d["runs"] for s in r["samples"] for p in s["procs"]}
for want in ("a b) (c", ") S 1 2 3 (", "new?line", "?[31mred", "?]0;own?", "del?",
             "c1?", "raw\ufffd", "bad\ufffd\ufffd", 'q"uote\\', "\u00e9\u4e2d"):
    assert want in comms, (want, sorted(comms))
labels = [r["label"] for r in d["runs"]]
assert "a?]0;owned?" in labels[0] and "\ufffd2J\ufffd" in labels[1], labels
PYEOF
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$TMP/out" "$TMP/err"; then
	fail "a control character reached the terminal: $(cat -v "$TMP/out" "$TMP/err")"
fi
echo ok
