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
 * the other stages are done). Offline of a node is the offline of every
 * CPU and memory block on it, as one request; online of a node brings
 * back what the last offline of it took down.
 *
 * Every step runs under device_hotplug_lock, so the functions called here
 * are the ones that expect it held (__add_memory(), __remove_memory(),
 * try_offline_node()), never those that take it (add_memory(),
 * remove_memory()).
 */

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
#include <linux/overflow.h>
#include <linux/string.h>
#include <linux/property.h>
#include <linux/sys_hotplug.h>
#include <linux/topology.h>
#include <linux/xarray.h>

static struct memory_block *mem_shp_block(const struct shp_target *t)
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
 * The shape of a range: block aligned, inside what memory hot-plug can map
 * (mhp_get_pluggable_range(), as add_memory() checks it), and present for
 * hot-remove or absent for hot-add. The blocks that exist are counted in
 * @c, so the cost does not grow with the size a requester names. Reports
 * the blocker if @report.
 */
static int mem_shp_check_shape(struct shp_request *req, struct shp_target *t,
			       struct mem_shp_count *c, bool report)
{
	struct range pluggable = mhp_get_pluggable_range(true);
	unsigned long bs = memory_block_size_bytes();
	int idx = shp_target_index(req, t);

	c->start = t->mem.start;
	if (req->op != SHP_OP_HOT_ADD && req->op != SHP_OP_HOT_REMOVE) {
		if (report)
			shp_report_blocker(req, idx, -EINVAL,
					   "range %#llx+%#llx: online and offline take memory blocks",
					   t->mem.start, t->mem.size);
		return -EINVAL;
	}
	if (!IS_ALIGNED(t->mem.start | t->mem.size, bs) ||
	    check_add_overflow(t->mem.start, t->mem.size, &c->end)) {
		if (report)
			shp_report_blocker(req, idx, -EINVAL,
					   "range %#llx+%#llx is not aligned to memory blocks (%#lx)",
					   t->mem.start, t->mem.size, bs);
		return -EINVAL;
	}
	if (t->mem.start < pluggable.start || c->end - 1 > pluggable.end) {
		if (report)
			shp_report_blocker(req, idx, -E2BIG,
					   "range %#llx+%#llx is outside the hot-pluggable range %#llx-%#llx",
					   t->mem.start, t->mem.size,
					   pluggable.start, pluggable.end);
		return -E2BIG;
	}
	for_each_memory_block(c, mem_shp_count_block);
	if (req->op == SHP_OP_HOT_ADD && c->present) {
		if (report)
			shp_report_blocker(req, idx, -EEXIST,
					   "range %#llx+%#llx: %lu blocks already present",
					   t->mem.start, t->mem.size, c->present);
		return -EEXIST;
	}
	if (req->op == SHP_OP_HOT_REMOVE && c->present != mem_shp_nr_blocks(t)) {
		if (report)
			shp_report_blocker(req, idx, -ENODEV,
					   "range %#llx+%#llx: only %lu of %lu blocks present",
					   t->mem.start, t->mem.size, c->present,
					   mem_shp_nr_blocks(t));
		return -ENODEV;
	}
	return 0;
}

/*
 * A range: its shape, and who may add or remove it. A range a firmware
 * object holds is removed with that object (its handler marked it); any
 * other is added and removed here, unless a driver owns it.
 */
