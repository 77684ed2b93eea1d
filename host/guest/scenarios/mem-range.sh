#!/bin/sh
# Hot-remove and hot-add of a physical range through the framework, with
# the node that holds only that range going and coming in the same request;
# failures injected on the way are rolled back (blocks, range and node).
. /scenarios/lib.sh
[ -w $REQ ] || { echo "SHP-RESULT SKIP no framework: no range requests"; exit 0; }

MEM=/sys/devices/system/memory
node2() { [ -d /sys/devices/system/node/node2 ]; }
state() { cat $MEM/memory$1/state 2>/dev/null || echo absent; }
# expect_blocks STATE: both blocks of the range are in STATE (or absent)
expect_blocks() {
	[ "$(state $first)" = "$1" ] && [ "$(state $last)" = "$1" ] ||
		fail "$2: blocks are $(state $first)/$(state $last), expected $1"
}

node2 && fail "node2 is online before anything was added to it"
add_dimm 256 2
node2 || fail "node2 did not come online with the DIMM"
set -- $(ls -d $MEM/memory* | sed 's/.*memory//' | sort -n | tail -2)
first=$1 last=$2
bs=$((0x$(cat $MEM/block_size_bytes)))
range=$(printf 'mem:%#x+%#x' $((first * bs)) $(((last - first + 1) * bs)))
echo "SHP-INFO DIMM on node2: memory$first-memory$last = $range"

# A range of blocks online and offline as one request.
for m in $first $last; do echo online_movable > $MEM/memory$m/state; done
submit "offline memory$first-$last" ""
expect_blocks offline "offline of the block range"
for m in $first $last; do echo online_movable > $MEM/memory$m/state; done

# Bad ranges: the errors say why, nothing changes.
submit "remove mem:0x1000+0x1000" "Invalid argument"
submit "remove $range" ""
expect_blocks absent "hot-remove"
node2 && fail "node2 stayed online without memory"
submit "remove $range" "No such device"
submit "add $range@7" "Invalid argument"

# Hot-add that fails in the memory stage: the node it onlined goes again.
inject memory execute 12
submit "add $range@2" "Cannot allocate memory"
inject_off
expect_blocks absent "hot-add rolled back"
node2 && fail "node2 stayed online after the hot-add was rolled back"

# Hot-add with the policy onlining movable: node, range and blocks come.
echo online_movable > $MEM/auto_online_blocks
submit "add $range@2" ""
echo offline > $MEM/auto_online_blocks
expect_blocks online "hot-add"
node2 || fail "node2 did not come online with its memory"
submit "add $range@2" "File exists"

# Hot-remove that fails after the blocks went offline (the node stage runs
# last on the way down): they come back online, movable.
inject node execute 16
submit "remove $range" "Device or resource busy"
inject_off
expect_blocks online "hot-remove rolled back"
grep -q Movable $MEM/memory$first/valid_zones || fail "memory$first is not movable again"
node2 || fail "node2 went offline in a failed hot-remove"

# Nothing runs: nothing to abort.
submit "abort" "No such process"

# Validate only: reports, changes nothing.
submit "validate remove $range" ""
expect_blocks online "validate"
grep -A3 "op=hot-remove" /sys/kernel/debug/sys_hotplug/history | tail -8
echo "SHP-RESULT PASS"
