#!/bin/bash
# Headless progress: with stderr on a pseudo-terminal, one line rewritten
# in place (\r, erase) naming each run and each of its phases as the
# recording has them, the done line with the peak ΣPSS the summary shows,
# and the line cleared at the end; with stderr a pipe, nothing on it.
# The summary's header comes at the start on a pipe (before the first
# run's hold has passed); -q prints nothing at all. Also with a CPU hog
# on every core.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

export LANG=C.UTF-8 LC_ALL=C.UTF-8
HOLD=1

# pty_run OUT ERR ARGS...: shmviz with stderr on a pseudo-terminal (its
# bytes into ERR), stdout into OUT; sets rc
pty_run() {
	out=$1 err=$2
	shift 2
	"$PY" "$SRCDIR/tests/helpers/pty_run.py" "$out" "$err" - - - "$SHMVIZ" "$@"
	rc=$?
}

check_pty() { # LABEL JSON OUT ERR
	label=$1 json=$2 out=$3 err=$4
	[ "$rc" = 0 ] || fail "$label: exit $rc: $(cat -v "$err")"
	# every line drawn starts with \r and an erase; the last bytes clear it
	grep -q $'\r\e\\[Kshmviz: run 1/2 shared' "$err" || fail "$label: no progress line for the shared run: $(cat -v "$err" | head -c 600)"
	tail -c 4 "$err" | cmp -s - <(printf '\r\e[K') || fail "$label: the progress line is not cleared at the end: $(tail -c 80 "$err" | cat -v)"
	tr '\r' '\n' < "$err" | sed 's/^\x1b\[K//' | grep -v '^$' > "$TMP/lines"
	# each run's phases, in the order the recording has them
	"$PY" - "$json" > "$TMP/phases" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for i, r in enumerate(d["runs"]):
    for p in r["phases"]:
        print(i + 1, len(d["runs"]), r["name"], p["name"])
PY
	[ -s "$TMP/phases" ] || fail "$label: no phases in the recording"
	while read -r i n name phase; do
		grep -qF "shmviz: run $i/$n $name · $phase · " "$TMP/lines" ||
			fail "$label: no progress line for phase $phase of $name: $(cat "$TMP/lines")"
	done < "$TMP/phases"
	# the done line's peak is the summary's peak ΣPSS
	for name in shared copy; do
		want=$(awk -v n="$name" '
			/^ / && !cols { for (i = 1; i <= NF; i++) col[$i] = i; cols = 1 }
			/^peak ΣPSS/ { sub(/^peak ΣPSS +/, ""); split($0, c, /  +/); print c[col[n]] }' "$out")
		[ -n "$want" ] || fail "$label: no peak ΣPSS of $name in the summary: $(cat "$out")"
		grep -qF "$name · done · " "$TMP/lines" || fail "$label: no done line of $name"
		# a range ("≥ 27 MiB (≤ 33 MiB)") is its lower end in the table
		got=$(grep -F "$name · done · " "$TMP/lines" | tail -1 | sed 's/.*peak ΣPSS //; s/^≥ \([0-9.]* [KMGT]*i*B\) (≤ [^)]*)$/≥\1/')
		[ "$got" = "$want" ] || fail "$label: the done line of $name says $got, the summary $want"
	done
	note "$label: $(wc -l < "$TMP/lines") progress lines, $(wc -l < "$TMP/phases") phases"
}

# 1. stderr on a pseudo-terminal, stdout a file
pty_run "$TMP/out1" "$TMP/err1" --record "$TMP/r1.json" -w 2 -n 1M --hold "$HOLD"
check_pty "pty" "$TMP/r1.json" "$TMP/out1" "$TMP/err1"
head -1 "$TMP/out1" | grep -q '^shmviz .*: native workload, 2 workers' || fail "no header line: $(head -2 "$TMP/out1")"
grep -q '^peak ΣPSS' "$TMP/out1" || fail "no summary table: $(cat "$TMP/out1")"
no_leftovers

# 2. stderr a pipe: nothing on it
"$SHMVIZ" --record "$TMP/r2.json" -w 2 -n 1M --hold 0 > "$TMP/out2" 2> >(cat > "$TMP/err2") < /dev/null
rc=$?
wait
[ "$rc" = 0 ] || fail "pipe: exit $rc"
[ ! -s "$TMP/err2" ] || fail "pipe: something on stderr: $(cat -v "$TMP/err2")"
grep -q '^peak ΣPSS' "$TMP/out2" || fail "pipe: no summary"
no_leftovers

# 3. stdout a pipe: the header arrives before the runs' holds have passed
# (each run holds HOLD seconds after its compute, so the whole session
# lasts at least 2 * HOLD after the header, whatever the machine's speed)
"$SHMVIZ" --record "$TMP/r3.json" -w 2 -n 1M --hold "$HOLD" 2>/dev/null < /dev/null |
	{ IFS= read -r first; date +%s.%N > "$TMP/t_first"; printf '%s\n' "$first" > "$TMP/first"; cat > "$TMP/rest"; date +%s.%N > "$TMP/t_end"; }
grep -q '^shmviz .*: native workload' "$TMP/first" || fail "stdout pipe: the first line is not the header: $(cat "$TMP/first")"
grep -q '^shmviz .*: native workload' "$TMP/rest" && fail "stdout pipe: the header is printed twice"
grep -q '^peak ΣPSS' "$TMP/rest" || fail "stdout pipe: no summary table"
gap=$(awk -v a="$(cat "$TMP/t_first")" -v b="$(cat "$TMP/t_end")" 'BEGIN { printf "%.2f", b - a }')
awk -v g="$gap" -v h="$HOLD" 'BEGIN { exit !(g >= 2 * h) }' ||
	fail "stdout pipe: the header came $gap s before the end, less than the two holds of $HOLD s: it was not printed at the start"
note "stdout pipe: header $gap s before the end"
no_leftovers

# 4. -q: nothing on stdout or the terminal, the recording written
pty_run "$TMP/out4" "$TMP/err4" --record "$TMP/r4.json" -w 2 -n 1M --hold 0 -q
[ "$rc" = 0 ] || fail "-q: exit $rc"
[ ! -s "$TMP/out4" ] || fail "-q: stdout has $(cat "$TMP/out4")"
[ ! -s "$TMP/err4" ] || fail "-q: the terminal got $(cat -v "$TMP/err4")"
"$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["runs"]) == 2' "$TMP/r4.json" ||
	fail "-q: no whole recording"
# errors still speak with -q
run --record "$TMP/x.json" -q -w 0
[ "$rc" = 2 ] && [ -s "$TMP/err" ] || fail "-q: a bad option is not reported (exit $rc)"
no_leftovers

# 5. the same with a CPU hog on every core
start_hogs 300
pty_run "$TMP/out5" "$TMP/err5" --record "$TMP/r5.json" -w 2 -n 1M --hold 0.2
check_pty "pty, hogs" "$TMP/r5.json" "$TMP/out5" "$TMP/err5"
stop_hogs
no_leftovers
echo "ok: progress line on a terminal, none on a pipe, header first, -q silent"
