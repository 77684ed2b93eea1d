// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI steps of the system device hot-plug sequencer.
 *
 * An eject of a processor or a memory device, whether the firmware asks
 * for it (an eject request notification) or user space writes the device's
 * eject file, becomes one hot-remove request. Its targets are the firmware
 * object and what the object holds: its CPUs, and its memory as physical
 * ranges. The CPU and memory stages offline them and put them back if any
 * step fails; only then does this handler's commit eject the object
 * (detach, _LCK, _EJ0, _STA, post-eject). Nothing is ejected that could not
 * be offlined, and the firmware learns the outcome through _OST.
 *
 * Insertion, containers, docks and PCI (acpiphp) stay on the ACPI scan
 * code's own path, as do objects holding devices the stages do not know.
 */

#include <linux/acpi.h>
#include <linux/cpu.h>
#include <linux/device.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/sys_hotplug.h>

#include "internal.h"

/* Processor objects and devices, memory devices. */
static const struct acpi_device_id acpi_shp_ids[] = {
	{ "LNXCPU", 0 },
	{ "ACPI0007", 0 },
	{ "PNP0C80", 0 },
	{ }
};

/*
 * A walk over an object and its descendants, through their physical nodes
 * (the struct devices ACPI bound to them): collect them as targets of a
 * new request, or verify that the request still names every one of them.
 */
struct acpi_shp_walk {
	struct shp_request *req;
	bool verify;
	int last_range;			/* collect: the last memory range, or -1 */
	bool unknown;			/* a device the stages do not handle */
	bool changed;			/* verify: one the request does not name */
};

static struct memory_block *acpi_shp_block(struct device *dev)
{
	return container_of(dev, struct memory_block, dev);
}

static u64 acpi_shp_block_start(struct device *dev)
{
	return PFN_PHYS(section_nr_to_pfn(acpi_shp_block(dev)->start_section_nr));
}

static bool acpi_shp_has_cpu(struct shp_request *req, struct device *dev)
{
	struct shp_target *t;

	for (t = shp_next_target(req, NULL, SHP_CLASS_CPU); t;
	     t = shp_next_target(req, t, SHP_CLASS_CPU))
		if (t->dev == dev)
			return true;
	return false;
}

/* Whether a range target (not a block) covers @start. */
static bool acpi_shp_has_memory(struct shp_request *req, u64 start)
{
	struct shp_target *t;

	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY))
		if (!t->dev && start >= t->mem.start &&
		    start - t->mem.start < t->mem.size)
			return true;
	return false;
}

/* Append a CPU, or extend or append a memory range. */
static int acpi_shp_add(struct acpi_shp_walk *w, struct device *dev)
{
	u64 bs = memory_block_size_bytes(), start;
	struct shp_target *t;

	if (dev->bus == &cpu_subsys) {
		t = shp_request_add_targets(w->req, 1);
		if (!t)
			return -ENOMEM;
		t->class = SHP_CLASS_CPU;
		t->dev = get_device(dev);
		t->nid = cpu_to_node(dev->id);
		return 0;
	}
	start = acpi_shp_block_start(dev);
	if (w->last_range >= 0) {
		t = &w->req->targets[w->last_range];
		if (t->mem.start + t->mem.size == start) {
			t->mem.size += bs;
			return 0;
		}
	}
	t = shp_request_add_targets(w->req, 1);
	if (!t)
		return -ENOMEM;
	t->class = SHP_CLASS_MEMORY;
	t->nid = acpi_shp_block(dev)->nid;
	t->mem.start = start;
	t->mem.size = bs;
	t->mem.online_type = -1;
	w->last_range = shp_target_index(w->req, t);
	return 0;
}

