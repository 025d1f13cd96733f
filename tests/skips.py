#!/usr/bin/env python3
"""skips.py BUILD TESTLOG - fails on a skipped test that tests/skips.txt
does not list for BUILD (normal or sanitize).

TESTLOG is meson's meson-logs/testlog.json of that build. Each skip is
printed with its reason (the test's last output line) and whether it is
allowed; the exit status is 1 when any is not, 2 on bad arguments.
"""
import json
import os
import sys


def allowed(build):
    """{test name: reason} of the skips tests/skips.txt lists for build."""
    out = {}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "skips.txt")
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            kind, name, reason = line.split(None, 2)
            if kind == build:
                out[name] = reason
    return out


def main(argv):
    if len(argv) != 3 or argv[1] not in ("normal", "sanitize"):
        print("usage: skips.py normal|sanitize TESTLOG.json", file=sys.stderr)
        return 2
    ok = allowed(argv[1])
    bad = 0
    with open(argv[2], encoding="utf-8", errors="replace") as f:
        for line in f:
            d = json.loads(line)
            if d.get("result") != "SKIP":
                continue
            # "shmviz:e2e / attach" -> "attach"
            name = d["name"].rpartition(" / ")[2]
            said = ((d.get("stdout") or "") + (d.get("stderr") or "")).strip().splitlines()
            said = [s for s in said if "SKIP" in s or "skip" in s] or said
            why = said[-1] if said else "(no reason given)"
            if name in ok:
                print(f"skips: {argv[1]} {name}: allowed ({ok[name]})")
            else:
                print(f"skips: {argv[1]} {name}: NOT LISTED in tests/skips.txt: {why}")
                bad += 1
    if bad:
        print(f"skips: {bad} test(s) skipped without being listed: a skip hides "
              "what the test would have found", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
