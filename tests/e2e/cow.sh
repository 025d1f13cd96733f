#!/bin/bash
# Fork copy-on-write: the parent fills private memory and forks; its
# workers see the table through shared anonymous pages (Shared_Dirty)
# until they write. With --cow-write 0, 50 and 100, ΣShared_Dirty must
# fall and ΣPrivate_Dirty rise, by the amounts the page counts say. Then
# --mode all runs shared, copy and cow in one session.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

W=2
ROWS=1000000
for pct in 0 50 100; do
	run --record "$TMP/cow$pct.json" --mode cow -n $ROWS -w $W --cow-write $pct --hold 0.6 -i 50
	[ "$rc" = 0 ] || fail "--cow-write $pct: exit $rc: $(cat "$TMP/err")"
	grep -q "cow" "$TMP/out" || fail "--cow-write $pct: no summary"
	no_leftovers
done
$PY "$SRCDIR/tests/e2e/check_workloads.py" cow "$TMP/cow0.json" "$TMP/cow50.json" \
	"$TMP/cow100.json" --workers $W --rows $ROWS >&2 || fail "cow checks"
$PY "$SRCDIR/tests/e2e/check_recording.py" "$TMP/cow50.json" --runs cow >&2 ||
	fail "cow recording schema"

# --mode all: shared, copy and cow, one after the other (the cow run's
# workers writing a quarter of the table)
run --record "$TMP/all.json" --mode all -n 2M -w $W --hold 1.2 -i 50 --cow-write 25
[ "$rc" = 0 ] || fail "--mode all: exit $rc: $(cat "$TMP/err")"
grep -q "cow/shared" "$TMP/out" || fail "--mode all: the summary lacks cow/shared: $(cat "$TMP/out")"
no_leftovers
$PY "$SRCDIR/tests/e2e/check_recording.py" "$TMP/all.json" --workers $W --rows 2000000 \
	--runs shared,copy,cow >&2 || fail "--mode all recording"

# --cow-write without a cow run is refused
expect_error 2 "cow-write" --record "$TMP/x.json" --mode both --cow-write 10
echo ok
