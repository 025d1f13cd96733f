#!/bin/bash
# The native workloads run shmviz-workload, a program of their own that
# links libc and libm alone (docs/architecture.md, "Processes of a
# session"), not shmviz:
# - held (a shared and a copy run of W workers in their hold, stopped by
#   SIGTERM of shmviz): the root and every worker execute $WORKLOAD
#   (/proc/PID/exe), map libc and no library of shmviz's (cairo, X11,
#   fontconfig, ncurses, tinfo, libproc2, cJSON); in the shared run each
#   maps the segment /dev/shm/shmviz-ROOT-N, ROWS x 24 bytes whole pages,
#   the copy run none;
# - recorded with --mappings: no snapshot has a group of those libraries
#   (but of the root in its "start" phase, before its exec); every process of the hold's snapshots maps the program; in the shared
#   run's each of the root and the W workers holds the segment, resident
#   whole, its size the run's (config.bytes, ROWS x 24);
# - found beside shmviz, never through PATH or the current directory; a
#   copy beside it that is group-writable or another user's is refused;
#   none: one line, exit 4, nothing run.
. "$(dirname "$0")/lib.sh"
isolate_shm "$@"
export TMPDIR="$TMP"
[ -x "$WORKLOAD" ] || fail "no shmviz-workload at $WORKLOAD"

ROWS=1000000 W=2
export LIBS='/lib(cairo|X11|xcb|Xrender|Xext|fontconfig|freetype|pixman|ncurses|tinfo|panel|proc2|cjson)[^/]*\.so'

# the processes of a run held: its root (shmviz's child, once its exec
# named it shmviz-MODE) and the root's W workers; waits for them (and in
# the shared run for every worker's mapping of the segment), 60 s at most
held_tree() {
	sv=$1 mode=$2
	for _ in $(seq 600); do
		root=$(pgrep -P "$sv" -x "shmviz-$mode" | head -n 1)
		if [ -n "$root" ]; then
			workers=$(pgrep -P "$root" -d ' ' 'shmviz-w')
			n=$(echo "$workers" | wc -w)
			if [ "$n" = "$W" ]; then
				[ "$mode" != shared ] && return 0
				ok=1
				for p in $workers; do grep -q ' /dev/shm/shmviz-' "/proc/$p/maps" || ok=0; done
				[ $ok = 1 ] && return 0
			fi
		fi
		sleep 0.1
	done
	fail "$mode: no root with $W workers (attached) within 60 s: root '${root:-}' workers '${workers:-}'"
}

for mode in shared copy; do
	"$SHMVIZ" --record "$TMP/h-$mode.json" --mode $mode -w $W -n $ROWS --hold 300 \
		>"$TMP/out" 2>"$TMP/err" </dev/null &
	sv=$!
	held_tree $sv $mode
	# shellcheck disable=SC2086
	$PY - "$WORKLOAD" "$ROWS" "$mode" "$root" $workers <<'PYEOF' || { kill -TERM $sv; wait $sv; fail "$mode: the held tree"; }
import math, os, re, sys
want_exe = os.path.realpath(sys.argv[1])
rows, mode, root = int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
pids = [root] + [int(x) for x in sys.argv[5:]]
libs = re.compile(os.environ["LIBS"])
page = os.sysconf("SC_PAGE_SIZE")
seg_bytes = math.ceil(rows * 24 / page) * page
bad = []
for pid in pids:
    exe = os.readlink(f"/proc/{pid}/exe")
    if exe != want_exe:
        bad.append(f"pid {pid} runs {exe}, not {want_exe}")
    lines = open(f"/proc/{pid}/maps").read().splitlines()
    paths = [(l.split(None, 5) + [""])[5] for l in lines]
    shmviz_libs = sorted({p for p in paths if libs.search(p)})
    if shmviz_libs:
        bad.append(f"pid {pid} maps {', '.join(shmviz_libs)}")
    if not any(re.search(r"/libc(\.so\.6|-[0-9.]+\.so)$", p) for p in paths):
        bad.append(f"pid {pid} maps no libc: {sorted(set(paths))}")
    seg = {}
    for l, p in zip(lines, paths):
        if p.startswith("/dev/shm/shmviz-"):
            lo, hi = (int(x, 16) for x in l.split()[0].split("-"))
            name = p.removesuffix(" (deleted)")
            seg[name] = seg.get(name, 0) + hi - lo
    if mode == "shared":
        if list(seg) != [name for name in seg if re.fullmatch(rf"/dev/shm/shmviz-{root}-[0-9]+", name)] or len(seg) != 1:
            bad.append(f"pid {pid} maps segments {seg}, expected one /dev/shm/shmviz-{root}-N")
        elif list(seg.values())[0] != seg_bytes:
            bad.append(f"pid {pid} maps {list(seg.values())[0]} bytes of the segment, expected {seg_bytes}")
    elif seg:
        bad.append(f"pid {pid} of the copy run maps segments {seg}")
