/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System device hot-plug framework: one sequencer for the hot-add,
 * hot-remove, online and offline of CPUs, memory and NUMA nodes.
 *
 * See drivers/base/sys_hotplug.c for the overview.
 */
#ifndef _LINUX_SYS_HOTPLUG_H
#define _LINUX_SYS_HOTPLUG_H

#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct attribute;
struct device;
struct shp_sequencer;

/**
 * enum shp_operation - what a request does to its targets
 * @SHP_OP_HOT_ADD: make new hardware usable (enumerate, add, online)
 * @SHP_OP_HOT_REMOVE: take hardware out of use and eject it
 * @SHP_OP_ONLINE: online existing devices
 * @SHP_OP_OFFLINE: offline existing devices
 * @SHP_NR_OPS: number of operations
 *
 * Hot-add and online run the stages in ascending order, hot-remove and
 * offline in descending order.
 */
enum shp_operation {
	SHP_OP_HOT_ADD,
	SHP_OP_HOT_REMOVE,
	SHP_OP_ONLINE,
	SHP_OP_OFFLINE,
	SHP_NR_OPS,
};

/**
 * enum shp_class - the kind of a target
 * @SHP_CLASS_CPU: a CPU
 * @SHP_CLASS_MEMORY: a memory block or a physical memory range
 * @SHP_CLASS_NODE: a NUMA node
 * @SHP_CLASS_FIRMWARE: a firmware object, such as an ACPI device
 * @SHP_NR_CLASSES: number of classes
 */
enum shp_class {
	SHP_CLASS_CPU,
	SHP_CLASS_MEMORY,
	SHP_CLASS_NODE,
	SHP_CLASS_FIRMWARE,
	SHP_NR_CLASSES,
};

/**
 * enum shp_origin - who asked for a request
 * @SHP_ORIGIN_KERNEL: kernel code (including KUnit)
 * @SHP_ORIGIN_SYSFS: a write to a sysfs attribute
 * @SHP_ORIGIN_FIRMWARE: a firmware notification
 * @SHP_NR_ORIGINS: number of origins
 */
enum shp_origin {
	SHP_ORIGIN_KERNEL,
	SHP_ORIGIN_SYSFS,
	SHP_ORIGIN_FIRMWARE,
	SHP_NR_ORIGINS,
};

/**
 * enum shp_phase - the phases every request runs through, in this order
 * @SHP_PHASE_VALIDATE: check every target, change nothing
 * @SHP_PHASE_EXECUTE: make the change, in a way that can still be undone
 * @SHP_PHASE_COMMIT: the steps that cannot be undone (e.g. ACPI _EJ0)
 * @SHP_NR_PHASES: number of phases
 */
enum shp_phase {
	SHP_PHASE_VALIDATE,
	SHP_PHASE_EXECUTE,
	SHP_PHASE_COMMIT,
	SHP_NR_PHASES,
};

/**
 * enum shp_stage - the ordered stages handlers register for
 * @SHP_STAGE_NODE: NUMA node state. Comes online before anything is added
 *	to a node and goes offline after its last CPU and memory are gone.
 * @SHP_STAGE_FIRMWARE: firmware objects: enumerate on hot-add; trim, lock
 *	and eject on hot-remove.
 * @SHP_STAGE_MEMORY: memory: add and online; offline and remove.
 * @SHP_STAGE_CPU: CPUs: make present and online; offline.
 * @SHP_NR_STAGES: number of stages
 *
 * Hot-add and online run the stages from first to last, as the kernel
 * brings system devices up at boot: the node, then the firmware objects,
 * then memory (so that new CPUs find local memory), then CPUs. Hot-remove
 * and offline run them from last to first. Within a stage, handlers run in
 * registration order on the way up and in reverse on the way down.
 *
 * Rules for adding a stage: it goes where the boot sequence brings its
 * devices up; every handler of a stage may rely on the stages before it
 * (on the way up) being complete; no gaps, no numbers, no out-of-tree
 * stages.
 */
enum shp_stage {
	SHP_STAGE_NODE,
	SHP_STAGE_FIRMWARE,
	SHP_STAGE_MEMORY,
	SHP_STAGE_CPU,
	SHP_NR_STAGES,
};

/**
 * enum shp_outcome - how a request ended
 * @SHP_OUTCOME_PENDING: queued or running
 * @SHP_OUTCOME_OK: every step completed (or, for a validate-only request,
 *	no validate step found a blocker)
 * @SHP_OUTCOME_FAILED: a step failed and everything done was undone
 * @SHP_OUTCOME_PARTIAL: a commit step or an undo step failed; the reports
 *	say what was left where
 * @SHP_OUTCOME_CANCELLED: the submitter was killed before the request ran
 */
enum shp_outcome {
	SHP_OUTCOME_PENDING,
	SHP_OUTCOME_OK,
	SHP_OUTCOME_FAILED,
	SHP_OUTCOME_PARTIAL,
	SHP_OUTCOME_CANCELLED,
};

