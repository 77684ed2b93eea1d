# SPDX-License-Identifier: GPL-2.0
"""The QEMU guest bench: build an x86_64 guest kernel (patched or base),
an initramfs from Debian's busybox-static, boot it under QEMU and run one
in-guest scenario, with QMP for the host's side of hot-plug.

A scenario is host/guest/scenarios/NAME.sh. It runs as PID 1's child in
the guest and talks to the host through the serial console:

  SHP-QMP <action> <args...>   ask the host to do something over QMP
  SHP-RESULT PASS|FAIL|SKIP <why>   the verdict (the last line it prints);
                               SKIP: it has nothing to test on this kernel
  SHP-KTAP <line>              a line of a kselftest's KTAP output: the
                               host records each of its cases as a result

The host fails a scenario on a missing verdict, a timeout, or any kernel
WARN, BUG, lockdep or kmemleak report in the serial log.
"""

import os
import re
import shutil
import subprocess
import sys
import time

import shp
from qmp import QMP, QMPError

GUEST_DIR = os.path.join(shp.ROOT, 'host', 'guest')
KCONFIG = os.path.join(GUEST_DIR, 'kernel.config')
SCENARIOS = os.path.join(GUEST_DIR, 'scenarios')
BASE_TREE = os.path.join(shp.BUILD, 'base-tree')
BUSYBOX = '/bin/busybox'
# Options only the patched tree has; the base builds without them.
PATCHED_ONLY = ('CONFIG_SYS_HOTPLUG', 'CONFIG_FAIL_SYS_HOTPLUG',
                'CONFIG_SYS_HOTPLUG_RAW_RANGES')
# What the bench's kernels ("base-perf", "patched-off-perf", "patched-perf")
# leave out: the checkers that make every test kernel slow, ftrace, and the
# framework's fault injection, which an administrator's kernel does not
# have. Its profile kernels (the same, "-trace") keep ftrace, for the
# tracepoints, with the function tracer and its profiler instead of the
# default tracers (which Kconfig offers only without a function tracer).
TRACING = ('CONFIG_FTRACE',)
PROFILER = ('CONFIG_FUNCTION_TRACER=y', 'CONFIG_FUNCTION_GRAPH_TRACER=y',
            'CONFIG_DYNAMIC_FTRACE=y', 'CONFIG_FUNCTION_PROFILER=y')
PERF_OFF = ('CONFIG_PROVE_LOCKING', 'CONFIG_DEBUG_ATOMIC_SLEEP',
            'CONFIG_DEBUG_KMEMLEAK', 'CONFIG_FAIL_SYS_HOTPLUG',
            'CONFIG_ENABLE_DEFAULT_TRACERS') + TRACING


def out_dir(kind):
    return os.path.join(shp.BUILD, f'guest-{kind}')


def tree(kind):
    if kind.startswith('patched'):
        shp.cmd_assemble()
        return shp.TREE
    shp.cmd_base()
    if not os.path.isdir(BASE_TREE):
        shp.git(['worktree', 'prune'], quiet=True)
        shp.git(['worktree', 'add', '-q', '--detach', BASE_TREE,
                 shp.BASE_TAG])
    return BASE_TREE


def wanted_options(kind):
    opts = []
    with open(KCONFIG) as f:
        for line in f:
            line = line.strip()
            if line.startswith('CONFIG_'):
                name = line.split('=')[0]
                # patched-off-*: the patched tree, the framework off
                if (kind.startswith('base') or kind.startswith('patched-off')) \
                        and name in PATCHED_ONLY:
                    continue
                if kind.endswith('-perf') and name in PERF_OFF:
                    continue
                if (kind.endswith('-trace') and name in PERF_OFF and
                        name not in TRACING):
                    continue
                opts.append(line)
    if kind.endswith('-trace'):
        opts += PROFILER
    return opts


