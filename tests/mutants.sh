#!/bin/bash
# Mutation testing of shmviz (issue 18, part 3).
#
# Applies the mutants of tests/mutants.txt one at a time to a COPY of the
# source tree (the files git knows, plus new files not ignored, as they are
# in the working tree: uncommitted edits are tested too), builds the copy
# and runs a selection of the test suite against each mutant; prints which
# mutants survived and the kill rate. The tree you work in is never changed.
#
# When: before a submission that touches a file the list mutates (every
# folder of src/, probes/ and ui/ has mutants), and after adding a mutant.
# It is not part of `meson test` or CI: a mutant the unit tests kill costs
# seconds, one that survives costs the whole selection (every e2e test:
# many minutes on 2 cores), so the whole list takes hours; narrow --tests
# to the tests that concern a group of mutants (--only) when iterating.
#
#   tests/mutants.sh                       # every mutant, default tests
#   tests/mutants.sh --list                # the mutants; "stale" ones no longer apply
#   tests/mutants.sh --only 3,sampler-held # some, by number or name
#   tests/mutants.sh --tests "unit e2e/record"   # another test selection
#   nohup tests/mutants.sh >mutants.log 2>&1 &   # the long run, in the background
#
# Options:
#   --list            print the mutants (number, name, file, state) and exit
#   --only LIST       run only these mutants: numbers or names, comma- or
#                     space-separated
#   --tests SPEC      the tests, words of the form SUITE (all of it),
#                     SUITE/NAME, or -SUITE/NAME (leave that one out of what
#                     the words before it chose); default: the unit, kernel
#                     and e2e suites, see DEFAULT_TESTS below; TRUTH_RUNS=1
#                     is set unless the environment sets it
#   --mutants FILE    the mutant list (default tests/mutants.txt)
#   --timeout-multiplier X   passed on to meson test (default 1)
#   --noisy LIST      tests whose failure alone is not a sure kill
#                     (default "e2e/truth": its steady-state check fails
#                     on the unmutated code under load); such kills are
#                     counted apart and left out of the strict kill rate
#   --keep            keep the work directory (/tmp/shmviz-mutants.*),
#                     with the test log of every killed mutant in logs/
#   --workdir DIR     make the work directory in DIR, not in $TMPDIR or
#                     /tmp (on a shared machine, where another user's
#                     cleaning of /tmp/shmviz-* would take it mid-run)
#
# Each mutant in the list is a file, an exact source string that must occur
# exactly once in it, and its replacement (format: the head of
# tests/mutants.txt). A string that no longer occurs exactly once makes the
# mutant "stale": reported as such, never skipped silently, and the exit
# status is 1 until the list is fixed.
#
# Before the mutants the unmutated copy is built and the selection run;
# a test failing there is run again, and a test failing twice is left out
# of the run (said loudly: its kills would mean nothing).
#
# Per mutant: apply, `meson compile`, run the selection until the first
# test that fails, restore the file. A mutant is killed by one failing
# test, so the order is what costs time: the unit suite first (one
# `meson test --maxfail 1`, in parallel), then the kernel suite, then each
# other test alone (and a unit or kernel test that took over 5 s in the
# baseline), the ones closest to the mutated file first: those that
# killed an earlier mutant of the same file (most kills first), those
# whose name is the file's (export.c: e2e/export), those that killed a
# mutant of the same folder, then the rest, fastest first (their times in
# the baseline); --noisy tests last. The selection is the same whatever
# the order: a survivor has passed every test of it. A failure of a
# --noisy test does not stop the run: the tests after it may still kill
# the mutant for sure. Nor does a failure that a rerun of the test alone
# does not repeat, or that the unmutated control copy repeats (a flake of
# the loaded machine): that test counts as noisy for this mutant and the
# run goes on. A mutant that
# does not compile counts as killed, but separately ("build"): such mutants
# are weak, prefer mutants that compile. The tests that failed are named
# for every kill with the first failure line; a kill by a --noisy test
# alone is marked and left out of the strict kill rate: confirm it by
# hand (run that test on the mutant and on the unmutated tree a few times).
#
# Exit status: 0 when every mutant was killed by a test not --noisy (or
# by the build) or is marked equivalent in the list, and none is stale;
# 1 otherwise; 2 on a usage error or when the unmutated copy
# does not build.
set -u

