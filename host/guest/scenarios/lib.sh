#!/bin/sh
# Helpers the scenarios source (. /scenarios/lib.sh); running it does nothing.

fail() {
	echo "SHP-RESULT FAIL $*"
	exit 0
}

# wait_for TEST SECONDS: poll a shell test every 0.1 s until it holds
wait_for() {
	n=0
	while ! eval "$1"; do
		n=$((n + 1))
		[ $n -gt $(($2 * 10)) ] && return 1
		usleep 100000
	done
}

nr_blocks() {
	ls -d /sys/devices/system/memory/memory* | wc -l
}

# add_cpus: hot-add socket 1 (cpu2, cpu3, node 1) over QMP and online it
add_cpus() {
	for core in 0 1; do
		cpu=$((core + 2))
		echo "SHP-QMP cpu-add 1 $core"
		wait_for "[ -e /sys/devices/system/cpu/cpu$cpu/online ]" 60 ||
			fail "cpu$cpu did not appear"
		echo 1 > /sys/devices/system/cpu/cpu$cpu/online ||
			fail "cpu$cpu did not come online"
	done
}

# add_dimm MIB: hot-add a DIMM on node 1, wait for its blocks
add_dimm() {
	before=$(nr_blocks)
	echo "SHP-QMP dimm-add 1 $1"
	wait_for "[ \$(nr_blocks) -gt $before ]" 60 || fail "the DIMM's blocks did not appear"
	# Blocks appear one by one: wait until the count settles.
	wait_for "[ \$(nr_blocks) -ge $((before + $1 / 128)) ]" 30 ||
		fail "the DIMM's blocks did not all appear"
}
