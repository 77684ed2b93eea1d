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
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/types.h>

struct attribute;
struct device;
struct shp_request_private;
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
 * registration order on the way up and in reverse on the way down. (Expand
 * steps, which only add and mark targets, always run from first to last.)
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

/*
 * In shp_target.flags, set only by the firmware handler that owns a
 * firmware target of the same request, in its expand step: this CPU or
 * memory range is held by that firmware object, whose removal removes it.
 */
#define SHP_TARGET_FW_REMOVES	BIT(0)

/* Handler and report names are copied into records of this size. */
#define SHP_NAME_LEN		32

/* The name failures and reports of the sequencer itself carry. */
#define SHP_CORE_NAME		"core"

/*
 * A request of the debugfs request file names at most this many targets
 * (blocks of one "memoryN-M" word included), so that checking them for
 * overlaps stays cheap.
 */
#define SHP_PARSE_MAX_TARGETS	4096

struct shp_handler;

/**
 * struct shp_target - one device a request acts on
 * @class: what kind of device this is
 * @index: its index in the request's @targets, set by the sequencer
 * @dev: the existing device (CPU, memory block, node or firmware device),
 *	set with shp_target_set_device(), which gives the request its own
 *	reference until the request has ended (NULL from then on); NULL
 *	also for hardware that has no device yet (hot-add) or that is named
 *	by its physical range. A CPU named at submission gets its device
 *	when the request starts (see @cpu).
 * @nid: NUMA node of the target, or NUMA_NO_NODE
 * @parent: index of the target this one was expanded from (the range a
 *	memory block belongs to, the CPU or memory whose node this is, the
 *	node whose CPUs, memory and firmware objects an offline or removal
 *	of the node brings in), or -1 for a target the submitter named
 * @flags: SHP_TARGET_* flags; zero at submission
 * @cpu: CPU targets: the logical CPU, set with shp_target_set_cpu() or by
 *	shp_target_set_device(); -1 for a CPU that has no number yet
 * @mem: memory targets: physical range that has no memory block yet, and
 *	the online type (MMOP_*) to use, or -1 for the default policy (for
 *	a block that the offline of its node takes down: how it was online)
 * @fw: firmware targets: the handler that owns the object (only its steps
 *	are called for this target), and the object as that handler knows it
 */
struct shp_target {
	enum shp_class class;
	unsigned int index;
	struct device *dev;
	int nid;
	int parent;
	unsigned int flags;
	int cpu;
	union {
		struct {
			u64 start;
			u64 size;
			int online_type;
		} mem;
		struct {
			const struct shp_handler *handler;
			void *handle;
		} fw;
	};
};

/**
 * struct shp_request - one hot-plug request
 * @id: unique ID, assigned by submission (IDs increase in queue order)
 * @op: the operation
 * @origin: who asked
 * @flags: SHP_REQ_* flags
 * @timeout_ms: 0, or how long the request may run, counted from its first
 *	step (not its time in the queue): once that has passed in validate or
 *	execute, the sequencer stops it as an abort does and rolls it back,
 *	and it ends -ETIMEDOUT; commit, which cannot be undone, runs to its
 *	end. A firmware-originated hot-remove submitted with 0 gets the
 *	default, sys_hotplug.firmware_remove_timeout_ms. Fixed once the
 *	request is submitted.
 * @nr_targets: number of entries in @targets
 * @targets: the targets, by index; a target stays where it is until the
 *	request is freed, however many are added after it
 * @result: 0 or the errno of the first failure, valid once complete
 * @outcome: how the request ended
 * @done: optional callback, run exactly once when the request has ended,
 *	from the context that ran it (the sequencer's worker, or a sysfs
 *	writer that ran its own request), without any sequencer lock or
 *	device_hotplug_lock held; the targets name no device any more
 * @data: for the submitter
 *
 * What the sequencer keeps of the request is private to it (@p); a
 * caller that needs to know where a request failed asks
 * shp_request_failed_handler() and shp_request_failed_phase().
 */
