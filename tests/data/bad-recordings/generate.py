#!/usr/bin/env python3
"""Writes the hand-made part of the bad-recording corpus.

Each case is tests/data/recordings/minimal.json (a valid recording: two runs
of three samples) with one thing wrong, or a file that is no recording at
all. The loader must refuse every one with exit 3 and one line. Files named
fuzz-*.json beside them are inputs the fuzzer found (tests/fuzz/run.sh); this
script leaves them alone. Cases too large to commit (a file of gigabytes,
nesting a hundred thousand deep) are made at test time by
tests/e2e/badrecordings.sh.

Run it from anywhere: python3 tests/data/bad-recordings/generate.py
"""
import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = json.load(open(os.path.join(HERE, '..', 'recordings', 'minimal.json')))


def dump(doc):
    return json.dumps(doc, indent=1, ensure_ascii=False).encode() + b'\n'


def mutate(fn):
    doc = copy.deepcopy(BASE)
    fn(doc)
    return dump(doc)


def setter(path, value):
    """path: list of keys and indices; value: the new value, or DELETE"""
    def fn(doc):
        o = doc
        for k in path[:-1]:
            o = o[k]
        if value is DELETE:
            del o[path[-1]]
        else:
            o[path[-1]] = value
    return fn


DELETE = object()


def MAPSNAP(t=0.1, kind='shm', pss_kb=100, groups=None):
    """a snapshot of mappings groups (docs/recording.md, "Mappings")"""
    g = {'kind': kind, 'path': '/dev/shm/x', 'deleted': False, 'mappings': 1,
         'rss_kb': 300, 'pss_kb': pss_kb, 'pss_shmem_kb': None, 'shared_clean_kb': 0,
         'shared_dirty_kb': 300, 'private_clean_kb': 0, 'private_dirty_kb': 0, 'swap_kb': 0}
    p = {'pid': 42, 'role': 'parent', 'comm': 'x', 'smaps': 'read', 'groups': [g]}
    if groups is DELETE:
        del p['groups']
    return {'t': t, 't_end': t, 'phase': 'hold', 'procs': [p], 'groups': []}
PROC = ['runs', 0, 'samples', 1, 'procs', 0]
SAMPLE = ['runs', 1, 'samples', 2]
GOOD = dump(BASE)

