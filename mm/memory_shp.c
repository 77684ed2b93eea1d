// SPDX-License-Identifier: GPL-2.0
/*
 * Memory steps of the system device hot-plug sequencer: online and offline
 * memory blocks, all or nothing for a request of many.
 */

#include <linux/device.h>
#include <linux/init.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mmzone.h>
#include <linux/sys_hotplug.h>

/* In shp_target.done: the block was in ZONE_MOVABLE before it went offline. */
#define MEM_SHP_WAS_MOVABLE	BIT(1)

static struct memory_block *mem_shp_block(struct shp_target *t)
{
	return container_of(t->dev, struct memory_block, dev);
}

static int mem_shp_validate(struct shp_handler *h, struct shp_request *req)
{
	struct memory_block *mem;
	struct shp_target *t;
	int ret = 0;

	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY)) {
		mem = mem_shp_block(t);
		if (req->op == SHP_OP_ONLINE &&
		    t->mem.online_type > MMOP_ONLINE_MOVABLE) {
			shp_report_blocker(req, shp_target_index(req, t),
					   -EINVAL, "%s: unknown online type %d",
					   dev_name(t->dev), t->mem.online_type);
			ret = ret ?: -EINVAL;
		}
		/* As memory_block_offline(): one zone, or it cannot go. */
		if (req->op == SHP_OP_OFFLINE && mem->state == MEM_ONLINE &&
		    !mem->zone) {
			shp_report_blocker(req, shp_target_index(req, t),
					   -EINVAL, "%s spans several zones",
					   dev_name(t->dev));
			ret = ret ?: -EINVAL;
		}
	}
	return ret;
}

/* Undo the blocks before @end that this request changed, newest first. */
static int mem_shp_undo(struct shp_request *req, struct shp_target *end)
{
	bool offline = req->op == SHP_OP_OFFLINE;
	struct memory_block *mem;
	struct shp_target *t;
	int ret = 0, err;

	for (t = end - 1; t >= req->targets; t--) {
		if (t->class != SHP_CLASS_MEMORY ||
		    !(t->done & SHP_TARGET_CHANGED))
			continue;
		mem = mem_shp_block(t);
		if (offline) {
			/* Back online, in the zone it was in. */
			mem->online_type = t->done & MEM_SHP_WAS_MOVABLE ?
					   MMOP_ONLINE_MOVABLE : MMOP_ONLINE_KERNEL;
			err = device_online(t->dev);
		} else {
			err = device_offline(t->dev);
		}
		if (err < 0) {
			shp_report_left(req, shp_target_index(req, t), err,
					"%s left %s", dev_name(t->dev),
					offline ? "offline" : "online");
			ret = ret ?: err;
			continue;
		}
		t->done &= ~(SHP_TARGET_CHANGED | MEM_SHP_WAS_MOVABLE);
	}
	return ret;
}

static int mem_shp_execute(struct shp_handler *h, struct shp_request *req)
{
	bool offline = req->op == SHP_OP_OFFLINE;
	struct memory_block *mem;
	struct shp_target *t;
	bool movable;
	int ret;

	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY)) {
		mem = mem_shp_block(t);
		movable = mem->zone && zone_idx(mem->zone) == ZONE_MOVABLE;
		if (offline) {
			ret = device_offline(t->dev);
		} else {
			/* Protected by device_hotplug_lock, as state_store() says. */
			if (t->mem.online_type >= 0)
				mem->online_type = t->mem.online_type;
			ret = device_online(t->dev);
		}
		if (ret < 0) {
			mem_shp_undo(req, t);
			return ret;
		}
		if (!ret)
			t->done |= SHP_TARGET_CHANGED |
				   (offline && movable ? MEM_SHP_WAS_MOVABLE : 0);
	}
	return 0;
}

static int mem_shp_rollback(struct shp_handler *h, struct shp_request *req)
{
	return mem_shp_undo(req, req->targets + req->nr_targets);
}

static struct shp_handler mem_shp_handler = {
	.name = "memory",
	.stage = SHP_STAGE_MEMORY,
	.ops = BIT(SHP_OP_ONLINE) | BIT(SHP_OP_OFFLINE),
	.classes = BIT(SHP_CLASS_MEMORY),
	.validate = mem_shp_validate,
	.execute = mem_shp_execute,
	.rollback = mem_shp_rollback,
};

static int __init mem_shp_init(void)
{
	return shp_register_handler(&mem_shp_handler);
}
subsys_initcall(mem_shp_init);