static int acpi_shp_walk_one(struct acpi_device *adev, void *data)
{
	struct acpi_device_physical_node *pn;
	struct acpi_shp_walk *w = data;
	struct device *dev;
	bool named;
	int ret = 0;

	mutex_lock(&adev->physical_node_lock);
	list_for_each_entry(pn, &adev->physical_node_list, node) {
		dev = pn->dev;
		if (dev->bus != &cpu_subsys && !is_memory_block_device(dev)) {
			w->unknown = true;
			continue;
		}
		if (!w->verify) {
			ret = acpi_shp_add(w, dev);
			if (ret)
				break;
			continue;
		}
		named = dev->bus == &cpu_subsys ?
			acpi_shp_has_cpu(w->req, dev) :
			acpi_shp_has_memory(w->req, acpi_shp_block_start(dev));
		w->changed |= !named;
	}
	mutex_unlock(&adev->physical_node_lock);
	return ret ?: acpi_dev_for_each_child(adev, acpi_shp_walk_one, w);
}

/* ------------------------------------------------------------ steps */

static int acpi_shp_validate(struct shp_handler *h, struct shp_request *req)
{
	struct acpi_shp_walk w;
	struct acpi_device *adev;
	struct shp_target *t;
	int idx, ret = 0;

	acpi_scan_lock_acquire();
	for (t = shp_next_target(req, NULL, SHP_CLASS_FIRMWARE); t;
	     t = shp_next_target(req, t, SHP_CLASS_FIRMWARE)) {
		adev = t->fw_handle;
		idx = shp_target_index(req, t);
		if (adev->handle == INVALID_ACPI_HANDLE) {
			shp_report_blocker(req, idx, -ENODEV,
					   "%s: the firmware object is gone",
					   dev_name(&adev->dev));
			ret = ret ?: -ENODEV;
			continue;
		}
		if (adev->handler && !adev->handler->hotplug.enabled) {
			shp_report_blocker(req, idx, -EPERM,
					   "%s: eject disabled (hotplug profile %s)",
					   dev_name(&adev->dev),
					   kobject_name(&adev->handler->hotplug.kobj) ?: "?");
			ret = ret ?: -EPERM;
			continue;
		}
		/* Each of its devices must be a target, or it would go unchecked. */
		w = (struct acpi_shp_walk){ .req = req, .verify = true };
		acpi_shp_walk_one(adev, &w);
		if (w.unknown || w.changed) {
			shp_report_blocker(req, idx, -EAGAIN,
					   "%s holds devices that the request does not name",
					   dev_name(&adev->dev));
			ret = ret ?: -EAGAIN;
		}
	}
	acpi_scan_lock_release();
	return ret;
}

/* The CPUs and memory are offline: eject. There is no way back from here. */
static int acpi_shp_commit(struct shp_handler *h, struct shp_request *req)
{
	struct acpi_device *adev;
	struct shp_target *t;
	int ret = 0;

	acpi_scan_lock_acquire();
	for (t = shp_next_target(req, NULL, SHP_CLASS_FIRMWARE); t;
	     t = shp_next_target(req, t, SHP_CLASS_FIRMWARE)) {
		adev = t->fw_handle;
		ret = adev->handle == INVALID_ACPI_HANDLE ? -ENODEV :
			acpi_scan_eject(adev);
		if (ret) {
			shp_report_left(req, shp_target_index(req, t), ret,
					"%s: eject failed after its devices went offline",
					dev_name(&adev->dev));
			break;
		}
		t->done |= SHP_TARGET_CHANGED;
	}
	acpi_scan_lock_release();
	return ret;
}

static struct shp_handler acpi_shp_handler = {
	.name = "acpi",
	.stage = SHP_STAGE_FIRMWARE,
	.ops = BIT(SHP_OP_HOT_REMOVE),
	.classes = BIT(SHP_CLASS_FIRMWARE),
	.validate = acpi_shp_validate,
	.commit = acpi_shp_commit,
};

/* ------------------------------------------------------------ events */

/*
 * Under acpi_scan_lock. Return: the hot-remove request for @adev, NULL if
 * @adev is not for the sequencer, or an ERR_PTR().
 */
static struct shp_request *acpi_shp_eject_request(struct acpi_device *adev)
{
	struct acpi_shp_walk w = { .last_range = -1 };
	struct shp_request *req;
	struct shp_target *t;
	int ret;

