// SPDX-License-Identifier: GPL-2.0
/*
 * Memory and node steps of the system device hot-plug sequencer.
 *
 * Memory: online and offline memory blocks; hot-add a physical range (add
 * it, then online it as the auto-online policy says) and hot-remove one
 * (offline every block, then remove the range). On hot-add, the blocks a
 * firmware stage added (an ACPI memory device's enumeration) come online
 * as the policy says too. A request for many blocks
 * or ranges is all or nothing: blocks that went offline come back in the
 * zone they were in, ranges that were added are removed again.
 *
 * Nodes: a node comes online in the node stage of the request that adds
 * its first memory (before the memory stage adds it) and goes offline in
 * the node stage of the request that removes its last memory or CPU (after
 * the other stages are done).
 *
 * Every step runs under device_hotplug_lock, so the functions called here
 * are the ones that expect it held (__add_memory(), __remove_memory(),
 * try_offline_node()), never those that take it (add_memory(),
 * remove_memory()).
 */

#include <linux/bitfield.h>
#include <linux/cpu.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/math64.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/sys_hotplug.h>
#include <linux/topology.h>

/*
 * Handler bits in shp_target.done, beside SHP_TARGET_CHANGED.
 * Memory blocks: MEM_SHP_OF_RANGE, the block was found in a range that a
 * hot-remove named; MEM_SHP_ZONE, one more than the index of the zone the
 * block was in before it went offline. Node targets: NODE_SHP_WAS_ONLINE,
 * the node was online when the request was validated; NODE_SHP_NAMED,
 * the requester named the node (the others are the nodes of the
 * request's devices).
 */
#define MEM_SHP_OF_RANGE	BIT(2)
#define MEM_SHP_ZONE		GENMASK(6, 3)
#define NODE_SHP_WAS_ONLINE	BIT(1)
#define NODE_SHP_NAMED		BIT(2)

static struct memory_block *mem_shp_block(struct shp_target *t)
{
	return container_of(t->dev, struct memory_block, dev);
}

static unsigned long mem_shp_nr_blocks(const struct shp_target *t)
{
	return div64_ul(t->mem.size, memory_block_size_bytes());
}

static struct memory_block *mem_shp_find(u64 addr)
{
	return find_memory_block(pfn_to_section_nr(PHYS_PFN(addr)));
}

/* ------------------------------------------------------------ validate */

struct mem_shp_count {
	u64 start, end;
	unsigned long present;
	bool grouped;		/* a present block is in a memory group */
};

static int mem_shp_count_block(struct memory_block *mem, void *arg)
{
	struct mem_shp_count *c = arg;
	u64 addr = PFN_PHYS(section_nr_to_pfn(mem->start_section_nr));

	if (addr >= c->start && addr < c->end) {
		c->present++;
		c->grouped |= !!mem->group;
	}
	return 0;
}

static int mem_shp_driver_ram(struct resource *res, void *arg)
{
	*(bool *)arg = true;
	return 1;
}

/*
 * Whether a driver owns memory in the range that @c counted: a block in a
 * memory group (an ACPI memory device, virtio-mem), or driver-managed
 * System RAM (dax/kmem, virtio-mem). Such memory is added and removed only
 * by its driver. Under device_hotplug_lock, which keeps the blocks and
 * their groups as they are until the request ends.
 */
static bool mem_shp_owned(const struct mem_shp_count *c)
{
	bool driver_ram = false;

	if (c->grouped)
		return true;
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM |
			    IORESOURCE_SYSRAM_DRIVER_MANAGED, c->start, c->end - 1,
			    &driver_ram, mem_shp_driver_ram);
	return driver_ram;
}

/*
 * A range: block aligned, inside what memory hot-plug can map
 * (mhp_get_pluggable_range(), as add_memory() checks it), and present for
 * hot-remove or absent for hot-add. The blocks that exist are counted, so
 * the cost does not grow with the size a requester names.
 */