def build_kernel(kind):
    """bzImage and modules of the patched tree or of the base. Return the
    warnings of the build (those of the files it rebuilt)."""
    shp.ensure_packages(shp.GUEST_PACKAGES)
    src, out = tree(kind), out_dir(kind)
    os.makedirs(out, exist_ok=True)
    frag = os.path.join(out, 'fragment.config')
    with open(frag, 'w') as f:
        f.write('\n'.join(wanted_options(kind)) + '\n')
    make = ['make', '-s', f'-j{shp.JOBS}', 'ARCH=x86_64', f'O={out}']
    shp.run(make + ['tinyconfig'], cwd=src, quiet=True)
    shp.run(['scripts/kconfig/merge_config.sh', '-m', '-O', out,
             os.path.join(out, '.config'), frag], cwd=src, capture=True,
            quiet=True)
    shp.run(make + ['olddefconfig'], cwd=src, quiet=True)
    have = shp.config_lines(out)
    missing = [o for o in wanted_options(kind) if o not in have]
    if missing:
        shp.die(f'guest config ({kind}) lacks: ' + ' '.join(missing))
    shp.log(f'building the {kind} x86_64 guest kernel (about 5 minutes '
            'the first time)')
    warn = shp.run_progress([c for c in make if c != '-s'] +
                            ['bzImage', 'modules'], f'{kind} guest kernel',
                            cwd=src)
    modroot = os.path.join(out, 'modroot')
    shutil.rmtree(modroot, ignore_errors=True)
    shp.run(make + ['modules_install', f'INSTALL_MOD_PATH={modroot}'],
            cwd=src, quiet=True)
    return warn


INIT = r'''#!/bin/busybox sh
# PID 1 of the bench guest: mount, run the scenario, power off.
/bin/busybox --install -s
export PATH=/usr/bin:/bin:/usr/sbin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# What udev would add: the kselftest runner writes to /dev/stdout.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
scenario=$(sed -n 's/.*shp.scenario=\([^ ]*\).*/\1/p' /proc/cmdline)
echo "SHP-BOOTED $scenario kernel $(uname -r)"
if [ -x "/scenarios/$scenario.sh" ]; then
	/scenarios/$scenario.sh
else
	echo "SHP-RESULT FAIL no scenario $scenario"
fi
# kmemleak scans every 10 minutes on its own; ask for one now.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
fi
echo SHP-END
sync
poweroff -f
'''


def add_binary(root, path, dest):
    """Copy a dynamically linked host binary and the libraries it needs."""
    shutil.copy(path, os.path.join(root, dest))
    ldd = subprocess.run(['ldd', path], text=True, stdout=subprocess.PIPE,
                         check=True).stdout
    for lib in re.findall(r'(/\S+\.so[.\d]*)', ldd):
        lib_dst = os.path.join(root, lib.lstrip('/'))
        os.makedirs(os.path.dirname(lib_dst), exist_ok=True)
        if not os.path.exists(lib_dst):
            shutil.copy(lib, lib_dst)


def build_acpidbg(kind):
    out = os.path.join(out_dir(kind), 'acpidbg-build') + '/'
    os.makedirs(out, exist_ok=True)
    shp.run(['make', '-s', '-C', 'tools/power/acpi', 'acpidbg',
             f'OUTPUT={out}'], cwd=tree(kind), capture=True, quiet=True)
    return os.path.join(out, 'acpidbg')


def tables_dir(kind):
    return os.path.join(out_dir(kind), 'acpi')


def build_tables(kind):
    """Compile the SSDTs of host/guest/acpi/ (NAME.asl to NAME.aml), for
    machines that add them with -acpitable."""
    out = tables_dir(kind)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    src = os.path.join(GUEST_DIR, 'acpi')
    for name in sorted(os.listdir(src)):
        if name.endswith('.asl'):
            shp.run(['iasl', '-p', os.path.join(out, name[:-4]),
                     os.path.join(src, name)], capture=True, quiet=True)
    return out


