// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs writes through the system device hot-plug sequencer.
 */

#include <linux/device.h>
#include <linux/kernfs.h>
#include <linux/slab.h>
#include <linux/sys_hotplug.h>
#include <linux/sysfs.h>

/**
 * shp_sysfs_online - online or offline a device for a sysfs write
 * @dev: the device whose attribute is written
 * @attr: the attribute being written
 * @class: the class of @dev
 * @online: online (true) or offline (false)
 * @online_type: for memory, the MMOP_* online type, or -1
 *
 * Submits a request for @dev and waits for it (see shp_submit_wait() for
 * what a signal to the writer does: as upstream, a memory offline gives up
 * with -EINTR, a CPU offline completes). While waiting,
 * the attribute's active reference is released, so that a request that
 * removes @dev (and drains its attributes) does not wait for this writer;
 * @dev is not used once the request has ended, and the caller must not
 * use it after this returns either (it may be gone).
 *
 * Context: the sysfs store of @attr, in the writer's process context,
 * holding the attribute's active reference and no hot-plug lock; sleeps
 * until the request has ended.
 *
 * Return: -ENOIOCTLCMD if no handler onlines or offlines @class devices
 * (the caller then does what it did without the framework); 1 if @dev was
 * in that state already; 0 if it changed; -ENOMEM; -ERESTARTNOINTR if a
 * signal came before the request started (nothing ran; the write is
 * restarted once the signal is handled, as lock_device_hotplug_sysfs()
 * does); -EINTR if the writer was killed while the sequencer's worker
 * ran its request (the request goes on and ends as if it had not been:
 * a CPU offline completes), or a memory offline gave up on a signal; or
 * the negative errno of the step that failed. Unless the request ended
 * %SHP_OUTCOME_PARTIAL, a failed request undid everything.
 */
int shp_sysfs_online(struct device *dev, const struct attribute *attr,
		     enum shp_class class, bool online, int online_type)
{
	enum shp_operation op = online ? SHP_OP_ONLINE : SHP_OP_OFFLINE;
	struct kernfs_node *kn;
	struct shp_request *req;
	int ret;

	if (!shp_handles(class, op))
		return -ENOIOCTLCMD;
	req = shp_request_alloc(op, SHP_ORIGIN_SYSFS, 1, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	/*
	 * Held by the request, even if the writer is killed while it runs;
	 * a CPU's static device only from when the request starts.
	 */
	if (class == SHP_CLASS_CPU) {
		shp_target_set_cpu(req->targets[0], dev->id);
	} else {
		req->targets[0]->class = class;
		shp_target_set_device(req->targets[0], dev);
		req->targets[0]->mem.online_type = online_type;
	}

	/*
	 * As sysfs_break_active_protection(), but without pinning the
	 * kobject: a CPU's device is static and register_cpu() reinitializes
	 * it, so no reference may outlive a request that removes the CPU, or
	 * be held while one waits. Nothing here or in the store method uses
	 * @dev once the request has started.
	 */
	kn = kernfs_find_and_get(dev->kobj.sd, attr->name);
	if (kn)
		kernfs_break_active_protection(kn);
	ret = shp_submit_wait(req);
	if (kn) {
		kernfs_unbreak_active_protection(kn);
		kernfs_put(kn);
	}
	if (!ret && !shp_target_changed(req, req->targets[0]))
		ret = 1;
	shp_request_put(req);
	return ret;
}
