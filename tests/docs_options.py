#!/usr/bin/env python3
"""docs_options.py - the documentation held to the command line's options.

The options are the table shmviz parses (long_options[] in src/cli/cli.c).
Every one of them appears in `shmviz --help`, in the man page
(assets/shmviz.1) and in README.md; and no option that table lacks is
named there or in docs/*.md, except an option of another tool on a line
that runs it (FOREIGN below). Exit 0, or 1 with one line a finding.
"""
import glob
import os
import re
import subprocess
import sys

SRC = os.environ.get("SRCDIR") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHMVIZ = os.environ.get("SHMVIZ")

# an option of another program, and the words one of which its line or the
# five before it must hold (the program's name)
FOREIGN = {
    "suite": ("meson test",),
    "destdir": ("meson install",),
    "only": ("mutants", "bench"),
    "tests": ("mutants",),
    "workdir": ("mutants",),
    "tidy": ("lint",),
    "build": ("tests/fuzz/run.sh",),
    "ci": ("tests/fuzz/run.sh",),
    "preload": ("gunicorn",),
    "variant": ("prefork.py",),
    "objects": ("prefork.py",),
    "multiprocessing-fork": ("multiprocessing",),
}
OPTION = re.compile(r"(?<![\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")


def table():
    src = open(os.path.join(SRC, "src/cli/cli.c")).read()
    t = src[src.index("long_options[] = {"):]
    return set(re.findall(r'\{ "([a-z][a-z0-9-]*)"', t[:t.index("};")]))


def main():
    opts = table()
    if len(opts) < 20:
        print("docs_options: only %d options read from src/cli/cli.c" % len(opts))
        return 1
    if not SHMVIZ:
        print("docs_options: SHMVIZ must name the binary")
        return 1
    texts = {
        "--help": subprocess.run([SHMVIZ, "--help"], capture_output=True, text=True,
                                 check=True).stdout,
        # roff: \- is a minus, \fB...\fR a font change
        "assets/shmviz.1": re.sub(r"\\f[BIRP]", "", open(os.path.join(SRC, "assets/shmviz.1")).read()
                                  .replace("\\-", "-")),
        "README.md": open(os.path.join(SRC, "README.md")).read(),
    }
    whole = set(texts)
    for path in sorted(glob.glob(os.path.join(SRC, "docs/*.md"))):
        texts[os.path.relpath(path, SRC)] = open(path).read()
    findings = []
    for name, text in texts.items():
        named = set()
        lines = text.split("\n")
        for i, line in enumerate(lines):
            for o in OPTION.findall(line):
                named.add(o)
                if o in opts:
                    continue
                near = "\n".join(lines[max(0, i - 5):i + 1])
                if any(w in near for w in FOREIGN.get(o, ())):
                    continue
                findings.append("%s names --%s, which shmviz does not have: %s" % (name, o, line.strip()))
        if name in whole:
            for o in sorted(opts - named):
                findings.append("%s does not name --%s" % (name, o))
    for f in findings:
        print(f)
    print("docs_options: %d options, %d texts, %d findings" % (len(opts), len(texts), len(findings)),
          file=sys.stderr)
    return 1 if findings else 0


sys.exit(main())
