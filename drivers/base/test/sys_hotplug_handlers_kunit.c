// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the in-tree CPU, memory and node handlers.
 *
 * Unlike sys_hotplug_kunit.c, these cases submit to the system's sequencer
 * and change real CPUs and memory, so they need a machine with several
 * CPUs: x86_64 under QEMU, see sys_hotplug_handlers.kunitconfig. Each case
 * puts back whatever it changed, also when it fails.
 *
 * Rollback is forced in two ways: the device refuses (a CPU hot-plug state
 * or a memory notifier that the case registers fails for one device), or a
 * later handler fails ("kunit-tail", registered in a stage that runs after
 * the handler under test). Either way the case checks that every device is
 * back in the state, and the zone, it was in before the request.
 *
 * Hot-add and hot-remove need RAM that the kernel does not use, such as a
 * DIMM that nothing adds at boot (no ACPI memory hot-plug), named block
 * aligned with sys_hotplug_handlers_kunit.spare_ram=START+SIZE. Without
 * it those cases are skipped. (mem= will not do: it caps hot-add too.)
 */

#include <kunit/test.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/math64.h>
#include <linux/memory.h>
#include <linux/memblock.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sys_hotplug.h>
#include <asm/sections.h>

#include "../sys_hotplug_internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static char *spare_ram;
module_param(spare_ram, charp, 0444);
MODULE_PARM_DESC(spare_ram, "unused RAM for hot-add tests: START+SIZE");
static u64 spare_start, spare_size;

#define TAIL_ERR	(-ENOSPC)	/* what kunit-tail fails with */
#define DEVICE_ERR	(-EBUSY)	/* what a refusing device fails with */
#define SPARE_BLOCKS	2		/* what the cases add of spare_ram */

struct shp_hw_test {
	struct kunit *test;
	struct shp_handler tail;
	bool tail_registered;
	unsigned int tail_executes;
	cpumask_t touched;		/* CPUs to bring back online */
	int cpuhp_state;		/* fails teardown of fail_cpu, or 0 */
	struct notifier_block mem_nb;
	bool mem_nb_registered;
	int saved_online_type;
	struct shp_handler fw;		/* kunit-fw: a firmware stage */
	bool fw_registered;
	int fw_seen[SPARE_BLOCKS];	/* block zones its rollback found */
	int mgid;			/* a memory group to unregister, or -1 */
};

/* Read by callbacks that run outside the case's thread. */
static int fail_cpu = -1;
static unsigned long fail_pfn = -1UL;

KUNIT_DEFINE_ACTION_WRAPPER(put_request, shp_request_put, struct shp_request *);

/* ------------------------------------------------------------ helpers */

static int tail_execute(struct shp_handler *h, struct shp_request *req,
			struct shp_target *t, unsigned long *data)
{
	struct shp_hw_test *ctx = container_of(h, struct shp_hw_test, tail);

	ctx->tail_executes++;
	return TAIL_ERR;
}

/* It changed nothing: there is nothing to undo. */
static int tail_undo(struct shp_handler *h, struct shp_request *req,
		     struct shp_target *t, unsigned long *data)
{
	return 0;
}

static const struct shp_steps tail_steps = {
	.execute = tail_execute,
	.undo = tail_undo,
};

/* A handler that runs after the one under test and fails its execute. */
static void add_tail(struct kunit *test, enum shp_stage stage,
		     enum shp_operation op, enum shp_class class)
{
	struct shp_hw_test *ctx = test->priv;

	ctx->tail = (struct shp_handler) {
		.name = "kunit-tail",
		.stage = stage,
		.classes = BIT(class),
	};
	ctx->tail.steps[op] = &tail_steps;
	KUNIT_ASSERT_EQ(test, shp_register_handler(&ctx->tail), 0);
	ctx->tail_registered = true;
}

static void remove_tail(struct shp_hw_test *ctx)
{
	if (ctx->tail_registered)
		shp_unregister_handler(&ctx->tail);
	ctx->tail_registered = false;
}

static struct shp_request *new_request(struct kunit *test,
				       enum shp_operation op, unsigned int n)
{
	struct shp_request *req;

	req = shp_request_alloc(op, SHP_ORIGIN_KERNEL, n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, put_request, req), 0);
	return req;
}

/* The history record of @req; freed with the case. */
static const char *record_of(struct kunit *test, struct shp_request *req)
{
	char *text, *copy;

	text = shp_history_record(shp_default_sequencer(), req->id);
	KUNIT_ASSERT_NOT_NULL_MSG(test, text, "no history record of request %llu",
				  req->id);
	copy = kunit_kstrdup(test, text, GFP_KERNEL);
	kfree(text);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	return copy;
}

static void expect_record(struct kunit *test, struct shp_request *req,
			  const char *str)
{
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(record_of(test, req), str),
				  "history of request %llu lacks \"%s\"",
				  req->id, str);
}

/* ------------------------------------------------------------ CPUs */

static void set_cpu(struct shp_target *t, unsigned int cpu)
{
	shp_target_set_cpu(t, cpu);
	t->nid = cpu_to_node(cpu);
}

/* @n online CPUs that may go offline, leaving at least one online. */
static void pick_cpus(struct kunit *test, unsigned int *cpus, unsigned int n)
{
	struct shp_hw_test *ctx = test->priv;
	unsigned int cpu, found = 0;

	for_each_online_cpu(cpu) {
		if (found == n || !cpu_is_hotpluggable(cpu))
			continue;
		cpus[found++] = cpu;
		cpumask_set_cpu(cpu, &ctx->touched);
	}
	if (found < n || n >= num_online_cpus())
		kunit_skip(test, "needs %u hot-pluggable CPUs and one more", n);
}

static bool cpu_state_is(unsigned int cpu, bool online)
{
	return cpu_online(cpu) == online &&
	       get_cpu_device(cpu)->offline == !online;
}

static int submit_cpus(struct kunit *test, enum shp_operation op,
		       const unsigned int *cpus, unsigned int n,
		       struct shp_request **reqp)
{
	struct shp_request *req = new_request(test, op, n);
	unsigned int i;

