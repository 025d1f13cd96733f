#!/bin/sh
# run.sh - builds the replay loader's libFuzzer target with clang and runs
# it (docs/fuzzing.md).
#
#   tests/fuzz/run.sh [SECONDS]      fuzz for SECONDS (default 600), keeping
#                                    the growing corpus in build-fuzz/corpus
#   tests/fuzz/run.sh --ci           30 s from the committed corpus only,
#                                    in a temporary directory (meson test
#                                    suite 'fuzz'); exits 77 without clang
#
# Seeds: the good recordings of tests/data/recordings and the bad-recording
# corpus; tests/fuzz/replay.dict holds the format's keys. A crash, a leak,
# a sanitizer report or an input slower than 10 s fails the run and leaves
# the input as build-fuzz/crash-* (or timeout-*, leak-*, oom-*).
# Environment: FUZZ_DIR (default: build-fuzz in the source tree), CC
# (default: clang).
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-clang}

ci=false
seconds=600
case "${1:-}" in
--ci) ci=true; seconds=30 ;;
'') ;;
*[!0-9]*) echo "usage: tests/fuzz/run.sh [SECONDS | --ci]" >&2; exit 2 ;;
*) seconds=$1 ;;
esac

skip() { echo "SKIP: $*" >&2; exit 77; }
command -v "$CC" >/dev/null 2>&1 || skip "$CC is not installed (Debian: clang)"

if $ci; then
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/shmviz-fuzz.XXXXXX")
	trap 'rm -rf "$DIR"' EXIT
else
	DIR=${FUZZ_DIR:-$SRC/build-fuzz}
	mkdir -p "$DIR"
fi

# the loader and what it links, nothing else: no curses, no /proc
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return (int)(d == 0) + (int)n * 0; }' >"$DIR/probe.c"
"$CC" -fsanitize=fuzzer "$DIR/probe.c" -o "$DIR/probe" 2>/dev/null ||
	skip "$CC cannot link -fsanitize=fuzzer (Debian: libclang-rt-14-dev)"
"$CC" -g -O1 -std=c11 -D_GNU_SOURCE -I"$SRC" \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Wall -Wextra -Werror \
	"$SRC/tests/fuzz/fuzz_replay.c" "$SRC/src/replay.c" "$SRC/src/model.c" \
	"$SRC/src/text.c" "$SRC/src/summary.c" "$SRC/src/fmt.c" \
	$(pkg-config --cflags --libs libcjson) -lm -o "$DIR/fuzz_replay"

mkdir -p "$DIR/corpus"
seeds="$SRC/tests/data/recordings $SRC/tests/data/bad-recordings"

# -max_len: the recordings in the seeds are up to 32 KB
set -- -max_total_time="$seconds" -timeout=10 -max_len=40000 \
	-dict="$SRC/tests/fuzz/replay.dict" -artifact_prefix="$DIR/" \
	-print_final_stats=1
ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=1 \
	"$DIR/fuzz_replay" "$@" "$DIR/corpus" $seeds 2>"$DIR/log" || {
	status=$?
	tail -60 "$DIR/log" >&2
	exit $status
}
grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)|INFO: Running with' "$DIR/log" >&2 || true
echo "ok: no crash in $seconds s; corpus in $DIR/corpus"
