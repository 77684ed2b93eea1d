# SPDX-License-Identifier: GPL-2.0
"""make bench: the patched kernel against the base it patches, side by side.

Builds three guest kernels from the bench's configuration (the guest config
without lockdep, DEBUG_ATOMIC_SLEEP, kmemleak, ftrace and the framework's
fault injection): the base, the patched tree with the framework off (the
series' mm patch alone) and the patched one. Boots them in turn (BENCH_BOOTS
each, 6 by default) with the bench scenario (host/guest/scenarios/bench.sh),
and prints per operation the median of each kernel, the patched one's ratio
to the base (what the series changes) and to the mm patch kernel (what the
framework costs), the samples, and the spread of the per-boot medians. It
fails only if a boot fails; a slow machine gives slower figures, not a
failure. The README explains how to read the table. Then one boot of each
kernel built with ftrace (base-trace, patched-off-trace, patched-trace):
the patched one records the framework's tracepoints, and a second table
shows where each operation's time goes (the queue, each phase, the
handlers' steps, and what lies outside the request); all three run ftrace's
function profiler over some operations, and the last tables give, per
operation, what the functions under a CPU's and a memory block's offline and
online cost on each kernel, and per write what lies around the device's own
offline or online.
"""

import os
import re
import statistics
import sys
import time

import guest
import shp

# The kernels, booted in turn: the base; the patched tree with the
# framework off (CONFIG_SYS_HOTPLUG=n: the series' mm patch alone); the
# patched one. patched / base is what the series changes; patched / mm
# patch is what the framework itself costs, the mm patch being in both.
KINDS = ('base-perf', 'patched-off-perf', 'patched-perf')
NAMES = {'base-perf': 'base', 'patched-off-perf': 'mm patch',
         'patched-perf': 'patched'}
BASE, MM, PATCHED = KINDS
# Profile kernels, the same three built with ftrace and its function
# profiler; the patched one records the framework's tracepoints too.
PROFILES = ('base-trace', 'patched-off-trace', 'patched-trace')
PROFILE_NAMES = dict(zip(PROFILES, (NAMES[k] for k in KINDS)))

# (row, base operation, patched operation): most rows compare an operation
# with itself; the range rows compare one request on the patched kernel
# with the base's per-block writes of the same blocks. The mm patch kernel,
# which has no request file, runs what the base runs.
ROWS = (
    ('cpu1 offline + online (sysfs)', 'cpu-offline-online',
     'cpu-offline-online'),
    ('one block offline (online file)', 'block-offline', 'block-offline'),
    ('one block online (online file)', 'block-online', 'block-online'),
    ('16 blocks offline, per-block writes', 'blocks-offline-writes',
     'blocks-offline-writes'),
    ('16 blocks online movable, per-block writes', 'blocks-online-writes',
     'blocks-online-writes'),
    ('16 blocks offline: one request vs writes', 'blocks-offline-writes',
     'blocks-offline-request'),
    ('16 blocks online: one request vs writes', 'blocks-online-writes',
     'blocks-online-request'),
    ('2 GiB DIMM hot-add (QMP, until _OST)', 'dimm-add', 'dimm-add'),
    ('2 GiB DIMM hot-remove (QMP, until deleted)', 'dimm-del', 'dimm-del'),
    ('CPU hot-add (QMP, until _OST)', 'cpu-add', 'cpu-add'),
    ('CPU hot-remove (QMP, until deleted)', 'cpu-del', 'cpu-del'),
    ('validate offline node2 (request)', None, 'node-validate-offline'),
)

# Writes that change nothing (bench.sh, "unchanged"): a sample is
# UNCHANGED_WRITES of them, as bench.sh's UNCHANGED. (row, their operation,
# the operation whose writes they stand beside, its writes per sample)
UNCHANGED_WRITES = 10
UNCHANGED = (
    ('cpu1 online=1, already online', 'cpu-online-unchanged',
     'cpu-offline-online', 2),
    ('memory block online=1, already online', 'block-online-unchanged',
     'block-online', 1),
)


def event_ns(ev):
    """QEMU's wall-clock time stamp of a QMP event, in ns."""
    ts = ev['timestamp']
    return ts['seconds'] * 10**9 + ts['microseconds'] * 1000