# every suite whose tests can tell a mutant apart: the unit tests, the
# kernel tests and every e2e test (export, mappings, attach, command,
# repeat, lesson and theme included), unit tests first (a kill there is
# cheap). Left out: kernel/soak (10^5 ticks checking that descriptors and
# RSS stay flat: no mutant of the list is a leak, and it takes minutes),
# and the lint, fuzz, valgrind and stress suites (they judge the code's
# safety, not its figures). The soak's suites are kernel and soak, which
# `meson test --list` names kernel+soak: "kernel" does not take it.
DEFAULT_TESTS="unit kernel e2e"

SRC=$(cd "$(dirname "$0")/.." && pwd)
LIST=$SRC/tests/mutants.txt
TESTS=$DEFAULT_TESTS
ONLY=""
DO_LIST=0
KEEP=0
TMULT=1
WORKDIR=${TMPDIR:-/tmp}
# tests whose verdict depends on the machine's load: a kill by them alone
# is reported apart ("noisy") and left out of the strict kill rate
NOISY="e2e/truth"

usage() { sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
	case $1 in
	--list) DO_LIST=1 ;;
	--only) ONLY=${2:?--only needs a list}; shift ;;
	--tests) TESTS=${2:?--tests needs a list}; shift ;;
	--mutants) LIST=${2:?--mutants needs a file}; shift ;;
	--timeout-multiplier) TMULT=${2:?}; shift ;;
	--keep) KEEP=1 ;;
	--workdir) WORKDIR=${2:?--workdir needs a directory}; shift ;;
	--noisy) NOISY=${2?--noisy needs a list (may be empty)}; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "mutants.sh: unknown option '$1' (--help)" >&2; exit 2 ;;
	esac
	shift
done
[ -f "$LIST" ] || { echo "mutants.sh: no mutant list $LIST" >&2; exit 2; }
LIST=$(cd "$(dirname "$LIST")" && pwd)/$(basename "$LIST")

WORK=$(mktemp -d "$WORKDIR/shmviz-mutants.XXXXXX") ||
	{ echo "mutants.sh: cannot make a work directory in $WORKDIR" >&2; exit 2; }
