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
#include <linux/string.h>
#include <linux/sys_hotplug.h>

static bool auto_online;
module_param(auto_online, bool, 0644);
MODULE_PARM_DESC(auto_online,
		 "Online the CPUs that firmware hot-adds, in the same request (default: no)");

static int cpu_shp_validate(struct shp_handler *h, struct shp_request *req)
{
	bool offline = !shp_is_up(req->op);
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
		/* Removed only with the firmware object that holds it. */
		if (req->op == SHP_OP_HOT_REMOVE &&
		    !(t->flags & SHP_TARGET_FW_REMOVES)) {
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

/*
 * Bring a CPU up or take it down through its device, under
 * device_hotplug_lock: the bus callbacks, uevents and dev->offline stay
 * exactly as for a write without the sequencer. device_online() and
 * device_offline() return 1 for a CPU in that state already, as a step
 * does.
 */
static int cpu_shp_up(struct shp_handler *h, struct shp_request *req,
		      struct shp_target *t, unsigned long *data)
{
	int ret = device_online(t->dev);

	if (ret < 0 && !shp_is_up(req->op))
		shp_report_left(req, shp_target_index(req, t), ret,
				"cpu%u left offline", t->dev->id);
	return ret;
}

static int cpu_shp_down(struct shp_handler *h, struct shp_request *req,
			struct shp_target *t, unsigned long *data)
{
	int ret = device_offline(t->dev);

	if (ret < 0 && shp_is_up(req->op))
		shp_report_left(req, shp_target_index(req, t), ret,
				"cpu%u left online", t->dev->id);
	return ret;
}

/* Hot-add: online the CPUs the firmware stage made present, if asked to. */
static int cpu_shp_add(struct shp_handler *h, struct shp_request *req,
		       struct shp_target *t, unsigned long *data)
{
	return READ_ONCE(auto_online) ? device_online(t->dev) : 1;
}

/* "cpuN" in the debugfs request file. */
static int cpu_shp_parse(struct shp_handler *h, struct shp_request *req,
			 char *word, const char *how)
{
	struct shp_target *t;
	u64 cpu;

	if (strncmp(word, "cpu", 3))
		return -ENOENT;
	if (shp_parse_u64(word + 3, 10, &cpu) || how)
		return -EINVAL;
	/*
	 * Only a check for the writer: the sequencer looks the CPU up again
	 * when the request starts, and fails it if it is gone by then.
	 */
	if (cpu >= nr_cpu_ids || !get_cpu_device(cpu))
		return -ENODEV;
	t = shp_request_add_targets(req, 1);
	if (!t)
		return -ENOMEM;
	shp_target_set_cpu(t, cpu);
	return 0;
}

static const struct shp_steps cpu_shp_online = {
	.validate = cpu_shp_validate,
	.execute = cpu_shp_up,
	.undo = cpu_shp_down,
};

static const struct shp_steps cpu_shp_hot_add = {
	.validate = cpu_shp_validate,
	.execute = cpu_shp_add,
	.undo = cpu_shp_down,
};

/* Hot-remove: offline; the firmware stage removes them. */
static const struct shp_steps cpu_shp_offline = {
	.validate = cpu_shp_validate,
	.execute = cpu_shp_down,
	.undo = cpu_shp_up,
};

static struct shp_handler cpu_shp_handler = {
	.name = "cpu",
	.stage = SHP_STAGE_CPU,
	.classes = BIT(SHP_CLASS_CPU),
	.steps = {
		[SHP_OP_HOT_ADD] = &cpu_shp_hot_add,
		[SHP_OP_ONLINE] = &cpu_shp_online,
		[SHP_OP_OFFLINE] = &cpu_shp_offline,
		[SHP_OP_HOT_REMOVE] = &cpu_shp_offline,
	},
	.parse = cpu_shp_parse,
};

static int __init cpu_shp_init(void)
{
	return shp_register_handler(&cpu_shp_handler);
}
subsys_initcall(cpu_shp_init);
