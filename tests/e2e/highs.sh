#!/bin/bash
# Highs and plateaus (docs/architecture.md, "Highs and plateaus"): a
# program (tests/helpers/high.c) raises its memory to MIB MiB in one go
# and holds it, without a phase or a checkpoint, for exactly two of
# shmviz's ticks, then drops it. The budget (0.1% of a core: a bucket of
# 1 ms, less than one read of MIB MiB) never affords a read of it, and a
# tree at rest is swept by the budget's rule only from its third tick at
# rest: only a sweep owed to the high or the plateau sees it. The
# recording's peak ΣPSS must be that moment: bounded within one moment and
# within 2% of the memory the program touched (its known size).
#
# The moment is made, not hoped for: shmviz's stderr is a pseudo-terminal
# whose progress line is redrawn once a tick (a tick every 250 ms, ten
# redraws a second at most); the program is let go after the second
# redraw that follows its "plateau".
. "$(dirname "$0")/lib.sh"
HIGH=${HIGH:?HIGH must name tests/helpers/high}
MIB=256

avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
[ "$avail" -gt $((MIB * 4)) ] || skip "MemAvailable ${avail} MiB: too little for ${MIB} MiB held"
mkfifo "$TMP/go" || fail "mkfifo"

$PY - "$SHMVIZ" "$HIGH" "$TMP" $MIB <<'PYEOF' || fail "the high was not caught"
import json, os, pty, select, signal, sys, time
shmviz, high, tmp, mib = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
status, go, rec = tmp + "/status", tmp + "/go", tmp + "/h.json"
master, slave = pty.openpty()
pid = os.fork()
if pid == 0:
    os.close(master)
    os.dup2(os.open(tmp + "/out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), 1)
    os.dup2(slave, 2)
    os.dup2(os.open("/dev/null", os.O_RDONLY), 0)
    os.execv(shmviz, [shmviz, "--record", rec, "-i", "250", "--budget", "0.1",
                      "--", high, str(mib), status, go])
os.close(slave)
MARK = b"\r\x1b[Kshmviz:"
data, base, released = b"", None, False
deadline = time.monotonic() + 300
while True:
    if time.monotonic() > deadline:
        os.kill(pid, signal.SIGKILL)
        sys.exit("shmviz took over 300 s")
    r, _, _ = select.select([master], [], [], 0.05)
    if r:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            break
        data += chunk
    redraws = data.count(MARK)
    if base is None and os.path.exists(status) and "plateau" in open(status).read():
        base = redraws
    if base is not None and not released and redraws >= base + 2:
        # the second tick that began after the plateau did has been drawn
        with open(go, "wb") as f:
            f.write(b"g")
        released = True
_, st = os.waitpid(pid, 0)
err = data.decode(errors="replace")
if os.waitstatus_to_exitcode(st) != 0:
    sys.exit(f"shmviz exit {os.waitstatus_to_exitcode(st)}: {err}")
if not released or "dropped" not in open(status).read():
    sys.exit(f"the program was not let go: {open(status).read()!r}")
d = json.load(open(rec))
r = d["runs"][0]
pk = r["peak"]
want = mib * 1024
ss = [s for s in r["samples"] if s["total"]["pss_kb"] is not None]
print(f"# {len(ss)} samples, peak ΣPSS {pk['pss_kb']} KiB ± {pk.get('pss_bound_kb')}, "
      f"{want} KiB touched; high sweeps {d['sampler'].get('high_sweeps')}, "
      f"rest sweeps {d['sampler']['rest_sweeps']}", file=sys.stderr)
for s in ss:
    t = s["total"]
    print(f"#   t {s['t']:.3f} ΣRSS {t['rss_kb']} ΣPSS {t['pss_kb']} ± {t.get('pss_bound_kb')}",
          file=sys.stderr)
bad = []
if pk["pss_kb"] is None or pk.get("pss_bound_kb") is None:
    bad.append("no bounded peak")
else:
    if pk["pss_bound_kb"] > max(pk["pss_kb"] // 100, 256):
        bad.append(f"the peak is not one moment: ± {pk['pss_bound_kb']} KiB")
    if abs(pk["pss_kb"] - want) > want * 0.02:
        bad.append(f"peak ΣPSS {pk['pss_kb']} KiB, the program held {want} KiB")
for b in bad:
    print("check failed:", b)
sys.exit(1 if bad else 0)
PYEOF
no_leftovers
echo ok
