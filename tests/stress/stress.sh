#!/bin/bash
# stress.sh - shmviz hit at random moments, over and over.
#
#   tests/stress/stress.sh [SIGNAL_RUNS [WORKER_RUNS [KILL_RUNS]]] [--seed S]
#
# Defaults: 100 runs interrupted at a random moment by SIGINT, SIGTERM or
# SIGKILL, 100 runs with a random worker killed (SIGKILL), and 100 runs
# whose shmviz is killed (SIGKILL) once its tree is up, in turn a --compare
# of a shell with a background child and the Python workload (its pool and
# semaphores): nothing of them may remain. Each run's
# options are random too (mode, rows, workers, hold, interval). A run that
# ended before it was hit is replaced by another (stress.py: up to twice
# the count, and 5): the counts asked for are runs really interrupted and
# workers really killed. It reports leaked segments, orphan processes, bad
# (missing, partial, invalid) record files, temporary files left, hangs,
# wrong outcomes and runs that hit nothing: all must be 0, and the exit
# status says so (0, or 1). The full run takes a few minutes; meson's
# 'stress' suite runs a short one (5 + 5).
#
# Root is needed for a private /dev/shm (so that a leaked segment is counted
# exactly). SHMVIZ names the binary (default: build/shmviz of the tree).
set -u
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
export SRCDIR
export SHMVIZ=${SHMVIZ:-$SRCDIR/build/shmviz}
[ -x "$SHMVIZ" ] || { echo "stress.sh: no $SHMVIZ: build first (meson setup build && ninja -C build)" >&2; exit 1; }
SHM_SIZE=2g
. "$SRCDIR/tests/e2e/lib.sh"
isolate_shm "$@"

seed=() counts=()
while [ $# -gt 0 ]; do
	case $1 in
	--seed) seed=(--seed "$2"); shift 2 ;;
	*) counts+=("$1"); shift ;;
	esac
done
# one count: that many of each kind
signal_runs=${counts[0]:-100}
worker_runs=${counts[1]:-$signal_runs}
kill_runs=${counts[2]:-$signal_runs}

mkdir -p "$TMP/rec"
$PY "$SRCDIR/tests/stress/stress.py" "$signal_runs" "$worker_runs" "$TMP/rec" \
	--kill-runs "$kill_runs" "${seed[@]}"
