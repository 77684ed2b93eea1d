#!/bin/sh
# A boot memory block that RAM ends inside (the machine has 1100 MiB: the
# block at 1 GiB is only partly backed) cannot go offline: the kernel says
# "memory holes" with -EINVAL, through the state file and the online file
# alike, and the block stays online. Both kernels must give the same answer.
. /scenarios/lib.sh
MEM=/sys/devices/system/memory
bs=$((0x$(cat $MEM/block_size_bytes)))
ram_end=$(awk '/^[0-9a-f]+-[0-9a-f]+ : System RAM$/ { split($1, r, "-"); end = r[2] }
	END { print end }' /proc/iomem)
[ -n "$ram_end" ] || fail "no System RAM in /proc/iomem"
block=$(( (0x$ram_end + 1) / bs ))
[ $(( (0x$ram_end + 1) % bs )) -ne 0 ] ||
	fail "RAM ends at 0x$ram_end, on a block boundary: nothing to test"
dev=$MEM/memory$block
[ -e $dev/state ] || fail "memory$block (RAM ends at 0x$ram_end inside it) is not in sysfs"
echo "SHP-INFO RAM ends at 0x$ram_end, inside memory$block"

# write FILE VALUE: the error text of one write ("ok" if none)
write() {
	out=$( (echo "$2" > "$1") 2>&1 )
	echo "${out:-ok}"
}
for w in "state offline" "online 0"; do
	set -- $w
	got=$(write $dev/$1 $2)
	echo "SHP-INFO write '$2' > memory$block/$1: $got"
	case "$got" in
	*"Invalid argument"*) ;;
	*) fail "write '$2' > memory$block/$1 gave '$got', expected Invalid argument (memory holes)" ;;
	esac
	[ "$(cat $dev/state)" = online ] || fail "memory$block is $(cat $dev/state) after '$2' > $1"
done
if [ $patched = 1 ]; then
	grep -q "memory$block has memory holes" $HIST ||
		fail "the history does not say why memory$block stays online"
fi
echo "SHP-RESULT PASS"