/* Run every validate handler, report every blocker, change nothing. */
#define SHP_REQ_VALIDATE_ONLY	BIT(0)
#define SHP_REQ_FLAGS		SHP_REQ_VALIDATE_ONLY

/* In shp_target.done: execute changed this target's state. */
#define SHP_TARGET_CHANGED	BIT(0)

/* Handler and report names are copied into records of this size. */
#define SHP_NAME_LEN		32

/* The name failures and reports of the sequencer itself carry. */
#define SHP_CORE_NAME		"core"

/**
 * struct shp_target - one device a request acts on
 * @class: what kind of device this is
 * @dev: the existing device (CPU, memory block, node or firmware device);
 *	NULL only for hardware that has no device yet (hot-add) or that is
 *	named by its physical range. Whoever sets @dev gives the request a
 *	reference on it (get_device()), which is dropped when the request is
 *	freed, so that the device outlives a step that unregisters it.
 * @nid: NUMA node of the target, or NUMA_NO_NODE
 * @cpu: CPU targets: firmware identifier of a CPU that has no device yet
 * @mem: memory targets: physical range that has no memory block yet, and
 *	the online type (MMOP_*) to use, or -1 for the default policy
 * @fw_handle: firmware targets: the firmware object, as its firmware's
 *	handler knows it. It means nothing to the sequencer, so a firmware
 *	handler acts only on the targets it recognises as its own (the ACPI
 *	handler's hold a struct acpi_device and name its device as @dev).
 * @done: what the handlers of this target's class changed during execute,
 *	so that their rollback undoes exactly that; the core never reads it.
 *	%SHP_TARGET_CHANGED says the target changed state (sysfs writers
 *	tell "already in that state" from it); other bits are the handlers'.
 */
struct shp_target {
	enum shp_class class;
	struct device *dev;
	int nid;
	union {
		struct {
			u64 hwid;
		} cpu;
		struct {
			u64 start;
			u64 size;
			int online_type;
		} mem;
		void *fw_handle;
	};
	unsigned long done;
};

/**
 * struct shp_request - one hot-plug request
 * @id: unique ID, assigned by submission (IDs increase in queue order)
 * @op: the operation
 * @origin: who asked
 * @flags: SHP_REQ_* flags
 * @nr_targets: number of entries in @targets
 * @targets: the targets, allocated with the request
 * @result: 0 or the errno of the first failure, valid once complete
 * @outcome: how the request ended
 * @done: optional callback, run exactly once when the request has ended,
 *	from the sequencer's worker, without any sequencer lock held
 * @data: for the submitter
 *
 * The remaining members are private to the sequencer.
 */
struct shp_request {
	u64 id;
	enum shp_operation op;
	enum shp_origin origin;
	unsigned int flags;
	unsigned int nr_targets;
	struct shp_target *targets;
	int result;
	enum shp_outcome outcome;
	void (*done)(struct shp_request *req);
	void *data;

	/* private: */
	struct shp_sequencer *seq;
	struct kref kref;
	struct work_struct work;
	struct completion completion;
	struct list_head reports;
	unsigned int nr_reports;
	unsigned int nr_dropped;
	unsigned int class_mask;
	unsigned int nr_checked;
	bool started;
	bool cancelled;
	bool aborted;
	bool signalled;
	bool left_by_step;
	const char *cur_handler;
	enum shp_phase cur_phase;
	char failed_handler[SHP_NAME_LEN];
	enum shp_phase failed_phase;
	u64 queued_ns;
	u64 started_ns;
};

/**
 * struct shp_handler - a module's steps for one stage
 * @name: short unique name, used in traces, history, reports and fault
 *	injection filters
 * @stage: the stage the handler belongs to
 * @ops: mask of BIT(SHP_OP_*): the operations the handler acts on
 * @classes: mask of BIT(SHP_CLASS_*): the handler is called only for
 *	requests that have a target of one of these classes
 * @validate: check the request without changing anything; report every
 *	blocker with shp_report_blocker() and return the first errno
 * @execute: make the change; on failure undo its own partial work and
 *	return the errno (it is then not called again for this request)
 * @rollback: undo exactly what a completed @execute changed; a non-zero
 *	return ends the request PARTIAL (report what was left with
 *	shp_report_left())
 * @commit: the step that cannot be undone
 *
 * Every step returns 0 or a negative errno. A handler has at least one of
 * @validate, @execute and @commit, and has @rollback if and only if it has
 * @execute. All steps run in process
 * context under lock_device_hotplug(); they must not call functions that
 * take that lock again, nor wait for a request.
 */
struct shp_handler {
	const char *name;
	enum shp_stage stage;
	unsigned int ops;
	unsigned int classes;
	int (*validate)(struct shp_handler *h, struct shp_request *req);
	int (*execute)(struct shp_handler *h, struct shp_request *req);
	int (*rollback)(struct shp_handler *h, struct shp_request *req);
	int (*commit)(struct shp_handler *h, struct shp_request *req);

