#!/bin/sh
# The side-by-side bench (make bench; host/bench.py), not a test: times each
# operation on whichever kernel booted (the base, the patched tree with the
# framework off, or the patched one), and prints one "SHP-BENCH OP NS SEQ"
# line per sample. Writes are timed inside one process (timed-writes), so
# that no process start-up is counted; QMP
# hot-plug is timed by the host, from the command to QEMU's event.
#
# Each of the five DIMM cycles hot-adds 2 GiB (16 blocks) on node 2, times
# the block operations on its blocks, and hot-removes it; then both CPUs of
# socket 1 are hot-added and hot-removed. Operations that only the patched
# kernel has (one request for many blocks, a validate-only request) run on
# it alone, on DIMMs of their own after the memory operations all run;
# the host compares them with the other kernels' per-block writes.
. /scenarios/lib.sh

MEM=/sys/devices/system/memory
CPU=/sys/devices/system/cpu
REPS=20			# samples per boot of the short operations
CYCLES=5		# DIMM hot-plug cycles per boot
DIMM_MB=2048
SCALE_MB=16384		# the scale DIMM: 128 blocks of 128 MiB

# The profile kernel (patched-trace) has the framework's tracepoints: record
# them, with a marker before each operation, and print the trace at the end.
TRACE=/sys/kernel/debug/tracing
traced=0
# events ON: record the framework's tracepoints and write(2) calls, or not
events() {
	[ $traced = 1 ] || return 0
	for e in sys_hotplug raw_syscalls/sys_enter raw_syscalls/sys_exit; do
		[ -e $TRACE/events/$e/enable ] && echo $1 > $TRACE/events/$e/enable
	done
	return 0
}

if [ -d $TRACE/events/sys_hotplug ]; then
	echo 8192 > $TRACE/buffer_size_kb
	# write(2) calls too (x86_64 number 1): what a sysfs write spends
	# before its request is queued, and after it ends
	for e in sys_enter sys_exit; do
		[ -d $TRACE/events/raw_syscalls/$e ] &&
			echo 'id == 1' > $TRACE/events/raw_syscalls/$e/filter
	done
	traced=1
	events 1
fi

# A profile kernel (any *-trace) also has ftrace's function profiler: what
# each function under a CPU's offline and online, a memory block's, and a
# hot-remove's costs, for half the CPU samples, the 16-block operations and
# the removal of the second DIMM, and the second CPU removal; on every
# kernel, so that they compare. The write itself (kernfs_fop_write_iter)
# is there to show what lies around the device's offline or online. A
# static function may be inlined; the log names those that cannot be
# profiled.
PROFILED="kernfs_fop_write_iter device_offline device_online
cpu_device_down cpu_device_up _cpu_down _cpu_up takedown_cpu
cpuhp_kick_ap_work stop_machine_cpuslocked synchronize_rcu
offline_pages online_pages mem_hotplug_begin mem_hotplug_done
lru_cache_disable zone_pcp_disable zone_pcp_enable start_isolate_page_range
undo_isolate_page_range scan_movable_pages do_migrate_range
dissolve_free_hugetlb_folios test_pages_isolated __offline_isolated_pages
memory_notify slab_memory_callback init_per_zone_wmark_min
writeback_set_ratelimit remove_pfn_range_from_zone move_pfn_range_to_zone
online_pages_range build_all_zonelists kswapd_run kcompactd_run
kobject_uevent acpi_bus_trim acpi_evaluate_ej0 __remove_memory
arch_remove_memory unregister_cpu"
profiled=0
if [ -e $TRACE/function_profile_enabled ]; then
	for f in $PROFILED; do
		echo $f >> $TRACE/set_ftrace_filter 2>/dev/null ||
			echo "SHP-INFO bench: $f cannot be profiled (inlined)"
	done
	profiled=1
fi

# profile OP CMD...: run CMD; on a profile kernel, the second time OP runs
# (a first use, which finds nothing in the caches, is not what the profile
# compares), with the function profiler on (enabling it clears its
# counts), then print one "SHP-FPROF OP FUNCTION CALLS US" line per
# function it saw, summed over the CPUs (time with callees and sleeps, the
# profiler's defaults). The
# events are off meanwhile, so that the framework's functions are timed
# without its tracepoints: the profile kernels without the framework have
# none to pay for.
seen_ops=" "
done_ops=" "
profile() {
	pop=$1
	shift
	case "$profiled$done_ops" in
	0*|*" $pop "*)
		"$@"
		return
		;;
	esac
	case "$seen_ops" in
	*" $pop "*)
		done_ops="$done_ops$pop "
		;;
	*)
		seen_ops="$seen_ops$pop "
		"$@"
		return
		;;
	esac
	events 0
	echo 1 > $TRACE/function_profile_enabled
	"$@"
	echo 0 > $TRACE/function_profile_enabled
	events 1
	cat $TRACE/trace_stat/function* | awk -v op="$pop" '
		$2 ~ /^[0-9]+$/ && $4 == "us" { n[$1] += $2; t[$1] += $3 }
		END { for (f in n) printf "SHP-FPROF %s %s %d %.1f\n", op, f, n[f], t[f] }'
}