static int mem_shp_check_range(struct shp_request *req, struct shp_target *t)
{
	struct mem_shp_count c = { };
	int idx = shp_target_index(req, t);
	int ret;

	ret = mem_shp_check_shape(req, t, &c, true);
	if (ret)
		return ret;
	/*
	 * The memory of a node that no firmware object removes (boot memory)
	 * would be gone for good: adding it again takes a raw range, which
	 * is for testing only.
	 */
	if (req->op == SHP_OP_HOT_REMOVE && t->parent >= 0 &&
	    !(t->flags & SHP_TARGET_FW_REMOVES) &&
	    !IS_ENABLED(CONFIG_SYS_HOTPLUG_RAW_RANGES)) {
		shp_report_blocker(req, idx, -EPERM,
				   "range %#llx+%#llx: no firmware object removes it",
				   t->mem.start, t->mem.size);
		return -EPERM;
	}
	if (!(t->flags & SHP_TARGET_FW_REMOVES) && mem_shp_owned(&c)) {
		shp_report_blocker(req, idx, -EPERM,
				   "range %#llx+%#llx holds memory a driver owns (a memory group or driver-managed RAM)",
				   t->mem.start, t->mem.size);
		return -EPERM;
	}
	if (req->op != SHP_OP_HOT_ADD)
		return 0;
	if (t->nid < 0 || t->nid >= MAX_NUMNODES || !node_possible(t->nid)) {
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
	return 0;
}

/*
 * Hot-remove: the blocks of every well-formed range become targets, held,
 * so that the steps and the node stage see them. A range that is not
 * well-formed is left to validate, which reports it.
 */
static int mem_shp_expand(struct shp_handler *h, struct shp_request *req)
{
	unsigned long bs = memory_block_size_bytes(), i, n, r;
	unsigned int nr = req->nr_targets;
	struct memory_block *mem;
	struct shp_target *t;
	u64 start;

	for (r = 0; r < nr; r++) {
		struct mem_shp_count c = { };

		t = req->targets[r];
		if (t->class != SHP_CLASS_MEMORY || t->dev ||
		    mem_shp_check_shape(req, t, &c, false))
			continue;
		start = t->mem.start;
		n = mem_shp_nr_blocks(t);
		t = shp_request_add_targets(req, n);
		if (!t)
			return -ENOMEM;
		for (i = 0; i < n; i++, t++) {
			/* Present: counted under the same device_hotplug_lock. */
			mem = mem_shp_find(start + (u64)i * bs);
			t->class = SHP_CLASS_MEMORY;
			t->nid = mem->nid;
			t->parent = r;
			shp_target_set_device(t, &mem->dev);
			put_device(&mem->dev);
		}
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
 * to have no holes: reserved pages never move (-EBUSY). Reads every struct
 * page of the block.
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

static int mem_shp_check_block(struct shp_request *req, struct shp_target *t,
			       bool walk_pages)
{
	struct memory_block *mem = mem_shp_block(t);
	int idx = shp_target_index(req, t);

	if (req->op == SHP_OP_HOT_ADD ||
	    (req->op == SHP_OP_HOT_REMOVE && t->parent < 0)) {
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
	if (walk_pages && mem_shp_has_reserved(mem)) {
		shp_report_blocker(req, idx, -EBUSY,
				   "%s holds reserved (unmovable) pages",
				   dev_name(t->dev));
		return -EBUSY;
	}
	return 0;
}

static int mem_shp_validate(struct shp_handler *h, struct shp_request *req)
{
	/*
	 * Only a dry run reads every page for reserved ones: it must answer
	 * without changing anything. A request that offlines leaves them to
	 * offline_pages(), whose page isolation fails on one with the same
	 * -EBUSY before that block changes, as a write of its state file or
	 * an ACPI eject does; the blocks before it come back in the
	 * rollback, as they do after acpi_scan_try_to_offline(). Walking them
	 * here too cost 0.6 ms a block under TCG on every successful offline
	 * (9 ms of a 2 GiB DIMM's removal) to spare only failing ones.
	 */
	bool walk_pages = req->flags & SHP_REQ_VALIDATE_ONLY;
	struct shp_target *t;
	int ret = 0, err;

	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY)) {
		if (!t->dev) {
			err = mem_shp_check_range(req, t);
			ret = ret ?: err;
			continue;
		}
		/* Every page of every block may be read: stop on abort. */
		if (shp_request_aborted(req)) {
			shp_report_blocker(req, -1, -EINTR, "aborted");
			return -EINTR;
		}
		err = mem_shp_check_block(req, t, walk_pages);
		ret = ret ?: err;
		/* A block's pages are many: let others run between. */
		cond_resched();
	}
	return ret;
}

/* ------------------------------------------------------------ blocks */

/*
 * Offline a block; @data keeps one more than the index of the zone it
 * was in, for mem_shp_block_up() to bring it back there.
 */
static int mem_shp_block_down(struct shp_handler *h, struct shp_request *req,
			      struct shp_target *t, unsigned long *data)
{
	struct memory_block *mem;
	int ret;

	if (!t->dev)
		return 1;	/* a range: the blocks expand found go offline */
	mem = mem_shp_block(t);
	*data = mem->zone ? zone_idx(mem->zone) + 1 : 0;
	/* offline_pages() stops on a signal, or on an abort (as one). */
	ret = device_offline(t->dev);
	if (ret < 0 && shp_is_up(req->op))
		shp_report_left(req, shp_target_index(req, t), ret,
				"%s left online", dev_name(t->dev));
	return ret;
}

/*
 * Online a block: as the request says, or, undoing an offline, in the zone
 * @data recorded. Onlining picks the zone from the zone spans
 * (zone_for_pfn_range()), and offlining may have shrunk the span of the
 * zone it left (a block at the top of ZONE_DMA32, say): a block that
 * lands in another zone is reported as left there, which makes the
 * request PARTIAL.
 */
static int mem_shp_block_up(struct shp_handler *h, struct shp_request *req,
			    struct shp_target *t, unsigned long *data)
{
	struct memory_block *mem = mem_shp_block(t);
	int idx = shp_target_index(req, t);
	int zid = (int)*data - 1;
	int ret;

	/* Protected by device_hotplug_lock, as state_store() says. */
	if (!shp_is_up(req->op))
		mem->online_type = zid == ZONE_MOVABLE ? MMOP_ONLINE_MOVABLE :
							 MMOP_ONLINE_KERNEL;
	else if (t->mem.online_type >= 0)
		mem->online_type = t->mem.online_type;
	ret = device_online(t->dev);
	if (ret < 0 && !shp_is_up(req->op))
		shp_report_left(req, idx, ret, "%s left offline",
				dev_name(t->dev));
	if (ret || zid < 0 || !mem->zone || zone_idx(mem->zone) == zid)
		return ret;
	shp_report_left(req, idx, 0, "%s online again in zone %s, not %s",
			dev_name(t->dev), mem->zone->name,
			NODE_DATA(mem->nid)->node_zones[zid].name);
	return 0;
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

/*
 * Hot-add: add a range, which the auto-online policy onlines, or it fails;
 * bring online, as the policy says, a block that a firmware stage added.
 */
static int mem_shp_add(struct shp_handler *h, struct shp_request *req,
		       struct shp_target *t, unsigned long *data)
{
	bool online = mhp_get_default_online_type() != MMOP_OFFLINE;
	int ret;

	if (t->dev) {
		if (!online)
			return 1;
		/* Protected by device_hotplug_lock, as state_store() says. */
		mem_shp_block(t)->online_type = mhp_get_default_online_type();
		return device_online(t->dev);
	}
	ret = __add_memory(t->nid, t->mem.start, t->mem.size, MHP_NONE);
	if (ret || !online)
		return ret;
	/* __add_memory() ignores blocks that the policy could not online. */
	ret = walk_memory_blocks(t->mem.start, t->mem.size, NULL,
				 mem_shp_online_cb);
	if (!ret)
		return 0;
	shp_report_blocker(req, shp_target_index(req, t), ret,
			   "range %#llx+%#llx did not all come online",
			   t->mem.start, t->mem.size);
	/* This target did not change: what it added goes. */
	mem_shp_remove_range(req, t);
	return ret;
}

/* The inverse of mem_shp_add(). */
static int mem_shp_unadd(struct shp_handler *h, struct shp_request *req,
			 struct shp_target *t, unsigned long *data)
{
	if (!t->dev)
		return mem_shp_remove_range(req, t);
	return mem_shp_block_down(h, req, t, data);
}

/*
 * Hot-remove: every block of the range is offline now; remove it, unless
 * the firmware object that holds it removes it (ACPI: the memory device's
 * detach), with its memory group. The blocks themselves have no commit.
 */
static int mem_shp_commit(struct shp_handler *h, struct shp_request *req,
			  struct shp_target *t)
{
	if (t->dev || (t->flags & SHP_TARGET_FW_REMOVES))
		return 0;
	return mem_shp_remove_range(req, t);
}

static const struct shp_steps mem_shp_hot_add = {
	.validate = mem_shp_validate,
	.execute = mem_shp_add,
	.undo = mem_shp_unadd,
};

static const struct shp_steps mem_shp_online = {
	.validate = mem_shp_validate,
	.execute = mem_shp_block_up,
	.undo = mem_shp_block_down,
};

/*
 * Offline makes two passes, as acpi_scan_try_to_offline() does: a block
 * that fails in the first may hold what the pages of the others need
 * (memcg data), so it is tried again once they are offline.
 */
static const struct shp_steps mem_shp_offline = {
	.validate = mem_shp_validate,
	.execute = mem_shp_block_down,
	.undo = mem_shp_block_up,
	.retry = true,
};

static const struct shp_steps mem_shp_hot_remove = {
	.expand = mem_shp_expand,
	.validate = mem_shp_validate,
	.execute = mem_shp_block_down,
	.undo = mem_shp_block_up,
	.retry = true,
	.commit = mem_shp_commit,
};

/* ------------------------------------------------------------ request file */

/* The physical range [@start, @end) that memory target @t covers. */
static void mem_shp_span(const struct shp_target *t, u64 *start, u64 *end)
{
	const struct memory_block *mem;

	if (!t->dev) {
		*start = t->mem.start;
		*end = t->mem.start + t->mem.size;
		return;
	}
	mem = mem_shp_block(t);
	*start = PFN_PHYS(section_nr_to_pfn(mem->start_section_nr));
	*end = *start + memory_block_size_bytes();
}

/* Whether a memory target of @req covers any of [@start, @end). */
static bool mem_shp_named(struct shp_request *req, u64 start, u64 end)
{
	struct shp_target *t;
	u64 s, e;

	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY)) {
		mem_shp_span(t, &s, &e);
		if (s < end && start < e)
			return true;
	}
	return false;
}

/*
 * "mem:START+SIZE[@NID]": a physical range, for add (on node NID) and
 * remove; for testing only (CONFIG_SYS_HOTPLUG_RAW_RANGES). Validate
 * refuses a range that a driver owns.
 */
static int mem_shp_parse_range(struct shp_request *req, char *spec)
{
	char *size = strchr(spec, '+'), *node;
	u64 start, len, end, nid = NUMA_NO_NODE;
	struct shp_target *t;

	if (!IS_ENABLED(CONFIG_SYS_HOTPLUG_RAW_RANGES))
		return -EOPNOTSUPP;
	if (req->op != SHP_OP_HOT_ADD && req->op != SHP_OP_HOT_REMOVE)
		return -EINVAL;
	if (!size)
		return -EINVAL;
	*size++ = '\0';
	node = strchr(size, '@');
	if (node) {
		*node++ = '\0';
		/* The node of a range that exists is its blocks'. */
		if (req->op != SHP_OP_HOT_ADD ||
		    shp_parse_u64(node, 10, &nid) || nid >= MAX_NUMNODES)
			return -EINVAL;
	}
	if (shp_parse_u64(spec, 0, &start) || shp_parse_u64(size, 0, &len) ||
	    !len || check_add_overflow(start, len, &end) ||
	    mem_shp_named(req, start, end))
		return -EINVAL;
	t = shp_request_add_targets(req, 1);
	if (!t)
		return -ENOMEM;
	t->class = SHP_CLASS_MEMORY;
	t->mem.start = start;
	t->mem.size = len;
	t->nid = (int)nid;
	return 0;
}

/*
 * Memory block @id, held; NULL if there is none (a block number past the
 * physical address space names nothing). Called with device_hotplug_lock.
 */
static struct memory_block *mem_shp_parse_find(u64 id)
{
	u64 start;

	if (check_mul_overflow(id, (u64)memory_block_size_bytes(), &start) ||
	    PHYS_PFN(start) > PHYS_PFN(PHYSMEM_END))
		return NULL;
	return mem_shp_find(start);
}

/*
 * "memoryN", or "memoryN-M" for every block from N to M in that order;
 * @how may pick the zone of an online as a block's state file does
 * ("online_kernel", "online_movable").
 */
static int mem_shp_parse_blocks(struct shp_request *req, char *spec,
				const char *how)
{
	u64 bs = memory_block_size_bytes(), first, last, n, i, lo, hi;
	char *dash = strchr(spec, '-');
	struct memory_block *mem;
	struct shp_target *t;
	int type = -1, ret;

	if (how) {
		type = mhp_online_type_from_str(how);
		if (type != MMOP_ONLINE_KERNEL && type != MMOP_ONLINE_MOVABLE)
			return -EINVAL;
	}
	if (dash)
		*dash++ = '\0';
	if (shp_parse_u64(spec, 10, &first) ||
	    shp_parse_u64(dash ?: spec, 10, &last) || last < first)
		return -EINVAL;
	n = last - first + 1;
	if (last - first >= SHP_PARSE_MAX_TARGETS ||
	    req->nr_targets + n > SHP_PARSE_MAX_TARGETS)
		return -E2BIG;
	/*
	 * Blocks of one size: the span of the list is all it can overlap (a
	 * span past 64 bits holds no block, which the lookup says).
	 */
	if (!check_mul_overflow(first, bs, &lo) &&
	    !check_mul_overflow(n, bs, &hi) &&
	    !check_add_overflow(lo, hi, &hi) && mem_shp_named(req, lo, hi))
		return -EINVAL;
	t = shp_request_add_targets(req, n);
	if (!t)
		return -ENOMEM;
	/*
	 * The lookups are made under device_hotplug_lock, taken once for the
	 * word; while a request holds it, the write is restarted, as a sysfs
	 * write is (-ERESTARTNOINTR).
	 */
	ret = lock_device_hotplug_sysfs();
	if (ret)
		return ret;
	for (i = 0; i < n; i++, t++) {
		t->class = SHP_CLASS_MEMORY;
		t->mem.online_type = type;
		mem = mem_shp_parse_find(first + i);
		if (!mem) {
			ret = -ENODEV;
			break;
		}
		shp_target_set_device(t, &mem->dev);
		put_device(&mem->dev);
	}
	unlock_device_hotplug();
	return ret;
}

static int mem_shp_parse(struct shp_handler *h, struct shp_request *req,
			 char *word, const char *how)
{
	if (!strncmp(word, "mem:", 4))
		return how ? -EINVAL : mem_shp_parse_range(req, word + 4);
	if (strncmp(word, "memory", 6))
		return -ENOENT;
	return mem_shp_parse_blocks(req, word + 6, how);
}

static struct shp_handler mem_shp_handler = {
	.name = "memory",
	.stage = SHP_STAGE_MEMORY,
	.classes = BIT(SHP_CLASS_MEMORY),
	.steps = {
		[SHP_OP_HOT_ADD] = &mem_shp_hot_add,
		[SHP_OP_ONLINE] = &mem_shp_online,
	},
	.parse = mem_shp_parse,
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
		if (req->targets[i]->dev == dev)
			return true;
	return false;
}

/*
 * What offline requests of a node took down since online of the node last
 * brought its devices back, so that the next online of the node brings
 * back that and nothing else (a CPU that an operator took offline on its
 * own stays offline): CPUs by number, with their node, and memory blocks
 * by block ID, with their node and the online type (MMOP_*: kernel or
 * movable) of the zone they were in. A record names a device, not what
 * happened to it since: one that is online again, or gone, is skipped; an
 * entry of another node (a CPU number or block ID reused there) is not
 * this node's. Changed by steps only, so under device_hotplug_lock.
 */
static DEFINE_XARRAY(node_shp_cpus);
static DEFINE_XARRAY(node_shp_blocks);

#define NODE_SHP_TYPE_BITS	4

static void *node_shp_entry(int nid, int online_type)
{
	return xa_mk_value(((unsigned long)nid << NODE_SHP_TYPE_BITS) |
			   online_type);
}

static int node_shp_entry_nid(void *entry)
{
	return xa_to_value(entry) >> NODE_SHP_TYPE_BITS;
}

static int node_shp_entry_type(void *entry)
{
	return xa_to_value(entry) & (BIT(NODE_SHP_TYPE_BITS) - 1);
}

/* The record of device @index on node @nid, or NULL (an older node's). */
static void *node_shp_lookup(struct xarray *xa, unsigned long index, int nid)
{
	void *e = xa_load(xa, index);

	return e && node_shp_entry_nid(e) == nid ? e : NULL;
}

/* Whether an offline of node @nid left a record. */
static bool node_shp_recorded(int nid)
{
	unsigned long i;
	void *e;

	xa_for_each(&node_shp_cpus, i, e)
		if (node_shp_entry_nid(e) == nid)
			return true;
	xa_for_each(&node_shp_blocks, i, e)
		if (node_shp_entry_nid(e) == nid)
			return true;
	return false;
}

static void node_shp_forget_node(int nid)
{
	unsigned long i;
	void *e;

	xa_for_each(&node_shp_cpus, i, e)
		if (node_shp_entry_nid(e) == nid)
			xa_erase(&node_shp_cpus, i);
	xa_for_each(&node_shp_blocks, i, e)
		if (node_shp_entry_nid(e) == nid)
			xa_erase(&node_shp_blocks, i);
}

/* The record of the device of @t, a CPU or a memory block target. */
static struct xarray *node_shp_record_of(struct shp_target *t,
					 unsigned long *index)
{
	*index = t->dev->id;
	return t->class == SHP_CLASS_CPU ? &node_shp_cpus : &node_shp_blocks;
}

/* What node target @node expands into. */
struct node_shp_walk {
	struct shp_request *req;
	struct shp_target *node;
	bool recorded;		/* online: only what the record names */
	int ret;
};

/* One CPU or block of the node, unless the request names it already. */
static struct shp_target *node_shp_add_device(struct node_shp_walk *w,
					      enum shp_class class,
					      struct device *dev)
{
	struct shp_target *t;

	if (w->ret || node_shp_targets(w->req, dev))
		return NULL;
	t = shp_request_add_targets(w->req, 1);
	if (!t) {
		w->ret = -ENOMEM;
		return NULL;
	}
	t->class = class;
	t->nid = w->node->nid;
	t->parent = w->node->index;
	shp_target_set_device(t, dev);
	return t;
}

static int node_shp_add_block(struct memory_block *mem, void *arg)
{
	struct node_shp_walk *w = arg;
	int type = -1;
	struct shp_target *t;
	void *e;

	if (mem->nid != w->node->nid)
		return 0;
	if (w->req->op == SHP_OP_OFFLINE) {
		if (mem->state != MEM_ONLINE)
			return 0;
		/* How it comes back: into the zone it is in now. */
		type = mem->zone && zone_idx(mem->zone) == ZONE_MOVABLE ?
		       MMOP_ONLINE_MOVABLE : MMOP_ONLINE_KERNEL;
	} else {
		if (mem->state != MEM_OFFLINE)
			return 0;
		e = node_shp_lookup(&node_shp_blocks, mem->dev.id, mem->nid);
		if (w->recorded && !e)
			return 0;
		if (e)
			type = node_shp_entry_type(e);
	}
	t = node_shp_add_device(w, SHP_CLASS_MEMORY, &mem->dev);
	if (t)
		t->mem.online_type = type;
	return w->ret;
}

/*
 * Offline of a node: every CPU and memory block on it that is online.
 * Online: what the last offline of the node took down and is still
 * there, or, if no offline of it left a record, everything offline on it.
 */
static int node_shp_expand_node(struct shp_request *req, struct shp_target *t)
{
	struct node_shp_walk w = { .req = req, .node = t };
	bool offline = req->op == SHP_OP_OFFLINE;
	struct device *dev;
	unsigned int cpu;

	if (!node_online(t->nid))
		return 0;
	if (!offline)
		w.recorded = node_shp_recorded(t->nid);
	for_each_present_cpu(cpu) {
		if (cpu_to_node(cpu) != t->nid || cpu_online(cpu) != offline)
			continue;
		if (!offline && w.recorded &&
		    !node_shp_lookup(&node_shp_cpus, cpu, t->nid))
			continue;
		/* A CPU not registered (yet) has no device to act on. */
		dev = get_cpu_device(cpu);
		if (dev)
			node_shp_add_device(&w, SHP_CLASS_CPU, dev);
	}
	if (!w.ret)
		for_each_memory_block(&w, node_shp_add_block);
	return w.ret;
}

static int node_shp_expand_nodes(struct shp_handler *h,
				 struct shp_request *req)
{
	struct shp_target *t;
	int ret = 0;

	for (t = shp_next_target(req, NULL, SHP_CLASS_NODE); t && !ret;
	     t = shp_next_target(req, t, SHP_CLASS_NODE))
		if (node_possible(t->nid))
			ret = node_shp_expand_node(req, t);
	return ret;
}

/* The devices of node target @t in the request are no longer recorded. */
static void node_shp_forget(struct shp_request *req, struct shp_target *t)
{
	struct shp_target *c;
	unsigned long index;
	unsigned int i;

	for (i = 0; i < req->nr_targets; i++) {
		c = req->targets[i];
		if (c->parent == t->index && c->dev)
			xa_erase(node_shp_record_of(c, &index), index);
	}
}

/*
 * Offline of a node: the CPUs and blocks its offline took down (the
 * stages before this one, on the way down) are recorded. The devices are
 * recorded by their children targets, whose parent is the node.
 */
static int node_shp_record(struct shp_handler *h, struct shp_request *req,
			   struct shp_target *t, unsigned long *data)
{
	struct xarray *xa;
	struct shp_target *c;
	unsigned long index;
	unsigned int i;
	int ret;

	for (i = 0; i < req->nr_targets; i++) {
		c = req->targets[i];
		if (c->parent != t->index || !shp_target_changed(req, c))
			continue;
		xa = node_shp_record_of(c, &index);
		ret = xa_err(xa_store(xa, index,
				      node_shp_entry(t->nid, c->class == SHP_CLASS_MEMORY ?
						     c->mem.online_type : 0),
				      GFP_KERNEL));
		if (ret) {
			/* This target did not change: what it stored goes. */
			node_shp_forget(req, t);
			return ret;
		}
		*data = 1;
	}
	return *data ? 0 : 1;
}

static int node_shp_unrecord(struct shp_handler *h, struct shp_request *req,
			     struct shp_target *t, unsigned long *data)
{
	node_shp_forget(req, t);
	return 0;
}

/* Online of a node: what its last offline took down is back. */
static int node_shp_online_commit(struct shp_handler *h,
				  struct shp_request *req,
				  struct shp_target *t)
{
	node_shp_forget_node(t->nid);
	return 0;
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

/* Node @nid becomes a target, expanded from target @parent, if it is not. */
static int node_shp_add_node(struct shp_request *req, int nid, int parent)
{
	struct shp_target *t;

	if (nid < 0 || nid >= MAX_NUMNODES || node_shp_listed(req, nid))
		return 0;
	t = shp_request_add_targets(req, 1);
	if (!t)
		return -ENOMEM;
	t->class = SHP_CLASS_NODE;
	t->nid = nid;
	t->parent = parent;
	return 0;
}

struct node_shp_of_range {
	struct shp_request *req;
	int parent;
	int ret;
};

static int node_shp_block_node(struct memory_block *mem, void *arg)
{
	struct node_shp_of_range *r = arg;

	r->ret = node_shp_add_node(r->req, mem->nid, r->parent);
	return r->ret;
}

/* Whether @req names @mem, or a range that holds it. */
static bool node_shp_names_block(struct shp_request *req,
				 struct memory_block *mem)
{
	u64 start = PFN_PHYS(section_nr_to_pfn(mem->start_section_nr));
	unsigned int i;

	for (i = 0; i < req->nr_targets; i++)
		if (req->targets[i]->dev == &mem->dev ||
		    shp_range_holds(req->targets[i], start))
			return true;
	return false;
}

/* Hot-remove of a node: its memory, as ranges, grows block by block. */
struct node_shp_ranges {
	struct shp_request *req;
	struct shp_target *node;
	struct shp_target *range;	/* the range the next block may extend */
	struct memory_group *group;	/* the memory group of that range */
	struct fwnode_handle *fwnode;	/* the firmware node of that range */
};

/*
 * Contiguous present blocks of the node, in one memory group or in none,
 * and bound to one firmware node or to none, make one range: a range
 * stays inside what one owner adds and removes (an ACPI memory device
 * describes boot memory without a memory group).
 */
static int node_shp_add_range_block(struct memory_block *mem, void *arg)
{
	struct node_shp_ranges *r = arg;
	u64 start = PFN_PHYS(section_nr_to_pfn(mem->start_section_nr));
	struct shp_target *t = r->range;

	if (mem->nid != r->node->nid)
		return 0;
	if (node_shp_names_block(r->req, mem)) {
		r->range = NULL;
		return 0;
	}
	if (t && t->mem.start + t->mem.size == start &&
	    r->group == mem->group && r->fwnode == dev_fwnode(&mem->dev)) {
		t->mem.size += memory_block_size_bytes();
		return 0;
	}
	t = shp_request_add_targets(r->req, 1);
	if (!t)
		return -ENOMEM;
	t->class = SHP_CLASS_MEMORY;
	t->nid = r->node->nid;
	t->parent = r->node->index;
	t->mem.start = start;
	t->mem.size = memory_block_size_bytes();
	t->mem.online_type = -1;
	r->range = t;
	r->group = mem->group;
	r->fwnode = dev_fwnode(&mem->dev);
	return 0;
}

/*
 * Hot-remove of a node the requester named: every present CPU and all
 * the memory of the node become targets, unless named already; the
 * firmware stage then names the objects that hold them.
 */
static int node_shp_expand_remove(struct shp_request *req,
				  struct shp_target *node)
{
	struct node_shp_ranges r = { .req = req, .node = node };
	struct node_shp_walk w = { .req = req, .node = node };
	struct device *dev;
	unsigned int cpu;
	int ret;

	/* Memory, then CPUs: the objects that hold them go in that order. */
	ret = for_each_memory_block(&r, node_shp_add_range_block);
	if (ret)
		return ret;
	for_each_present_cpu(cpu) {
		dev = get_cpu_device(cpu);
		if (cpu_to_node(cpu) == node->nid && dev)
			node_shp_add_device(&w, SHP_CLASS_CPU, dev);
	}
	return w.ret;
}

/*
 * Hot-remove: a node the requester named brings in everything on it.
 * Then the nodes of the request become node targets: those of new
 * hardware on hot-add, those of everything removed on hot-remove (of a
 * range, the nodes of its blocks).
 */
static int node_shp_expand(struct shp_handler *h, struct shp_request *req)
{
	bool add = req->op == SHP_OP_HOT_ADD;
	struct node_shp_of_range r = { .req = req };
	struct shp_target *t;
	unsigned int i;
	u64 end;
	int ret;

	for (t = shp_next_target(req, NULL, SHP_CLASS_NODE); t && !add;
	     t = shp_next_target(req, t, SHP_CLASS_NODE)) {
		if (t->parent >= 0 || !node_possible(t->nid))
			continue;
		ret = node_shp_expand_remove(req, t);
		if (ret)
			return ret;
	}
	for (i = 0; i < req->nr_targets; i++) {
		t = req->targets[i];
		if ((t->class != SHP_CLASS_CPU && t->class != SHP_CLASS_MEMORY) ||
		    (add && t->dev))
			continue;
		if (add || t->dev) {
			ret = node_shp_add_node(req, node_shp_nid(t), i);
			if (ret)
				return ret;
			continue;
		}
		/* A range validate will refuse names no node. */
		if (!t->mem.size ||
		    check_add_overflow(t->mem.start, t->mem.size, &end))
			continue;
		r.parent = i;
		walk_memory_blocks(t->mem.start, t->mem.size, &r,
				   node_shp_block_node);
		if (r.ret)
			return r.ret;
	}
	return 0;
}

/*
 * Every node must be possible. A node the requester named (no parent)
 * must end in the requested state, or validate refuses the request.
 */
static int node_shp_validate(struct shp_handler *h, struct shp_request *req)
{
	struct shp_target *t;
	int ret = 0, err;

	for (t = shp_next_target(req, NULL, SHP_CLASS_NODE); t;
	     t = shp_next_target(req, t, SHP_CLASS_NODE)) {
		if (!node_possible(t->nid)) {
			shp_report_blocker(req, shp_target_index(req, t), -EINVAL,
					   "node%d is not possible", t->nid);
			ret = ret ?: -EINVAL;
			continue;
		}
		if (req->op == SHP_OP_HOT_REMOVE && t->parent < 0) {
			err = node_shp_check_remove(req, t);
			ret = ret ?: err;
		}
	}
	return ret;
}

/* Hot-add: bring a node online before anything is added to it. */
static int node_shp_up(struct shp_handler *h, struct shp_request *req,
		       struct shp_target *t, unsigned long *data)
{
	int ret;

	if (node_online(t->nid))
		return 1;
	ret = try_online_node(t->nid);
	return ret < 0 ? ret : 0;
}

/* The inverse: a node that nothing was added to goes offline again. */
static int node_shp_down(struct shp_handler *h, struct shp_request *req,
			 struct shp_target *t, unsigned long *data)
{
	try_offline_node(t->nid);
	if (!node_online(t->nid))
		return 0;
	shp_report_left(req, shp_target_index(req, t), -EBUSY,
			"node%d left online", t->nid);
	return -EBUSY;
}

/*
 * Hot-remove: a node with no memory and no CPU left goes offline. A node
 * the requester named that stays online is reported: the request did not
 * do what it was asked.
 */
static int node_shp_commit(struct shp_handler *h, struct shp_request *req,
			   struct shp_target *t)
{
	if (node_online(t->nid))
		try_offline_node(t->nid);
	if (!node_online(t->nid))
		node_shp_forget_node(t->nid);
	if (t->parent >= 0 || !node_online(t->nid))
		return 0;
	shp_report_left(req, shp_target_index(req, t), -EBUSY,
			"node%d left online", t->nid);
	return -EBUSY;
}

static const struct shp_steps node_shp_hot_add = {
	.expand = node_shp_expand,
	.validate = node_shp_validate,
	.execute = node_shp_up,
	.undo = node_shp_down,
	.expand_classes = BIT(SHP_CLASS_CPU) | BIT(SHP_CLASS_MEMORY),
};

static const struct shp_steps node_shp_hot_remove = {
	.expand = node_shp_expand,
	.validate = node_shp_validate,
	.commit = node_shp_commit,
	.expand_classes = BIT(SHP_CLASS_CPU) | BIT(SHP_CLASS_MEMORY),
};

static const struct shp_steps node_shp_online = {
	.expand = node_shp_expand_nodes,
	.validate = node_shp_validate,
	.commit = node_shp_online_commit,
};

static const struct shp_steps node_shp_offline = {
	.expand = node_shp_expand_nodes,
	.validate = node_shp_validate,
	.execute = node_shp_record,
	.undo = node_shp_unrecord,
};

/* "nodeN" in the debugfs request file: any possible node number. */
static int node_shp_parse(struct shp_handler *h, struct shp_request *req,
			  char *word, const char *how)
{
	struct shp_target *t;
	u64 nid;

	if (strncmp(word, "node", 4))
		return -ENOENT;
	if (shp_parse_u64(word + 4, 10, &nid) || nid >= MAX_NUMNODES || how)
		return -EINVAL;
	t = shp_request_add_targets(req, 1);
	if (!t)
		return -ENOMEM;
	t->class = SHP_CLASS_NODE;
	t->nid = nid;
	return 0;
}

static struct shp_handler node_shp_handler = {
	.name = "node",
	.stage = SHP_STAGE_NODE,
	.classes = BIT(SHP_CLASS_NODE),
	.steps = {
		[SHP_OP_HOT_ADD] = &node_shp_hot_add,
		[SHP_OP_ONLINE] = &node_shp_online,
		[SHP_OP_OFFLINE] = &node_shp_offline,
	},
	.parse = node_shp_parse,
};

static int __init mem_shp_init(void)
{
	int ret;

	/*
	 * Without it, offline_pages() and try_offline_node() are stubs: no
	 * handler then covers a memory hot-remove, which the core refuses
	 * (-EOPNOTSUPP) rather than ending it ok with the memory in place.
	 */
	if (IS_ENABLED(CONFIG_MEMORY_HOTREMOVE)) {
		mem_shp_handler.steps[SHP_OP_OFFLINE] = &mem_shp_offline;
		mem_shp_handler.steps[SHP_OP_HOT_REMOVE] = &mem_shp_hot_remove;
		node_shp_handler.steps[SHP_OP_HOT_REMOVE] = &node_shp_hot_remove;
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
