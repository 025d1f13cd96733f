#!/bin/bash
# tests/flake.sh TEST N [--hog] [--build DIR]
#
# Runs one meson test N times and prints how often it passed: the check
# for a test that touches time (docs/architecture.md, Tests). --hog keeps
# a CPU hog busy on every core meanwhile (a lecture laptop's load); the
# hogs end with the script, whatever ends it. The build directory is
# build/ unless --build names another. Exit status 0 when every run
# passed, 1 when any failed, 2 on bad arguments.
set -u
cd "$(dirname "$0")/.."
usage() { echo "usage: tests/flake.sh TEST N [--hog] [--build DIR]" >&2; exit 2; }
[ $# -ge 2 ] || usage
test=$1 n=$2
shift 2
hog=0 build=build
while [ $# -gt 0 ]; do
	case $1 in
	--hog) hog=1 ;;
	--build) [ $# -ge 2 ] || usage; build=$2; shift ;;
	*) usage ;;
	esac
	shift
done
case $n in '' | *[!0-9]*) usage ;; esac
[ "$n" -ge 1 ] || usage
[ -f "$build/build.ninja" ] || { echo "flake.sh: no build in $build (./quickstart test makes one)" >&2; exit 2; }

hogs=()
stop_hogs() { for p in "${hogs[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap stop_hogs EXIT
trap 'exit 130' INT TERM
if [ "$hog" = 1 ]; then
	for _ in $(seq "$(nproc)"); do
		sh -c 'while :; do :; done' &
		hogs+=($!)
	done
fi

passed=0 logs=$(mktemp -d "${TMPDIR:-/tmp}/shmviz-flake.XXXXXX")
for i in $(seq "$n"); do
	if meson test -C "$build" --no-rebuild --print-errorlogs "$test" >"$logs/$i.log" 2>&1; then
		passed=$((passed + 1))
		echo "flake: $test run $i: ok"
	else
		echo "flake: $test run $i: FAILED (log: $logs/$i.log)"
		grep -E '^(FAIL|check failed|.*: check failed)' "$logs/$i.log" | head -3 | sed 's/^/  /'
	fi
done
echo "flake: $test passed $passed of $n$([ "$hog" = 1 ] && echo " with a CPU hog on each of $(nproc) cores")"
[ "$passed" = "$n" ]
