#!/usr/bin/env python3
"""layers.py - holds the code to the layers of docs/architecture.md.

    tests/layers.py [BUILDDIR]

Reads the table under "## Layers" of docs/architecture.md (layer, files,
may include, outside library) and checks two things:

1. Direct includes. Every quoted include of every C file of a layer names a
   folder of that layer or one of its "may include" column; every angle
   include of an outside library (cJSON, cairo, fontconfig, curses,
   libproc2) is in a layer whose "outside library" column names it.
2. The build refuses what the table forbids. With the compile command of
   one file of each library (BUILDDIR/compile_commands.json), a file that
   includes one header of each folder, and one of each outside library, is
   compiled (-fsyntax-only): it must compile when the layer may reach the
   folder (what it may include, and what those headers include in turn:
   the closure of the column) and fail with the layer's #error when it may
   not. So the meson table and this file cannot drift apart.

3. Programs' links. Each program of the table (main: shmviz,
   workload_main: shmviz-workload) needs (readelf -d) no outside library
   its row's "outside library" column does not name; a program whose row
   may not include everything needs nothing but libc and libm (and the
   sanitizers' runtimes): shmviz-workload's processes map nothing of
   cairo, curses, libproc2 or cJSON.

4. Names (rule 4). Every function a library's object exports (nm) begins
   with its file's name, or with a type the header beside it defines
   (struct run in model.h: run_*), or with the short name of NAME_ALIAS;
   NAME_KNOWN lists those not yet renamed. (That a function not in a
   header is static, -Wmissing-prototypes holds.)

Exit: 0 clean, 1 findings (one line each on stdout), 77 when the build
directory has no compilation database.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# a header of each folder, whose inclusion the build must allow or refuse
PROBE_HEADER = {
    'util': 'src/util/text.h',
    'probes': 'probes/host.h',
    'core': 'src/core/model.h',
    'cli': 'src/cli/cli.h',
    'sample': 'src/sample/sampler.h',
    'workload': 'src/workload/dataset.h',
    'report': 'src/report/summary.h',
    'recording': 'src/recording/record.h',
    'run': 'src/run/session.h',
    'ui_pure': 'ui/layout.h',
    'ui': 'ui/tui.h',
}
# the outside libraries, by the names the table uses, and their headers
OUTSIDE = {
    'cJSON': ['cjson/cJSON.h'],
    'cairo': ['cairo.h', 'fontconfig/fontconfig.h'],
    'curses': ['curses.h'],
    'libproc2': ['libproc2/pids.h'],
}
# the library (meson target) of each layer, as compile_commands names it
TARGET = {
    'probes': 'probes/libprobes.a.p/',
    'main': 'shmviz.p/',
    'workload_main': 'shmviz-workload.p/',
}
# the programs, by their rows, and the files that hold their main()
PROGRAM = {'main': 'shmviz', 'workload_main': 'shmviz-workload'}
ENTRY = {'src/main.c', 'src/workload/main.c'}
# the outside libraries' shared objects (and those they come with: cairo's
# fonts, curses' terminfo), by the names the table uses
OUTSIDE_SONAME = {
    'cJSON': r'libcjson',
    'cairo': r'lib(cairo|fontconfig|pixman|freetype|X11|xcb)',
    'curses': r'lib(ncurses|tinfo|panel|form|menu)',
    'libproc2': r'libproc',
}
# what any program may need: the C library, libm, the dynamic loader, and
# the sanitizers' runtimes of a -Db_sanitize build
BASE_SONAME = r'(libc|libm|ld-linux[-\w.]*|libasan|libubsan|libtsan|liblsan|libgcc_s|libstdc\+\+)\.so'


def target_of(layer):
    if layer in TARGET:
        return TARGET[layer]
    d = 'ui' if layer.startswith('ui') else 'src/' + layer
    return f'{d}/libshmviz_{layer}.a.p/'


def read_table():
    text = open(os.path.join(SRC, 'docs', 'architecture.md'), encoding='utf-8').read()
    sec = text.split('\n## Layers\n', 1)[1].split('\n## ', 1)[0]
    rows = {}
    for line in sec.splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) != 5 or cells[0] in ('layer', '---') or not line.startswith('|'):
            continue
        layer, files, may, outside, _ = cells
        files = re.findall(r'`([^`]+)`', files)
        may = [] if may == '—' else [m.strip() for m in may.split(',')]
        outside = [] if outside == '—' else [o.strip() for o in outside.split(',')]
        rows[layer] = {'files': files, 'may': may, 'outside': outside}
    return rows


def layer_of_file(rows, path):
    """The layer a source file belongs to: the most specific files entry."""
    best, blen = None, -1
    for layer, row in rows.items():
        for f in row['files']:
            if (path == f or (f.endswith('/') and path.startswith(f))) and len(f) > blen:
                best, blen = layer, len(f)
    return best


def folder_layer(rows, inc):
    """The layer of an included header (a header of ui_pure's .c is ui_pure)."""
    if inc.startswith('ui/'):
        base = inc[:-2] + '.c'
        return 'ui_pure' if base in rows.get('ui_pure', {}).get('files', []) else 'ui'
    return layer_of_file(rows, inc)


def closure(rows, layer):
    seen, todo = {layer}, [layer]
    while todo:
        for m in rows[todo.pop()]['may']:
            if m != 'all' and m not in seen:
                seen.add(m)
                todo.append(m)
    return seen


def c_files():
    out = subprocess.run(['git', 'ls-files', 'src', 'probes', 'ui'], cwd=SRC,
                         capture_output=True, text=True).stdout.split()
    if not out:  # not a git checkout
        for d in ('src', 'probes', 'ui'):
            for dp, _, fs in os.walk(os.path.join(SRC, d)):
                out += [os.path.relpath(os.path.join(dp, f), SRC) for f in fs]
    return sorted(f for f in out if f.endswith(('.c', '.h')) and not f.startswith('src/layers/'))


def check_direct(rows):
    bad = []
    lib_of_header = {h: l for l, hs in OUTSIDE.items() for h in hs}
    for f in c_files():
        layer = layer_of_file(rows, f)
        if layer is None:
            bad.append(f'{f}: in no layer of docs/architecture.md')
            continue
        allowed = set(rows[layer]['may']) | {layer}
        if layer == 'ui':
            allowed.add('ui_pure')
        if layer == 'ui_pure':
            allowed.add('ui')  # its own headers: checked below by name
        text = open(os.path.join(SRC, f), encoding='utf-8', errors='replace').read()
        for n, line in enumerate(text.splitlines(), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if m and '/' in m.group(1):
                inc = m.group(1)
                il = folder_layer(rows, inc)
                if il is None:
                    continue  # config.h and the like
                if 'all' in rows[layer]['may']:
                    continue
                ok = il in allowed
                if layer == 'ui_pure' and il == 'ui':
                    ok = False
                if not ok:
                    bad.append(f'{f}:{n}: includes {inc} ({il}), which {layer} may not '
                               f'(docs/architecture.md, Layers)')
            m = re.match(r'\s*#\s*include\s+<([^>]+)>', line)
            if m and m.group(1) in lib_of_header:
                lib = lib_of_header[m.group(1)]
                if lib not in rows[layer]['outside']:
                    bad.append(f'{f}:{n}: includes <{m.group(1)}> ({lib}), which {layer} '
                               f'may not use (docs/architecture.md, Layers)')
    return bad


def compile_cmd(db, layer):
    want = target_of(layer)
    for e in db:
        cmd = e.get('command') or ' '.join(shlex.quote(a) for a in e['arguments'])
        if f' -o {want}' in cmd or f' -o{want}' in cmd:
            return e['directory'], shlex.split(cmd)
    return None, None


def try_compile(directory, argv, include):
    args = []
    skip = False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in ('-o', '-MF', '-MQ', '-c'):
            skip = True
            continue
        if a in ('-MD',) or a.endswith(('.c',)):
            continue
        args.append(a)
    with tempfile.NamedTemporaryFile('w', suffix='.c', delete=False) as t:
        t.write(f'#include {include}\n')
        name = t.name
    try:
        r = subprocess.run(args + ['-fsyntax-only', name], cwd=directory,
                           capture_output=True, text=True)
    finally:
        os.unlink(name)
    return r.returncode == 0, r.stderr


def check_build(rows, builddir):
    db = json.load(open(os.path.join(builddir, 'compile_commands.json')))
    bad = []
    for layer in rows:
        directory, argv = compile_cmd(db, layer)
        if argv is None:
            bad.append(f'{layer}: no compile command for {target_of(layer)} in {builddir}')
            continue
        reach = closure(rows, layer)
        everything = 'all' in rows[layer]['may']
        for folder, header in PROBE_HEADER.items():
            want = everything or folder in reach or (folder == 'ui_pure' and 'ui' in reach)
            ok, err = try_compile(directory, argv, f'"{header}"')
            if ok != want:
                bad.append(f'{layer}: #include "{header}" ({folder}) '
                           f'{"fails to build" if want else "builds"}: the table says '
                           f'{"it may" if want else "it may not"}'
                           + (f': {err.strip().splitlines()[0]}' if err.strip() else ''))
            elif not ok and 'docs/architecture.md' not in err:
                bad.append(f'{layer}: #include "{header}" fails, but not by the layer check: '
                           f'{err.strip().splitlines()[0]}')
        for lib, headers in OUTSIDE.items():
            want = lib in rows[layer]['outside']
            for h in headers:
                ok, err = try_compile(directory, argv, f'<{h}>')
                if want and not ok:
                    bad.append(f'{layer}: <{h}> ({lib}) fails to build, the table allows it: '
                               f'{err.strip().splitlines()[0] if err.strip() else ""}')
                if not want and (ok or 'docs/architecture.md' not in err):
                    bad.append(f'{layer}: <{h}> ({lib}) is not refused by the layer check')
    return bad


# rule 4: a file's functions may begin with this short name of the file
NAME_ALIAS = {'src/core/protocol.c': 'proto'}
# rule 4: names to change (their callers in src/run/session.c and
# src/sample/sampler.c are being changed elsewhere): the list only shrinks
NAME_KNOWN = {('src/core/limits.c', 'interval_step'),
              ('src/util/waitstatus.c', 'describe_wait_status')}


def check_names(builddir):
    db = json.load(open(os.path.join(builddir, 'compile_commands.json')))
    bad = []
    for e in db:
        f = os.path.relpath(os.path.join(e['directory'], e['file']), SRC)
        if not f.startswith(('src/', 'probes/', 'ui/')) or f in ENTRY:
            continue
        base, h = os.path.basename(f)[:-2], f[:-2] + '.h'
        try:
            header = open(os.path.join(SRC, h), encoding='utf-8').read()
        except OSError:
            bad.append(f'{f}: no header beside it (docs/architecture.md rule 4)')
            continue
        types = re.findall(r'^(?:struct|enum)\s+(\w+)\s*\{', header, re.M)
        prefixes = [base, NAME_ALIAS.get(f, base)] + types
        nm = subprocess.run(['nm', '-g', '--defined-only', e['output']], cwd=e['directory'],
                            capture_output=True, text=True)
        if nm.returncode != 0:
            bad.append(f'{f}: nm {e["output"]} failed (build first): {nm.stderr.strip()}')
            continue
        for line in nm.stdout.splitlines():
            kind, name = line.split()[-2:]
            if (kind == 'T' and (f, name) not in NAME_KNOWN and
                    not any(name == p or name.startswith(p + '_') for p in prefixes)):
                bad.append(f'{f}: {name}() begins with neither {base}_ nor a type of {h} '
                           '(docs/architecture.md rule 4)')
    return bad


def needed(path):
    """The shared libraries the ELF file path needs, or None."""
    r = subprocess.run(['readelf', '-d', path], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return re.findall(r'\(NEEDED\)\s+Shared library: \[([^\]]+)\]', r.stdout)


def check_links(rows, builddir):
    bad = []
    for layer, prog in PROGRAM.items():
        if layer not in rows:
            bad.append(f'{layer}: no row in the table of docs/architecture.md')
            continue
        libs = needed(os.path.join(builddir, prog))
        if libs is None:
            bad.append(f'{prog}: readelf -d {builddir}/{prog} failed (build first)')
            continue
        allowed = rows[layer]['outside']
        everything = 'all' in rows[layer]['may']
        for so in libs:
            lib = next((o for o, pat in OUTSIDE_SONAME.items() if re.match(pat, so)), None)
            if lib is not None and lib not in allowed and not everything:
                bad.append(f'{prog} links {so} ({lib}), which {layer} may not use '
                           '(docs/architecture.md, Layers)')
            elif lib is None and not everything and not re.match(BASE_SONAME, so):
                bad.append(f'{prog} links {so}: a program of {layer} links libc and libm '
                           'alone (docs/architecture.md, Layers)')
    return bad


def main():
    builddir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(SRC, 'build')
    rows = read_table()
    if len(rows) < 10:
        print(f'layers.py: the table of docs/architecture.md has {len(rows)} rows')
        return 1
    bad = check_direct(rows)
    if not os.path.exists(os.path.join(builddir, 'compile_commands.json')):
        print(f'SKIP: no {builddir}/compile_commands.json', file=sys.stderr)
        for b in bad:
            print(b)
        return 1 if bad else 77
    bad += check_build(rows, builddir) + check_names(builddir) + check_links(rows, builddir)
    for b in bad:
        print(b)
    if not bad:
        print(f'layers: {len(rows)} layers, direct includes, build refusals and the programs\' '
              'links as the table says; exported names as rule 4 says')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
