#!/bin/bash
# /dev/shm too small, in a private mount namespace with a 1 MB tmpfs on
# /dev/shm: never a SIGBUS, always a clear error with the sizes and exit 4,
# and no segment left.
#
# - refused up front by shmviz's check (the segment cannot fit);
# - the check bypassed: the workload run by hand meets ENOSPC in
#   posix_fallocate;
# - the check passes (tests/helpers/bigshm.c makes statvfs say a TiB is free:
#   the space "disappears" between check and segment): the shared run
#   fails with the sizes, the copy run still runs, shmviz exits 4.
. "$(dirname "$0")/lib.sh"
SHM_SIZE=1m
isolate_shm "$@"

J="$TMP/r.json"
[ "$(df --output=size -k /dev/shm | tail -n 1 | tr -d ' ')" -le 1024 ] ||
	fail "/dev/shm is not the 1 MB tmpfs: $(df -k /dev/shm | tail -n 1)"

# up front: one line naming what is needed and what is free
expect_error 4 "/dev/shm is too small: the segment needs 23 MiB, 1.0 MiB is free" \
	--record "$J" --mode shared -n 1M -w 2
[ -e "$J" ] && fail "a refused run wrote $J"

# the workload's program by hand, no check before it
"$WORKLOAD" shared 1M 2 0 0 >"$TMP/out" 2>"$TMP/err" </dev/null
rc=$?
[ "$rc" = 4 ] || fail "shmviz-workload in a full /dev/shm: exit $rc (stderr: $(cat "$TMP/err"))"
grep -q "too small: the segment needs 24000000 bytes (No space left on device)" "$TMP/err" ||
	fail "shmviz-workload message: $(cat "$TMP/err")"
no_leftovers

# the check fooled: ENOSPC from posix_fallocate inside a real session
[ -n "${BIGSHM:-}" ] && [ -e "$BIGSHM" ] || skip "BIGSHM (tests/helpers/bigshm.c) not built"
# the shim is not built with the sanitizers: ASan must not insist on
# coming first
LD_PRELOAD="$BIGSHM" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" \
	run --record "$J" -n 1M -w 2 --hold 0
[ "$rc" = 4 ] || fail "space gone after the check: exit $rc, expected 4 (stderr: $(cat "$TMP/err"))"
grep -q "shared failed: /dev/shm is too small: the segment needs 24000000 bytes" "$TMP/out" ||
	fail "space gone after the check: the summary does not say why: $(cat "$TMP/out")"
# exit 4 says why on stderr too, in one line
[ "$(grep -c '' "$TMP/err")" = 1 ] && grep -q "the shared run failed: /dev/shm is too small" "$TMP/err" ||
	fail "space gone after the check: stderr is not one line saying why: $(cat "$TMP/err")"
$PY - "$J" <<'EOF' || fail "space gone after the check: recording"
import json, sys
d = json.load(open(sys.argv[1]))
shared, copy = d["runs"]
assert not shared["ok"] and "needs 24000000 bytes" in shared["cause"], shared["cause"]
assert shared["result"]["exit_status"] == 4 * 256, shared["result"]  # exit 4, no signal
assert copy["ok"], copy["cause"]
EOF
no_leftovers

# /dev/shm large enough but partly used: the check is against what is
# free, not its size (a 32 MB tmpfs holding a 16 MB file, a segment of 24 MB)
mount -t tmpfs -o size=32m shmviz-test-half /dev/shm || fail "cannot mount a 32 MB tmpfs on /dev/shm"
head -c 16M /dev/zero > /dev/shm/filler || fail "cannot fill /dev/shm"
read -r size avail <<< "$(df --output=size,avail -k /dev/shm | tail -n 1)"
note "/dev/shm: $avail of $size KiB free"
[ "$avail" -lt 23438 ] && [ "$size" -gt 23438 ] || fail "/dev/shm: $avail of $size KiB free, want less than 24 MB free of more"
run --record "$J.half" --mode shared -n 1M -w 2
rm -f /dev/shm/filler
want="/dev/shm is too small: the segment needs 23 MiB, $((avail / 1024)) MiB is free of $((size / 1024)) MiB"
[ "$rc" = 4 ] && [ "$(grep -c '' "$TMP/err")" = 1 ] && grep -qF "$want" "$TMP/err" ||
	fail "a half-full /dev/shm: exit $rc, stderr '$(cat "$TMP/err")', expected 4 and '$want'"
[ -e "$J.half" ] && fail "a refused run wrote $J.half"
umount /dev/shm
no_leftovers
echo ok