	if (adev->handle == INVALID_ACPI_HANDLE ||
	    !adev->flags.hotplug_notify || adev->flags.is_dock_station ||
	    acpi_match_device_ids(adev, acpi_shp_ids))
		return NULL;
	req = shp_request_alloc(SHP_OP_HOT_REMOVE, SHP_ORIGIN_FIRMWARE, 1,
				GFP_KERNEL);
	if (!req)
		return ERR_PTR(-ENOMEM);
	t = &req->targets[0];
	t->class = SHP_CLASS_FIRMWARE;
	t->dev = get_device(&adev->dev);
	t->fw_handle = adev;
	w.req = req;
	ret = acpi_shp_walk_one(adev, &w);
	if (ret || w.unknown) {
		shp_request_put(req);
		return ret ? ERR_PTR(ret) : NULL;
	}
	return req;
}

/* The most specific _OST status for the outcome of an eject. */
static u32 acpi_shp_ost_status(const struct shp_request *req, int ret)
{
	switch (ret) {
	case 0:
		return ACPI_OST_SC_SUCCESS;
	case -EPERM:
	case -EOPNOTSUPP:
		return ACPI_OST_SC_EJECT_NOT_SUPPORTED;
	case -EBUSY:
		/* Validate: something holds a device; execute: it was busy. */
		if (req && req->failed_phase == SHP_PHASE_VALIDATE)
			return ACPI_OST_SC_DEVICE_IN_USE;
		return ACPI_OST_SC_DEVICE_BUSY;
	case -EAGAIN:
	case -EINTR:
		return ACPI_OST_SC_DEVICE_BUSY;
	default:
		return ACPI_OST_SC_NON_SPECIFIC_FAILURE;
	}
}

/**
 * acpi_shp_hotplug - run an ACPI hot-plug event through the sequencer
 * @adev: the object the event is for, with a reference the caller took
 * @src: the notification, or %ACPI_OST_EC_OSPM_EJECT for a sysfs eject
 *
 * Called from acpi_device_hotplug() on the ACPI hot-plug workqueue, before
 * it takes any lock. An eject of a processor or a memory device becomes a
 * hot-remove request; this waits for it and reports the outcome by _OST.
 *
 * Return: true if the event was handled here (the reference on @adev is
 * dropped and _OST evaluated), false to leave it to the ACPI scan code.
 */
bool acpi_shp_hotplug(struct acpi_device *adev, u32 src)
{
	struct shp_request *req;
	bool enabled;
	int ret;

	if ((src != ACPI_NOTIFY_EJECT_REQUEST && src != ACPI_OST_EC_OSPM_EJECT) ||
	    !shp_handles(SHP_CLASS_FIRMWARE, SHP_OP_HOT_REMOVE))
		return false;

	acpi_scan_lock_acquire();
	req = acpi_shp_eject_request(adev);
	enabled = !adev->handler || adev->handler->hotplug.enabled;
	acpi_scan_lock_release();
	if (!req)
		return false;

	if (IS_ERR(req)) {
		ret = PTR_ERR(req);
		req = NULL;
	} else {
		/* As the scan code does: only an eject that may go ahead. */
		if (enabled)
			acpi_evaluate_ost(adev->handle, ACPI_NOTIFY_EJECT_REQUEST,
					  ACPI_OST_SC_EJECT_IN_PROGRESS, NULL);
		ret = shp_submit_wait(req);
	}
	if (ret)
		dev_info(&adev->dev, "eject failed: %d\n", ret);
	acpi_evaluate_ost(adev->handle, src, acpi_shp_ost_status(req, ret), NULL);
	shp_request_put(req);
	acpi_put_acpi_dev(adev);
	return true;
}

static int __init acpi_shp_init(void)
{
	if (acpi_disabled)
		return 0;
	return shp_register_handler(&acpi_shp_handler);
}
subsys_initcall(acpi_shp_init);
