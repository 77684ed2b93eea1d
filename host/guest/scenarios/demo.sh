#!/bin/sh
# The tour `make demo` shows: CPUs and memory blocks offline and online
# through the framework, a failure injected and rolled back, a range and
# its node removed and added, firmware ejects and insertions (one failing
# and rolled back, QEMU told by _OST). Each step prints the framework's trace
# events and history entries for the host to render (SHP-DEMO title,
# SHP-TRACE event, SHP-HIST entry, SHP-SHOW end of step). Every step's
# effect is checked, so the tour is also a test.
. /scenarios/lib.sh
[ -w $REQ ] || { echo "SHP-RESULT SKIP no framework: nothing to show"; exit 0; }
T=/sys/kernel/tracing
CPU=/sys/devices/system/cpu
MEM=/sys/devices/system/memory
mount -t tracefs nodev $T 2>/dev/null
echo 1 > $T/events/sys_hotplug/enable || fail "no sys_hotplug trace events"
last=0

step() {
	echo "SHP-DEMO $*"
	echo > $T/trace
}

# show: the trace of this step's requests, and their history entries
show() {
	sed -n 's/^.* \(shp_[a-z_]*\): /SHP-TRACE \1 /p' $T/trace
	awk -v last=$last '/^id=/ { split($1, a, "="); keep = a[2] > last }
		keep { print "SHP-HIST " $0 }' /sys/kernel/debug/sys_hotplug/history
	last=$(sed -n 's/^id=\([0-9]*\) .*/\1/p' /sys/kernel/debug/sys_hotplug/history | tail -1)
	echo "SHP-SHOW"
}

expect() {
	[ "$(cat $1)" = "$2" ] || fail "$1 is $(cat $1), expected $2"
}

step "Offline cpu1 with a plain sysfs write: echo 0 > $CPU/cpu1/online"
echo 0 > $CPU/cpu1/online || fail "cpu1 did not go offline"
expect $CPU/online 0
show

step "Online it again: echo 1 > $CPU/cpu1/online"
echo 1 > $CPU/cpu1/online || fail "cpu1 did not come online"
expect $CPU/online 0-1
show

echo "SHP-DEMO-NOTE plugging a 256 MiB DIMM on node 1 over QMP (ACPI adds it, offline)"
add_dimm 256 1
set -- $(ls -d $MEM/memory* | sed 's/.*memory//' | sort -n | tail -2)
a=$1 b=$2

step "Online the DIMM's blocks memory$a-$b, movable, as one request (debugfs request file)"
echo "online_movable memory$a-$b" > $REQ || fail "memory$a-$b did not come online"
expect $MEM/memory$a/state online
expect $MEM/memory$b/state online
show

step "Offline cpu1 and memory$a-$b in one request; memory's execute step is made to fail (-ENOMEM): cpu1, offlined first, is put back"
inject memory execute 12
(echo "offline cpu1 memory$a-$b" > $REQ) 2>/dev/null && fail "the injected failure did not fail the request"
inject_off
expect $CPU/online 0-1
expect $MEM/memory$a/state online
show
echo "SHP-DEMO-NOTE checked: CPUs online are $(cat $CPU/online), memory$a is $(cat $MEM/memory$a/state), memory$b is $(cat $MEM/memory$b/state)"

step "The same request without the fault"
echo "offline cpu1 memory$a-$b" > $REQ || fail "offline cpu1 memory$a-$b failed"
expect $CPU/online 0
expect $MEM/memory$b/state offline
show
echo 1 > $CPU/cpu1/online

bs=$((0x$(cat $MEM/block_size_bytes)))
range=$(printf 'mem:%#x+%#x' 0x30000000 0x10000000)
echo "SHP-DEMO-NOTE 768 MiB-1 GiB is RAM that mem=768M keeps the kernel from using and no driver owns: a raw range for the request file (CONFIG_SYS_HOTPLUG_RAW_RANGES, for testing)"
echo online_movable > $MEM/auto_online_blocks

step "Hot-add it ($range) on node 2, which has no memory yet: the node comes online first, then the memory is added and onlined movable"
echo "add $range@2" > $REQ || fail "add $range@2 failed"
[ -d /sys/devices/system/node/node2 ] || fail "node2 did not come online"
show

