#!/bin/bash
# The memory preflight reads the cgroup's limit: in a cgroup of 100 MiB
# (v2 memory.max, or v1 memory.limit_in_bytes where the memory controller
# is on v1), a run that needs more is refused up front with exit 4 and one
# line naming the limit, instead of being OOM-killed half-way.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"

root=/sys/fs/cgroup
cg=""
if grep -qw memory "$root/cgroup.controllers" 2>/dev/null; then
	parent="$root$(sed -n 's/^0:://p' /proc/self/cgroup)"
	# a v2 cgroup with processes may not have children with controllers:
	# make one beside it when it is not the root
	[ "$parent" = "$root/" ] || parent=$(dirname "$parent")
	cg="$parent/shmviz-test-$$"
	limit=memory.max
elif [ -d "$root/memory" ]; then
	cg="$root/memory$(sed -n 's/^[0-9]*:\(.*,\)\{0,1\}memory\(,.*\)\{0,1\}://p' /proc/self/cgroup)/shmviz-test-$$"
	limit=memory.limit_in_bytes
fi
[ -n "$cg" ] || skip "no cgroup memory controller"
mkdir "$cg" 2>/dev/null || skip "cannot make a cgroup at $cg"
trap 'rmdir "$cg" 2>/dev/null; cleanup' EXIT
echo $((100 << 20)) > "$cg/$limit" || skip "cannot set $cg/$limit"

# the copy run of 2 workers over 240 MB needs about 700 MiB
sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$cg" \
	"$SHMVIZ" --record "$TMP/r.json" -w 2 -n 10M --mode copy --hold 0 \
	>"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 4 ] || fail "in a 100 MiB cgroup: exit $rc, expected 4 (stderr: $(cat "$TMP/err"))"
[ "$(grep -c '' "$TMP/err")" = 1 ] || fail "not one line: $(cat "$TMP/err")"
grep -q "the cgroup of shmviz allows .* more ($cg/$limit)" "$TMP/err" ||
	fail "the refusal does not name the cgroup's limit: $(cat "$TMP/err")"
[ -e "$TMP/r.json" ] && fail "a refused run wrote a recording"
# what fits runs
sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$cg" \
	"$SHMVIZ" --record "$TMP/r.json" -w 1 -n 100k --hold 0 >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 0 ] || fail "a small run in the cgroup: exit $rc: $(cat "$TMP/err")"
no_leftovers
echo ok
