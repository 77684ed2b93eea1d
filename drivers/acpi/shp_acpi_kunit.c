// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the ACPI steps of the system device hot-plug sequencer.
 *
 * They run on the machine's own ACPI namespace (x86_64 under QEMU, see
 * shp_acpi.kunitconfig): the processor objects of its CPUs, and a memory
 * device slot that nothing is plugged into. Requests go to the system's
 * sequencer with the firmware object as a target, as a notification or an
 * eject write would send them, but no case lets an eject reach _EJ0: a
 * hot-remove is either validate-only or fails before its commit, and each
 * case checks that everything is as it was.
 */

#include <kunit/test.h>
#include <linux/acpi.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/nodemask.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <linux/string.h>
#include <linux/sys_hotplug.h>

#include "../base/sys_hotplug_internal.h"
#include "internal.h"

#define TAIL_ERR	(-ENOSPC)	/* what kunit-tail fails with */

struct shp_acpi_test {
	struct shp_handler tail;
	bool tail_registered;
	unsigned int tail_executes;
	bool tail_saw_offline;		/* the CPU under test was offline */
	struct acpi_hotplug_profile *disabled;	/* to enable again */
	unsigned int cpu;		/* the CPU under test, to online again */
	bool cpu_picked;
};

KUNIT_DEFINE_ACTION_WRAPPER(put_request, shp_request_put, struct shp_request *);
KUNIT_DEFINE_ACTION_WRAPPER(put_adev, acpi_dev_put, struct acpi_device *);

/* ------------------------------------------------------------ helpers */

/*
 * An online CPU that may go offline, other than the last, whose firmware
 * object has a scan handler that hot-plugs it; the case is skipped if
 * there is none.
 */
static struct acpi_device *pick_cpu(struct kunit *test)
{
	struct shp_acpi_test *ctx = test->priv;
	struct acpi_device *adev;
	unsigned int cpu;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs");
	for_each_online_cpu(cpu) {
		adev = ACPI_COMPANION(get_cpu_device(cpu));
		if (!cpu_is_hotpluggable(cpu) || !adev || !adev->handler ||
		    !adev->flags.hotplug_notify)
			continue;
		ctx->cpu = cpu;
		ctx->cpu_picked = true;
		return adev;
	}
	kunit_skip(test, "no hot-pluggable CPU with a processor object");
	return NULL;
}

static struct shp_request *new_request(struct kunit *test,
				       enum shp_operation op,
				       struct acpi_device *adev)
{
	struct shp_request *req;

	req = acpi_shp_request(adev, op);
	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, put_request, req), 0);
	req->origin = SHP_ORIGIN_KERNEL;
	return req;
}

static void add_cpu_target(struct kunit *test, struct shp_request *req,
			   unsigned int cpu)
{
	struct shp_target *t = shp_request_add_targets(req, 1);

	KUNIT_ASSERT_NOT_NULL(test, t);
	shp_target_set_cpu(t, cpu);
	t->nid = cpu_to_node(cpu);
}

/* Whether the history record of @req holds @str. */
static bool history_has(struct kunit *test, struct shp_request *req,
			const char *str)
{
	char *rec = shp_history_record(shp_default_sequencer(), req->id);
	bool found;

	KUNIT_ASSERT_NOT_NULL_MSG(test, rec, "no history record of request %llu",
				  req->id);
	found = strstr(rec, str);
	kfree(rec);
	return found;
}

static void expect_history(struct kunit *test, struct shp_request *req,
			   const char *str)
{
	KUNIT_EXPECT_TRUE_MSG(test, history_has(test, req, str),
			      "history of request %llu lacks \"%s\"",
			      req->id, str);
}

static int tail_execute(struct shp_handler *h, struct shp_request *req,
			struct shp_target *t, unsigned long *data)
{
	struct shp_acpi_test *ctx = container_of(h, struct shp_acpi_test, tail);

