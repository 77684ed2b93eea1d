# SPDX-License-Identifier: GPL-2.0
"""Self-tests of the harness: which build warnings fail a build check."""

import os
import sys
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import shp  # noqa: E402

OURS = ['drivers/base/sys_hotplug.c', 'include/linux/sys_hotplug.h']
LOG = '''\
/b/am-tree/lib/iomap.c:156:5: warning: no previous prototype for 'x' [-Wmissing-prototypes]
/b/am-tree/drivers/base/sys_hotplug.c:12:1: warning: unused variable 'y'
/b/am-tree/include/linux/sys_hotplug.h:40: warning: Function parameter not described
WARNING: modpost: vmlinux: section mismatch in reference
ld: warning: creating DT_TEXTREL in a PIE
  CC      drivers/base/core.o
'''


class BuildWarnings(unittest.TestCase):
    def test_only_the_series_files_and_the_link(self):
        with mock.patch.object(shp, 'series_paths', return_value=OURS):
            warn = shp.build_warnings(LOG)
        self.assertEqual(len(warn), 4, warn)
        self.assertFalse(any('iomap.c' in w for w in warn))

    def test_every_warning_without_the_list(self):
        with mock.patch.object(shp, 'series_paths', return_value=None):
            self.assertEqual(len(shp.build_warnings(LOG)), 5)


if __name__ == '__main__':
    unittest.main()