cleanup() {
	if [ "$KEEP" = 1 ]; then
		echo "work directory kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- the list: parsing, listing, applying (python3) -------------------------
cat >"$WORK/mut.py" <<'PY'
"""Mutant list: blocks of
    == NAME FILE
    # comments (kept as the mutant's description)
    equivalent: why this mutant cannot be told apart (optional)
    - exact source line          (one or more: joined with newlines)
    + replacement line           (zero or more: none deletes the string)
'- ' and '+ ' are followed by the text verbatim (tabs included); a lone
'-' or '+' is an empty line."""
import sys


def parse(path):
    muts, cur = [], None
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("== "):
                words = line[3:].split()
                if len(words) != 2:
                    sys.exit(f"{path}:{no}: expected '== NAME FILE'")
                cur = {"name": words[0], "file": words[1], "old": [],
                       "new": [], "equiv": "", "about": [], "line": no}
                muts.append(cur)
            elif cur is None or not line.strip():
                continue
            elif line.startswith("equivalent:"):
                cur["equiv"] = line[len("equivalent:"):].strip()
            elif line.startswith("#"):
                cur["about"].append(line[1:].strip())
            elif line == "-" or line.startswith("- "):
                cur["old"].append(line[2:])
            elif line == "+" or line.startswith("+ "):
                cur["new"].append(line[2:])
            else:
                sys.exit(f"{path}:{no}: unexpected line: {line!r}")
    names = set()
    for m in muts:
        if not m["old"]:
            sys.exit(f"{path}:{m['line']}: mutant {m['name']} has no '- ' line")
        if m["name"] in names:
            sys.exit(f"{path}:{m['line']}: mutant name {m['name']} used twice")
        names.add(m["name"])
        m["old"] = "\n".join(m["old"])
        m["new"] = "\n".join(m["new"])
    return muts


def count(root, m):
    try:
        with open(f"{root}/{m['file']}", encoding="utf-8") as f:
            return f.read().count(m["old"])
    except OSError:
        return -1


def select(muts, only):
    if not only:
        return list(range(1, len(muts) + 1))
    out = []
    for w in only.replace(",", " ").split():
        if w.isdigit() and 1 <= int(w) <= len(muts):
            out.append(int(w))
            continue
        hits = [i for i, m in enumerate(muts, 1) if m["name"] == w]
        if not hits:
            sys.exit(f"--only: no mutant '{w}'")
        out += hits
    return out


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    muts = parse(path)
    if cmd == "list":          # list ROOT
        root = sys.argv[3]
        for i, m in enumerate(muts, 1):
            n = count(root, m)
            state = "ok" if n == 1 else f"STALE ({'no file' if n < 0 else f'{n} matches'})"
            eq = "  [equivalent]" if m["equiv"] else ""
            print(f"{i:3} {m['name']:32} {m['file']:16} {state}{eq}")
            for a in m["about"]:
                print(f"      {a}")
    elif cmd == "select":      # select ONLY: the numbers, one a line
        for i in select(muts, sys.argv[3] if len(sys.argv) > 3 else ""):
            print(i)
    elif cmd == "info":        # info N FIELD
        m = muts[int(sys.argv[3]) - 1]
        f = sys.argv[4]
        print(" ".join(m["about"]) if f == "about" else m[f])
    elif cmd == "apply":       # apply N ROOT: exit 3 when stale
        m, root = muts[int(sys.argv[3]) - 1], sys.argv[4]
        p = f"{root}/{m['file']}"
        try:
            with open(p, encoding="utf-8") as f:
                text = f.read()
        except OSError:
            sys.exit(3)
        if text.count(m["old"]) != 1:
            sys.exit(3)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text.replace(m["old"], m["new"], 1))
    elif cmd == "order":       # order FILE HISTORY TIMES NOISY TEST...
        SLOW = 5                   # seconds
        # the tests in the order to run them against a mutant of FILE
        import json, os
        mfile, hist, times, noisy = sys.argv[3:7]
        tests, noisy = sys.argv[7:], set(noisy.split())
        kills = []             # (file, test): the test that killed a mutant of file
        if os.path.exists(hist):
            with open(hist, encoding="utf-8") as f:
                kills = [tuple(l.split()) for l in f if len(l.split()) == 2]
        dur = {}
        if os.path.exists(times):
            with open(times, encoding="utf-8") as f:
                for line in f:
                    try:
                        t = json.loads(line)
                    except ValueError:
                        continue
                    name = t.get("name", "?").split(":", 1)[-1].replace(" / ", "/")
                    dur[name] = t.get("duration", 0)
        folder = os.path.dirname(mfile)
        stem = os.path.splitext(os.path.basename(mfile))[0]
        same_file = {}
        same_dir = {}
        for f, t in kills:
            if f == mfile:
                same_file[t] = same_file.get(t, 0) + 1
            if os.path.dirname(f) == folder:
                same_dir[t] = same_dir.get(t, 0) + 1
        suite_rank = {"unit": 0, "kernel": 1}

        def key(t):
            suite, name = t.split("/", 1)
            # a grouped suite's slow test (unit/roundtrip: 20 s and more
            # under load) is ordered with the tests run alone
            if suite in suite_rank and dur.get(t, 0) <= SLOW:
                return (suite_rank[suite], 0, 0, 0)
            if t in noisy:
                return (9, 0, 0, dur.get(t, 1e9))
            if t in same_file:
                return (2, 0, -same_file[t], dur.get(t, 1e9))
            if name == stem:
                return (3, 0, 0, dur.get(t, 1e9))
            if t in same_dir:
                return (4, 0, -same_dir[t], dur.get(t, 1e9))
            return (5, 0, 0, dur.get(t, 1e9))
        for t in sorted(tests, key=key):   # stable: meson's order within a key
            print(t if t.split("/", 1)[0] not in suite_rank or dur.get(t, 0) <= SLOW
                  else "alone:" + t)
    elif cmd == "count":
        print(len(muts))
    elif cmd == "why":         # why TESTLOG.json: the first failure line
        import json, re
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    t = json.loads(line)
                except ValueError:
                    continue
                if t.get("result") in ("OK", "SKIP", "EXPECTEDFAIL", "INTERRUPT"):
                    continue
                text = (t.get("stdout") or "") + "\n" + (t.get("stderr") or "")
                for l in text.splitlines():
                    if re.search(r"fail|!=|error|assert", l, re.I):
                        print(l.strip()[:110])
                        return
                print(t.get("result"))
                return
    elif cmd == "failed":      # failed TESTLOG.json: the tests not passed
        bad = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    t = __import__("json").loads(line)
                except ValueError:
                    continue
                if t.get("result") not in ("OK", "SKIP", "EXPECTEDFAIL", "INTERRUPT"):
                    # "shmviz:e2e / record" is e2e/record
                    name = t.get("name", "?").split(":", 1)[-1].replace(" / ", "/")
                    bad.append(name
                               + ("" if t.get("result") == "FAIL" else f"({t.get('result')})"))
        print(" ".join(bad))


