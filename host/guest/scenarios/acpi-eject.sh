#!/bin/sh
# Firmware eject requests (QMP device_del) of DIMMs and of a CPU, and an
# eject through a DIMM's eject file. On the
# patched kernel each is one hot-remove request: the memory or the CPU goes
# offline, then _EJ0; an eject whose offline fails leaves everything as it
# was. The host checks the _OST status QEMU received for each eject, that
# QEMU deleted exactly the devices that were ejected, and what
# query-acpi-ospm-status says after a failure.
. /scenarios/lib.sh

MEM=/sys/devices/system/memory

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

# eject_fails WHAT QMP-ACTION HANDLER PHASE STATUS ERRNO: the handler's
# step fails with -ERRNO; wait for the firmware's request to end, check
# that it failed there (the host checks the _OST STATUS)
eject_fails() {
	before=$(fw_requests)
	inject $3 $4 $6
	echo "SHP-QMP $2 $5"
	wait_for "[ \$(fw_requests) -gt $before ]" 90 || fail "no firmware request for $1"
	inject_off
	grep 'origin=firmware' $HIST | tail -1 | grep -q "outcome=failed result=-$6 .* failed=$3/$4" ||
		fail "$1: $(grep 'origin=firmware' $HIST | tail -1)"
}

refusals() {
	dmesg | grep -c 'eject failed\|Eject disabled'
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
add_dimm 256 1
online_dimm dimm2
[ "$(in_list 2 "$(cat /sys/devices/system/node/online)")" = 1 ] || fail "node 2 is not online with dimm1"

# 1. Failures: nothing goes, everything is back (the framework's fault
# injection, so the patched kernel only).
if [ $patched = 1 ]; then
	# Whatever a CPU or memory step fails with, the base kernel's
	# acpi_scan_try_to_offline() says -EBUSY and the firmware gets 0x82.
	eject_fails dimm0 "dimm-del dimm0" memory validate 0x82 16
	all_online_movable dimm0 || fail "dimm0's blocks changed after a failed validate"
	eject_fails dimm0 "dimm-del dimm0" memory execute 0x82 16
	all_online_movable dimm0 || fail "dimm0's blocks are not back online movable"
	eject_fails dimm0 "dimm-del dimm0" memory execute 0x82 22
	all_online_movable dimm0 || fail "dimm0's blocks are not back online movable"
	eject_fails cpu2 "cpu-del 1 0" cpu execute 0x82 5
	[ "$(cat /sys/devices/system/cpu/cpu2/online)" = 1 ] || fail "cpu2 is not back online"

	# An eject whose memory offline outlives the request's deadline: the
	# framework delays memory's execute step of the second block (the
	# third execute step of the memory stage: the range, then its two
	# blocks) as a migration that
	# never ends would. The step is interrupted at the deadline, the first
	# block comes back, and QEMU hears 0x82, where upstream retries for
	# ever in the ACPI hot-plug worker.
	param=/sys/module/sys_hotplug/parameters/firmware_remove_timeout_ms
	timeout=$(cat $param)
	echo 2000 > $param
	echo 600000 > $FAIL/delay_ms
	before=$(fw_requests)
	inject memory execute 4 3
	start=$(date +%s)
	echo "SHP-QMP dimm-del dimm0 0x82"
	wait_for "[ \$(fw_requests) -gt $before ]" 90 || fail "no firmware request for dimm0"
	took=$(($(date +%s) - start))
	inject_off
	echo 0 > $FAIL/delay_ms
	echo $timeout > $param
	rec=$(grep -A3 'origin=firmware' $HIST | tail -4)
	echo "$rec" | grep -q "outcome=failed result=-110 .* failed=memory/execute" ||
		fail "dimm0 past its deadline: $rec"
	second=$(tail -1 /tmp/dimm0.blocks)
	echo "$rec" | grep -q "err=-4 failed on $second\$" || fail "not the second block ($second) that was stopped: $rec"
	echo "$rec" | grep -q "deadline of 2000 ms passed" || fail "the deadline is not named: $rec"
	[ $took -lt 30 ] || fail "the eject past its deadline took $took s"
	all_online_movable dimm0 || fail "dimm0's blocks are not back online movable after the deadline"
	echo "SHP-INFO an eject past its 2 s deadline failed in $took s, dimm0 back online"
	echo "SHP-INFO failed ejects of dimm0 and cpu2 left both as they were"
fi

# 2. The memory hotplug profile disabled: eject not supported (0x80).
before=$(refusals)
echo 0 > /sys/firmware/acpi/hotplug/memory/enabled || fail "cannot disable the memory profile"
echo "SHP-QMP dimm-del dimm0 0x80"
wait_for "[ \$(refusals) -gt $before ]" 90 || fail "no refused eject in the kernel log"
echo 1 > /sys/firmware/acpi/hotplug/memory/enabled
all_online_movable dimm0 || fail "dimm0 changed while eject was disabled"

# 3. Ejects that succeed: two from the firmware, one through the eject file.
[ $patched = 1 ] && mark=$(last_id)
echo "SHP-QMP dimm-del dimm0 0"
wait_for "none_present dimm0" 90 || fail "dimm0's blocks are still there"
# The writers below make enough requests to push this one out of the
# history (64 requests): count it now, the others after it.
if [ $patched = 1 ]; then
	expect_fw_ok hot-remove 1 "$mark"
	mark=$(last_id)
fi
# dimm1's eject arrives while two writers toggle its blocks' state.
for b in $(cat /tmp/dimm1.blocks); do
	(
		end=$(($(date +%s) + 60))
		n=0
		while [ -e $MEM/$b/state ] && [ "$(date +%s)" -lt $end ]; do
			echo offline > $MEM/$b/state 2>/dev/null
			echo online_movable > $MEM/$b/state 2>/dev/null
			n=$((n + 2))
		done
		echo $n > /tmp/$b.writes
	) &
done
sleep 1
echo "SHP-QMP dimm-del dimm1 0"
wait_for "none_present dimm1" 90 || fail "dimm1's blocks are still there"
wait
for b in $(cat /tmp/dimm1.blocks); do
	[ -e /tmp/$b.writes ] || fail "the writer of $b did not finish"
	echo "SHP-INFO $b: $(cat /tmp/$b.writes) state writes before the eject removed it"
done
# dimm2's memory device is the only one left holding memory blocks.
adev=$(for d in /sys/bus/acpi/devices/PNP0C80:*; do [ -e $d/physical_node ] && echo $d; done)
[ "$(echo "$adev" | wc -w)" = 1 ] || fail "cannot tell dimm2's ACPI device: $adev"
echo 1 > $adev/eject || fail "writing $adev/eject failed"
echo "SHP-QMP ost dimm2 0x103 0"
wait_for "none_present dimm2" 90 || fail "dimm2's blocks are still there after its eject file"
# Last: QEMU 7.2 can crash on device changes right after a vCPU unplug.
echo "SHP-QMP cpu-del 1 0 0"
wait_for "[ ! -e /sys/devices/system/cpu/cpu2 ]" 90 || fail "cpu2 was not removed"
wait_for "[ \"\$(in_list 2 \"\$(cat /sys/devices/system/node/online)\")\" = 0 ]" 30 ||
	fail "node 2 is still online without memory: $(cat /sys/devices/system/node/online)"
echo "SHP-INFO after the ejects: CPUs $(cat /sys/devices/system/cpu/online), nodes $(cat /sys/devices/system/node/online)"

[ $patched = 1 ] && expect_fw_ok hot-remove 3 "$mark"
echo "SHP-RESULT PASS"
