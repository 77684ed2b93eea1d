// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI steps of the system device hot-plug sequencer.
 *
 * Insertion: a bus check or device check notification for a processor, a
 * memory device or a container object not enumerated yet, and present,
 * becomes one hot-add request. This handler's execute step enumerates the
 * object (the scan handlers make the CPUs present and add the memory) and
 * describes what appeared as targets: the CPUs and the memory blocks.
 * The memory and CPU stages after it online them as their policies say.
 * If any step fails, the rollback takes them offline again and undoes the
 * enumeration, and the firmware learns of the failure through _OST: a CPU
 * or a memory device that no scan handler could take is never reported as
 * inserted.
 *
 * Eject: an eject of a processor or a memory device, whether the firmware
 * asks for it (an eject request notification) or user space writes the
 * device's eject file, becomes one hot-remove request. Its targets are the
 * firmware object and what the object holds: its CPUs, and its memory as
 * physical ranges. The CPU and memory stages offline them and put them
 * back if any step fails; only then does this handler's commit eject the
 * object (detach, _LCK, _EJ0, _STA, post-eject). Nothing is ejected that
 * could not be offlined, and the firmware learns the outcome through _OST.
 *
 * A container (a node board, say) is one request for all it holds: its
 * insertion enumerates and brings up every processor and memory device
 * under it, its eject removes them all. As the container scan handler
 * asks (demand_offline), user space takes a container's devices and the
 * container offline before it ejects; until then an eject is refused,
 * with every device still online reported, and the firmware is told that
 * dependants are busy.
 *
 * Docks and PCI (acpiphp) stay on the ACPI scan code's own path, as do
 * objects holding devices the stages do not know.
 */

#include <kunit/visibility.h>
#include <linux/acpi.h>
#include <linux/container.h>
#include <linux/cpu.h>
#include <linux/device.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/sys_hotplug.h>

#include "internal.h"

/* Processor objects and devices, memory devices, containers. */
static const struct acpi_device_id acpi_shp_ids[] = {
	{ "LNXCPU", 0 },
	{ "ACPI0007", 0 },
	{ "PNP0C80", 0 },
	{ "ACPI0004", 0 },
	{ "PNP0A05", 0 },
	{ "PNP0A06", 0 },
	{ }
};

/*
 * A walk over an object and its descendants, through their physical nodes
 * (the struct devices ACPI bound to them): collect them as targets of a
 * new request, or verify that the request still names every one of them
 * and mark those targets as removed by the object's eject.
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

static struct shp_handler acpi_shp_handler;

/*
 * The ACPI device object a firmware target of ours names. The sequencer
 * calls the steps here only for the firmware targets that name this
 * handler as theirs, which acpi_shp_request() makes.
 */
static struct acpi_device *acpi_shp_target(const struct shp_target *t)
{
	return t->fw.handle;
}

static bool acpi_shp_id(const char *hwid)
{
	const struct acpi_device_id *id;

	for (id = acpi_shp_ids; id->id[0]; id++)
		if (!strcmp(hwid, id->id))
			return true;
	return false;
}

/*
 * Whether @adev is a processor, a memory device or a container. Unlike
 * acpi_match_device_ids(), this also holds before it is present.
 */
static bool acpi_shp_match(struct acpi_device *adev)
{
	struct acpi_hardware_id *hwid;

	list_for_each_entry(hwid, &adev->pnp.ids, list)
		if (acpi_shp_id(hwid->id))
			return true;
	return false;
}

/*
 * An object of ours: a processor, a memory device or a container that the
 * firmware hot-plugs. Once enumerated, its scan handler decides (its
 * hotplug profile says sys_hotplug): an object that also has a container
 * ID, such as a processor container (ACPI0010), may have been taken by a
 * handler that is not one of those.
 */
VISIBLE_IF_KUNIT bool acpi_shp_ours(struct acpi_device *adev)
{
	if (adev->handle == INVALID_ACPI_HANDLE ||
	    !adev->flags.hotplug_notify || adev->flags.is_dock_station ||
	    !acpi_shp_match(adev))
		return false;
	return !adev->handler || adev->handler->hotplug.sys_hotplug;
}

