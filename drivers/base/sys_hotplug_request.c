// SPDX-License-Identifier: GPL-2.0
/*
 * The requests of the system device hot-plug sequencer: allocation,
 * targets (a first target added alone in the request itself, the others
 * in chunks; none ever moves, and each holds its device), the reports
 * steps make, and what a request's outcome says. The sequencer, which
 * runs them, is sys_hotplug.c.
 */

#include <linux/cpu.h>
#include <linux/device.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/numa.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sys_hotplug.h>
#include <kunit/visibility.h>

#include "sys_hotplug_internal.h"

static const char * const shp_op_names[SHP_NR_OPS] = {
	[SHP_OP_HOT_ADD] = "hot-add",
	[SHP_OP_HOT_REMOVE] = "hot-remove",
	[SHP_OP_ONLINE] = "online",
	[SHP_OP_OFFLINE] = "offline",
};

const char * const shp_class_names[SHP_NR_CLASSES] = {
	[SHP_CLASS_CPU] = "cpu",
	[SHP_CLASS_MEMORY] = "memory",
	[SHP_CLASS_NODE] = "node",
	[SHP_CLASS_FIRMWARE] = "firmware",
};

const char * const shp_origin_names[SHP_NR_ORIGINS] = {
	[SHP_ORIGIN_KERNEL] = "kernel",
	[SHP_ORIGIN_SYSFS] = "sysfs",
	[SHP_ORIGIN_FIRMWARE] = "firmware",
};

const char * const shp_phase_names[SHP_NR_PHASES + 1] = {
	[SHP_PHASE_VALIDATE] = "validate",
	[SHP_PHASE_EXECUTE] = "execute",
	[SHP_PHASE_COMMIT] = "commit",
	[SHP_FAULT_ROLLBACK] = "rollback",
};

const char * const shp_outcome_names[] = {
	[SHP_OUTCOME_PENDING] = "pending",
	[SHP_OUTCOME_OK] = "ok",
	[SHP_OUTCOME_FAILED] = "failed",
	[SHP_OUTCOME_PARTIAL] = "partial",
	[SHP_OUTCOME_CANCELLED] = "cancelled",
};

/**
 * shp_op_name - name of an operation
 * @op: the operation
 *
 * Context: any context.
 *
 * Return: "hot-add", "hot-remove", "online", "offline", or "?".
 */