static int mem_shp_check_range(struct shp_request *req, struct shp_target *t)
{
	struct range pluggable = mhp_get_pluggable_range(true);
	struct mem_shp_count c = { .start = t->mem.start };
	unsigned long bs = memory_block_size_bytes();
	int idx = shp_target_index(req, t);

	if (req->op != SHP_OP_HOT_ADD && req->op != SHP_OP_HOT_REMOVE) {
		shp_report_blocker(req, idx, -EINVAL,
				   "range %#llx+%#llx: online and offline take memory blocks",
				   t->mem.start, t->mem.size);
		return -EINVAL;
	}
	if (!IS_ALIGNED(t->mem.start | t->mem.size, bs) ||
	    check_add_overflow(t->mem.start, t->mem.size, &c.end)) {
		shp_report_blocker(req, idx, -EINVAL,
				   "range %#llx+%#llx is not aligned to memory blocks (%#lx)",
				   t->mem.start, t->mem.size, bs);
		return -EINVAL;
	}
	if (t->mem.start < pluggable.start || c.end - 1 > pluggable.end) {
		shp_report_blocker(req, idx, -E2BIG,
				   "range %#llx+%#llx is outside the hot-pluggable range %#llx-%#llx",
				   t->mem.start, t->mem.size, pluggable.start,
				   pluggable.end);
		return -E2BIG;
	}
	for_each_memory_block(&c, mem_shp_count_block);
	/* Added or removed here, unless a firmware stage's (its commit). */
	if (!shp_next_target(req, NULL, SHP_CLASS_FIRMWARE) && mem_shp_owned(&c)) {
		shp_report_blocker(req, idx, -EPERM,
				   "range %#llx+%#llx holds memory a driver owns (a memory group or driver-managed RAM)",
				   t->mem.start, t->mem.size);
		return -EPERM;
	}
	if (req->op == SHP_OP_HOT_ADD) {
		if (t->nid < 0 || t->nid >= MAX_NUMNODES ||
		    !node_possible(t->nid)) {
			shp_report_blocker(req, idx, -EINVAL,
					   "range %#llx+%#llx: node %d is not possible",
					   t->mem.start, t->mem.size, t->nid);
			return -EINVAL;
		}
		if (t->mem.online_type != -1) {
			shp_report_blocker(req, idx, -EINVAL,
					   "hot-add onlines as the auto-online policy says");
			return -EINVAL;
		}
		if (c.present) {
			shp_report_blocker(req, idx, -EEXIST,
					   "range %#llx+%#llx: %lu blocks already present",
					   t->mem.start, t->mem.size, c.present);
			return -EEXIST;
		}
	} else if (c.present != mem_shp_nr_blocks(t)) {
		shp_report_blocker(req, idx, -ENODEV,
				   "range %#llx+%#llx: only %lu of %lu blocks present",
				   t->mem.start, t->mem.size, c.present,
				   mem_shp_nr_blocks(t));
		return -ENODEV;
	}
	return 0;
}

/* Hot-remove: the blocks of the range at @idx become targets, held. */
static int mem_shp_expand(struct shp_request *req, unsigned int idx)
{
	unsigned long bs = memory_block_size_bytes(), i, n;
	struct memory_block *mem;
	struct shp_target *t;
	u64 start;

	start = req->targets[idx].mem.start;
	n = mem_shp_nr_blocks(&req->targets[idx]);
	t = shp_request_add_targets(req, n);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < n; i++, t++) {
		/* Present: checked under the same device_hotplug_lock. */
		mem = mem_shp_find(start + (u64)i * bs);
		t->class = SHP_CLASS_MEMORY;
		t->dev = &mem->dev;
		t->nid = mem->nid;
		t->done = MEM_SHP_OF_RANGE;
	}
	return 0;
}

/* The pfns of @mem that offline_pages() works on: all but its own memmap. */
static void mem_shp_pfns(struct memory_block *mem, unsigned long *start,
			 unsigned long *nr)
{
	*start = section_nr_to_pfn(mem->start_section_nr);
	*nr = PHYS_PFN(memory_block_size_bytes());
	if (mem->altmap) {
		*start += mem->altmap->free;
		*nr -= mem->altmap->free;
	}
}

static int mem_shp_count_ram(unsigned long start, unsigned long nr, void *arg)
{
	*(unsigned long *)arg += nr;
	return 0;
}

/*
 * As offline_pages() checks first: a block with memory holes never goes
 * offline (-EINVAL). Asked of the resource tree, as it does; no struct page
 * of a hole is touched (its memmap may not exist).
 */
static bool mem_shp_has_holes(struct memory_block *mem)
{
	unsigned long start, nr, ram = 0;

	mem_shp_pfns(mem, &start, &nr);
	walk_system_ram_range(start, nr, &ram, mem_shp_count_ram);
	return ram != nr;
}