	for (i = 0; i < n; i++)
		set_cpu(req->targets[i], cpus[i]);
	*reqp = req;
	return shp_submit_wait(req);
}

static void shp_hw_cpu_offline_online(struct kunit *test)
{
	struct shp_request *req;
	unsigned int cpu;

	pick_cpus(test, &cpu, 1);
	KUNIT_ASSERT_EQ(test, submit_cpus(test, SHP_OP_OFFLINE, &cpu, 1, &req), 0);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_OK);
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpu, false));
	KUNIT_EXPECT_TRUE(test, shp_target_changed(req, req->targets[0]));

	KUNIT_ASSERT_EQ(test, submit_cpus(test, SHP_OP_ONLINE, &cpu, 1, &req), 0);
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpu, true));
	expect_record(test, req, "outcome=ok result=0");

	/* Already online: nothing to do, and nothing marked changed. */
	KUNIT_ASSERT_EQ(test, submit_cpus(test, SHP_OP_ONLINE, &cpu, 1, &req), 0);
	KUNIT_EXPECT_FALSE(test, shp_target_changed(req, req->targets[0]));
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpu, true));
}

static void shp_hw_cpu_not_hotpluggable(struct kunit *test)
{
	struct shp_request *req;
	unsigned int cpu;
	char why[48];

	for_each_online_cpu(cpu)
		if (get_cpu_device(cpu)->offline_disabled)
			break;
	if (cpu >= nr_cpu_ids)
		kunit_skip(test, "every CPU can be hot-plugged here");

	KUNIT_EXPECT_EQ(test, submit_cpus(test, SHP_OP_OFFLINE, &cpu, 1, &req),
			-EPERM);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_FAILED);
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpu, true));
	snprintf(why, sizeof(why), "err=-1 cpu%u cannot be hot-plugged", cpu);
	expect_record(test, req, why);
}

/* Every online CPU at once: refused, every reason given, nothing changed. */
static void shp_hw_cpu_last_online(struct kunit *test)
{
	struct shp_hw_test *ctx = test->priv;
	unsigned int *cpus, cpu, i, n = 0;
	struct shp_request *req;
	int ret;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs");
	cpus = kunit_kcalloc(test, nr_cpu_ids, sizeof(*cpus), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cpus);
	for_each_online_cpu(cpu)
		cpus[n++] = cpu;
	/* Shows that no execute step ran. */
	add_tail(test, SHP_STAGE_MEMORY, SHP_OP_OFFLINE, SHP_CLASS_CPU);

	ret = submit_cpus(test, SHP_OP_OFFLINE, cpus, n, &req);
	KUNIT_EXPECT_TRUE(test, ret == -EBUSY || ret == -EPERM);
	expect_record(test, req, "err=-16 would offline the last online housekeeping CPU");
	KUNIT_EXPECT_EQ(test, ctx->tail_executes, 0U);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[i], true));

	/* Asking only: the same answer. */
	req = new_request(test, SHP_OP_OFFLINE, n);
	req->flags = SHP_REQ_VALIDATE_ONLY;
	for (i = 0; i < n; i++)
		set_cpu(req->targets[i], cpus[i]);
	KUNIT_EXPECT_EQ(test, shp_submit_wait(req), ret);
	expect_record(test, req, "would offline the last online housekeeping CPU");
}

static int fail_teardown(unsigned int cpu)
{
	return cpu == READ_ONCE(fail_cpu) ? DEVICE_ERR : 0;
}

/* The second CPU refuses to go: the first comes back online. */
static void shp_hw_cpu_device_fails(struct kunit *test)
{
	struct shp_hw_test *ctx = test->priv;
	struct shp_request *req;
	unsigned int cpus[2];
	int state;

	pick_cpus(test, cpus, 2);
	state = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN,
					  "sys_hotplug/kunit:fail", NULL,
					  fail_teardown);
	KUNIT_ASSERT_GT(test, state, 0);
	ctx->cpuhp_state = state;
	WRITE_ONCE(fail_cpu, cpus[1]);

	KUNIT_EXPECT_EQ(test, submit_cpus(test, SHP_OP_OFFLINE, cpus, 2, &req),
			DEVICE_ERR);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_FAILED);
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[0], true));
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[1], true));
	KUNIT_EXPECT_FALSE(test, shp_target_changed(req, req->targets[0]));
	expect_record(test, req, "failed=cpu/execute");
}

/* A later stage fails: every CPU goes back, whichever way they went. */
static void shp_hw_cpu_later_stage_fails(struct kunit *test)
{
	struct shp_hw_test *ctx = test->priv;
	struct shp_request *req;
	unsigned int cpus[2];

	pick_cpus(test, cpus, 2);
	/* Offline runs the stages downwards: memory comes after cpu. */
	add_tail(test, SHP_STAGE_MEMORY, SHP_OP_OFFLINE, SHP_CLASS_CPU);
	KUNIT_EXPECT_EQ(test, submit_cpus(test, SHP_OP_OFFLINE, cpus, 2, &req),
			TAIL_ERR);
	KUNIT_EXPECT_EQ(test, ctx->tail_executes, 1U);
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[0], true));
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[1], true));
	expect_record(test, req, "failed=kunit-tail/execute");
	remove_tail(ctx);

	KUNIT_ASSERT_EQ(test, submit_cpus(test, SHP_OP_OFFLINE, cpus, 2, &req), 0);
	/* Online runs them upwards; registered after cpu, tail runs after it. */
	add_tail(test, SHP_STAGE_CPU, SHP_OP_ONLINE, SHP_CLASS_CPU);
	KUNIT_EXPECT_EQ(test, submit_cpus(test, SHP_OP_ONLINE, cpus, 2, &req),
			TAIL_ERR);
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[0], false));
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[1], false));
}

static int fw_commit_nothing(struct shp_handler *h, struct shp_request *req,
			     struct shp_target *t)
{
	return 0;
}

static const struct shp_steps fw_remove_steps = {
	.commit = fw_commit_nothing,
};