class HostTimer:
    """The QMP actions the bench scenario asks for, timed from the command
    to QEMU's event; samples go to @samples[op]."""

    def __init__(self, samples):
        self.samples = samples

    def _record(self, op, start, ev, what):
        if not ev:
            raise guest.HostCheckFailed(f'{op}: no {what} within 120 s')
        self.samples.setdefault(op, []).append(event_ns(ev) - start)
        return ev

    def _inserted(self, op, qmp, start, dev_id):
        ev = self._record(op, start, guest.insertion_ost(qmp, dev_id, 120),
                          'insertion _OST')
        guest.expect_status(dev_id, 'insertion', ev['data']['info']['status'],
                            0)

    def _delete(self, op, qmp, dev_id):
        start = time.time_ns()
        qmp.cmd('device_del', id=dev_id)
        self._record(op, start, guest.deletion(qmp, dev_id, 120),
                     'DEVICE_DELETED')

    def dimm_add(self, qmp, node, size_mb):
        n = guest.dimm_backend(qmp, size_mb)
        start = time.time_ns()
        self._inserted('dimm-add', qmp, start, guest.plug_dimm(qmp, n, node))

    def dimm_del(self, qmp, dev_id):
        self._delete('dimm-del', qmp, dev_id)
        qmp.cmd('object-del', id='mem' + dev_id[len('dimm'):])

    def cpu_add(self, qmp, socket, core):
        start = time.time_ns()
        self._inserted('cpu-add', qmp, start,
                       guest.plug_cpu(qmp, socket, core))

    def cpu_del(self, qmp, socket, core):
        self._delete('cpu-del', qmp, f'cpu-{socket}-{core}')

    def actions(self):
        return {'bench-dimm-add': self.dimm_add,
                'bench-dimm-del': self.dimm_del,
                'bench-cpu-add': self.cpu_add,
                'bench-cpu-del': self.cpu_del}


def guest_samples(text, samples, by_seq=None):
    """The guest's samples: "SHP-BENCH OP NS SEQ" lines into @samples[op];
    with @by_seq, also {seq: ns}, which ties a sample to its trace."""
    for line in text.splitlines():
        if line.startswith('SHP-BENCH '):
            _, op, ns, seq = line.split()
            samples.setdefault(op, []).append(int(ns))
            if by_seq is not None:
                by_seq[int(seq)] = int(ns)


def run_boot(kind, results):
    """One boot of @kind; return ({op: [ns, ...]}, serial log), or None if
    it failed."""
    samples = {}
    timer = HostTimer(samples)
    state, why, text = guest.boot(kind, 'bench',
                                  actions={**guest.ACTIONS, **timer.actions()},
                                  timeout=1800)
    results.record(f'bench ({kind}): boot', state, why)
    if state != 'PASS':
        return None
    guest_samples(text, samples)
    return samples, text


# An event, or a marker (shown as an address when the kernel has no
# kallsyms); the task's PID and the time stamp (s) before it.
TRACE_EVENT = re.compile(r'-(\d+)\s+\[\d+\]\s+\S+\s+(\d+\.\d+):\s+'
                         r'(shp_\w+|sys_enter|sys_exit|tracing_mark_write|'
                         r'0x[0-9a-f]+):\s+(.*)$')


def trace_requests(text):
    """The framework's trace from a profile boot: {id: request}, each with
    the operation the bench had marked when it was queued, and the number
    of the sample it belongs to (None outside a timed sample). A request
    that a write system call submitted also has "submit", from that call
    to the request's queueing, and "return", from the request's end to
    the call's return (ns)."""
    reqs, op, mark, inside = {}, None, None, False
    entered, writer = {}, {}  # by PID: its write's start; its request
    for line in text.splitlines():
        if line.startswith('SHP-TRACE-'):
            inside = line == 'SHP-TRACE-BEGIN'
            continue
        m = TRACE_EVENT.search(line) if inside else None
        if not m:
            continue
        pid, stamp, event, rest = m.groups()
        ns = round(float(stamp) * 1e9)
        if event == 'sys_enter':
            entered[pid] = ns
            continue
        if event == 'sys_exit':
            r = writer.pop(pid, None)
            if r and 'ended' in r:
                r['return'] = ns - r['ended']
            continue
        if not event.startswith('shp_'):
            f = dict(kv.split('=', 1) for kv in rest.split() if '=' in kv)
            op, mark = f.get('op'), f.get('seq')
            mark = int(mark) if mark else None
            continue
        f = dict(kv.split('=', 1) for kv in rest.split() if '=' in kv)
        took = int(f.get('duration', '0ns')[:-2] or 0)
        r = reqs.setdefault(f['id'], {'op': op, 'mark': mark, 'steps': {}})
        if event == 'shp_request_queued' and pid in entered:
            r['submit'] = ns - entered.pop(pid)
            writer[pid] = r
        elif event == 'shp_request_start':
            r['queued'] = int(f['queued_for'][:-2])
        elif event == 'shp_phase':
            r[f['phase']] = r.get(f['phase'], 0) + took
        elif event in ('shp_handler', 'shp_rollback'):
            key = f"{f['handler']}/{f['phase']}"
            r['steps'][key] = r['steps'].get(key, 0) + took
        elif event == 'shp_request_done':
            r['run'] = took
            r['ended'] = ns
    return reqs


