#!/bin/bash
# One convention for sizes: binary, with the unit written (KiB, MiB, GiB).
# No decimal unit (MB, GB, kB) in the README, the docs, the man page,
# --help or the caption file; every size the summary, the captions and
# the plot's description print ends in iB; the header's size of the table
# is the rows times 24 bytes in MiB.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export LANG=C.UTF-8 LC_ALL=C.UTF-8

"$SHMVIZ" --help > "$TMP/help" || fail "--help failed"
for f in "$SRCDIR/README.md" "$SRCDIR"/docs/*.md "$SRCDIR/assets/shmviz.1" "$SRCDIR/assets/captions.txt" "$TMP/help"; do
	bad=$(grep -nwE '[0-9.]+ ?(kB|KB|MB|GB|TB)|(kB|KB|MB|GB|TB)' "$f" | grep -v 'fuzz' || true)
	[ -z "$bad" ] || fail "a decimal unit in $(basename "$f"): $bad"
done

ROWS=1000000
run --record "$TMP/r.json" -w 2 -n 1M --hold 0.2
[ "$rc" = 0 ] || fail "record: exit $rc: $(cat "$TMP/err")"
no_leftovers
# every "<number> <unit>" of the summary is a binary unit
sizes=$(grep -oE '[0-9.]+ ?[KMGTkP]i?B\b' "$TMP/out" | sort -u)
[ -n "$sizes" ] || fail "no sizes in the summary: $(cat "$TMP/out")"
echo "$sizes" | grep -vE 'iB$' && fail "a size without a binary unit in the summary: $(echo "$sizes" | grep -vE 'iB$')"
want=$("$PY" -c "print('%.0f' % ($ROWS * 24 / 1048576))")
head -1 "$TMP/out" | grep -q "($want MiB)" || fail "the header does not give $ROWS rows as $want MiB: $(head -1 "$TMP/out")"

# the captions (expanded by the TUI, shown in the plot's description too)
run --plot "$TMP/r.json" -o "$TMP/p.svg"
[ "$rc" = 0 ] || fail "plot: exit $rc"
desc=$(sed -n 's/.*<desc>\(.*\)<\/desc>.*/\1/p' "$TMP/p.svg")
dsizes=$(echo "$desc" | grep -oE '[0-9.]+ ?[KMGTkP]i?B\b' | sort -u)
[ -n "$dsizes" ] || fail "no sizes in the plot's description: $desc"
echo "$dsizes" | grep -vE 'iB$' && fail "a size without a binary unit in the plot: $desc"
note "summary sizes: $(echo $sizes); plot: $(echo $dsizes)"
echo "ok: binary units everywhere"