	ctx->tail_executes++;
	ctx->tail_saw_offline = ctx->cpu_picked && !cpu_online(ctx->cpu);
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

/* Fails a hot-remove in the last stage, after every execute step. */
static void add_tail(struct kunit *test)
{
	struct shp_acpi_test *ctx = test->priv;

	ctx->tail = (struct shp_handler) {
		.name = "kunit-tail",
		.stage = SHP_STAGE_NODE,
		.classes = BIT(SHP_CLASS_CPU) | BIT(SHP_CLASS_MEMORY),
		.steps = { [SHP_OP_HOT_REMOVE] = &tail_steps },
	};
	KUNIT_ASSERT_EQ(test, shp_register_handler(&ctx->tail), 0);
	ctx->tail_registered = true;
}

/* A memory device object that _STA says is absent (an empty slot). */
static int find_absent_memory(struct device *dev, void *data)
{
	struct acpi_device *adev = to_acpi_device(dev);
	struct acpi_device **found = data;
	struct acpi_hardware_id *hwid;

	if (acpi_device_is_present(adev))
		return 0;
	list_for_each_entry(hwid, &adev->pnp.ids, list) {
		if (!strcmp(hwid->id, "PNP0C80")) {
			*found = acpi_dev_get(adev);
			return 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ cases */

struct ost_case {
	int ret;
	const char *failed;	/* the failing handler; NULL: no request */
	bool dependants_online;
	u32 status;
};

/*
 * Ejects report what acpi_scan_hot_remove() makes acpi_device_hotplug()
 * report: a disabled hotplug profile is 0x80; whatever a CPU or memory
 * step fails with, a device that would not go offline is 0x82, even one
 * that cannot be offlined at all (acpi_scan_try_to_offline() says -EBUSY).
 */
static const struct ost_case eject_cases[] = {
	{ 0, "acpi", false, ACPI_OST_SC_SUCCESS },
	{ -EPERM, "acpi", false, ACPI_OST_SC_EJECT_NOT_SUPPORTED },
	{ -EPERM, "acpi", true, ACPI_OST_SC_EJECT_NOT_SUPPORTED },
	{ -EPERM, "cpu", false, ACPI_OST_SC_DEVICE_BUSY },
	{ -EBUSY, "memory", false, ACPI_OST_SC_DEVICE_BUSY },
	{ -EINVAL, "memory", false, ACPI_OST_SC_DEVICE_BUSY },
	{ -EIO, "cpu", false, ACPI_OST_SC_DEVICE_BUSY },
	{ -EINTR, "memory", false, ACPI_OST_SC_DEVICE_BUSY },
	{ TAIL_ERR, "kunit-tail", false, ACPI_OST_SC_DEVICE_BUSY },
	{ -EINTR, "core", false, ACPI_OST_SC_DEVICE_BUSY },
	/* The offline outlived the request's deadline. */
	{ -ETIMEDOUT, "core", false, ACPI_OST_SC_DEVICE_BUSY },
	{ -ETIMEDOUT, "memory", false, ACPI_OST_SC_DEVICE_BUSY },
	{ -EAGAIN, "acpi", false, ACPI_OST_SC_DEVICE_BUSY },
	/* A container whose devices went offline since validate refused. */
	{ -EBUSY, "acpi", false, ACPI_OST_SC_DEVICE_BUSY },
	/* A container with a device online, whichever step refused. */
	{ -EBUSY, "acpi", true, ACPI_OST_SC_EJECT_DEPENDENCY_BUSY },
	{ -EPERM, "cpu", true, ACPI_OST_SC_EJECT_DEPENDENCY_BUSY },
	{ -EINVAL, "memory", true, ACPI_OST_SC_EJECT_DEPENDENCY_BUSY },
	{ -EBUSY, "cpu", true, ACPI_OST_SC_EJECT_DEPENDENCY_BUSY },
	/* The object or a device went away, _EJ0 failed, no request. */
	{ -ENODEV, "acpi", false, ACPI_OST_SC_NON_SPECIFIC_FAILURE },
	{ -EIO, "acpi", false, ACPI_OST_SC_NON_SPECIFIC_FAILURE },
	{ -ENODEV, "core", false, ACPI_OST_SC_NON_SPECIFIC_FAILURE },
	{ -ENOMEM, NULL, false, ACPI_OST_SC_NON_SPECIFIC_FAILURE },
	{ -ENOMEM, "", false, ACPI_OST_SC_NON_SPECIFIC_FAILURE },
};

/*
 * Insertions report with their notification (Bus Check, Device Check) as
 * the source event, for which the specification defines only the general
 * codes: never 0x80-0x82, which belong to source 0x200.
 */
static const int insert_errors[] = { -EPERM, -ENXIO, -EIO, -ENODEV, -ENOMEM };

/* The _OST status for each way an eject or an insertion ends. */
static void shp_acpi_ost_status(struct kunit *test)
{
	const struct ost_case *c;
	struct shp_request *req;
	unsigned int i;
	u32 status;

	/* A request that ended in each way: as the sequencer records it. */
	req = shp_request_alloc(SHP_OP_HOT_REMOVE, SHP_ORIGIN_FIRMWARE, 0,
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, put_request, req), 0);

	for (c = eject_cases; c < eject_cases + ARRAY_SIZE(eject_cases); c++) {
		if (c->failed)
			strscpy(req->p->failed_handler, c->failed,
				sizeof(req->p->failed_handler));
		status = acpi_shp_eject_status(c->failed ? req : NULL, c->ret,
					       c->dependants_online);
		KUNIT_EXPECT_EQ_MSG(test, status, c->status,
				    "eject, err %d, failed in %s%s", c->ret,
				    c->failed ?: "(no request)",
				    c->dependants_online ? ", dependants online" : "");
	}
	KUNIT_EXPECT_EQ(test, acpi_shp_insert_status(0), (u32)ACPI_OST_SC_SUCCESS);
	for (i = 0; i < ARRAY_SIZE(insert_errors); i++)
		KUNIT_EXPECT_EQ_MSG(test, acpi_shp_insert_status(insert_errors[i]),
				    (u32)ACPI_OST_SC_NON_SPECIFIC_FAILURE,
				    "insertion, err %d", insert_errors[i]);
}

/* The first present object with @hid, if there is one, is not ours. */
static void expect_not_ours(struct kunit *test, const char *hid)
{
	struct acpi_device *adev = acpi_dev_get_first_match_dev(hid, NULL, -1);

	if (!adev) {
		kunit_info(test, "no %s here", hid);
		return;
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, put_adev, adev), 0);
	KUNIT_EXPECT_FALSE_MSG(test, acpi_shp_ours(adev), "%s",
			       dev_name(&adev->dev));
}

/*
 * A CPU's processor object is for the sequencer; a processor container
 * (ACPI0010, whose container ID PNP0A05 is one of ours) is not, nor is a
 * PCI host bridge.
 */
static void shp_acpi_whose_objects(struct kunit *test)
{
	struct acpi_device *adev = pick_cpu(test);

	KUNIT_EXPECT_TRUE(test, acpi_shp_ours(adev));

	expect_not_ours(test, "ACPI0010");
	expect_not_ours(test, "PNP0A03");
}

/*
 * An eject must name every CPU and memory block the object holds, or a
 * device would go unchecked: validate refuses one that does not, and
 * accepts it once it does. Validate-only: nothing changes either way.
 */
static void shp_acpi_eject_names_every_device(struct kunit *test)
{
	struct acpi_device *adev = pick_cpu(test);
	struct shp_acpi_test *ctx = test->priv;
	struct shp_request *req;

	req = new_request(test, SHP_OP_HOT_REMOVE, adev);
	req->flags = SHP_REQ_VALIDATE_ONLY;
	KUNIT_EXPECT_EQ(test, shp_submit_wait(req), -EAGAIN);
	KUNIT_EXPECT_STREQ(test, shp_request_failed_handler(req), "acpi");
	expect_history(test, req, "holds devices that the request does not name");
	KUNIT_EXPECT_TRUE(test, cpu_online(ctx->cpu));

	req = new_request(test, SHP_OP_HOT_REMOVE, adev);
	req->flags = SHP_REQ_VALIDATE_ONLY;
	add_cpu_target(test, req, ctx->cpu);
	KUNIT_EXPECT_EQ(test, shp_submit_wait(req), 0);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_OK);
	KUNIT_EXPECT_TRUE(test, cpu_online(ctx->cpu));
	KUNIT_EXPECT_TRUE(test, acpi_device_is_present(adev));
}

/*
 * With the object's hotplug profile disabled (hotplug/<profile>/enabled
 * = 0), an eject request is left to the scan code, which refuses it
 * first thing; one that reaches the sequencer anyway (the profile was
 * disabled after it was made) is refused before anything goes offline.
 * Either way the firmware is told that eject is not supported.
 */
static void shp_acpi_eject_profile_disabled(struct kunit *test)
{
	struct acpi_device *adev = pick_cpu(test);
	struct shp_acpi_test *ctx = test->priv;
	struct shp_request *req;
	bool handled;
	char why[64];
	int ret;

	if (!adev->handler->hotplug.enabled)
		kunit_skip(test, "the processor hotplug profile is disabled");
	acpi_scan_hotplug_enabled(&adev->handler->hotplug, false);
	ctx->disabled = &adev->handler->hotplug;

	/* As the notify handler does; a handled event drops it. */
	acpi_dev_get(adev);
	handled = acpi_shp_hotplug(adev, ACPI_NOTIFY_EJECT_REQUEST);
	KUNIT_EXPECT_FALSE(test, handled);
	if (!handled)
		acpi_dev_put(adev);
	KUNIT_EXPECT_TRUE(test, cpu_online(ctx->cpu));

	req = new_request(test, SHP_OP_HOT_REMOVE, adev);
	add_cpu_target(test, req, ctx->cpu);
	ret = shp_submit_wait(req);
	KUNIT_EXPECT_EQ(test, ret, -EPERM);
	KUNIT_EXPECT_EQ(test, shp_request_failed_phase(req), SHP_PHASE_VALIDATE);
	snprintf(why, sizeof(why), "eject disabled (hotplug profile %s)",
		 kobject_name(&adev->handler->hotplug.kobj) ?: "?");
	expect_history(test, req, why);
	KUNIT_EXPECT_EQ(test, acpi_shp_eject_status(req, ret, false),
			(u32)ACPI_OST_SC_EJECT_NOT_SUPPORTED);
	KUNIT_EXPECT_TRUE(test, cpu_online(ctx->cpu));
}

/*
 * A hot-remove that fails after the CPU went offline: the CPU is online
 * again, the object was not ejected (its commit never ran), and the
 * firmware hears that a device was busy (_OST 0x82), as upstream.
 */
static void shp_acpi_eject_rolls_back(struct kunit *test)
{
	struct acpi_device *adev = pick_cpu(test);
	struct shp_acpi_test *ctx = test->priv;
	struct device *cpu_dev = get_cpu_device(ctx->cpu);
	struct shp_request *req;
	int ret;

	add_tail(test);
	req = new_request(test, SHP_OP_HOT_REMOVE, adev);
	add_cpu_target(test, req, ctx->cpu);
	ret = shp_submit_wait(req);
	KUNIT_EXPECT_EQ(test, ret, TAIL_ERR);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_FAILED);
	KUNIT_EXPECT_EQ(test, ctx->tail_executes, 1U);
	expect_history(test, req, "failed=kunit-tail/execute");
	/* It did go offline, and came back. */
	KUNIT_EXPECT_TRUE(test, ctx->tail_saw_offline);
	KUNIT_EXPECT_TRUE(test, cpu_online(ctx->cpu));
	KUNIT_EXPECT_FALSE(test, cpu_dev->offline);
	KUNIT_EXPECT_FALSE(test, shp_target_changed(req, req->targets[1]));
	/* Not ejected: still present, still bound to its CPU. */
	KUNIT_EXPECT_TRUE(test, acpi_device_is_present(adev));
	KUNIT_EXPECT_PTR_EQ(test, ACPI_COMPANION(cpu_dev), adev);
	KUNIT_EXPECT_PTR_EQ(test, acpi_get_first_physical_node(adev), cpu_dev);
	/* Any step failing while a device is offline: busy, as upstream. */
	KUNIT_EXPECT_EQ(test, acpi_shp_eject_status(req, ret, false),
			(u32)ACPI_OST_SC_DEVICE_BUSY);
}