def profile(samples, text):
    """Where the patched kernel's time goes, per operation: medians over
    the requests of one boot of the profile kernel, in microseconds."""
    by_seq = {}
    guest_samples(text, {}, by_seq)
    by_op = {}
    for r in trace_requests(text).values():
        if 'run' in r and r['op']:
            by_op.setdefault(r['op'], []).append(r)
    head = ('operation', 'sample', 'req/sample', 'submit', 'queued',
            'validate', 'execute', 'commit', 'request', 'return', 'outside',
            'steps (median us)')
    rows = []
    for op, reqs in by_op.items():
        def med(key):
            return statistics.median(r.get(key, 0) for r in reqs) / 1000

        def med_some(key):
            got = [r[key] for r in reqs if key in r]
            return f'{statistics.median(got) / 1000:.0f}' if got else '-'
        marks = {r['mark'] for r in reqs}
        # The traced samples: those run under the function profiler were
        # not traced. QMP hot-plug is timed by the host, not by sample.
        got = [by_seq[m] for m in marks if m in by_seq] or \
            samples.get(op, [])
        # Requests outside a timed sample (QMP hot-plug) are one each.
        per = len(reqs) / len(marks) if None not in marks else 1
        sample = statistics.median(got) / 1000 if got else None
        # Per sample of the guest's: its time less that of its requests.
        outside = [by_seq[m] - sum(r.get('queued', 0) + r['run']
                                   for r in reqs if r['mark'] == m)
                   for m in marks if m in by_seq]
        steps = {}
        for r in reqs:
            for k, v in r['steps'].items():
                steps.setdefault(k, []).append(v)
        top = sorted(((statistics.median(v) / 1000, k)
                      for k, v in steps.items()), reverse=True)[:4]
        rows.append((op, f'{sample:.0f}' if sample else '-', f'{per:.0f}',
                     med_some('submit'),
                     f"{med('queued'):.0f}", f"{med('validate'):.0f}",
                     f"{med('execute'):.0f}", f"{med('commit'):.0f}",
                     f"{med('run'):.0f}", med_some('return'),
                     f'{statistics.median(outside) / 1000:.0f}'
                     if outside else '-',
                     ', '.join(f'{k} {v:.0f}' for v, k in top)))
    print('Profile (patched-trace, one boot; microseconds, medians per '
          'request; "outside": per sample, the sample less its requests)')
    print_rows(head, rows)


# What the profile kernels run with the function profiler (bench.sh,
# "profile"), each the second time it runs in the boot: half the CPU
# samples, the 16-block operations and the removal of the second DIMM, the
# second CPU removal; the requests on the patched kernel alone.
FPROF_OPS = ('cpu-offline-online', 'blocks-offline-writes',
             'blocks-offline-request', 'blocks-online-writes',
             'blocks-online-request', 'dimm-del', 'cpu-del')


def fprof_lines(text):
    """{op: {function: (calls, ms)}} from "SHP-FPROF OP FUNCTION CALLS US"
    lines."""
    got = {}
    for line in text.splitlines():
        if line.startswith('SHP-FPROF '):
            _, op, func, calls, us = line.split()
            got.setdefault(op, {})[func] = (int(calls), float(us) / 1000)
    return got


def timed(cell):
    """Whether a profiler's (calls, ms) has a time: a function whose calls
    the profiler counted on a CPU that then went offline (a CPU removal)
    keeps its count and loses its time."""
    return bool(cell and cell[1])


def shown(cell):
    if not cell:
        return '-'
    return f'{cell[0]} / ' + (f'{cell[1]:.2f}' if timed(cell) else '?')


