#!/bin/sh
# The request file's grammar, one malformed line at a time (see
# Documentation/driver-api/sys_hotplug.rst): each write gets the errno the
# grammar gives it, no request runs (the history does not grow), and no
# CPU, memory block or node changes state.
. /scenarios/lib.sh
[ -w $REQ ] || { echo "SHP-RESULT SKIP no framework: no request file"; exit 0; }

# What a write could change: online CPUs, nodes, and every block's state.
machine() {
	echo "cpus=$(cat /sys/devices/system/cpu/online)" \
	     "nodes=$(cat /sys/devices/system/node/online)" \
	     "blocks=$(cat /sys/devices/system/memory/memory*/state | tr '\n' ' ')"
}
records() {
	grep -c '^id=' $HIST
}

before=$(machine)
runs=$(records)
n=0
# LINE|ERROR TEXT, one case per line.
while IFS='|' read -r line want; do
	[ -n "$want" ] || continue
	n=$((n + 1))
	submit "$line" "$want"
	[ "$(machine)" = "$before" ] ||
		fail "'$line' changed the machine: $(machine), was $before"
	[ "$(records)" = "$runs" ] || fail "'$line' ran a request"
done <<'CASES'
|Invalid argument
validate|Invalid argument
frobnicate cpu1|Invalid argument
offline|Invalid argument
offline cpu|Invalid argument
offline cpu+1|Invalid argument
offline cpu-1|Invalid argument
offline cpu01x|Invalid argument
offline cpu18446744073709551616|Invalid argument
offline cpu1 garbage|Invalid argument
offline cpu1 cpu1|Invalid argument
validate offline cpu1  cpu1|Invalid argument
offline cpu2|No such device
offline cpu4|No such device
offline memory99999|No such device
offline memory5-3|Invalid argument
offline memory0-5000|Argument list too long
offline memory1 memory1|Invalid argument
offline memory1-3 memory2|Invalid argument
online_movable cpu1|Invalid argument
online_kernel node1|Invalid argument
offline node1 node1|Invalid argument
offline node99999|Invalid argument
offline mem:0x40000000+0x8000000|Invalid argument
remove mem:0x40000000+0x8000000@1|Invalid argument
add mem:0x40000000|Invalid argument
add mem:0x40000000+0|Invalid argument
add mem:0xffffffffffffffff+0x2|Invalid argument
add mem:-1+0x1000|Invalid argument
add mem:0x100000000+0x8000000@99999|Invalid argument
add mem:0x100000000+0x8000000@0x1|Invalid argument
abort|Invalid argument
abort x|Invalid argument
abort -1|Invalid argument
abort 99999|No such process
CASES
[ $n -eq 35 ] || fail "$n cases ran, not 35"
echo "SHP-INFO $n malformed lines refused, nothing changed, no request ran"
echo "SHP-RESULT PASS"
