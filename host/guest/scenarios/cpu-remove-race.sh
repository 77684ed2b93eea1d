#!/bin/sh
# A CPU's online file is written over and over while the firmware ejects
# that CPU: the eject must finish, the writers must be answered, nothing
# may deadlock (the writer waits for the sequencer without holding the
# file's kernfs active reference).
. /scenarios/lib.sh

add_cpus

# Two writers hammer cpu3 until its files go away (60 s at most).
for w in 1 2; do
	(
		end=$(($(date +%s) + 60))
		n=0
		while [ -e /sys/devices/system/cpu/cpu3/online ] && [ "$(date +%s)" -lt $end ]; do
			echo $((n % 2)) > /sys/devices/system/cpu/cpu3/online 2>/dev/null
			n=$((n + 1))
		done
		echo "$n" > /tmp/writer$w.done
	) &
done
sleep 1
echo "SHP-QMP cpu-del 1 1"
wait_for "[ ! -e /sys/devices/system/cpu/cpu3 ]" 60 || fail "cpu3 was not removed within 60 s"
wait
for w in 1 2; do
	[ -e /tmp/writer$w.done ] || fail "writer $w did not finish"
	echo "SHP-INFO writer $w wrote $(cat /tmp/writer$w.done) times before cpu3 went away"
done
echo "SHP-INFO online CPUs after the eject: $(cat /sys/devices/system/cpu/online)"
echo "SHP-RESULT PASS"