# mark OP: what the trace records from now on belongs to OP
mark() {
	[ $traced = 0 ] || echo "bench op=$1" > $TRACE/trace_marker
}

# sample OP FILE TEXT [FILE TEXT ...]: time the writes as one sample of OP;
# its number ties it to what the trace recorded for it
seq=0
sample() {
	op=$1
	shift
	seq=$((seq + 1))
	mark "$op seq=$seq"
	out=$(timed-writes "$@") || fail "$op: $out"
	echo "SHP-BENCH $op ${out#ns=} $seq"
}

# blocks_args FIRST LAST TEXT: "FILE TEXT" for the state file of each block
blocks_args() {
	i=$1
	while [ $i -le $2 ]; do
		printf '%s %s ' $MEM/memory$i/state $3
		i=$((i + 1))
	done
}

state() { cat $MEM/memory$1/state 2>/dev/null || echo absent; }

# unchanged N FILE TEXT: "FILE TEXT" N times, TEXT being what FILE says:
# writes that change nothing, so that a sample of them times what a write
# costs around the device's own work (the patched kernel's less the mm
# patch kernel's: the framework's fixed cost)
UNCHANGED=10
unchanged() {
	r=0
	while [ $r -lt $1 ]; do
		printf '%s %s ' $2 $3
		r=$((r + 1))
	done
}

# remove_dimm ACTION DIMM: unplug DIMM through the host's ACTION, and wait
# until its blocks are gone and its eject is over
remove_dimm() {
	echo "SHP-QMP $1 $2"
	wait_for "[ \$(nr_blocks) -le $before ]" 120 ||
		fail "the DIMM's blocks did not go"
	# the eject's _EJ0 follows
	sleep 1
}

# range_is STATE: every block of the DIMM is in STATE (else say which is not)
range_is() {
	b=$first
	while [ $b -le $last ]; do
		[ "$(state $b)" = "$1" ] || { not="memory$b is $(state $b)"; return 1; }
		b=$((b + 1))
	done
}

# expect_range STATE WHEN: every block of the DIMM is in STATE
expect_range() {
	range_is $1 || fail "$not, expected $1 ($2)"
}

echo online_movable > $MEM/auto_online_blocks
bs=$((0x$(cat $MEM/block_size_bytes)))
nblocks=$((DIMM_MB * 1024 * 1024 / bs))	# (wait_for uses n)
echo "SHP-INFO bench: $(nproc) CPUs online, block size $((bs >> 20)) MiB, $nblocks blocks per DIMM, patched=$patched"

cpu_samples() {
	i=0
	while [ $i -lt $((REPS / 2)) ]; do
		sample cpu-offline-online $CPU/cpu1/online 0 $CPU/cpu1/online 1
		i=$((i + 1))
	done
}
# Half traced, half profiled.
profile cpu-offline-online cpu_samples
profile cpu-offline-online cpu_samples
i=0
while [ $i -lt $REPS ]; do
	# shellcheck disable=SC2046 # one argument per word
	sample cpu-online-unchanged $(unchanged $UNCHANGED $CPU/cpu1/online 1)
	i=$((i + 1))
done

c=0
while [ $c -lt $CYCLES ]; do
	before=$(nr_blocks)
	mark dimm-add
	echo "SHP-QMP bench-dimm-add 2 $DIMM_MB"
	wait_for "[ \$(nr_blocks) -ge $((before + nblocks)) ]" 120 ||
		fail "the DIMM's blocks did not all appear"
	last=$(ls -d $MEM/memory* | sed 's/.*memory//' | sort -n | tail -1)
	first=$((last - nblocks + 1))
	# A block is registered before the auto-online policy onlines it.
	wait_for "range_is online" 60 || fail "$not after the DIMM was added"

	i=0
	while [ $i -lt $((REPS / CYCLES)) ]; do
		sample block-offline $MEM/memory$first/online 0
		sample block-online $MEM/memory$first/online 1
		i=$((i + 1))
	done
	expect_range online "after one block went offline and online"
	i=0
	while [ $i -lt $((REPS / CYCLES)) ]; do
		# shellcheck disable=SC2046 # one argument per word
		sample block-online-unchanged \
			$(unchanged $UNCHANGED $MEM/memory$first/online 1)
		i=$((i + 1))
	done

	# shellcheck disable=SC2046 # one argument per word
	profile blocks-offline-writes \
		sample blocks-offline-writes $(blocks_args $first $last offline)
	expect_range offline "after per-block offline writes"
	# shellcheck disable=SC2046 # one argument per word
	profile blocks-online-writes \
		sample blocks-online-writes $(blocks_args $first $last online_movable)
	expect_range online "after per-block online writes"

	mark dimm-del
	profile dimm-del remove_dimm bench-dimm-del dimm$c
	c=$((c + 1))