for b in bad:
    print(b, file=sys.stderr)
if not bad:
    print(f"# {mode}: root {root} and {len(pids) - 1} workers run {want_exe}, map libc and none of shmviz's libraries"
          + (f"; each maps the segment, {seg_bytes} bytes" if mode == "shared" else ""), file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
	kill -TERM $sv
	wait $sv
	rc=$?
	[ "$rc" = 143 ] || fail "$mode: shmviz after SIGTERM: exit $rc: $(cat "$TMP/err")"
	no_leftovers
done

# recorded with --mappings
run --record "$TMP/n.json" --mappings -w $W -n $ROWS --hold 1
[ "$rc" = 0 ] || fail "--mappings run: exit $rc: $(cat "$TMP/err")"
$PY - "$TMP/n.json" "$WORKLOAD" "$ROWS" "$W" <<'PYEOF' || fail "--mappings: the processes' groups"
import json, math, os, re, sys
d = json.load(open(sys.argv[1]))
want_exe = os.path.realpath(sys.argv[2])
rows, w = int(sys.argv[3]), int(sys.argv[4])
libs = re.compile(os.environ["LIBS"])
page = d["host"]["page_size"]
seg_kb = math.ceil(rows * 24 / page) * page // 1024
bad = []
if d["config"]["bytes"] != rows * 24:
    bad.append(f"config.bytes {d['config']['bytes']}, expected {rows * 24}")
runs = {r["name"]: r for r in d["runs"]}
if sorted(runs) != ["copy", "shared"]:
    bad.append(f"runs {sorted(runs)}")
for name, r in runs.items():
    snaps = r.get("mappings") or []
    nbad = len(bad)
    for s in snaps:
        for p in s["procs"]:
            # (the root in its "start" phase may not have run its exec
            # yet: until then it is a fork of shmviz)
            if p["role"] == "parent" and s["phase"] in ("", "start"):
                continue
            found = sorted({g["path"] for g in p["groups"] if libs.search(g["path"])})
            if found:
                bad.append(f"{name} t={s['t']:.3f}: pid {p['pid']} ({p['comm']}) maps {found}")
    h = [p for p in r["phases"] if p["name"] == "hold"][0]
    hold = [s for s in snaps if s["phase"] == "hold" and s["t"] >= h["start_s"] and s["t_end"] <= h["end_s"]]
    if not hold:
        bad.append(f"{name}: no snapshot within the hold")
    for s in hold:
        roots = [p for p in s["procs"] if p["role"] == "parent"]
        workers = [p for p in s["procs"] if p["role"] == "worker"]
        if len(roots) != 1 or len(workers) != w:
            bad.append(f"{name} t={s['t']:.3f}: {len(roots)} roots, {len(workers)} workers, expected 1 and {w}")
            continue
        root = roots[0]["pid"]
        for p in roots + workers:
            files = {g["path"] for g in p["groups"] if g["kind"] == "file"}
            if want_exe not in files:
                bad.append(f"{name}: pid {p['pid']} does not map {want_exe}: {sorted(files)}")
            shm = [g for g in p["groups"] if g["kind"] == "shm"]
            if name == "copy" and shm:
                bad.append(f"copy: pid {p['pid']} maps {[g['path'] for g in shm]}")
            if name == "shared":
                if len(shm) != 1 or not re.fullmatch(rf"/dev/shm/shmviz-{root}-[0-9]+", shm[0]["path"]):
                    bad.append(f"shared: pid {p['pid']} maps {[g['path'] for g in shm]}, expected /dev/shm/shmviz-{root}-N")
                elif shm[0]["rss_kb"] != seg_kb or shm[0]["shared_dirty_kb"] != seg_kb:
                    bad.append(f"shared: pid {p['pid']} holds {shm[0]['rss_kb']} kB of the segment "
                               f"(Shared_Dirty {shm[0]['shared_dirty_kb']}), expected {seg_kb}")
    if len(bad) == nbad:
        print(f"# {name}: {len(snaps)} snapshots, {len(hold)} in the hold; no process maps a library of shmviz's",
              file=sys.stderr)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
no_leftovers

# The lookup, from copies of shmviz in directories of their own (not the
# build directory: a copy there looks beside itself, then in the
# installed places; with nothing installed there, beside only matters)
libexec=$(sed -n 's/^#define SHMVIZ_LIBEXECDIR "\(.*\)"$/\1/p' "$BUILDDIR/config.h")
[ -n "$libexec" ] || fail "no SHMVIZ_LIBEXECDIR in $BUILDDIR/config.h"
if [ -e "$libexec/shmviz-workload" ]; then
	note "an installed $libexec/shmviz-workload: the lookup's refusals are not checked"
	echo ok
	exit 0
fi
mkdir -p "$TMP/none" "$TMP/gw" "$TMP/other" "$TMP/good" "$TMP/cwd" "$TMP/path"
for d in none gw other good; do cp "$SHMVIZ" "$TMP/$d/shmviz"; done
# a shmviz-workload in the current directory and in PATH, which would fail
# the run if taken
printf '#!/bin/sh\nexit 9\n' >"$TMP/cwd/shmviz-workload"
cp "$TMP/cwd/shmviz-workload" "$TMP/path/shmviz-workload"
chmod 755 "$TMP/cwd/shmviz-workload" "$TMP/path/shmviz-workload"
cd "$TMP/cwd" || fail "cd $TMP/cwd"
SHMVIZ="$TMP/none/shmviz" PATH="$TMP/path:$PATH" \
	expect_error 4 "^shmviz: cannot run the native workload: shmviz-workload is neither in $TMP/none nor in $libexec (reinstall shmviz)$" \
	--record "$TMP/x.json" -n 1k -w 1 --hold 0
[ -e "$TMP/x.json" ] && fail "a refused run wrote $TMP/x.json"
# the Python workload does not need it
# (its own checks: e2e python)
install -m 775 "$WORKLOAD" "$TMP/gw/shmviz-workload"
SHMVIZ="$TMP/gw/shmviz" expect_error 4 \
	"^shmviz: cannot run the native workload: refusing to run $TMP/gw/shmviz-workload: writable by its group (reinstall shmviz)$" \
	--record "$TMP/x.json" -n 1k -w 1 --hold 0
install -m 755 "$WORKLOAD" "$TMP/other/shmviz-workload"
chown 12345 "$TMP/other/shmviz-workload" || fail "chown (the test runs as root)"
SHMVIZ="$TMP/other/shmviz" expect_error 4 \
	"^shmviz: cannot run the native workload: refusing to run $TMP/other/shmviz-workload: owned by uid 12345, neither root, the user running shmviz (uid 0) nor the owner of its binary" \
	--record "$TMP/x.json" -n 1k -w 1 --hold 0
[ -e "$TMP/x.json" ] && fail "a refused run wrote $TMP/x.json"
# a symbolic link (to the real program: a link to a root-owned
# interpreter would pass any check of its target), and a good program in
# a directory its group may change: refused, never passed over
mkdir -p "$TMP/link" "$TMP/gwdir"
cp "$SHMVIZ" "$TMP/link/shmviz"
ln -s "$WORKLOAD" "$TMP/link/shmviz-workload"
SHMVIZ="$TMP/link/shmviz" expect_error 4 \
	"^shmviz: cannot run the native workload: refusing to run $TMP/link/shmviz-workload: a symbolic link" \
	--record "$TMP/x.json" -n 1k -w 1 --hold 0
cp "$SHMVIZ" "$TMP/gwdir/shmviz"
install -m 755 "$WORKLOAD" "$TMP/gwdir/shmviz-workload"
chmod 775 "$TMP/gwdir"
SHMVIZ="$TMP/gwdir/shmviz" expect_error 4 \
	"^shmviz: cannot run the native workload: refusing to run $TMP/gwdir/shmviz-workload: its directory $TMP/gwdir is writable by its group" \
	--record "$TMP/x.json" -n 1k -w 1 --hold 0
[ -e "$TMP/x.json" ] && fail "a refused run wrote $TMP/x.json"
# beside it, as it is in the build directory: taken, with the run's words
# (a program that notes them, then runs the real one)
printf '#!/bin/sh\necho "$0 $*" >"%s/ran"\nexec "%s" "$@"\n' "$TMP" "$WORKLOAD" >"$TMP/good/shmviz-workload"
chmod 755 "$TMP/good/shmviz-workload"
SHMVIZ="$TMP/good/shmviz" PATH="$TMP/path:$PATH" run --record "$TMP/g.json" --mode shared -n 1000 -w 1 --hold 0
[ "$rc" = 0 ] || fail "shmviz-workload beside shmviz: exit $rc: $(cat "$TMP/err")"
[ "$(cat "$TMP/ran")" = "$TMP/good/shmviz-workload shared 1000 1 0 0" ] ||
	fail "shmviz ran '$(cat "$TMP/ran")', expected '$TMP/good/shmviz-workload shared 1000 1 0 0'"
$PY -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; assert r["ok"] and r["result"]["sum"] == 500, r' \
	"$TMP/g.json" || fail "shmviz-workload beside shmviz: the run's result"
cd / || fail "cd /"
no_leftovers
echo ok
