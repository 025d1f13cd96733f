#!/bin/sh
# run.sh - builds shmviz's libFuzzer targets with clang and runs them
# (docs/fuzzing.md).
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]   fuzz each TARGET (default:
#                                  all) for SECONDS (default 600), keeping
#                                  the growing corpus in
#                                  build-fuzz/corpus-TARGET
#   tests/fuzz/run.sh --ci [TARGET...]
#                                  the suite's run (meson test, suite
#                                  'fuzz'): from the committed seeds only,
#                                  in a temporary directory, 75 s in all
#                                  (replay 30 s, the others 15 s each)
#   tests/fuzz/run.sh --build [TARGET...]
#                                  only build build-fuzz/fuzz_TARGET, to
#                                  replay an input: build-fuzz/fuzz_TARGET FILE
#
# Targets (tests/fuzz/fuzz_TARGET.c): replay (the recording loader),
# captions (the lesson caption file), protocol (the phase protocol's line
# reader and parser), cli (the command line).
#
# A crash, a leak, a sanitizer report, an input slower than 10 s or one
# that needs more than 2 GB fails the run: the script prints the end of
# libFuzzer's log, keeps the input as fuzz-KIND-TARGET-SHA1 (KIND: crash,
# leak, timeout, oom) in the build's meson-logs directory under meson, in
# build-fuzz otherwise, says how to replay it, and exits 1. It exits 77
# (a skip) only when clang or its libFuzzer runtime is missing.
# Environment: FUZZ_DIR (default: build-fuzz in the source tree), CC
# (default: clang), MESON_BUILD_ROOT (set by meson test: where the inputs
# are kept).
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-clang}
ALL="replay captions protocol cli"

ci=false
build_only=false
seconds=600
case "${1:-}" in
--ci) ci=true; shift ;;
--build) build_only=true; shift ;;
'' | *[!0-9]*) ;;
*) seconds=$1; shift ;;
esac
targets=${*:-$ALL}
for t in $targets; do
	case " $ALL " in
	*" $t "*) ;;
	*) echo "usage: tests/fuzz/run.sh [SECONDS | --ci | --build] [TARGET...] (targets: $ALL)" >&2; exit 2 ;;
	esac
done

skip() { echo "SKIP: $*" >&2; exit 77; }
command -v "$CC" >/dev/null 2>&1 || skip "$CC is not installed (Debian: clang)"

if $ci; then
	DIR=$(mktemp -d "${TMPDIR:-/tmp}/shmviz-fuzz.XXXXXX")
	trap 'rm -rf "$DIR"' EXIT
else
	DIR=${FUZZ_DIR:-$SRC/build-fuzz}
	mkdir -p "$DIR"
fi
if [ -n "${MESON_BUILD_ROOT:-}" ]; then
	KEEP=$MESON_BUILD_ROOT/meson-logs
else
	KEEP=${FUZZ_DIR:-$SRC/build-fuzz}
fi

echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return (int)(d == 0) + (int)n * 0; }' >"$DIR/probe.c"
"$CC" -fsanitize=fuzzer "$DIR/probe.c" -o "$DIR/probe" 2>/dev/null ||
	skip "$CC cannot link -fsanitize=fuzzer (Debian: libclang-rt-14-dev)"