cases = {
    # not a recording at all
    'not-json': b'this is not JSON\n',
    'empty': b'',
    'blanks': b'  \n\t \n',
    'truncated-half': GOOD[:len(GOOD) // 2],
    'truncated-last-brace': GOOD.rstrip()[:-1],
    'trailing-garbage': GOOD + b' x\n',
    'two-documents': GOOD + GOOD,
    'array-root': b'[]\n',
    'string-root': b'"shmviz"\n',
    'number-root': b'42\n',
    'null-root': b'null\n',
    'empty-object': b'{}\n',
    'nan-literal': GOOD.replace(b'"hold_s": 0.2', b'"hold_s": NaN', 1),
    'hex-number': GOOD.replace(b'"cpus": 2', b'"cpus": 0x2', 1),
    'single-quotes': b"{'shmviz': {'schema': 1}}\n",
    'unclosed-string': b'{"shmviz": {"schema": 1, "version": "0.1\n',
    # encoding
    'invalid-utf8': GOOD.replace(b'shmviz-shared', b'shmviz-\xff\xfe', 1),
    'overlong-utf8': GOOD.replace(b'shmviz-shared', b'shmviz-\xc0\xaf', 1),
    'surrogate-utf8': GOOD.replace(b'shmviz-shared', b'shmviz-\xed\xa0\x80', 1),
    'truncated-utf8': GOOD.replace(b'"shmviz-shared"', b'"shmviz-\xe2\x82"', 1),
    'nul-byte': GOOD.replace(b'shmviz-shared', b'shmviz\x00shared', 1),
    'control-char': GOOD.replace(b'shmviz-shared', b'shmviz\x01shared', 1),
    'utf16le': GOOD.decode().encode('utf-16-le'),
    'latin1-outside-string': GOOD.replace(b'"cpus": 2', b'"cpus": \xe92', 1),
    'deep-nesting-40': b'[' * 40 + b']' * 40 + b'\n',
    'deep-nesting-in-field': GOOD.replace(
        b'"mode": "both"', b'"mode": ' + b'{"a":' * 40 + b'1' + b'}' * 40, 1),
    # the header
    'no-shmviz': mutate(setter(['shmviz'], DELETE)),
    'shmviz-string': mutate(setter(['shmviz'], 'shmviz')),
    'schema-newer': mutate(setter(['shmviz', 'schema'], 3)),
    'schema-much-newer': mutate(setter(['shmviz', 'schema'], 1000)),
    'schema-zero': mutate(setter(['shmviz', 'schema'], 0)),
    'schema-negative': mutate(setter(['shmviz', 'schema'], -1)),
    'schema-string': mutate(setter(['shmviz', 'schema'], '1')),
    'schema-fraction': mutate(setter(['shmviz', 'schema'], 1.5)),
    'schema-null': mutate(setter(['shmviz', 'schema'], None)),
    'schema-missing': mutate(setter(['shmviz', 'schema'], DELETE)),
    'schema-huge': GOOD.replace(b'"schema": 1', b'"schema": 1e999', 1),
    'version-number': mutate(setter(['shmviz', 'version'], 1)),
    # host and config
    'host-missing': mutate(setter(['host'], DELETE)),
    'host-array': mutate(setter(['host'], [])),
    'host-cpus-negative': mutate(setter(['host', 'cpus'], -2)),
    'host-cpus-zero': mutate(setter(['host', 'cpus'], 0)),
    'host-page-size-odd': mutate(setter(['host', 'page_size'], 3000)),
    'host-kernel-null': mutate(setter(['host', 'kernel'], None)),
    'host-mem-negative': mutate(setter(['host', 'mem_total_kb'], -1)),
    'config-missing': mutate(setter(['config'], DELETE)),
    'config-interval-string': mutate(setter(['config', 'interval_ms'], '100')),
    'config-interval-zero': mutate(setter(['config', 'interval_ms'], 0)),
    'config-workers-negative': mutate(setter(['config', 'workers'], -4)),
    'config-rows-absurd': mutate(setter(['config', 'rows'], 1e30)),
    'config-hold-negative': mutate(setter(['config', 'hold_s'], -1)),
    'config-mode-number': mutate(setter(['config', 'mode'], 3)),
    # runs
    'runs-missing': mutate(setter(['runs'], DELETE)),
    'runs-null': mutate(setter(['runs'], None)),
    'runs-object': mutate(setter(['runs'], {})),
    'runs-empty': mutate(setter(['runs'], [])),
    'runs-too-many': mutate(lambda d: d['runs'].extend(copy.deepcopy(d['runs'] * 2))),
    'run-number': mutate(setter(['runs', 0], 1)),
    'run-null': mutate(setter(['runs', 1], None)),
    'run-name-missing': mutate(setter(['runs', 0, 'name'], DELETE)),
    'run-name-null': mutate(setter(['runs', 0, 'name'], None)),
    'run-name-empty': mutate(setter(['runs', 0, 'name'], '')),
    'run-name-array': mutate(setter(['runs', 0, 'name'], ['shared'])),
    'run-ok-missing': mutate(setter(['runs', 1, 'ok'], DELETE)),
    'run-ok-number': mutate(setter(['runs', 1, 'ok'], 1)),
    'run-state-unknown': mutate(setter(['runs', 0, 'state'], 'exploded')),
    'run-ok-state-mismatch': mutate(setter(['runs', 0, 'state'], 'failed')),
    'run-cause-number': mutate(setter(['runs', 0, 'cause'], 7)),
    'run-workers-fraction': mutate(setter(['runs', 0, 'workers'], 1.5)),
    'phases-missing': mutate(setter(['runs', 0, 'phases'], DELETE)),
    'phases-null': mutate(setter(['runs', 0, 'phases'], None)),
    'phases-too-many': mutate(lambda d: d['runs'][0].__setitem__(
        'phases', [{'name': 'p%d' % i, 'start_s': i, 'end_s': i + 1}
                   for i in range(25)])),
    'phase-string': mutate(setter(['runs', 0, 'phases', 1], 'fill')),
    'phase-name-empty': mutate(setter(['runs', 0, 'phases', 1, 'name'], '')),
    'phase-start-missing': mutate(setter(['runs', 0, 'phases', 2, 'start_s'], DELETE)),
    'phase-backwards': mutate(setter(['runs', 1, 'phases', 3, 'start_s'], 0.0)),
    'phase-end-before-start': mutate(setter(['runs', 0, 'phases', 2, 'end_s'], 0.0001)),
    'phase-start-absurd': mutate(setter(['runs', 0, 'phases', 5, 'start_s'], 1e12)),
    'result-missing': mutate(setter(['runs', 0, 'result'], DELETE)),
    'result-string': mutate(setter(['runs', 0, 'result'], 'ok')),
    'result-wall-negative': mutate(setter(['runs', 1, 'result', 'wall_s'], -0.5)),
    'result-sum-string': mutate(setter(['runs', 1, 'result', 'sum'], '100000')),
    'result-minflt-fraction': mutate(setter(['runs', 0, 'result', 'minflt'], 1.25)),
    'result-cpu-missing': mutate(setter(['runs', 0, 'result', 'cpu_user_s'], DELETE)),
    'peak-missing': mutate(setter(['runs', 0, 'peak'], DELETE)),
    'peak-pss-string': mutate(setter(['runs', 0, 'peak', 'pss_kb'], '6 MiB')),
    'peak-pss-negative': mutate(setter(['runs', 0, 'peak', 'pss_kb'], -1)),
    'peak-rss-absurd': mutate(setter(['runs', 0, 'peak', 'rss_sum_kb'], 1e300)),
    # samples
    'samples-missing': mutate(setter(['runs', 0, 'samples'], DELETE)),
    'samples-object': mutate(setter(['runs', 0, 'samples'], {})),
    'sample-null': mutate(setter(SAMPLE, None)),
    'sample-array': mutate(setter(SAMPLE, [])),
    'sample-t-missing': mutate(setter(SAMPLE + ['t'], DELETE)),
    'sample-t-null': mutate(setter(SAMPLE + ['t'], None)),
    'sample-t-string': mutate(setter(SAMPLE + ['t'], '0.5')),
    'sample-t-negative': mutate(setter(['runs', 0, 'samples', 0, 't'], -0.1)),
    'sample-t-backwards': mutate(setter(SAMPLE + ['t'], 0.0)),
    'sample-t-absurd': mutate(setter(SAMPLE + ['t'], 1e300)),
    'sample-t-infinite': mutate(setter(SAMPLE + ['t'], 12345.5)).replace(
        b'12345.5', b'1e999', 1),
    'procs-missing': mutate(setter(SAMPLE + ['procs'], DELETE)),
    'procs-object': mutate(setter(SAMPLE + ['procs'], {'pid': 1})),
    'proc-number': mutate(setter(PROC, 5)),
    'proc-pid-missing': mutate(setter(PROC + ['pid'], DELETE)),
    'proc-pid-zero': mutate(setter(PROC + ['pid'], 0)),
    'proc-pid-negative': mutate(setter(PROC + ['pid'], -1)),
    'proc-pid-fraction': mutate(setter(PROC + ['pid'], 12.5)),
    'proc-pid-absurd': mutate(setter(PROC + ['pid'], 99999999999)),
    'proc-ppid-string': mutate(setter(PROC + ['ppid'], '1')),
    'proc-role-unknown': mutate(setter(PROC + ['role'], 'boss')),
    'proc-role-null': mutate(setter(PROC + ['role'], None)),
    'proc-comm-number': mutate(setter(PROC + ['comm'], 42)),
    'proc-pss-missing': mutate(setter(PROC + ['pss_kb'], DELETE)),
    'proc-pss-negative': mutate(setter(PROC + ['pss_kb'], -5)),
    'proc-pss-absurd': mutate(setter(PROC + ['pss_kb'], 1e20)),
    'proc-pss-fraction': mutate(setter(PROC + ['pss_kb'], 12.75)),
    'proc-rss-bool': mutate(setter(PROC + ['rss_kb'], True)),
    'proc-swap-object': mutate(setter(PROC + ['swap_kb'], {})),
    'proc-smaps-unknown': mutate(setter(PROC + ['smaps'], 'stale')),
    'proc-utime-negative': mutate(setter(PROC + ['utime_s'], -3)),
    'total-missing': mutate(setter(SAMPLE + ['total'], DELETE)),
    'total-number': mutate(setter(SAMPLE + ['total'], 0)),
    'total-pss-string': mutate(setter(SAMPLE + ['total', 'pss_kb'], 'x')),
    'total-fresh-string': mutate(setter(SAMPLE + ['total', 'pss_fresh'], 'yes')),
    # the tail
    'summary-string': mutate(setter(['summary'], 'fast')),
    'sampler-ticks-negative': mutate(setter(['sampler', 'ticks'], -1)),
    'interrupted-missing': mutate(setter(['interrupted'], DELETE)),
    'interrupted-string': mutate(setter(['interrupted'], 'no')),
    'interrupted-null': mutate(setter(['interrupted'], None)),
    'signal-out-of-range': mutate(setter(['signal'], 999)),
    'signal-string': mutate(setter(['signal'], 'SIGINT')),
    # a key twice in one object: cJSON would take the first, jq and Python
    # the last
    'duplicate-key-top': GOOD.replace(b'"interrupted": false',
                                      b'"interrupted": true,\n "interrupted": false', 1),
    'duplicate-key-run': GOOD.replace(b'"name": "shared"',
                                      b'"name": "evil",\n   "name": "shared"', 1),
    'duplicate-key-proc': GOOD.replace(b'"rss_kb": ', b'"rss_kb": 1, "rss_kb": ', 1),
    # runs[].mappings (--mappings)
    'mappings-object': mutate(setter(['runs', 0, 'mappings'], {})),
    'mappings-kind-unknown': mutate(setter(['runs', 0, 'mappings'], [MAPSNAP(kind='blob')])),
    'mappings-pss-negative': mutate(setter(['runs', 0, 'mappings'], [MAPSNAP(pss_kb=-4)])),
    'mappings-t-backwards': mutate(setter(['runs', 0, 'mappings'], [MAPSNAP(t=0.5), MAPSNAP(t=0.2)])),
    'mappings-groups-missing': mutate(setter(['runs', 0, 'mappings'], [MAPSNAP(groups=DELETE)])),
    'mappings-too-many': mutate(setter(['runs', 0, 'mappings'], [MAPSNAP(t=0.001 * i) for i in range(65)])),
}

for name, data in cases.items():
    with open(os.path.join(HERE, name + '.json'), 'wb') as f:
        f.write(data)
print('%d cases written to %s' % (len(cases), HERE))
