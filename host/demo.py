# SPDX-License-Identifier: GPL-2.0
"""make demo: build what is missing, boot the patched kernel under QEMU
and walk the tour of host/guest/scenarios/demo.sh, printing the
framework's trace of every request readably.
"""

import errno
import sys
import time

import guest
import shp


def fields(text):
    """'id=3 op=offline ...' as a dict."""
    return dict(w.split('=', 1) for w in text.split() if '=' in w)


def duration(ns):
    ns = int(ns.removesuffix('ns'))
    if ns >= 1_000_000:
        return f'{ns / 1e6:.1f} ms'
    return f'{ns / 1e3:.0f} us'


def result(ret):
    ret = int(ret)
    if ret == 0:
        return 'ok'
    return f'{ret} ({errno.errorcode.get(-ret, "?")})'


class Tour:
    """Collects one step's trace and history lines, then renders them."""

    def __init__(self):
        self.trace, self.hist = [], []
        self.steps = 0

    def line(self, line):
        if line.startswith('SHP-DEMO-NOTE '):
            print(f'\n   ({line[14:]})', flush=True)
        elif line.startswith('SHP-DEMO '):
            self.steps += 1
            print(f'\n== {self.steps}. {line[9:]}', flush=True)
        elif line.startswith('SHP-TRACE '):
            self.trace.append(line[10:].split(None, 1))
        elif line.startswith('SHP-HIST '):
            self.hist.append(line[9:])
        elif line.startswith('SHP-SHOW'):
            self.render()
            self.trace, self.hist = [], []
        elif line.startswith('SHP-RESULT FAIL'):
            print(f'\n!! the tour stopped: {line[16:]}', flush=True)

    def render(self):
        targets, reports = {}, {}
        rid = None
        for h in self.hist:
            if h.startswith('id='):
                rid = h.split()[0][3:]
                start = h.find('[')
                targets[rid] = h[start + 1:h.find(']', start)]
            elif rid:
                reports.setdefault(rid, []).append(h.strip())
        for event, text in self.trace:
            f = fields(text)
            rid = f.get('id')
            if event == 'shp_request_queued':
                print(f'   request {rid}: {f["op"]} [{targets.get(rid, "?")}]'
                      f' from {f["origin"]}'
                      + (' (validate only)' if f['flags'] != '0x0' else ''))
            elif event == 'shp_request_start':
                print(f'     started after {duration(f["queued_for"])} in the queue')
            elif event in ('shp_handler', 'shp_rollback'):
                phase = 'rollback' if event == 'shp_rollback' else f['phase']
                print(f'     {phase:<9} {f["handler"]:<8} (stage {f["stage"] + ")":<9}'
                      f' {result(f["ret"]):<14} {duration(f["duration"]):>9}')
            elif event == 'shp_phase':
                print(f'     -- {f["phase"]} phase: {result(f["ret"])},'
                      f' {duration(f["duration"])}')
            elif event == 'shp_request_done':
                res = '' if f['result'] == '0' else f' {result(f["result"])}'
                print(f'   => request {rid}: {f["outcome"]}{res} in'
                      f' {duration(f["duration"])}')
                for r in reports.get(rid, []):
                    print(f'      {r}')
        sys.stdout.flush()


def main():
    start = time.time()
    shp.log('[1/3] the patched tree (the base is installed and extracted '
            'the first time)')
    shp.ensure_packages(shp.GUEST_PACKAGES)
    shp.cmd_assemble()
    shp.log('[2/3] the x86_64 guest kernel and its initramfs')
    guest.build_kernel('patched')
    guest.build_initramfs('patched')
    shp.log('[3/3] booting the guest under QEMU (TCG, 2 of 4 CPUs, 3 NUMA '
            'nodes, DIMM slots) for the tour')
    tour = Tour()
    state, why, _ = guest.boot('patched', 'demo', actions=guest.ACTIONS,
                               timeout=300, on_line=tour.line)
    ok = state == 'PASS'
    print()
    shp.log(f'tour {"complete" if ok else "FAILED: " + why}; '
            f'{tour.steps} steps, {int(time.time() - start)} s in all')
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
