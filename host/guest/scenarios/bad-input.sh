#!/bin/sh
# Bad input and no-op writes get the answers upstream gives, and change
# nothing they should not: garbage strings, out-of-range values, a state a
# device is in already.
. /scenarios/lib.sh
bad=0

# expect FILE VALUE ok|EINVAL: write VALUE to FILE, check the outcome
expect() {
	out=$( (echo "$2" > "$1") 2>&1 )
	case "$?:$out" in
	0:) got=ok ;;
	*"Invalid argument"*) got=EINVAL ;;
	*) got="other: $out" ;;
	esac
	echo "SHP-INFO write '$2' > ${1#/sys/devices/system/}: $got"
	[ "$got" = "$3" ] || { echo "SHP-INFO   expected $3"; bad=$((bad + 1)); }
}

cpu=/sys/devices/system/cpu/cpu1/online
before_cpus=$(cat /sys/devices/system/cpu/online)
expect $cpu xyz EINVAL
expect $cpu 2 EINVAL
expect $cpu -1 EINVAL
expect $cpu 1 ok
[ "$(cat /sys/devices/system/cpu/online)" = "$before_cpus" ] ||
	{ echo "SHP-INFO online CPUs changed"; bad=$((bad + 1)); }

# A DIMM's first block, offline after the hot-add (memhp_default_state).
add_dimm 256
mem=/sys/devices/system/memory/memory$(ls -d /sys/devices/system/memory/memory* |
	sed 's/.*memory//' | sort -n | tail -1)
echo "SHP-INFO block $(basename $mem) is $(cat $mem/state)"
expect $mem/state bogus EINVAL
expect $mem/state online_foo EINVAL
expect $mem/state offline EINVAL
expect $mem/online 0 ok
expect $mem/state online_movable ok
expect $mem/state online EINVAL
expect $mem/online 1 ok
expect $mem/online yes ok
expect $mem/online maybe EINVAL
expect $mem/state offline ok
[ "$(cat $mem/state)" = offline ] ||
	{ echo "SHP-INFO $(basename $mem) is $(cat $mem/state), not offline"; bad=$((bad + 1)); }

if [ $bad -eq 0 ]; then
	echo "SHP-RESULT PASS"
else
	echo "SHP-RESULT FAIL $bad answers differ from upstream"
fi