/*
 * As page isolation in offline_pages() finds them, once the block is known
 * to have no holes: reserved pages never move (-EBUSY).
 */
static bool mem_shp_has_reserved(struct memory_block *mem)
{
	unsigned long pfn, nr, end;

	mem_shp_pfns(mem, &pfn, &nr);
	for (end = pfn + nr; pfn < end; pfn++)
		if (PageReserved(pfn_to_page(pfn)))
			return true;
	return false;
}

static int mem_shp_check_block(struct shp_request *req, struct shp_target *t)
{
	struct memory_block *mem = mem_shp_block(t);
	int idx = shp_target_index(req, t);

	if (req->op == SHP_OP_HOT_ADD ||
	    (req->op == SHP_OP_HOT_REMOVE && !(t->done & MEM_SHP_OF_RANGE))) {
		shp_report_blocker(req, idx, -EINVAL,
				   "%s: hot-add and hot-remove take physical ranges",
				   dev_name(t->dev));
		return -EINVAL;
	}
	if (req->op == SHP_OP_ONLINE) {
		if (t->mem.online_type > MMOP_ONLINE_MOVABLE) {
			shp_report_blocker(req, idx, -EINVAL,
					   "%s: unknown online type %d",
					   dev_name(t->dev), t->mem.online_type);
			return -EINVAL;
		}
#ifdef CONFIG_MEMORY_FAILURE
		if (mem->state == MEM_OFFLINE &&
		    atomic_long_read(&mem->nr_hwpoison)) {
			shp_report_blocker(req, idx, -EHWPOISON,
					   "%s has poisoned pages",
					   dev_name(t->dev));
			return -EHWPOISON;
		}
#endif
		return 0;
	}
	if (mem->state != MEM_ONLINE)
		return 0;
	/* As memory_block_offline(): one zone, or it cannot go. */
	if (!mem->zone) {
		shp_report_blocker(req, idx, -EINVAL, "%s spans several zones",
				   dev_name(t->dev));
		return -EINVAL;
	}
	if (mem_shp_has_holes(mem)) {
		shp_report_blocker(req, idx, -EINVAL, "%s has memory holes",
				   dev_name(t->dev));
		return -EINVAL;
	}
	if (mem_shp_has_reserved(mem)) {
		shp_report_blocker(req, idx, -EBUSY,
				   "%s holds reserved (unmovable) pages",
				   dev_name(t->dev));
		return -EBUSY;
	}
	return 0;
}

static int mem_shp_validate(struct shp_handler *h, struct shp_request *req)
{
	unsigned int i, n = req->nr_targets;
	struct shp_target *t;
	int ret = 0, err;

	/* Ranges first: a hot-remove's blocks become targets here. */
	for (i = 0; i < n; i++) {
		t = &req->targets[i];
		if (t->class != SHP_CLASS_MEMORY || t->dev)
			continue;
		err = mem_shp_check_range(req, t);
		if (!err && req->op == SHP_OP_HOT_REMOVE)
			err = mem_shp_expand(req, i);
		ret = ret ?: err;
	}
	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY)) {
		if (!t->dev)
			continue;
		/* Every page of every block is read: stop on abort. */
		if (shp_request_aborted(req)) {
			shp_report_blocker(req, -1, -EINTR, "aborted");
			return -EINTR;
		}
		err = mem_shp_check_block(req, t);
		ret = ret ?: err;
		/* A block's pages are many: let others run between. */
		cond_resched();
	}
	return ret;
}

/* ------------------------------------------------------------ blocks */

/*
 * Online again a block that this request took offline, in the zone it was
 * in. Onlining picks the zone from the zone spans (zone_for_pfn_range()),
 * and offlining may have shrunk the span of the zone it left (a block at
 * the top of ZONE_DMA32, say): a block that lands in another zone is
 * reported as left there, which makes the request PARTIAL.
 */
