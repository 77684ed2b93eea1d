#!/bin/sh
# Concurrency: writers online and offline CPUs and memory blocks at once
# (sysfs online and state files, and multi-device requests when the
# framework is there) for a bounded time. Every write must be answered,
# nothing may deadlock, and afterwards every device's online file must
# agree with the kernel's masks.
. /scenarios/lib.sh
SECS=${SOAK_SECS:-20}
CPU=/sys/devices/system/cpu
MEM=/sys/devices/system/memory

add_cpus
add_dimm 256
set -- $(ls -d $MEM/memory* | sed 's/.*memory//' | sort -n | tail -2)
a=$1 b=$2
for m in $a $b; do echo online_movable > $MEM/memory$m/state || fail "memory$m did not come online"; done

# writer NAME COMMAND...: run COMMAND with the iteration number as its last
# argument until the time is up; record how many writes were answered.
writer() {
	name=$1
	shift
	(
		end=$(($(date +%s) + SECS))
		n=0
		while [ "$(date +%s)" -lt $end ]; do
			"$@" $n 2>/dev/null
			n=$((n + 1))
		done
		echo "$n" > /tmp/soak.$name
	) &
}

# Memory comes back online movable only: a block onlined to the kernel's
# zone can take unmovable pages, and its offline then retries until the
# writer gives up (as upstream's does), which would stall the others.
cpu_flip() { echo $(($2 % 2)) > $CPU/cpu$1/online; }
state_flip() { [ $(($2 % 2)) = 0 ] && echo offline > $MEM/memory$1/state || echo online_movable > $MEM/memory$1/state; }
online_flip() { [ $(($2 % 2)) = 0 ] && echo 0 > $MEM/memory$1/online || echo online_movable > $MEM/memory$1/state; }
request_flip() { echo "offline $1" > $REQ; echo "online $1" > $REQ; }
request_mem() { echo "offline memory$a memory$b" > $REQ; for m in $a $b; do echo online_movable > $MEM/memory$m/state; done; }
reader() { cat $CPU/online $MEM/memory$a/state /sys/kernel/debug/sys_hotplug/history > /dev/null; }

rm -f /tmp/soak.*
writer cpu1 cpu_flip 1
writer cpu2 cpu_flip 2
writer cpu3 cpu_flip 3
writer state state_flip $a
writer online online_flip $b
writer reader reader
names="cpu1 cpu2 cpu3 state online reader"
if [ -w $REQ ]; then
	writer req-cpus request_flip "cpu2 cpu3"
	writer req-mem request_mem
	names="$names req-cpus req-mem"
fi

# Bounded: every writer finishes its last write within 60 s of the end.
wait_for "[ \$(ls /tmp/soak.* 2>/dev/null | wc -l) -ge $(echo $names | wc -w) ]" $((SECS + 60)) ||
	fail "writers still blocked $((SECS + 60)) s after the start: $(ls /tmp/soak.* | tr '\n' ' ')"
wait
total=0
for n in $names; do
	w=$(cat /tmp/soak.$n)
	[ "$w" -gt 0 ] || fail "writer $n was never answered"
	total=$((total + w))
	info="$info $n=$w"
done
echo "SHP-INFO $SECS s, $total writes answered:$info"

# No state lost: each CPU's online file agrees with the online mask.
for c in 1 2 3; do
	want=$(in_list $c "$(cat $CPU/online)")
	[ "$(cat $CPU/cpu$c/online)" = $want ] ||
		fail "cpu$c/online says $(cat $CPU/cpu$c/online), the online mask $(cat $CPU/online)"
done
for m in $a $b; do
	case "$(cat $MEM/memory$m/state) $(cat $MEM/memory$m/online)" in
	"online 1" | "offline 0") ;;
	*) fail "memory$m: state and online disagree: $(cat $MEM/memory$m/state) $(cat $MEM/memory$m/online)" ;;
	esac
done
# And everything can still be brought back.
for c in 1 2 3; do echo 1 > $CPU/cpu$c/online 2>/dev/null; done
[ "$(cat $CPU/online)" = 0-3 ] || fail "CPUs online after the soak: $(cat $CPU/online)"
for m in $a $b; do
	[ "$(cat $MEM/memory$m/state)" = online ] || echo online_movable > $MEM/memory$m/state ||
		fail "memory$m cannot come online after the soak"
done
[ -r /sys/kernel/debug/sys_hotplug/history ] &&
	echo "SHP-INFO requests run: $(tail -1 /sys/kernel/debug/sys_hotplug/history | sed 's/ op=.*//')"
echo "SHP-RESULT PASS"