/* A CPU bound to a processor object of ours that has _EJ0. */
static bool ejectable(unsigned int cpu)
{
	struct acpi_device *adev = ACPI_COMPANION(get_cpu_device(cpu));

	return adev && acpi_shp_ours(adev) &&
	       acpi_has_method(adev->handle, "_EJ0");
}

/*
 * A node with CPUs and no memory whose every present CPU has a processor
 * object of ours with _EJ0, and that leaves CPUs online elsewhere.
 */
static int pick_cpu_node(struct kunit *test)
{
	struct shp_acpi_test *ctx = test->priv;
	unsigned int cpu;
	int nid;

	for_each_node_state(nid, N_CPU) {
		bool ok = !node_state(nid, N_MEMORY) &&
			  nr_cpus_node(nid) < num_online_cpus();

		for_each_present_cpu(cpu)
			if (cpu_to_node(cpu) == nid && !ejectable(cpu))
				ok = false;
		if (!ok)
			continue;
		ctx->cpu = cpumask_first(cpumask_of_node(nid));
		ctx->cpu_picked = true;
		return nid;
	}
	kunit_skip(test, "no node of CPUs alone whose processor objects eject");
	return NUMA_NO_NODE;
}

/*
 * The CPUs of @nid, taken before a request: cpumask_of_node() loses a CPU
 * that goes offline, so it cannot tell that one did not come back.
 */
