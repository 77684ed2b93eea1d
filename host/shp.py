#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host-side tooling for the system device hot-plug patch series.

The repository keeps the series in patches/ as git format-patch files. This
tool turns them into kernel trees and back:

  base       extract Debian's linux-source-6.12 into build/linux and record
             the pristine tree as a git commit tagged shp-base
  assemble   git am patches/ onto the base as branch "series" of build/linux,
             touching only files whose content changed (kbuild stays
             incremental); left alone while patches/ has not changed
  export     write the series branch of build/linux, edited with git, back
             to patches/
  series     write the git-format-patch series to build/series/
  kunit      run the KUnit suites: the sequencer's on UML, the handlers' on
             x86_64 under QEMU (kunit.py --arch=x86_64)
  check      git am the series onto the pristine base, compare trees, build
             every commit, run checkpatch --strict, W=1, sparse, kernel-doc
             and Sphinx
  test       everything above, with a summary line "N passed, M failed"

Everything it writes lives under build/.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, 'build')
TREE = os.path.join(BUILD, 'linux')          # assembled tree (git repo)
STAGE = os.path.join(BUILD, 'stage')         # scratch for assembly
SERIES_TREE = os.path.join(BUILD, 'series-tree')   # worktree: series commits
AM_TREE = os.path.join(BUILD, 'am-tree')     # worktree: git am check
SERIES_OUT = os.path.join(BUILD, 'series')
PATCHES = os.path.join(ROOT, 'patches')
BASE_TAG = 'shp-base'
SOURCE_PKG = 'linux-source-6.12'
SOURCE_TAR = '/usr/src/linux-source-6.12.tar.xz'
KUNITCONFIG = 'drivers/base/test/sys_hotplug.kunitconfig'
UML_KCONFIG = 'tools/testing/kunit/configs/arch_uml.config'
# The handler suites: real CPUs and memory, x86_64 under QEMU.
KUNITCONFIG_X86 = 'drivers/base/test/sys_hotplug_handlers.kunitconfig'
KUNITCONFIG_ACPI = 'drivers/acpi/shp_acpi.kunitconfig'
# In the kernel tree (the handlers' KUnit patch adds it): kunit.py runs
# from the tree's top.
QEMU_CONFIG_X86 = 'tools/testing/kunit/qemu_configs/x86_64_hotplug.py'
JOBS = str(os.cpu_count() or 2)

# Debian packages, by what needs them. Each command installs the ones its
# steps need before it runs them (see ensure_packages()); a minimal Debian
# (debootstrap --variant=minbase) has none of these; a new machine of ours
# has gcc, make, git, python3 and perl. kbuild: flex, bison, bc, libelf and libssl headers,
# depmod (kmod) for modules_install, cpio for the in-kernel headers archive,
# nm (binutils); libc headers for host programs (and libc.a for the guest's
# static helpers); the base source is a .tar.xz; patch applies
# patches/*.diff.
BUILD_PACKAGES = ['gcc', 'libc6-dev', 'make', 'git', 'perl', 'python3',
                  'binutils', 'flex', 'bison', 'bc', 'libelf-dev',
                  'libssl-dev', 'kmod', 'cpio', 'xz-utils', 'patch']
# Kernel reports that fail a KUnit run or a guest scenario.
KERNEL_BAD = re.compile(r'WARNING:|BUG:|Oops|possible circular locking|'
                        r'possible recursive locking|inconsistent lock state|'
                        r'suspicious RCU usage|unreferenced object|'
                        r'Kernel panic|INFO: task .* blocked')
# make check: sparse (C=1), Sphinx (htmldocs also builds the netlink spec
# index, whose generator imports yaml), and the SPDX check of checkpatch.pl.
CHECK_PACKAGES = BUILD_PACKAGES + ['sparse', 'python3-sphinx', 'python3-yaml',
                                   'python3-ply', 'python3-git']
# QEMU guests: the x86_64 KUnit run and the bench. The bench's initramfs
# copies the host's bash and util-linux mount, and iasl compiles its SSDTs.
# rsync: the kselftest Makefile's install (tools/testing/selftests/lib.mk)
# copies with it; coreutils' timeout, which its runner uses, is essential.
GUEST_PACKAGES = BUILD_PACKAGES + ['qemu-system-x86', 'busybox-static',
                                   'acpica-tools', 'bash', 'mount', 'rsync']


_T0 = time.time()


def log(msg):
    # Minutes and seconds since the command started: CI's log shows where
    # its time goes.
    m, sec = divmod(int(time.time() - _T0), 60)
    print(f'[shp {m:3d}:{sec:02d}] {msg}', flush=True)


def die(msg):
    print(f'[shp] error: {msg}', file=sys.stderr, flush=True)
    sys.exit(1)


def run(cmd, cwd=None, check=True, capture=False, env=None, quiet=False):
    if not quiet:
        log('$ ' + ' '.join(cmd))
    res = subprocess.run(cmd, cwd=cwd, env=env, text=True,
                         stdout=subprocess.PIPE if capture else None,
                         stderr=subprocess.STDOUT if capture else None)
    if check and res.returncode:
        if capture:
            sys.stdout.write(res.stdout)
        die(f'command failed ({res.returncode}): {" ".join(cmd)}')
    return res