	/* private: */
	struct list_head node;
	struct shp_sequencer *seq;
	bool unregistering;
};

/**
 * shp_next_target - the next target of one class
 * @req: the request
 * @t: the current target, or NULL to start
 * @cls: the class to visit
 *
 * Walk with: for (t = shp_next_target(req, NULL, cls); t;
 * t = shp_next_target(req, t, cls)).
 *
 * Return: the next target of class @cls after @t, or NULL.
 */
static inline struct shp_target *shp_next_target(struct shp_request *req,
						 struct shp_target *t,
						 enum shp_class cls)
{
	for (t = t ? t + 1 : req->targets;
	     t < req->targets + req->nr_targets; t++)
		if (t->class == cls)
			return t;
	return NULL;
}

/**
 * shp_target_index - index of a target in its request
 * @req: the request
 * @t: one of its targets
 *
 * Return: the index, for shp_report_blocker() and shp_report_left().
 */
static inline int shp_target_index(const struct shp_request *req,
				   const struct shp_target *t)
{
	return t - req->targets;
}

/**
 * shp_is_up - whether an operation runs the stages upwards
 * @op: the operation
 *
 * Return: true for hot-add and online, false for hot-remove and offline.
 */
static inline bool shp_is_up(enum shp_operation op)
{
	return op == SHP_OP_HOT_ADD || op == SHP_OP_ONLINE;
}

/**
 * shp_request_aborted - whether the request a step runs for was aborted
 * @req: the request
 *
 * A step whose work grows with the request (many CPUs, every page of many
 * memory blocks) checks this between units of work and, once it is true,
 * undoes what it did and returns -EINTR. Whatever the step returns, an
 * aborted request runs no further execute or commit step. Execute steps are
 * also sent SIGINT, so that waits that give up on a signal end.
 *
 * Context: any; reads without a lock a flag that only goes from false to
 * true.
 * Return: true once an operator has aborted the request ("abort" to the
 * debugfs request file).
 */
static inline bool shp_request_aborted(const struct shp_request *req)
{
	return READ_ONCE(req->aborted);
}

#ifdef CONFIG_SYS_HOTPLUG

struct shp_request *shp_request_alloc(enum shp_operation op,
				      enum shp_origin origin,
				      unsigned int nr_targets, gfp_t gfp);
void shp_request_get(struct shp_request *req);
void shp_request_put(struct shp_request *req);
struct shp_target *shp_request_add_targets(struct shp_request *req,
					   unsigned int n);
int shp_submit(struct shp_request *req, u64 *id);
int shp_submit_wait(struct shp_request *req);
int shp_register_handler(struct shp_handler *h);
void shp_unregister_handler(struct shp_handler *h);
__printf(4, 5)
void shp_report_blocker(struct shp_request *req, int target, int err,
			const char *fmt, ...);
__printf(4, 5)
void shp_report_left(struct shp_request *req, int target, int err,
		     const char *fmt, ...);
const char *shp_op_name(enum shp_operation op);
bool shp_handles(enum shp_class class, enum shp_operation op);
int shp_sysfs_online(struct device *dev, const struct attribute *attr,
		     enum shp_class class, bool online, int online_type);

#else /* !CONFIG_SYS_HOTPLUG */

static inline struct shp_request *
shp_request_alloc(enum shp_operation op, enum shp_origin origin,
		  unsigned int nr_targets, gfp_t gfp)
{
	return NULL;
}

static inline void shp_request_get(struct shp_request *req) { }
static inline void shp_request_put(struct shp_request *req) { }

static inline struct shp_target *
shp_request_add_targets(struct shp_request *req, unsigned int n)
{
	return NULL;
}

static inline int shp_submit(struct shp_request *req, u64 *id)
{
	return -EOPNOTSUPP;
}

static inline int shp_submit_wait(struct shp_request *req)
{
	return -EOPNOTSUPP;
}

static inline int shp_register_handler(struct shp_handler *h)
{
	return 0;
}

static inline void shp_unregister_handler(struct shp_handler *h) { }

static inline __printf(4, 5) void
shp_report_blocker(struct shp_request *req, int target, int err,
		   const char *fmt, ...)
{
}

static inline __printf(4, 5) void
shp_report_left(struct shp_request *req, int target, int err,
		const char *fmt, ...)
{
}

static inline bool shp_handles(enum shp_class class, enum shp_operation op)
{
	return false;
}

static inline int shp_sysfs_online(struct device *dev,
				   const struct attribute *attr,
				   enum shp_class class, bool online,
				   int online_type)
{
	return -ENOIOCTLCMD;
}

#endif /* CONFIG_SYS_HOTPLUG */

#endif /* _LINUX_SYS_HOTPLUG_H */
