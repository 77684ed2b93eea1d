#!/bin/sh
# Helpers the scenarios source (. /scenarios/lib.sh); running it does nothing.

fail() {
	echo "SHP-RESULT FAIL $*"
	exit 0
}

# wait_for TEST SECONDS: poll a shell test every 0.1 s until it holds
wait_for() {
	n=0
	while ! eval "$1"; do
		n=$((n + 1))
		[ $n -gt $(($2 * 10)) ] && return 1
		usleep 100000
	done
}

# in_list N LIST: 1 if N is in a kernel list such as "0-2,5", else 0
in_list() {
	echo "$2" | awk -v n=$1 -F, '{ for (i = 1; i <= NF; i++) { split($i, r, "-");
		if (n >= r[1] && n <= (r[2] == "" ? r[1] : r[2])) { print 1; exit } } print 0 }'
}

nr_blocks() {
	ls -d /sys/devices/system/memory/memory* | wc -l
}

# add_cpus: hot-add socket 1 (cpu2, cpu3, node 1) over QMP and online it
add_cpus() {
	for core in 0 1; do
		cpu=$((core + 2))
		echo "SHP-QMP cpu-add 1 $core"
		wait_for "[ -e /sys/devices/system/cpu/cpu$cpu/online ]" 60 ||
			fail "cpu$cpu did not appear"
		echo 1 > /sys/devices/system/cpu/cpu$cpu/online ||
			fail "cpu$cpu did not come online"
	done
}

# add_dimm MIB [NODE]: hot-add a DIMM (on node 1 by default), wait for its blocks
add_dimm() {
	before=$(nr_blocks)
	echo "SHP-QMP dimm-add ${2:-1} $1"
	wait_for "[ \$(nr_blocks) -gt $before ]" 60 || fail "the DIMM's blocks did not appear"
	# Blocks appear one by one: wait until the count settles.
	wait_for "[ \$(nr_blocks) -ge $((before + $1 / 128)) ]" 30 ||
		fail "the DIMM's blocks did not all appear"
}

REQ=/sys/kernel/debug/sys_hotplug/request
HIST=/sys/kernel/debug/sys_hotplug/history
# 1 on the patched kernel (it has the request file), 0 on the base
patched=0
[ -e "$REQ" ] && patched=1

mem_total() {
	awk '/^MemTotal/ { print $2 }' /proc/meminfo
}
FAIL=/sys/kernel/debug/sys_hotplug/fail

# submit "REQUEST" EXPECTED-ERROR-TEXT: one line to the request file; the
# error text ("" for success) must be what the write returns
submit() {
	out=$( (echo "$1" > $REQ) 2>&1 )
	echo "SHP-INFO request '$1': ${out:-ok}"
	case "$out" in
	*"$2"*) ;;
	*) fail "request '$1' gave '${out:-ok}', expected '${2:-ok}'" ;;
	esac
	[ -n "$2" ] || [ -z "$out" ] || fail "request '$1' gave '$out'"
}

# inject HANDLER PHASE ERRNO [N]: the framework fails the next such step
# once, or the Nth (the fault framework's "space" lets N-1 pass first)
inject() {
	echo "$1" > $FAIL/handler
	echo "$2" > $FAIL/phase
	echo "$3" > $FAIL/errno
	echo 0 > $FAIL/verbose
	echo 1 > $FAIL/times
	echo ${4:-0} > $FAIL/space
	echo 100 > $FAIL/probability
}

inject_off() {
	echo 0 > $FAIL/probability
}

# expect_fw_ok OP N [AFTER]: N firmware requests of OP (hot-add,
# hot-remove) in the history succeeded, counting only those with an ID
# above AFTER (the history keeps the last 64 requests: a scenario that
# makes many may count from a point it knows); show them all
expect_fw_ok() {
	recs=$(grep "op=$1 origin=firmware" /sys/kernel/debug/sys_hotplug/history |
		awk -v after="${3:-0}" '{ id = $1; sub(/^id=/, "", id) } id + 0 > after + 0')
	ok=$(echo "$recs" | grep -c 'outcome=ok')
	[ "$ok" = $2 ] || fail "$ok firmware ${1}s succeeded, expected $2"
	echo "$recs" | sed 's/^/SHP-INFO /'
}

# last_id: the ID of the history's newest request
last_id() {
	grep '^id=' /sys/kernel/debug/sys_hotplug/history | tail -1 |
		sed 's/^id=\([0-9]*\).*/\1/'
}

# uevents_on: log every uevent ("ACTION DEVPATH EVENT") to /tmp/uevents,
# through the kernel's uevent helper (the guest has no netlink); uevents_off
uevents_on() {
	printf '#!/bin/sh\necho "$ACTION $DEVPATH $EVENT" >> /tmp/uevents\n' > /tmp/uevent-log
	chmod 755 /tmp/uevent-log
	: > /tmp/uevents
	echo /tmp/uevent-log > /sys/kernel/uevent_helper ||
		fail "no uevent helper (CONFIG_UEVENT_HELPER)"
}

uevents_off() {
	echo > /sys/kernel/uevent_helper
}

# uevents_since N: the uevents logged since uevents_on, once at least N
# came and no more came for a second (the helper runs asynchronously)
uevents_since() {
	wait_for "[ \$(wc -l < /tmp/uevents) -ge $1 ]" 30
	n=-1
	while [ $n != $(wc -l < /tmp/uevents) ]; do
		n=$(wc -l < /tmp/uevents)
		sleep 1
	done
	cat /tmp/uevents
}