/* A container whose scan handler wants its devices offline before eject. */
static bool acpi_shp_demand_offline(struct acpi_device *adev)
{
	return adev->handler && adev->handler->hotplug.demand_offline;
}

/* As the scan code says: a disabled hotplug profile refuses ejects. */
static bool acpi_shp_eject_enabled(struct acpi_device *adev)
{
	return !adev->handler || adev->handler->hotplug.enabled;
}

/* The CPU target that names @dev, or NULL. */
static struct shp_target *acpi_shp_cpu_target(struct shp_request *req,
					      struct device *dev)
{
	struct shp_target *t;

	for (t = shp_next_target(req, NULL, SHP_CLASS_CPU); t;
	     t = shp_next_target(req, t, SHP_CLASS_CPU))
		if (t->cpu == dev->id)
			return t;
	return NULL;
}

/* The range target (not a block) that covers @start, or NULL. */
static struct shp_target *acpi_shp_range_target(struct shp_request *req,
						u64 start)
{
	struct shp_target *t;

	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY))
		if (shp_range_holds(t, start))
			return t;
	return NULL;
}

/*
 * Append @dev, a CPU or a memory block, as a target of its own. A CPU is
 * named by number: the sequencer gives the target its device when the
 * request starts, or when the step that adds it returns (see
 * shp_target_set_cpu()).
 */
static int acpi_shp_add_device(struct shp_request *req, struct device *dev)
{
	struct shp_target *t = shp_request_add_targets(req, 1);

	if (!t)
		return -ENOMEM;
	if (dev->bus != &cpu_subsys) {
		shp_target_set_device(t, dev);
		t->class = SHP_CLASS_MEMORY;
		t->nid = acpi_shp_block(dev)->nid;
		return 0;
	}
	shp_target_set_cpu(t, dev->id);
	t->nid = cpu_to_node(dev->id);
	return 0;
}