static int mem_shp_reonline(struct shp_request *req, struct shp_target *t)
{
	struct memory_block *mem = mem_shp_block(t);
	int zid = (int)FIELD_GET(MEM_SHP_ZONE, t->done) - 1;
	int idx = shp_target_index(req, t);
	int err;

	BUILD_BUG_ON(FIELD_MAX(MEM_SHP_ZONE) <= MAX_NR_ZONES);
	mem->online_type = zid == ZONE_MOVABLE ? MMOP_ONLINE_MOVABLE :
						 MMOP_ONLINE_KERNEL;
	err = device_online(t->dev);
	if (err < 0) {
		shp_report_left(req, idx, err, "%s left offline",
				dev_name(t->dev));
		return err;
	}
	if (zid >= 0 && mem->zone && zone_idx(mem->zone) != zid)
		shp_report_left(req, idx, 0, "%s online again in zone %s, not %s",
				dev_name(t->dev), mem->zone->name,
				NODE_DATA(mem->nid)->node_zones[zid].name);
	return 0;
}

/* Undo the blocks before @end that this request changed, newest first. */
static int mem_shp_undo(struct shp_request *req, struct shp_target *end)
{
	bool offline = !shp_is_up(req->op);
	struct shp_target *t;
	int ret = 0, err;

	for (t = end - 1; t >= req->targets; t--) {
		if (t->class != SHP_CLASS_MEMORY || !t->dev ||
		    !(t->done & SHP_TARGET_CHANGED))
			continue;
		if (offline) {
			err = mem_shp_reonline(req, t);
		} else {
			err = device_offline(t->dev);
			if (err < 0)
				shp_report_left(req, shp_target_index(req, t),
						err, "%s left online",
						dev_name(t->dev));
		}
		if (err < 0) {
			ret = ret ?: err;
			continue;
		}
		t->done &= ~(SHP_TARGET_CHANGED | MEM_SHP_ZONE);
	}
	return ret;
}

/*
 * Online or offline the block of @t; record a change. Return: 0 if it
 * changed, 1 if it was in that state already, or a negative errno.
 */
static int mem_shp_change_block(struct shp_request *req, struct shp_target *t,
				bool offline)
{
	struct memory_block *mem = mem_shp_block(t);
	unsigned long zone = mem->zone ? zone_idx(mem->zone) + 1 : 0;
	int ret;

	/* offline_pages() stops on the SIGINT of an abort; online does not. */
	if (shp_request_aborted(req)) {
		ret = -EINTR;
	} else if (offline) {
		ret = device_offline(t->dev);
	} else {
		/* Protected by device_hotplug_lock, as state_store() says. */
		if (req->op == SHP_OP_HOT_ADD)
			mem->online_type = mhp_get_default_online_type();
		else if (t->mem.online_type >= 0)
			mem->online_type = t->mem.online_type;
		ret = device_online(t->dev);
	}
	if (!ret)
		t->done |= SHP_TARGET_CHANGED |
			   (offline ? FIELD_PREP(MEM_SHP_ZONE, zone) : 0);
	return ret;
}

/*
 * Online or offline every block target: offline and hot-remove take them
 * offline, online and hot-add bring them online. Offline makes two passes,
 * as acpi_scan_try_to_offline() does: a block that fails in the first may
 * hold what the pages of the others need (memcg data), so it is tried
 * again once they are offline, and only a failure then fails the step.
 * If no block went offline in the first pass (one block, as a sysfs write
 * names), nothing changed for a second one: there is none.
 */
static int mem_shp_change_blocks(struct shp_request *req)
{
	bool offline = !shp_is_up(req->op), changed = false;
	struct shp_target *t;
	int ret, failed = 0;

	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY)) {
		if (!t->dev)
			continue;
		ret = mem_shp_change_block(req, t, offline);
		changed |= !ret;
		if (ret < 0 && (!offline || ret == -EINTR))
			goto undo;
		if (ret < 0)
			failed = failed ?: ret;
	}
	if (!failed)
		return 0;
	/* Nothing went offline: a second pass would find what the first did. */
	ret = failed;
	if (!changed)
		goto undo;
	/* Those not changed: the ones that failed, and any offline already. */
	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY)) {
		if (!t->dev || (t->done & SHP_TARGET_CHANGED))
			continue;
		ret = mem_shp_change_block(req, t, offline);
		if (ret < 0)
			goto undo;
	}
	return 0;
undo:
	mem_shp_undo(req, req->targets + req->nr_targets);
	return ret;
}

/* ------------------------------------------------------------ ranges */

static int mem_shp_offline_cb(struct memory_block *mem, void *arg)
{
	int ret = device_offline(&mem->dev);

	return ret < 0 ? ret : 0;
}

static int mem_shp_online_cb(struct memory_block *mem, void *arg)
{
	return mem->state == MEM_ONLINE ? 0 : -EIO;
}