def build_initramfs(kind):
    src, out = tree(kind), out_dir(kind)
    root = os.path.join(out, 'initramfs')
    shutil.rmtree(root, ignore_errors=True)
    for d in ('bin', 'sbin', 'proc', 'sys', 'dev', 'tmp', 'scenarios',
              'selftests', 'lib', 'usr/bin', 'usr/sbin', 'root'):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    shutil.copy(BUSYBOX, os.path.join(root, 'bin', 'busybox'))
    os.symlink('busybox', os.path.join(root, 'bin', 'sh'))
    # The selftests want bash, and util-linux's mount (they read sysfs's
    # mount point from "mount -t sysfs", which busybox does not filter).
    add_binary(root, '/bin/bash', 'bin/bash')
    add_binary(root, '/bin/mount', 'usr/bin/mount')
    # Our own guest helpers (host/guest/tools/NAME.c), static.
    tools = os.path.join(GUEST_DIR, 'tools')
    for name in sorted(os.listdir(tools)):
        if name.endswith('.c'):
            shp.run(['gcc', '-static', '-O2', '-Wall', '-Werror', '-o',
                     os.path.join(root, 'usr', 'bin', name[:-2]),
                     os.path.join(tools, name)], quiet=True)
    # The AML debugger's client: scenarios run the firmware's methods with it.
    add_binary(root, build_acpidbg(kind), 'usr/bin/acpidbg')
    build_tables(kind)
    with open(os.path.join(root, 'init'), 'w') as f:
        f.write(INIT)
    os.chmod(os.path.join(root, 'init'), 0o755)
    for name in os.listdir(SCENARIOS):
        dst = os.path.join(root, 'scenarios', name)
        shutil.copy(os.path.join(SCENARIOS, name), dst)
        os.chmod(dst, 0o755)
    # The kernel's own hot-plug selftests, unchanged.
    for rel in ('tools/testing/selftests/cpu-hotplug/cpu-on-off-test.sh',
                'tools/testing/selftests/memory-hotplug/mem-on-off-test.sh'):
        dst = os.path.join(root, 'selftests', os.path.basename(rel))
        shutil.copy(os.path.join(src, rel), dst)
        os.chmod(dst, 0o755)
    # The series' kselftest, installed as the kselftest Makefile installs
    # it, with its runner; from the patched tree for either kernel, so
    # that make baseline runs its sysfs cases on the base too. Its runner
    # wants coreutils' timeout (busybox's has no --foreground).
    shp.cmd_assemble()
    shp.run(['make', '-s', '-C', 'tools/testing/selftests',
             'TARGETS=sys_hotplug',
             f'KSFT_INSTALL_PATH={os.path.join(root, "kselftest")}',
             'install'], cwd=shp.TREE, quiet=True, capture=True)
    add_binary(root, '/usr/bin/timeout', 'usr/bin/timeout')
    modroot = os.path.join(out, 'modroot', 'lib', 'modules')
    if os.path.isdir(modroot):
        shutil.copytree(modroot, os.path.join(root, 'lib', 'modules'),
                        symlinks=True)
    cpio = os.path.join(out, 'initramfs.cpio')
    files = subprocess.run(['find', '.'], cwd=root, text=True,
                           stdout=subprocess.PIPE, check=True).stdout
    with open(cpio, 'wb') as f:
        subprocess.run(['cpio', '-o', '-H', 'newc', '--quiet'], cwd=root,
                       input=files.encode(), stdout=f, check=True)
    return cpio


# Scenarios that need another machine than qemu_cmd()'s default.
#   cpu_node: the node of socket 1, the hot-pluggable CPUs (2: the node
#             that DIMMs come and go on, so that CPUs and memory share it)
#   hotplug_cpus: False boots without the VMware trick, so that 6.12 finds
#             no room for hot-added CPUs and their insertion fails
#   ssdt:     an SSDT from host/guest/acpi/ to add to QEMU's tables
#   append:   more kernel parameters
#   ram_mb:   the boot RAM of nodes 0 and 1, in MiB (default 512 each)
MACHINES = {
    'acpi-insert': {'cpu_node': 2},
    'node-evacuate': {'cpu_node': 2},
    'cpu-insert-unmapped': {'hotplug_cpus': False},
    # Node 1's RAM is not used at boot: the node board's memory devices
    # describe it, so that the board brings the node.
    'acpi-container': {'ssdt': 'node-board', 'append': 'mem=512M'},
    # RAM ends at 1100 MiB, inside the 128 MiB block at 1 GiB.
    'mem-holes': {'ram_mb': (512, 588)},
    # 768 MiB-1 GiB (node 1's) is RAM no driver owns and the kernel does
    # not use: the raw range the request file adds and removes.
    # Node 1 has 640 MiB (512 MiB-1152 MiB), so that the firmware's
    # reserved top of low RAM (ACPI tables) lies above the range.
    'mem-range': {'append': 'mem=768M', 'ram_mb': (512, 640)},
    'demo': {'append': 'mem=768M', 'ram_mb': (512, 640)},
    # Room for the bench's 16 GiB DIMM (its memmap, 256 MiB, is in RAM).
    'bench': {'maxmem': '20G'},
}