/*
 * Only the firmware object that holds a CPU removes it, and only that
 * object's handler says which CPUs it holds: a hot-remove of a CPU beside
 * a firmware target of another handler, which marks nothing, is refused
 * in validate, and the CPU stays online.
 */
static void shp_hw_cpu_remove_needs_its_object(struct kunit *test)
{
	struct shp_hw_test *ctx = test->priv;
	struct shp_request *req;
	unsigned int cpu;

	pick_cpus(test, &cpu, 1);
	ctx->fw = (struct shp_handler) {
		.name = "kunit-fw",
		.stage = SHP_STAGE_FIRMWARE,
		.classes = BIT(SHP_CLASS_FIRMWARE),
		.steps = { [SHP_OP_HOT_REMOVE] = &fw_remove_steps },
	};
	KUNIT_ASSERT_EQ(test, shp_register_handler(&ctx->fw), 0);
	ctx->fw_registered = true;
	req = new_request(test, SHP_OP_HOT_REMOVE, 2);
	set_cpu(req->targets[0], cpu);
	req->targets[1]->class = SHP_CLASS_FIRMWARE;
	req->targets[1]->fw.handler = &ctx->fw;
	req->targets[1]->fw.handle = ctx;
	KUNIT_EXPECT_EQ(test, shp_submit_wait(req), -EINVAL);
	expect_record(test, req, "failed=cpu/validate");
	expect_record(test, req, "only its firmware object's eject removes a CPU");
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpu, true));
}

static int shp_hw_cpu_init(struct kunit *test)
{
	struct shp_hw_test *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->test = test;
	test->priv = ctx;
	if (!shp_handles(SHP_CLASS_CPU, SHP_OP_OFFLINE))
		kunit_skip(test, "no CPU handler registered");
	return 0;
}

static void shp_hw_cpu_exit(struct kunit *test)
{
	struct shp_hw_test *ctx = test->priv;
	unsigned int cpu;

	remove_tail(ctx);
	if (ctx->fw_registered)
		shp_unregister_handler(&ctx->fw);
	ctx->fw_registered = false;
	if (ctx->cpuhp_state > 0)
		cpuhp_remove_state_nocalls(ctx->cpuhp_state);
	WRITE_ONCE(fail_cpu, -1);
	for_each_cpu(cpu, &ctx->touched)
		if (!cpu_online(cpu))
			WARN_ON(add_cpu(cpu));
}

/* ------------------------------------------------------------ memory */

static struct memory_block *block_at(u64 addr)
{
	return find_memory_block(pfn_to_section_nr(PHYS_PFN(addr)));
}

static void set_block(struct kunit *test, struct shp_target *t, u64 addr,
		      int online_type)
{
	struct memory_block *mem = block_at(addr);

	KUNIT_ASSERT_NOT_NULL_MSG(test, mem, "no memory block at %#llx", addr);
	t->class = SHP_CLASS_MEMORY;
	shp_target_set_device(t, &mem->dev);
	put_device(&mem->dev);
	t->nid = mem->nid;
	t->mem.online_type = online_type;
}

static void set_range(struct shp_target *t, u64 start, u64 size, int nid)
{
	t->class = SHP_CLASS_MEMORY;
	t->nid = nid;
	t->mem.start = start;
	t->mem.size = size;
	t->mem.online_type = -1;
}

/* MEM_OFFLINE, or the zone an online block is in; -1: absent or mixed. */
static int block_zone(u64 addr)
{
	struct memory_block *mem = block_at(addr);
	int ret = -1;

	if (!mem)
		return -1;
	if (mem->state == MEM_OFFLINE)
		ret = MAX_NR_ZONES;
	else if (mem->state == MEM_ONLINE && mem->zone)
		ret = zone_idx(mem->zone);
	put_device(&mem->dev);
	return ret;
}

#define BLOCK_OFFLINE	MAX_NR_ZONES

static u64 block_bytes(void)
{
	return memory_block_size_bytes();
}

static bool ram_is(u64 start, u64 size, int want)
{
	return region_intersects(start, size, IORESOURCE_SYSTEM_RAM,
				 IORES_DESC_NONE) == want;
}

/* The range the case hot-adds: the first SPARE_BLOCKS of spare_ram. */
static u64 need_spare(struct kunit *test)
{
	u64 size = SPARE_BLOCKS * block_bytes();

	if (spare_size < size)
		kunit_skip(test, "needs %u blocks of spare_ram (have %#llx bytes)",
			   SPARE_BLOCKS, spare_size);
	/* Left by an earlier case that failed half way. */
	KUNIT_ASSERT_EQ_MSG(test, block_zone(spare_start), -1,
			    "spare_ram is in use");
	return size;
}

/*
 * The node of the spare RAM: as the firmware's SRAT says (a DIMM slot's
 * range), or as memory hot-plug would pick one without it.
 */
static int spare_nid(void)
{
	int nid = phys_to_target_node(spare_start);

	return nid == NUMA_NO_NODE ? memory_add_physaddr_to_nid(spare_start) :
				     nid;
}

static int submit_range(struct kunit *test, enum shp_operation op,
			u64 start, u64 size, struct shp_request **reqp)
{
	struct shp_request *req = new_request(test, op, 1);

	set_range(req->targets[0], start, size, spare_nid());
	*reqp = req;
	return shp_submit_wait(req);
}

static int submit_blocks(struct kunit *test, enum shp_operation op,
			 u64 start, unsigned int n, int online_type,
			 struct shp_request **reqp)
{
	struct shp_request *req = new_request(test, op, n);
	unsigned int i;

	for (i = 0; i < n; i++)
		set_block(test, req->targets[i], start + i * block_bytes(),
			  online_type);
	*reqp = req;
	return shp_submit_wait(req);
}

static unsigned int count_blocks(struct shp_request *req)
{
	struct shp_target *t;
	unsigned int n = 0;

	/* Blocks, not ranges (an ended request names no device). */
	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY))
		n += !t->mem.size;
	return n;
}

static void expect_blocks(struct kunit *test, u64 start, unsigned int n,
			  int zone)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, block_zone(start + i * block_bytes()),
				    zone, "block %u at %#llx", i,
				    start + i * block_bytes());
}