main()
PY
mut() { python3 "$WORK/mut.py" "$@"; }

# ---- the copy ----------------------------------------------------------------
COPY=$WORK/src
BUILD=$WORK/build
mkdir -p "$COPY"
(cd "$SRC" && git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf -) | tar -C "$COPY" -xf - ||
	{ echo "mutants.sh: cannot copy the tree" >&2; exit 2; }

if [ "$DO_LIST" = 1 ]; then
	mut list "$LIST" "$COPY"
	exit 0
fi

NUMS=$(mut select "$LIST" "$ONLY") || exit 2
TOTAL=$(mut count "$LIST")
export TRUTH_RUNS=${TRUTH_RUNS:-1}

log() { printf '%s\n' "$*"; }
log "mutants.sh: $(date -u '+%F %T') UTC, $(echo "$NUMS" | wc -l) of $TOTAL mutants, copy in $COPY"

if ! meson setup "$BUILD" "$COPY" >"$WORK/setup.log" 2>&1 ||
   ! meson compile -C "$BUILD" >"$WORK/compile.log" 2>&1; then
	echo "mutants.sh: the unmutated copy does not build:" >&2
	tail -30 "$WORK/setup.log" "$WORK/compile.log" >&2
	exit 2
fi
# a second copy, never mutated: the control a kill's test runs on
BASE_SRC=$WORK/base-src
BASE=$WORK/base
mkdir -p "$BASE_SRC" && tar -C "$COPY" -cf - . | tar -C "$BASE_SRC" -xf - &&
	meson setup "$BASE" "$BASE_SRC" >>"$WORK/setup.log" 2>&1 &&
	meson compile -C "$BASE" >>"$WORK/compile.log" 2>&1 ||
	{ echo "mutants.sh: the control copy does not build" >&2; exit 2; }

# ---- the test selection: SUITE or SUITE/NAME, resolved to SUITE/NAME --------
ALLTESTS=$(meson test -C "$BUILD" --no-rebuild --list 2>/dev/null |
	sed -n 's/^[^:]*:\([^ ]*\) \/ \(.*\)$/\1\/\2/p')
SELECTED=()
for w in $TESTS; do
	if [[ $w == -*/* ]]; then
		w=${w#-}
		grep -qxF "$w" <<<"$ALLTESTS" || { echo "mutants.sh: no test '$w'" >&2; exit 2; }
		left=()
		for t in "${SELECTED[@]+"${SELECTED[@]}"}"; do
			[ "$t" = "$w" ] || left+=("$t")
		done
		SELECTED=("${left[@]+"${left[@]}"}")
	elif [[ $w == */* ]]; then
		grep -qxF "$w" <<<"$ALLTESTS" || { echo "mutants.sh: no test '$w'" >&2; exit 2; }
		SELECTED+=("$w")
	else
		m=$(grep "^$w/" <<<"$ALLTESTS") || { echo "mutants.sh: no suite '$w'" >&2; exit 2; }
		for t in $m; do SELECTED+=("$t"); done
	fi
done

