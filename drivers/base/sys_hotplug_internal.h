/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of the system device hot-plug sequencer share (the
 * sequencer, its requests, its history and fault injection, its debugfs
 * files), and its private instances for its KUnit suite. Not for
 * handlers or submitters: they have include/linux/sys_hotplug.h.
 */
#ifndef _DRIVERS_BASE_SYS_HOTPLUG_INTERNAL_H
#define _DRIVERS_BASE_SYS_HOTPLUG_INTERNAL_H

#include <linux/completion.h>
#include <linux/fault-inject.h>
#include <linux/kref.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/sys_hotplug.h>
#include <linux/types.h>
#include <linux/workqueue.h>

/* A request keeps at most this many reports; further ones are counted. */
#define SHP_MAX_REPORTS		256
/* The history shows at most this many reports and targets per request. */
#define SHP_HISTORY_REPORTS	16
/* The longest history record, with its NUL. */
#define SHP_RECORD_SIZE		(512 + SHP_HISTORY_REPORTS * 160)
#define SHP_HISTORY_TARGETS	6
#define SHP_HISTORY_LEN		64
/* Fault injection point for rollback steps, beside the phases. */
#define SHP_FAULT_ROLLBACK	SHP_NR_PHASES

enum shp_report_kind {
	SHP_REPORT_BLOCKER,
	SHP_REPORT_LEFT,
};

struct shp_report {
	struct list_head node;
	enum shp_report_kind kind;
	enum shp_phase phase;
	int target;
	int err;
	char handler[SHP_NAME_LEN];
	char reason[];
};

struct shp_record {
	u64 id;
	char *text;
};

struct shp_fault {
	struct fault_attr attr;
	spinlock_t lock;		/* protects handler and phases */
	char handler[SHP_NAME_LEN];	/* empty: any handler */
	unsigned int phases;		/* BIT(phase), BIT(SHP_FAULT_ROLLBACK) */
	u32 err;
	u32 delay_ms;			/* execute: delay the step, not fail it */
};

struct shp_sequencer {
	const char *name;
	struct workqueue_struct *wq;
	spinlock_t lock;		/* IDs, queueing, cancellation */
	u64 next_id;
	bool dying;
	struct list_head queued;	/* under lock: submitted, not started */
	struct task_struct *runner;	/* task running a request, if any */
	struct shp_request *running;	/* under lock: the request it runs */
	bool interruptible;		/* under lock: in an execute step */

	struct mutex handlers_lock;	/* held while a request runs */
	/*
	 * Taken inside handlers_lock to change the stage lists, alone by
	 * readers that must not wait for the running request (debugfs).
	 */
	struct mutex list_lock;
	struct list_head stages[SHP_NR_STAGES];
	unsigned int nr_handlers;
	/* Handlers with an execute step, per class and operation. */
	atomic_t handles[SHP_NR_CLASSES][SHP_NR_OPS];
	struct shp_handler **run;	/* handlers of the running request */

	struct mutex history_lock;	/* protects the history ring */
	struct shp_record *history;
	char *record_buf;		/* SHP_RECORD_SIZE, to format into */
	unsigned int history_len;
	unsigned int history_next;

	struct dentry *dir;
#ifdef CONFIG_FAIL_SYS_HOTPLUG
	struct shp_fault fail;
#endif
	struct lockdep_map dep_map;
};

/* Progress records kept in the request itself, before any allocation. */
#define SHP_INLINE_PROGRESS	4

/* One execute step that changed a target: what rollback undoes. */
struct shp_progress {
	struct shp_handler *h;
	unsigned int target;
	bool undone;
	unsigned long data;
};

