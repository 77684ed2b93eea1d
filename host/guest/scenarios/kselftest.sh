#!/bin/sh
# The series' kselftest (tools/testing/selftests/sys_hotplug), installed
# by the kselftest Makefile and run by its runner, as on any machine. A
# DIMM comes first, online movable, so that a block can go offline; every
# KTAP line goes to the host, which records each case (a case skipped on
# the patched kernel fails there, as any skip does).
. /scenarios/lib.sh
[ -x /kselftest/run_kselftest.sh ] || fail "no kselftest in the initramfs"

add_dimm 256
for n in $(ls /sys/devices/system/memory | sed -n 's/^memory//p' | sort -n | tail -2); do
	echo online_movable > /sys/devices/system/memory/memory$n/state ||
		fail "memory$n did not come online movable"
done

# What the test must put back: the fault-injection knobs, CPUs, blocks.
knobs() {
	[ -d "$FAIL" ] || return 0
	for k in handler phase errno verbose space times probability; do
		echo "$k=$(cat $FAIL/$k)"
	done
}
state() {
	echo "$(knobs | tr '\n' ' ')cpus=$(cat /sys/devices/system/cpu/online)" \
	     "$(cat /sys/devices/system/memory/memory*/valid_zones | tr '\n' ' ')"
}
before=$(state)

cd /kselftest || fail "no /kselftest"
./run_kselftest.sh -c sys_hotplug > /tmp/kselftest.log 2>&1
rc=$?
sed 's/^/SHP-KTAP /' /tmp/kselftest.log
[ "$(state)" = "$before" ] || fail "not put back: $(state), was $before"
grep -q '^# not ok\|^not ok' /tmp/kselftest.log && fail "a case failed"
[ $rc -eq 0 ] || fail "run_kselftest.sh exit $rc"
grep -q '^# ok [0-9]' /tmp/kselftest.log || fail "no case ran"
if grep -q '^# ok [0-9].*# SKIP' /tmp/kselftest.log; then
	echo "SHP-RESULT SKIP $(grep -c '# SKIP' /tmp/kselftest.log) cases skipped"
	exit 0
fi
echo "SHP-RESULT PASS"
