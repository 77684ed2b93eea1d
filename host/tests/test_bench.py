# SPDX-License-Identifier: GPL-2.0
"""Self-tests of make bench's reading of a guest's serial log."""

import contextlib
import io
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import bench  # noqa: E402

# A marker as a kernel without kallsyms shows it, then one request.
TRACE = '''SHP-BENCH block-offline 2000000 3
shp_request_queued: id=1 before the trace: not read
SHP-TRACE-BEGIN
   bench.sh-42 [000] ..... 1.000000: 0xffffffff810bebc1: bench op=block-offline seq=3
   timed-writes-46 [001] ..... 1.099000: sys_enter: NR 1 (3, 7ffc7d491f9d, 1, 0, 0, 0)
   timed-writes-46 [001] ..... 1.099050: sys_exit: NR 1 = 2
   timed-writes-46 [001] ..... 1.099960: sys_enter: NR 1 (3, 7ffc7d491f9d, 1, 0, 0, 0)
   timed-writes-46 [001] ..... 1.100000: shp_request_queued: id=7 op=offline origin=sysfs flags=0x0 targets=1
   kworker/u16:0-10 [000] ..... 1.200000: shp_request_start: id=7 queued_for=5000ns
   kworker/u16:0-10 [000] ..... 1.300000: shp_handler: id=7 handler=memory stage=memory phase=execute target=0 ret=0 duration=900000ns
   kworker/u16:0-10 [000] ..... 1.300000: shp_handler: id=7 handler=memory stage=memory phase=execute target=1 ret=0 duration=100000ns
   kworker/u16:0-10 [000] ..... 1.300000: shp_phase: id=7 phase=execute ret=0 duration=1001000ns
   kworker/u16:0-10 [000] ..... 1.400000: shp_request_done: id=7 outcome=ok result=0 duration=1010000ns
   bench.sh-42 [000] ..... 1.400100: sys_exit: NR 1 = 9
   timed-writes-46 [001] ..... 1.400300: sys_exit: NR 1 = 1
   bench.sh-42 [000] ..... 2.000000: tracing_mark_write: bench op=cpu-add
   kworker/u16:0-10 [000] ..... 2.100000: shp_request_queued: id=8 op=hot-add origin=firmware flags=0x0 targets=1
SHP-TRACE-END
'''


class BenchLog(unittest.TestCase):
    def test_samples(self):
        samples, by_seq = {}, {}
        bench.guest_samples(TRACE, samples, by_seq)
        self.assertEqual(samples, {'block-offline': [2000000]})
        self.assertEqual(by_seq, {3: 2000000})

    def test_trace_requests_by_marker(self):
        reqs = bench.trace_requests(TRACE)
        self.assertEqual(set(reqs), {'7', '8'})
        self.assertEqual(reqs['7']['op'], 'block-offline')
        self.assertEqual(reqs['7']['mark'], 3)
        self.assertEqual(reqs['7']['queued'], 5000)
        self.assertEqual(reqs['7']['execute'], 1001000)
        self.assertEqual(reqs['7']['run'], 1010000)
        # From its own write, not the one before, nor another task's.
        self.assertEqual(reqs['7']['submit'], 40000)
        self.assertEqual(reqs['7']['return'], 300000)
        self.assertNotIn('submit', reqs['8'])
        self.assertNotIn('return', reqs['8'])
        # Steps of one handler and phase add up over the targets.
        self.assertEqual(reqs['7']['steps'], {'memory/execute': 1000000})
        self.assertEqual(reqs['8']['op'], 'cpu-add')
        self.assertIsNone(reqs['8']['mark'])
        self.assertNotIn('run', reqs['8'])


def one_boot(ns):
    """A boot whose every sample of each operation took @ns[op]."""
    return {op: [v] * 3 for op, v in ns.items()}


class BenchTable(unittest.TestCase):
    def setUp(self):
        writes = 'blocks-offline-writes'
        self.boots = {
            'base-perf': [one_boot({writes: 100e6, 'block-offline': 4e6})],
            'patched-off-perf': [one_boot({writes: 80e6,
                                           'block-offline': 3e6})],
            'patched-perf': [one_boot({writes: 84e6, 'block-offline': 3.3e6,
                                       'blocks-offline-request': 60e6})],
        }

    def row(self, name):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            bench.table(self.boots)
        rows = [line for line in out.getvalue().splitlines()
                if line.startswith(name)]
        self.assertEqual(len(rows), 1, out.getvalue())
        return rows[0][len(name):].split()

    def test_same_operation_on_three_kernels(self):
        cells = self.row('one block offline (online file)')
        # base, mm patch, patched ms; patched / base; patched / mm patch
        self.assertEqual(cells[:5], ['4.00', '3.00', '3.30', '0.82', '1.10'])
        self.assertEqual(cells[5:8], ['3', '/', '3'])

    def test_request_against_each_kernels_writes(self):
        # The mm patch kernel has no request file: its writes stand in.
        cells = self.row('16 blocks offline: one request vs writes')
        self.assertEqual(cells[:5], ['100.00', '80.00', '60.00', '0.60',
                                     '0.75'])


class AroundDevice(unittest.TestCase):
    def test_write_less_device_per_write(self):
        def log(write_us, offline_us, online_us):
            return '\n'.join(
                f'SHP-FPROF cpu-offline-online {f} {n} {us}' for f, n, us in
                (('kernfs_fop_write_iter', 40, write_us),
                 ('device_offline', 20, offline_us),
                 ('device_online', 20, online_us)))
        got = {'base-trace': bench.fprof_lines(log(1100, 500, 480)),
               'patched-trace': bench.fprof_lines(log(1380, 500, 480))}
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            bench.around_device(got, ['base-trace', 'patched-trace'])
        row = [line.split() for line in out.getvalue().splitlines()
               if line.startswith('cpu-offline-online')]
        # (1100 - 980) / 40 writes = 3 us; (1380 - 980) / 40 = 10 us
        self.assertEqual(row, [['cpu-offline-online', '3', '10']])


if __name__ == '__main__':
    unittest.main()
