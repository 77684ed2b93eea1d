#!/bin/sh
# The kernel's own memory hot-plug selftest, unchanged, with its notifier
# error injection cases, on boot memory plus two DIMMs on node 1, with its
# writes going through the framework where it is built.
hist=/sys/kernel/debug/sys_hotplug/history

fail() {
	echo "SHP-RESULT FAIL $*"
	exit 0
}

blocks=$(ls -d /sys/devices/system/memory/memory* | wc -l)
echo "SHP-QMP dimm-add 1 256"
echo "SHP-QMP dimm-add 1 256"
n=0
while [ "$(ls -d /sys/devices/system/memory/memory* | wc -l)" -lt $((blocks + 4)) ]; do
	n=$((n + 1))
	[ $n -gt 600 ] && fail "the DIMMs' memory blocks did not appear"
	usleep 100000
done
echo "SHP-INFO memory blocks: $blocks at boot, $(ls -d /sys/devices/system/memory/memory* | wc -l) now"

before=0
[ -r $hist ] && before=$(grep -c 'origin=sysfs' $hist)
if ! /selftests/mem-on-off-test.sh -r 10 > /tmp/selftest.log 2>&1; then
	cat /tmp/selftest.log
	fail "mem-on-off-test.sh -r 10 failed"
fi
grep -q "Test with memory notifier error injection" /tmp/selftest.log ||
	fail "the error injection cases did not run"
grep -q "skip extra tests" /tmp/selftest.log && {
	cat /tmp/selftest.log
	fail "the error injection cases were skipped"
}
echo "SHP-INFO mem-on-off-test.sh -r 10 passed, error injection included"
if [ -r $hist ]; then
	after=$(grep -c 'origin=sysfs' $hist)
	echo "SHP-INFO framework requests from sysfs in the history: $((after - before))"
	grep -c 'result=-12' $hist | sed 's/^/SHP-INFO injected -ENOMEM results: /'
	[ "$after" -gt "$before" ] || fail "no request went through the framework"
fi
echo "SHP-RESULT PASS"
