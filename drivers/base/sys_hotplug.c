// SPDX-License-Identifier: GPL-2.0
/*
 * System device hot-plug sequencer.
 */

/**
 * DOC: overview
 *
 * Every hot-add, hot-remove, online and offline of CPUs, memory and NUMA
 * nodes is a *request*: an operation (&enum shp_operation), the targets it
 * acts on (&struct shp_target, each naming its existing &struct device
 * where there is one), its origin and flags. Requests are queued on one
 * ordered workqueue and run strictly one at a time, in the order they were
 * submitted, each under lock_device_hotplug(), so paths that do not go
 * through the sequencer are excluded as well. A sysfs write that finds
 * nothing queued or running, and device_hotplug_lock free, runs its
 * request itself, as the write does without the framework, instead of
 * waking the worker and being woken by it.
 *
 * Modules register handlers (&struct shp_handler) for a stage of the
 * in-tree &enum shp_stage, with steps (&struct shp_steps) for each
 * operation they act on. A request runs three phases over all stages:
 * validate (expand the request into every target it implies, then check
 * it and change nothing), execute (change each target, undoably) and
 * commit (what cannot be undone, target by target). Hot-add and online
 * walk the stages upwards, hot-remove and offline downwards.
 *
 * As in the CPU hot-plug state machine, execute and undo are symmetric
 * per-target steps and the sequencer keeps the progress: it records each
 * (handler, target) change, with one word the handler keeps for it, and
 * if a validate or execute step fails it undoes exactly those changes,
 * newest first. Commit never rolls back: a failing commit step ends the
 * request PARTIAL and the remaining commit steps do not run. A failing
 * undo step also ends the request PARTIAL; handlers report what they left
 * with shp_report_left().
 *
 * A validate-only request (%SHP_REQ_VALIDATE_ONLY) runs every validate
 * step, even after one fails, and collects every blocker with its handler,
 * target and reason.
 *
 * A request can be aborted by its ID from debugfs ("abort ID" to
 * sys_hotplug/request), for an operator whose request does not end, and
 * stops the same way when its deadline passes (&shp_request.timeout_ms).
 * The running execute step is interrupted by a signal (memory offline,
 * which can retry migration for ever, gives up as it does when a user
 * interrupts the write), no further execute or commit step runs, and
 * what was done is rolled back. A queued request that is aborted is
 * withdrawn before it starts.
 *
 * shp_execute_request() is one request from its first step to its
 * outcome; the functions above it are its parts.
 *
 * Submission is asynchronous (shp_submit(), with an optional completion
 * callback) or synchronous (shp_submit_wait(), which treats the caller's
 * signals as the paths it stands in front of do, returning the errno of
 * the failing step). The life of each request is traced
 * (events/sys_hotplug), the last requests are kept in a history in
 * debugfs (sys_hotplug/history), and with CONFIG_FAIL_SYS_HOTPLUG any step
 * can be made to fail, filtered by handler and phase (sys_hotplug/fail/).
 *
 * This file is the sequencer; sys_hotplug_request.c has the requests
 * (targets, reports, what an ended request says), sys_hotplug_debugfs.c
 * the history and the debugfs files, and sys_hotplug_fault.c the fault
 * injection.
 */

#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sys_hotplug.h>
#include <linux/task_work.h>
#include <kunit/visibility.h>

#define CREATE_TRACE_POINTS
#include <trace/events/sys_hotplug.h>

#if IS_ENABLED(CONFIG_KUNIT)
/* The sequencer's KUnit suite, which may be a module, probes them. */
EXPORT_TRACEPOINT_SYMBOL_GPL(shp_request_queued);
EXPORT_TRACEPOINT_SYMBOL_GPL(shp_request_start);
EXPORT_TRACEPOINT_SYMBOL_GPL(shp_phase);
EXPORT_TRACEPOINT_SYMBOL_GPL(shp_handler);
EXPORT_TRACEPOINT_SYMBOL_GPL(shp_rollback);
EXPORT_TRACEPOINT_SYMBOL_GPL(shp_request_done);
#endif

#include "base.h"
#include "sys_hotplug_internal.h"

static struct shp_sequencer *shp_default;

/*
 * Upstream, the ACPI hot-plug worker retries the offline of memory that
 * cannot be migrated for ever: nothing can signal a kworker.
 */
static unsigned int firmware_remove_timeout_ms = 300000;
module_param(firmware_remove_timeout_ms, uint, 0644);
MODULE_PARM_DESC(firmware_remove_timeout_ms,
		 "Deadline of a firmware-originated hot-remove (an ACPI eject) in ms; 0: none (default: 300000)");

static void shp_work_fn(struct work_struct *work);
static void shp_deadline_fn(struct work_struct *work);

/* ------------------------------------------------------------ requests */

/* A target names something: a device, or the data to find or create it. */
static bool shp_target_valid(enum shp_operation op, const struct shp_target *t)
{
	if ((unsigned int)t->class >= SHP_NR_CLASSES)
		return false;
	/* A CPU is named by number, never by its device: shp_target_set_cpu(). */
	if (t->dev)
		return t->dev->bus != &cpu_subsys;
	/* A node, or a CPU, is named by its number, whatever the operation. */
	if (t->class == SHP_CLASS_NODE)
		return t->nid >= 0 && t->nid < MAX_NUMNODES;
	if (t->class == SHP_CLASS_CPU && t->cpu >= 0)
		return true;
	if (op == SHP_OP_ONLINE || op == SHP_OP_OFFLINE)
		return false;
	switch (t->class) {
	case SHP_CLASS_MEMORY:
		return t->mem.size != 0;
	case SHP_CLASS_FIRMWARE:
		return t->fw.handle;
	default:
		/* A CPU without a number is named by its firmware object. */
		return false;
	}
}

static int shp_check_request(struct shp_request *req, unsigned int *class_mask)
{
	unsigned int i, mask = 0;

	if (!req || (unsigned int)req->op >= SHP_NR_OPS ||
	    (unsigned int)req->origin >= SHP_NR_ORIGINS ||
	    (req->flags & ~SHP_REQ_FLAGS) || !req->nr_targets || !req->targets)
		return -EINVAL;
	for (i = 0; i < req->nr_targets; i++) {
		const struct shp_target *t = req->targets[i];

		/* Expansion and firmware handlers set these, not submitters. */
		if (!shp_target_valid(req->op, t) || t->flags || t->parent != -1)
			return -EINVAL;
		/* Only the handler that owns a firmware object acts on it. */
		if (t->class == SHP_CLASS_FIRMWARE && !t->fw.handler)
			return -EINVAL;
		mask |= BIT(t->class);
	}
	*class_mask = mask;
	return 0;
}

/* ------------------------------------------------------------ handlers */

/* Whether @st changes devices: validate and expand alone do not. */
static bool shp_steps_change(const struct shp_steps *st)
{
	return st && (st->execute || st->commit);
}

