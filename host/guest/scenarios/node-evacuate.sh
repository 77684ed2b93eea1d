#!/bin/sh
# A node evacuation as one request: "offline nodeN" to the request file
# takes down every CPU and memory block of the node, or nothing; "online
# nodeN" brings back what it took down. The node is QEMU's node 2, empty
# at boot: socket 1's CPUs (cpu2, cpu3) and a 256 MiB DIMM (two blocks,
# online movable) are hot-plugged onto it first. While a buffer on the
# node is referenced by a pipe (its pages cannot move), the evacuation is
# refused: the block that holds it is named, and every CPU and block is
# back as it was. With the buffer gone, it is done. The dry run
# ("validate offline node0") on the boot node names every device that
# cannot go. Last, "remove node1" ejects the objects that hold the node's
# CPUs and memory, and the node goes.
. /scenarios/lib.sh
[ -w $REQ ] || { echo "SHP-RESULT SKIP no framework: no node requests"; exit 0; }
CPU=/sys/devices/system/cpu
MEM=/sys/devices/system/memory
NODE=/sys/devices/system/node

add_cpus
nid=$(ls -d $CPU/cpu2/node* | sed 's/.*node//')
[ -n "$nid" ] || fail "cpu2 has no node"
add_dimm 256 2
set -- $(ls -d $MEM/memory* | sed 's/.*memory//' | sort -n | tail -2)
blocks="memory$1 memory$2"
for m in $blocks; do
	echo online_movable > $MEM/$m/state || fail "$m did not come online movable"
	[ -e $MEM/$m/node$nid ] || fail "$m is not on node $nid"
done
on_node=$(ls $NODE/node$nid | grep -E '^(cpu|memory)[0-9]+$' | sort | tr '\n' ' ')
echo "SHP-INFO node $nid holds: $on_node"

# as_before: every CPU online, both blocks online movable
as_before() {
	[ "$(cat $CPU/online)" = "0-3" ] || fail "$1: CPUs online: $(cat $CPU/online)"
	for m in $blocks; do
		[ "$(cat $MEM/$m/state)" = online ] || fail "$1: $m is $(cat $MEM/$m/state)"
		grep -q Movable $MEM/$m/valid_zones || fail "$1: $m is not movable"
	done
}

last_record() {
	awk '/^id=/ { rec = "" } { rec = rec $0 "\n" } END { printf "%s", rec }' $HIST
}

# 1. The dry run on the boot node: refused, every blocker named, nothing
# changed (cpu0 cannot be hot-plugged; boot blocks hold reserved pages).
(echo "validate offline node0" > $REQ) 2>/dev/null && fail "validate offline node0 found no blocker"
n=$(last_record | grep -c 'blocker:')
[ "$n" -ge 2 ] || fail "the dry run on node 0 named $n blockers: $(last_record)"
last_record | grep -q 'cpu0 cannot be hot-plugged' || fail "the dry run did not name cpu0: $(last_record)"
echo "SHP-INFO dry run on node 0: $n blockers, e.g. $(last_record | grep 'blocker:' | sed -n 2p)"
as_before "after the dry run on node 0"

# 2. The dry run on node $nid passes and changes nothing.
submit "validate offline node$nid" ""
as_before "after the dry run on node $nid"

# 3. Pages that cannot move: refused after the CPUs went, all back.
out=$(/usr/bin/pin-offline $nid $REQ 5 "offline node$nid" 2>/tmp/pin.err)
echo "SHP-INFO evacuation with pinned pages: $out"
case "$out" in
result=EINTR*) ;;
*) fail "offline node$nid gave '$out' ($(cat /tmp/pin.err)), expected EINTR" ;;
esac
last_record | grep -q "failed=memory/execute" || fail "not refused by the memory step: $(last_record)"
named=$(last_record | sed -n 's/.*blocker: handler=memory phase=execute .* on \(memory[0-9]*\)$/\1/p')
case " $blocks " in
*" $named "*) ;;
*) fail "the blocker named is '$named', not one of $blocks: $(last_record)" ;;
esac
echo "SHP-INFO refused, $named named: $(last_record | grep 'blocker:')"
as_before "after the refused evacuation"

# 4. Nothing pinned: done. The node stays (offline is not removal).
submit "offline node$nid" ""
for c in 2 3; do
	[ "$(cat $CPU/cpu$c/online)" = 0 ] || fail "cpu$c is still online"
done
for m in $blocks; do
	[ "$(cat $MEM/$m/state)" = offline ] || fail "$m is $(cat $MEM/$m/state)"
done
[ "$(in_list $nid "$(cat $NODE/has_memory)")" = 0 ] || fail "node $nid still has memory"
[ "$(in_list $nid "$(cat $NODE/online)")" = 1 ] || fail "node $nid went offline"
echo "SHP-INFO evacuated: CPUs online $(cat $CPU/online), nodes with memory $(cat $NODE/has_memory)"

# 5. Online of the node brings back what the evacuation took down.
submit "online node$nid" ""
as_before "after online node$nid"

# 6. Hot-remove of the node: its CPUs and memory go with the firmware
# objects that hold them (the DIMM's memory device, two processor
# objects), which the request names and ejects in that order; then the
# node goes. (QEMU 7.2 crashes when a DIMM is ejected after a vCPU.)
submit "validate remove node$nid" ""
as_before "after the dry run of remove node$nid"
submit "remove node$nid" ""
last_record | grep -q "firmware:" || fail "no firmware object named: $(last_record)"
echo "SHP-INFO removed: $(last_record | head -1)"
wait_for "[ ! -e $CPU/cpu2 ] && [ ! -e $CPU/cpu3 ]" 30 || fail "cpu2 or cpu3 is still there"
for m in $blocks; do
	[ ! -e $MEM/$m ] || fail "$m is still there"
done
[ "$(in_list $nid "$(cat $NODE/online)")" = 0 ] || fail "node $nid is still online"
echo "SHP-INFO after remove node$nid: CPUs $(cat $CPU/online), nodes $(cat $NODE/online)"
echo "SHP-RESULT PASS"
