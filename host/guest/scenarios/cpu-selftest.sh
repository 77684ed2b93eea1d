#!/bin/sh
# The kernel's own CPU hot-plug selftest, unchanged, on 4 CPUs (2 of them
# hot-added over QMP), with its writes going through the framework where
# it is built.
. /scenarios/lib.sh
hist=/sys/kernel/debug/sys_hotplug/history

add_cpus
echo "SHP-INFO online CPUs: $(cat /sys/devices/system/cpu/online)"

before=0
[ -r $hist ] && before=$(grep -c 'origin=sysfs' $hist)
for args in "" "-a"; do
	if ! /selftests/cpu-on-off-test.sh $args > /tmp/selftest.log 2>&1; then
		cat /tmp/selftest.log
		fail "cpu-on-off-test.sh $args failed"
	fi
	echo "SHP-INFO cpu-on-off-test.sh $args passed"
done
echo "SHP-INFO online CPUs: $(cat /sys/devices/system/cpu/online)"
if [ -r $hist ]; then
	after=$(grep -c 'origin=sysfs' $hist)
	echo "SHP-INFO framework requests from sysfs during the selftests: $((after - before))"
	tail -2 $hist
	[ "$after" -gt "$before" ] || fail "no request went through the framework"
fi
echo "SHP-RESULT PASS"