def function_profile(texts):
    """Per operation, the profiled functions on each profile kernel (@texts:
    {kind: serial log}): calls and total milliseconds, with callees and
    sleeps; the patched kernel's over the base's and over the mm patch
    kernel's."""
    got = {kind: fprof_lines(text) for kind, text in texts.items()}
    kinds = [k for k in PROFILES if got.get(k)]
    pairs = [(a, b) for a, b in (('patched-trace', 'base-trace'),
                                 ('patched-trace', 'patched-off-trace'))
             if a in kinds and b in kinds]
    for op in FPROF_OPS:
        funcs = {f for k in kinds for f in got[k].get(op, {})}
        if not funcs:
            continue
        head = ('function',) + \
            tuple(f'{PROFILE_NAMES[k]} calls / ms' for k in kinds) + \
            tuple(f'{PROFILE_NAMES[a]} / {PROFILE_NAMES[b]}'
                  for a, b in pairs)
        rows = []
        for f in funcs:
            cell = {k: got[k].get(op, {}).get(f) for k in kinds}
            row = (f,) + tuple(shown(cell[k]) for k in kinds)
            row += tuple(f'{cell[a][1] / cell[b][1]:.2f}'
                         if timed(cell[a]) and timed(cell[b]) else '-'
                         for a, b in pairs)
            rows.append((max(c[1] for c in cell.values() if c), row))
        print(f'Function profile: {op} (one boot each; calls / total ms, '
              'with callees and sleeps)')
        print_rows(head, [r for _, r in sorted(rows, key=lambda r: -r[0])])
    around_device(got, kinds)


# Per-write operations whose writes the function profiler times whole
# (kernfs_fop_write_iter()) and in the device's own offline or online.
AROUND_OPS = ('cpu-offline-online', 'blocks-offline-writes',
              'blocks-online-writes')


def around_device(got, kinds):
    """Per write that changes a device, the time the write takes around
    device_offline() or device_online(), on each profile kernel: the sysfs
    path and, on the patched kernel, the framework's request, validate and
    history (its tracepoints off)."""
    rows = []
    for op in AROUND_OPS:
        cells = []
        for k in kinds:
            prof = got[k].get(op, {})
            write = prof.get('kernfs_fop_write_iter')
            device = [prof[f] for f in ('device_offline', 'device_online')
                      if f in prof]
            if not timed(write) or not device or \
                    not all(timed(d) for d in device):
                cells.append('-')
                continue
            around = write[1] - sum(d[1] for d in device)
            cells.append(f'{1000 * around / write[0]:.0f}'
                         if around >= 0 else '-')
        rows.append((op,) + tuple(cells))
    if any(c != '-' for r in rows for c in r[1:]):
        print('Around the device, per write (function profiler, one boot '
              'each; us of kernfs_fop_write_iter() outside device_offline() '
              'and device_online())')
        print_rows(('operation',) + tuple(PROFILE_NAMES[k] for k in kinds),
                   rows)


def print_rows(head, rows):
    widths = [max(len(str(r[i])) for r in rows + [head])
              for i in range(len(head))]
    fmt = '  '.join('%-' + str(w) + 's' for w in widths)
    print()
    print(fmt % head)
    for r in rows:
        print(fmt % r)
    print()


def ms(ns):
    return f'{ns / 1e6:.2f}'


def table(boots):
    """The report: @boots is {kind: [{op: [ns, ...]} per boot]}."""
    def pooled(kind, op):
        return [v for b in boots[kind] for v in b.get(op, [])]

    def spread(kind, op):
        meds = [statistics.median(b[op]) for b in boots[kind] if b.get(op)]
        return f'{ms(min(meds))}-{ms(max(meds))}' if meds else '-'

    def ratio(a, b):
        return f'{a / b:.2f}' if a and b else '-'

    head = ('operation',) + tuple(f'{NAMES[k]} ms' for k in KINDS) + \
        ('patched / base', 'patched / mm patch', 'samples') + \
        tuple(f'{NAMES[k]} per boot' for k in KINDS)
    rows = []
    for name, bop, pop in ROWS:
        ops = dict(zip(KINDS, (bop, bop, pop)))
        got = {k: pooled(k, op) if op else [] for k, op in ops.items()}
        med = {k: statistics.median(v) if v else None for k, v in got.items()}
        rows.append((name,) + tuple(ms(med[k]) if med[k] else '-'
                                    for k in KINDS) +
                    (ratio(med[PATCHED], med[BASE]),
                     ratio(med[PATCHED], med[MM]),
                     ' / '.join(str(len(got[k])) for k in KINDS)) +
                    tuple(spread(k, ops[k]) if ops[k] else '-'
                          for k in KINDS))
    print_rows(head, rows)
    fixed_cost(pooled)
    scale(pooled)


