#!/bin/sh
# The guest boots with 2 of 4 CPUs, two NUMA nodes and memory blocks in sysfs.
cpus=$(cat /sys/devices/system/cpu/online)
present=$(cat /sys/devices/system/cpu/present)
possible=$(cat /sys/devices/system/cpu/possible)
nodes=$(cat /sys/devices/system/node/online)
blocks=$(ls -d /sys/devices/system/memory/memory* | wc -l)
echo "SHP-INFO cpus online=$cpus present=$present possible=$possible nodes=$nodes blocks=$blocks"
if [ -d /sys/kernel/debug/sys_hotplug ]; then
	echo "SHP-INFO framework handlers:"
	cat /sys/kernel/debug/sys_hotplug/handlers
fi
if [ "$possible" != "0-3" ]; then
	echo "SHP-RESULT FAIL possible CPUs are $possible, not 0-3 (no hot-plug CPUs)"
elif [ "$nodes" != "0-1" ]; then
	echo "SHP-RESULT FAIL online nodes are $nodes, not 0-1"
elif [ "$blocks" -lt 2 ]; then
	echo "SHP-RESULT FAIL $blocks memory blocks"
else
	echo "SHP-RESULT PASS"
fi
