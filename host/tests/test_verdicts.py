# SPDX-License-Identifier: GPL-2.0
"""Self-tests of the harness: how a test's report becomes a verdict."""

import io
import os
import sys
import unittest
from contextlib import redirect_stdout
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import guest  # noqa: E402
import shp  # noqa: E402


class Verdicts(unittest.TestCase):
    def test_skip_on_patched_fails(self):
        self.assertEqual(shp.verdict('patched', 'guest (patched): inject',
                                     'SKIP'), 'FAIL')
        self.assertEqual(shp.verdict('patched', 'kunit x86_64: a.b', 'SKIP'),
                         'FAIL')

    def test_skip_on_base_stays_skip(self):
        self.assertEqual(shp.verdict('base', 'guest (base): inject', 'SKIP'),
                         'SKIP')

    def test_declared_skip(self):
        with mock.patch.dict(shp.EXPECTED_SKIPS,
                             {'kunit UML: s.c': 'needs tracepoints'}):
            self.assertEqual(shp.verdict('patched', 'kunit UML: s.c', 'SKIP'),
                             'SKIP')

    def test_no_report_fails(self):
        for status in (None, 'ERROR', 'CRASHED', ''):
            self.assertEqual(shp.verdict('patched', 'x', status), 'FAIL')
            self.assertEqual(shp.verdict('base', 'x', status), 'FAIL')

    def test_kunit_crash_is_one_failure_with_the_log_end(self):
        # kunit.py's JSON for a kernel that stopped in suite s after case
        # s.a: the cases and suites it never reached have no name.
        cases = [('s.a', 'PASS'), ('s.', 'ERROR'), ('s.', 'ERROR'),
                 ('', 'ERROR'), ('t.x', 'ERROR')]
        log = ('KTAP version 1\n    ok 1 a\n'
               'qemu-system-x86_64: some assertion failed\n')
        res = shp.Results()
        with redirect_stdout(io.StringIO()) as out:
            shp.record_kunit(res, 'x86_64', cases, log, 1)
            failed = res.summary()
        # t.x crashed on its own (a named case); s. and '' are one failure.
        self.assertEqual(failed, 2)
        text = out.getvalue()
        self.assertIn('fail: kunit x86_64: t.x: ERROR', text)
        self.assertIn('every case reported: 3 cases or suites never '
                      'reported (in s); kunit.py exit 1', text)
        self.assertIn('      ok 1 a\n      qemu-system-x86_64: some '
                      'assertion failed\n', text)
        self.assertNotIn('kunit x86_64: s.:', text)

    def test_summary_counts_skips(self):
        res = shp.Results()
        with redirect_stdout(io.StringIO()) as out:
            res.add('a', True)
            res.add('b', False)
            res.record('c', 'SKIP', 'why')
            failed = res.summary()
        self.assertEqual(failed, 1)
        self.assertIn('1 passed, 1 failed, 1 skipped', out.getvalue())


class Scenario(unittest.TestCase):
    """boot() reads the scenario's verdict from the serial log."""

    def boot(self, kind, lines):
        log = ''.join(f'{ln}\n' for ln in lines + ['SHP-END'])

        class Proc:
            def poll(self):
                return None

            def wait(self, timeout=None):
                return 0

        qmp = mock.Mock()
        with mock.patch.object(guest, 'QMP', return_value=qmp), \
                mock.patch.object(guest.subprocess, 'Popen',
                                  return_value=Proc()), \
                mock.patch.object(guest, 'read', return_value=log), \
                mock.patch.object(guest.os, 'remove'), \
                redirect_stdout(io.StringIO()):
            return guest.boot(kind, 'inject', timeout=5)[:2]

    def test_patched_skip_fails(self):
        state, why = self.boot('patched', ['SHP-RESULT SKIP no framework'])
        self.assertEqual(state, 'FAIL')
        self.assertIn('skipped on the patched kernel', why)

    def test_base_skip(self):
        self.assertEqual(self.boot('base', ['SHP-RESULT SKIP no framework'])[0],
                         'SKIP')

    def test_pass_and_report(self):
        self.assertEqual(self.boot('patched', ['SHP-RESULT PASS'])[0], 'PASS')
        self.assertEqual(self.boot('patched', ['WARNING: at x', 'SHP-RESULT PASS'])[0],
                         'FAIL')
        self.assertEqual(self.boot('base', ['nothing'])[0], 'FAIL')



class HostActions(unittest.TestCase):
    def test_unknown_action_fails_the_scenario(self):
        with self.assertRaises(guest.HostCheckFailed):
            guest.do_action(None, ['cpu-addd', '1', '0'], guest.ACTIONS)

class KtapCases(unittest.TestCase):
    LOG = """SHP-KTAP TAP version 13
SHP-KTAP 1..1
SHP-KTAP # selftests: sys_hotplug: sys_hotplug.sh
SHP-KTAP # TAP version 13
SHP-KTAP # # cpu: 1, memory block: 40 (Movable)
SHP-KTAP # 1..4
SHP-KTAP # ok 1 cpu1/online: 0 and 1 take it offline and online
SHP-KTAP # not ok 2 cpu1/online: each write is a request of the sequencer
SHP-KTAP # ok 3 request 'abort' refused: no framework # SKIP
SHP-KTAP # ok 4 request 'abort 99999' refused: No such process; nothing ran
SHP-KTAP # # Totals: pass:2 fail:1 xfail:0 xpass:0 skip:1 error:0
SHP-KTAP not ok 1 selftests: sys_hotplug: sys_hotplug.sh # exit=1
SHP-INFO ok 5 not a KTAP line of the kselftest
"""

    def test_each_case_once_runner_line_left_out(self):
        self.assertEqual(list(guest.ktap_cases(self.LOG)), [
            ('cpu1/online: 0 and 1 take it offline and online', 'PASS'),
            ('cpu1/online: each write is a request of the sequencer', 'FAIL'),
            ("request 'abort' refused: no framework", 'SKIP'),
            ("request 'abort 99999' refused: No such process; nothing ran",
             'PASS')])


if __name__ == '__main__':
    unittest.main()
