#!/bin/sh
# The guest boots with 2 of 4 CPUs, two NUMA nodes and memory blocks in sysfs;
# the framework's trace events print names, not enum identifiers, to perf
# and trace-cmd (TRACE_DEFINE_ENUM).
. /scenarios/lib.sh
cpus=$(cat /sys/devices/system/cpu/online)
present=$(cat /sys/devices/system/cpu/present)
possible=$(cat /sys/devices/system/cpu/possible)
nodes=$(cat /sys/devices/system/node/online)
blocks=$(ls -d /sys/devices/system/memory/memory* | wc -l)
echo "SHP-INFO cpus online=$cpus present=$present possible=$possible nodes=$nodes blocks=$blocks"
if [ -d /sys/kernel/debug/sys_hotplug ]; then
	echo "SHP-INFO framework handlers:"
	sed 's/^/SHP-INFO   /' /sys/kernel/debug/sys_hotplug/handlers
fi
events=/sys/kernel/debug/tracing/events/sys_hotplug
unresolved=
if [ $patched = 1 ]; then
	[ -d $events ] || fail "no sys_hotplug trace events in tracefs"
	unresolved=$(grep -l 'SHP_[A-Z_]*,' $events/*/format)
fi
if [ -n "$unresolved" ]; then
	echo "SHP-RESULT FAIL enum names left in trace formats: $unresolved"
elif [ "$possible" != "0-3" ]; then
	echo "SHP-RESULT FAIL possible CPUs are $possible, not 0-3 (no hot-plug CPUs)"
elif [ "$nodes" != "0-1" ]; then
	echo "SHP-RESULT FAIL online nodes are $nodes, not 0-1"
elif [ "$blocks" -lt 2 ]; then
	echo "SHP-RESULT FAIL $blocks memory blocks"
else
	echo "SHP-RESULT PASS"
fi