/* Offline what is online in the range, then remove it. */
static int mem_shp_remove_range(struct shp_request *req, struct shp_target *t)
{
	int ret;

	if (!IS_ENABLED(CONFIG_MEMORY_HOTREMOVE))
		ret = -EOPNOTSUPP;
	else
		ret = walk_memory_blocks(t->mem.start, t->mem.size, NULL,
					 mem_shp_offline_cb);
	if (ret) {
		shp_report_left(req, shp_target_index(req, t), ret,
				"range %#llx+%#llx left present",
				t->mem.start, t->mem.size);
		return ret;
	}
	__remove_memory(t->mem.start, t->mem.size);
	return 0;
}

/* Remove the ranges before @end that this request added, newest first. */
static int mem_shp_unadd(struct shp_request *req, struct shp_target *end)
{
	struct shp_target *t;
	int ret = 0, err;

	for (t = end - 1; t >= req->targets; t--) {
		if (t->class != SHP_CLASS_MEMORY || t->dev ||
		    !(t->done & SHP_TARGET_CHANGED))
			continue;
		err = mem_shp_remove_range(req, t);
		if (err) {
			ret = ret ?: err;
			continue;
		}
		t->done &= ~SHP_TARGET_CHANGED;
	}
	return ret;
}

/*
 * Add every range; the auto-online policy onlines it, or it fails. Blocks
 * that a firmware stage added come online as the policy says, or it fails.
 */
static int mem_shp_add(struct shp_request *req)
{
	bool online = mhp_get_default_online_type() != MMOP_OFFLINE;
	struct shp_target *t;
	int ret;

	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY)) {
		if (t->dev)
			continue;
		ret = __add_memory(t->nid, t->mem.start, t->mem.size, MHP_NONE);
		if (ret)
			goto undo;
		t->done |= SHP_TARGET_CHANGED;
		/* __add_memory() ignores blocks that the policy could not online. */
		ret = online ? walk_memory_blocks(t->mem.start, t->mem.size,
						  NULL, mem_shp_online_cb) : 0;
		if (ret) {
			shp_report_blocker(req, shp_target_index(req, t), ret,
					   "range %#llx+%#llx did not all come online",
					   t->mem.start, t->mem.size);
			t++;
			goto undo;
		}
	}
	/* On failure, the blocks that came online went offline again. */
	ret = online ? mem_shp_change_blocks(req) : 0;
	if (!ret)
		return 0;
	t = req->targets + req->nr_targets;
undo:
	mem_shp_unadd(req, t);
	return ret;
}

/* ------------------------------------------------------------ steps */

static int mem_shp_execute(struct shp_handler *h, struct shp_request *req)
{
	if (req->op == SHP_OP_HOT_ADD)
		return mem_shp_add(req);
	return mem_shp_change_blocks(req);
}

static int mem_shp_rollback(struct shp_handler *h, struct shp_request *req)
{
	struct shp_target *end = req->targets + req->nr_targets;

	int ret = mem_shp_undo(req, end);

	if (req->op == SHP_OP_HOT_ADD)
		return mem_shp_unadd(req, end) ?: ret;
	return ret;
}

/*
 * Hot-remove: every block of every range is offline now; remove them.
 * When a firmware object is ejected in the same request, its own removal
 * (ACPI: the memory device's detach) removes them, with its memory group.
 */
static int mem_shp_commit(struct shp_handler *h, struct shp_request *req)
{
	struct shp_target *t;
	int ret;

	if (req->op != SHP_OP_HOT_REMOVE ||
	    shp_next_target(req, NULL, SHP_CLASS_FIRMWARE))
		return 0;
	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY)) {
		if (t->dev)
			continue;
		ret = mem_shp_remove_range(req, t);
		if (ret)
			return ret;
		t->done |= SHP_TARGET_CHANGED;
	}
	return 0;
}

static struct shp_handler mem_shp_handler = {
	.name = "memory",
	.stage = SHP_STAGE_MEMORY,
	.classes = BIT(SHP_CLASS_MEMORY),
	.validate = mem_shp_validate,
	.execute = mem_shp_execute,
	.rollback = mem_shp_rollback,
	.commit = mem_shp_commit,
};

/* ------------------------------------------------------------ nodes */