# runs the tests given as SUITE/NAME words in the order given, stopping at
# the first failure of a test not --noisy: the unit and kernel suites one
# `meson test --maxfail 1` each (their tests run in parallel), every other
# test alone, and so each word alone:SUITE/NAME (a slow unit test);
# TESTS_FAILED names what failed (a noisy test that failed before is named
# too), TESTS_WHY the first failure line; each test's
# result is appended to $TIMES when it is set (the baseline's times)
GROUPED=" unit kernel "
run_one() {     # run_one SUITE NAME...: 0 when every test passed
	local suite=$1; shift
	local maxfail=1
	[ -z "${NOSTOP:-}" ] || maxfail=0
	rm -f "$BUILD/meson-logs/testlog.json"
	meson test -C "$BUILD" --no-rebuild -q --maxfail $maxfail \
	     --timeout-multiplier "$TMULT" --suite "$suite" "$@" \
	     >>"$WORK/test.log" 2>&1 && return 0
	local failed
	failed=$(mut failed "$BUILD/meson-logs/testlog.json")
	[ -n "$failed" ] || failed="$suite/?"
	LAST_FAILED=$failed
	TESTS_FAILED="${TESTS_FAILED:+$TESTS_FAILED }$failed"
	[ -n "$TESTS_WHY" ] || TESTS_WHY=$(mut why "$BUILD/meson-logs/testlog.json")
	cp "$BUILD/meson-logs/testlog.txt" "$WORK/last-testlog.txt" 2>/dev/null
	return 1
}
only_noisy() {  # only_noisy WORDS: every word a --noisy test (or one this mutant's rerun passed)
	local t
	for t in "$@"; do
		[[ " $NOISY ${NOISY_NOW:-} " == *" ${t%%(*} "* ]] || return 1
	done
	return 0
}
# a kill is confirmed by running each failed test again alone, on the
# mutant and on the unmutated control copy: a test that passes the second
# time on the mutant, or fails on the control too, failed by the machine
# (load, timing) as likely as by the mutant (the fastest tests, run first
# against every mutant, would turn their flakes into kills); it is taken as
# noisy for this mutant and the tests after it run. 1 when a failed test
# fails again on the mutant and passes on the control.
confirm_failures() {
	local t failed=$LAST_FAILED saved=$TESTS_FAILED why=$TESTS_WHY
	cp "$WORK/last-testlog.txt" "$WORK/first-testlog.txt" 2>/dev/null
	for t in $failed; do
		t=${t%%(*}
		only_noisy "$t" && continue
		if ! run_one "${t%%/*}" "${t#*/}" &&
		   meson test -C "$BASE" --no-rebuild -q --timeout-multiplier "$TMULT" \
		              --suite "${t%%/*}" "${t#*/}" >>"$WORK/test.log" 2>&1; then
			TESTS_FAILED=$saved TESTS_WHY=$why
			cp "$WORK/first-testlog.txt" "$WORK/last-testlog.txt" 2>/dev/null
			return 1
		fi
		NOISY_NOW="${NOISY_NOW:-} $t"
	done
	TESTS_FAILED=$saved TESTS_WHY=$why
	return 0
}
run_tests() {
	local suite names=() cur="" w ok=0
	TESTS_FAILED=""
	TESTS_WHY=""
	NOISY_NOW=""
	for w in "$@" "END/END"; do
		suite=${w%%/*}
		if [ -n "$cur" ] && { [ "$suite" != "$cur" ] || [[ $GROUPED != *" $cur "* ]]; }; then
			if ! run_one "${cur#alone:}" "${names[@]}"; then
				ok=1
				# shellcheck disable=SC2086
				if [ -z "${NOSTOP:-}" ] && ! only_noisy $LAST_FAILED; then
					confirm_failures || return 1
				fi
			fi
			[ -z "${TIMES:-}" ] || cat "$BUILD/meson-logs/testlog.json" >>"$TIMES" 2>/dev/null
			names=()
		fi
		cur=$suite
		names+=("${w#*/}")
	done
	return $ok
}

# ---- baseline ----------------------------------------------------------------
log "baseline: ${SELECTED[*]}"
BASE_START=$SECONDS
TIMES=$WORK/times.json
EXCLUDED=()
# every test once (no stop at a failure: their times order the tests of
# each mutant), then each that failed given a second chance
if ! NOSTOP=1 run_tests "${SELECTED[@]}"; then
	for t in $TESTS_FAILED; do
		t=${t%%(*}
		if ! NOSTOP=1 run_tests "$t"; then
			log "baseline: $t FAILS on the unmutated copy twice: LEFT OUT of this run"
			EXCLUDED+=("$t")
		fi
	done
fi
TIMES=""
KEPT=()
for t in "${SELECTED[@]}"; do
	[[ " ${EXCLUDED[*]-} " == *" $t "* ]] || KEPT+=("$t")
done
[ ${#KEPT[@]} -gt 0 ] || { echo "mutants.sh: no test passes on the unmutated copy" >&2; exit 2; }
log "baseline: passed in $((SECONDS - BASE_START)) s"

# ---- the mutants ---------------------------------------------------------------
n_run=0; n_killed=0; n_build=0; n_stale=0; n_surv=0; n_equiv=0; n_noisy=0
SURVIVORS=(); STALE=(); BUILDK=(); NOISYK=()
mkdir -p "$WORK/logs"
for i in $NUMS; do
	name=$(mut info "$LIST" "$i" name)
	file=$(mut info "$LIST" "$i" file)
	equiv=$(mut info "$LIST" "$i" equiv)
	tag=$(printf '[%2d/%d] %-32s %-16s' "$i" "$TOTAL" "$name" "$file")
	start=$SECONDS
	n_run=$((n_run + 1))
	if ! cp "$COPY/$file" "$WORK/orig" 2>/dev/null || ! mut apply "$LIST" "$i" "$COPY"; then
		log "$tag STALE: the string no longer occurs exactly once in $file"
		n_stale=$((n_stale + 1)); STALE+=("$i $name")
		continue
	fi
	if ! meson compile -C "$BUILD" >"$WORK/compile.log" 2>&1; then
		result="killed (build)"
		n_build=$((n_build + 1)); BUILDK+=("$i $name")
	elif mapfile -t ORDER < <(mut order "$LIST" "$file" "$WORK/kills" "$WORK/times.json" \
	                         "$NOISY" "${KEPT[@]}") &&
	     ! run_tests "${ORDER[@]}"; then
		result="killed by $TESTS_FAILED: $TESTS_WHY"
		n_killed=$((n_killed + 1))
		for t in $TESTS_FAILED; do
			only_noisy "$t" || echo "$file ${t%%(*}" >>"$WORK/kills"
		done
		cp "$WORK/last-testlog.txt" "$WORK/logs/$i-$name.txt" 2>/dev/null
		[ -z "$NOISY_NOW" ] || result="$result [failed once, passed again:$NOISY_NOW]"
		# shellcheck disable=SC2086
		if only_noisy $TESTS_FAILED; then
			result="$result [noisy test only: confirm by hand]"
			n_noisy=$((n_noisy + 1)); NOISYK+=("$i $name")
		fi
		[ -z "$equiv" ] || result="$result [marked equivalent in the list: it is not]"
	elif [ -n "$equiv" ]; then
		result="survived, equivalent: $equiv"
		n_equiv=$((n_equiv + 1))
	else
		result="SURVIVED"
		n_surv=$((n_surv + 1)); SURVIVORS+=("$i $name ($file)")
	fi
	# a fresh mtime: the next build compiles the restored file again
	cat "$WORK/orig" >"$COPY/$file"
	log "$tag $result ($((SECONDS - start)) s)"
done

# ---- report -------------------------------------------------------------------
applied=$((n_run - n_stale))
pct() { [ "$2" -gt 0 ] && awk "BEGIN { printf \"%.1f%%\", 100 * $1 / $2 }" || echo "-"; }
log ""
log "mutants run: $n_run; stale: $n_stale; killed by tests: $n_killed; killed by the build: $n_build; survived: $((n_surv + n_equiv)) ($n_equiv marked equivalent)"
log "kill rate: $((n_killed + n_build))/$applied = $(pct $((n_killed + n_build)) $applied) (by tests alone: $(pct $n_killed $applied)); without the equivalent ones: $((n_killed + n_build))/$((applied - n_equiv)) = $(pct $((n_killed + n_build)) $((applied - n_equiv)))"
[ ${#EXCLUDED[@]} -eq 0 ] || log "tests left out (failed on the unmutated copy): ${EXCLUDED[*]}"
[ "$n_noisy" = 0 ] || log "strict kill rate (kills by noisy tests alone not counted): $((n_killed + n_build - n_noisy))/$((applied - n_equiv)) = $(pct $((n_killed + n_build - n_noisy)) $((applied - n_equiv))); killed only by a noisy test ($NOISY) or by failures a rerun did not repeat: ${NOISYK[*]}"
[ ${#BUILDK[@]} -eq 0 ] || log "killed by the build only (weak mutants): ${BUILDK[*]}"
for s in "${STALE[@]+"${STALE[@]}"}"; do log "stale: $s"; done
for s in "${SURVIVORS[@]+"${SURVIVORS[@]}"}"; do log "survivor: $s"; done
log "tests: ${KEPT[*]}"
log "done: $(date -u '+%F %T') UTC"
[ "$n_surv" -eq 0 ] && [ "$n_stale" -eq 0 ] && [ "$n_noisy" -eq 0 ]
