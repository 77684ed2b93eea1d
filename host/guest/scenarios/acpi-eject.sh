#!/bin/sh
# Firmware eject requests (QMP device_del) of DIMMs and of a CPU. On the
# patched kernel each is one hot-remove request: the memory or the CPU goes
# offline, then _EJ0; an eject whose offline fails leaves everything as it
# was. The host checks the _OST status QEMU received for each eject, that
# QEMU deleted exactly the devices that were ejected, and what
# query-acpi-ospm-status says after a failure.
. /scenarios/lib.sh

MEM=/sys/devices/system/memory
HIST=/sys/kernel/debug/sys_hotplug/history
patched=0
[ -e "$REQ" ] && patched=1

# offline_blocks: the blocks that are offline (with memhp_default_state=
# offline, those of the DIMMs just added)
offline_blocks() {
	for b in $MEM/memory*; do
		[ "$(cat $b/state)" = offline ] && echo ${b##*/}
	done
}

# online_dimm NAME: online the new DIMM's blocks movable, remember them
online_dimm() {
	blocks=$(offline_blocks)
	[ -n "$blocks" ] || fail "$1 has no offline blocks"
	for b in $blocks; do
		echo online_movable > $MEM/$b/state || fail "$b of $1 did not come online"
	done
	echo "$blocks" > /tmp/$1.blocks
	echo "SHP-INFO $1: $(echo $blocks)"
}

all_online_movable() {
	for b in $(cat /tmp/$1.blocks); do
		[ "$(cat $MEM/$b/state 2>/dev/null)" = online ] || return 1
		grep -q Movable $MEM/$b/valid_zones || return 1
	done
}

none_present() {
	for b in $(cat /tmp/$1.blocks); do
		[ -e $MEM/$b ] && return 1
	done
	return 0
}

fw_requests() {
	grep -c 'op=hot-remove origin=firmware' $HIST
}

# eject_fails WHAT QMP-ACTION HANDLER: the handler's execute step fails
# with -EBUSY; wait for the firmware's request to end, check it failed there
eject_fails() {
	before=$(fw_requests)
	inject $3 execute 16
	echo "SHP-QMP $2 0x82"
	wait_for "[ \$(fw_requests) -gt $before ]" 90 || fail "no firmware request for $1"
	inject_off
	grep 'origin=firmware' $HIST | tail -1 | grep -q "outcome=failed result=-16 .* failed=$3/execute" ||
		fail "$1: $(grep 'origin=firmware' $HIST | tail -1)"
}

if [ $patched = 1 ]; then
	grep -q '^[0-9]* acpi ' /sys/kernel/debug/sys_hotplug/handlers ||
		fail "no acpi handler: $(cat /sys/kernel/debug/sys_hotplug/handlers)"
fi
add_cpus
add_dimm 256 1
online_dimm dimm0
add_dimm 256 2
online_dimm dimm1
[ "$(in_list 2 "$(cat /sys/devices/system/node/online)")" = 1 ] || fail "node 2 is not online with dimm1"

# 1. Failures: nothing goes, everything is back (the framework's fault
# injection, so the patched kernel only).
if [ $patched = 1 ]; then
	eject_fails dimm0 "dimm-del dimm0" memory
	all_online_movable dimm0 || fail "dimm0's blocks are not back online movable"
	eject_fails cpu2 "cpu-del 1 0" cpu
	[ "$(cat /sys/devices/system/cpu/cpu2/online)" = 1 ] || fail "cpu2 is not back online"
	echo "SHP-INFO failed ejects of dimm0 and cpu2 left both as they were"
fi

# 2. Ejects that succeed.
echo "SHP-QMP dimm-del dimm0 0"
wait_for "none_present dimm0" 90 || fail "dimm0's blocks are still there"
echo "SHP-QMP dimm-del dimm1 0"
wait_for "none_present dimm1" 90 || fail "dimm1's blocks are still there"
# Last: QEMU 7.2 can crash on device changes right after a vCPU unplug.
echo "SHP-QMP cpu-del 1 0 0"
wait_for "[ ! -e /sys/devices/system/cpu/cpu2 ]" 90 || fail "cpu2 was not removed"
wait_for "[ \"\$(in_list 2 \"\$(cat /sys/devices/system/node/online)\")\" = 0 ]" 30 ||
	fail "node 2 is still online without memory: $(cat /sys/devices/system/node/online)"
echo "SHP-INFO after the ejects: CPUs $(cat /sys/devices/system/cpu/online), nodes $(cat /sys/devices/system/node/online)"

if [ $patched = 1 ]; then
	ok=$(grep 'op=hot-remove origin=firmware' $HIST | grep -c 'outcome=ok')
	[ "$ok" = 3 ] || fail "$ok firmware hot-removes succeeded, expected 3"
	grep 'op=hot-remove origin=firmware' $HIST | sed 's/^/SHP-INFO /'
fi
echo "SHP-RESULT PASS"