/* Blocks holding what the kernel cannot move stay, and validate says why. */
static void shp_hw_mem_unmovable(struct kunit *test)
{
	u64 addrs[2] = { __pa_symbol(_text), 0 };
	struct memory_block *mem;
	struct shp_request *req;
	unsigned int i, n = 1;
	char why[64];
	int ret;

#ifdef CONFIG_NUMA
	/* Allocated at boot, typically from the top of the node's memory. */
	addrs[1] = __pa(NODE_DATA(first_online_node));
	if (div64_u64(addrs[0], block_bytes()) !=
	    div64_u64(addrs[1], block_bytes()))
		n = 2;
#endif
	req = new_request(test, SHP_OP_OFFLINE, n);
	req->flags = SHP_REQ_VALIDATE_ONLY;
	for (i = 0; i < n; i++)
		set_block(test, req->targets[i], addrs[i], -1);
	ret = shp_submit_wait(req);
	KUNIT_EXPECT_TRUE(test, ret == -EBUSY || ret == -EINVAL);
	KUNIT_EXPECT_EQ(test, req->p->nr_reports, n);

	/* Each one named, with the reason its zones give. */
	for (i = 0; i < n; i++) {
		mem = block_at(addrs[i]);
		KUNIT_ASSERT_NOT_NULL(test, mem);
		snprintf(why, sizeof(why), "%s %s", dev_name(&mem->dev),
			 mem->zone ? "holds reserved" : "spans several zones");
		kunit_info(test, "%s", why);
		put_device(&mem->dev);
		expect_record(test, req, why);
	}

	/* Really asked: the same, and both still online. */
	KUNIT_EXPECT_EQ(test, submit_blocks(test, SHP_OP_OFFLINE, addrs[n - 1], 1,
					    -1, &req),
			block_zone(addrs[n - 1]) == -1 ? -EINVAL : -EBUSY);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_NE(test, block_zone(addrs[i]), BLOCK_OFFLINE);
}

/* Ranges that validate refuses, before anything is added. */
static void shp_hw_mem_bad_ranges(struct kunit *test)
{
	u64 bs = block_bytes(), start;
	struct shp_request *req;
	int nid;

	/* Beyond every present block: nothing is there to collide with. */
	start = round_up(PFN_PHYS(max_pfn), bs);
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		if (!node_possible(nid))
			break;

	if (nid < MAX_NUMNODES) {
		req = new_request(test, SHP_OP_HOT_ADD, 1);
		set_range(req->targets[0], start, bs, nid);
		KUNIT_EXPECT_EQ(test, shp_submit_wait(req), -EINVAL);
		expect_record(test, req, "is not possible");
	} else {
		kunit_info(test, "every node is possible: not tested");
	}

	req = new_request(test, SHP_OP_HOT_ADD, 1);
	set_range(req->targets[0], start + PAGE_SIZE, bs, first_online_node);
	KUNIT_EXPECT_EQ(test, shp_submit_wait(req), -EINVAL);
	expect_record(test, req, "is not aligned to memory blocks");

	/* Boot memory is there already; an empty range cannot be removed. */
	KUNIT_EXPECT_EQ(test, submit_range(test, SHP_OP_HOT_ADD, 0, bs, &req),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, submit_range(test, SHP_OP_HOT_REMOVE, start, bs,
					   &req), -ENODEV);
	KUNIT_EXPECT_EQ(test, block_zone(start), -1);
	KUNIT_EXPECT_TRUE(test, ram_is(start, bs, REGION_DISJOINT));
}

static void shp_hw_mem_add_remove(struct kunit *test)
{
	u64 start = spare_start, size = need_spare(test);
	struct shp_request *req;

	mhp_set_default_online_type(MMOP_ONLINE_MOVABLE);
	KUNIT_ASSERT_EQ(test, submit_range(test, SHP_OP_HOT_ADD, start, size,
					   &req), 0);
	expect_blocks(test, start, SPARE_BLOCKS, ZONE_MOVABLE);
	KUNIT_EXPECT_TRUE(test, ram_is(start, size, REGION_INTERSECTS));

	KUNIT_ASSERT_EQ(test, submit_range(test, SHP_OP_HOT_REMOVE, start, size,
					   &req), 0);
	/* The range's blocks were the request's targets too. */
	KUNIT_EXPECT_EQ(test, count_blocks(req), SPARE_BLOCKS);
	expect_blocks(test, start, SPARE_BLOCKS, -1);
	KUNIT_EXPECT_TRUE(test, ram_is(start, size, REGION_DISJOINT));

	/* Policy "offline": added, and left offline. */
	mhp_set_default_online_type(MMOP_OFFLINE);
	KUNIT_ASSERT_EQ(test, submit_range(test, SHP_OP_HOT_ADD, start, size,
					   &req), 0);
	expect_blocks(test, start, SPARE_BLOCKS, BLOCK_OFFLINE);
	KUNIT_ASSERT_EQ(test, submit_range(test, SHP_OP_HOT_REMOVE, start, size,
					   &req), 0);
	expect_blocks(test, start, SPARE_BLOCKS, -1);
}

static void shp_hw_mem_add_rollback(struct kunit *test)
{
	struct shp_hw_test *ctx = test->priv;
	u64 start = spare_start, size = need_spare(test);
	struct shp_request *req;

	mhp_set_default_online_type(MMOP_ONLINE_MOVABLE);
	/* Hot-add runs the stages upwards: cpu comes after memory. */
	add_tail(test, SHP_STAGE_CPU, SHP_OP_HOT_ADD, SHP_CLASS_MEMORY);
	KUNIT_EXPECT_EQ(test, submit_range(test, SHP_OP_HOT_ADD, start, size,
					   &req), TAIL_ERR);
	KUNIT_EXPECT_EQ(test, ctx->tail_executes, 1U);
	expect_blocks(test, start, SPARE_BLOCKS, -1);
	KUNIT_EXPECT_TRUE(test, ram_is(start, size, REGION_DISJOINT));
	expect_record(test, req, "failed=kunit-tail/execute");
}