const char *shp_op_name(enum shp_operation op)
{
	return (unsigned int)op < SHP_NR_OPS ? shp_op_names[op] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(shp_op_name);

/*
 * A request and the sequencer's state of it, in one allocation, with the
 * first target and its index slot: a request for one device (a sysfs
 * write) needs no other allocation.
 */
struct shp_request_full {
	struct shp_request req;
	struct shp_request_private p;
	struct shp_target *first_slot;
	struct shp_target first;
};

static struct shp_request_full *shp_full(struct shp_request *req)
{
	return container_of(req, struct shp_request_full, req);
}

/* The index of targets, unless it is the one slot of shp_request_full. */
static void shp_free_index(struct shp_request *req)
{
	if (req->targets != &shp_full(req)->first_slot)
		kvfree(req->targets);
}

/**
 * shp_kvgrow - grow an array that starts in the request itself
 * @arr: the array, or @first
 * @first: the storage in the request that the array starts in
 * @first_size: the size of @first, in bytes
 * @size: the new size, in bytes
 * @gfp: allocation flags
 *
 * Return: the grown array (@arr's contents first), or NULL with @arr
 * unchanged.
 */
void *shp_kvgrow(void *arr, const void *first, size_t first_size,
		 size_t size, gfp_t gfp)
{
	void *p;

	if (arr != first)
		return kvrealloc(arr, size, gfp);
	p = kvmalloc(size, gfp);
	if (p)
		memcpy(p, first, first_size);
	return p;
}

/* Targets added together; a chunk never moves, so neither do they. */
struct shp_target_chunk {
	struct list_head node;
	struct shp_target targets[];
};

/*
 * Room for @n targets after the first @total - @n, in a new chunk. The
 * index, an array of pointers, grows by doubling, so that appending one
 * at a time stays amortised O(1).
 */
static struct shp_target *shp_add_chunk(struct shp_request *req,
					unsigned int total, unsigned int n,
					gfp_t gfp)
{
	struct shp_request_full *full = shp_full(req);
	struct shp_target_chunk *chunk;
	struct shp_target **index;
	unsigned int max;

	if (total > req->p->max_targets) {
		max = max(total, 2 * req->p->max_targets);
		index = shp_kvgrow(req->targets, &full->first_slot,
				   sizeof(full->first_slot),
				   array_size(max, sizeof(*index)), gfp);
		if (!index)
			return NULL;
		req->targets = index;
		req->p->max_targets = max;
	}
	chunk = kvzalloc(struct_size(chunk, targets, n), gfp);
	if (!chunk)
		return NULL;
	list_add_tail(&chunk->node, &req->p->chunks);
	return chunk->targets;
}

/*
 * Append @n targets, next to each other: in the request itself for the
 * first of a request for one, else in a chunk of their own.
 */
static struct shp_target *shp_grow_targets(struct shp_request *req,
					   unsigned int n, gfp_t gfp)
{
	struct shp_request_full *full = shp_full(req);
	struct shp_target *added;
	unsigned int i, total;

	if (!n || check_add_overflow(req->nr_targets, n, &total))
		return NULL;
	if (!req->p->max_targets && n == 1) {
		req->targets = &full->first_slot;
		req->p->max_targets = 1;
		added = &full->first;
	} else {
		added = shp_add_chunk(req, total, n, gfp);
		if (!added)
			return NULL;
	}
	for (i = 0; i < n; i++) {
		struct shp_target *t = &added[i];

		t->class = SHP_NR_CLASSES;
		t->index = req->nr_targets + i;
		t->nid = NUMA_NO_NODE;
		t->parent = -1;
		t->cpu = -1;
		t->mem.online_type = -1;
		req->targets[t->index] = t;
	}
	req->nr_targets = total;
	return added;
}

/**
 * shp_request_alloc - allocate a request and its targets
 * @op: the operation
 * @origin: who asks
 * @nr_targets: number of targets; the caller fills in req->targets[i]
 * @gfp: allocation flags
 *
 * Every target starts with class %SHP_NR_CLASSES (invalid, so that an
 * unfilled target is refused at submission), no device, no CPU (-1),
 * %NUMA_NO_NODE, no parent and the default memory online type.
 *
 * Context: may sleep if @gfp allows it.
 *
 * Return: the request with one reference held by the caller, or NULL if
 * out of memory.
 */
struct shp_request *shp_request_alloc(enum shp_operation op,
				      enum shp_origin origin,
				      unsigned int nr_targets, gfp_t gfp)
{
	struct shp_request_full *full;
	struct shp_request *req;

	full = kzalloc(sizeof(*full), gfp);
	if (!full)
		return NULL;
	req = &full->req;
	req->p = &full->p;
	req->p->req = req;
	INIT_LIST_HEAD(&req->p->chunks);
	if (nr_targets && !shp_grow_targets(req, nr_targets, gfp)) {
		/* The index may have grown before the chunk failed. */
		shp_free_index(req);
		kfree(full);
		return NULL;
	}
	req->op = op;
	req->origin = origin;
	req->outcome = SHP_OUTCOME_PENDING;
	kref_init(&req->p->kref);
	INIT_LIST_HEAD(&req->p->queued);
	init_completion(&req->p->completion);
	INIT_LIST_HEAD(&req->p->reports);
	return req;
}
EXPORT_SYMBOL_IF_KUNIT(shp_request_alloc);

/*
 * A request holds its devices only while it can act on them. A CPU's
 * device is static per-CPU storage that register_cpu() reinitializes when
 * the CPU comes back: a reference that outlived the request that removed
 * the CPU would be dropped on the new registration (see
 * cpu_device_release()). So the sequencer calls this when a request ends,
 * before the next one starts, and a queued request names its CPUs by
 * number (shp_target_set_cpu()).
 */
void shp_request_put_devices(struct shp_request *req)
{
	unsigned int i;

	for (i = 0; i < req->nr_targets; i++) {
		put_device(req->targets[i]->dev);
		req->targets[i]->dev = NULL;
	}
}

static void shp_request_release(struct kref *kref)
{
	struct shp_request *req = container_of(kref, struct shp_request_private,
					       kref)->req;
	struct shp_target_chunk *chunk, *next;
	struct shp_report *r, *tmp;

	list_for_each_entry_safe(r, tmp, &req->p->reports, node)
		kfree(r);
	shp_request_put_devices(req);
	list_for_each_entry_safe(chunk, next, &req->p->chunks, node)
		kvfree(chunk);
	if (req->p->progress != req->p->first_progress)
		kvfree(req->p->progress);
	shp_free_index(req);
	kfree(shp_full(req));
}

/**
 * shp_request_put - drop a reference on a request
 * @req: the request, or NULL
 *
 * The request is freed with its targets and reports when the last
 * reference goes. A submitted request holds its own reference until it
 * has ended, so the submitter may drop its reference at any time.
 *
 * Context: process context (the last put may free with kvfree()).
 */
void shp_request_put(struct shp_request *req)
{
	if (req)
		kref_put(&req->p->kref, shp_request_release);
}
EXPORT_SYMBOL_IF_KUNIT(shp_request_put);

/**
 * shp_request_add_targets - append targets to a request
 * @req: a request that is not submitted, or the request a step is running
 * @n: number of targets to add
 *
 * A firmware step that enumerates new hardware describes what it found as
 * targets, so that the stages after it act on them. The new targets start
 * as in shp_request_alloc(), with the next indexes, and lie next to each
 * other: the caller may walk them from the first. No target moves,
 * whatever is added after it. Amortised O(1) per target.
 *
 * Context: may sleep. A step calls it, with device_hotplug_lock held.
 *
 * Return: the first new target, or NULL if out of memory (nothing changed).
 */
struct shp_target *shp_request_add_targets(struct shp_request *req,
					   unsigned int n)
{
	return shp_grow_targets(req, n, GFP_KERNEL);
}
EXPORT_SYMBOL_IF_KUNIT(shp_request_add_targets);

/**
 * shp_target_set_device - name the device a target is
 * @t: a target of a request that is not submitted, or that a step of the
 *	running request added; it names no device yet
 * @dev: the device; the caller holds a reference on it. A submitter names
 *	a CPU with shp_target_set_cpu() instead: only a step may give a
 *	target a CPU's device.
 *
 * The request takes a reference of its own on @dev, so that the device
 * outlives a step that unregisters it and a submitter that is killed while
 * the request runs. The sequencer drops it, and sets @t->dev to NULL, when
 * the request has ended (before its waiter wakes and before the next
 * request starts), or the last shp_request_put() of a request that never
 * ran does. The caller keeps and drops its own reference as it would
 * without the request.
 *
 * Context: any context.
 */
void shp_target_set_device(struct shp_target *t, struct device *dev)
{
	if (WARN_ON_ONCE(t->dev))
		put_device(t->dev);
	t->dev = get_device(dev);
	if (dev && dev->bus == &cpu_subsys)
		t->cpu = dev->id;
}
EXPORT_SYMBOL_IF_KUNIT(shp_target_set_device);

/**
 * shp_target_set_cpu - name a CPU target by its logical number
 * @t: a target of a request that is not submitted
 * @cpu: the logical CPU; it need not be registered
 *
 * Makes @t a %SHP_CLASS_CPU target. The request holds no reference while
 * it waits in the queue: a CPU's device is static per-CPU storage, and
 * register_cpu() reinitializes it when the CPU is removed and added again
 * by a path that does not pass through the sequencer (an ACPI Bus Check
 * of a container), so a reference held across that would be dropped on
 * the new registration. When the request starts, under
 * device_hotplug_lock, the sequencer looks the CPU up (get_cpu_device())
 * and the request holds its device until it ends; a CPU that is not
 * registered then fails the request with -ENODEV before any step runs.
 * A target that a step adds gets its device when that step returns, or
 * fails the step with -ENODEV; no step sees a CPU target without one.
 *
 * Context: any context.
 */
void shp_target_set_cpu(struct shp_target *t, unsigned int cpu)
{
	t->class = SHP_CLASS_CPU;
	t->cpu = cpu;
}
EXPORT_SYMBOL_IF_KUNIT(shp_target_set_cpu);

/**
 * shp_request_aborted - whether the request a step runs for must stop
 * @req: the request
 *
 * A step whose work for one target is long (validating every page of
 * many memory blocks) checks this between units of work and, once it is
 * true, returns -EINTR. The sequencer calls no further execute or commit
 * step of such a request, and interrupts a running execute step as a
 * signal would (see shp_submit_wait()), so that waits that give up on a
 * signal end.
 *
 * Context: any; reads without a lock a flag that only goes from false to
 * true.
 * Return: true once an operator has aborted the request ("abort ID" to
 * the debugfs request file) or its deadline (@req->timeout_ms) passed.
 */
bool shp_request_aborted(const struct shp_request *req)
{
	return READ_ONCE(req->p->aborted);
}
EXPORT_SYMBOL_IF_KUNIT(shp_request_aborted);

/**
 * shp_request_failed_handler - the handler whose step failed a request
 * @req: a request that has ended
 *
 * Context: any context, once @req has ended.
 *
 * Return: the name of the handler whose validate, execute or commit step
 * failed first (%SHP_CORE_NAME for the sequencer's own checks, stop or
 * deadline), or "" if none did.
 */
const char *shp_request_failed_handler(const struct shp_request *req)
{
	return req->p->failed_handler;
}

/**
 * shp_request_failed_phase - the phase of that failure
 * @req: a request that has ended
 *
 * Context: any context, once @req has ended.
 *
 * Return: the phase in which shp_request_failed_handler() failed; only
 * meaningful if it names a handler.
 */
enum shp_phase shp_request_failed_phase(const struct shp_request *req)
{
	return req->p->failed_phase;
}

/**
 * shp_target_changed - whether a request changed a target
 * @req: a request that has ended, or whose step calls this
 * @t: one of its targets
 *
 * A sysfs writer tells "already in that state" from it; a later step of
 * the same request (the node stage recording what an offline of a node
 * took down) tells what an earlier one changed.
 *
 * Context: any context, once @req has ended; or a step of @req.
 *
 * Return: true if an execute step changed @t (returned 0 for it) and no
 * rollback undid that change (so far).
 */
bool shp_target_changed(const struct shp_request *req,
			const struct shp_target *t)
{
	unsigned int i, idx = shp_target_index(req, t);

	for (i = 0; i < req->p->nr_progress; i++)
		if (req->p->progress[i].target == idx && !req->p->progress[i].undone)
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(shp_target_changed);

static __printf(5, 0)
void shp_report(struct shp_request *req, enum shp_report_kind kind,
		int target, int err, const char *fmt, va_list args)
{
	struct shp_report *r;
	va_list aq;
	int len;

	/* Even if the report itself is dropped below. */
	if (kind == SHP_REPORT_LEFT && req->p->cur_handler)
		req->p->left_by_step = true;
	if (req->p->nr_reports >= SHP_MAX_REPORTS) {
		req->p->nr_dropped++;
		return;
	}
	va_copy(aq, args);
	len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	r = kzalloc(sizeof(*r) + len + 1, GFP_KERNEL);
	if (!r) {
		req->p->nr_dropped++;
		return;
	}
	vsnprintf(r->reason, len + 1, fmt, args);
	r->kind = kind;
	r->phase = req->p->cur_phase;
	r->target = target;
	r->err = err;
	strscpy(r->handler, req->p->cur_handler ?: SHP_CORE_NAME,
		sizeof(r->handler));
	list_add_tail(&r->node, &req->p->reports);
	req->p->nr_reports++;
}

/**
 * shp_report_blocker - report why a target cannot go through a request
 * @req: the request being validated
 * @target: index of the target (shp_target_index()), or -1
 * @err: the errno this blocker would cause
 * @fmt: printf-style reason, short and for an administrator
 *
 * Called by validate steps. Validate-only requests return every blocker;
 * other requests stop at the first failing validate step. Reports past
 * the request's limit are counted, not kept.
 *
 * Context: a step of @req (on the sequencer's worker, or in a writer that
 * runs its own request), with
 * device_hotplug_lock held; may sleep (allocates with GFP_KERNEL).
 */
void shp_report_blocker(struct shp_request *req, int target, int err,
			const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	shp_report(req, SHP_REPORT_BLOCKER, target, err, fmt, args);
	va_end(args);
}
EXPORT_SYMBOL_IF_KUNIT(shp_report_blocker);

/**
 * shp_report_left - report a change that could not be undone
 * @req: the request being rolled back or committed
 * @target: index of the target (shp_target_index()), or -1
 * @err: the errno of the failed step, or 0 if the step did not fail but
 *	could not restore the state exactly
 * @fmt: printf-style description of the state that was left
 *
 * Called by rollback and commit steps that fail or cannot restore what
 * was, to say what was left where; the request ends
 * %SHP_OUTCOME_PARTIAL.
 *
 * Context: a step of @req (on the sequencer's worker, or in a writer that
 * runs its own request), with
 * device_hotplug_lock held; may sleep (allocates with GFP_KERNEL).
 */
void shp_report_left(struct shp_request *req, int target, int err,
		     const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	shp_report(req, SHP_REPORT_LEFT, target, err, fmt, args);
	va_end(args);
}
EXPORT_SYMBOL_IF_KUNIT(shp_report_left);
