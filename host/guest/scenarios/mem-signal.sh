#!/bin/sh
# A signal to the writer ends a memory offline, as upstream: a movable block
# whose pages stay referenced (a buffer on its node handed to a pipe with
# vmsplice()) cannot go offline, so offline_pages() retries migration until
# a signal is pending. One write("offline") to the block's state file from a
# process that armed alarm(8) with a handler (no SA_RESTART) must return
# EINTR after the alarm, and the block must stay online and movable. Then,
# with the pages released, the same block goes offline.
. /scenarios/lib.sh
MEM=/sys/devices/system/memory

add_dimm 128 2
block=$(ls -d $MEM/memory* | sed 's/.*memory//' | sort -n | tail -1)
echo online_movable > $MEM/memory$block/state || fail "memory$block did not come online movable"
echo "SHP-INFO memory$block (node 2) online movable; pinning its pages and offlining it"

out=$(/usr/bin/pin-offline 2 $MEM/memory$block/state 8 2>/tmp/pin.err)
echo "SHP-INFO pin-offline: $out"
case "$out" in
result=EINTR*) ;;
*) fail "the offline write gave '$out' ($(cat /tmp/pin.err)), expected EINTR after the alarm" ;;
esac
secs=${out##*seconds=}
[ "$secs" -ge 7 ] && [ "$secs" -le 40 ] ||
	fail "the offline write returned after $secs s, not at the alarm (8 s)"
[ "$(cat $MEM/memory$block/state)" = online ] ||
	fail "memory$block is $(cat $MEM/memory$block/state) after the interrupted offline"
grep -q Movable $MEM/memory$block/valid_zones || fail "memory$block is no longer movable"
if [ $patched = 1 ]; then
	grep -q "outcome=failed result=-4 " $HIST ||
		fail "no request in the history failed with -EINTR"
fi

# The same offline that does not end, aborted by its ID as an operator
# would, from the queue file; a request queued behind it is withdrawn by
# its ID first, and that leaves the running one alone.
if [ $patched = 1 ]; then
	Q=/sys/kernel/debug/sys_hotplug/queue
	/usr/bin/pin-offline 2 $MEM/memory$block/state 60 >/tmp/pin2.out 2>/tmp/pin2.err &
	pin=$!
	wait_for "grep -q ' running$' $Q" 20 || fail "no running request in the queue file: $(cat $Q)"
	id=$(sed -n 's/^id=\([0-9]*\) .* running$/\1/p' $Q)
	# A CPU: naming a memory block would wait for the lock the offline holds.
	(echo "validate offline cpu0" > $REQ 2>/tmp/q.err; echo $? > /tmp/q.rc) &
	wait_for "grep -q ' queued$' $Q" 20 || fail "the second request is not queued: $(cat $Q)"
	qid=$(sed -n 's/^id=\([0-9]*\) .* queued$/\1/p' $Q)
	echo "SHP-INFO queue: $(cat $Q | tr '\n' ';')"
	echo "abort $qid" > $REQ || fail "abort $qid was refused"
	grep -q "^id=$qid .* withdrawn$" $Q || fail "request $qid is not withdrawn: $(cat $Q)"
	grep -q "^id=$id .* running$" $Q || fail "aborting $qid touched the running $id: $(cat $Q)"
	sleep 1
	grep -q "^id=$id .* running$" $Q || fail "request $id stopped without being aborted"
	echo "abort $id" > $REQ || fail "abort $id was refused"
	wait $pin
	out=$(cat /tmp/pin2.out)
	case "$out" in
	result=EINTR*) ;;
	*) fail "the aborted offline gave '$out' ($(cat /tmp/pin2.err)), expected EINTR" ;;
	esac
	secs=${out##*seconds=}
	[ "$secs" -lt 40 ] || fail "the aborted offline ran $secs s: it ended at its alarm, not at the abort"
	wait_for "[ -e /tmp/q.rc ]" 20 || fail "the withdrawn request's writer did not return"
	[ "$(cat /tmp/q.rc)" != 0 ] || fail "the withdrawn request's write succeeded"
	grep -q "^id=$id .*outcome=failed result=-4 " $HIST || fail "request $id: $(grep "^id=$id " $HIST)"
	grep -q "^id=$qid .*outcome=cancelled" $HIST || fail "request $qid: $(grep "^id=$qid " $HIST)"
	[ -z "$(cat $Q)" ] || fail "the queue is not empty: $(cat $Q)"
	[ "$(cat $MEM/memory$block/state)" = online ] || fail "memory$block is not online after the abort"
	echo "SHP-INFO request $id aborted by its ID after $secs s, $qid withdrawn"
fi

# Nothing holds the pages now: the block goes offline.
echo offline > $MEM/memory$block/state || fail "memory$block does not go offline once released"
echo "SHP-RESULT PASS"