static struct cpumask *node_present_cpus(struct kunit *test, int nid)
{
	struct cpumask *mask = kunit_kzalloc(test, cpumask_size(), GFP_KERNEL);
	unsigned int cpu;

	KUNIT_ASSERT_NOT_NULL(test, mask);
	for_each_present_cpu(cpu)
		if (cpu_to_node(cpu) == nid)
			cpumask_set_cpu(cpu, mask);
	return mask;
}

static struct shp_request *node_request(struct kunit *test, int nid,
					unsigned int flags)
{
	struct shp_request *req;

	req = shp_request_alloc(SHP_OP_HOT_REMOVE, SHP_ORIGIN_KERNEL, 1,
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, put_request, req), 0);
	req->flags = flags;
	req->targets[0]->class = SHP_CLASS_NODE;
	req->targets[0]->nid = nid;
	return req;
}

/*
 * Hot-remove of a node names the objects that hold its CPUs: each CPU of
 * the node is a target marked as removed by its object, and that object
 * a firmware target expanded from the node. A validate-only request
 * changes nothing.
 */
static void shp_acpi_node_remove_names_objects(struct kunit *test)
{
	int nid = pick_cpu_node(test);
	struct shp_request *req = node_request(test, nid, SHP_REQ_VALIDATE_ONLY);
	struct cpumask *before = node_present_cpus(test, nid);
	struct shp_target *t, *f;
	unsigned int cpu, cpus = 0;

	KUNIT_EXPECT_EQ(test, shp_submit_wait(req), 0);
	/* The request has ended: its targets no longer name their devices. */
	for (t = shp_next_target(req, NULL, SHP_CLASS_CPU); t;
	     t = shp_next_target(req, t, SHP_CLASS_CPU)) {
		cpus++;
		KUNIT_EXPECT_EQ(test, t->parent, 0);
		KUNIT_EXPECT_TRUE(test, t->flags & SHP_TARGET_FW_REMOVES);
		/* A CPU target keeps its number. */
		KUNIT_EXPECT_TRUE(test, t->cpu >= 0 &&
				  cpumask_test_cpu(t->cpu, before));
	}
	KUNIT_EXPECT_EQ(test, cpus, cpumask_weight(before));
	for_each_cpu(cpu, before) {
		struct acpi_device *adev = ACPI_COMPANION(get_cpu_device(cpu));

		for (f = shp_next_target(req, NULL, SHP_CLASS_FIRMWARE); f;
		     f = shp_next_target(req, f, SHP_CLASS_FIRMWARE))
			if (f->fw.handle == adev)
				break;
		KUNIT_ASSERT_NOT_NULL_MSG(test, f, "no firmware target for cpu%u",
					  cpu);
		KUNIT_EXPECT_EQ(test, f->parent, 0);
		KUNIT_EXPECT_TRUE(test, cpu_online(cpu));
	}
}