done

# What only the patched kernel has, after the memory operations every
# kernel runs, so that it changes nothing they see; these DIMMs are not
# timed. (Not after the CPUs: after a vCPU unplug, QEMU 7.2's heap is
# corrupt and a later device_add may crash it.)
c=0
while [ $patched = 1 ] && [ $c -lt $CYCLES ]; do
	mark dimm-add-untimed
	add_dimm $DIMM_MB 2
	last=$(ls -d $MEM/memory* | sed 's/.*memory//' | sort -n | tail -1)
	first=$((last - nblocks + 1))
	wait_for "range_is online" 60 || fail "$not after the DIMM was added"
	profile blocks-offline-request \
		sample blocks-offline-request $REQ "offline memory$first-$last"
	expect_range offline "after one offline request"
	profile blocks-online-request \
		sample blocks-online-request $REQ "online_movable memory$first-$last"
	expect_range online "after one online request"
	sample node-validate-offline $REQ "validate offline node2"
	mark dimm-del-untimed
	remove_dimm dimm-del dimm$((CYCLES + c))
	c=$((c + 1))
done

# Scale: one 16 GiB DIMM (128 blocks), the whole of node 2's memory as
# the 2 GiB DIMMs were: all its blocks go offline and online again, by
# per-block writes on every kernel and by one request on the patched one.
# The host compares the cost per block with the 2 GiB DIMM's 16 blocks.
# (Not a part of the DIMM: set_zone_contiguous() stops at the first hole,
# so a part costs less per block than the whole zone does.)
dimm=$CYCLES
[ $patched = 1 ] && dimm=$((2 * CYCLES))
mark dimm-add-scale
add_dimm $SCALE_MB 2
last=$(ls -d $MEM/memory* | sed 's/.*memory//' | sort -n | tail -1)
first=$((last - SCALE_MB * 1024 * 1024 / bs + 1))
wait_for "range_is online" 120 || fail "$not after the 16 GiB DIMM was added"
nb=$((last - first + 1))
# shellcheck disable=SC2046 # one argument per word
sample scale-offline-writes-$nb $(blocks_args $first $last offline)
# shellcheck disable=SC2046 # one argument per word
sample scale-online-writes-$nb $(blocks_args $first $last online_movable)
if [ $patched = 1 ]; then
	sample scale-offline-request-$nb $REQ "offline memory$first-$last"
	sample scale-online-request-$nb $REQ "online_movable memory$first-$last"
fi
range_is online || fail "$not after the scale samples"
mark dimm-del-scale
remove_dimm dimm-del dimm$dimm

# QEMU 7.2 crashes on a vCPU device_add after any vCPU unplug: add both CPUs
# of socket 1 first, then remove them.
for core in 0 1; do
	cpu=$((core + 2))
	mark cpu-add
	echo "SHP-QMP bench-cpu-add 1 $core"
	wait_for "[ -e $CPU/cpu$cpu/online ]" 60 || fail "cpu$cpu did not appear"
	mark cpu-online
	echo 1 > $CPU/cpu$cpu/online || fail "cpu$cpu did not come online"
done
# remove_cpu CORE: unplug socket 1's CORE and wait until its eject is over
remove_cpu() {
	mark cpu-del
	echo "SHP-QMP bench-cpu-del 1 $1"
	wait_for "[ ! -e $CPU/cpu$(($1 + 2)) ]" 60 ||
		fail "cpu$(($1 + 2)) did not go"
	# the eject's _EJ0 follows
	sleep 1
}
# The first removal traced, the second profiled.
profile cpu-del remove_cpu 0
profile cpu-del remove_cpu 1

if [ $traced = 1 ]; then
	echo 0 > $TRACE/tracing_on
	echo SHP-TRACE-BEGIN
	grep -v '^#' $TRACE/trace
	echo SHP-TRACE-END
fi
echo "SHP-RESULT PASS bench done"
