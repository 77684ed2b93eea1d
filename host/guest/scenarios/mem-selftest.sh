#!/bin/sh
# The kernel's own memory hot-plug selftest, unchanged, with its notifier
# error injection cases, on boot memory plus two DIMMs on node 1, with its
# writes going through the framework where it is built.
. /scenarios/lib.sh
hist=/sys/kernel/debug/sys_hotplug/history

blocks=$(nr_blocks)
add_dimm 256
add_dimm 256
echo "SHP-INFO memory blocks: $blocks at boot, $(nr_blocks) now"

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