/*
 * The same, for real, with a later stage failing: every CPU of the node
 * went offline and came back, and no object was ejected.
 */
static void shp_acpi_node_remove_rolls_back(struct kunit *test)
{
	struct shp_acpi_test *ctx = test->priv;
	int nid = pick_cpu_node(test);
	struct shp_request *req = node_request(test, nid, 0);
	struct cpumask *before = node_present_cpus(test, nid);
	unsigned int cpu;

	add_tail(test);
	KUNIT_EXPECT_EQ(test, shp_submit_wait(req), TAIL_ERR);
	expect_history(test, req, "failed=kunit-tail/execute");
	KUNIT_EXPECT_TRUE(test, ctx->tail_saw_offline);
	for_each_cpu(cpu, before) {
		struct device *dev = get_cpu_device(cpu);

		KUNIT_EXPECT_TRUE(test, cpu_online(cpu));
		KUNIT_EXPECT_PTR_EQ(test,
				    acpi_get_first_physical_node(ACPI_COMPANION(dev)),
				    dev);
	}
	KUNIT_EXPECT_TRUE(test, node_online(nid));
}

/* An empty memory device slot, with a reference the test drops. */
static struct acpi_device *pick_absent_memory(struct kunit *test)
{
	struct acpi_device *adev = NULL;

