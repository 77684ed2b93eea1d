#!/bin/sh
# A node board: an ACPI container (the bench's SSDT, host/guest/acpi/
# node-board.asl) holding two memory devices (three blocks) over node 1,
# which has nothing else. The firmware's side (insertion, the eject
# button) runs in the guest: the AML debugger (acpidbg) runs the board's
# PLUG or UNPL method, which Notify. The board records the last
# _OST it got.
#
# The container asks (demand_offline) that user space offline everything
# in it, and the container, before an eject. On the patched kernel each
# eject or insertion of the board is one request for all of it; an eject
# is refused while anything under it is online, with every such device
# reported and _OST 0x83 (dependency busy); the base sends 0x82. A block
# onlined again after its container went offline still blocks the eject;
# the base would eject it online and hit the BUG() in __remove_memory()
# (so that step runs on the patched kernel only). A refused eject sends
# the one uevent the base sends, KOBJ_CHANGE with EVENT=offline to the
# container if it is online, and nothing else (validate sends none).
. /scenarios/lib.sh

MEM=/sys/devices/system/memory

# acpi_dev PATH: the sysfs directory of the ACPI object at PATH
acpi_dev() {
	for d in /sys/bus/acpi/devices/*; do
		[ "$(cat $d/path 2>/dev/null)" = "$1" ] && echo $d
	done
}

# firmware PLUG|UNPL: the AML debugger runs the board's method
firmware() {
	acpidbg -b "execute \\_SB.NOD1.$1" > /dev/null || fail "acpidbg $1 failed"
}

# ost: the last _OST the board got, as "SOURCE STATUS" in hex
ost() {
	printf '%#x %#x\n' $(cat $OSTE/status) $(cat $OSTS/status)
}

ost_count() {
	cat $OSTN/status
}

# expect_ost BEFORE "SOURCE STATUS" WHAT: wait for an _OST after BEFORE
# (a count) and check the last one
expect_ost() {
	wait_for "[ \$(ost_count) -gt $1 ]" 120 || fail "$3: no _OST"
	# An eject request gets 0x84 first: wait for the final one.
	wait_for "[ \"\$(ost)\" != '$(echo $2 | cut -d' ' -f1) 0x84' ]" 120 ||
		fail "$3: only eject in progress"
	[ "$(ost)" = "$2" ] || fail "$3: _OST $(ost), expected $2"
	echo "SHP-INFO $3: _OST $(ost)"
}

node1() {
	in_list 1 "$(cat /sys/devices/system/node/online)"
}

board_blocks() {
	ls /sys/devices/system/node/node1 2>/dev/null | grep '^memory' | sort
}

set_blocks() {
	for b in $(board_blocks); do
		[ "$(cat $MEM/$b/state)" = $1 ] && continue
		echo $2 > $MEM/$b/state || fail "$b: cannot $2"
	done
}

# expect_uevents WHAT EXPECTED: the uevents since uevents_on are the
# lines EXPECTED ("ACTION DEVPATH EVENT"), in that order
expect_uevents() {
	got=$(uevents_since $(printf '%s' "$2" | grep -c .))
	uevents_off
	echo "SHP-INFO $1: uevents: $(echo ${got:-none})"
	[ "$got" = "$2" ] || fail "$1: uevents '$(echo $got)', expected '$(echo $2)'"
}

last_remove() {
	grep 'op=hot-remove origin=firmware' $HIST | tail -1
}

# refused WHAT STATUS: an eject just asked for is refused, the board stays
refused() {
	expect_ost $before "$src $2" "$1"
	[ "$(cat $ADEV/status)" = 15 ] || fail "$1: the board's _STA is $(cat $ADEV/status)"
	[ "$(board_blocks | wc -l)" = 3 ] || fail "$1: $(board_blocks | wc -l) blocks left"
	if [ $patched = 1 ]; then
		last_remove | grep -q 'outcome=failed result=-16 .*failed=acpi/validate' ||
			fail "$1: $(last_remove)"
		grep -A8 "$(last_remove | cut -d' ' -f1) " $HIST | sed 's/^/SHP-INFO /'
	fi
}

ADEV=$(acpi_dev '\_SB_.NOD1')
OSTN=$(acpi_dev '\_SB_.OSTN')
OSTE=$(acpi_dev '\_SB_.OSTE')
OSTS=$(acpi_dev '\_SB_.OSTS')
[ -n "$ADEV" ] && [ -n "$OSTS" ] || fail "no node board (\\_SB.NOD1) in the namespace"
CDEV=$ADEV/physical_node
[ -e $ADEV/eject ] || fail "the board has no eject file"
[ "$(cat $ADEV/status)" = 0 ] || fail "the board is present at boot"
[ "$(node1)" = 0 ] || fail "node 1 is online at boot"
total=$(mem_total)

# plug: the firmware inserts the board; its memory comes, node 1 with it
plug() {
	src=0x1
	before=$(ost_count)
	firmware PLUG
	expect_ost $before "$src 0" "insertion"
	wait_for "[ \$(board_blocks | wc -l) = 3 ]" 60 || fail "blocks: $(board_blocks)"
	[ "$(node1)" = 1 ] || fail "node 1 is not online"
	[ -e $CDEV/online ] || fail "the board has no container device"
	echo "SHP-INFO inserted: blocks $(echo $(board_blocks)), nodes $(cat /sys/devices/system/node/online)"
}

# gone WHAT: the board, its memory and node 1 went
gone() {
	wait_for "[ -z \"\$(board_blocks)\" ]" 60 || fail "$1: blocks left: $(board_blocks)"
	wait_for "[ \$(node1) = 0 ]" 30 || fail "$1: node 1 is still online"
	[ "$(cat $ADEV/status)" = 0 ] || fail "$1: the board's _STA is $(cat $ADEV/status)"
	[ "$(mem_total)" = $total ] || fail "$1: MemTotal $(mem_total) kB, $total before"
	echo "SHP-INFO $1: nodes $(cat /sys/devices/system/node/online), MemTotal $(mem_total) kB"
}

# 1. An insertion whose memory stage fails: nothing of the board stays.
if [ $patched = 1 ]; then
	inject memory execute 5
	before=$(ost_count)
	firmware PLUG
	expect_ost $before "0x1 0x1" "insertion, memory/execute failing"
	inject_off
	grep 'op=hot-add origin=firmware' $HIST | tail -1 |
		grep -q 'outcome=failed result=-5 .*failed=memory/execute' ||
		fail "$(grep 'op=hot-add' $HIST | tail -1)"
	[ -z "$(board_blocks)" ] || fail "blocks left: $(board_blocks)"
	[ "$(node1)" = 0 ] || fail "node 1 stayed online"
	[ "$(mem_total)" = $total ] || fail "MemTotal $(mem_total) kB, $total before"
	[ ! -e $CDEV ] || fail "the container device stayed"
fi

# 2. The insertion, then the blocks online: an eject is refused, every
# online block reported.
plug
set_blocks online online_movable
src=0x103
CPATH=$(readlink -f $CDEV | sed 's,^/sys,,')
# Refused by the memory stage's validate first (-EINVAL), the container
# still answers as the scan code does: its uevent, and dependency busy.
if [ $patched = 1 ]; then
	before=$(ost_count)
	uevents_on
	inject memory validate 22
	echo 1 > $ADEV/eject || fail "eject write failed"
	expect_ost $before "$src 0x83" "eject, blocks online, memory/validate failing"
	inject_off
	last_remove | grep -q 'outcome=failed result=-22 .*failed=memory/validate' ||
		fail "memory/validate failing: $(last_remove)"
	expect_uevents "eject, memory/validate failing" "change $CPATH offline"
fi
before=$(ost_count)
uevents_on
echo 1 > $ADEV/eject || fail "eject write failed"
if [ $patched = 1 ]; then
	refused "eject, blocks online" 0x83
	for b in $(board_blocks); do
		grep -A8 "$(last_remove | cut -d' ' -f1) " $HIST | grep -q "$b is online" ||
			fail "$b is not reported"
	done
else
	refused "eject, blocks online" 0x82
fi
expect_uevents "eject, blocks online" "change $CPATH offline"

# 3. Everything offline, the container too; but a block onlined again
# (patched only) still blocks the eject.
set_blocks offline offline
echo 0 > $CDEV/online || fail "the container would not go offline"
if [ $patched = 1 ]; then
	b=$(board_blocks | head -1)
	echo online_movable > $MEM/$b/state || fail "$b: cannot online"
	before=$(ost_count)
	uevents_on
	echo 1 > $ADEV/eject
	refused "eject, $b online again" 0x83
	# The container is offline: acpi_scan_is_offline() sends nothing.
	expect_uevents "eject, $b online again" ""
	set_blocks offline offline
else
	echo "SHP-INFO base: not ejecting the board with a block online again (BUG() in __remove_memory)"
fi

# 4. The eject.
before=$(ost_count)
echo 1 > $ADEV/eject
expect_ost $before "$src 0" "eject"
gone "ejected"

# 5. Again, and the eject button: refused with the container online, then
# the board goes.
plug
src=0x3
CPATH=$(readlink -f $CDEV | sed 's,^/sys,,')
before=$(ost_count)
uevents_on
firmware UNPL
if [ $patched = 1 ]; then
	refused "eject request, container online" 0x83
	grep -A8 "$(last_remove | cut -d' ' -f1) " $HIST |
		grep -q "$(readlink $CDEV | sed 's,.*/,,') is online" ||
		fail "the container is not reported"
else
	refused "eject request, container online" 0x82
fi
expect_uevents "eject request, container online" "change $CPATH offline"
echo 0 > $CDEV/online || fail "the container would not go offline"
before=$(ost_count)
firmware UNPL
expect_ost $before "$src 0" "eject request"
gone "ejected by request"

if [ $patched = 1 ]; then
	expect_fw_ok hot-remove 2
	expect_fw_ok hot-add 2
fi
echo "SHP-RESULT PASS"