static int mem_refuse(struct notifier_block *nb, unsigned long action,
		      void *arg)
{
	struct memory_notify *mn = arg;

	if (action == MEM_GOING_OFFLINE &&
	    mn->start_pfn == READ_ONCE(fail_pfn))
		return notifier_from_errno(DEVICE_ERR);
	return NOTIFY_OK;
}

/* The spare RAM hot-added, its blocks online movable. */
static void add_spare_movable(struct kunit *test, u64 start, u64 size)
{
	struct shp_request *req;

	mhp_set_default_online_type(MMOP_ONLINE_MOVABLE);
	KUNIT_ASSERT_EQ(test, submit_range(test, SHP_OP_HOT_ADD, start, size,
					   &req), 0);
}

/* From now on, @fn decides whether the block at @addr may go offline. */
static void refuse_offline(struct kunit *test, notifier_fn_t fn, u64 addr)
{
	struct shp_hw_test *ctx = test->priv;

	ctx->mem_nb.notifier_call = fn;
	KUNIT_ASSERT_EQ(test, register_memory_notifier(&ctx->mem_nb), 0);
	ctx->mem_nb_registered = true;
	WRITE_ONCE(fail_pfn, PHYS_PFN(addr));
}

/*
 * The block at fail_pfn refuses to go offline while the block after it is
 * online, as a block holding what another's pages need would.
 */
static int mem_refuse_before_next(struct notifier_block *nb,
				  unsigned long action, void *arg)
{
	struct memory_notify *mn = arg;
	struct memory_block *next;
	bool online;

	if (action != MEM_GOING_OFFLINE || mn->start_pfn != READ_ONCE(fail_pfn))
		return NOTIFY_OK;
	next = block_at(PFN_PHYS(mn->start_pfn) + block_bytes());
	online = next && next->state == MEM_ONLINE;
	if (next)
		put_device(&next->dev);
	return online ? notifier_from_errno(DEVICE_ERR) : NOTIFY_OK;
}

/*
 * Offline of several blocks makes a second pass, as an ACPI eject always
 * has (acpi_scan_try_to_offline()): a block that could go offline only
 * after a later one still does, and the request succeeds.
 */
static void shp_hw_mem_offline_second_pass(struct kunit *test)
{
	u64 start = spare_start, size = need_spare(test);
	struct shp_request *req;

	add_spare_movable(test, start, size);
	refuse_offline(test, mem_refuse_before_next, start);
	KUNIT_EXPECT_EQ(test, submit_blocks(test, SHP_OP_OFFLINE, start,
					    SPARE_BLOCKS, -1, &req), 0);
	expect_blocks(test, start, SPARE_BLOCKS, BLOCK_OFFLINE);
	expect_record(test, req, "outcome=ok result=0");
	WRITE_ONCE(fail_pfn, -1UL);
}

/*
 * Offline and online of several blocks: when block k fails, or a later
 * stage does, blocks 1..k-1 come back in the zone they were in.
 */
static void shp_hw_mem_blocks_rollback(struct kunit *test)
{
	struct shp_hw_test *ctx = test->priv;
	u64 start = spare_start, size = need_spare(test);
	struct shp_request *req;

	add_spare_movable(test, start, size);

	/* The second block refuses: the first is back online, movable. */
	refuse_offline(test, mem_refuse, start + block_bytes());
	KUNIT_EXPECT_EQ(test, submit_blocks(test, SHP_OP_OFFLINE, start, SPARE_BLOCKS, -1,
					    &req), DEVICE_ERR);
	expect_blocks(test, start, SPARE_BLOCKS, ZONE_MOVABLE);
	expect_record(test, req, "failed=memory/execute");
	WRITE_ONCE(fail_pfn, -1UL);

	/* Offline runs downwards: firmware comes after memory. */
	add_tail(test, SHP_STAGE_FIRMWARE, SHP_OP_OFFLINE, SHP_CLASS_MEMORY);
	KUNIT_EXPECT_EQ(test, submit_blocks(test, SHP_OP_OFFLINE, start, SPARE_BLOCKS, -1,
					    &req), TAIL_ERR);
	expect_blocks(test, start, SPARE_BLOCKS, ZONE_MOVABLE);
	remove_tail(ctx);

	KUNIT_ASSERT_EQ(test, submit_blocks(test, SHP_OP_OFFLINE, start, SPARE_BLOCKS, -1,
					    &req), 0);
	expect_blocks(test, start, SPARE_BLOCKS, BLOCK_OFFLINE);

	/* Online, then cpu fails: both offline again. */
	add_tail(test, SHP_STAGE_CPU, SHP_OP_ONLINE, SHP_CLASS_MEMORY);
	KUNIT_EXPECT_EQ(test, submit_blocks(test, SHP_OP_ONLINE, start, SPARE_BLOCKS,
					    MMOP_ONLINE_MOVABLE, &req),
			TAIL_ERR);
	expect_blocks(test, start, SPARE_BLOCKS, BLOCK_OFFLINE);
	remove_tail(ctx);

	KUNIT_ASSERT_EQ(test, submit_blocks(test, SHP_OP_ONLINE, start, SPARE_BLOCKS,
					    MMOP_ONLINE_MOVABLE, &req), 0);
	expect_blocks(test, start, SPARE_BLOCKS, ZONE_MOVABLE);
}

/* Offline and remove the spare RAM, as a firmware stage's rollback would. */
static void fw_remove(int *seen)
{
	struct memory_block *mem;
	unsigned int i;

	for (i = 0; i < SPARE_BLOCKS; i++) {
		if (seen)
			seen[i] = block_zone(spare_start + i * block_bytes());
		mem = block_at(spare_start + i * block_bytes());
		if (mem) {
			device_offline(&mem->dev);
			put_device(&mem->dev);
		}
	}
	__remove_memory(spare_start, SPARE_BLOCKS * block_bytes());
}

/*
 * kunit-fw adds the spare RAM as a firmware stage does (the policy onlines
 * it), takes the last block offline again, as if the policy had failed to
 * online it, and describes the blocks as targets of the request.
 */