def qemu_cmd(kind, scenario, serial, qmp_sock, cpus=2, maxcpus=4):
    """A NUMA machine with DIMM slots and CPU hot-plug: nodes 0 and 1 with
    memory, node 2 empty (hot-pluggable memory only, so it comes and goes).

    vmport and the VMware serial let 6.12 count QEMU's disabled CPUs as
    hot-pluggable under TCG (it does so only with a hypervisor detected).
    """
    out = out_dir(kind)
    machine = MACHINES.get(scenario, {})
    if machine.get('hotplug_cpus', True):
        cpu = ['-M', 'pc,vmport=on', '-cpu', 'qemu64,-hypervisor',
               '-smbios', 'type=1,serial=VMware-0']
    else:
        cpu = ['-M', 'pc', '-cpu', 'qemu64,-hypervisor']
    ram = machine.get('ram_mb', (512, 512))
    if 'ssdt' in machine:
        cpu += ['-acpitable',
                'file=' + os.path.join(tables_dir(kind), machine['ssdt'] + '.aml')]
    return [
        'qemu-system-x86_64', '-accel', 'tcg', *cpu,
        '-smp', f'{cpus},maxcpus={maxcpus},sockets=2,cores={maxcpus // 2},'
        'threads=1',
        '-m', f'{sum(ram)}M,slots=4,maxmem={machine.get("maxmem", "4G")}',
        '-object', f'memory-backend-ram,id=m0,size={ram[0]}M',
        '-object', f'memory-backend-ram,id=m1,size={ram[1]}M',
        '-numa', 'node,nodeid=0,memdev=m0',
        '-numa', 'node,nodeid=1,memdev=m1',
        # QEMU gives the DIMM range's SRAT entry to the last node.
        '-numa', 'node,nodeid=2',
        # One socket per node, or the scheduler warns that cache siblings
        # span nodes: socket 0 (booted) on node 0, socket 1 (hot-pluggable)
        # on node 1.
        '-numa', 'cpu,node-id=0,socket-id=0',
        '-numa', f'cpu,node-id={machine.get("cpu_node", 1)},socket-id=1',
        '-nographic', '-no-reboot', '-nic', 'none',
        '-serial', f'file:{serial}', '-monitor', 'none',
        '-qmp', f'unix:{qmp_sock},server=on,wait=off',
        '-kernel', os.path.join(out, 'arch/x86/boot/bzImage'),
        '-initrd', os.path.join(out, 'initramfs.cpio'),
        # loglevel=5: warnings, BUGs and lockdep reach the console (the
        # verdict reads them there), informational messages do not, so
        # that none lands inside a scenario's SHP-QMP line.
        '-append', f'console=ttyS0 loglevel=5 panic=-1 '
                   f'shp.scenario={scenario} memhp_default_state=offline '
                   + machine.get('append', ''),
    ]