	bus_for_each_dev(&acpi_bus_type, NULL, &adev, find_absent_memory);
	if (!adev)
		kunit_skip(test, "no empty memory device slot");
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, put_adev, adev), 0);
	KUNIT_ASSERT_NULL(test, adev->handler);
	return adev;
}

/*
 * A Device Check or Bus Check of an object that _STA says is absent is
 * left to the scan code, which only re-checks _STA and reports success
 * (acpi_scan_device_check()): no request is made for it.
 */
static void shp_acpi_device_check_absent(struct kunit *test)
{
	static const u32 events[] = {
		ACPI_NOTIFY_DEVICE_CHECK, ACPI_NOTIFY_BUS_CHECK,
	};
	struct acpi_device *adev = pick_absent_memory(test);
	unsigned int i;
	bool handled;

	/* Otherwise it would be left to the scan code whatever it is. */
	KUNIT_ASSERT_TRUE(test, acpi_shp_ours(adev));
	KUNIT_ASSERT_TRUE(test, shp_handles(SHP_CLASS_FIRMWARE, SHP_OP_HOT_ADD));

	for (i = 0; i < ARRAY_SIZE(events); i++) {
		/* As the notify handler does; a handled event drops it. */
		acpi_dev_get(adev);
		handled = acpi_shp_hotplug(adev, events[i]);
		KUNIT_EXPECT_FALSE_MSG(test, handled, "event %u", events[i]);
		if (!handled)
			acpi_dev_put(adev);
	}
	KUNIT_EXPECT_NULL(test, adev->handler);
	KUNIT_EXPECT_FALSE(test, acpi_device_enumerated(adev));
}

/*
 * A request to insert an object that went absent after its notification
 * fails in execute, the enumeration it tried is undone, and the firmware
 * hears that the insertion failed (_OST 1), not that it succeeded.
 */
