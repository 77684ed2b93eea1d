#!/bin/sh
# A CPU insertion that cannot work: booted without a hypervisor detected,
# 6.12 leaves no room for hot-added CPUs and the processor scan handler
# cannot map the new one. The patched kernel tells the firmware (_OST 1,
# failure: the only failure code the specification defines for a Device
# Check); the base kernel reports success (0) for a CPU it does not have.
# Either way no CPU appears.
. /scenarios/lib.sh

CPU=/sys/devices/system/cpu

cpus=$(ls -d $CPU/cpu[0-9]* | wc -l)
if [ $patched = 1 ]; then
	echo "SHP-QMP cpu-add 1 0 0x1"
	wait_for "grep -q 'op=hot-add origin=firmware' $HIST" 90 ||
		fail "no firmware hot-add request"
	grep 'op=hot-add origin=firmware' $HIST | grep -q 'outcome=failed result=-5 .* failed=acpi/execute' ||
		fail "$(grep 'origin=firmware' $HIST)"
	grep 'op=hot-add origin=firmware' $HIST | sed 's/^/SHP-INFO /'
else
	echo "SHP-QMP cpu-add 1 0 0"
fi
wait_for "dmesg | grep -q 'Unable to map lapic'" 30 ||
	fail "the kernel did not fail to map the new CPU"
[ "$(ls -d $CPU/cpu[0-9]* | wc -l)" = $cpus ] || fail "a CPU appeared"
echo "SHP-INFO $(dmesg | grep 'Unable to map lapic' | head -1)"
echo "SHP-RESULT PASS"
