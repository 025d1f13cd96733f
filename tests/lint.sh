#!/bin/sh
# lint.sh - static analysis of shmviz's own C code (probes/, src/, ui/,
# and the C of tests/: unit tests, tools, helpers, benchmarks, fuzzer).
#
#   tests/lint.sh [BUILDDIR]          cppcheck and the layers of
#                                     docs/architecture.md (tests/layers.py;
#                                     a few seconds; also run by meson
#                                     test, suite 'lint')
#   tests/lint.sh --tidy [BUILDDIR]   clang-tidy as well (about a minute a
#                                     core: run by hand before a merge)
#
# Both must report nothing. A finding that stays is suppressed where it
# stands, with its reason beside it ("cppcheck-suppress ID" comments), or
# in tests/lint.supp (cppcheck) and .clang-tidy (clang-tidy), each entry
# with its reason. BUILDDIR (default: build) holds config.h and
# compile_commands.json. Exit: 0 clean, 1 findings, 77 a tool is missing.
set -u
tidy=no
if [ "${1:-}" = --tidy ]; then
	tidy=yes
	shift
fi
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
BUILDDIR=${1:-${BUILDDIR:-$SRCDIR/build}}
cd "$SRCDIR" || exit 1
command -v cppcheck >/dev/null 2>&1 || { echo "SKIP: cppcheck is not installed" >&2; exit 77; }
[ -f "$BUILDDIR/config.h" ] || { echo "lint.sh: no $BUILDDIR/config.h: configure with meson first" >&2; exit 1; }

status=0
# one job: unusedFunction needs the whole program at once
cppcheck --enable=warning,style,performance,portability,unusedFunction \
	--std=c11 --inline-suppr --error-exitcode=1 --quiet \
	-D_GNU_SOURCE -DSHMVIZ_USES_ALL -I . -I "$BUILDDIR" \
	--suppress=missingIncludeSystem --suppressions-list=tests/lint.supp \
	probes src ui tests/unit tests/helpers tests/bench tests/fuzz || status=1
[ $status = 0 ] && echo "cppcheck: no finding"

# the layers of docs/architecture.md: direct includes, and what the build
# refuses (tests/layers.py)
if command -v python3 >/dev/null 2>&1; then
	python3 tests/layers.py "$BUILDDIR" || status=1
else
	echo "lint.sh: python3 is missing: the layers are not checked" >&2
	status=1
fi

# every mutant of tests/mutants.txt still applies to the code (a refactor
# that moves a line makes its mutant "stale": it would test nothing)
stale=$(bash tests/mutants.sh --list 2>&1 | awk '$4 == "STALE" { print $2 " (" $3 ")" }')
if [ -n "$stale" ]; then
	echo "tests/mutants.txt: stale mutants (their text no longer occurs once):" $stale
	status=1
fi

# functions of at most 100 lines (.clang-tidy: readability-function-size),
# on every run: the one clang-tidy check fast enough for the suite
csrc="probes/*.c src/*.c src/*/*.c ui/*.c"
if command -v clang-tidy >/dev/null 2>&1 && [ -f "$BUILDDIR/compile_commands.json" ]; then
	# shellcheck disable=SC2086
	clang-tidy -p "$BUILDDIR" --quiet -checks='-*,readability-function-size' \
		$(ls $csrc) 2>/dev/null >"$BUILDDIR/function-size.log"
	if grep -q "readability-function-size" "$BUILDDIR/function-size.log"; then
		grep "readability-function-size" "$BUILDDIR/function-size.log"
		status=1
	else
		echo "function size: no function over the limit of .clang-tidy"
	fi
else
	echo "lint.sh: clang-tidy or $BUILDDIR/compile_commands.json is missing: function sizes not checked" >&2
	status=1
fi

if [ $tidy = yes ]; then
	command -v clang-tidy >/dev/null 2>&1 || { echo "SKIP: clang-tidy is not installed" >&2; exit 77; }
	[ -f "$BUILDDIR/compile_commands.json" ] ||
		{ echo "lint.sh: no $BUILDDIR/compile_commands.json" >&2; exit 1; }
	# the files the build compiles (tests/helpers/bigshm.c included)
	# (tests/fuzz is built by tests/fuzz/run.sh with clang, outside the
	# compilation database: cppcheck alone looks at it)
	files=$(ls probes/*.c src/*.c src/*/*.c ui/*.c tests/unit/*.c \
		tests/helpers/*.c tests/bench/*.c)
	# shellcheck disable=SC2086
	if clang-tidy -p "$BUILDDIR" --quiet $files 2>/dev/null >"$BUILDDIR/clang-tidy.log"; then
		echo "clang-tidy: no finding"
	else
		grep -E "warning:|error:" "$BUILDDIR/clang-tidy.log"
		status=1
	fi
fi
exit $status