def boot(kind, scenario, actions=None, timeout=300, on_line=None):
    """Boot once, run one scenario; return (PASS, FAIL or SKIP, why, serial
    log); see shp.verdict() for when a skip counts as one.

    @on_line, if given, sees every serial line as it arrives.
    """
    out = out_dir(kind)
    serial = os.path.join(out, f'{scenario}.serial.log')
    sock = os.path.join(out, 'qmp.sock')
    for p in (serial, sock):
        if os.path.exists(p):
            os.remove(p)
    cmd = qemu_cmd(kind, scenario, serial, sock)
    start = time.time()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    verdict, why, seen = None, '', 0
    exited = None
    host_failed = []
    qmp = None
    try:
        qmp = QMP(sock)
        while time.time() - start < timeout and proc.poll() is None:
            time.sleep(0.2)
            text = read(serial)
            # Whole lines only: the guest may be half-way through one.
            for line in text[:text.rfind('\n') + 1].splitlines()[seen:]:
                seen += 1
                if on_line:
                    on_line(line)
                if line.startswith('SHP-QMP '):
                    try:
                        do_action(qmp, line.split()[1:], actions)
                    except HostCheckFailed as e:
                        shp.log(f'host check: {e}')
                        host_failed.append(str(e))
                    except (QMPError, OSError) as e:
                        # The guest may finish (and QEMU exit) meanwhile;
                        # its verdict says whether that was right.
                        shp.log(f'QMP action {line[8:]}: {e}')
                elif line.startswith('SHP-RESULT '):
                    words = line.split(None, 2)
                    verdict = words[1] if len(words) > 1 else 'FAIL'
                    why = words[2] if len(words) > 2 else ''
            if 'SHP-END' in text:
                break
        exited = proc.poll()
    except QMPError as e:
        why = f'QMP: {e}'
    finally:
        if qmp:
            try:
                qmp.cmd('quit')
            except (QMPError, OSError):
                pass
            qmp.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    text = read(serial)
    bad = kernel_reports(text)
    if verdict is None and exited is not None:
        # QEMU ended before the guest did: say how, with its last words.
        out = proc.stdout.read().decode(errors='replace').strip()
        last = out.splitlines()[-1] if out else 'no output'
        why = why or f'QEMU exited ({exited}) before a verdict: {last}'
    if verdict is None:
        why = why or f'no verdict within {timeout} s'
    if host_failed:
        why = f'host check: {host_failed[0]}'
    if bad:
        why = f'kernel report: {bad[0].strip()}'
    state = 'FAIL' if bad or host_failed else \
        shp.verdict(kind, f'guest ({kind}): {scenario}', verdict)
    if verdict == 'SKIP' and not bad and not host_failed:
        why = ('skipped: ' if state == 'SKIP' else
               'skipped on the patched kernel: ') + why
    shp.log(f'{kind} {scenario}: {state} in {time.time() - start:.1f} s {why}')
    return state, why, text


# The base's AML debugger warns the first time acpidbg talks to it: it takes
# a mutex inside a wait_event() condition (acpi_aml_kern_readable() in
# drivers/acpi/acpi_dbg.c). Not ours, so that one report fails nothing.
BASE_REPORTS = ('acpi_aml_kern_readable',)


def kernel_reports(text):
    """The lines of @text that report a kernel problem, but for the base's
    known reports (a WARNING block, from "cut here" to "end trace", that
    names one of BASE_REPORTS)."""
    bad, block = [], None
    for ln in text.splitlines():
        if 'cut here' in ln:
            block = []
        if block is None:
            if shp.KERNEL_BAD.search(ln):
                bad.append(ln)
            continue
        block.append(ln)
        if 'end trace' in ln:
            if not any(k in b for b in block for k in BASE_REPORTS):
                bad += [b for b in block if shp.KERNEL_BAD.search(b)]
            block = None
    return bad + [b for b in block or [] if shp.KERNEL_BAD.search(b)]


def read(path):
    try:
        with open(path, errors='replace') as f:
            return f.read()
    except FileNotFoundError:
        return ''


def do_action(qmp, words, actions):
    """Host-side steps a scenario asks for."""
    if actions and words and words[0] in actions:
        actions[words[0]](qmp, *words[1:])
        return
    # A misspelt check must not pass by doing nothing.
    raise HostCheckFailed(f'scenario asked for unknown action {words}')


# _OST status codes of an insertion notification (Bus Check, Device Check).
INSERT_STATUS = {0: 'success', 1: 'non-specific failure',
                 2: 'unrecognized notify'}