static void shp_acpi_insert_absent(struct kunit *test)
{
	struct acpi_device *adev = pick_absent_memory(test);
	struct shp_request *req;
	int ret;

	req = new_request(test, SHP_OP_HOT_ADD, adev);
	ret = shp_submit_wait(req);
	KUNIT_EXPECT_EQ(test, ret, -ENXIO);
	KUNIT_EXPECT_EQ(test, shp_request_failed_phase(req), SHP_PHASE_EXECUTE);
	KUNIT_EXPECT_STREQ(test, shp_request_failed_handler(req), "acpi");
	expect_history(test, req, "_STA says not present");
	KUNIT_EXPECT_EQ(test, acpi_shp_insert_status(ret),
			(u32)ACPI_OST_SC_NON_SPECIFIC_FAILURE);
	/* Nothing described, nothing left enumerated. */
	KUNIT_EXPECT_EQ(test, req->nr_targets, 1U);
	KUNIT_EXPECT_FALSE(test, shp_target_changed(req, req->targets[0]));
	KUNIT_EXPECT_NULL(test, adev->handler);
	KUNIT_EXPECT_FALSE(test, acpi_device_enumerated(adev));
	KUNIT_EXPECT_NULL(test, acpi_get_first_physical_node(adev));
}

/*
 * An insertion of an object that is enumerated already (a device check
 * that only re-checks _STA) changes nothing and describes nothing.
 */
static void shp_acpi_insert_enumerated(struct kunit *test)
{
	struct acpi_device *adev = pick_cpu(test);
	struct shp_acpi_test *ctx = test->priv;
	struct shp_request *req;

	req = new_request(test, SHP_OP_HOT_ADD, adev);
	KUNIT_EXPECT_EQ(test, shp_submit_wait(req), 0);
	KUNIT_EXPECT_EQ(test, req->nr_targets, 1U);
	KUNIT_EXPECT_FALSE(test, shp_target_changed(req, req->targets[0]));
	KUNIT_EXPECT_TRUE(test, cpu_online(ctx->cpu));
	KUNIT_EXPECT_PTR_EQ(test,
			    acpi_get_first_physical_node(adev),
			    get_cpu_device(ctx->cpu));
}

/* ------------------------------------------------------------ suite */

static int shp_acpi_init(struct kunit *test)
{
	struct shp_acpi_test *ctx;

	if (acpi_disabled)
		kunit_skip(test, "ACPI is disabled");
	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	test->priv = ctx;
	return 0;
}

/* Put back what a case changed, also when it failed half-way. */
static void shp_acpi_exit(struct kunit *test)
{
	struct shp_acpi_test *ctx = test->priv;

	if (!ctx)
		return;
	if (ctx->tail_registered)
		shp_unregister_handler(&ctx->tail);
	if (ctx->disabled)
		acpi_scan_hotplug_enabled(ctx->disabled, true);
	if (ctx->cpu_picked && !cpu_online(ctx->cpu))
		add_cpu(ctx->cpu);
}

static struct kunit_case shp_acpi_cases[] = {
	KUNIT_CASE(shp_acpi_ost_status),
	KUNIT_CASE(shp_acpi_whose_objects),
	KUNIT_CASE(shp_acpi_eject_names_every_device),
	KUNIT_CASE(shp_acpi_eject_profile_disabled),
	KUNIT_CASE(shp_acpi_eject_rolls_back),
	KUNIT_CASE(shp_acpi_node_remove_names_objects),
	KUNIT_CASE(shp_acpi_node_remove_rolls_back),
	KUNIT_CASE(shp_acpi_device_check_absent),
	KUNIT_CASE(shp_acpi_insert_absent),
	KUNIT_CASE(shp_acpi_insert_enumerated),
	{}
};

static struct kunit_suite shp_acpi_suite = {
	.name = "sys_hotplug_acpi",
	.init = shp_acpi_init,
	.exit = shp_acpi_exit,
	.test_cases = shp_acpi_cases,
};

kunit_test_suite(shp_acpi_suite);

MODULE_DESCRIPTION("KUnit tests of the ACPI system device hot-plug steps");
MODULE_LICENSE("GPL");
