#!/bin/sh
# tests/bench/run.sh - shmviz's benchmark (issue 6), one command:
#
#   tests/bench/run.sh            build, install smem and smemstat if they
#                                 are missing, measure everything (about 15
#                                 minutes: one part is a 10-minute
#                                 recording), print the table
#   tests/bench/run.sh --truth    only the truth parts (issue 10: steady
#                                 state, changing state, 64 processes);
#                                 SHMVIZ_BASELINE=BINARY compares the
#                                 changing state with an older build
#   tests/bench/run.sh --only PART   one part (e.g. estimates, steady,
#                                 changing, scale, bigtree, budget, workloads, ui,
#                                 rss), repeatable
#   tests/bench/run.sh --short    the same on small sizes in a few seconds,
#                                 no bound judged: to see that every part
#                                 still runs (meson compile -C build
#                                 bench-short); not a test
#
# Options: --markdown FILE also writes the table to FILE; --no-install
# leaves the peers out when they are missing; --no-build uses the binaries
# named by SHMVIZ and SHMVIZ_BENCH (meson test sets them).
#
# Exit status: 0 every bound met (or --short ran), 3 a bound missed, 1 a
# part failed to run, 77 cannot run here (no /proc).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)

short=""
truth=""
only=""
install=yes
build=yes
markdown=""
while [ $# -gt 0 ]; do
	case "$1" in
	--short) short=--short ;;
	--truth) truth=--truth ;;
	--only) only="$only --only $2"; shift ;;
	--no-install) install=no ;;
	--no-build) build=no ;;
	--markdown) markdown=$2; shift ;;
	*) echo "usage: tests/bench/run.sh [--short] [--truth] [--only PART] [--markdown FILE] [--no-install] [--no-build]" >&2
	   exit 2 ;;
	esac
	shift
done

if [ ! -r /proc/self/smaps_rollup ]; then
	echo "bench: no /proc/PID/smaps_rollup here" >&2
	exit 77
fi

# the peers belong to the benchmark, not to shmviz's own set-up
if [ "$install" = yes ] && [ -z "$short$truth$only" ]; then
	missing=""
	for p in smem smemstat; do
		command -v "$p" >/dev/null 2>&1 || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "bench: installing$missing" >&2
		sudo=""
		[ "$(id -u)" = 0 ] || sudo=sudo
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
			--no-install-recommends $missing >/dev/null
	fi
fi

if [ "$build" = yes ]; then
	builddir=${BUILDDIR:-$src/build}
	if [ ! -f "$builddir/build.ninja" ]; then
		meson setup "$builddir" "$src" -Dwerror=true >/dev/null
	fi
	meson compile -C "$builddir" >/dev/null
	SHMVIZ=$builddir/shmviz
	SHMVIZ_BENCH=$builddir/tests/bench/shmviz-bench
	[ -x "$builddir/tests/bench/shmviz-frame-bench" ] &&
		SHMVIZ_FRAME_BENCH=$builddir/tests/bench/shmviz-frame-bench
	SHMFORK=$builddir/tests/shmfork
fi
: "${SHMVIZ:?SHMVIZ must name the shmviz binary}"
: "${SHMVIZ_BENCH:?SHMVIZ_BENCH must name tests/bench/shmviz-bench}"
export SHMVIZ SHMVIZ_BENCH
[ -n "${SHMVIZ_FRAME_BENCH:-}" ] && export SHMVIZ_FRAME_BENCH
[ -n "${SHMFORK:-}" ] && export SHMFORK

set -- $short $truth $only
[ -n "$markdown" ] && set -- "$@" --markdown "$markdown"
exec python3 "$here/bench.py" "$@"
