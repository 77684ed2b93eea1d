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

# Nothing holds the pages now: the block goes offline.
echo offline > $MEM/memory$block/state || fail "memory$block does not go offline once released"
echo "SHP-RESULT PASS"