# _OST status codes of an eject (ACPI 6.5, table 6.172).
OST_STATUS = {0: 'success', 1: 'non-specific failure',
              2: 'unrecognized notify', 0x80: 'eject not supported',
              0x81: 'device in use', 0x82: 'device busy',
              0x83: 'dependency busy', 0x84: 'eject in progress'}


class HostCheckFailed(Exception):
    """What QEMU saw is not what the scenario expected."""


def eject(qmp, dev_id, expect):
    """device_del @dev_id: an ACPI eject request (source 3) to the guest;
    see check_ost()."""
    qmp.cmd('device_del', id=dev_id)
    check_ost(qmp, dev_id, 3, expect)


def check_ost(qmp, dev_id, source, expect):
    """Wait for the guest's final _OST of an eject of @dev_id from @source
    (3: the firmware's request, 0x103: the guest's eject file); 0x84, eject
    in progress, is not final.

    With @expect (a number, "0x82"), check that status, then that QEMU
    deleted the device on success, and on failure that it did not and that
    query-acpi-ospm-status shows the status.
    """
    source = int(source, 0) if isinstance(source, str) else source
    # Once QEMU has deleted the device, its _OST names only the slot.
    slot = getattr(qmp, 'slots', {}).get(dev_id)
    ev = qmp.wait_event('ACPI_DEVICE_OST', timeout=90,
                        match=lambda d: (d['info'].get('device') == dev_id or
                                         (d['info'].get('slot-type'),
                                          d['info'].get('slot')) == slot) and
                        d['info']['source'] == source and
                        d['info']['status'] != 0x84)
    status = ost_status(dev_id, f'source {source:#x}', ev, OST_STATUS)
    if expect is None:
        return
    want = int(expect, 0)
    expect_status(dev_id, 'eject', status, want)
    gone = deletion(qmp, dev_id, 30 if want == 0 else 3)
    if bool(gone) != (want == 0):
        raise HostCheckFailed(f'{dev_id}: QEMU '
                              f'{"did not delete" if want == 0 else "deleted"} '
                              f'it after _OST {want:#x}')
    if want:
        expect_ospm(qmp, dev_id, source, want)


# The _OST status codes the ACPI specification (6.5, section 6.3.5) defines
# for each source event: the general ones (0-2) for any source, and the
# specific ones only for their own. A Bus Check (0) or Device Check (1) has
# no specific codes; the insertion codes 0x80-0x82 are for OSPM insertion
# processing (0x200).
GENERAL_STATUS = {0, 1, 2}
OST_DEFINED = {0: GENERAL_STATUS, 1: GENERAL_STATUS,
               3: GENERAL_STATUS | set(range(0x80, 0x85)),
               0x103: GENERAL_STATUS | set(range(0x80, 0x85)),
               0x200: GENERAL_STATUS | {0x80, 0x81, 0x82}}


def ost_status(dev_id, what, ev, names):
    """Log the status of the _OST event @ev (None: there was none), and
    check that the specification defines it for the event's source."""
    status = ev['data']['info']['status'] if ev else None
    shp.log(f'{dev_id}: QEMU received {what} _OST status '
            + (f'{status:#x} ({names.get(status, "?")})' if ev else 'none'))
    if ev:
        source = ev['data']['info']['source']
        if status not in OST_DEFINED.get(source, GENERAL_STATUS):
            raise HostCheckFailed(f'{dev_id}: _OST status {status:#x} is not '
                                  f'defined for source event {source:#x}')
    return status


def expect_status(dev_id, what, status, want):
    if status != want:
        raise HostCheckFailed(f'{dev_id} {what}: _OST status '
                              f'{status if status is None else hex(status)}, '
                              f'expected {want:#x}')


def expect_ospm(qmp, dev_id, source, want):
    """query-acpi-ospm-status shows @want from @source for @dev_id."""
    seen = [(o['source'], o['status'])
            for o in qmp.cmd('query-acpi-ospm-status')
            if o.get('device') == dev_id]
    if (source, want) not in seen:
        raise HostCheckFailed(f'{dev_id}: query-acpi-ospm-status says {seen}')