struct shp_request {
	u64 id;
	enum shp_operation op;
	enum shp_origin origin;
	unsigned int flags;
	unsigned int timeout_ms;
	unsigned int nr_targets;
	struct shp_target **targets;
	int result;
	enum shp_outcome outcome;
	void (*done)(struct shp_request *req);
	void *data;

	/* private: */
	struct shp_request_private *p;
};

/**
 * struct shp_steps - what a handler does for one operation
 * @expand: optional; runs before any validate step of the request and adds
 *	the targets that the named ones imply (the blocks of a range, the
 *	node of a CPU, the devices of a node), setting their @parent; a
 *	firmware handler marks here the targets its objects hold
 *	(%SHP_TARGET_FW_REMOVES). Expand steps run from the first stage to
 *	the last whatever the operation, so that each sees what the stages
 *	before it added. Returns 0 or the errno of a target it cannot
 *	expand, reported as a blocker; the first failing expand step ends
 *	the request before any validate step.
 * @validate: optional; checks the request and changes nothing, not even
 *	by a uevent: reports every blocker with shp_report_blocker() and
 *	returns the first errno
 * @execute: optional; makes the change for one target of the handler's
 *	classes. Returns 0 if it changed the target (the sequencer records
 *	that, and calls @undo for it if the request fails), 1 if the target
 *	was in that state already (nothing to undo), or a negative errno
 *	(nothing changed for this target). @data is one word the sequencer
 *	keeps for this handler and target, zero before @execute and passed
 *	to @undo as @execute left it.
 * @undo: the inverse of @execute for one target it changed, called newest
 *	first; 0, or a negative errno after reporting what was left with
 *	shp_report_left(), which ends the request %SHP_OUTCOME_PARTIAL
 * @commit: optional; the step for one target that cannot be undone, after
 *	every execute step of the request has completed; a failure ends the
 *	request %SHP_OUTCOME_PARTIAL and no later commit step runs
 * @expand_classes: mask of BIT(SHP_CLASS_*): further classes whose targets
 *	bring in the handler's request-wide steps for this operation (expand,
 *	validate), such as the CPUs and memory of a hot-add whose nodes the
 *	node handler adds as targets
 * @retry: a target whose @execute fails is tried again once @execute has
 *	run for every other target of the handler, if that changed any, as
 *	acpi_scan_try_to_offline() tries again a device that would not go
 *	offline while its siblings were still online. -EINTR and injected
 *	faults are final, and so is the sequencer's own stop (an abort, the
 *	deadline).
 *
 * @undo is there if and only if @execute is.
 */
struct shp_steps {
	int (*expand)(struct shp_handler *h, struct shp_request *req);
	int (*validate)(struct shp_handler *h, struct shp_request *req);
	int (*execute)(struct shp_handler *h, struct shp_request *req,
		       struct shp_target *t, unsigned long *data);
	int (*undo)(struct shp_handler *h, struct shp_request *req,
		    struct shp_target *t, unsigned long *data);
	int (*commit)(struct shp_handler *h, struct shp_request *req,
		      struct shp_target *t);
	unsigned int expand_classes;
	bool retry;
};

