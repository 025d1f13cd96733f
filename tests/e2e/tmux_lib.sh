# tmux_lib.sh - driving the TUI through tmux (sourced after lib.sh).
#
# Each test has a tmux server of its own (tmux -L, no config file), killed
# on exit. The server does not carry the test's tag; the command in the
# pane does, so no_leftovers sees shmviz and its workloads, not tmux.
# A pane command ends by writing its exit status to $TMP/rc.NAME, and
# whether the terminal modes came back as they were ("restored").

command -v tmux >/dev/null 2>&1 || skip "tmux is missing (./quickstart installs it)"

SOCK="shmviz-test-$$"
tmx() { env -u SHMVIZ_TEST_TAG tmux -L "$SOCK" -f /dev/null "$@"; }

tmux_cleanup() {
	tmx kill-server >/dev/null 2>&1
	cleanup
}
trap tmux_cleanup EXIT

# start NAME COLS ROWS [ENV=VALUE...] -- SHMVIZ ARGS...: a session whose
# pane runs shmviz with the given environment
start() {
	name=$1 cols=$2 rows=$3
	shift 3
	envs=""
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		envs="$envs $1"
		shift
	done
	[ "${1:-}" = "--" ] && shift
	rm -f "$TMP/rc.$name" "$TMP/err.$name"
	# the pane's shell waits for shmviz through a Ctrl-C (trap :), then
	# records the status and whether the tty modes are as before
	cat > "$TMP/run.$name" <<SCRIPT
trap : INT
before=\$(stty -g)
env SHMVIZ_TEST_TAG=$TAG $envs "$SHMVIZ" $* 2>"$TMP/err.$name"
rc=\$?
after=\$(stty -g)
if [ "\$before" = "\$after" ]; then echo "\$rc restored" > "$TMP/rc.$name"; else echo "\$rc changed" > "$TMP/rc.$name"; fi
SCRIPT
	if tmx has-session -t "$name" 2>/dev/null; then tmx kill-session -t "$name"; fi
	tmx new-session -d -s "$name" -x "$cols" -y "$rows" "sh $TMP/run.$name" ||
		fail "tmux new-session failed"
	tmx set-option -t "$name" remain-on-exit on >/dev/null
}

screen_of() { tmx capture-pane -p -t "$1"; }
screen_esc() { tmx capture-pane -p -e -t "$1"; }
keys() { name=$1; shift; tmx send-keys -t "$name" "$@"; }

# waits up to 60 s (a guard against hangs, not a timing check) for the
# screen of NAME to match an extended regular expression
wait_for() {
	name=$1 pattern=$2
	i=0
	while [ $i -lt 300 ]; do
		screen_of "$name" > "$TMP/screen" 2>/dev/null
		grep -Eq -- "$pattern" "$TMP/screen" && return 0
		if [ -f "$TMP/rc.$name" ] && ! grep -Eq -- "$pattern" "$TMP/screen"; then
			screen_of "$name" > "$TMP/screen" 2>/dev/null
			grep -Eq -- "$pattern" "$TMP/screen" && return 0
			fail "$name: shmviz ended ($(cat "$TMP/rc.$name"); stderr: $(cat "$TMP/err.$name" 2>/dev/null)) before the screen showed '$pattern'; screen:
$(cat "$TMP/screen")"
		fi
		sleep 0.2
		i=$((i + 1))
	done
	fail "$name: the screen never showed '$pattern'; screen:
$(cat "$TMP/screen")"
}

# waits for the pane's command to end; sets $rc and $restored
wait_exit() {
	name=$1
	i=0
	while [ ! -s "$TMP/rc.$name" ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
	[ -s "$TMP/rc.$name" ] || fail "$name: shmviz did not exit; screen:
$(screen_of "$name")"
	read -r rc restored < "$TMP/rc.$name"
}

# a replay's position and length on NAME's screen:
# "⏸ 0.460 s / 1.610 s  1x" -> 0.460 and 1.610
replay_position() { screen_of "$1" | grep -Eo '[▶⏸] [0-9.]+ s / [0-9.]+ s' | awk '{print $2}'; }
replay_length() { screen_of "$1" | grep -Eo '[▶⏸] [0-9.]+ s / [0-9.]+ s' | awk '{print $5}'; }
# waits until shmviz has handled every key sent to NAME before and drawn
# the result: it handles keys in order, so once l has turned the captions
# off and on again, the keys before it are done
keys_settle() {
	keys "$1" l
	wait_for "$1" "l captions off"
	keys "$1" l
	wait_for "$1" "l captions [^o]"
}
