#!/bin/sh
# The bench's QMP path: the host plugs a CPU and a DIMM on node 1, the guest sees them.
. /scenarios/lib.sh

blocks=$(ls -d /sys/devices/system/memory/memory* | wc -l)
echo "SHP-QMP cpu-add 1 0"
wait_for '[ -e /sys/devices/system/cpu/cpu2/online ]' 60 || fail "cpu2 did not appear"
echo 1 > /sys/devices/system/cpu/cpu2/online || fail "cpu2 did not come online"
echo "SHP-INFO cpu2 online=$(cat /sys/devices/system/cpu/cpu2/online) node=$(ls -d /sys/devices/system/cpu/cpu2/node* | sed 's/.*node//')"

echo "SHP-QMP dimm-add 1 256"
wait_for "[ \$(ls -d /sys/devices/system/memory/memory* | wc -l) -gt $blocks ]" 60 ||
	fail "no new memory block"
now=$(ls -d /sys/devices/system/memory/memory* | wc -l)
echo "SHP-INFO memory blocks $blocks -> $now"
echo "SHP-RESULT PASS"
