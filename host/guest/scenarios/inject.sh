#!/bin/sh
# Failures inside multi-device requests (debugfs sys_hotplug/request) that
# need this machine (hot-added CPUs, boot blocks the firmware reserved): the
# writer gets the errno and every device is back in its previous state.
# The kselftest (kselftest.sh) has validate-only and the framework's own
# fault injection.
. /scenarios/lib.sh
req=$REQ
[ -w $req ] || { echo "SHP-RESULT SKIP no framework: nothing to inject into"; exit 0; }

add_cpus

# 1. CPUs: cpu1's teardown fails at sched:active (cpuhp's own injection;
# hot-added CPUs have no hotplug/ directory), after cpu2 went offline.
state=$(sed -n 's/^ *\([0-9]*\): sched:active$/\1/p' /sys/devices/system/cpu/hotplug/states)
[ -n "$state" ] || fail "no sched:active state"
echo $state > /sys/devices/system/cpu/cpu1/hotplug/fail || fail "cannot arm cpu1/hotplug/fail"
submit "offline cpu2 cpu1" "Resource temporarily unavailable"
echo -1 > /sys/devices/system/cpu/cpu1/hotplug/fail
[ "$(cat /sys/devices/system/cpu/online)" = "0-3" ] ||
	fail "CPUs online after the failed request: $(cat /sys/devices/system/cpu/online)"

# 2. Memory: two blocks of a DIMM on node 1, online movable.
add_dimm 256
set -- $(ls -d /sys/devices/system/memory/memory* | sed 's/.*memory//' | sort -n | tail -2)
a=memory$1
b=memory$2
for m in $a $b; do
	echo online_movable > /sys/devices/system/memory/$m/state || fail "$m did not come online"
done

# 2a. Validate names every boot block that cannot go offline and why (the
# memory map and other early allocations are reserved pages; the first and
# last blocks have memory holes, firmware's).
boot=$(ls -d /sys/devices/system/memory/memory* | sed 's/.*memory//' | sort -n |
	awk '$1 < 32' | tr '\n' ' ')
set -- $boot
(echo "validate offline memory$1-$(echo $boot | awk '{print $NF}')" > $REQ) 2>/dev/null &&
	fail "validate found no boot block that cannot go offline"
blocked=$(sed -n -e 's/.*blocker:.* \(memory[0-9]*\) holds reserved.*/\1/p' \
	-e 's/.*blocker:.* \(memory[0-9]*\) has memory holes.*/\1/p' \
	/sys/kernel/debug/sys_hotplug/history | sort -u | tr '\n' ' ')
[ -n "$blocked" ] || fail "validate reported no blocker"
echo "SHP-INFO validate: boot blocks with reserved pages or holes: $blocked"

# 2b. Only a dry run reads every page: a request that offlines leaves a
# block with reserved pages to offline_pages(), whose page isolation fails
# with the same -EBUSY. Named after two blocks that went, it fails in
# memory's execute step and they come back.
reserved=$(sed -n 's/.*blocker:.* \(memory[0-9]*\) holds reserved.*/\1/p' \
	/sys/kernel/debug/sys_hotplug/history | tail -1)
[ -n "$reserved" ] || fail "the dry run named no block with reserved pages"
out=$( (echo "offline $a $b $reserved" > $REQ) 2>&1 ) &&
	fail "offline $a $b $reserved succeeded"
case "$out" in
*"Device or resource busy"*) ;;
*) fail "offline $a $b $reserved: '$out', expected EBUSY" ;;
esac
rec=$(grep '^id=' /sys/kernel/debug/sys_hotplug/history | tail -1)
echo "$rec" | grep -q 'failed=memory/execute' ||
	fail "offline $a $b $reserved failed elsewhere than in execute: $rec"
for m in $a $b; do
	[ "$(cat /sys/devices/system/memory/$m/state)" = online ] ||
		fail "$m is not online again after $reserved failed"
done
echo "SHP-INFO request 'offline $a $b $reserved': $out, in execute; $a $b back online"

# 2c. A block that fails while going offline, after two that went: they
# come back. Try the boot blocks validate let through (one holding the
# kernel's unmovable allocations fails in offline_pages()); put back any
# that could go.
busy=
for cand in $boot; do
	case " $blocked " in *" memory$cand "*) continue ;; esac
	out=$( (echo "offline $a $b memory$cand" > $REQ) 2>&1 )
	case "$out" in
	"")
		echo "online memory$cand" > $REQ
		for m in $a $b; do
			echo online_movable > /sys/devices/system/memory/$m/state
		done
		continue ;;
	*"Device or resource busy"*) ;;
	*) fail "offline $a $b memory$cand: $out" ;;
	esac
	grep '^id=' /sys/kernel/debug/sys_hotplug/history | tail -1 | grep -q 'failed=memory/execute' ||
		fail "offline $a $b memory$cand failed elsewhere than in execute"
	# Targets: $a, $b, then memory$cand, which is named as the blocker.
	tail -1 /sys/kernel/debug/sys_hotplug/history |
		grep -q "blocker: handler=memory phase=execute target=2 " ||
		fail "memory$cand is not named: $(tail -1 /sys/kernel/debug/sys_hotplug/history)"
	busy=memory$cand
	break
done
[ -n "$busy" ] || fail "every boot block that validate let through could go offline"
echo "SHP-INFO request 'offline $a $b $busy': $out"
for m in $a $b; do
	[ "$(cat /sys/devices/system/memory/$m/state)" = online ] || fail "$m is not online again"
	grep -q Movable /sys/devices/system/memory/$m/valid_zones || fail "$m is not movable again"
done
echo "SHP-INFO after the failures: $a $b online movable, CPUs $(cat /sys/devices/system/cpu/online)"
grep -c 'outcome=failed' /sys/kernel/debug/sys_hotplug/history | sed 's/^/SHP-INFO failed requests in the history: /'
tail -6 /sys/kernel/debug/sys_hotplug/history
echo "SHP-RESULT PASS"
