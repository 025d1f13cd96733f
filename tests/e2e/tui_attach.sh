#!/bin/bash
# The TUI with --attach, -- and --repeat: an attached tree (not shmviz's
# child, no tag) is shown in one pane and left as it was by q; a command
# after -- has one wide pane and, after q, its exit status is shmviz's;
# --repeat's strip gives the rounds' median [min, max].
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
. "$(dirname "$0")/tmux_lib.sh"
SHMFORK=${SHMFORK:?SHMFORK must name tests/helpers/shmfork}
TOUCH=${TOUCH:?TOUCH must name tests/helpers/touch}

TREE=
trap 'if [ -n "$TREE" ]; then pkill -KILL -s "$TREE" 2>/dev/null; fi; tmux_cleanup' EXIT
L="$TMP/t.log"
env -u SHMVIZ_TEST_TAG setsid $PY "$SRCDIR/tests/helpers/tree.py" "$L" "$TMP/go" 120 </dev/null >/dev/null 2>&1 &
TREE=$!
for _ in $(seq 300); do grep -q '^ready' "$L" 2>/dev/null && break; sleep 0.05; done
grep -q '^ready' "$L" || fail "the tree did not start"
pids=$(awk '$1 ~ /^(root|c1|c2|gc)$/ { print $2 }' "$L")
st() { for p in $pids; do echo "$p $(awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$p/stat" 2>/dev/null)"; done; }
before=$(st)

# --attach: one pane, every member, q leaves the tree
start a 100 30 -- -i 50 --attach "$TREE"
wait_for a "a running tree, read-only"
wait_for a "attached to pid $TREE"
wait_for a "4 processes"
[ "$(grep -c '╭─' "$TMP/screen")" = 1 ] || fail "attach: not one pane: $(cat "$TMP/screen")"
keys a q
wait_exit a
[ "$rc $restored" = "0 restored" ] || fail "attach: q: $rc $restored; $(cat "$TMP/err.a")"
no_leftovers
[ "$(st)" = "$before" ] || fail "attach: the tree changed: [$before] [$(st)]"
grep -q '^signal' "$L" && fail "attach: the tree got a signal: $(grep '^signal' "$L")"
touch "$TMP/go"
wait "$TREE"; trc=$?; TREE=
[ "$trc" = 0 ] || fail "attach: the tree exited $trc after shmviz"

# -- CMD: one wide pane; after q, the command's status
start c 100 30 -- -i 50 -- "$SHMFORK" 16 2 0.5 3
wait_for c "one command"
wait_for c "╭─ shmfork"
[ "$(grep -c '╭─' "$TMP/screen")" = 1 ] || fail "--: not one pane: $(cat "$TMP/screen")"
wait_for c "done in"
keys c q
wait_exit c
[ "$rc $restored" = "3 restored" ] || fail "--: q after the command's exit 3: $rc $restored; $(cat "$TMP/err.c")"
no_leftovers

# --repeat: the rounds in the strip
start r 110 30 -- -i 50 --repeat 2 -- "$TOUCH" 8 0.2 1
wait_for r "2 of 2 rounds, median \[min, max\]: touch [0-9.]+ m?s \[[0-9.]+ m?s, [0-9.]+ m?s\]"
keys r q
wait_exit r
[ "$rc $restored" = "0 restored" ] || fail "repeat: q: $rc $restored; $(cat "$TMP/err.r")"
no_leftovers
echo ok
