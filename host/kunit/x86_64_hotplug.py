# SPDX-License-Identifier: GPL-2.0
# kunit.py --qemu_config for the handler suites (sys_hotplug_cpu,
# sys_hotplug_memory, sys_hotplug_node): 4 CPUs to offline and online, two
# NUMA nodes (node 0: CPUs 0-1 and the boot RAM; node 1: CPUs 2-3 and no
# RAM at boot), and a 512 MiB DIMM of node 1 at 4 GiB that nothing adds at
# boot (the kernel has no ACPI memory hot-plug), which the suites hot-add
# and hot-remove. kunit.py passes "-m 1024" first; QEMU merges the later -m
# into it.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='x86_64',
                           kconfig='''
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y''',
                           qemu_arch='x86_64',
                           kernel_path='arch/x86/boot/bzImage',
                           kernel_command_line='console=ttyS0 '
                           'sys_hotplug_handlers_kunit.spare_ram=4G+512M',
                           extra_qemu_params=[
                               '-smp', '4,sockets=2,cores=2,threads=1', '-m', '1024,slots=2,maxmem=4G',
                               '-object', 'memory-backend-ram,id=m0,size=1024M',
                               '-numa', 'node,nodeid=0,cpus=0-1,memdev=m0',
                               '-numa', 'node,nodeid=1,cpus=2-3',
                               '-object', 'memory-backend-ram,id=spare,size=512M',
                               '-device', 'pc-dimm,id=spare,memdev=spare,'
                               'addr=0x100000000,node=1',
                               '-bios', 'qboot.rom'])