def qmp_ost(qmp, dev_id, source, expect):
    """The guest ejected @dev_id itself (its eject file); see check_ost()."""
    check_ost(qmp, dev_id, source, expect)


def insertion_ost(qmp, dev_id, timeout=60):
    """QEMU's event for the guest's _OST of the insertion of @dev_id (source
    0 or 1: bus check or device check), or None after @timeout seconds."""
    return qmp.wait_event('ACPI_DEVICE_OST', timeout=timeout,
                          match=lambda d: d['info'].get('device') == dev_id and
                          d['info']['source'] in (0, 1))


def deletion(qmp, dev_id, timeout):
    """QEMU's DEVICE_DELETED event of @dev_id, or None after @timeout
    seconds. For a CPU, QEMU 7.2 may report only its lapic child's."""
    path = f'/machine/peripheral/{dev_id}'
    return qmp.wait_event('DEVICE_DELETED', timeout=timeout,
                          match=lambda d: d.get('device') == dev_id or
                          d.get('path', '').startswith(path))


def wait_insert(qmp, dev_id, expect):
    """Wait for the guest's _OST of the insertion of @dev_id; with @expect,
    check its status, and after a failure that query-acpi-ospm-status shows
    it. QEMU keeps the device either way.
    """
    ev = insertion_ost(qmp, dev_id)
    remember_slot(qmp, ev)
    status = ost_status(dev_id, 'insertion', ev, INSERT_STATUS)
    if expect is None:
        return
    want = int(expect, 0)
    expect_status(dev_id, 'insertion', status, want)
    if want:
        expect_ospm(qmp, dev_id, ev['data']['info']['source'], want)


def remember_slot(qmp, ev):
    """The ACPI slot of a device QEMU just plugged, from its insertion _OST."""
    info = ev and ev['data']['info']
    if info and info.get('device'):
        qmp.slots = getattr(qmp, 'slots', {})
        qmp.slots[info['device']] = (info.get('slot-type'), info.get('slot'))


def plug_cpu(qmp, socket, core):
    """device_add the CPU at @socket/@core; return its QEMU id."""
    dev_id = f'cpu-{socket}-{core}'
    qmp.cmd('device_add', driver='qemu64-x86_64-cpu', id=dev_id,
            **{'socket-id': int(socket), 'core-id': int(core),
               'thread-id': 0})
    return dev_id


def dimm_backend(qmp, size_mb):
    """object-add a memory backend of @size_mb MiB for the next DIMM;
    return the DIMM's number."""
    # Numbered in the order of adds: an ejected DIMM's backend stays.
    n = qmp.dimms = getattr(qmp, 'dimms', -1) + 1
    qmp.cmd('object-add', **{'qom-type': 'memory-backend-ram',
                             'id': f'mem{n}', 'size': int(size_mb) << 20})
    return n


def plug_dimm(qmp, n, node):
    """device_add DIMM @n (see dimm_backend()) on NUMA node @node; return
    its QEMU id."""
    qmp.cmd('device_add', driver='pc-dimm', id=f'dimm{n}', memdev=f'mem{n}',
            node=int(node))
    return f'dimm{n}'


def qmp_cpu_add(qmp, socket, core, expect=None):
    """Plug the CPU at @socket/@core; wait for the guest's _OST and, with
    @expect, check it (see wait_insert())."""
    wait_insert(qmp, plug_cpu(qmp, socket, core), expect)


def qmp_cpu_del(qmp, socket, core, expect=None):
    """Unplug the CPU at @socket/@core; see eject()."""
    eject(qmp, f'cpu-{socket}-{core}', expect)


def qmp_dimm_del(qmp, dev_id, expect=None):
    """Unplug the DIMM @dev_id (dimm0 is the first one added); see eject()."""
    eject(qmp, dev_id, expect)


def qmp_dimm_add(qmp, node, size_mb, expect=None):
    """Plug a DIMM of @size_mb MiB on NUMA node @node; with @expect, check
    the guest's _OST (see wait_insert())."""
    dev_id = plug_dimm(qmp, dimm_backend(qmp, size_mb), node)
    shp.log(f'{dev_id} added on node {node}')
    wait_insert(qmp, dev_id, expect)