def run_progress(cmd, what, cwd=None, every=15):
    """Run a kbuild @cmd, saying every @every s how far it got (the build
    of a kernel takes minutes); on failure show its last lines and stop.
    Return the compiler, linker and kbuild warnings it printed."""
    log('$ ' + ' '.join(cmd))
    start = last = time.time()
    done, tail, warn = 0, [], []
    proc = subprocess.Popen(cmd, cwd=cwd, text=True, errors='replace',
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for line in proc.stdout:
        tail = (tail + [line])[-40:]
        warn += build_warnings(line)
        if line.startswith('  ') and line.split()[0] in ('CC', 'LD', 'AR', 'AS'):
            done += 1
        if time.time() - last >= every:
            last = time.time()
            mins, secs = divmod(int(last - start), 60)
            log(f'  {what}: {done} objects built, {mins}:{secs:02d} elapsed')
    if proc.wait():
        sys.stdout.write(''.join(tail))
        die(f'command failed ({proc.returncode}): {" ".join(cmd)}')
    log(f'  {what}: done, {done} objects, {int(time.time() - start)} s')
    return warn


def git(args, cwd=TREE, **kw):
    return run(['git'] + args, cwd=cwd, **kw)


def git_out(args, cwd=TREE):
    return run(['git'] + args, cwd=cwd, capture=True, quiet=True).stdout.strip()


def identity():
    """Author and Signed-off-by identity: the developer's git identity."""
    def cfg(key):
        res = subprocess.run(['git', 'config', key], cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return res.stdout.strip()
    name = cfg('user.name') or 'System device hot-plug maintainers'
    email = cfg('user.email') or 'sys-hotplug@localhost'
    return name, email


def identity_env(name, email, date=None):
    """The environment for git to author and commit as @name <@email>,
    at @date if one is given."""
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
               GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email)
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return env


def git_env():
    return identity_env(*identity())


# ---------------------------------------------------------------- packages

def installed(pkgs):
    """The subset of Debian packages @pkgs that dpkg has installed."""
    res = subprocess.run(['dpkg-query', '-W', '-f=${Package} ${db:Status-Abbrev}\\n']
                         + list(pkgs), text=True, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    # "ii", or "hi" for a package on hold: the second letter is the state.
    return {ln.split()[0] for ln in res.stdout.splitlines()
            if len(ln.split()) > 1 and ln.split()[1][1:2] == 'i'}


def ensure_packages(pkgs=BUILD_PACKAGES):
    """Install the Debian packages @pkgs that are missing, and the base
    source unless build/linux already has it."""
    want = list(dict.fromkeys(pkgs))
    if not os.path.exists(SOURCE_TAR) and not os.path.isdir(TREE):
        want.append(SOURCE_PKG)
    missing = sorted(set(want) - installed(want))
    if not missing:
        return
    if os.geteuid() != 0:
        die('missing Debian packages (run as root or install them): ' +
            ' '.join(missing))
    log('installing Debian packages: ' + ' '.join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    run(['apt-get', 'update', '-qq'], env=env)
    run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends'] +
        missing, env=env)
    still = sorted(set(missing) - installed(missing))
    if still:
        die('apt-get did not install: ' + ' '.join(still))


# ---------------------------------------------------------------- base

def base_version(tree):
    vals = {}
    with open(os.path.join(tree, 'Makefile')) as f:
        for line in f:
            m = re.match(r'^(VERSION|PATCHLEVEL|SUBLEVEL)\s*=\s*(\d*)', line)
            if m:
                vals[m.group(1)] = m.group(2)
            if len(vals) == 3:
                break
    return vals.get('VERSION'), vals.get('PATCHLEVEL'), vals.get('SUBLEVEL')


def base_env():
    """The fixed identity and date of the base commit (see FIXED_DATE)."""
    return identity_env(*PROJECT_IDENTITY, date=FIXED_DATE)


def base_message(ver):
    return (f'Linux 6.12.{ver[2]} (Debian {SOURCE_PKG}, pristine)\n')


def cmd_base(_args=None):
    if os.path.isdir(TREE) and rev(BASE_TAG):
        fix_base_commit()
        return
    ensure_packages()
    if not os.path.exists(SOURCE_TAR):
        die(f'{SOURCE_TAR} is missing after installing {SOURCE_PKG}')
    os.makedirs(BUILD, exist_ok=True)
    tmp = os.path.join(BUILD, 'extract.tmp')
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(TREE, ignore_errors=True)
    os.makedirs(tmp)
    log(f'extracting {SOURCE_TAR} (about 15 s)')
    run(['tar', '-xf', SOURCE_TAR, '-C', tmp])
    top = os.path.join(tmp, os.listdir(tmp)[0])
    ver = base_version(top)
    if ver[0] != '6' or ver[1] != '12':
        die(f'{SOURCE_TAR} is Linux {".".join(v or "?" for v in ver)}, '
            'not 6.12.y: this series is against the 6.12 LTS kernel')
    os.rename(top, TREE)
    shutil.rmtree(tmp)
    log('recording the pristine tree as a git commit (about a minute)')
    git(['init', '-q'])
    git(['config', 'core.autocrlf', 'false'])
    git(['config', 'gc.auto', '0'])
    # Debian's top-level .gitignore ignores everything ('/*'): force the add.
    git(['add', '-A', '-f'], quiet=True)
    git(['commit', '-q', '-m', base_message(ver)], env=base_env())
    git(['tag', BASE_TAG])
    log(f'base is Linux 6.12.{ver[2]}')


def fix_base_commit():
    """Give a base recorded before the identity and date were fixed the
    commit ID that the same tree gets today (its files stay as they are)."""
    tree = git_out(['rev-parse', f'{BASE_TAG}^{{tree}}'])
    msg = git_out(['log', '-1', '--format=%B', BASE_TAG]).strip() + '\n'
    res = subprocess.run(['git', 'commit-tree', tree], cwd=TREE, text=True,
                         input=msg, env=base_env(), check=True,
                         stdout=subprocess.PIPE)
    sha = res.stdout.strip()
    if sha != rev(BASE_TAG):
        git(['tag', '-f', BASE_TAG, sha], quiet=True)
        log(f'base commit recorded again with the fixed identity: {sha[:12]}')


# ---------------------------------------------------------------- series

# The series is a git branch on the base in build/linux, one commit per
# patch, and patches/ keeps it as git format-patch files (the stored form:
# no commit IDs, no numbering in the subject, so that a change to one
# patch changes one file). "make assemble" applies patches/ with git am;
# "make export" writes the branch back after it was edited with git.
ASSEMBLED_REF = 'refs/shp/assembled'    # build/linux: last applied/exported
ASSEMBLED_SAID = []
ASSEMBLED_STAMP = os.path.join(BUILD, 'assembled.patches')
STORED_FORMAT = ['-N', '--zero-commit', '--no-signature']
# The version of the series that make series writes; the cover letter's
# changelog (patches/cover-letter) says what changed since the last one.
SERIES_VERSION = 2
# A fixed identity and date keep the base commit's ID the same on every
# machine that extracts the same source package, so that base-commit: in
# the cover letter names one commit.
PROJECT_IDENTITY = ('System device hot-plug maintainers',
                    'sys-hotplug@localhost')
FIXED_DATE = '2026-01-01T00:00:00Z'


def patch_files():
    """The stored patches, in order (their names start with the number)."""
    return sorted(os.path.join(PATCHES, p) for p in os.listdir(PATCHES)
                  if re.match(r'^\d{4}-.*\.patch$', p))


def patches_stamp():
    """A digest of the stored patches: what build/linux was built from."""
    h = hashlib.sha256()
    for p in patch_files():
        h.update(os.path.basename(p).encode() + b'\0')
        with open(p, 'rb') as f:
            h.update(f.read())
    return h.hexdigest()


def read_stamp():
    if not os.path.exists(ASSEMBLED_STAMP):
        return None
    with open(ASSEMBLED_STAMP) as f:
        return f.read().strip()


def write_stamp(sha):
    git(['update-ref', ASSEMBLED_REF, sha], quiet=True)
    with open(ASSEMBLED_STAMP, 'w') as f:
        f.write(patches_stamp() + '\n')


def rev(name, cwd=TREE):
    res = subprocess.run(['git', 'rev-parse', '-q', '--verify',
                          name + '^{commit}'], cwd=cwd, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return res.stdout.strip() or None


def uncommitted(cwd=TREE):
    """Tracked files changed in @cwd's work tree or index."""
    out = git_out(['status', '--porcelain', '--untracked-files=no'], cwd=cwd)
    return [ln[3:] for ln in out.splitlines()]


class Commit:
    def __init__(self, sha, subject):
        self.sha = sha
        self.subject = subject


def series_commits(cwd=TREE):
    """The commits of the series branch checked out in @cwd, oldest first."""
    out = git_out(['log', '--reverse', '--format=%H %s',
                   f'{BASE_TAG}..HEAD'], cwd=cwd)
    return [Commit(*ln.split(' ', 1)) for ln in out.splitlines()]


def series_paths(cwd=TREE, added_only=False):
    """The kernel paths the series adds (@added_only) or adds and changes."""
    out = git_out(['diff', '--name-only', '--no-renames'] +
                  (['--diff-filter=A'] if added_only else []) +
                  [BASE_TAG, 'HEAD'], cwd=cwd)
    return out.splitlines()


def worktree(path):
    """A clean worktree of build/linux at the base, detached."""
    if not os.path.isdir(path):
        git(['worktree', 'prune'], quiet=True)
        git(['worktree', 'add', '-q', '--detach', path, BASE_TAG])
    else:
        git(['checkout', '-q', '--detach', BASE_TAG], cwd=path, quiet=True)
        git(['reset', '-q', '--hard', BASE_TAG], cwd=path, quiet=True)
        git(['clean', '-q', '-fdx'], cwd=path, quiet=True)


def git_am(cwd, patches):
    """git am @patches in @cwd; return whether all applied."""
    env = git_env()
    env.update(GIT_COMMITTER_DATE=FIXED_DATE)
    res = run(['git', 'am', '-q', '--keep-cr'] + patches, cwd=cwd,
              check=False, env=env, quiet=True)
    if res.returncode:
        run(['git', 'am', '--abort'], cwd=cwd, check=False, quiet=True)
    return res.returncode == 0


def cmd_assemble(_args=None):
    """Bring build/linux to base + patches/ (git am), unless it already is:
    then it is left alone, with whatever the developer committed or edited
    there since. Only files whose content changes are rewritten, so kbuild
    stays incremental."""
    cmd_base()
    stamp, head, done = patches_stamp(), rev('HEAD'), rev(ASSEMBLED_REF)
    if done and read_stamp() == stamp:
        if not ASSEMBLED_SAID:
            log('build/linux is base + patches/' + (
                '' if head == done and not uncommitted() else
                ', with commits or edits not exported yet (make export)'))
            ASSEMBLED_SAID.append(True)
        return series_paths()
    if done and (head != done or uncommitted()):
        die('patches/ changed, and build/linux has commits or edits that '
            'patches/ does not: record them first ("make export"), or drop '
            f'them ("git -C build/linux reset --hard {ASSEMBLED_REF}")')
    worktree(SERIES_TREE)
    if not git_am(SERIES_TREE, patch_files()):
        die('patches/ does not apply to the base with git am')
    sha = rev('HEAD', SERIES_TREE)
    git(['checkout', '-q', '-B', 'series'], quiet=True)
    git(['reset', '-q', '--hard', sha], quiet=True)
    write_stamp(sha)
    paths = series_paths()
    log(f'assembled build/linux: {len(patch_files())} patches, '
        f'{len(paths)} paths')
    ASSEMBLED_SAID.append(True)
    return paths


def cmd_export(_args=None):
    """Write the series branch of build/linux to patches/."""
    cmd_base()
    if subprocess.run(['git', 'merge-base', '--is-ancestor', BASE_TAG,
                       'HEAD'], cwd=TREE).returncode:
        die(f'build/linux HEAD is not on top of {BASE_TAG}')
    dirty = uncommitted()
    if dirty:
        die('build/linux has uncommitted changes (commit them into the '
            'patch they belong to first): ' + ' '.join(dirty[:5]))
    for p in patch_files():
        os.remove(p)
    git(['format-patch', '-q'] + STORED_FORMAT +
        ['-o', PATCHES, f'{BASE_TAG}..HEAD'])
    write_stamp(rev('HEAD'))
    log(f'wrote {len(patch_files())} patches to patches/')


def cmd_series(_args=None):
    """Write the series as it is mailed: build/series/, cover letter first."""
    ensure_packages()
    cmd_assemble()
    shutil.rmtree(SERIES_OUT, ignore_errors=True)
    # The cover letter is from whoever wrote the patches.
    name, email = git_out(['log', '-1', '--format=%an%n%ae', 'HEAD']).split('\n')[:2]
    env = identity_env(name, email, date=FIXED_DATE)
    git(['format-patch', '-q', '--cover-letter', '--no-signature',
         f'--reroll-count={SERIES_VERSION}', '--base', BASE_TAG,
         '-o', SERIES_OUT, f'{BASE_TAG}..HEAD'], env=env)
    fill_cover_letter()
    n = len(os.listdir(SERIES_OUT))
    log(f'wrote build/series/: cover letter and {n - 1} patches')


def series_patches():
    """The patches of build/series/, cover letter excluded, in order."""
    return sorted(os.path.join(SERIES_OUT, p) for p in os.listdir(SERIES_OUT)
                  if p.endswith('.patch') and '0000-cover-letter' not in p)


def fill_cover_letter():
    cover = [p for p in os.listdir(SERIES_OUT) if 'cover-letter' in p][0]
    cover = os.path.join(SERIES_OUT, cover)
    with open(os.path.join(PATCHES, 'cover-letter')) as f:
        subject, _, blurb = f.read().partition('\n')
    with open(cover) as f:
        text = f.read()
    text = text.replace('*** SUBJECT HERE ***', subject.strip())
    text = text.replace('*** BLURB HERE ***', blurb.strip())
    with open(cover, 'w') as f:
        f.write(text)

# ---------------------------------------------------------------- checks

# Skips that are expected on the patched kernel, with the reason: the one
# place either harness (KUnit, the guest scenarios) looks. On the patched
# kernel any other skip is a failure: a case that did not run proved
# nothing. On the base kernel a skip stays a skip (the base has no
# framework to test), and make baseline reports it as such.
EXPECTED_SKIPS = {
    # 'kunit x86_64: suite.case' or 'guest (patched): scenario': 'why',
}


def verdict(kind, name, status):
    """PASS, FAIL or SKIP for a test @name that reported @status (PASS,
    FAIL, SKIP, or anything else for an error) on kernel @kind ('patched'
    or 'base'); see EXPECTED_SKIPS."""
    if status in ('PASS', 'FAIL'):
        return status
    if status != 'SKIP':
        return 'FAIL'
    if kind == 'base' or name in EXPECTED_SKIPS:
        return 'SKIP'
    return 'FAIL'


class Results:
    def __init__(self):
        self.items = []

    def add(self, name, ok, detail=''):
        """Record a check that passed (@ok true) or failed."""
        self.record(name, 'PASS' if ok else 'FAIL', detail)

    def record(self, name, state, detail=''):
        """Record a check's PASS, FAIL or SKIP (see verdict())."""
        assert state in ('PASS', 'FAIL', 'SKIP')
        self.items.append((name, state, detail))
        log(f'{state}: {name}' + (f' ({detail})' if detail else ''))

    def summary(self):
        """Print the failures and the closing line; return the failures."""
        count = {s: sum(1 for _, st, _ in self.items if st == s)
                 for s in ('PASS', 'FAIL', 'SKIP')}
        for name, state, detail in self.items:
            if state != 'PASS':
                # A detail of several lines (a kernel log's last words)
                # follows its name, indented.
                first, *rest = (detail or '').split('\n')
                print(f'  {state.lower()}: {name}' +
                      (f': {first}' if first else ''))
                for ln in rest:
                    print(f'      {ln}')
        line = f'{count["PASS"]} passed, {count["FAIL"]} failed'
        if count['SKIP']:
            line += f', {count["SKIP"]} skipped'
        print(line, flush=True)
        return count['FAIL']


# The base tree warns at every UML KUnit boot: kunit.py's UML config has
# PCI over virtio without a device ID. Not ours, so not a failure.
KUNIT_BASE_WARNING = 'arch/um/drivers/virt-pci.c'
UML_MODULES = '--kconfig_add=CONFIG_MODULES=y'
KUNIT_RUNS = {
    # name: (kunitconfigs, kunit.py arguments, build directory, what its
    # build costs)
    # CONFIG_MODULES: kunit.py's UML configuration leaves it off, and
    # make check builds the suite as a module in this same configuration
    # (without it kconfig turns =m into =y and nothing links as a module).
    'UML': ([KUNITCONFIG], [UML_MODULES], 'kunit-uml',
            'about 3 minutes the first time'),
    # The suite builds and passes without fault injection: its fault
    # cases are then not there, and nothing else changes. It shares the
    # UML build: kunit.py reconfigures it and kbuild rebuilds only what
    # depends on the option (the suite and the core).
    'UML, fault injection off': ([KUNITCONFIG],
                                 [UML_MODULES,
                                  '--kconfig_add=CONFIG_FAIL_SYS_HOTPLUG=n'],
                                 'kunit-uml', 'seconds after the UML run'),
    # The sequencer suite again, with lockdep on a real SMP machine, and
    # the options the per-commit x86_64 builds of make check need: they
    # build this same configuration.
    'x86_64': ([KUNITCONFIG_X86, KUNITCONFIG_ACPI], ['--arch=x86_64',
                                 f'--qemu_config={QEMU_CONFIG_X86}'] +
               [f'--kconfig_add={o}' for o in (
                   'CONFIG_DEBUG_FS=y', 'CONFIG_FAULT_INJECTION=y',
                   'CONFIG_FAULT_INJECTION_DEBUG_FS=y',
                   'CONFIG_FAIL_SYS_HOTPLUG=y',
                   'CONFIG_SYS_HOTPLUG_RAW_RANGES=y',
                   'CONFIG_SYS_HOTPLUG_KUNIT_TEST=y',
                   # A case that hangs ends the run within minutes with
                   # the blocked task's stack in the log (panic=-1 and
                   # QEMU's -no-reboot), not after kunit.py's timeout
                   # with nothing said.
                   'CONFIG_DETECT_HUNG_TASK=y',
                   'CONFIG_DEFAULT_HUNG_TASK_TIMEOUT=120',
                   'CONFIG_BOOTPARAM_HUNG_TASK_PANIC=y')] +
               ['--kernel_args=panic=-1'],
               'kunit-x86-64', 'about 5 minutes the first time'),
}


def kunit_options(arch):
    """The options kunit.py writes to .config for KUNIT_RUNS[@arch] before
    olddefconfig (its architecture's, the kunitconfigs', --kconfig_add),
    from build/linux. A per-commit build of make check that starts from
    them leaves kunit.py nothing to rebuild at the last commit."""
    kunitconfigs, args, _, _ = KUNIT_RUNS[arch]
    qemu = [a.split('=', 1)[1] for a in args if a.startswith('--qemu_config=')]
    if qemu:
        with open(os.path.join(TREE, qemu[0])) as f:
            m = re.search(r"kconfig='''(.*?)'''", f.read(), re.S)
        texts = [m.group(1) if m else '']
    else:
        with open(os.path.join(TREE, UML_KCONFIG)) as f:
            texts = [f.read()]
    for k in kunitconfigs:
        with open(os.path.join(TREE, k)) as f:
            texts.append(f.read())
    texts += [a.split('=', 1)[1] for a in args
              if a.startswith('--kconfig_add=')]
    opts = {}
    for ln in '\n'.join(texts).splitlines():
        m = re.match(r'^(CONFIG_\w+)=|^# (CONFIG_\w+) is not set$', ln.strip())
        if m:
            opts[m.group(1) or m.group(2)] = ln.strip()
    return list(opts.values())


def config_lines(build_dir):
    """The lines of build_dir/.config, as a set."""
    with open(os.path.join(build_dir, '.config')) as f:
        return set(f.read().splitlines())


def write_config(build_dir, options):
    """A .config of exactly @options; olddefconfig fills in the rest."""
    os.makedirs(build_dir, exist_ok=True)
    with open(os.path.join(build_dir, '.config'), 'w') as f:
        f.write('\n'.join(options) + '\n')


def kunit(results, arch='UML', extra=(), tree=TREE, build_dir=None):
    """Run a KUnit configuration in @tree; one result per test case, and
    one for the kernel log (no warning, BUG or lockdep report)."""
    kunitconfigs, args, sub, cost = KUNIT_RUNS[arch]
    tag = re.sub(r'\W+', '-', arch.lower().replace('_', '-')).strip('-')
    build_dir = build_dir or os.path.join(BUILD, sub)
    log(f'KUnit on {arch} (build: {cost})')
    returncode, cases, text = kunit_py(
        ['run'] + [f'--kunitconfig={k}' for k in kunitconfigs] +
        [f'--jobs={JOBS}'] + args + list(extra), build_dir, f'kunit-{tag}',
        tree)
    if not cases:
        results.add(f'kunit {arch}: suite ran', False,
                    f'kunit.py exit {returncode}')
        return
    record_kunit(results, arch, cases, text, returncode)
    # Figures the suite prints (benchmarks), passed on to the reader.
    for line in text.splitlines():
        if 'cost:' in line:
            log('figure: ' + line.strip().lstrip('# '))


def kunit_py(args, build_dir, tag, tree, quiet=False):
    """Run tools/testing/kunit/kunit.py @args on @build_dir in @tree.
    Return: its exit code, its (name, status) cases and the kernel log."""
    json_out = os.path.join(BUILD, f'{tag}.json')
    raw = os.path.join(build_dir, 'test.log')
    for old in (json_out, raw):
        if os.path.exists(old):
            os.remove(old)
    res = run([sys.executable, 'tools/testing/kunit/kunit.py'] + args +
              [f'--build_dir={build_dir}', '--timeout=900',
               f'--json={json_out}'], cwd=tree, check=False,
              capture=quiet, quiet=quiet)
    cases = []
    if os.path.exists(json_out):
        with open(json_out) as f:
            cases = list(walk_kunit(json.load(f)))
    text = ''
    if os.path.exists(raw):
        with open(raw, errors='replace') as f:
            text = f.read()
    return res.returncode, cases, text


def log_reports(text):
    """The lines of a KUnit kernel log that report a warning, a BUG or
    lockdep (the base tree's own UML warning aside)."""
    return [ln.strip() for ln in text.splitlines()
            if KERNEL_BAD.search(ln) and KUNIT_BASE_WARNING not in ln]


def record_kunit(results, arch, cases, text, returncode):
    """Record the (name, status) @cases of a KUnit run on @arch, whose
    kernel log is @text, and the log check."""
    # kunit.py reports the cases a kernel never reached (it stopped, hung
    # or QEMU died) as unnamed ERROR cases: one failure for all of them,
    # with the end of the log, rather than a screenful of empty names.
    def unreached(name, status):
        return status == 'ERROR' and (not name or name.endswith('.'))
    lost = [n for n, s in cases if unreached(n, s)]
    cases = [(n, s) for n, s in cases if not unreached(n, s)]
    for name, status in cases:
        name = f'kunit {arch}: {name}'
        state = verdict('patched', name, status)
        why = status
        if status == 'SKIP':
            why = EXPECTED_SKIPS.get(name, 'skipped on the patched kernel')
        results.record(name, state, why)
    bad = log_reports(text)
    results.add(f'kunit {arch}: kernel log has no warning, BUG or lockdep report',
                bool(text) and not bad, bad[0] if bad else
                ('' if text else 'no test.log'))
    if lost:
        suites = sorted({n.rstrip('.') for n in lost if n})
        results.add(f'kunit {arch}: every case reported', False,
                    f'{len(lost)} cases or suites never reported' +
                    (f' (in {", ".join(suites)})' if suites else '') +
                    f'; kunit.py exit {returncode}; the log ends:\n' +
                    '\n'.join(log_end(text)))


def log_end(text, lines=12):
    """The last @lines lines of a KUnit log after its last result line
    (what the kernel, or QEMU, said before it stopped), or its last
    @lines lines if none follow one."""
    all_lines = [ln.rstrip() for ln in text.splitlines() if ln.strip()]
    last = max((i for i, ln in enumerate(all_lines)
                if re.match(r'\s*(not )?ok \d+ ', ln)), default=-1)
    after = all_lines[last + 1:] if last >= 0 else all_lines
    head = [all_lines[last].strip()] if last >= 0 else []
    return (head + after[-lines:]) or ['(empty)']


def walk_kunit(node, prefix=''):
    for sub in node.get('sub_groups', []):
        yield from walk_kunit(sub, prefix + sub['name'] + '.')
    for case in node.get('test_cases', []):
        yield prefix + case['name'], case['status']


def kconfig_set(build_dir, options):
    """Set CONFIG options in build_dir/.config, then olddefconfig."""
    cfg = os.path.join(build_dir, '.config')
    with open(cfg) as f:
        lines = f.read().splitlines()
    keys = {re.sub(r'^# (CONFIG_\w+) is not set$', r'\1', o).split('=')[0]
            for o in options}
    lines = [ln for ln in lines
             if not any(ln.startswith(k + '=') or ln == f'# {k} is not set'
                        for k in keys)]
    with open(cfg, 'w') as f:
        f.write('\n'.join(lines + list(options)) + '\n')


def overlay(options, changes):
    """@options with every symbol that @changes sets replaced by @changes."""
    def key(o):
        return re.sub(r'^# (CONFIG_\w+) is not set$', r'\1', o).split('=')[0]
    keys = {key(o) for o in changes}
    return [o for o in options if key(o) not in keys] + list(changes)


def make(tree, build_dir, targets, extra=(), capture=False, arch='um'):
    cmd = ['make', '-s', f'-j{JOBS}', f'ARCH={arch}', f'O={build_dir}'] + \
        list(extra) + list(targets)
    return run(cmd, cwd=tree, check=False, capture=capture)


OFF = ['# CONFIG_SYS_HOTPLUG is not set']
# The series' files, and base files it changes that build clean with W=1
# and sparse on the base too.
OUR_FILES = ('sys_hotplug', 'cpu_shp', 'memory_shp', 'shp_acpi',
             'memory_hotplug')
CORE_OBJS = ['drivers/base/sys_hotplug.o', 'drivers/base/sys_hotplug_request.o',
             'drivers/base/sys_hotplug_debugfs.o',
             'drivers/base/sys_hotplug_fault.o']
UML_OBJS = CORE_OBJS + ['drivers/base/test/sys_hotplug_kunit.o']
X86_OBJS = CORE_OBJS + [
    'drivers/base/sys_hotplug_sysfs.o', 'kernel/cpu_shp.o', 'mm/memory_shp.o',
    'mm/memory_hotplug.o',
    'drivers/acpi/shp_acpi.o', 'drivers/base/test/sys_hotplug_kunit.o',
    'drivers/base/test/sys_hotplug_handlers_kunit.o',
    'drivers/acpi/shp_acpi_kunit.o']
# x86_64 per-commit builds: the handler suites' configuration (small,
# SMP, NUMA, memory hot-plug), with everything of the series switched on.
X86_BASE_CONFIG = 'CONFIG_64BIT=y\n'
X86_ON = ['CONFIG_KUNIT=y', 'CONFIG_SMP=y', 'CONFIG_NUMA=y', 'CONFIG_ACPI=y',
          'CONFIG_MEMORY_HOTPLUG=y', 'CONFIG_MEMORY_HOTREMOVE=y',
          'CONFIG_DEBUG_FS=y', 'CONFIG_FAULT_INJECTION=y',
          'CONFIG_FAULT_INJECTION_DEBUG_FS=y', 'CONFIG_SYS_HOTPLUG=y',
          'CONFIG_FAIL_SYS_HOTPLUG=y', 'CONFIG_SYS_HOTPLUG_RAW_RANGES=y',
          'CONFIG_SYS_HOTPLUG_KUNIT_TEST=y',
          'CONFIG_SYS_HOTPLUG_HANDLERS_KUNIT_TEST=y',
          'CONFIG_SYS_HOTPLUG_ACPI_KUNIT_TEST=y', 'CONFIG_FTRACE=y',
          'CONFIG_DEBUG_KERNEL=y', 'CONFIG_PROVE_LOCKING=y']


def check_series(results, with_kunit=False):
    """The series as a maintainer applies it: git am, checkpatch, every
    commit built in every supported configuration, W=1, sparse, docs.
    With @with_kunit, the KUnit runs too, on the am tree's last commit, in
    the per-commit build directories whose configuration is theirs.
    Return whether the KUnit runs happened."""
    # 1. git am onto the pristine base.
    worktree(AM_TREE)
    patches = series_patches()
    ok = git_am(AM_TREE, patches)
    results.add('series: git am onto the pristine base', ok)
    if not ok:
        return False
    # 2. Same tree as the one the tests build, and all of it in patches/.
    tree_am = git_out(['rev-parse', 'HEAD^{tree}'], cwd=AM_TREE)
    tree_built = git_out(['rev-parse', 'HEAD^{tree}'])
    dirty = uncommitted()
    results.add('series: git am gives the tree the tests build',
                tree_built == tree_am and not dirty,
                'uncommitted edits in build/linux: ' + ' '.join(dirty[:5])
                if dirty else ('' if tree_built == tree_am else
                               f'{tree_am[:12]} != {tree_built[:12]}'))
    exported = rev('HEAD') == rev(ASSEMBLED_REF) and \
        read_stamp() == patches_stamp()
    results.add('series: patches/ records every commit of build/linux',
                exported, '' if exported else
                'commits not exported: make export')
    patches = [os.path.basename(p) for p in patches]
    commits = series_commits(AM_TREE)
    # 3. checkpatch --strict on every patch. Its SPDX check runs python3
    # with ply, which Debian installs for its own python3.
    env = dict(os.environ, PATH='/usr/bin:/bin:' + os.environ.get('PATH', ''))
    for p in patches:
        res = run(['perl', 'scripts/checkpatch.pl', '--strict', '--terse',
                   '--show-types', os.path.join(SERIES_OUT, p)],
                  cwd=TREE, check=False, capture=True, quiet=True, env=env)
        bad = [ln for ln in res.stdout.splitlines()
               if re.search(r': (ERROR|WARNING|CHECK):', ln)]
        if bad:
            sys.stdout.write('\n'.join(bad) + '\n')
        results.add(f'checkpatch --strict: {p}', res.returncode == 0 and not bad,
                    f'{len(bad)} reports' if bad else '')
    # 4. Every commit builds on its own, in every configuration the series
    # supports, without a single warning. On UML the configuration is the
    # UML KUnit run's (the commits before its kunitconfig lack some of its
    # options, which olddefconfig drops), so that the run reuses the build,
    # with fault injection off at every commit (UML_VARIANTS); the x86_64
    # builds below have it on at every commit, so UML builds the run's own
    # configuration at the last commit only. That halves the UML builds,
    # each of which costs half a minute whatever it compiles (kbuild's
    # walk of the tree and the link). The variants share one directory: a
    # switch rebuilds only what depends on the options it changes.
    build_dir = os.path.join(BUILD, 'percommit-uml')
    uml = kunit_options('UML')
    shas = git_out(['rev-list', '--reverse', f'{BASE_TAG}..HEAD'],
                   cwd=AM_TREE).split()
    for i, sha in enumerate(shas, 1):
        git(['checkout', '-q', sha], cwd=AM_TREE, quiet=True)
        last = [('', [], 'percommit-uml')] \
            if i == len(shas) or FULL_MATRIX else []
        for name, options, sub in UML_VARIANTS + last:
            cfg_dir = os.path.join(BUILD, sub)
            write_config(cfg_dir, overlay(uml, options))
            make(AM_TREE, cfg_dir, ['olddefconfig'])
            what = f' ({name})' if name else ''
            # The suite runs at every commit that has it, in the first
            # variant (the last commit's runs are make test's own).
            runs = with_kunit and (name, options, sub) == UML_VARIANTS[0] \
                and i < len(shas) and suites_at(AM_TREE, 'UML')
            built = build_commit(results, f'build{what}: commit {i}/'
                                 f'{len(shas)} {commits[i - 1].subject}',
                                 cfg_dir, 'um', 'linux' if runs else 'vmlinux')
            if runs and built:
                kunit_exec(results, f'kunit UML{what}: commit {i}/'
                           f'{len(shas)} {commits[i - 1].subject}', cfg_dir,
                           'UML')
    if with_kunit:
        for arch in KUNIT_RUNS:
            if '--arch=x86_64' not in KUNIT_RUNS[arch][1]:
                kunit(results, arch, tree=AM_TREE, build_dir=build_dir)
    write_config(build_dir, uml)
    make(AM_TREE, build_dir, ['olddefconfig'])
    # 5. W=1 and sparse report nothing in the series' files.
    w1_sparse(results, 'UML', build_dir, 'um', UML_OBJS)
    # 4 and 5 again on x86_64, where the CPU, memory and ACPI handlers
    # build, in the configuration of the x86_64 KUnit run.
    x86_dir = os.path.join(BUILD, 'percommit-x86')
    x86 = kunit_options('x86_64')
    for i, sha in enumerate(shas, 1):
        git(['checkout', '-q', sha], cwd=AM_TREE, quiet=True)
        write_config(x86_dir, x86)
        make(AM_TREE, x86_dir, ['olddefconfig'], arch='x86_64')
        # The suites run under QEMU at every commit that has a suite only
        # x86_64 runs (every commit with SHP_FULL_MATRIX=1): the
        # sequencer's alone has run on UML.
        here = suites_at(AM_TREE, 'x86_64')
        runs = with_kunit and i < len(shas) and here and (
            FULL_MATRIX or here != suites_at(AM_TREE, 'UML'))
        built = build_commit(results, f'build x86_64: commit {i}/{len(shas)} '
                             f'{commits[i - 1].subject}', x86_dir, 'x86_64',
                             'bzImage' if runs else 'vmlinux')
        if runs and built:
            kunit_exec(results, f'kunit x86_64: commit {i}/{len(shas)} '
                       f'{commits[i - 1].subject}', x86_dir, 'x86_64')
    if with_kunit:
        kunit(results, 'x86_64', tree=AM_TREE, build_dir=x86_dir)
    write_config(x86_dir, x86)
    make(AM_TREE, x86_dir, ['olddefconfig'], arch='x86_64')
    w1_sparse(results, 'x86_64', x86_dir, 'x86_64', X86_OBJS)
    # The hooks in memory and CPU code build with the framework off too.
    kconfig_set(x86_dir, OFF)
    make(AM_TREE, x86_dir, ['olddefconfig'], arch='x86_64')
    build_commit(results, 'build x86_64: CONFIG_SYS_HOTPLUG=n', x86_dir,
                 'x86_64')
    # KUNIT_ALL_TESTS enables the sequencer's suite, which runs on private
    # sequencers, and not the suites that change the running machine.
    kunit_all_tests(results)
    # 6. The suite links as a module: exports and namespaces are right.
    kconfig_set(build_dir, ['CONFIG_SYS_HOTPLUG_KUNIT_TEST=m'])
    make(AM_TREE, build_dir, ['olddefconfig'])
    res = make(AM_TREE, build_dir, ['vmlinux', 'modules'])
    ko = os.path.join(build_dir, 'drivers/base/test/sys_hotplug_kunit.ko')
    as_module = 'CONFIG_SYS_HOTPLUG_KUNIT_TEST=m' in config_lines(build_dir)
    results.add('build: the KUnit suite as a module (modpost)',
                res.returncode == 0 and os.path.exists(ko),
                '' if as_module else 'kconfig did not keep =m '
                '(is CONFIG_MODULES set?)')
    # 7. kernel-doc has nothing to say about the new files.
    new = [p for p in series_paths(AM_TREE, added_only=True)
           if p.endswith(('.c', '.h'))]
    res = run(['perl', 'scripts/kernel-doc', '-Wall', '-none'] + new,
              cwd=AM_TREE, check=False, capture=True, quiet=True)
    if res.stdout.strip():
        sys.stdout.write(res.stdout)
    results.add('kernel-doc -Wall: no report in the new files',
                res.returncode == 0 and not res.stdout.strip())
    # 8. The documents build with the base tree's Sphinx, without warnings.
    docs(results)
    # 9. The framework off builds, and builds none of it.
    kconfig_set(build_dir, OFF)
    make(AM_TREE, build_dir, ['olddefconfig'])
    build_commit(results, 'build: CONFIG_SYS_HOTPLUG=n', build_dir, 'um')
    stubs(results, build_dir)
    cfg = config_lines(build_dir)
    results.add('CONFIG_SYS_HOTPLUG=n leaves no framework option set',
                'CONFIG_SYS_HOTPLUG_KUNIT_TEST=y' not in cfg and
                'CONFIG_FAIL_SYS_HOTPLUG=y' not in cfg and
                'CONFIG_SYS_HOTPLUG=y' not in cfg)
    git(['checkout', '-q', shas[-1]], cwd=AM_TREE, quiet=True)
    return with_kunit


# Configurations besides the UML KUnit run's in which every commit must
# build (UML) without a single compiler, linker or kbuild warning: (name,
# options on top of it, build directory). The run's own configuration
# (framework, fault injection and the suite on) builds at every commit on
# x86_64 and at the last one on UML. Those whose switch rebuilds
# little share its directory; KUnit off has its own, as CONFIG_KUNIT
# reaches headers that much of the kernel includes. To stay within CI's
# time, make test builds framework on with KUnit off once, as the x86_64
# guest kernel of the last commit (host/guest.py), and framework off at
# the last commit (step 9 below); SHP_FULL_MATRIX=1 builds both, and the
# UML KUnit configuration, at every commit too.
FULL_MATRIX = os.environ.get('SHP_FULL_MATRIX') == '1'
UML_VARIANTS = [
    ('fault injection off', ['# CONFIG_FAIL_SYS_HOTPLUG is not set'],
     'percommit-uml'),
] + ([('KUnit off', ['# CONFIG_KUNIT is not set'], 'percommit-uml-kunit-off'),
      ('framework off', OFF, 'percommit-uml')] if FULL_MATRIX else [])


def build_commit(results, name, build_dir, arch, target='vmlinux'):
    """Build @target (vmlinux, or the image a KUnit run boots) of the am
    tree's commit in @build_dir; result @name passes only if it built
    without a single warning. Return whether it built."""
    log(f'building {name}')
    res = make(AM_TREE, build_dir, [target], arch=arch, capture=True)
    warn = build_warnings(res.stdout)
    if warn or res.returncode:
        sys.stdout.write('\n'.join(warn[:20] or
                                   res.stdout.splitlines()[-20:]) + '\n')
    results.add(name, res.returncode == 0 and not warn,
                f'{len(warn)} warnings' if warn else '')
    return res.returncode == 0


# The KUnit suites of the series, and the architecture each needs: the
# sequencer's runs anywhere, the handlers' and the ACPI steps' change a
# real x86_64 machine (QEMU, with a DIMM slot and CPUs to offline).
SUITES = {KUNITCONFIG: 'UML', KUNITCONFIG_X86: 'x86_64',
          KUNITCONFIG_ACPI: 'x86_64'}


def suites_at(tree, arch):
    """The kunitconfigs of @arch's suites that exist in @tree."""
    return [k for k, a in SUITES.items()
            if os.path.exists(os.path.join(tree, k)) and
            (a == arch or arch == 'x86_64')]


def kunit_exec(results, name, build_dir, arch):
    """Run the KUnit suites built into @build_dir (kunit.py exec: no
    configuration, no build) and record one result @name for the lot:
    every case passed and the kernel log has no warning."""
    args = ['exec']
    if arch == 'x86_64':
        args += [a for a in KUNIT_RUNS['x86_64'][1]
                 if a.startswith(('--arch', '--qemu_config', '--kernel_args'))]
    log(f'KUnit {name}')
    returncode, cases, text = kunit_py(args, build_dir, 'kunit-exec',
                                       AM_TREE, quiet=True)
    bad = [n for n, st in cases
           if verdict('patched', f'kunit {arch}: {n}', st) != 'PASS']
    warn = log_reports(text)
    ok = bool(cases) and not bad and not warn and returncode == 0
    detail = f'{len(cases)} cases'
    if not ok:
        detail = (f'{len(bad)} of {len(cases)} cases did not pass: ' +
                  ' '.join(bad[:5]) if bad else warn[0] if warn else
                  f'kunit.py exit {returncode}; the log ends:\n' +
                  '\n'.join(log_end(text)))
    results.add(name, ok, detail)


def build_warnings(output):
    """The compiler, linker and kbuild warnings and errors in @output,
    except a compiler's about a source file that the series does not touch:
    those are the base kernel's own in that configuration (UML's lib/iomap.c
    prototypes with PCI over virtio), the same with or without the series."""
    ours = series_paths()
    bad = []
    for ln in output.splitlines():
        if not re.search(r'\b(warning|error|WARNING|ERROR):', ln):
            continue
        m = re.match(r'^(\S+?):\d+:(\d+:)? (warning|error):', ln)
        if m and ours is not None:
            path = os.path.normpath(m.group(1))
            if not any(path.endswith('/' + p) or path == p for p in ours):
                continue
        bad.append(ln)
    return bad


# The suites that offline CPUs, change policies and register handlers on
# the system's sequencer: never enabled by KUNIT_ALL_TESTS.
MACHINE_SUITES = ['CONFIG_SYS_HOTPLUG_HANDLERS_KUNIT_TEST',
                  'CONFIG_SYS_HOTPLUG_ACPI_KUNIT_TEST']


def kunit_all_tests(results):
    cfg_dir = os.path.join(BUILD, 'kconfig-all-tests')
    shutil.rmtree(cfg_dir, ignore_errors=True)
    os.makedirs(cfg_dir)
    with open(os.path.join(cfg_dir, '.config'), 'w') as f:
        f.write(X86_BASE_CONFIG + '\n'.join(
            [o for o in X86_ON if o.split('=')[0] not in MACHINE_SUITES
             and 'SYS_HOTPLUG_KUNIT_TEST' not in o] +
            ['CONFIG_KUNIT_ALL_TESTS=y']) + '\n')
    make(AM_TREE, cfg_dir, ['olddefconfig'], arch='x86_64')
    cfg = config_lines(cfg_dir)
    on = [o for o in MACHINE_SUITES if f'{o}=y' in cfg]
    # The suites' dependencies are met, so only their defaults keep them off.
    need = ['CONFIG_SYS_HOTPLUG_KUNIT_TEST=y', 'CONFIG_SYS_HOTPLUG_CPU=y',
            'CONFIG_SYS_HOTPLUG_MEMORY=y', 'CONFIG_SYS_HOTPLUG_ACPI=y',
            'CONFIG_MEMORY_HOTREMOVE=y']
    lack = [o for o in need if o not in cfg]
    results.add('KUNIT_ALL_TESTS enables the sequencer suite, not the '
                'suites that change the machine', not on and not lack,
                ' '.join(on) + (' enabled ' if on else '') +
                (' '.join(lack) + ' not set' if lack else ''))


def w1_sparse(results, arch, build_dir, karch, objs):
    """Rebuild @objs with W=1 and sparse; no report may name our files."""
    for p in objs:
        o = os.path.join(build_dir, p)
        if os.path.exists(o):
            os.remove(o)
    res = make(AM_TREE, build_dir, objs, extra=['W=1', 'C=1'], capture=True,
               arch=karch)
    warn = [ln for ln in res.stdout.splitlines()
            if any(f in ln for f in OUR_FILES) and
            re.search(r'warning|error', ln)]
    if warn:
        sys.stdout.write('\n'.join(warn) + '\n')
    results.add(f'W=1 and sparse ({arch}): no report in the series files',
                res.returncode == 0 and not warn, f'{len(warn)} reports'
                if warn else '')


def docs(results):
    """Build only the documents the series adds or changes (whole), in a
    scratch directory of the am tree, with the kernel's Sphinx
    configuration: the full htmldocs build takes longer than CI allows."""
    rst = [p for p in series_paths(AM_TREE) if p.endswith('.rst') and
           not p.endswith('/index.rst')]
    scratch = os.path.join(AM_TREE, 'Documentation', 'shp-doccheck')
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    # Two documents of the series are sys_hotplug.rst: name each by its path.
    names = [p[len('Documentation/'):-4].replace('/', '-') for p in rst]
    for p, name in zip(rst, names):
        shutil.copyfile(os.path.join(AM_TREE, p),
                        os.path.join(scratch, name + '.rst'))
    with open(os.path.join(scratch, 'index.rst'), 'w') as f:
        f.write('=========\nDocuments\n=========\n\n.. toctree::\n\n' +
                ''.join(f'   {name}\n' for name in names))
    res = run(['make', f'O={os.path.join(BUILD, "docs")}',
               'SPHINXDIRS=shp-doccheck', 'htmldocs'], cwd=AM_TREE,
              check=False, capture=True)
    # dot(1) missing only lowers the quality of graphs; none are ours.
    bad = [ln for ln in res.stdout.splitlines()
           if re.search(r'warning|error', ln, re.I) and 'dot(1)' not in ln]
    if bad:
        sys.stdout.write('\n'.join(bad) + '\n')
    results.add('documentation builds with Sphinx without warnings',
                res.returncode == 0 and not bad,
                f'{len(bad)} reports' if bad else '')
    shutil.rmtree(scratch, ignore_errors=True)


STUB_USER = r'''// SPDX-License-Identifier: GPL-2.0
/* Scratch file of make check: the API compiles away when the framework is off. */
#include <linux/gfp_types.h>
#include <linux/sys_hotplug.h>

int shp_stub_check(void);
int shp_stub_check(void)
{
	struct shp_handler h = { .name = "stub" };
	struct shp_request *req;
	u64 id;
	int ret;

	req = shp_request_alloc(SHP_OP_ONLINE, SHP_ORIGIN_SYSFS, 1, GFP_KERNEL);
	shp_request_add_targets(req, 1);
	shp_report_blocker(req, 0, -EBUSY, "%s", "busy");
	shp_report_left(req, 0, -EBUSY, "%d", 1);
	ret = shp_submit(req, &id) ?: shp_submit_wait(req);
	ret = ret ?: shp_parse_u64("1", 10, &id);
	shp_request_put(req);
	ret = ret ?: shp_register_handler(&h);
	shp_unregister_handler(&h);
	if (shp_request_aborted(req) || shp_target_changed(req, NULL) ||
	    *shp_request_failed_handler(req))
		ret = -EINVAL;
	return ret;
}
'''


def stubs(results, build_dir):
    """With the framework off, every API call compiles (W=1) to nothing."""
    src = os.path.join(AM_TREE, 'drivers', 'base', 'shp_stub_check.c')
    mk = os.path.join(AM_TREE, 'drivers', 'base', 'Makefile')
    with open(src, 'w') as f:
        f.write(STUB_USER)
    with open(mk, 'a') as f:
        f.write('obj-y += shp_stub_check.o\n')
    res = make(AM_TREE, build_dir, ['drivers/base/shp_stub_check.o'],
               extra=['W=1'], capture=True)
    obj = os.path.join(build_dir, 'drivers', 'base', 'shp_stub_check.o')
    undef = ''
    if res.returncode == 0:
        undef = run(['nm', '-u', obj], capture=True, quiet=True).stdout
    warn = [ln for ln in res.stdout.splitlines()
            if re.search(r'warning|error', ln)]
    if warn or res.returncode:
        sys.stdout.write(res.stdout)
    calls = [ln.split()[-1] for ln in undef.splitlines()
             if 'shp_' in ln]
    results.add('CONFIG_SYS_HOTPLUG=n: the API compiles away (W=1)',
                res.returncode == 0 and not warn and not calls,
                ' '.join(calls))
    os.remove(src)
    if os.path.exists(obj):
        os.remove(obj)
    git(['checkout', '-q', '--', 'drivers/base/Makefile'], cwd=AM_TREE,
        quiet=True)


def cmd_kunit(args):
    ensure_packages(GUEST_PACKAGES)
    cmd_assemble()
    results = Results()
    for arch in KUNIT_RUNS:
        kunit(results, arch, args.kunit_args)
    sys.exit(1 if results.summary() else 0)


def cmd_check(_args=None):
    ensure_packages(CHECK_PACKAGES)
    cmd_series()
    results = Results()
    check_series(results, with_kunit=True)
    sys.exit(1 if results.summary() else 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    sub.add_parser('base').set_defaults(fn=cmd_base)
    sub.add_parser('assemble').set_defaults(fn=cmd_assemble)
    sub.add_parser('export').set_defaults(fn=cmd_export)
    sub.add_parser('series').set_defaults(fn=cmd_series)
    p = sub.add_parser('kunit')
    p.add_argument('kunit_args', nargs='*')
    p.set_defaults(fn=cmd_kunit)
    sub.add_parser('check').set_defaults(fn=cmd_check)
    args = ap.parse_args()
    args.fn(args)


if __name__ == '__main__':
    main()