def fixed_cost(pooled):
    """What a write costs around the device's own work, per write: the
    patched kernel's less the mm patch kernel's is the framework's fixed
    cost; and what share of a write that does change the device that
    difference is."""
    head = ('write that changes nothing',) + \
        tuple(f'{NAMES[k]} us' for k in KINDS) + \
        ('framework us', 'framework per write that changes it')
    rows = []
    for name, op, beside, writes in UNCHANGED:
        per_write = {}
        for k in KINDS:
            got = pooled(k, op)
            per_write[k] = (statistics.median(got) / UNCHANGED_WRITES / 1000
                            if got else None)
        if not per_write[MM] or not per_write[PATCHED]:
            continue
        cost = per_write[PATCHED] - per_write[MM]
        full = pooled(PATCHED, beside)
        per = statistics.median(full) / writes / 1000 if full else None
        rows.append((name,) + tuple(f'{per_write[k]:.1f}' if per_write[k]
                                    else '-' for k in KINDS) +
                    (f'{cost:.1f}',
                     f'{100 * cost / per:.2g} % of a {beside} write'
                     if per else '-'))
    if rows:
        print('Fixed cost per write (medians; a sample is '
              f'{UNCHANGED_WRITES} writes)')
        print_rows(head, rows)


# Per-block cost against the size of the zone: the 2 GiB DIMMs' 16 blocks
# (blocks-*) and the 16 GiB DIMM's 128 (scale-*-128), each the whole of
# node 2's ZONE_MOVABLE when it runs.
SCALE_OPS = ((16, 'blocks-{what}-{how}'), (128, 'scale-{what}-{how}-128'))


def scale(pooled):
    """Per block, offline and online of a whole 2 GiB and a whole 16 GiB
    DIMM: per-block writes on each kernel, one request on the patched one;
    the last row, 128 blocks' cost per block over 16 blocks'."""
    cols = ((BASE, 'writes'), (MM, 'writes'), (PATCHED, 'writes'),
            (PATCHED, 'request'))
    what_how = [(what, k, how) for what in ('offline', 'online')
                for k, how in cols]
    head = ('blocks',) + tuple(
        f'{what} {how}, {NAMES[k]} ms/block' for what, k, how in what_how)
    per = {}
    for n, name in SCALE_OPS:
        for what, k, how in what_how:
            got = pooled(k, name.format(what=what, how=how))
            per[n, what, k, how] = (statistics.median(got) / n / 1e6
                                    if got else None)
    rows = [(str(n),) + tuple(
        f'{per[n, w, k, h]:.2f}' if per[n, w, k, h] else '-'
        for w, k, h in what_how) for n, _ in SCALE_OPS]
    (lo, _), (hi, _) = SCALE_OPS
    rows.append((f'{hi} / {lo}',) + tuple(
        f'{per[hi, w, k, h] / per[lo, w, k, h]:.2f}'
        if per[hi, w, k, h] and per[lo, w, k, h] else '-'
        for w, k, h in what_how))
    if any(per[hi, w, k, h] for w, k, h in what_how):
        print('Scale: cost per block of a whole 2 GiB and a whole 16 GiB '
              'DIMM (medians)')
        print_rows(head, rows)


def main():
    nboots = int(os.environ.get('BENCH_BOOTS', '6'))
    results = shp.Results()
    for kind in KINDS:
        guest.build_kernel(kind)
        guest.build_initramfs(kind)
    boots = {k: [] for k in KINDS}
    for i in range(nboots):
        # The order turns by one kernel each round: over a multiple of
        # three rounds, each kernel boots first, second and last equally
        # often.
        for kind in KINDS[i % len(KINDS):] + KINDS[:i % len(KINDS)]:
            shp.log(f'bench boot {i + 1} of {nboots}: {kind}')
            got = run_boot(kind, results)
            if got:
                boots[kind].append(got[0])
    table(boots)
    # The profiles: one boot of each profile kernel.
    texts = {}
    for kind in PROFILES:
        guest.build_kernel(kind)
        guest.build_initramfs(kind)
        got = run_boot(kind, results)
        if got:
            texts[kind] = got[1]
            if kind == 'patched-trace':
                profile(*got)
    function_profile(texts)
    sys.exit(1 if results.summary() else 0)


if __name__ == '__main__':
    main()
