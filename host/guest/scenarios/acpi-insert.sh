#!/bin/sh
# Firmware insertions (QMP device_add) of DIMMs and CPUs on QEMU's node 2,
# which has no CPU and no memory at boot, so that the node comes and goes
# with them. (Linux numbers nodes as it meets them in the SRAT, so the
# guest finds its number: the one node that is possible but offline.)
# On the patched kernel each insertion is one hot-add request: ACPI
# enumerates the object, the memory and CPU stages bring up what it found
# as their policies say, and a step that fails takes everything back and
# the firmware learns it (_OST 1: a Device Check has only the general
# codes). The host checks every _OST QEMU received, that the specification
# defines its status for its source event, and that QEMU kept a device
# whose insertion failed.
. /scenarios/lib.sh

MEM=/sys/devices/system/memory
CPU=/sys/devices/system/cpu
dimm=0

node_hp() {
	in_list $hp "$(cat /sys/devices/system/node/online)"
}

nr_cpus() {
	ls -d $CPU/cpu[0-9]* | wc -l
}

fw_adds() {
	grep -c 'op=hot-add origin=firmware' $HIST
}

last_fw_add() {
	grep 'op=hot-add origin=firmware' $HIST | tail -1
}

# insert_fails WHAT QMP-ACTION HANDLER: the handler's execute step fails
# with -EIO; the request must fail there and leave nothing behind
insert_fails() {
	blocks=$(nr_blocks)
	cpus=$(nr_cpus)
	total=$(mem_total)
	before=$(fw_adds)
	inject $3 execute 5
	echo "SHP-QMP $2 0x1"
	wait_for "[ \$(fw_adds) -gt $before ]" 90 || fail "no firmware hot-add for $1"
	inject_off
	last_fw_add | grep -q "outcome=failed result=-5 .* failed=$3/execute" ||
		fail "$1: $(last_fw_add)"
	[ "$(nr_blocks)" = $blocks ] || fail "$1: $(nr_blocks) memory blocks, $blocks before"
	[ "$(nr_cpus)" = $cpus ] || fail "$1: $(nr_cpus) CPUs, $cpus before"
	[ "$(mem_total)" = $total ] || fail "$1: MemTotal $(mem_total) kB, $total before"
	[ "$(node_hp)" = 0 ] || fail "$1: node $hp stayed online"
	echo "SHP-INFO $1: $(last_fw_add)"
}

# dimm_in: insert a 256 MiB DIMM on the node; its blocks come online movable
dimm_in() {
	total=$(mem_total)
	before=$(ls $MEM | grep memory)
	echo "SHP-QMP dimm-add 2 256 0"
	wait_for "[ \$(nr_blocks) -ge $(($(nr_blocks) + 2)) ]" 60 || fail "dimm$dimm's blocks did not appear"
	added=$(ls $MEM | grep memory | grep -vxF "$before")
	for b in $added; do
		wait_for "[ \"\$(cat $MEM/$b/state)\" = online ]" 30 ||
			fail "$b of dimm$dimm is $(cat $MEM/$b/state)"
		grep -q Movable $MEM/$b/valid_zones || fail "$b is not movable"
		[ -e $MEM/$b/node$hp ] || fail "$b is not on node $hp"
	done
	[ "$(node_hp)" = 1 ] || fail "node $hp is not online with dimm$dimm"
	grown=$(($(mem_total) - total))
	[ $grown -ge 250000 ] || fail "MemTotal grew by $grown kB with dimm$dimm"
	echo "SHP-INFO dimm$dimm: $(echo $added), online movable, MemTotal +$grown kB"
	echo "$added" > /tmp/dimm$dimm.blocks
}

# dimm_out: eject it again
dimm_out() {
	echo "SHP-QMP dimm-del dimm$dimm 0"
	for b in $(cat /tmp/dimm$dimm.blocks); do
		wait_for "[ ! -e $MEM/$b ]" 90 || fail "$b of dimm$dimm is still there"
	done
	dimm=$((dimm + 1))
}

echo online_movable > $MEM/auto_online_blocks || fail "cannot set the memory policy"
if [ $patched = 1 ]; then
	echo 1 > /sys/module/cpu_shp/parameters/auto_online ||
		fail "no cpu_shp.auto_online"
fi
hp=$(for n in 0 1 2 3 4 5 6 7; do
	[ "$(in_list $n "$(cat /sys/devices/system/node/possible)")" = 1 ] &&
		[ "$(in_list $n "$(cat /sys/devices/system/node/online)")" = 0 ] && echo $n
done)
[ "$(echo $hp | wc -w)" = 1 ] || fail "nodes possible but offline at boot: '$hp'"
echo "SHP-INFO QEMU's node 2 is node $hp"

# 1. Insertions whose later stage fails (fault injection: patched only).
if [ $patched = 1 ]; then
	insert_fails dimm0 "dimm-add 2 256" memory
	# QEMU kept dimm0 and so may eject it: nothing of it is enumerated.
	echo "SHP-QMP dimm-del dimm0 0"
	dimm=1
	insert_fails cpu-1-0 "cpu-add 1 0" cpu
fi

# 2. A DIMM, then a CPU, on the node; the DIMM goes and comes back.
dimm_in
cpus=$(nr_cpus)
echo "SHP-QMP cpu-add 1 1 0"
wait_for "[ \$(nr_cpus) -gt $cpus ]" 60 || fail "the new CPU did not appear"
cpu=$(for c in $CPU/cpu[0-9]*; do [ -e $c/node$hp ] && echo ${c##*/}; done)
[ -n "$cpu" ] || fail "no CPU on node $hp"
if [ $patched = 1 ]; then
	[ "$(cat $CPU/$cpu/online)" = 1 ] || fail "$cpu is not online (auto_online)"
else
	echo 1 > $CPU/$cpu/online || fail "$cpu did not come online"
fi
echo "SHP-INFO $cpu on node $hp is online; CPUs $(cat $CPU/online)"
dimm_out
[ "$(node_hp)" = 1 ] || fail "node $hp went offline with $cpu still on it"
dimm_in
dimm_out

# 3. Last (QEMU 7.2 can crash on device changes after a vCPU unplug): the
# CPU goes, and the node with it.
echo "SHP-QMP cpu-del 1 1 0"
wait_for "[ ! -e $CPU/$cpu ]" 90 || fail "$cpu was not removed"
wait_for "[ \"\$(node_hp)\" = 0 ]" 30 || fail "node $hp is still online: $(cat /sys/devices/system/node/online)"
echo "SHP-INFO after the ejects: CPUs $(cat $CPU/online), nodes $(cat /sys/devices/system/node/online)"

[ $patched = 1 ] && expect_fw_ok hot-add 3
echo "SHP-RESULT PASS"