static int fw_execute(struct shp_handler *h, struct shp_request *req,
		      struct shp_target *fw, unsigned long *data)
{
	u64 size = SPARE_BLOCKS * block_bytes();
	struct memory_block *mem;
	struct shp_target *t;
	unsigned int i;
	int ret;

	ret = __add_memory(memory_add_physaddr_to_nid(spare_start), spare_start,
			   size, MHP_NONE);
	if (ret)
		return ret;
	mem = block_at(spare_start + size - block_bytes());
	if (mem) {
		device_offline(&mem->dev);
		put_device(&mem->dev);
	}
	t = shp_request_add_targets(req, SPARE_BLOCKS);
	if (!t) {
		fw_remove(NULL);
		return -ENOMEM;
	}
	for (i = 0; i < SPARE_BLOCKS; i++, t++) {
		mem = block_at(spare_start + i * block_bytes());
		t->class = SHP_CLASS_MEMORY;
		shp_target_set_device(t, &mem->dev);
		put_device(&mem->dev);
		t->nid = mem->nid;
	}
	return 0;
}

/* Note what the memory stage's rollback left, then remove the RAM. */
static int fw_undo(struct shp_handler *h, struct shp_request *req,
		   struct shp_target *fw, unsigned long *data)
{
	fw_remove(container_of(h, struct shp_hw_test, fw)->fw_seen);
	return 0;
}

static const struct shp_steps fw_steps = {
	.execute = fw_execute,
	.undo = fw_undo,
};

/*
 * Hot-add of blocks a firmware stage added: the memory stage onlines the
 * one the policy left offline, and on rollback takes offline only that one.
 */
static void shp_hw_mem_fw_blocks(struct kunit *test)
{
	struct shp_hw_test *ctx = test->priv;
	u64 start = spare_start, size = need_spare(test);
	struct shp_request *req;

	mhp_set_default_online_type(MMOP_ONLINE_MOVABLE);
	ctx->fw = (struct shp_handler) {
		.name = "kunit-fw",
		.stage = SHP_STAGE_FIRMWARE,
		.classes = BIT(SHP_CLASS_FIRMWARE),
		.steps = { [SHP_OP_HOT_ADD] = &fw_steps },
	};
	KUNIT_ASSERT_EQ(test, shp_register_handler(&ctx->fw), 0);
	ctx->fw_registered = true;

	/* A later stage fails: block 0 (the policy's) stays for kunit-fw. */
	add_tail(test, SHP_STAGE_CPU, SHP_OP_HOT_ADD, SHP_CLASS_MEMORY);
	req = new_request(test, SHP_OP_HOT_ADD, 1);
	req->targets[0]->class = SHP_CLASS_FIRMWARE;
	req->targets[0]->fw.handler = &ctx->fw;
	req->targets[0]->fw.handle = ctx;
	KUNIT_EXPECT_EQ(test, shp_submit_wait(req), TAIL_ERR);
	KUNIT_EXPECT_EQ(test, ctx->fw_seen[0], ZONE_MOVABLE);
	KUNIT_EXPECT_EQ(test, ctx->fw_seen[1], BLOCK_OFFLINE);
	expect_blocks(test, start, SPARE_BLOCKS, -1);
	KUNIT_EXPECT_TRUE(test, ram_is(start, size, REGION_DISJOINT));
	remove_tail(ctx);

	req = new_request(test, SHP_OP_HOT_ADD, 1);
	req->targets[0]->class = SHP_CLASS_FIRMWARE;
	req->targets[0]->fw.handler = &ctx->fw;
	req->targets[0]->fw.handle = ctx;
	KUNIT_ASSERT_EQ(test, shp_submit_wait(req), 0);
	KUNIT_EXPECT_EQ(test, count_blocks(req), SPARE_BLOCKS);
	expect_blocks(test, start, SPARE_BLOCKS, ZONE_MOVABLE);
}

/*
 * Memory that a driver added (in a memory group, as an ACPI memory device
 * adds it, or as driver-managed RAM, as dax/kmem does) is removed only by
 * that driver: a request that names its range is refused in validate,
 * whoever makes it, and the memory stays online.
 */
static void shp_hw_mem_owned_range(struct kunit *test)
{
	struct shp_hw_test *ctx = test->priv;
	u64 start = spare_start, size = need_spare(test);
	int nid = memory_add_physaddr_to_nid(start), mgid;
	struct shp_request *req;

	mhp_set_default_online_type(MMOP_ONLINE_MOVABLE);
	mgid = memory_group_register_static(nid, PHYS_PFN(size));
	KUNIT_ASSERT_GE(test, mgid, 0);
	ctx->mgid = mgid;
	KUNIT_ASSERT_EQ(test, add_memory(mgid, start, size, MHP_NID_IS_MGID), 0);
	KUNIT_EXPECT_EQ(test, submit_range(test, SHP_OP_HOT_REMOVE, start, size,
					   &req), -EPERM);
	expect_record(test, req, "holds memory a driver owns");
	expect_blocks(test, start, SPARE_BLOCKS, ZONE_MOVABLE);
	KUNIT_ASSERT_EQ(test, offline_and_remove_memory(start, size), 0);
	KUNIT_EXPECT_EQ(test, memory_group_unregister(mgid), 0);
	ctx->mgid = -1;

	KUNIT_ASSERT_EQ(test, add_memory_driver_managed(nid, start, size,
							"System RAM (kunit)",
							MHP_NONE), 0);
	KUNIT_EXPECT_EQ(test, submit_range(test, SHP_OP_HOT_REMOVE, start, size,
					   &req), -EPERM);
	expect_record(test, req, "holds memory a driver owns");
	expect_blocks(test, start, SPARE_BLOCKS, ZONE_MOVABLE);
	KUNIT_EXPECT_EQ(test, offline_and_remove_memory(start, size), 0);
}