/* The sequencer's state of a request: &shp_request.p. */
struct shp_request_private {
	struct shp_request *req;
	struct shp_sequencer *seq;
	struct kref kref;
	struct work_struct work;
	struct delayed_work deadline;
	struct list_head queued;	/* in &shp_sequencer.queued */
	struct completion completion;
	unsigned int max_targets;
	struct list_head chunks;	/* targets not in the request itself */
	struct list_head reports;
	unsigned int nr_reports;
	unsigned int nr_dropped;
	unsigned int class_mask;	/* BIT() of every target's class */
	unsigned int nr_checked;	/* targets counted in class_mask */
	struct shp_progress *progress;	/* the changes, oldest first */
	unsigned int nr_progress;
	unsigned int max_progress;
	/* The first changes: a request for one device allocates none. */
	struct shp_progress first_progress[SHP_INLINE_PROGRESS];
	bool started;
	bool cancelled;
	bool aborted;
	bool expired;
	bool signalled;
	bool here;			/* runs in its submitter's context */
	bool notified;			/* under seq->lock: see shp_interrupt() */
	bool left_by_step;
	const char *cur_handler;
	enum shp_phase cur_phase;
	char failed_handler[SHP_NAME_LEN];
	enum shp_phase failed_phase;
	u64 queued_ns;
};

/* sys_hotplug_request.c */
void *shp_kvgrow(void *arr, const void *first, size_t first_size,
		 size_t size, gfp_t gfp);
extern const char * const shp_class_names[SHP_NR_CLASSES];
extern const char * const shp_origin_names[SHP_NR_ORIGINS];
extern const char * const shp_phase_names[SHP_NR_PHASES + 1];
extern const char * const shp_outcome_names[];
void shp_request_put_devices(struct shp_request *req);

/* sys_hotplug.c */
int shp_sequencer_abort(struct shp_sequencer *seq, u64 id);

/* sys_hotplug_debugfs.c */
void shp_history_add(struct shp_sequencer *seq, struct shp_request *req,
		     u64 wait_ns, u64 run_ns);
void shp_debugfs_init(struct shp_sequencer *seq, bool requests);

/* sys_hotplug_fault.c */
#ifdef CONFIG_FAIL_SYS_HOTPLUG
bool shp_should_fail(struct shp_sequencer *seq, const struct shp_handler *h,
		     unsigned int point);
int shp_fault_errno(struct shp_sequencer *seq);
unsigned int shp_fault_delay(struct shp_sequencer *seq);
void shp_fault_init(struct shp_sequencer *seq);
#else
static inline bool shp_should_fail(struct shp_sequencer *seq,
				   const struct shp_handler *h,
				   unsigned int point)
{
	return false;
}

static inline int shp_fault_errno(struct shp_sequencer *seq)
{
	return -EIO;
}

static inline unsigned int shp_fault_delay(struct shp_sequencer *seq)
{
	return 0;
}

static inline void shp_fault_init(struct shp_sequencer *seq) { }
#endif

#if IS_ENABLED(CONFIG_KUNIT)
struct shp_sequencer *shp_sequencer_create(const char *name,
					   unsigned int history_len);
void shp_sequencer_destroy(struct shp_sequencer *seq);
int shp_sequencer_register(struct shp_sequencer *seq, struct shp_handler *h);
int shp_sequencer_submit(struct shp_sequencer *seq, struct shp_request *req,
			 u64 *id);
int shp_sequencer_submit_wait(struct shp_sequencer *seq,
			      struct shp_request *req);
struct shp_sequencer *shp_default_sequencer(void);
char *shp_history_text(struct shp_sequencer *seq);
char *shp_history_record(struct shp_sequencer *seq, u64 id);
int shp_parse_targets(struct shp_sequencer *seq, struct shp_request *req,
		      char *p, const char *how);

#ifdef CONFIG_FAIL_SYS_HOTPLUG
struct fault_attr *shp_fault_attr(struct shp_sequencer *seq);
int shp_fault_set_handler(struct shp_sequencer *seq, const char *buf);
int shp_fault_set_phases(struct shp_sequencer *seq, const char *buf);
void shp_fault_set_errno(struct shp_sequencer *seq, u32 err);
#endif
#endif /* CONFIG_KUNIT */

#endif /* _DRIVERS_BASE_SYS_HOTPLUG_INTERNAL_H */