/* Append a CPU, or extend or append a memory range. */
static int acpi_shp_add(struct acpi_shp_walk *w, struct device *dev)
{
	u64 bs = memory_block_size_bytes(), start;
	struct shp_target *t;

	if (dev->bus == &cpu_subsys)
		return acpi_shp_add_device(w->req, dev);
	start = acpi_shp_block_start(dev);
	if (w->last_range >= 0) {
		t = w->req->targets[w->last_range];
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
	struct shp_target *t;
	struct device *dev;
	int ret = 0;

	mutex_lock(&adev->physical_node_lock);
	list_for_each_entry(pn, &adev->physical_node_list, node) {
		dev = pn->dev;
		/* A container's own device only groups what it holds. */
		if (dev->bus == &container_subsys)
			continue;
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
		t = dev->bus == &cpu_subsys ?
			acpi_shp_cpu_target(w->req, dev) :
			acpi_shp_range_target(w->req, acpi_shp_block_start(dev));
		if (t)
			t->flags |= SHP_TARGET_FW_REMOVES;
		else
			w->changed = true;
	}
	mutex_unlock(&adev->physical_node_lock);
	return ret ?: acpi_dev_for_each_child(adev, acpi_shp_walk_one, w);
}

/* A check that every device under a demand_offline container is offline. */
struct acpi_shp_offline {
	struct shp_request *req;	/* report blockers to it, or NULL */
	int fw;				/* index of the container's target */
	int online;			/* devices found online */
};

/*
 * Count, and report to the request if there is one, each physical node
 * under the container that is online, the container's own device
 * included. Every level counts: a memory block onlined again after its
 * container went offline would otherwise reach the eject online. Validate
 * has no side effect: the uevent that asks user space to offline the
 * container is sent once the eject is refused.
 */
static int acpi_shp_check_offline(struct acpi_device *adev, void *data)
{
	struct acpi_device_physical_node *pn;
	struct acpi_shp_offline *o = data;

	mutex_lock(&adev->physical_node_lock);
	list_for_each_entry(pn, &adev->physical_node_list, node) {
		if (!device_supports_offline(pn->dev) || pn->dev->offline)
			continue;
		if (o->req)
			shp_report_blocker(o->req, o->fw, -EBUSY,
					   "%s is online: the container is ejected only with everything in it offline",
					   dev_name(pn->dev));
		o->online++;
	}
	mutex_unlock(&adev->physical_node_lock);
	return acpi_dev_for_each_child(adev, acpi_shp_check_offline, o);
}

/* ------------------------------------------------------------ hot-add */

/* What the enumeration of one firmware target brought. */
struct acpi_shp_found {
	struct shp_request *req;
	int fw;				/* index of the firmware target */
	int ret;			/* first error */
};

/*
 * Every processor, memory or container object under the new object, and
 * the object itself, that _STA says is present must now have a scan
 * handler and hold devices; the CPUs and memory blocks among them become
 * targets, for the memory and CPU stages.
 */
static int acpi_shp_describe(struct acpi_device *adev, void *data)
{
	struct acpi_device_physical_node *pn;
	struct acpi_shp_found *f = data;
	bool any = false;
	int ret = 0;

	if (acpi_shp_match(adev) && acpi_device_is_present(adev)) {
		mutex_lock(&adev->physical_node_lock);
		list_for_each_entry(pn, &adev->physical_node_list, node) {
			any = true;
			if (pn->dev->bus != &cpu_subsys &&
			    !is_memory_block_device(pn->dev))
				continue;
			ret = acpi_shp_add_device(f->req, pn->dev);
			if (ret)
				break;
		}
		mutex_unlock(&adev->physical_node_lock);
		if (!ret && (!adev->handler || !any)) {
			shp_report_blocker(f->req, f->fw, -EIO,
					   "%s is present, but no scan handler took it",
					   dev_name(&adev->dev));
			ret = -EIO;
		}
		f->ret = f->ret ?: ret;
	}
	return acpi_dev_for_each_child(adev, acpi_shp_describe, f);
}

/*
 * Undo the enumeration of the firmware target at @idx: what the policies
 * brought online goes offline (memory that is online cannot be removed),
 * then the scan handlers let go of the object.
 */
static int acpi_shp_unenumerate(struct shp_request *req, int idx)
{
	struct acpi_device *adev = req->targets[idx]->fw.handle;
	int ret = acpi_scan_try_to_offline(adev);

	if (ret) {
		shp_report_left(req, idx, ret,
				"%s left enumerated: its devices stay online",
				dev_name(&adev->dev));
		return ret;
	}
	acpi_scan_unenumerate(adev);
	return 0;
}

static int acpi_shp_insert(struct shp_request *req, int idx)
{
	struct acpi_device *adev = req->targets[idx]->fw.handle;
	struct acpi_shp_found f = { .req = req, .fw = idx };
	int ret;

	/*
	 * Enumerated since the notification, or by the default enumeration
	 * that no scan handler claims: nothing here is ours to undo.
	 */
	if (adev->handler || acpi_device_enumerated(adev))
		return 1;
	ret = acpi_scan_bus_check(adev);
	/* Gone since the notification: nothing came, say so. */
	if (!ret && !acpi_device_is_present(adev)) {
		shp_report_blocker(req, idx, -ENXIO, "%s: _STA says not present",
				   dev_name(&adev->dev));
		ret = -ENXIO;
	}
	if (!ret) {
		acpi_shp_describe(adev, &f);
		ret = f.ret;
	}
	/* This target did not change: what the enumeration brought goes. */
	if (ret)
		acpi_shp_unenumerate(req, idx);
	return ret;
}

/* ------------------------------------------------------------ steps */

/* The firmware target after @t that names this handler as its owner. */
static struct shp_target *acpi_shp_next(struct shp_request *req,
					struct shp_target *t)
{
	while ((t = shp_next_target(req, t, SHP_CLASS_FIRMWARE)))
		if (t->fw.handler == &acpi_shp_handler)
			return t;
	return NULL;
}

/* The firmware object is still there, and its eject enabled. */
static int acpi_shp_check_object(struct shp_request *req, struct shp_target *t)
{
	struct acpi_device *adev = acpi_shp_target(t);
	int idx = shp_target_index(req, t);

	if (adev->handle == INVALID_ACPI_HANDLE) {
		shp_report_blocker(req, idx, -ENODEV,
				   "%s: the firmware object is gone",
				   dev_name(&adev->dev));
		return -ENODEV;
	}
	if (req->op == SHP_OP_HOT_REMOVE && !acpi_shp_eject_enabled(adev)) {
		shp_report_blocker(req, idx, -EPERM,
				   "%s: eject disabled (hotplug profile %s)",
				   dev_name(&adev->dev),
				   kobject_name(&adev->handler->hotplug.kobj) ?: "?");
		return -EPERM;
	}
	return 0;
}

/* The firmware target of ours that names @adev, or NULL. */
static struct shp_target *acpi_shp_object_target(struct shp_request *req,
						 struct acpi_device *adev)
{
	struct shp_target *t;

	for (t = acpi_shp_next(req, NULL); t; t = acpi_shp_next(req, t))
		if (acpi_shp_target(t) == adev)
			return t;
	return NULL;
}

/*
 * The object whose eject removes @dev, a CPU or a memory block: the one
 * bound to it, or the first above that, of ours, has _EJ0 (a processor
 * without its own, in a container that has one). NULL if there is none.
 */
static struct acpi_device *acpi_shp_holder(struct device *dev)
{
	struct acpi_device *adev;

	for (adev = ACPI_COMPANION(dev); adev; adev = acpi_dev_parent(adev))
		if (acpi_shp_ours(adev) && acpi_has_method(adev->handle, "_EJ0"))
			return adev;
	return NULL;
}

/*
 * The object that ejects @t, a CPU or a memory range that the node stage
 * added for the removal of its node, or NULL.
 */
static struct acpi_device *acpi_shp_node_holder(struct shp_request *req,
						struct shp_target *t)
{
	struct memory_block *mem;
	struct acpi_device *adev;

	if (t->parent < 0 || req->targets[t->parent]->class != SHP_CLASS_NODE)
		return NULL;
	if (t->class == SHP_CLASS_CPU)
		return acpi_shp_holder(t->dev);
	if (t->class != SHP_CLASS_MEMORY || t->dev)
		return NULL;
	mem = find_memory_block(pfn_to_section_nr(PHYS_PFN(t->mem.start)));
	if (!mem)
		return NULL;
	adev = acpi_shp_holder(&mem->dev);
	put_device(&mem->dev);
	return adev;
}

/*
 * Hot-remove of a node: the objects that hold its CPUs and memory (the
 * node stage made them targets, the node their parent) become firmware
 * targets too, with the node as their parent, so that their ejects remove
 * what they hold. What no object of ours holds is left to its stage: the
 * CPU stage refuses a CPU, the memory stage memory that nothing adds
 * again. The objects of memory come first, of every node, then those of
 * CPUs: commit ejects in target order, and QEMU (7.2) aborts when a
 * memory device is ejected after a processor.
 */
static int acpi_shp_name_holders(struct shp_request *req)
{
	static const enum shp_class order[] = { SHP_CLASS_MEMORY, SHP_CLASS_CPU };
	unsigned int i, k, n = req->nr_targets;
	struct acpi_device *adev;
	struct shp_target *t, *f;

	for (k = 0; k < ARRAY_SIZE(order); k++) {
		for (i = 0; i < n; i++) {
			t = req->targets[i];
			if (t->class != order[k])
				continue;
			adev = acpi_shp_node_holder(req, t);
			if (!adev || acpi_shp_object_target(req, adev))
				continue;
			f = shp_request_add_targets(req, 1);
			if (!f)
				return -ENOMEM;
			f->class = SHP_CLASS_FIRMWARE;
			f->nid = t->nid;
			f->parent = t->parent;
			shp_target_set_device(f, &adev->dev);
			f->fw.handler = &acpi_shp_handler;
			f->fw.handle = adev;
		}
	}
	return 0;
}

/*
 * Hot-remove: every CPU and memory block an object holds must be a target
 * of the request, or a device would go unchecked; those targets are
 * marked as removed by the object's eject, so that the CPU and memory
 * stages offline them and leave their removal to this one. The objects
 * that hold a node's CPUs and memory are named first.
 */
static int acpi_shp_expand(struct shp_handler *h, struct shp_request *req)
{
	struct acpi_shp_walk w;
	struct shp_target *t;
	int ret = 0, err;

	acpi_scan_lock_acquire();
	ret = acpi_shp_name_holders(req);
	if (ret)
		goto out;
	for (t = acpi_shp_next(req, NULL); t; t = acpi_shp_next(req, t)) {
		/* A gone object holds nothing: no CPU step may take it. */
		err = acpi_shp_check_object(req, t);
		if (err) {
			ret = ret ?: err;
			continue;
		}
		w = (struct acpi_shp_walk){ .req = req, .verify = true };
		acpi_shp_walk_one(acpi_shp_target(t), &w);
		if (w.unknown || w.changed) {
			shp_report_blocker(req, shp_target_index(req, t), -EAGAIN,
					   "%s holds devices that the request does not name",
					   dev_name(t->dev));
			ret = ret ?: -EAGAIN;
		}
	}
out:
	acpi_scan_lock_release();
	return ret;
}

static int acpi_shp_validate(struct shp_handler *h, struct shp_request *req)
{
	struct acpi_device *adev;
	struct shp_target *t;
	int ret = 0, err;

	acpi_scan_lock_acquire();
	for (t = acpi_shp_next(req, NULL); t; t = acpi_shp_next(req, t)) {
		adev = acpi_shp_target(t);
		/* Hot-remove: expand checked the object. */
		if (req->op == SHP_OP_HOT_ADD) {
			err = acpi_shp_check_object(req, t);
			ret = ret ?: err;
			continue;
		}
		if (acpi_shp_demand_offline(adev)) {
			struct acpi_shp_offline o = {
				.req = req, .fw = shp_target_index(req, t),
			};

			acpi_shp_check_offline(adev, &o);
			if (o.online)
				ret = ret ?: -EBUSY;
		}
	}
	acpi_scan_lock_release();
	return ret;
}

/*
 * Hot-add: enumerate a firmware object; what it brings is described as
 * targets after the existing ones.
 */
static int acpi_shp_enumerate(struct shp_handler *h, struct shp_request *req,
			      struct shp_target *t, unsigned long *data)
{
	int ret;

	acpi_scan_lock_acquire();
	ret = acpi_shp_insert(req, shp_target_index(req, t));
	acpi_scan_lock_release();
	return ret;
}

/* The inverse: the scan handlers let go of the object again. */
static int acpi_shp_unenumerate_step(struct shp_handler *h,
				     struct shp_request *req,
				     struct shp_target *t, unsigned long *data)
{
	int ret;

	acpi_scan_lock_acquire();
	ret = acpi_shp_unenumerate(req, shp_target_index(req, t));
	acpi_scan_lock_release();
	return ret;
}

/* Hot-remove: the CPUs and memory are offline; eject. No way back. */
static int acpi_shp_eject_step(struct shp_handler *h, struct shp_request *req,
			       struct shp_target *t)
{
	struct acpi_device *adev = acpi_shp_target(t);
	int ret;

	acpi_scan_lock_acquire();
	ret = adev->handle == INVALID_ACPI_HANDLE ? -ENODEV :
		acpi_scan_eject(adev);
	if (ret)
		shp_report_left(req, shp_target_index(req, t), ret,
				"%s: eject failed after its devices went offline",
				dev_name(&adev->dev));
	acpi_scan_lock_release();
	return ret;
}

static const struct shp_steps acpi_shp_hot_add = {
	.validate = acpi_shp_validate,
	.execute = acpi_shp_enumerate,
	.undo = acpi_shp_unenumerate_step,
};

static const struct shp_steps acpi_shp_hot_remove = {
	.expand = acpi_shp_expand,
	.validate = acpi_shp_validate,
	.commit = acpi_shp_eject_step,
	.expand_classes = BIT(SHP_CLASS_NODE),
};

static struct shp_handler acpi_shp_handler = {
	.name = "acpi",
	.stage = SHP_STAGE_FIRMWARE,
	.classes = BIT(SHP_CLASS_FIRMWARE),
	.steps = {
		[SHP_OP_HOT_ADD] = &acpi_shp_hot_add,
		[SHP_OP_HOT_REMOVE] = &acpi_shp_hot_remove,
	},
};

/* ------------------------------------------------------------ events */

/*
 * A request whose one target is @adev, a firmware object of this handler.
 * Return: the request, or NULL if out of memory.
 */
VISIBLE_IF_KUNIT struct shp_request *
acpi_shp_request(struct acpi_device *adev, enum shp_operation op)
{
	struct shp_request *req;
	struct shp_target *t;

	req = shp_request_alloc(op, SHP_ORIGIN_FIRMWARE, 1, GFP_KERNEL);
	if (!req)
		return NULL;
	t = req->targets[0];
	t->class = SHP_CLASS_FIRMWARE;
	shp_target_set_device(t, &adev->dev);
	t->fw.handler = &acpi_shp_handler;
	t->fw.handle = adev;
	return req;
}

/*
 * Under acpi_scan_lock. Return: the hot-remove request for @adev, NULL if
 * @adev is not for the sequencer or its eject is disabled, or an
 * ERR_PTR().
 */
static struct shp_request *acpi_shp_eject_request(struct acpi_device *adev)
{
	struct acpi_shp_walk w = { .last_range = -1 };
	struct shp_request *req;
	int ret;

	/*
	 * A disabled hotplug profile: the scan code refuses the eject before
	 * anything else ("Eject disabled", _OST 0x80); leave it to that.
	 */
	if (!acpi_shp_ours(adev) || !acpi_shp_eject_enabled(adev))
		return NULL;
	req = acpi_shp_request(adev, SHP_OP_HOT_REMOVE);
	if (!req)
		return ERR_PTR(-ENOMEM);
	w.req = req;
	ret = acpi_shp_walk_one(adev, &w);
	if (ret || w.unknown) {
		shp_request_put(req);
		return ret ? ERR_PTR(ret) : NULL;
	}
	return req;
}

/*
 * Under acpi_scan_lock. Return: the hot-add request for @adev, NULL if
 * @adev is not for the sequencer, or there is nothing to insert: it is
 * enumerated already, or _STA says it is absent. For those, the scan code
 * only re-checks _STA and reports success (acpi_scan_device_check()), so
 * it is left to do that. An ERR_PTR() if no request could be made.
 */
static struct shp_request *acpi_shp_insert_request(struct acpi_device *adev)
{
	struct shp_request *req;

	if (!acpi_shp_ours(adev) || adev->handler)
		return NULL;
	acpi_bus_get_status(adev);
	if (!acpi_device_is_present(adev))
		return NULL;
	req = acpi_shp_request(adev, SHP_OP_HOT_ADD);
	return req ?: ERR_PTR(-ENOMEM);
}

/*
 * The _OST status of an insertion, reported with the notification that
 * asked for it (Bus Check or Device Check) as its source event. The ACPI
 * specification (6.5, section 6.3.5, _OST) defines only the general
 * status codes for those sources: 0 for success, 1 for a failure. The
 * insertion codes 0x80-0x82 belong to source 0x200 (OSPM insertion
 * processing), which this path never is; the reason of a failure is in
 * the request's history.
 */
VISIBLE_IF_KUNIT u32 acpi_shp_insert_status(int ret)
{
	return ret ? ACPI_OST_SC_NON_SPECIFIC_FAILURE : ACPI_OST_SC_SUCCESS;
}

/*
 * The _OST status of an eject that ended with @ret, as acpi_device_hotplug()
 * reports acpi_scan_hot_remove(): 0x80 for a disabled hotplug profile
 * (this handler's -EPERM), 0x82 for any failure to offline a CPU or a
 * memory block, whatever its errno (acpi_scan_try_to_offline() turns them
 * all into -EBUSY, a CPU that cannot be offlined included) and for an
 * offline that outlived the request's deadline, 1 when the
 * object is gone or _EJ0 fails. One answer is more specific than the
 * scan code's 0x82: a container that demands its devices offline
 * (@dependants_online: one under it is still online) gets 0x83, the status
 * the ACPI specification (6.5, section 6.3.5, _OST) defines for a busy
 * ejection dependency.
 */
VISIBLE_IF_KUNIT u32 acpi_shp_eject_status(const struct shp_request *req,
					   int ret, bool dependants_online)
{
	const char *failed;
	bool own, core;

	if (!ret)
		return ACPI_OST_SC_SUCCESS;
	failed = req ? shp_request_failed_handler(req) : "";
	/* No step failed: the request could not be made or submitted. */
	if (!*failed)
		return ACPI_OST_SC_NON_SPECIFIC_FAILURE;
	own = !strcmp(failed, acpi_shp_handler.name);
	core = !strcmp(failed, SHP_CORE_NAME);
	if (own && ret == -EPERM)
		return ACPI_OST_SC_EJECT_NOT_SUPPORTED;
	if (dependants_online)
		return ACPI_OST_SC_EJECT_DEPENDENCY_BUSY;
	/* The object or a device went away, or _EJ0 failed. */
	if ((own && ret != -EAGAIN && ret != -EBUSY) ||
	    (core && ret != -EINTR && ret != -ETIMEDOUT))
		return ACPI_OST_SC_NON_SPECIFIC_FAILURE;
	/*
	 * A device would not go offline (in time: the request's deadline),
	 * or changed under the request.
	 */
	return ACPI_OST_SC_DEVICE_BUSY;
}

/**
 * acpi_shp_hotplug - run an ACPI hot-plug event through the sequencer
 * @adev: the object the event is for, with a reference the caller took
 * @src: the notification, or %ACPI_OST_EC_OSPM_EJECT for a sysfs eject
 *
 * Called from acpi_device_hotplug() on the ACPI hot-plug workqueue, before
 * it takes any lock. A bus check or device check of a processor, a memory
 * device or a container that is not enumerated yet and is present becomes
 * a hot-add request, an eject of one whose hotplug profile is enabled a
 * hot-remove request; this waits for the request and reports its outcome
 * by _OST.
 *
 * Return: true if the event was handled here (the reference on @adev is
 * dropped and _OST evaluated), false to leave it to the ACPI scan code.
 */
bool acpi_shp_hotplug(struct acpi_device *adev, u32 src)
{
	struct acpi_shp_offline o = { };
	struct shp_request *req;
	u32 status;
	bool insert;
	int ret;

	switch (src) {
	case ACPI_NOTIFY_BUS_CHECK:
	case ACPI_NOTIFY_DEVICE_CHECK:
		insert = true;
		break;
	case ACPI_NOTIFY_EJECT_REQUEST:
	case ACPI_OST_EC_OSPM_EJECT:
		insert = false;
		break;
	default:
		return false;
	}
	if (!shp_handles(SHP_CLASS_FIRMWARE,
			 insert ? SHP_OP_HOT_ADD : SHP_OP_HOT_REMOVE))
		return false;

	acpi_scan_lock_acquire();
	req = insert ? acpi_shp_insert_request(adev) :
		       acpi_shp_eject_request(adev);
	/* As the scan code does, once the eject may go ahead. */
	if (!IS_ERR_OR_NULL(req) && !insert)
		acpi_evaluate_ost(adev->handle, ACPI_NOTIFY_EJECT_REQUEST,
				  ACPI_OST_SC_EJECT_IN_PROGRESS, NULL);
	acpi_scan_lock_release();
	if (!req)
		return false;

	if (IS_ERR(req)) {
		ret = PTR_ERR(req);
		req = NULL;
	} else {
		ret = shp_submit_wait(req);
	}
	if (ret)
		dev_info(&adev->dev, "%s failed: %d\n",
			 insert ? "insertion" : "eject", ret);
	/* The object is used under acpi_scan_lock, as the scan code does. */
	acpi_scan_lock_acquire();
	/*
	 * acpi_scan_hot_remove() checks a demand_offline container before
	 * anything else; here a CPU or memory step may have failed first.
	 * Whichever step failed, the container refuses what is online in it.
	 */
	if (!insert && ret && acpi_shp_demand_offline(adev))
		acpi_shp_check_offline(adev, &o);
	status = insert ? acpi_shp_insert_status(ret) :
			  acpi_shp_eject_status(req, ret, o.online);
	/*
	 * The uevent acpi_scan_hot_remove() sends on this refusal: a
	 * KOBJ_CHANGE with EVENT=offline to the container's device, if online.
	 */
	if (status == ACPI_OST_SC_EJECT_DEPENDENCY_BUSY)
		acpi_scan_is_offline(adev, true);
	acpi_evaluate_ost(adev->handle, src, status, NULL);
	acpi_scan_lock_release();
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
