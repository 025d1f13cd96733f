#!/bin/bash
# The headless path under valgrind's memcheck: shmviz, and (through
# --trace-children) every workload parent and worker it starts, must end
# with no error and no leak (definite, indirect or possible): a run of all
# three modes, a run interrupted by SIGTERM in its hold phase, a
# recording to standard output, and exports (of a long recording too). Memory a library keeps for the life of the
# process (libproc2's buffers, the dynamic loader's) is "still reachable":
# reported, not an error; libproc2's own suppression file is used.
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null 2>&1 || skip "valgrind is not installed"
if ldd "$SHMVIZ" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	skip "a sanitizer build: valgrind does not run ASan binaries"
fi
isolate_shm "$@"

F="$PY $SRCDIR/tests/e2e/faults.py"
SUPP=""
[ -r /usr/lib/valgrind/libproc.supp ] && SUPP="--suppressions=/usr/lib/valgrind/libproc.supp"
VG="valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible
	--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99
	--trace-children=yes --track-origins=yes --log-file=$TMP/vg.%p $SUPP"

# check_logs WHAT [KILLED_OK]: every process's log says 0 errors and no
# leak. With KILLED_OK, a workload process's log may end without a summary:
# when a session is interrupted, the tree gets SIGTERM and, after a grace
# that a process slowed down by valgrind can miss, SIGKILL, which valgrind
# cannot outlive. shmviz's own log must always be complete.
check_logs() {
	n=0 killed=0
	for log in "$TMP"/vg.*; do
		[ -e "$log" ] || fail "$1: no valgrind log"
		n=$((n + 1))
		cmd=$(sed -n 's/^==[0-9]*== Command: //p' "$log" | head -n 1)
		if ! grep -q "ERROR SUMMARY:" "$log" && [ -n "${2:-}" ] &&
			[ "${cmd#*shmviz-workload}" != "$cmd" ]; then
			killed=$((killed + 1))
			continue
		fi
		grep -q "ERROR SUMMARY: 0 errors" "$log" ||
			fail "$1: valgrind errors in $cmd: $(cat "$log")"
		if grep -qE "(definitely|indirectly|possibly) lost: [1-9]" "$log"; then
			fail "$1: leak in $cmd: $(cat "$log")"
		fi
	done
	reach=$(grep -h "still reachable:" "$TMP"/vg.* | sed 's/^==[0-9]*== *//' | sort | uniq -c | tr '\n' ';')
	note "$1: $n processes ($killed killed by SIGKILL), 0 errors, no leak; ${reach:-nothing still reachable}"
	rm -f "$TMP"/vg.*
}

# 1. the three modes, recorded to a file
# shellcheck disable=SC2086
$VG "$SHMVIZ" --record "$TMP/r.json" --mode all -w 2 -n 20k --hold 0.2 -i 20 \
	>"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 0 ] || fail "valgrind run: exit $rc: $(cat "$TMP/err") $(cat "$TMP/out")"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert all(r["ok"] for r in d["runs"])' \
	"$TMP/r.json" || fail "valgrind run: the recording"
check_logs "--mode all"
no_leftovers

# 2. interrupted in the hold phase
# shellcheck disable=SC2086
$F run --at proc:shmviz-w+3 --signal TERM --out "$TMP/out" --err "$TMP/err" -- \
	$VG "$SHMVIZ" --record "$TMP/r.json" -w 2 -n 20k --hold 60 -i 20 >"$TMP/launch"
how=$(tail -n 1 "$TMP/launch")
[ "$how" = "exit 143" ] || fail "valgrind, SIGTERM: $how: $(cat "$TMP/err")"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["interrupted"] and d["signal"] == 15' \
	"$TMP/r.json" || fail "valgrind, SIGTERM: the recording"
check_logs "SIGTERM in hold" killed-ok
no_leftovers

# 3. to standard output
# shellcheck disable=SC2086
$VG "$SHMVIZ" --record - --mode shared -w 1 -n 10k --hold 0 >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 0 ] || fail "valgrind --record -: exit $rc: $(cat "$TMP/err")"
check_logs "--record -"
no_leftovers

# 4. exports, of a run as it is recorded and of a recording longer than a
# whole parse takes (read a sample at a time)
# shellcheck disable=SC2086
$VG "$SHMVIZ" --record "$TMP/r.json" --mode shared -w 1 -n 10k --hold 0 \
	--export-csv "$TMP/r.csv" --export-trace "$TMP/r.trace.json" >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 0 ] && [ -s "$TMP/r.csv" ] && [ -s "$TMP/r.trace.json" ] ||
	fail "valgrind, exports: exit $rc: $(cat "$TMP/err")"
check_logs "--record with exports"
$PY "$SRCDIR/tests/helpers/longrec.py" 700 12 1 >"$TMP/long.json" || fail "longrec.py"
[ "$(stat -c %s "$TMP/long.json")" -gt $((4 << 20)) ] || fail "the long recording is not long"
# shellcheck disable=SC2086
$VG "$SHMVIZ" --replay "$TMP/long.json" --export-csv "$TMP/l.csv" --export-trace "$TMP/l.trace.json" \
	>"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 0 ] && [ "$(grep -c '' "$TMP/l.csv")" = $((700 * 12 + 1)) ] ||
	fail "valgrind, long exports: exit $rc: $(cat "$TMP/err")"
check_logs "exports of a long recording"
no_leftovers
echo ok