/**
 * struct shp_handler - a module's steps for one stage
 * @name: short unique name, used in traces, history, reports and fault
 *	injection filters
 * @stage: the stage the handler belongs to
 * @classes: mask of BIT(SHP_CLASS_*): the handler is called only for
 *	requests that have a target of one of these classes, and its
 *	per-target steps only for those targets (and, for firmware targets,
 *	only for those it owns: &shp_target.fw.handler)
 * @steps: per operation, what the handler does, or NULL for an operation
 *	it does not act on (it is then neither called nor counted)
 * @parse: optional; reads one word of the debugfs request file that names
 *	devices of the handler's classes ("cpu3", "memory32-35") and appends
 *	them to @req as targets. @how is the operation word when it says
 *	more than the operation (memory's "online_movable"), else NULL.
 *	Returns -ENOENT, with @word unchanged, for a word that is not the
 *	handler's; otherwise 0, -EINVAL for a malformed word, a target named
 *	twice or an @how it has no use for, -ENODEV for a device that does
 *	not exist, -E2BIG past %SHP_PARSE_MAX_TARGETS, -EOPNOTSUPP for a
 *	word the configuration does not allow, -ENOMEM, or -ERESTARTNOINTR
 *	from lock_device_hotplug_sysfs() (the write is restarted). Called in
 *	process context, before the request is submitted, under the
 *	sequencer's handler list lock and without device_hotplug_lock, which
 *	a running request may hold: it may take that lock only with
 *	lock_device_hotplug_sysfs() (never wait for it), and must not
 *	register or unregister a handler.
 *
 * Every step runs in process context under lock_device_hotplug(); it must
 * not call functions that take that lock again, nor wait for a request.
 * Every step returns 0 or a negative errno, except @execute's 1 above.
 */
struct shp_handler {
	const char *name;
	enum shp_stage stage;
	unsigned int classes;
	const struct shp_steps *steps[SHP_NR_OPS];
	int (*parse)(struct shp_handler *h, struct shp_request *req,
		     char *word, const char *how);

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
	unsigned int i;

	for (i = t ? t->index + 1 : 0; i < req->nr_targets; i++)
		if (req->targets[i]->class == cls)
			return req->targets[i];
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
	return t->index;
}

/**
 * shp_range_holds - whether a range target holds a physical address
 * @t: a target
 * @addr: a physical address, in bytes
 *
 * Return: true if @t is a memory target named by its range (not a memory
 * block device) and @addr is in [@t->mem.start, @t->mem.start + size).
 */
static inline bool shp_range_holds(const struct shp_target *t, u64 addr)
{
	return t->class == SHP_CLASS_MEMORY && !t->dev &&
	       addr >= t->mem.start && addr - t->mem.start < t->mem.size;
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

#ifdef CONFIG_SYS_HOTPLUG

struct shp_request *shp_request_alloc(enum shp_operation op,
				      enum shp_origin origin,
				      unsigned int nr_targets, gfp_t gfp);
void shp_request_put(struct shp_request *req);
struct shp_target *shp_request_add_targets(struct shp_request *req,
					   unsigned int n);
void shp_target_set_device(struct shp_target *t, struct device *dev);
void shp_target_set_cpu(struct shp_target *t, unsigned int cpu);
bool shp_request_aborted(const struct shp_request *req);
const char *shp_request_failed_handler(const struct shp_request *req);
enum shp_phase shp_request_failed_phase(const struct shp_request *req);
bool shp_target_changed(const struct shp_request *req,
			const struct shp_target *t);
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
int shp_parse_u64(const char *s, unsigned int base, u64 *v);
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

static inline void shp_request_put(struct shp_request *req) { }

static inline struct shp_target *
shp_request_add_targets(struct shp_request *req, unsigned int n)
{
	return NULL;
}

static inline void shp_target_set_device(struct shp_target *t,
					 struct device *dev)
{
}

static inline void shp_target_set_cpu(struct shp_target *t, unsigned int cpu)
{
}

static inline bool shp_request_aborted(const struct shp_request *req)
{
	return false;
}

static inline const char *
shp_request_failed_handler(const struct shp_request *req)
{
	return "";
}

static inline enum shp_phase
shp_request_failed_phase(const struct shp_request *req)
{
	return SHP_PHASE_VALIDATE;
}

static inline bool shp_target_changed(const struct shp_request *req,
				      const struct shp_target *t)
{
	return false;
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

static inline int shp_parse_u64(const char *s, unsigned int base, u64 *v)
{
	return -EINVAL;
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