step "Hot-remove node 2's range: its blocks go offline and are removed, then node 2 goes offline in the same request"
echo "remove $range" > $REQ || fail "remove $range failed"
[ -d /sys/devices/system/node/node2 ] && fail "node2 is still online"
show
echo offline > $MEM/auto_online_blocks

fw_requests() {
	grep -c 'origin=firmware' /sys/kernel/debug/sys_hotplug/history
}
echo "online_movable memory$a memory$((a + 1))" > $REQ || fail "node 1's DIMM did not come online"
n=$(fw_requests)
step "The firmware asks to eject node 1's DIMM (QMP device_del) while memory's execute step is made to fail (-EBUSY): its blocks come back online, and QEMU receives _OST 0x82 (device busy)"
inject memory execute 16
echo "SHP-QMP dimm-del dimm0 0x82"
wait_for "[ \$(fw_requests) -gt $n ]" 90 || fail "no firmware request for the eject"
inject_off
expect $MEM/memory$a/state online
show

n=$(fw_requests)
step "The same eject without the fault: the blocks go offline, then _EJ0 (the DIMM is removed), and QEMU receives _OST 0"
echo "SHP-QMP dimm-del dimm0 0"
wait_for "[ ! -e $MEM/memory$a ]" 90 || fail "memory$a is still there after the eject"
show

# Firmware insertion: new CPUs come online in the request, new memory
# online movable.
echo 1 > /sys/module/cpu_shp/parameters/auto_online || fail "no cpu_shp.auto_online"
echo online_movable > $MEM/auto_online_blocks
cpus() {
	ls -d $CPU/cpu[0-9]* | wc -l
}
n=$(fw_requests)
c=$(cpus)
step "The firmware plugs a CPU into socket 1 (QMP device_add) while the CPU stage's execute step is made to fail (-EIO): the acpi stage's rollback undoes the enumeration, and QEMU receives _OST 1 (failure, the general code: a Device Check has no specific ones)"
inject cpu execute 5
echo "SHP-QMP cpu-add 1 0 0x1"
wait_for "[ \$(fw_requests) -gt $n ]" 90 || fail "no firmware request for the insertion"
inject_off
[ "$(cpus)" = $c ] || fail "a CPU stayed after the failed insertion"
show

n=$(fw_requests)
step "The firmware plugs the socket's other CPU: the acpi stage enumerates it (the CPU becomes present), then the CPU stage onlines it (cpu_shp.auto_online=1); QEMU receives _OST 0"
echo "SHP-QMP cpu-add 1 1 0"
wait_for "[ \$(fw_requests) -gt $n ]" 90 || fail "no firmware request for the insertion"
new=$(ls -d $CPU/cpu[0-9]* | sed 's/.*cpu//' | sort -n | tail -1)
expect $CPU/cpu$new/online 1
show

n=$(fw_requests)
step "The firmware plugs a 256 MiB DIMM on node 1: the acpi stage adds its memory, which the policy (online_movable) onlines; the memory stage checks that every block came online and onlines any that did not"
before=$(ls $MEM | grep memory)
echo "SHP-QMP dimm-add 1 256 0"
wait_for "[ \$(fw_requests) -gt $n ]" 90 || fail "no firmware request for the insertion"
set -- $(ls $MEM | grep memory | grep -vxF "$before" | sed 's/memory//')
[ $# = 2 ] || fail "the DIMM brought $# blocks: $*"
expect $MEM/memory$1/state online
expect $MEM/memory$2/state online
show

n=$(fw_requests)
step "The firmware unplugs that DIMM, then (last: QEMU 7.2 can crash on device changes after a CPU unplug) the CPU: one hot-remove request each"
echo "SHP-QMP dimm-del dimm1 0"
wait_for "[ ! -e $MEM/memory$1 ]" 90 || fail "memory$1 is still there after the eject"
echo "SHP-QMP cpu-del 1 1 0"
wait_for "[ ! -e $CPU/cpu$new ]" 90 || fail "cpu$new is still there after the eject"
show
echo "SHP-RESULT PASS"