/* Hot-remove fails after the blocks went offline: they come back. */
static void shp_hw_mem_remove_rollback(struct kunit *test)
{
	u64 start = spare_start, size = need_spare(test);
	struct shp_request *req;

	add_spare_movable(test, start, size);
	add_tail(test, SHP_STAGE_FIRMWARE, SHP_OP_HOT_REMOVE, SHP_CLASS_MEMORY);
	KUNIT_EXPECT_EQ(test, submit_range(test, SHP_OP_HOT_REMOVE, start, size,
					   &req), TAIL_ERR);
	expect_blocks(test, start, SPARE_BLOCKS, ZONE_MOVABLE);
	KUNIT_EXPECT_TRUE(test, ram_is(start, size, REGION_INTERSECTS));
}

static int shp_hw_mem_suite_init(struct kunit_suite *suite)
{
	char *end;

	if (!spare_ram)
		return 0;
	spare_start = memparse(spare_ram, &end);
	if (*end == '+')
		spare_size = memparse(end + 1, &end);
	if (*end || !spare_size ||
	    !IS_ALIGNED(spare_start | spare_size, block_bytes())) {
		pr_err("sys_hotplug kunit: spare_ram=%s: want START+SIZE, aligned to %#lx\n",
		       spare_ram, memory_block_size_bytes());
		spare_size = 0;
		return -EINVAL;
	}
	return 0;
}

static int shp_hw_mem_init(struct kunit *test)
{
	struct shp_hw_test *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->test = test;
	test->priv = ctx;
	ctx->mgid = -1;
	ctx->saved_online_type = mhp_get_default_online_type();
	if (!shp_handles(SHP_CLASS_MEMORY, SHP_OP_OFFLINE))
		kunit_skip(test, "no memory handler registered");
	return 0;
}

static void shp_hw_mem_exit(struct kunit *test)
{
	struct shp_hw_test *ctx = test->priv;
	struct memory_block *mem;

	remove_tail(ctx);
	if (ctx->fw_registered)
		shp_unregister_handler(&ctx->fw);
	if (ctx->mem_nb_registered)
		unregister_memory_notifier(&ctx->mem_nb);
	WRITE_ONCE(fail_pfn, -1UL);
	mhp_set_default_online_type(ctx->saved_online_type);
	if (!spare_size)
		return;
	mem = block_at(spare_start);
	if (mem) {
		put_device(&mem->dev);
		/* Leave the spare RAM as the next case expects it: absent. */
		WARN_ON(offline_and_remove_memory(spare_start,
						  SPARE_BLOCKS * block_bytes()));
	}
	if (ctx->mgid >= 0)
		WARN_ON(memory_group_unregister(ctx->mgid));
}

/* ------------------------------------------------------------ nodes */

/* A request for node @nid alone. */
static int submit_node(struct kunit *test, enum shp_operation op, int nid,
		       unsigned int flags, struct shp_request **reqp)
{
	struct shp_request *req = new_request(test, op, 1);

	req->flags = flags;
	req->targets[0]->class = SHP_CLASS_NODE;
	req->targets[0]->nid = nid;
	*reqp = req;
	return shp_submit_wait(req);
}

/* The targets that the node target expanded into, of class @cls. */
static unsigned int count_children(struct shp_request *req,
				   enum shp_class cls)
{
	struct shp_target *t;
	unsigned int n = 0;

	for (t = shp_next_target(req, NULL, cls); t;
	     t = shp_next_target(req, t, cls))
		n += t->parent == 0;
	return n;
}

/*
 * The node of the spare RAM, with the spare RAM online movable on it, and
 * two hot-pluggable CPUs of that node, with at least one CPU elsewhere.
 */
static int node_with_cpus(struct kunit *test, unsigned int *cpus)
{
	struct shp_hw_test *ctx = test->priv;
	u64 size = need_spare(test);
	unsigned int cpu, n = 0;
	int nid = spare_nid();

	for_each_online_cpu(cpu)
		if (cpu_to_node(cpu) == nid && cpu_is_hotpluggable(cpu) && n < 2)
			cpus[n++] = cpu;
	if (n < 2 || nr_cpus_node(nid) == num_online_cpus())
		kunit_skip(test, "needs two hot-pluggable CPUs on node %d and a CPU elsewhere",
			   nid);
	cpumask_set_cpu(cpus[0], &ctx->touched);
	cpumask_set_cpu(cpus[1], &ctx->touched);
	add_spare_movable(test, spare_start, size);
	/* Nothing but the spare RAM: the node's other blocks would stay. */
	KUNIT_ASSERT_EQ(test, node_present_pages(nid),
			(unsigned long)PHYS_PFN(size));
	return nid;
}

/*
 * Offline of a node takes down every CPU and block on it, as one request;
 * online brings back what that offline took down, and no more: a CPU an
 * operator had taken offline on its own stays offline. With nothing
 * recorded, online brings up everything offline on the node.
 */
static void shp_hw_node_offline_online(struct kunit *test)
{
	struct shp_request *req;
	unsigned int cpus[2];
	int nid = node_with_cpus(test, cpus);

	KUNIT_ASSERT_EQ(test, submit_cpus(test, SHP_OP_OFFLINE, &cpus[1], 1,
					  &req), 0);

	KUNIT_ASSERT_EQ(test, submit_node(test, SHP_OP_OFFLINE, nid, 0, &req), 0);
	KUNIT_EXPECT_EQ(test, count_children(req, SHP_CLASS_CPU), 1U);
	KUNIT_EXPECT_EQ(test, count_children(req, SHP_CLASS_MEMORY), SPARE_BLOCKS);
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[0], false));
	expect_blocks(test, spare_start, SPARE_BLOCKS, BLOCK_OFFLINE);
	KUNIT_EXPECT_FALSE(test, node_state(nid, N_MEMORY));
	/* Offline is not removal: the node's data stays. */
	KUNIT_EXPECT_TRUE(test, node_online(nid));

	KUNIT_ASSERT_EQ(test, submit_node(test, SHP_OP_ONLINE, nid, 0, &req), 0);
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[0], true));
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[1], false));
	expect_blocks(test, spare_start, SPARE_BLOCKS, ZONE_MOVABLE);

	/* Nothing recorded now: everything offline on the node comes up. */
	KUNIT_ASSERT_EQ(test, submit_node(test, SHP_OP_ONLINE, nid, 0, &req), 0);
	KUNIT_EXPECT_EQ(test, count_children(req, SHP_CLASS_CPU), 1U);
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[1], true));
}

