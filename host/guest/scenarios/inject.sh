#!/bin/sh
# Failures injected inside multi-device requests (debugfs sys_hotplug/request):
# the writer gets the errno and every device is back in its previous state.
. /scenarios/lib.sh
req=/sys/kernel/debug/sys_hotplug/request
[ -w $req ] || { echo "SHP-RESULT PASS (no framework: nothing to inject into)"; exit 0; }

# submit "REQUEST" EXPECTED-ERROR-TEXT
submit() {
	out=$( (echo "$1" > $req) 2>&1 )
	echo "SHP-INFO request '$1': ${out:-ok}"
	case "$out" in
	*"$2"*) ;;
	*) fail "request '$1' gave '${out:-ok}', expected '$2'" ;;
	esac
}

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

# A validate-only request changes nothing.
submit "validate offline cpu2 cpu1" ""
[ "$(cat /sys/devices/system/cpu/online)" = "0-3" ] || fail "validate changed CPUs"

# 2. Memory: two blocks of a DIMM on node 1, online movable.
add_dimm 256
set -- $(ls -d /sys/devices/system/memory/memory* | sed 's/.*memory//' | sort -n | tail -2)
a=memory$1
b=memory$2
for m in $a $b; do
	echo online_movable > /sys/devices/system/memory/$m/state || fail "$m did not come online"
done

# 2a. The framework's own fault injection: the memory handler's execute.
f=/sys/kernel/debug/sys_hotplug/fail
echo memory > $f/handler
echo execute > $f/phase
echo 12 > $f/errno
echo 100 > $f/probability
echo 1 > $f/times
echo 0 > $f/verbose
submit "offline $a $b" "Cannot allocate memory"
echo 0 > $f/probability

# 2b. A block that cannot go offline after two that did: they come back.
# Boot blocks holding the kernel's own early allocations (the memory map
# sits at the top of each node) cannot; find one, and put back any that
# could.
busy=
for cand in 3 7 2 6 1 5; do
	out=$( (echo "offline $a $b memory$cand" > $req) 2>&1 )
	case "$out" in
	*"Device or resource busy"*) busy=memory$cand; break ;;
	"") echo "online $a $b memory$cand" > $req ;;
	*) fail "offline $a $b memory$cand: $out" ;;
	esac
done
[ -n "$busy" ] || fail "every boot block could go offline"
echo "SHP-INFO request 'offline $a $b $busy': $out"
for m in $a $b; do
	[ "$(cat /sys/devices/system/memory/$m/state)" = online ] || fail "$m is not online again"
	grep -q Movable /sys/devices/system/memory/$m/valid_zones || fail "$m is not movable again"
done
echo "SHP-INFO after the failures: $a $b online movable, CPUs $(cat /sys/devices/system/cpu/online)"
grep -c 'outcome=failed' /sys/kernel/debug/sys_hotplug/history | sed 's/^/SHP-INFO failed requests in the history: /'
tail -6 /sys/kernel/debug/sys_hotplug/history
echo "SHP-RESULT PASS"