/* Count @h in (or out of) the handlers that change devices. */
static void shp_count_handler(struct shp_sequencer *seq,
			      const struct shp_handler *h, int delta)
{
	unsigned int c, op;

	for (op = 0; op < SHP_NR_OPS; op++) {
		if (!shp_steps_change(h->steps[op]))
			continue;
		for (c = 0; c < SHP_NR_CLASSES; c++)
			if (h->classes & BIT(c))
				atomic_add(delta, &seq->handles[c][op]);
	}
}

/* At least one operation, each with a step, @undo exactly with @execute. */
static bool shp_handler_valid(const struct shp_handler *h)
{
	const struct shp_steps *st;
	bool any = false;
	unsigned int op;

	if (!h->name || !*h->name || strlen(h->name) >= SHP_NAME_LEN ||
	    (unsigned int)h->stage >= SHP_NR_STAGES ||
	    !h->classes || (h->classes & ~(BIT(SHP_NR_CLASSES) - 1)))
		return false;
	for (op = 0; op < SHP_NR_OPS; op++) {
		st = h->steps[op];
		if (!st)
			continue;
		if ((!st->expand && !st->validate && !st->execute &&
		     !st->commit) || !st->execute != !st->undo ||
		    (st->retry && !st->execute) ||
		    (st->expand_classes & ~(BIT(SHP_NR_CLASSES) - 1)))
			return false;
		any = true;
	}
	return any;
}

/**
 * shp_sequencer_register - register a handler with one sequencer
 * @seq: the sequencer
 * @h: the handler; it must stay valid until unregistered
 *
 * Return: 0, -EINVAL for an invalid name, stage or class mask, or an
 * invalid set of steps, -EEXIST if @h or its name is registered already,
 * -ENOMEM, -EDEADLK from a handler step.
 */
VISIBLE_IF_KUNIT int shp_sequencer_register(struct shp_sequencer *seq,
					    struct shp_handler *h)
{
	struct shp_handler **run, *other;
	int ret = 0;
	int s;

	if (!h || !shp_handler_valid(h))
		return -EINVAL;
	/* The running request holds the handler list. */
	if (WARN_ON(READ_ONCE(seq->runner) == current))
		return -EDEADLK;