/* The node a CPU or memory target is on, or NUMA_NO_NODE. */
static int node_shp_nid(struct shp_target *t)
{
	if (t->class == SHP_CLASS_CPU && t->dev)
		return cpu_to_node(t->dev->id);
	if (t->class == SHP_CLASS_MEMORY && t->dev)
		return mem_shp_block(t)->nid;
	return t->nid;
}

static bool node_shp_listed(struct shp_request *req, int nid)
{
	struct shp_target *t;

	for (t = shp_next_target(req, NULL, SHP_CLASS_NODE); t;
	     t = shp_next_target(req, t, SHP_CLASS_NODE))
		if (t->nid == nid)
			return true;
	return false;
}

/* Whether @req names @dev as a target (and so changes it). */
static bool node_shp_targets(struct shp_request *req, struct device *dev)
{
	unsigned int i;

	for (i = 0; i < req->nr_targets; i++)
		if (req->targets[i].dev == dev)
			return true;
	return false;
}

struct node_shp_keep {
	struct shp_request *req;
	int idx;
	int nid;
	int ret;
};

static void node_shp_kept(struct node_shp_keep *k, const char *what)
{
	shp_report_blocker(k->req, k->idx, -EBUSY, "%s keeps node%d online",
			   what, k->nid);
	k->ret = -EBUSY;
}

static int node_shp_keep_block(struct memory_block *mem, void *arg)
{
	struct node_shp_keep *k = arg;

	if (mem->nid == k->nid && !node_shp_targets(k->req, &mem->dev))
		node_shp_kept(k, dev_name(&mem->dev));
	return 0;
}

/*
 * Hot-remove of a node the requester named: what try_offline_node() would
 * find on it, and the request does not remove, keeps it online; each one
 * is a blocker: a present CPU, a memory block, and memory no block
 * describes (ZONE_DEVICE, which spans the node's pages without blocks).
 */
static int node_shp_check_remove(struct shp_request *req, struct shp_target *t)
{
	struct node_shp_keep k = {
		.req = req, .idx = shp_target_index(req, t), .nid = t->nid,
	};
	struct device *dev;
	unsigned int cpu;
	char name[16];

	if (!node_online(t->nid))
		return 0;
	for_each_present_cpu(cpu) {
		if (cpu_to_node(cpu) != t->nid)
			continue;
		dev = get_cpu_device(cpu);
		if (dev && node_shp_targets(req, dev))
			continue;
		snprintf(name, sizeof(name), "cpu%u", cpu);
		node_shp_kept(&k, name);
	}
	for_each_memory_block(&k, node_shp_keep_block);
#ifdef CONFIG_ZONE_DEVICE
	if (NODE_DATA(t->nid)->node_zones[ZONE_DEVICE].spanned_pages)
		node_shp_kept(&k, "ZONE_DEVICE memory");
#endif
	return k.ret;
}

/*
 * The nodes of the request become node targets: those of new hardware on
 * hot-add, those of everything removed on hot-remove. A node the requester
 * named must end in the requested state, or validate refuses the request.
 */
static int node_shp_validate(struct shp_handler *h, struct shp_request *req)
{
	bool add = req->op == SHP_OP_HOT_ADD;
	unsigned int i, n = req->nr_targets;
	struct shp_target *t;
	int nid, ret = 0, err;

	for (t = shp_next_target(req, NULL, SHP_CLASS_NODE); t;
	     t = shp_next_target(req, t, SHP_CLASS_NODE)) {
		t->done |= NODE_SHP_NAMED;
		if (!add && node_possible(t->nid)) {
			err = node_shp_check_remove(req, t);
			ret = ret ?: err;
		}
	}
	for (i = 0; i < n; i++) {
		t = &req->targets[i];
		if ((t->class != SHP_CLASS_CPU && t->class != SHP_CLASS_MEMORY) ||
		    (add && t->dev) || (!add && !t->dev))
			continue;
		nid = node_shp_nid(t);
		if (nid < 0 || nid >= MAX_NUMNODES || node_shp_listed(req, nid))
			continue;
		t = shp_request_add_targets(req, 1);
		if (!t)
			return -ENOMEM;
		t->class = SHP_CLASS_NODE;
		t->nid = nid;
	}
	for (t = shp_next_target(req, NULL, SHP_CLASS_NODE); t;
	     t = shp_next_target(req, t, SHP_CLASS_NODE)) {
		if (!node_possible(t->nid)) {
			shp_report_blocker(req, shp_target_index(req, t), -EINVAL,
					   "node%d is not possible", t->nid);
			ret = ret ?: -EINVAL;
		}
		if (node_online(t->nid))
			t->done |= NODE_SHP_WAS_ONLINE;
	}
	return ret;
}