ACTIONS = {'cpu-add': qmp_cpu_add, 'cpu-del': qmp_cpu_del,
           'dimm-add': qmp_dimm_add, 'dimm-del': qmp_dimm_del,
           'ost': qmp_ost}


SCENARIOS_RUN = ('smoke', 'qmp-probe', 'cpu-selftest', 'mem-selftest',
                 'kselftest', 'cpu-remove-race', 'mem-holes', 'mem-signal',
                 'inject', 'mem-range', 'node-evacuate', 'soak',
                 'acpi-eject', 'acpi-insert', 'acpi-container',
                 'cpu-insert-unmapped', 'demo')


def chosen_scenarios():
    """SCENARIOS="a b" in the environment picks some; default all."""
    names = os.environ.get('SCENARIOS', '').split() or list(SCENARIOS_RUN)
    unknown = [n for n in names if n not in SCENARIOS_RUN]
    if unknown:
        sys.exit(f'unknown scenarios {unknown}; known: {" ".join(SCENARIOS_RUN)}')
    return names


def run_scenarios(kind, results):
    """Build the guest of @kind and run the chosen scenarios, one boot each.

    Return: {scenario: (PASS, FAIL or SKIP, seconds, why)}.
    """
    warn = build_kernel(kind)
    if kind == 'patched':
        # The configuration an administrator runs: the framework on, KUnit
        # off (make check builds KUnit on at every commit).
        if warn:
            print('\n'.join(warn[:20]))
        results.add('build: x86_64 guest kernel (framework on, KUnit off) '
                    'without a warning', not warn,
                    f'{len(warn)} warnings' if warn else '')
    build_initramfs(kind)
    outcome = {}
    for scenario in chosen_scenarios():
        start = time.time()
        state, why, text = boot(kind, scenario, actions=ACTIONS, timeout=180)
        outcome[scenario] = (state, time.time() - start, why)
        for line in text.splitlines():
            if line.startswith('SHP-INFO'):
                print('  ' + line)
        for name, status in ktap_cases(text):
            results.record(f'guest ({kind}): {scenario}: {name}',
                           shp.verdict(kind, f'guest ({kind}): {scenario}: '
                                       f'{name}', status), status)
        results.record(f'guest ({kind}): {scenario}', state, why)
        shp.log(f'{scenario} took {time.time() - start:.0f} s')
    return outcome


KTAP_CASE = re.compile(r'^SHP-KTAP (?:# )?(not ok|ok) \d+ (.*?)'
                       r'(?: # (SKIP|TODO|XFAIL)\b.*)?$')


def ktap_cases(text):
    """(name, PASS, FAIL or SKIP) of each case of the kselftest KTAP lines
    a scenario passed on (SHP-KTAP), the runner's own line left out."""
    for line in text.splitlines():
        m = KTAP_CASE.match(line.strip())
        if not m or m.group(2).startswith('selftests: '):
            continue
        if m.group(3) == 'SKIP':
            status = 'SKIP'
        else:
            status = 'PASS' if m.group(1) == 'ok' else 'FAIL'
        yield m.group(2).strip(), status


def report(outcomes):
    """Scenario by scenario, every kernel side by side."""
    kinds = list(outcomes)
    width = max(len(s) for s in outcomes[kinds[0]]) + 2
    print('\n' + 'scenario'.ljust(width) + ''.join('%-22s' % k for k in kinds))
    for scenario in outcomes[kinds[0]]:
        row = scenario.ljust(width)
        for k in kinds:
            state, secs, _ = outcomes[k][scenario]
            row += '%-22s' % f'{state} {secs:5.1f} s'
        print(row)
    print()


if __name__ == '__main__':
    res = shp.Results()
    kinds = sys.argv[1:] or ['patched']
    outcomes = {k: run_scenarios(k, res) for k in kinds}
    report(outcomes)
    sys.exit(1 if res.summary() else 0)
