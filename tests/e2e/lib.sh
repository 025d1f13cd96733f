# lib.sh - shared set-up of the end-to-end tests (sourced, not run).
#
# Every test runs the real binary ($SHMVIZ) against the real /proc. Tests
# that start workloads call isolate_shm first: the test re-executes itself
# in a private mount namespace with its own tmpfs on /dev/shm, so "no
# segment left behind" is checked exactly, whatever else runs on the
# machine. Every shmviz started through run_tagged carries a tag in its
# environment, which all its descendants inherit: no_leftovers finds any
# process of the test still alive by that tag.

set -u

SHMVIZ=${SHMVIZ:?SHMVIZ must name the binary}
# the native workloads' program, which shmviz finds beside itself in the
# build directory (docs/architecture.md, "Processes")
WORKLOAD=${SHMVIZ_WORKLOAD:-$(dirname "$SHMVIZ")/shmviz-workload}
export SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
# the summary's width follows $COLUMNS off a terminal: a test that wants
# one sets it
unset COLUMNS
TAG="shmviz-test-$$-$RANDOM"
export SHMVIZ_TEST_TAG="$TAG"

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
note() { echo "# $*" >&2; }

# Re-runs the calling script in a private mount namespace with a tmpfs of
# ${SHM_SIZE:-4g} on /dev/shm. Call it before anything else.
isolate_shm() {
	if [ -z "${SHMVIZ_ISOLATED:-}" ]; then
		[ "$(id -u)" = 0 ] || skip "a private /dev/shm needs root"
		command -v unshare >/dev/null 2>&1 || skip "unshare (util-linux) is missing"
		export SHMVIZ_ISOLATED=1
		# the re-executed script makes its own; this one's trap dies
		# with the exec
		rm -rf "$TMP"
		exec unshare -m --propagation private sh -c \
			'mount -t tmpfs -o size="$SHM_SIZE" shmviz-test /dev/shm && exec "$0" "$@"' \
			"$0" "$@"
	fi
}
: "${SHM_SIZE:=4g}"
export SHM_SIZE

TMP=$(mktemp -d /tmp/shmviz-test.XXXXXX)
cleanup() {
	# never leave a process of ours behind, even when a check failed
	for p in $(tagged_pids); do kill -9 "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT

# pids of live processes that carry this test's tag (one grep over every
# environ: a shell loop over /proc costs a second a call)
tagged_pids() {
	for e in $(grep -lzx "SHMVIZ_TEST_TAG=$TAG" /proc/[0-9]*/environ 2>/dev/null); do
		pid=${e#/proc/}; pid=${pid%/environ}
		[ "$pid" = "$$" ] && continue
		state=$(awk '{sub(/.*\) /, ""); print $1}' "/proc/$pid/stat" 2>/dev/null)
		[ "$state" = "Z" ] || [ -z "$state" ] || echo "$pid"
	done
}

# Fails when a process of the test or a shmviz segment is left.
no_leftovers() {
	i=0
	while [ -n "$(tagged_pids)" ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i + 1)); done
	left=$(tagged_pids)
	[ -z "$left" ] || fail "processes left behind: $(for p in $left; do printf '%s(%s) ' "$p" "$(cat /proc/$p/comm 2>/dev/null)"; done)"
	if [ -n "${SHMVIZ_ISOLATED:-}" ]; then
		segs=$(ls /dev/shm | grep -v '^$' || true)
		[ -z "$segs" ] || fail "segments left in /dev/shm: $segs"
	fi
	ls -a "$TMP" | grep -q '^\..*\.json\.' && fail "a temporary recording file was left in $TMP"
	return 0
}

# A CPU hog on every core (a lecture laptop's load), each bounded to
# ${1:-600} s; stop_hogs ends them (call it before no_leftovers: they carry
# the test's tag).
HOGS=()
start_hogs() {
	for _ in $(seq "$(nproc)"); do
		timeout "${1:-600}" sh -c 'while :; do :; done' &
		HOGS+=($!)
	done
}
stop_hogs() {
	for p in "${HOGS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${HOGS[@]}"; do wait "$p" 2>/dev/null; done
	HOGS=()
}

# Runs shmviz with stdout and stderr captured in $TMP/out and $TMP/err;
# sets $rc. Never fails by itself.
run() {
	"$SHMVIZ" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
}

# Expects: exit status, then one line on stderr matching a pattern.
expect_error() {
	want=$1 pattern=$2
	shift 2
	run "$@"
	[ "$rc" = "$want" ] || fail "shmviz $*: exit $rc, expected $want (stderr: $(cat "$TMP/err"))"
	lines=$(grep -c '' "$TMP/err")
	[ "$lines" = 1 ] || fail "shmviz $*: $lines lines on stderr, expected one: $(cat "$TMP/err")"
	grep -q -- "$pattern" "$TMP/err" || fail "shmviz $*: stderr '$(cat "$TMP/err")' does not match '$pattern'"
	no_leftovers
}
