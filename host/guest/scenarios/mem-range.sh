#!/bin/sh
# Hot-add and hot-remove of a raw physical range through the request file
# (CONFIG_SYS_HOTPLUG_RAW_RANGES), with the node that holds only that range
# coming and going in the same request; failures injected on the way are
# rolled back (blocks, range and node). The range is 768 MiB-1 GiB, RAM of
# QEMU's node 1 that mem=768M keeps the kernel from using and that no
# driver owns; a DIMM's range, which its ACPI memory device owns, is
# refused.
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

bs=$((0x$(cat $MEM/block_size_bytes)))
first=$((0x30000000 / bs)) last=$((0x3fffffff / bs))
range=$(printf 'mem:%#x+%#x' $((first * bs)) $(((last - first + 1) * bs)))
expect_blocks absent "before the hot-add (mem=768M)"
node2 && fail "node2 is online before anything was added to it"
echo online_movable > $MEM/auto_online_blocks
submit "add $range@2" ""
echo offline > $MEM/auto_online_blocks
node2 || fail "node2 did not come online with the range"
expect_blocks online "hot-add of $range"
echo "SHP-INFO raw range on node2: memory$first-memory$last = $range"

# A DIMM's range belongs to its ACPI memory device (a memory group): the
# request file may not remove it behind the device's back.
add_dimm 128 1
dimm=$(ls -d $MEM/memory* | sed 's/.*memory//' | sort -n | tail -1)
submit "remove $(printf 'mem:%#x+%#x' $((dimm * bs)) $bs)" "Operation not permitted"
[ "$(state $dimm)" = offline ] || fail "the DIMM's memory$dimm is $(state $dimm)"

# A range of blocks offline as one request.
submit "offline memory$first-$last" ""
expect_blocks offline "offline of the block range"
for m in $first $last; do echo online_movable > $MEM/memory$m/state; done

# Malformed requests are refused with their errno and change nothing: a
# block number that wraps when multiplied by the block size, a device
# named twice, a range past the address space (validate must not walk it).
# 2^64 / block size: the block number whose start wraps to 0.
wrap=$(( (1 << 62) / bs * 4 ))
submit "validate online_movable memory$((wrap + first))" "No such device"
submit "offline memory$first memory$first" "Invalid argument"
submit "offline memory$first-$last memory$last" "Invalid argument"
submit "offline cpu1 cpu1" "Invalid argument"
submit "validate add mem:0x140000000+0x7ffffff800000000@1" "Argument list too long"
expect_blocks online "malformed requests"
[ "$(cat /sys/devices/system/cpu/cpu1/online)" = 1 ] ||
	fail "cpu1 went offline in a malformed request"

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

# The dry run of the node's removal: the range is its memory, which the
# request would take with it; nothing changes.
submit "validate remove node2" ""
grep 'op=hot-remove' $HIST | tail -1 | grep -q "$(printf '%#x+%#x' $((first * bs)) $(((last - first + 1) * bs)))" ||
	fail "the node's removal does not name the range: $(grep 'op=hot-remove' $HIST | tail -1)"
expect_blocks online "dry run of the node removal"
node2 || fail "node2 went offline in a dry run"

# Hot-remove that fails at its second block, after the first went
# offline: it comes back online, movable. Memory's execute runs for the
# range (it has nothing to do), then its two blocks, so the third fails.
inject memory execute 16 3
submit "remove $range" "Device or resource busy"
inject_off
grep -q "blocker: handler=memory phase=execute target=[0-9]* err=-16 injected fault on memory$last\$" $HIST ||
	fail "the hot-remove did not fail at its second block: $(grep -A2 "op=hot-remove" $HIST | tail -3)"
expect_blocks online "hot-remove rolled back"
grep -q Movable $MEM/memory$first/valid_zones || fail "memory$first is not movable again"
node2 || fail "node2 went offline in a failed hot-remove"

# Nothing runs or waits: nothing to abort.
submit "abort 99999" "No such process"

# Validate only: reports, changes nothing.
submit "validate remove $range" ""
expect_blocks online "validate"
grep -A3 "op=hot-remove" /sys/kernel/debug/sys_hotplug/history | tail -8

# The node's removal: memory that no firmware object removes goes only
# because this kernel has CONFIG_SYS_HOTPLUG_RAW_RANGES; the node with it.
submit "remove node2" ""
expect_blocks absent "removal of node2"
node2 && fail "node2 stayed online after its removal"
echo "SHP-RESULT PASS"