	mutex_lock(&seq->handlers_lock);
	for (s = 0; s < SHP_NR_STAGES; s++) {
		list_for_each_entry(other, &seq->stages[s], node) {
			if (other == h || !strcmp(other->name, h->name)) {
				ret = -EEXIST;
				goto out;
			}
		}
	}
	run = krealloc_array(seq->run, seq->nr_handlers + 1, sizeof(*run),
			     GFP_KERNEL);
	if (!run) {
		ret = -ENOMEM;
		goto out;
	}
	seq->run = run;
	seq->nr_handlers++;
	h->seq = seq;
	mutex_lock(&seq->list_lock);
	list_add_tail(&h->node, &seq->stages[h->stage]);
	mutex_unlock(&seq->list_lock);
	shp_count_handler(seq, h, 1);
out:
	mutex_unlock(&seq->handlers_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(shp_sequencer_register);

/**
 * shp_register_handler - register a handler
 * @h: the handler; it must stay valid until unregistered
 *
 * The handler takes part in every request that starts after this
 * returns, including requests queued before. Waits for the running
 * request, if any, to end.
 *
 * Context: process context; may sleep. Must not be called from a handler
 * step, nor with device_hotplug_lock held.
 *
 * Return: 0, -EINVAL for an invalid name, stage or class mask, or an
 * invalid set of steps, -EEXIST if @h or its name is registered already,
 * -ENOMEM, -EDEADLK from a handler step, -ENODEV before the sequencer is
 * initialized.
 */
int shp_register_handler(struct shp_handler *h)
{
	if (!shp_default)
		return -ENODEV;
	return shp_sequencer_register(shp_default, h);
}

/**
 * shp_unregister_handler - unregister a handler
 * @h: a registered handler
 *
 * Requests that start after this is called leave @h out; the running
 * request, if any, ends first. Once this returns, no step of @h is called
 * again, including for requests already queued.
 *
 * Context: process context; may sleep. Must not be called from a handler
 * step, nor with device_hotplug_lock held.
 */
void shp_unregister_handler(struct shp_handler *h)
{
	struct shp_sequencer *seq = h->seq;

	if (WARN_ON(!seq))
		return;
	if (WARN_ON(READ_ONCE(seq->runner) == current))
		return;
	/* Requests that start from now on leave it out... */
	WRITE_ONCE(h->unregistering, true);
	shp_count_handler(seq, h, -1);
	/* ...and the running one, which may use it, ends first. */
	mutex_lock(&seq->handlers_lock);
	mutex_lock(&seq->list_lock);
	list_del(&h->node);
	mutex_unlock(&seq->list_lock);
	seq->nr_handlers--;
	h->seq = NULL;
	h->unregistering = false;
	mutex_unlock(&seq->handlers_lock);
}
EXPORT_SYMBOL_IF_KUNIT(shp_unregister_handler);

/**
 * shp_handles - whether a handler changes devices of a class
 * @class: the target class
 * @op: the operation
 *
 * Hooks use it to leave requests that no handler would act on to the path
 * they took without the framework.
 *
 * Context: any context; takes no lock.
 *
 * Return: true if a registered handler has an execute or a commit step
 * for @op on targets of @class.
 */
bool shp_handles(enum shp_class class, enum shp_operation op)
{
	/* Lock-free: sysfs writers ask before they release kernfs. */
	return shp_default && (unsigned int)class < SHP_NR_CLASSES &&
	       (unsigned int)op < SHP_NR_OPS &&
	       atomic_read(&shp_default->handles[class][op]) > 0;
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * shp_default_sequencer - the system's sequencer
 *
 * For the KUnit tests of the in-tree handlers, which submit to it and read
 * its history. They are built in, so it is not exported.
 *
 * Return: the sequencer that shp_submit() uses, or NULL if it failed to
 * start.
 */
VISIBLE_IF_KUNIT struct shp_sequencer *shp_default_sequencer(void)
{
	return shp_default;
}
#endif

/* ------------------------------------------------------------ running */

/* The calls the sequencer makes to a handler. */
enum shp_call_kind {
	SHP_CALL_EXPAND,
	SHP_CALL_VALIDATE,
	SHP_CALL_EXECUTE,
	SHP_CALL_UNDO,
	SHP_CALL_COMMIT,
};

/* The phase each call belongs to, for reports and traces. */
static const enum shp_phase shp_call_phase[] = {
	[SHP_CALL_EXPAND] = SHP_PHASE_VALIDATE,
	[SHP_CALL_VALIDATE] = SHP_PHASE_VALIDATE,
	[SHP_CALL_EXECUTE] = SHP_PHASE_EXECUTE,
	[SHP_CALL_UNDO] = SHP_PHASE_EXECUTE,
	[SHP_CALL_COMMIT] = SHP_PHASE_COMMIT,
};

/* Whether the per-target steps of @h act on @t. */
static bool shp_owns(const struct shp_handler *h, const struct shp_target *t)
{
	if (!(h->classes & BIT(t->class)))
		return false;
	return t->class != SHP_CLASS_FIRMWARE || t->fw.handler == h;
}

/* Whether the request-wide steps of @h run for @req. */
static bool shp_concerns(const struct shp_handler *h,
			 const struct shp_request *req)
{
	return (h->classes | h->steps[req->op]->expand_classes) &
	       req->p->class_mask;
}

/* The name of target @idx for a report, if it is a device; or "". */
static const char *shp_target_name(const struct shp_request *req, int idx)
{
	const struct device *dev;

	if (idx < 0 || idx >= req->nr_targets)
		return "";
	dev = req->targets[idx]->dev;
	return dev ? dev_name(dev) : "";
}

static void shp_set_failed(struct shp_request *req, const char *name,
			   enum shp_phase phase)
{
	if (req->p->failed_handler[0])
		return;
	strscpy(req->p->failed_handler, name, sizeof(req->p->failed_handler));
	req->p->failed_phase = phase;
}

/*
 * Interrupt the execute step that @req runs, so that waits that give up on
 * a signal give up, as they would for a user who interrupts the write that
 * started them (memory offline retries migration until then). The worker
 * takes SIGINT. A submitter that runs its own request is not sent a
 * signal, which its process would see: it gets TIF_NOTIFY_SIGNAL, which
 * signal_pending() reports as one, as io_uring and task_work do, and
 * which is cleared when the step returns.
 */
static void shp_interrupt(struct shp_sequencer *seq, struct shp_request *req)
{
	lockdep_assert_held(&seq->lock);
	if (!req->p->here) {
		send_sig(SIGINT, seq->runner, 1);
	} else if (!req->p->notified) {
		req->p->notified = true;
		set_notify_signal(seq->runner);
	}
}

/*
 * An execute step can be aborted (shp_sequencer_abort()), and a signal to
 * the waiter of a request on the worker reaches it (the steps of a request
 * that runs in its submitter's context see the submitter's signals
 * anyway). The interruption never outlives the step: the worker returns
 * to its pool with no signal pending, a submitter to the rest of its
 * request with no TIF_NOTIFY_SIGNAL of the sequencer's.
 */
static int shp_execute_interruptible(struct shp_sequencer *seq,
				     struct shp_request *req,
				     struct shp_handler *h, struct shp_target *t,
				     unsigned long *data, unsigned int delay_ms)
{
	bool worker = !req->p->here, notified;
	int ret;

	if (worker)
		allow_signal(SIGINT);
	spin_lock(&seq->lock);
	seq->interruptible = true;
	if (req->p->aborted || (worker && req->p->signalled))
		shp_interrupt(seq, req);
	spin_unlock(&seq->lock);

	/* An injected delay ends as the step's own wait would: on a signal. */
	if (delay_ms && msleep_interruptible(delay_ms))
		ret = -EINTR;
	else
		ret = h->steps[req->op]->execute(h, req, t, data);

	spin_lock(&seq->lock);
	seq->interruptible = false;
	notified = req->p->notified;
	req->p->notified = false;
	spin_unlock(&seq->lock);
	if (worker) {
		/* Ignoring SIGINT again also discards one still pending. */
		disallow_signal(SIGINT);
	} else if (notified) {
		/* Set again at the end if task work needs it: shp_end(). */
		clear_notify_signal();
	}
	return ret;
}

/*
 * Calls one step of a handler, for target @idx (or -1 for the request-wide
 * expand and validate), or fails it by fault injection without calling it;
 * *@injected says which, if not NULL.
 */
static int shp_call(struct shp_sequencer *seq, struct shp_request *req,
		    struct shp_handler *h, enum shp_call_kind kind, int idx,
		    unsigned long *data, bool *injected)
{
	const struct shp_steps *st = h->steps[req->op];
	enum shp_phase phase = shp_call_phase[kind];
	unsigned int point = kind == SHP_CALL_UNDO ? SHP_FAULT_ROLLBACK : phase;
	unsigned int reports = req->p->nr_reports + req->p->nr_dropped;
	struct shp_target *t = idx >= 0 ? req->targets[idx] : NULL;
	u64 start = ktime_get_ns();
	unsigned int delay_ms = 0;
	bool fault = false;
	int ret, max;

	req->p->cur_handler = h->name;
	req->p->cur_phase = phase;
	if (kind != SHP_CALL_EXPAND && shp_should_fail(seq, h, point)) {
		/* An execute step may be delayed instead (fail/delay_ms). */
		if (kind == SHP_CALL_EXECUTE)
			delay_ms = shp_fault_delay(seq);
		if (!delay_ms) {
			ret = shp_fault_errno(seq);
			fault = true;
		}
	}
	if (!fault) {
		switch (kind) {
		case SHP_CALL_EXPAND:
			ret = st->expand(h, req);
			break;
		case SHP_CALL_VALIDATE:
			ret = st->validate(h, req);
			break;
		case SHP_CALL_EXECUTE:
			ret = shp_execute_interruptible(seq, req, h, t, data,
							delay_ms);
			break;
		case SHP_CALL_UNDO:
			ret = st->undo(h, req, t, data);
			break;
		default:
			ret = st->commit(h, req, t);
			break;
		}
		/*
		 * 0 or a negative errno; execute also says 1: unchanged. An
		 * undo may find its target as it was (device_online() says 1).
		 */
		max = kind == SHP_CALL_EXECUTE || kind == SHP_CALL_UNDO;
		if (WARN_ONCE(ret > max, "sys_hotplug: %s returned %d\n",
			      h->name, ret))
			ret = -EINVAL;
		if (kind == SHP_CALL_UNDO && ret > 0)
			ret = 0;
		/*
		 * A restart code asks the signal code on the way back to user
		 * space to restart a system call, which it does only for a
		 * signal of that task's own: not for the worker's SIGINT, nor
		 * for an abort's TIF_NOTIFY_SIGNAL. Interrupted is what the
		 * step means, and what a request says.
		 */
		if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR ||
		    ret == -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK)
			ret = -EINTR;
	}
	if (kind == SHP_CALL_UNDO)
		trace_shp_rollback(req, h, phase, idx, ret,
				   ktime_get_ns() - start);
	else
		trace_shp_handler(req, h, phase, idx, ret,
				  ktime_get_ns() - start);

	/* Make sure every failure leaves a trace in the reports. */
	if (ret < 0 && reports == req->p->nr_reports + req->p->nr_dropped) {
		const char *what = fault ? "injected fault" : "failed";
		const char *name = shp_target_name(req, idx);
		const char *on = *name ? " on " : "";

		if (phase == SHP_PHASE_VALIDATE)
			shp_report_blocker(req, idx, ret, "%s%s%s", what, on,
					   name);
		else if (kind == SHP_CALL_UNDO)
			shp_report_left(req, idx, ret, "rollback %s%s%s", what,
					on, name);
		else if (kind == SHP_CALL_COMMIT)
			shp_report_left(req, idx, ret, "commit %s%s%s", what,
					on, name);
	}
	req->p->cur_handler = NULL;
	if (injected)
		*injected = fault;
	return ret;
}

/*
 * An aborted request, or one past its deadline, runs no further execute
 * step, nor any commit step. Return: 0, -EINTR (aborted) or -ETIMEDOUT.
 */
/*
 * The errno of a request whose validate or execute step failed with @ret:
 * if the request's deadline passed (the step saw shp_request_aborted(), or
 * gave up on the signal), -ETIMEDOUT, with the reason reported.
 */
static int shp_deadline_errno(struct shp_request *req, int ret)
{
	if (!ret || ret == -ETIMEDOUT || !READ_ONCE(req->p->expired))
		return ret;
	if (req->p->cur_phase == SHP_PHASE_VALIDATE)
		shp_report_blocker(req, -1, -ETIMEDOUT,
				   "deadline of %u ms passed", req->timeout_ms);
	else
		shp_report_left(req, -1, -ETIMEDOUT, "deadline of %u ms passed",
				req->timeout_ms);
	return -ETIMEDOUT;
}

static int shp_stopped(struct shp_sequencer *seq, struct shp_request *req)
{
	bool aborted, expired;

	spin_lock(&seq->lock);
	aborted = req->p->aborted;
	expired = req->p->expired;
	spin_unlock(&seq->lock);
	if (!aborted)
		return 0;
	req->p->cur_phase = SHP_PHASE_EXECUTE;
	shp_set_failed(req, SHP_CORE_NAME, SHP_PHASE_EXECUTE);
	if (expired)
		return shp_deadline_errno(req, -EINTR);
	shp_report_left(req, -1, -EINTR, "aborted");
	return -EINTR;
}

/*
 * A CPU target named by number gets the device registered under that
 * number (see shp_target_set_cpu()), under device_hotplug_lock: when its
 * request starts, or when the step that added it returns.
 */
static int shp_resolve_cpu(struct shp_request *req, unsigned int i)
{
	struct shp_target *t = req->targets[i];
	struct device *dev;

	if (t->dev || t->class != SHP_CLASS_CPU || t->cpu < 0)
		return 0;
	dev = get_cpu_device(t->cpu);
	if (!dev) {
		shp_report_blocker(req, i, -ENODEV, "cpu%d is not registered",
				   t->cpu);
		return -ENODEV;
	}
	shp_target_set_device(t, dev);
	return 0;
}

/*
 * The targets a step added: their classes (which bring the handlers of
 * those classes in), and the device of a CPU named by number.
 * Return: 0, or -ENODEV (reported) for a CPU not registered.
 */
static int shp_note_new_targets(struct shp_request *req)
{
	int ret = 0;

	for (; req->p->nr_checked < req->nr_targets; req->p->nr_checked++) {
		unsigned int i = req->p->nr_checked;

		req->p->class_mask |= BIT(req->targets[i]->class);
		ret = ret ?: shp_resolve_cpu(req, i);
	}
	return ret;
}

/*
 * Room for one more progress record: in the request at first, then
 * amortised, like the targets.
 */
static int shp_reserve_progress(struct shp_request *req)
{
	struct shp_request_private *rp = req->p;
	struct shp_progress *p;
	unsigned int max;

	if (rp->nr_progress < rp->max_progress)
		return 0;
	if (!rp->max_progress) {
		rp->progress = rp->first_progress;
		rp->max_progress = ARRAY_SIZE(rp->first_progress);
		return 0;
	}
	max = rp->max_progress * 2;
	p = shp_kvgrow(rp->progress, rp->first_progress,
		       sizeof(rp->first_progress), array_size(max, sizeof(*p)),
		       GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	rp->progress = p;
	rp->max_progress = max;
	return 0;
}

/* How one execute call failed: what the retry pass and the report need. */
struct shp_failure {
	int target;
	bool final;		/* the sequencer stopped it, or a fault did */
	bool injected;
	bool reported;		/* there is a report of it already */
};

/* Execute @h for target @idx; a change is recorded for rollback. */
static int shp_execute_one(struct shp_sequencer *seq, struct shp_request *req,
			   struct shp_handler *h, unsigned int idx,
			   struct shp_failure *f)
{
	unsigned int reports;
	struct shp_progress *p;
	int ret, added;

	/* The sequencer's own failures report themselves and are final. */
	*f = (struct shp_failure){ .target = idx, .final = true,
				   .reported = true };
	ret = shp_stopped(seq, req);
	if (ret)
		return ret;
	ret = shp_reserve_progress(req);
	if (ret) {
		req->p->cur_phase = SHP_PHASE_EXECUTE;
		shp_report_left(req, idx, ret, "no memory to record progress");
		shp_set_failed(req, SHP_CORE_NAME, SHP_PHASE_EXECUTE);
		return ret;
	}
	reports = req->p->nr_reports + req->p->nr_dropped;
	p = &req->p->progress[req->p->nr_progress];
	*p = (struct shp_progress){ .h = h, .target = idx };
	ret = shp_call(seq, req, h, SHP_CALL_EXECUTE, idx, &p->data,
		       &f->injected);
	if (!ret)
		req->p->nr_progress++;
	/* A target this step added that nothing can act on fails it. */
	added = shp_note_new_targets(req);
	if (ret >= 0 && added)
		ret = added;
	f->final = f->injected || ret == -EINTR || added;
	f->reported = reports != req->p->nr_reports + req->p->nr_dropped;
	return ret;
}

/*
 * Execute @h for each target it acts on, in target order. With
 * &shp_steps.retry, the targets that failed are tried once more after the
 * others, if those changed anything; a failure is reported only once it
 * is final. Return: 0 or the errno of the target that failed; the failed
 * handler is set.
 */
static int shp_execute_handler(struct shp_sequencer *seq,
			       struct shp_request *req, struct shp_handler *h)
{
	unsigned int i, nr = req->nr_targets, mark = req->p->nr_progress;
	const struct shp_steps *st = h->steps[req->op];
	struct shp_failure f, first_f = { };
	unsigned long *retry = NULL;
	int ret, first = 0;

	for (i = 0; i < req->nr_targets; i++) {
		if (!shp_owns(h, req->targets[i]))
			continue;
		ret = shp_execute_one(seq, req, h, i, &f);
		if (ret >= 0)
			continue;
		if (!st->retry || f.final || i >= nr)
			goto fail;
		if (!retry) {
			retry = bitmap_zalloc(nr, GFP_KERNEL);
			if (!retry)
				goto fail;
		}
		__set_bit(i, retry);
		if (!first) {
			first = ret;
			first_f = f;
		}
	}
	if (!retry)
		return 0;
	/* Nothing changed: a second pass would find what the first did. */
	ret = first;
	f = first_f;
	if (req->p->nr_progress == mark)
		goto fail;
	for_each_set_bit(i, retry, nr) {
		ret = shp_execute_one(seq, req, h, i, &f);
		if (ret < 0)
			goto fail;
	}
	bitmap_free(retry);
	return 0;
fail:
	bitmap_free(retry);
	/* The target whose execute stopped the request. */
	if (!f.reported) {
		const char *name = shp_target_name(req, f.target);

		req->p->cur_handler = h->name;
		req->p->cur_phase = SHP_PHASE_EXECUTE;
		shp_report_blocker(req, f.target, ret, "%s%s%s",
				   f.injected ? "injected fault" : "failed",
				   *name ? " on " : "", name);
		req->p->cur_handler = NULL;
	}
	shp_set_failed(req, h->name, SHP_PHASE_EXECUTE);
	return ret;
}

/*
 * Undo every recorded change, newest first. Undo steps are not interrupted
 * by a signal to the waiter: the worker has none pending, and a submitter
 * that runs its own request blocks its signals meanwhile, and clears a
 * TIF_NOTIFY_SIGNAL (shp_end() sets it again if task work needs it). What
 * cannot be held off stays: SIGKILL, a group stop or exit, the freezer.
 * Return: whether all were undone.
 */
static bool shp_rollback(struct shp_sequencer *seq, struct shp_request *req)
{
	sigset_t all, saved;
	bool clean = true;
	unsigned int i;

	if (req->p->here) {
		/* sigprocmask() itself would block those two too. */
		sigfillset(&all);
		sigdelsetmask(&all, sigmask(SIGKILL) | sigmask(SIGSTOP));
		sigprocmask(SIG_BLOCK, &all, &saved);
		if (test_thread_flag(TIF_NOTIFY_SIGNAL))
			clear_notify_signal();
	}
	for (i = req->p->nr_progress; i-- > 0; ) {
		struct shp_progress *p = &req->p->progress[i];

		if (shp_call(seq, req, p->h, SHP_CALL_UNDO, p->target,
			     &p->data, NULL))
			clean = false;
		else
			p->undone = true;
	}
	if (req->p->here)
		sigprocmask(SIG_SETMASK, &saved, NULL);
	return clean;
}

/*
 * Expand, then validate. Expand steps run from the first stage to the
 * last whatever the operation, each stage naming what the next one acts
 * on: a node its CPUs and memory, a firmware object what it holds, a
 * range its blocks. Validate steps run in run order. A validate-only
 * request runs every validate step, even after one fails.
 * Return: 0 or the first error.
 */
static int shp_validate(struct shp_sequencer *seq, struct shp_request *req,
			unsigned int nr)
{
	bool all = req->flags & SHP_REQ_VALIDATE_ONLY;
	bool up = shp_is_up(req->op);
	u64 start = ktime_get_ns();
	int ret, first = 0;
	unsigned int i;

	for (i = 0; i < nr && !first; i++) {
		struct shp_handler *h = seq->run[up ? i : nr - 1 - i];

		if (!h->steps[req->op]->expand || !shp_concerns(h, req))
			continue;
		first = shp_call(seq, req, h, SHP_CALL_EXPAND, -1, NULL, NULL);
		first = shp_note_new_targets(req) ?: first;
		if (first)
			shp_set_failed(req, h->name, SHP_PHASE_VALIDATE);
	}
	/* Not expanded, a request cannot be validated: nothing would hold. */
	if (first)
		goto out;
	for (i = 0; i < nr && (!first || all); i++) {
		struct shp_handler *h = seq->run[i];

		if (!h->steps[req->op]->validate || !shp_concerns(h, req))
			continue;
		ret = shp_call(seq, req, h, SHP_CALL_VALIDATE, -1, NULL, NULL);
		if (!ret)
			continue;
		shp_set_failed(req, h->name, SHP_PHASE_VALIDATE);
		first = first ?: ret;
	}
out:
	req->p->cur_phase = SHP_PHASE_VALIDATE;
	first = shp_deadline_errno(req, first);
	trace_shp_phase(req, SHP_PHASE_VALIDATE, first, ktime_get_ns() - start);
	return first;
}

static int shp_execute(struct shp_sequencer *seq, struct shp_request *req,
		       unsigned int nr)
{
	u64 start = ktime_get_ns();
	unsigned int i;
	int ret = 0;

	for (i = 0; i < nr && !ret; i++) {
		struct shp_handler *h = seq->run[i];

		if (h->steps[req->op]->execute && shp_concerns(h, req))
			ret = shp_execute_handler(seq, req, h);
	}
	/* Stopped during the last step: nothing more runs, all is undone. */
	if (!ret) {
		ret = shp_stopped(seq, req);
	} else {
		req->p->cur_phase = SHP_PHASE_EXECUTE;
		ret = shp_deadline_errno(req, ret);
	}
	trace_shp_phase(req, SHP_PHASE_EXECUTE, ret, ktime_get_ns() - start);
	return ret;
}

/*
 * Commit each target, handler by handler. Commit does not roll back: at
 * the first failure, the request says which commit steps did not run,
 * target by target (the ejects of a node's other objects, say).
 */
static int shp_commit(struct shp_sequencer *seq, struct shp_request *req,
		      unsigned int nr)
{
	u64 start = ktime_get_ns();
	struct shp_handler *h = NULL;
	unsigned int i, t = 0;
	int ret = 0;

	for (i = 0; i < nr && !ret; i++) {
		h = seq->run[i];
		if (!h->steps[req->op]->commit || !shp_concerns(h, req))
			continue;
		for (t = 0; t < req->nr_targets && !ret; t++)
			if (shp_owns(h, req->targets[t]))
				ret = shp_call(seq, req, h, SHP_CALL_COMMIT, t,
					       NULL, NULL);
		if (ret)
			shp_set_failed(req, h->name, SHP_PHASE_COMMIT);
	}
	trace_shp_phase(req, SHP_PHASE_COMMIT, ret, ktime_get_ns() - start);
	if (!ret)
		return 0;
	/* The failing handler's targets after the failure, then the rest. */
	req->p->cur_phase = SHP_PHASE_COMMIT;
	for (i--; i < nr; i++, t = 0) {
		h = seq->run[i];
		if (!h->steps[req->op]->commit || !shp_concerns(h, req))
			continue;
		req->p->cur_handler = h->name;
		for (; t < req->nr_targets; t++)
			if (shp_owns(h, req->targets[t]))
				shp_report_left(req, t, 0, "commit not run");
	}
	req->p->cur_handler = NULL;
	return ret;
}

/*
 * The handlers that act on @req's operation, in the order @req runs them.
 * Whether a handler's classes match is decided at each step, because
 * steps may add targets (a firmware stage enumerating what it found).
 */
static unsigned int shp_select(struct shp_sequencer *seq,
			       struct shp_request *req)
{
	struct shp_handler *h;
	unsigned int nr = 0;
	int s;

	if (shp_is_up(req->op)) {
		for (s = 0; s < SHP_NR_STAGES; s++)
			list_for_each_entry(h, &seq->stages[s], node)
				if (h->steps[req->op] &&
				    !READ_ONCE(h->unregistering))
					seq->run[nr++] = h;
	} else {
		for (s = SHP_NR_STAGES - 1; s >= 0; s--)
			list_for_each_entry_reverse(h, &seq->stages[s], node)
				if (h->steps[req->op] &&
				    !READ_ONCE(h->unregistering))
					seq->run[nr++] = h;
	}
	return nr;
}

/*
 * A device may have been removed while the request waited in the queue (a
 * sysfs write to a memory block that an eject removed meanwhile). Removals
 * take device_hotplug_lock, so what this finds holds for the whole request.
 * A CPU named by number gets its device here (see shp_target_set_cpu()).
 */
static int shp_check_devices(struct shp_request *req)
{
	unsigned int i;
	int ret = 0;

	req->p->cur_phase = SHP_PHASE_VALIDATE;
	for (i = 0; i < req->nr_targets; i++) {
		struct device *dev;

		if (shp_resolve_cpu(req, i)) {
			ret = -ENODEV;
			continue;
		}
		dev = req->targets[i]->dev;
		if (dev && dev->p && dev->p->dead) {
			shp_report_blocker(req, i, -ENODEV, "%s is gone",
					   dev_name(dev));
			ret = -ENODEV;
		}
	}
	if (ret)
		shp_set_failed(req, SHP_CORE_NAME, SHP_PHASE_VALIDATE);
	return ret;
}

/*
 * Every target, those that expand added included, needs a handler that
 * changes it for the operation: without one (memory hot-remove not built,
 * and an eject that holds memory; a firmware object whose handler is gone)
 * the request would end ok with those targets untouched.
 */
static int shp_check_classes(struct shp_sequencer *seq,
			     struct shp_request *req, unsigned int nr)
{
	unsigned int covered = 0, missing, i, j;
	const struct shp_target *t;

	for (i = 0; i < nr; i++)
		if (shp_steps_change(seq->run[i]->steps[req->op]))
			covered |= seq->run[i]->classes;
	missing = req->p->class_mask & ~covered;
	for (j = 0; j < req->nr_targets && !missing; j++) {
		t = req->targets[j];
		if (t->class != SHP_CLASS_FIRMWARE)
			continue;
		for (i = 0; i < nr; i++)
			if (seq->run[i] == t->fw.handler)
				break;
		if (i == nr)
			missing = BIT(SHP_CLASS_FIRMWARE);
	}
	if (!missing)
		return 0;
	req->p->cur_phase = SHP_PHASE_VALIDATE;
	shp_report_blocker(req, -1, -EOPNOTSUPP,
			   "no handler can %s %s targets in this kernel",
			   shp_op_name(req->op), shp_class_names[__ffs(missing)]);
	shp_set_failed(req, SHP_CORE_NAME, SHP_PHASE_VALIDATE);
	return -EOPNOTSUPP;
}

/*
 * One request, from its first validate step to its outcome: expand and
 * validate; execute each handler for each of its targets, recording every
 * change; on a failure, undo the recorded changes newest first; otherwise
 * commit.
 */
static void shp_execute_request(struct shp_sequencer *seq,
				struct shp_request *req)
{
	unsigned int nr = shp_select(seq, req);
	int ret;

	ret = shp_check_devices(req) ?: shp_validate(seq, req, nr) ?:
	      shp_check_classes(seq, req, nr);
	if (ret || (req->flags & SHP_REQ_VALIDATE_ONLY)) {
		req->result = ret;
		req->outcome = ret ? SHP_OUTCOME_FAILED : SHP_OUTCOME_OK;
		return;
	}

	ret = shp_execute(seq, req, nr);
	if (ret) {
		req->result = ret;
		/* A step that could not undo its own work said so: partial. */
		req->outcome = shp_rollback(seq, req) && !req->p->left_by_step ?
			       SHP_OUTCOME_FAILED : SHP_OUTCOME_PARTIAL;
		return;
	}

	ret = shp_commit(seq, req, nr);
	req->result = ret;
	req->outcome = ret ? SHP_OUTCOME_PARTIAL : SHP_OUTCOME_OK;
}

/*
 * Ask @req to stop: its running execute step is interrupted, no further
 * execute or commit step runs, and what was done is rolled back. The
 * request ends FAILED with -EINTR unless it was past its execute phase.
 */
static void __shp_abort(struct shp_sequencer *seq, struct shp_request *req)
{
	lockdep_assert_held(&seq->lock);
	/* Steps read it without the lock: shp_request_aborted(). */
	WRITE_ONCE(req->p->aborted, true);
	if (seq->running == req && seq->interruptible)
		shp_interrupt(seq, req);
}

/* The deadline of a running request passed: stop it as an abort does. */
static void shp_deadline_fn(struct work_struct *work)
{
	struct shp_request *req = container_of(to_delayed_work(work),
					       struct shp_request_private,
					       deadline)->req;
	struct shp_sequencer *seq = req->p->seq;

	spin_lock(&seq->lock);
	req->p->expired = true;
	__shp_abort(seq, req);
	spin_unlock(&seq->lock);
}

/* Whether @req was withdrawn or aborted before it started. */
static bool shp_cancelled(struct shp_sequencer *seq, struct shp_request *req)
{
	bool cancelled;

	spin_lock(&seq->lock);
	cancelled = req->p->cancelled;
	if (cancelled)
		list_del_init(&req->p->queued);
	spin_unlock(&seq->lock);
	return cancelled;
}

/*
 * Run @req, which has started: its runner holds device_hotplug_lock and
 * is recorded as running it.
 */
static void shp_run(struct shp_sequencer *seq, struct shp_request *req,
		    u64 wait_ns)
{
	const bool armed = req->timeout_ms != 0;

	mutex_lock(&seq->handlers_lock);
	trace_shp_request_start(req, wait_ns);
	if (armed)
		schedule_delayed_work(&req->p->deadline,
				      msecs_to_jiffies(req->timeout_ms));
	shp_execute_request(seq, req);
	if (armed)
		cancel_delayed_work_sync(&req->p->deadline);
	spin_lock(&seq->lock);
	WRITE_ONCE(seq->runner, NULL);
	seq->running = NULL;
	spin_unlock(&seq->lock);
	mutex_unlock(&seq->handlers_lock);
}

/*
 * The end of every request, run or withdrawn: the history, its devices
 * dropped, the locks of one that started released, then its submitter
 * told.
 */
static void shp_end(struct shp_sequencer *seq, struct shp_request *req,
		    u64 start, u64 wait_ns)
{
	trace_shp_request_done(req, ktime_get_ns() - start);
	shp_history_add(seq, req, wait_ns, ktime_get_ns() - start);
	/*
	 * Still under device_hotplug_lock (if it was taken), so that no CPU
	 * is registered again before the request lets its device go: see
	 * shp_request_put_devices().
	 */
	shp_request_put_devices(req);
	if (req->p->started) {
		unlock_device_hotplug();
		lock_map_release(&seq->dep_map);
	}
	/*
	 * A submitter that ran its own request: task work (io_uring's) that
	 * came while the sequencer kept TIF_NOTIFY_SIGNAL clear needs it.
	 */
	if (req->p->here && task_work_pending(current))
		set_notify_signal(current);

	if (req->done)
		req->done(req);
	complete_all(&req->p->completion);
}

static void shp_work_fn(struct work_struct *work)
{
	struct shp_request *req = container_of(work, struct shp_request_private,
					       work)->req;
	struct shp_sequencer *seq = req->p->seq;
	u64 start = ktime_get_ns(), wait_ns = start - req->p->queued_ns;
	bool cancelled;

	/*
	 * Not started while it waits for device_hotplug_lock, which a path
	 * outside the sequencer may hold: a signal to its waiter withdraws it
	 * then, as it restarts a writer in lock_device_hotplug_sysfs(). One
	 * withdrawn before does not wait for the lock at all.
	 */
	cancelled = shp_cancelled(seq, req);
	if (!cancelled) {
		lock_map_acquire(&seq->dep_map);
		lock_device_hotplug();
		spin_lock(&seq->lock);
		cancelled = req->p->cancelled;
		req->p->started = true;
		list_del_init(&req->p->queued);
		if (!cancelled) {
			WRITE_ONCE(seq->runner, current);
			seq->running = req;
		}
		spin_unlock(&seq->lock);
	}

	if (cancelled) {
		req->result = -EINTR;
		req->outcome = SHP_OUTCOME_CANCELLED;
	} else {
		shp_run(seq, req, wait_ns);
	}
	shp_end(seq, req, start, wait_ns);
	shp_request_put(req);
}

/* ------------------------------------------------------------ submission */

/*
 * Queue @req, or, if *@here is set and nothing is running or queued, start
 * it in the caller's context (*@here says which on return): the caller
 * holds device_hotplug_lock then, so no worker can start another request
 * before it.
 */
static int __shp_submit(struct shp_sequencer *seq, struct shp_request *req,
			u64 *id, bool *here)
{
	unsigned int mask;
	int ret;

	ret = shp_check_request(req, &mask);
	if (ret) {
		*here = false;
		return ret;
	}

	spin_lock(&seq->lock);
	*here = *here && !seq->running && list_empty(&seq->queued);
	if (req->p->seq) {
		ret = -EBUSY;
		*here = false;
	} else if (seq->dying) {
		ret = -ESHUTDOWN;
		*here = false;
	} else {
		req->p->seq = seq;
		req->p->class_mask = mask;
		req->p->nr_checked = req->nr_targets;
		req->id = ++seq->next_id;
		req->p->queued_ns = ktime_get_ns();
		if (!req->timeout_ms && req->origin == SHP_ORIGIN_FIRMWARE &&
		    req->op == SHP_OP_HOT_REMOVE)
			req->timeout_ms = READ_ONCE(firmware_remove_timeout_ms);
		INIT_WORK(&req->p->work, shp_work_fn);
		INIT_DELAYED_WORK(&req->p->deadline, shp_deadline_fn);
		/*
		 * Traced before it is queued, so that no "start" event can
		 * precede it; queued under the lock, so that queue order is
		 * ID order.
		 */
		trace_shp_request_queued(req);
		if (*here) {
			req->p->here = true;
			req->p->started = true;
			WRITE_ONCE(seq->runner, current);
			seq->running = req;
		} else {
			list_add_tail(&req->p->queued, &seq->queued);
			kref_get(&req->p->kref);
			queue_work(seq->wq, &req->p->work);
		}
	}
	spin_unlock(&seq->lock);
	if (ret)
		return ret;
	if (id)
		*id = req->id;
	return 0;
}

/**
 * shp_sequencer_submit - queue a request on one sequencer
 * @seq: the sequencer
 * @req: the request
 * @id: where to store the request ID, or NULL
 *
 * Context: any process context; does not sleep.
 * Return: 0, -EINVAL for a malformed request, -EBUSY if @req was submitted
 * before, -ESHUTDOWN if the sequencer is going away.
 */
VISIBLE_IF_KUNIT int shp_sequencer_submit(struct shp_sequencer *seq,
					  struct shp_request *req, u64 *id)
{
	bool here = false;

	return __shp_submit(seq, req, id, &here);
}
EXPORT_SYMBOL_IF_KUNIT(shp_sequencer_submit);

/**
 * shp_sequencer_submit_wait - submit to one sequencer and wait
 * @seq: the sequencer
 * @req: the request
 *
 * What shp_submit_wait() does, on @seq: a sysfs write's request may run
 * in the caller's context.
 *
 * Context: as shp_submit_wait().
 * Return: as shp_submit_wait().
 */
VISIBLE_IF_KUNIT int shp_sequencer_submit_wait(struct shp_sequencer *seq,
					       struct shp_request *req)
{
	bool locked, here;
	int ret;

	might_sleep();
	/* A step waiting for a request would wait for itself. */
	if (WARN_ON_ONCE(READ_ONCE(seq->runner) == current))
		return -EDEADLK;
	/*
	 * A sysfs write runs its request itself, as it does without the
	 * framework, if nothing is queued or running and nothing else holds
	 * device_hotplug_lock: two wake-ups fewer. Otherwise the worker runs
	 * it, in its turn. Taken in the worker's order, so that lockdep sees
	 * that waiting depends on everything the worker takes.
	 */
	lock_map_acquire(&seq->dep_map);
	locked = req && req->origin == SHP_ORIGIN_SYSFS &&
		 !signal_pending(current) && trylock_device_hotplug();
	here = locked;
	ret = __shp_submit(seq, req, NULL, &here);
	if (here) {
		u64 start = ktime_get_ns();

		/* As the worker's, for a done callback that drops the caller's. */
		kref_get(&req->p->kref);
		shp_run(seq, req, start - req->p->queued_ns);
		shp_end(seq, req, start, start - req->p->queued_ns);
		ret = req->result;
		shp_request_put(req);
		return ret;
	}
	if (locked)
		unlock_device_hotplug();
	lock_map_release(&seq->dep_map);
	if (ret)
		return ret;
	if (!wait_for_completion_interruptible(&req->p->completion))
		return req->result;

	spin_lock(&seq->lock);
	if (!req->p->started) {
		/*
		 * Not started: withdraw it. A fatal signal ends the call; any
		 * other restarts it once the signal is handled, as a writer
		 * that finds device_hotplug_lock taken does upstream
		 * (lock_device_hotplug_sysfs()).
		 */
		req->p->cancelled = true;
		spin_unlock(&seq->lock);
		return fatal_signal_pending(current) ? -EINTR : -ERESTARTNOINTR;
	}
	/*
	 * The steps see the signal as if they ran in the caller's context:
	 * those that give up on a pending signal upstream (memory offline)
	 * fail with -EINTR and the request is rolled back; the others (CPU
	 * offline, memory online) complete. A fatal signal is no different:
	 * upstream, a killed writer's CPU offline completes too.
	 */
	req->p->signalled = true;
	if (seq->running == req && seq->interruptible)
		shp_interrupt(seq, req);
	spin_unlock(&seq->lock);
	if (!fatal_signal_pending(current) &&
	    !wait_for_completion_killable(&req->p->completion))
		return req->result;
	/* Killed: the request ends on its own; nobody waits for it. */
	return -EINTR;
}
EXPORT_SYMBOL_IF_KUNIT(shp_sequencer_submit_wait);

/**
 * shp_sequencer_abort - abort one request of a sequencer
 * @seq: the sequencer
 * @id: the request's ID
 *
 * A running request stops as shp_request_aborted() says; one still queued
 * is withdrawn, as if its waiter had been signalled before it started.
 * No other request is affected.
 *
 * Context: any process context; does not sleep.
 * Return: 0, or -ESRCH if no request with that ID is running or queued.
 */
int shp_sequencer_abort(struct shp_sequencer *seq, u64 id)
{
	struct shp_request_private *p;
	int ret = -ESRCH;

	spin_lock(&seq->lock);
	if (seq->running && seq->running->id == id) {
		__shp_abort(seq, seq->running);
		ret = 0;
	} else {
		list_for_each_entry(p, &seq->queued, queued) {
			if (p->req->id == id) {
				p->cancelled = true;
				ret = 0;
				break;
			}
		}
	}
	spin_unlock(&seq->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(shp_sequencer_abort);

/**
 * shp_submit - queue a request
 * @req: the request, with its targets filled in
 * @id: where to store the request ID, or NULL (it is also in @req->id)
 *
 * The request runs after every request submitted before it. If @req->done
 * is set, it is called exactly once when the request has ended. The caller
 * keeps its reference and drops it with shp_request_put().
 *
 * Return: 0; -EINVAL for a malformed request (unknown operation, origin,
 * class or flags, no targets, a target that names nothing, or a CPU named
 * by its device rather than its number), in which
 * case no handler runs and @req->done is not called; -EBUSY if @req was
 * submitted before; -ENODEV before the sequencer is initialized.
 *
 * Context: process context; does not sleep.
 */
int shp_submit(struct shp_request *req, u64 *id)
{
	if (!shp_default)
		return -ENODEV;
	return shp_sequencer_submit(shp_default, req, id);
}

/**
 * shp_submit_wait - submit a request and wait for it to end
 * @req: the request, with its targets filled in
 *
 * Waits interruptibly, and treats a signal as a sysfs write upstream
 * would: a request that has not started is withdrawn (the call is
 * restarted once the signal is handled, or ends with -EINTR if the signal
 * is fatal). Once it runs, a signal reaches its execute steps as if they
 * ran in the caller's context: a step that gives up on a pending signal
 * upstream (offline_pages()) fails with -EINTR and the request is rolled
 * back, the others complete. A fatal signal is treated the same way, and
 * the caller returns at once while the request ends on its own: a killed
 * writer's CPU offline completes upstream too.
 *
 * A request from a sysfs write (%SHP_ORIGIN_SYSFS) runs in the caller's
 * context if, when it is submitted, no request is queued or running, no
 * signal is pending and device_hotplug_lock is free (taken with a trylock,
 * never waited for). Its steps then see the caller's signals directly, as
 * the write does upstream; its undo steps run with them blocked (all but
 * SIGKILL and SIGSTOP, which cannot be); an abort or a deadline interrupts
 * its execute step with TIF_NOTIFY_SIGNAL, not a signal. A killed caller
 * returns once the request has ended, with its result. A caller with a
 * signal pending has its request queued, which the signal then withdraws.
 *
 * Context: process context; sleeps until the request has ended. Must not
 * be called with device_hotplug_lock, mem_hotplug_lock, the CPU hot-plug
 * lock or acpi_scan_lock held, nor from a handler step.
 *
 * Return: 0 if the request succeeded; the errno of the failing step (the
 * request was rolled back, or ended PARTIAL: see @req->outcome), -EINTR
 * included; the errors of shp_submit(); -ERESTARTNOINTR if a signal came
 * before the request started; -EINTR if the caller was killed while the
 * sequencer's worker ran the request; -EDEADLK from a handler step.
 */
int shp_submit_wait(struct shp_request *req)
{
	if (!shp_default)
		return -ENODEV;
	return shp_sequencer_submit_wait(shp_default, req);
}

/* ------------------------------------------------------------ instances */

/**
 * shp_sequencer_create - create a sequencer
 * @name: workqueue and debugfs name
 * @history_len: number of requests kept in the history, 0 for none
 *
 * The system has one, created at boot; KUnit creates private ones with
 * their own handlers.
 *
 * Return: the sequencer, or NULL.
 */
VISIBLE_IF_KUNIT struct shp_sequencer *
shp_sequencer_create(const char *name, unsigned int history_len)
{
	static struct lock_class_key key;
	struct shp_sequencer *seq;
	int s;

	seq = kzalloc(sizeof(*seq), GFP_KERNEL);
	if (!seq)
		return NULL;
	if (history_len) {
		seq->history = kcalloc(history_len, sizeof(*seq->history),
				       GFP_KERNEL);
		seq->record_buf = kmalloc(SHP_RECORD_SIZE, GFP_KERNEL);
		if (!seq->history || !seq->record_buf)
			goto fail;
	}
	/*
	 * Ordered: one request at a time, in queue order. Not WQ_MEM_RECLAIM:
	 * CPU offline flushes system_wq work, which a reclaim queue must not.
	 */
	seq->wq = alloc_ordered_workqueue("%s", 0, name);
	if (!seq->wq)
		goto fail;
	seq->name = name;
	seq->history_len = history_len;
	spin_lock_init(&seq->lock);
	INIT_LIST_HEAD(&seq->queued);
	mutex_init(&seq->handlers_lock);
	mutex_init(&seq->list_lock);
	mutex_init(&seq->history_lock);
	for (s = 0; s < SHP_NR_STAGES; s++)
		INIT_LIST_HEAD(&seq->stages[s]);
	lockdep_init_map(&seq->dep_map, "sys_hotplug_request", &key, 0);
	/* Only the system's sequencer acts on real devices. */
	shp_debugfs_init(seq, !shp_default);
	shp_fault_init(seq);
	return seq;
fail:
	kfree(seq->record_buf);
	kfree(seq->history);
	kfree(seq);
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(shp_sequencer_create);

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * shp_sequencer_destroy - run the queued requests, then free a sequencer
 * @seq: a sequencer from shp_sequencer_create(), or NULL
 *
 * New submissions fail with -ESHUTDOWN. Handlers still registered are
 * unlinked with a warning. The requests on the workqueue are run first;
 * a request that a sysfs writer runs itself is not waited for (a warning),
 * so no shp_sequencer_submit_wait() on @seq may still be in progress.
 */
VISIBLE_IF_KUNIT void shp_sequencer_destroy(struct shp_sequencer *seq)
{
	struct shp_handler *h, *tmp;
	unsigned int i;
	int s;

	if (!seq)
		return;
	spin_lock(&seq->lock);
	seq->dying = true;
	/* A writer running its own request would be left with freed memory. */
	WARN_ON(seq->running && seq->running->p->here);
	spin_unlock(&seq->lock);
	destroy_workqueue(seq->wq);
	debugfs_remove_recursive(seq->dir);
	for (s = 0; s < SHP_NR_STAGES; s++) {
		list_for_each_entry_safe(h, tmp, &seq->stages[s], node) {
			WARN(1, "sys_hotplug: handler %s still registered\n",
			     h->name);
			list_del(&h->node);
			h->seq = NULL;
		}
	}
	for (i = 0; i < seq->history_len; i++)
		kfree(seq->history[i].text);
	kfree(seq->history);
	kfree(seq->record_buf);
	kfree(seq->run);
	kfree(seq);
}
EXPORT_SYMBOL_IF_KUNIT(shp_sequencer_destroy);
#endif

/* After debugfs (core_initcall), before ACPI and the handler modules. */
static int __init shp_init(void)
{
	shp_default = shp_sequencer_create("sys_hotplug", SHP_HISTORY_LEN);
	return shp_default ? 0 : -ENOMEM;
}
postcore_initcall(shp_init);