# each target with the sources it needs, nothing else: no curses, no /proc
sources() {
	case $1 in
	replay) echo src/recording/replay.c src/recording/schema.c src/recording/jsonscan.c src/recording/stream.c src/recording/record.c src/recording/decayjson.c src/util/outpath.c src/core/model.c src/util/text.c src/report/summary.c src/util/fmt.c src/core/mapgroups.c probes/mappings.c probes/smaps.c probes/kb.c src/util/clock.c src/core/decay.c src/core/upper.c src/util/grow.c src/report/decayrep.c ;;
	captions) echo src/report/captions.c src/report/summary.c src/report/decayrep.c src/core/model.c src/util/text.c src/util/fmt.c src/core/mapgroups.c probes/mappings.c probes/smaps.c probes/kb.c src/util/clock.c src/core/decay.c src/core/upper.c src/util/grow.c ;;
	protocol) echo src/core/protocol.c src/util/clock.c ;;
	cli) echo src/cli/cli.c src/core/limits.c src/util/parse.c src/util/text.c src/util/outpath.c ;;
	esac
}
# seed directories (the first is where the corpus grows in a long run)
seeds() {
	case $1 in
	replay) echo tests/data/recordings tests/data/bad-recordings ;;
	captions) echo tests/fuzz/seeds/captions ;;
	*) echo "tests/fuzz/seeds/$1" ;;
	esac
}
# -max_len: the recordings in the seeds are up to 32 KB
max_len() {
	case $1 in
	replay) echo 40000 ;;
	captions) echo 8192 ;;
	*) echo 4096 ;;
	esac
}
budget() {
	if ! $ci; then
		echo "$seconds"
	elif [ "$1" = replay ]; then
		echo 30
	else
		echo 15
	fi
}

build() {
	t=$1
	srcs=""
	for s in $(sources "$t"); do srcs="$srcs $SRC/$s"; done
	"$CC" -g -O1 -std=c11 -D_GNU_SOURCE -DSHMVIZ_USES_ALL -I"$SRC" \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-Wall -Wextra -Werror \
		"$SRC/tests/fuzz/fuzz_$t.c" $srcs \
		$(pkg-config --cflags --libs libcjson) -lm -o "$DIR/fuzz_$t"
}

# fuzz TARGET: 0, or 1 with the input kept and named
fuzz() {
	t=$1
	secs=$(budget "$t")
	art="$DIR/artifacts-$t"
	rm -rf "$art"
	mkdir -p "$art" "$DIR/corpus-$t"
	# the shipped caption file is a seed too (libFuzzer takes directories)
	[ "$t" = captions ] && cp "$SRC/assets/captions.txt" "$DIR/corpus-$t/assets-captions.txt"
	set --
	for s in $(seeds "$t"); do set -- "$@" "$SRC/$s"; done
	echo "fuzz $t: $secs s" >&2
	status=0
	ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=1 \
		"$DIR/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$(max_len "$t")" -dict="$SRC/tests/fuzz/$t.dict" \
		-artifact_prefix="$art/" -print_final_stats=1 \
		"$DIR/corpus-$t" "$@" >"$DIR/log-$t" 2>&1 || status=$?
	if [ "$status" = 0 ] && [ -z "$(ls -A "$art")" ]; then
		grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$DIR/log-$t" |
			sed "s/^/  $t: /" >&2 || true
		return 0
	fi
	tail -60 "$DIR/log-$t" >&2
	mkdir -p "$KEEP"
	kept=0
	for f in "$art"/*; do
		[ -f "$f" ] || continue
		kind=${f##*/}
		kind=${kind%%-*}
		name=fuzz-$kind-$t-$(sha1sum "$f" | cut -c1-40)
		cp "$f" "$KEEP/$name"
		echo "FAIL: fuzz $t: $kind on the input kept as $KEEP/$name" >&2
		echo "      replay it: tests/fuzz/run.sh --build $t && ${FUZZ_DIR:-$SRC/build-fuzz}/fuzz_$t $KEEP/$name" >&2
		kept=$((kept + 1))
	done
	[ "$kept" -gt 0 ] ||
		echo "FAIL: fuzz $t: libFuzzer exited $status and left no input (log above)" >&2
	return 1
}

for t in $targets; do
	build "$t"
done
if $build_only; then
	echo "built: $(for t in $targets; do printf '%s ' "$DIR/fuzz_$t"; done)"
	exit 0
fi
failed=""
for t in $targets; do
	fuzz "$t" || failed="$failed $t"
done
if [ -n "$failed" ]; then
	echo "FAIL: fuzzing found a problem in:$failed" >&2
	exit 1
fi
if $ci; then
	echo "ok: no crash, leak or timeout in $targets"
else
	echo "ok: no crash, leak or timeout in $targets; corpora in $DIR/corpus-*"
fi