/* A block that refuses: the whole node is as it was, CPUs included. */
static void shp_hw_node_offline_rollback(struct kunit *test)
{
	struct shp_request *req;
	unsigned int cpus[2];
	int nid = node_with_cpus(test, cpus);

	refuse_offline(test, mem_refuse, spare_start + block_bytes());
	KUNIT_EXPECT_EQ(test, submit_node(test, SHP_OP_OFFLINE, nid, 0, &req),
			DEVICE_ERR);
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[0], true));
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[1], true));
	expect_blocks(test, spare_start, SPARE_BLOCKS, ZONE_MOVABLE);
	expect_record(test, req, "failed=memory/execute");
	WRITE_ONCE(fail_pfn, -1UL);

	/*
	 * The node step runs last on the way down, after the failure: the
	 * failed offline left no record, so the next offline and online of
	 * the node bring back only what that one took down.
	 */
	KUNIT_ASSERT_EQ(test, submit_cpus(test, SHP_OP_OFFLINE, &cpus[1], 1,
					  &req), 0);
	KUNIT_ASSERT_EQ(test, submit_node(test, SHP_OP_OFFLINE, nid, 0, &req), 0);
	KUNIT_ASSERT_EQ(test, submit_node(test, SHP_OP_ONLINE, nid, 0, &req), 0);
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[1], false));
}

/*
 * The dry run before a node evacuation: on the node of the kernel's own
 * memory, validate names each device that cannot go and changes nothing;
 * on the node of the spare RAM, it finds nothing and changes nothing.
 */
static void shp_hw_node_validate_only(struct kunit *test)
{
	u64 text = __pa_symbol(_text);
	struct shp_request *req;
	unsigned int cpus[2], online = num_online_cpus(), cpu;
	struct memory_block *mem = block_at(text);
	int nid;
	char why[64];

	KUNIT_ASSERT_NOT_NULL(test, mem);
	nid = mem->nid;
	snprintf(why, sizeof(why), "%s %s", dev_name(&mem->dev),
		 mem->zone ? "holds reserved" : "spans several zones");
	put_device(&mem->dev);
	KUNIT_EXPECT_LT(test, submit_node(test, SHP_OP_OFFLINE, nid,
					  SHP_REQ_VALIDATE_ONLY, &req), 0);
	expect_record(test, req, why);
	for_each_online_cpu(cpu) {
		if (cpu_to_node(cpu) != nid ||
		    !get_cpu_device(cpu)->offline_disabled)
			continue;
		snprintf(why, sizeof(why), "cpu%u cannot be hot-plugged", cpu);
		expect_record(test, req, why);
	}
	KUNIT_EXPECT_EQ(test, num_online_cpus(), online);
	KUNIT_EXPECT_NE(test, block_zone(text), BLOCK_OFFLINE);

	nid = node_with_cpus(test, cpus);
	KUNIT_EXPECT_EQ(test, submit_node(test, SHP_OP_OFFLINE, nid,
					  SHP_REQ_VALIDATE_ONLY, &req), 0);
	KUNIT_EXPECT_EQ(test, count_children(req, SHP_CLASS_CPU), 2U);
	KUNIT_EXPECT_TRUE(test, cpu_state_is(cpus[0], true));
	expect_blocks(test, spare_start, SPARE_BLOCKS, ZONE_MOVABLE);
}

static void shp_hw_node_exit(struct kunit *test)
{
	shp_hw_cpu_exit(test);
	shp_hw_mem_exit(test);
}

static struct kunit_case shp_hw_cpu_cases[] = {
	KUNIT_CASE(shp_hw_cpu_offline_online),
	KUNIT_CASE(shp_hw_cpu_not_hotpluggable),
	KUNIT_CASE(shp_hw_cpu_last_online),
	KUNIT_CASE(shp_hw_cpu_device_fails),
	KUNIT_CASE(shp_hw_cpu_later_stage_fails),
	KUNIT_CASE(shp_hw_cpu_remove_needs_its_object),
	{}
};

static struct kunit_suite shp_hw_cpu_suite = {
	.name = "sys_hotplug_cpu",
	.init = shp_hw_cpu_init,
	.exit = shp_hw_cpu_exit,
	.test_cases = shp_hw_cpu_cases,
};

static struct kunit_case shp_hw_mem_cases[] = {
	KUNIT_CASE(shp_hw_mem_unmovable),
	KUNIT_CASE(shp_hw_mem_bad_ranges),
	KUNIT_CASE(shp_hw_mem_add_remove),
	KUNIT_CASE(shp_hw_mem_add_rollback),
	KUNIT_CASE(shp_hw_mem_blocks_rollback),
	KUNIT_CASE(shp_hw_mem_offline_second_pass),
	KUNIT_CASE(shp_hw_mem_remove_rollback),
	KUNIT_CASE(shp_hw_mem_owned_range),
	KUNIT_CASE(shp_hw_mem_fw_blocks),
	{}
};

static struct kunit_suite shp_hw_mem_suite = {
	.name = "sys_hotplug_memory",
	.suite_init = shp_hw_mem_suite_init,
	.init = shp_hw_mem_init,
	.exit = shp_hw_mem_exit,
	.test_cases = shp_hw_mem_cases,
};

static struct kunit_case shp_hw_node_cases[] = {
	KUNIT_CASE(shp_hw_node_offline_online),
	KUNIT_CASE(shp_hw_node_offline_rollback),
	KUNIT_CASE(shp_hw_node_validate_only),
	{}
};

static struct kunit_suite shp_hw_node_suite = {
	.name = "sys_hotplug_node",
	.suite_init = shp_hw_mem_suite_init,
	.init = shp_hw_mem_init,
	.exit = shp_hw_node_exit,
	.test_cases = shp_hw_node_cases,
};

kunit_test_suites(&shp_hw_cpu_suite, &shp_hw_mem_suite, &shp_hw_node_suite);

MODULE_DESCRIPTION("KUnit tests of the CPU and memory hot-plug handlers");
MODULE_LICENSE("GPL");
