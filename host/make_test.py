#!/usr/bin/env python3
"""make test: every check the project has, ending "N passed, M failed".

The harness's own unit tests, the per-commit checks of the series with
the KUnit suites (host/shp.py), then the guest scenarios (host/guest.py).
It imports both; neither imports it, nor guest.py it.
"""

import os
import sys
import time

import guest
import shp


def tooling_selftests(results):
    """The harness's own unit tests (host/tests/): verdicts and skips."""
    res = shp.run([sys.executable, '-m', 'unittest', 'discover', '-s',
                   os.path.join(shp.ROOT, 'host', 'tests')],
                  cwd=shp.ROOT, check=False, capture=True)
    if res.returncode:
        sys.stdout.write(res.stdout)
    last = res.stdout.strip().splitlines()[-1:] or ['no output']
    results.add('tooling self-tests (host/tests)', res.returncode == 0,
                last[0])


def main():
    start = time.time()
    shp.ensure_packages(shp.CHECK_PACKAGES + shp.GUEST_PACKAGES)
    results = shp.Results()
    tooling_selftests(results)
    shp.cmd_series()
    # KUnit runs in the builds of the per-commit check, at the last commit.
    if not shp.check_series(results, with_kunit=True):
        for arch in shp.KUNIT_RUNS:
            shp.kunit(results, arch)
    guest.run_scenarios('patched', results)
    shp.log(f'make test took {int(time.time() - start)} s')
    sys.exit(1 if results.summary() else 0)


if __name__ == '__main__':
    main()
