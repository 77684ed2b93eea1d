// SPDX-License-Identifier: GPL-2.0
/*
 * CPU steps of the system device hot-plug sequencer: online and offline
 * CPUs through their devices, all or nothing for a request of several.
 *
 * Hot-remove offlines the CPUs as offline does; the firmware stage of the
 * same request removes them (ACPI eject), so a hot-remove of CPUs without
 * a firmware target is refused. Hot-add acts on the CPUs that the firmware
 * stage made present (ACPI insertion): they come online in the request if
 * auto_online is set, and stay offline for user space otherwise, as they
 * do without the sequencer.
 */

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/sched/isolation.h>
#include <linux/sys_hotplug.h>

static bool auto_online;
module_param(auto_online, bool, 0644);
MODULE_PARM_DESC(auto_online,
		 "Online the CPUs that firmware hot-adds, in the same request (default: no)");

static int cpu_shp_validate(struct shp_handler *h, struct shp_request *req)
{
	bool offline = !shp_is_up(req->op);
	bool fw = shp_next_target(req, NULL, SHP_CLASS_FIRMWARE);
	unsigned int leaving = 0, cpu;
	struct shp_target *t;
	int ret = 0;

	for (t = shp_next_target(req, NULL, SHP_CLASS_CPU); t;
	     t = shp_next_target(req, t, SHP_CLASS_CPU)) {
		cpu = t->dev->id;
		/* Those of a hot-add appear in the firmware stage, after this. */
		if (req->op == SHP_OP_HOT_ADD) {
			shp_report_blocker(req, shp_target_index(req, t), -EINVAL,
					   "cpu%u: only its firmware object's insertion adds a CPU",
					   cpu);
			ret = ret ?: -EINVAL;
		}
		if (req->op == SHP_OP_HOT_REMOVE && !fw) {
			shp_report_blocker(req, shp_target_index(req, t), -EINVAL,
					   "cpu%u: only its firmware object's eject removes a CPU",
					   cpu);
			ret = ret ?: -EINVAL;
		}
		/* As device_offline(): online ignores it (arm64 sets it at run time). */
		if (offline && t->dev->offline_disabled) {
			shp_report_blocker(req, shp_target_index(req, t), -EPERM,
					   "cpu%u cannot be hot-plugged", cpu);
			ret = ret ?: -EPERM;
		}
		if (offline && cpu_online(cpu) &&
		    cpumask_test_cpu(cpu, housekeeping_cpumask(HK_TYPE_DOMAIN)))
			leaving++;
	}
	/* As cpu_down() does: one housekeeping CPU stays online. */
	if (offline && leaving &&
	    leaving >= cpumask_weight_and(cpu_online_mask,
					  housekeeping_cpumask(HK_TYPE_DOMAIN))) {
		shp_report_blocker(req, -1, -EBUSY,
				   "would offline the last online housekeeping CPU");
		ret = ret ?: -EBUSY;
	}
	return ret;
}

/* Undo the CPUs before @end that this request changed, newest first. */
static int cpu_shp_undo(struct shp_request *req, struct shp_target *end)
{
	bool offline = !shp_is_up(req->op);
	struct shp_target *t;
	int ret = 0, err;

	for (t = end - 1; t >= req->targets; t--) {
		if (t->class != SHP_CLASS_CPU || !(t->done & SHP_TARGET_CHANGED))
			continue;
		err = offline ? device_online(t->dev) : device_offline(t->dev);
		if (err < 0) {
			shp_report_left(req, shp_target_index(req, t), err,
					"cpu%u left %s", t->dev->id,
					offline ? "offline" : "online");
			ret = ret ?: err;
			continue;
		}
		t->done &= ~SHP_TARGET_CHANGED;
	}
	return ret;
}

static int cpu_shp_execute(struct shp_handler *h, struct shp_request *req)
{
	bool offline = !shp_is_up(req->op);
	struct shp_target *t;
	int ret;

	if (req->op == SHP_OP_HOT_ADD && !READ_ONCE(auto_online))
		return 0;
	for (t = shp_next_target(req, NULL, SHP_CLASS_CPU); t;
	     t = shp_next_target(req, t, SHP_CLASS_CPU)) {
		/* Under device_hotplug_lock: the bus callbacks, uevents and
		 * dev->offline stay exactly as for a write without us.
		 */
		if (shp_request_aborted(req))
			ret = -EINTR;
		else
			ret = offline ? device_offline(t->dev) :
					device_online(t->dev);
		if (ret < 0) {
			cpu_shp_undo(req, t);
			return ret;
		}
		if (!ret)
			t->done |= SHP_TARGET_CHANGED;
	}
	return 0;
}

static int cpu_shp_rollback(struct shp_handler *h, struct shp_request *req)
{
	return cpu_shp_undo(req, req->targets + req->nr_targets);
}

static struct shp_handler cpu_shp_handler = {
	.name = "cpu",
	.stage = SHP_STAGE_CPU,
	.ops = BIT(SHP_OP_HOT_ADD) | BIT(SHP_OP_ONLINE) | BIT(SHP_OP_OFFLINE) |
	       BIT(SHP_OP_HOT_REMOVE),
	.classes = BIT(SHP_CLASS_CPU),
	.validate = cpu_shp_validate,
	.execute = cpu_shp_execute,
	.rollback = cpu_shp_rollback,
};

static int __init cpu_shp_init(void)
{
	return shp_register_handler(&cpu_shp_handler);
}
subsys_initcall(cpu_shp_init);