/* Offline the nodes before @end that this request onlined, newest first. */
static int node_shp_undo(struct shp_request *req, struct shp_target *end)
{
	struct shp_target *t;
	int ret = 0;

	for (t = end - 1; t >= req->targets; t--) {
		if (t->class != SHP_CLASS_NODE ||
		    !(t->done & SHP_TARGET_CHANGED))
			continue;
		try_offline_node(t->nid);
		if (node_online(t->nid)) {
			shp_report_left(req, shp_target_index(req, t), -EBUSY,
					"node%d left online", t->nid);
			ret = ret ?: -EBUSY;
			continue;
		}
		t->done &= ~SHP_TARGET_CHANGED;
	}
	return ret;
}

/* Hot-add: bring the nodes online before anything is added to them. */
static int node_shp_execute(struct shp_handler *h, struct shp_request *req)
{
	struct shp_target *t;
	int ret;

	if (req->op != SHP_OP_HOT_ADD)
		return 0;
	for (t = shp_next_target(req, NULL, SHP_CLASS_NODE); t;
	     t = shp_next_target(req, t, SHP_CLASS_NODE)) {
		if (node_online(t->nid))
			continue;
		ret = try_online_node(t->nid);
		if (ret < 0) {
			node_shp_undo(req, t);
			return ret;
		}
		t->done |= SHP_TARGET_CHANGED;
	}
	return 0;
}

static int node_shp_rollback(struct shp_handler *h, struct shp_request *req)
{
	return node_shp_undo(req, req->targets + req->nr_targets);
}

/*
 * Hot-remove: a node with no memory and no CPU left goes offline. A node
 * the requester named that stays online is reported: the request did not
 * do what it was asked.
 */
static int node_shp_commit(struct shp_handler *h, struct shp_request *req)
{
	struct shp_target *t;
	int ret = 0;

	if (req->op != SHP_OP_HOT_REMOVE)
		return 0;
	for (t = shp_next_target(req, NULL, SHP_CLASS_NODE); t;
	     t = shp_next_target(req, t, SHP_CLASS_NODE)) {
		if (node_online(t->nid))
			try_offline_node(t->nid);
		if ((t->done & NODE_SHP_WAS_ONLINE) && !node_online(t->nid))
			t->done |= SHP_TARGET_CHANGED;
		if ((t->done & NODE_SHP_NAMED) && node_online(t->nid)) {
			shp_report_left(req, shp_target_index(req, t), -EBUSY,
					"node%d left online", t->nid);
			ret = ret ?: -EBUSY;
		}
	}
	return ret;
}

static struct shp_handler node_shp_handler = {
	.name = "node",
	.stage = SHP_STAGE_NODE,
	.classes = BIT(SHP_CLASS_CPU) | BIT(SHP_CLASS_MEMORY) |
		   BIT(SHP_CLASS_NODE),
	.validate = node_shp_validate,
	.execute = node_shp_execute,
	.rollback = node_shp_rollback,
	.commit = node_shp_commit,
};

static int __init mem_shp_init(void)
{
	int ret;

	mem_shp_handler.ops = BIT(SHP_OP_ONLINE) | BIT(SHP_OP_HOT_ADD);
	node_shp_handler.ops = BIT(SHP_OP_HOT_ADD);
	/*
	 * Without it, offline_pages() and try_offline_node() are stubs: no
	 * handler then covers a memory hot-remove, which the core refuses
	 * (-EOPNOTSUPP) rather than ending it ok with the memory in place.
	 */
	if (IS_ENABLED(CONFIG_MEMORY_HOTREMOVE)) {
		mem_shp_handler.ops |= BIT(SHP_OP_OFFLINE) |
				       BIT(SHP_OP_HOT_REMOVE);
		node_shp_handler.ops |= BIT(SHP_OP_HOT_REMOVE);
	}
	ret = shp_register_handler(&node_shp_handler);
	if (ret)
		return ret;
	ret = shp_register_handler(&mem_shp_handler);
	if (ret)
		shp_unregister_handler(&node_shp_handler);
	return ret;
}
subsys_initcall(mem_shp_init);
