// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the system device hot-plug sequencer.
 *
 * Every case runs on a private sequencer with fake handlers, so it neither
 * depends on nor disturbs the handlers that real modules register. The
 * fake handlers keep a "world" (what each one has changed) and a log of
 * every step, so that a case checks both the exact sequence of steps and
 * that a failure left the world as it was.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/fault-inject.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sched/signal.h>
#include <linux/sys_hotplug.h>
#include <trace/events/sys_hotplug.h>

#include "../sys_hotplug_internal.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define NR_FAKES	5
#define LOG_MAX		512
#define NR_TARGETS	4
/* A fake handler may fail in a phase, or in its undo. */
#define FAIL_NONE	-1
#define FAIL_ROLLBACK	SHP_NR_PHASES
/* The target a fake fails at: any (the first it is called for), or one. */
#define FAIL_ANY	-1

/*
 * One log entry: the step, the fake's index and the target's (0xff for
 * the request-wide validate).
 */
enum step_kind { STEP_V = 1, STEP_E, STEP_R, STEP_C };
#define STEP(kind, idx, t)	(((kind) << 12) | ((idx) << 8) | ((t) & 0xff))
#define STEP_REQ		0xff
#define STEP_WHO(entry)		((entry) >> 8)

struct shp_test;

struct fake {
	struct shp_handler h;
	struct shp_test *ctx;
	int idx;
	int fail_at;		/* phase, FAIL_ROLLBACK or FAIL_NONE */
	int fail_target;	/* FAIL_ANY or a target index */
	int fail_err;
	unsigned long block;	/* validate: targets to report as blockers */
	unsigned int add;	/* execute: memory targets to discover */
	int world;		/* per-target changes not undone */
	int bad_data;		/* undos that did not get execute's data */
	int undo_signals;	/* undos that started with a signal pending */
};

struct shp_test {
	struct kunit *test;
	struct shp_sequencer *seq;
	struct fake fakes[NR_FAKES];
	spinlock_t lock;	/* protects log */
	u16 log[LOG_MAX];
	unsigned int nlog;
	unsigned int nr_done;
};

/*
 * Registration order is deliberately not stage order. Run order for
 * hot-add and online: node, firmware, mem-a, mem-b, cpu (mem-a before
 * mem-b: registration order within a stage). Hot-remove and offline: the
 * reverse.
 */
static const struct {
	const char *name;
	enum shp_stage stage;
} fake_defs[NR_FAKES] = {
	{ "cpu", SHP_STAGE_CPU },
	{ "mem-a", SHP_STAGE_MEMORY },
	{ "node", SHP_STAGE_NODE },
	{ "mem-b", SHP_STAGE_MEMORY },
	{ "firmware", SHP_STAGE_FIRMWARE },
};

/* Indexes of fake_defs in hot-add run order. */
static const int up_order[NR_FAKES] = { 2, 4, 1, 3, 0 };

static int run_index(enum shp_operation op, int pos)
{
	return shp_is_up(op) ? up_order[pos] : up_order[NR_FAKES - 1 - pos];
}

static void log_step(struct fake *f, enum step_kind kind, int target)
{
	struct shp_test *ctx = f->ctx;

	spin_lock(&ctx->lock);
	if (ctx->nlog < LOG_MAX)
		ctx->log[ctx->nlog++] = STEP(kind, f->idx, target);
	spin_unlock(&ctx->lock);
}

static bool fake_fails(struct fake *f, int phase, int target)
{
	return f->fail_at == phase &&
	       (f->fail_target == FAIL_ANY || f->fail_target == target);
}

static int fake_validate(struct shp_handler *h, struct shp_request *req)
{
	struct fake *f = container_of(h, struct fake, h);
	struct shp_target *t;
	int ret = 0;

	log_step(f, STEP_V, STEP_REQ);
	for (t = shp_next_target(req, NULL, SHP_CLASS_MEMORY); t;
	     t = shp_next_target(req, t, SHP_CLASS_MEMORY)) {
		int i = shp_target_index(req, t);

		if (!(f->block & BIT(i)))
			continue;
		shp_report_blocker(req, i, -EBUSY, "%s blocks target %d",
				   h->name, i);
		ret = ret ?: -EBUSY;
	}
	if (f->fail_at == SHP_PHASE_VALIDATE)
		return f->fail_err;
	return ret;
}

/* What a fake's execute leaves in its per-target word, for its undo. */
static unsigned long fake_data(struct fake *f, int target)
{
	return 0x5000 + f->idx * 0x100 + target;
}

static int fake_execute(struct shp_handler *h, struct shp_request *req,
			struct shp_target *t, unsigned long *data)
{
	struct fake *f = container_of(h, struct fake, h);
	int idx = shp_target_index(req, t);
	unsigned int i;

	log_step(f, STEP_E, idx);
	if (fake_fails(f, SHP_PHASE_EXECUTE, idx))
		return f->fail_err;
	if (f->add) {
		t = shp_request_add_targets(req, f->add);
		if (!t)
			return -ENOMEM;
		for (i = 0; i < f->add; i++) {
			t[i].class = SHP_CLASS_MEMORY;
			t[i].mem.start = SZ_1G + (u64)i * SZ_128M;
			t[i].mem.size = SZ_128M;
		}
	}
	*data = fake_data(f, idx);
	f->world++;
	return 0;
}

static int fake_undo(struct shp_handler *h, struct shp_request *req,
		     struct shp_target *t, unsigned long *data)
{
	struct fake *f = container_of(h, struct fake, h);
	int idx = shp_target_index(req, t);

	log_step(f, STEP_R, idx);
	if (*data != fake_data(f, idx))
		f->bad_data++;
	if (signal_pending(current))
		f->undo_signals++;
	if (f->fail_at == FAIL_ROLLBACK) {
		shp_report_left(req, idx, f->fail_err, "%s left its change",
				h->name);
		return f->fail_err;
	}
	f->world--;
	return 0;
}

static int fake_commit(struct shp_handler *h, struct shp_request *req,
		       struct shp_target *t)
{
	struct fake *f = container_of(h, struct fake, h);
	int idx = shp_target_index(req, t);

	log_step(f, STEP_C, idx);
	return fake_fails(f, SHP_PHASE_COMMIT, idx) ? f->fail_err : 0;
}

static const struct shp_steps fake_steps = {
	.validate = fake_validate,
	.execute = fake_execute,
	.undo = fake_undo,
	.commit = fake_commit,
};

/* Give a fake steps for the operations in @ops only; it is registered. */
static void fake_set_ops(struct kunit *test, struct fake *f, unsigned int ops)
{
	struct shp_test *ctx = test->priv;
	int op;

	shp_unregister_handler(&f->h);
	for (op = 0; op < SHP_NR_OPS; op++)
		f->h.steps[op] = ops & BIT(op) ? &fake_steps : NULL;
	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &f->h), 0);
}

/*
 * Online and offline act on existing devices; this one stands for them.
 * Requests hold references on it, so every case checks that the sequencer
 * drops exactly the references its requests were given.
 */
static struct device fake_block;

static unsigned int fake_block_releases;

static void fake_block_release(struct device *dev)
{
	fake_block_releases++;
}

/*
 * Register the fake block afresh, as register_cpu() does a CPU's static
 * device: the storage is reused and reinitialized.
 */
static void fake_block_init(struct kunit *test)
{
	memset(&fake_block, 0, sizeof(fake_block));
	device_initialize(&fake_block);
	fake_block.release = fake_block_release;
	KUNIT_ASSERT_EQ(test, dev_set_name(&fake_block, "memory-fake"), 0);
}

static int shp_test_init(struct kunit *test)
{
	struct shp_test *ctx;
	int i, op;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->test = test;
	spin_lock_init(&ctx->lock);
	fake_block_init(test);
	fake_block_releases = 0;
	ctx->seq = shp_sequencer_create("sys_hotplug-kunit", 8);
	KUNIT_ASSERT_NOT_NULL(test, ctx->seq);
	for (i = 0; i < NR_FAKES; i++) {
		struct fake *f = &ctx->fakes[i];

		f->ctx = ctx;
		f->idx = i;
		f->fail_at = FAIL_NONE;
		f->fail_target = FAIL_ANY;
		f->fail_err = -EIO;
		f->h.name = fake_defs[i].name;
		f->h.stage = fake_defs[i].stage;
		f->h.classes = BIT(SHP_CLASS_MEMORY);
		for (op = 0; op < SHP_NR_OPS; op++)
			f->h.steps[op] = &fake_steps;
		KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &f->h), 0);
	}
	test->priv = ctx;
	return 0;
}

static void shp_test_exit(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	int i;

	if (!ctx)
		return;
	for (i = 0; i < NR_FAKES; i++) {
		if (ctx->fakes[i].h.seq)
			shp_unregister_handler(&ctx->fakes[i].h);
		KUNIT_EXPECT_EQ_MSG(test, ctx->fakes[i].bad_data, 0,
				    "%s: undo without execute's data",
				    fake_defs[i].name);
	}
	shp_sequencer_destroy(ctx->seq);
	KUNIT_EXPECT_EQ_MSG(test, kref_read(&fake_block.kobj.kref), 1,
			    "target device references not dropped exactly once");
	put_device(&fake_block);
}

/*
 * A request for @n memory targets: physical ranges for hot-add and
 * hot-remove, a (fake) memory block device for online and offline.
 */
static struct shp_request *mem_request(struct kunit *test,
				       enum shp_operation op, unsigned int n)
{
	struct shp_request *req;
	unsigned int i;

	req = shp_request_alloc(op, SHP_ORIGIN_KERNEL, n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	for (i = 0; i < n; i++) {
		req->targets[i]->class = SHP_CLASS_MEMORY;
		req->targets[i]->mem.start = (u64)i << 27;
		req->targets[i]->mem.size = 1ULL << 27;
		if (op == SHP_OP_ONLINE || op == SHP_OP_OFFLINE)
			shp_target_set_device(req->targets[i], &fake_block);
	}
	return req;
}

/*
 * Submit and wait; once the sequencer's worker is done with it, the
 * caller's reference must be the only one left (the release that the
 * caller's put then runs frees the targets, reports and progress).
 */
static int run_request(struct shp_test *ctx, struct shp_request *req)
{
	int ret = shp_sequencer_submit_wait(ctx->seq, req);

	flush_workqueue(ctx->seq->wq);
	KUNIT_EXPECT_EQ_MSG(ctx->test, kref_read(&req->p->kref), 1,
			    "request %llu: references left by the sequencer",
			    req->id);
	return ret;
}

static void expect_log(struct kunit *test, const u16 *want, unsigned int n)
{
	struct shp_test *ctx = test->priv;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, ctx->nlog, n);
	for (i = 0; i < min(n, ctx->nlog); i++)
		KUNIT_EXPECT_EQ_MSG(test, ctx->log[i], want[i], "step %u", i);
}

static void expect_world(struct kunit *test, int value)
{
	struct shp_test *ctx = test->priv;
	int i;

	for (i = 0; i < NR_FAKES; i++)
		KUNIT_EXPECT_EQ_MSG(test, ctx->fakes[i].world, value,
				    "handler %s", fake_defs[i].name);
}

static unsigned int count_reports(struct shp_request *req)
{
	return req->p->nr_reports;
}

/* ------------------------------------------------------------ order */

/* Append to @want the per-target @kind steps of run positions [from, to). */
static unsigned int want_steps(u16 *want, unsigned int n, enum step_kind kind,
			       enum shp_operation op, int from, int to,
			       unsigned int nr_targets)
{
	unsigned int t;
	int pos;

	for (pos = from; pos < to; pos++)
		for (t = 0; t < nr_targets; t++)
			want[n++] = STEP(kind, run_index(op, pos), t);
	return n;
}

/* Append the request-wide validate steps of run positions [0, to). */
static unsigned int want_validates(u16 *want, unsigned int n,
				   enum shp_operation op, int to)
{
	int pos;

	for (pos = 0; pos < to; pos++)
		want[n++] = STEP(STEP_V, run_index(op, pos), STEP_REQ);
	return n;
}

static void check_full_run(struct kunit *test, enum shp_operation op)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req = mem_request(test, op, NR_TARGETS);
	u16 want[NR_FAKES * (1 + 2 * NR_TARGETS)];
	unsigned int n, i;

	n = want_validates(want, 0, op, NR_FAKES);
	n = want_steps(want, n, STEP_E, op, 0, NR_FAKES, NR_TARGETS);
	n = want_steps(want, n, STEP_C, op, 0, NR_FAKES, NR_TARGETS);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_OK);
	expect_log(test, want, n);
	expect_world(test, NR_TARGETS);
	for (i = 0; i < NR_TARGETS; i++)
		KUNIT_EXPECT_TRUE(test, shp_target_changed(req, req->targets[i]));
	shp_request_put(req);
}

static void shp_test_order_add(struct kunit *test)
{
	check_full_run(test, SHP_OP_HOT_ADD);
}

static void shp_test_order_remove(struct kunit *test)
{
	check_full_run(test, SHP_OP_HOT_REMOVE);
}

static void shp_test_order_online_offline(struct kunit *test)
{
	struct shp_test *ctx = test->priv;

	check_full_run(test, SHP_OP_ONLINE);
	ctx->nlog = 0;
	memset(ctx->log, 0, sizeof(ctx->log));
	/* The world counts per request: reset it for the second run. */
	for (int i = 0; i < NR_FAKES; i++)
		ctx->fakes[i].world = 0;
	check_full_run(test, SHP_OP_OFFLINE);
}

/*
 * A handler runs only for the operations it has steps for, and only for
 * requests with targets of its classes: nothing else is called.
 */
static void shp_test_handler_filter(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req;
	u16 want[3 * 3];
	int pos, n = 0;

	fake_set_ops(test, &ctx->fakes[0], BIT(SHP_OP_ONLINE));	/* cpu */
	shp_unregister_handler(&ctx->fakes[2].h);		/* node */
	ctx->fakes[2].h.classes = BIT(SHP_CLASS_NODE);
	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &ctx->fakes[2].h), 0);
	for (pos = 0; pos < NR_FAKES; pos++) {
		int idx = run_index(SHP_OP_HOT_ADD, pos);

		if (idx == 0 || idx == 2)
			continue;
		want[n] = STEP(STEP_V, idx, STEP_REQ);
		want[3 + n] = STEP(STEP_E, idx, 0);
		want[6 + n] = STEP(STEP_C, idx, 0);
		n++;
	}
	req = mem_request(test, SHP_OP_HOT_ADD, 1);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	expect_log(test, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, ctx->fakes[0].world, 0);
	KUNIT_EXPECT_EQ(test, ctx->fakes[2].world, 0);
	shp_request_put(req);
}

/*
 * A firmware step that discovers memory brings the memory handlers in for
 * the rest of the request, and its discovery is rolled back with the rest.
 * Only the firmware handler that owns the firmware target acts on it.
 */
static void check_discovery(struct kunit *test, bool fail)
{
	struct shp_test *ctx = test->priv;
	struct fake *fw = &ctx->fakes[4], *mem_b = &ctx->fakes[3];
	struct shp_request *req;
	const u16 ok[] = {
		STEP(STEP_V, 4, STEP_REQ),
		STEP(STEP_E, 4, 0), STEP(STEP_E, 1, 1), STEP(STEP_E, 1, 2),
		STEP(STEP_E, 3, 1), STEP(STEP_E, 3, 2),
		STEP(STEP_C, 4, 0), STEP(STEP_C, 1, 1), STEP(STEP_C, 1, 2),
		STEP(STEP_C, 3, 1), STEP(STEP_C, 3, 2),
	};
	const u16 failed[] = {
		STEP(STEP_V, 4, STEP_REQ),
		STEP(STEP_E, 4, 0), STEP(STEP_E, 1, 1), STEP(STEP_E, 1, 2),
		STEP(STEP_E, 3, 1),
		STEP(STEP_R, 1, 2), STEP(STEP_R, 1, 1), STEP(STEP_R, 4, 0),
	};
	unsigned int i;

	shp_unregister_handler(&ctx->fakes[0].h);
	shp_unregister_handler(&ctx->fakes[2].h);
	shp_unregister_handler(&fw->h);
	fw->h.classes = BIT(SHP_CLASS_FIRMWARE);
	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &fw->h), 0);
	fw->add = 2;
	if (fail)
		mem_b->fail_at = SHP_PHASE_EXECUTE;

	req = shp_request_alloc(SHP_OP_HOT_ADD, SHP_ORIGIN_FIRMWARE, 1,
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	req->targets[0]->class = SHP_CLASS_FIRMWARE;
	req->targets[0]->fw.handler = &fw->h;
	req->targets[0]->fw.handle = ctx;
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), fail ? -EIO : 0);
	KUNIT_ASSERT_EQ(test, req->nr_targets, 3U);
	KUNIT_EXPECT_EQ(test, req->targets[2]->class, SHP_CLASS_MEMORY);
	if (fail) {
		expect_log(test, failed, ARRAY_SIZE(failed));
		for (i = 0; i < req->nr_targets; i++)
			KUNIT_EXPECT_FALSE(test, shp_target_changed(req, req->targets[i]));
		KUNIT_EXPECT_EQ(test, fw->world, 0);
		KUNIT_EXPECT_EQ(test, ctx->fakes[1].world, 0);
	} else {
		expect_log(test, ok, ARRAY_SIZE(ok));
		KUNIT_EXPECT_TRUE(test, shp_target_changed(req, req->targets[2]));
		KUNIT_EXPECT_EQ(test, mem_b->world, 2);
	}
	shp_request_put(req);
}

static void shp_test_discovery(struct kunit *test)
{
	check_discovery(test, false);
}

static void shp_test_discovery_rollback(struct kunit *test)
{
	check_discovery(test, true);
}

/* ------------------------------------------------------------ failures */

/*
 * Every position a step can fail at: each handler's validate, and its
 * execute and commit at each target, for an operation of each direction.
 */
struct matrix_case {
	enum shp_operation op;
	int pos;		/* failing handler, in run order */
	enum shp_phase phase;
	int target;		/* execute and commit: the failing target */
};

#define MATRIX_PER_HANDLER	(1 + 2 * NR_TARGETS)
static struct matrix_case matrix_cases[2 * NR_FAKES * MATRIX_PER_HANDLER];
static const char * const phase_names[] = { "validate", "execute", "commit" };

static const void *matrix_gen(const void *prev, char *desc)
{
	struct matrix_case *c = prev ? (struct matrix_case *)prev + 1 :
				       matrix_cases;
	unsigned int i = c - matrix_cases, k;

	if (i >= ARRAY_SIZE(matrix_cases))
		return NULL;
	c->op = i < NR_FAKES * MATRIX_PER_HANDLER ? SHP_OP_HOT_ADD :
						    SHP_OP_HOT_REMOVE;
	c->pos = (i / MATRIX_PER_HANDLER) % NR_FAKES;
	k = i % MATRIX_PER_HANDLER;
	c->phase = k ? (k <= NR_TARGETS ? SHP_PHASE_EXECUTE : SHP_PHASE_COMMIT) :
		       SHP_PHASE_VALIDATE;
	c->target = k ? (k - 1) % NR_TARGETS : FAIL_ANY;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s fails at %s %s, target %d",
		 shp_op_name(c->op), fake_defs[run_index(c->op, c->pos)].name,
		 phase_names[c->phase], c->target);
	return c;
}

static void shp_test_failure_matrix(struct kunit *test)
{
	const struct matrix_case *c = test->param_value;
	struct shp_test *ctx = test->priv;
	int failing = run_index(c->op, c->pos);
	u16 want[NR_FAKES * (2 + 2 * NR_TARGETS)];
	struct shp_request *req;
	unsigned int n = 0, i;
	int pos, t;

	ctx->fakes[failing].fail_at = c->phase;
	ctx->fakes[failing].fail_target = c->target;
	ctx->fakes[failing].fail_err = -ENOSPC;
	req = mem_request(test, c->op, NR_TARGETS);

	/* Validate up to the failing handler, or all of them. */
	n = want_validates(want, n, c->op,
			   c->phase == SHP_PHASE_VALIDATE ? c->pos + 1 : NR_FAKES);
	if (c->phase == SHP_PHASE_EXECUTE) {
		n = want_steps(want, n, STEP_E, c->op, 0, c->pos, NR_TARGETS);
		for (t = 0; t <= c->target; t++)
			want[n++] = STEP(STEP_E, failing, t);
		/* Exactly the completed executes, newest first. */
		for (t = c->target - 1; t >= 0; t--)
			want[n++] = STEP(STEP_R, failing, t);
		for (pos = c->pos - 1; pos >= 0; pos--)
			for (t = NR_TARGETS - 1; t >= 0; t--)
				want[n++] = STEP(STEP_R, run_index(c->op, pos), t);
	}
	if (c->phase == SHP_PHASE_COMMIT) {
		n = want_steps(want, n, STEP_E, c->op, 0, NR_FAKES, NR_TARGETS);
		n = want_steps(want, n, STEP_C, c->op, 0, c->pos, NR_TARGETS);
		for (t = 0; t <= c->target; t++)
			want[n++] = STEP(STEP_C, failing, t);
	}

	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -ENOSPC);
	expect_log(test, want, n);
	KUNIT_EXPECT_STREQ(test, req->p->failed_handler, fake_defs[failing].name);
	KUNIT_EXPECT_EQ(test, req->p->failed_phase, c->phase);
	if (c->phase == SHP_PHASE_COMMIT) {
		/* Commit does not roll back: everything executed stays. */
		KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_PARTIAL);
		expect_world(test, NR_TARGETS);
		/*
		 * One report for the failure, one per commit not run: the
		 * failing handler's later targets, every target of the
		 * handlers after it.
		 */
		KUNIT_EXPECT_EQ(test, count_reports(req),
				(unsigned int)(1 + NR_TARGETS - 1 - c->target +
					       (NR_FAKES - 1 - c->pos) *
					       NR_TARGETS));
	} else {
		KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_FAILED);
		expect_world(test, 0);
		for (i = 0; i < NR_TARGETS; i++)
			KUNIT_EXPECT_FALSE(test, shp_target_changed(req, req->targets[i]));
	}
	shp_request_put(req);
}

/* A failing undo step: PARTIAL, the other steps are still undone. */
static void shp_test_rollback_failure(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req = mem_request(test, SHP_OP_HOT_ADD, 2);
	int failing = run_index(SHP_OP_HOT_ADD, 3);
	int stuck = run_index(SHP_OP_HOT_ADD, 1);
	char *text;
	int i;

	ctx->fakes[failing].fail_at = SHP_PHASE_EXECUTE;
	ctx->fakes[failing].fail_err = -EAGAIN;
	ctx->fakes[stuck].fail_at = FAIL_ROLLBACK;
	ctx->fakes[stuck].fail_err = -EBUSY;

	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -EAGAIN);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_PARTIAL);
	for (i = 0; i < NR_FAKES; i++)
		KUNIT_EXPECT_EQ_MSG(test, ctx->fakes[i].world,
				    i == stuck ? 2 : 0, "%s", fake_defs[i].name);
	/* What the stuck undo left stays changed; nothing else does. */
	KUNIT_EXPECT_TRUE(test, shp_target_changed(req, req->targets[0]));
	KUNIT_EXPECT_TRUE(test, shp_target_changed(req, req->targets[1]));
	/* The handler's own report says what was left. */
	text = shp_history_text(ctx->seq);
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "outcome=partial result=-11"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "left: handler=firmware phase=execute"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "target=0 err=-16 firmware left its change"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "target=1 err=-16 firmware left its change"));
	kfree(text);
	shp_request_put(req);
}

/* A device removed while its request waited: -ENODEV, and no step runs. */
static void shp_test_gone_device(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req = mem_request(test, SHP_OP_ONLINE, 2);
	struct device *dev;
	char *text;

	dev = kunit_device_register(test, "shp-gone");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	put_device(req->targets[1]->dev);
	req->targets[1]->dev = NULL;
	shp_target_set_device(req->targets[1], dev);
	kunit_device_unregister(test, dev);

	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -ENODEV);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_FAILED);
	expect_log(test, NULL, 0);
	expect_world(test, 0);
	text = shp_history_text(ctx->seq);
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "failed=core/validate"));
	/* kunit_device_register() prefixes the case's name. */
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(text, "shp-gone is gone\n"), "%s", text);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "core phase=validate target=1 err=-19"));
	kfree(text);
	shp_request_put(req);
}

/* ------------------------------------------------------------ validate-only */

static void shp_test_validate_only(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req = mem_request(test, SHP_OP_HOT_REMOVE, 3);
	u16 want[NR_FAKES];
	char *text;

	req->flags = SHP_REQ_VALIDATE_ONLY;
	ctx->fakes[0].block = BIT(0) | BIT(2);		/* cpu */
	ctx->fakes[3].block = BIT(1);			/* mem-b */
	ctx->fakes[2].fail_at = SHP_PHASE_VALIDATE;	/* node, no report */
	ctx->fakes[2].fail_err = -EPERM;
	want_validates(want, 0, SHP_OP_HOT_REMOVE, NR_FAKES);

	/* The first blocker in run order is the cpu's. */
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -EBUSY);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_FAILED);
	expect_log(test, want, NR_FAKES);
	expect_world(test, 0);
	/* Every blocker: two from cpu, one from mem-b, one for node. */
	KUNIT_EXPECT_EQ(test, count_reports(req), 4U);
	text = shp_history_text(ctx->seq);
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "blocker: handler=cpu phase=validate target=0"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "target=0 err=-16 cpu blocks target 0\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "target=2 err=-16 cpu blocks target 2\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "target=1 err=-16 mem-b blocks target 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "blocker: handler=node phase=validate"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "node phase=validate target=-1 err=-1 failed\n"));
	kfree(text);
	shp_request_put(req);
}

static void shp_test_validate_only_clean(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req = mem_request(test, SHP_OP_OFFLINE, 2);
	u16 want[NR_FAKES];

	want_validates(want, 0, SHP_OP_OFFLINE, NR_FAKES);
	req->flags = SHP_REQ_VALIDATE_ONLY;
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_OK);
	KUNIT_EXPECT_EQ(test, count_reports(req), 0U);
	expect_log(test, want, NR_FAKES);
	expect_world(test, 0);
	shp_request_put(req);
}

/* ------------------------------------------------------------ submission */

static void count_done(struct shp_request *req)
{
	atomic_t *count = req->data;

	atomic_inc(count);
}

static void shp_test_sync_errno(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req;

	ctx->fakes[1].fail_at = SHP_PHASE_EXECUTE;
	ctx->fakes[1].fail_err = -EXDEV;
	req = mem_request(test, SHP_OP_ONLINE, 1);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -EXDEV);
	KUNIT_EXPECT_EQ(test, req->result, -EXDEV);
	shp_request_put(req);

	ctx->fakes[1].fail_at = FAIL_NONE;
	req = mem_request(test, SHP_OP_ONLINE, 1);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	shp_request_put(req);
}

static void shp_test_async_done_once(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *ok, *bad;
	atomic_t count = ATOMIC_INIT(0);
	u64 id_ok = 0, id_bad = 0;

	/* The firmware handler fails its commit, and acts on hot-add only. */
	ctx->fakes[4].fail_at = SHP_PHASE_COMMIT;
	fake_set_ops(test, &ctx->fakes[4], BIT(SHP_OP_HOT_ADD));
	ok = mem_request(test, SHP_OP_OFFLINE, 1);
	bad = mem_request(test, SHP_OP_HOT_ADD, 1);
	ok->done = count_done;
	ok->data = &count;
	bad->done = count_done;
	bad->data = &count;
	KUNIT_ASSERT_EQ(test, shp_sequencer_submit(ctx->seq, ok, &id_ok), 0);
	KUNIT_ASSERT_EQ(test, shp_sequencer_submit(ctx->seq, bad, &id_bad), 0);
	KUNIT_EXPECT_GT(test, id_bad, id_ok);
	KUNIT_EXPECT_EQ(test, ok->id, id_ok);
	/* A submitted request cannot be submitted again. */
	KUNIT_EXPECT_EQ(test, shp_sequencer_submit(ctx->seq, ok, NULL), -EBUSY);
	wait_for_completion(&ok->p->completion);
	wait_for_completion(&bad->p->completion);
	/* Give a second callback, if there were one, time to show. */
	msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&count), 2);
	KUNIT_EXPECT_EQ(test, ok->result, 0);
	KUNIT_EXPECT_EQ(test, bad->outcome, SHP_OUTCOME_PARTIAL);
	shp_request_put(ok);
	shp_request_put(bad);
}

struct malformed_case {
	const char *desc;
	void (*spoil)(struct shp_request *req);
	enum shp_operation op;
};

static void spoil_op(struct shp_request *req) { req->op = SHP_NR_OPS; }
static void spoil_origin(struct shp_request *req) { req->origin = 7; }
static void spoil_flags(struct shp_request *req) { req->flags = BIT(5); }
static void spoil_class(struct shp_request *req) { req->targets[1]->class = 9; }
static void spoil_unfilled(struct shp_request *req)
{
	req->targets[1]->class = SHP_NR_CLASSES;
}

static void spoil_empty_range(struct shp_request *req)
{
	req->targets[0]->mem.size = 0;
}

static struct shp_handler some_handler = { .name = "some-firmware" };

static void spoil_no_fw(struct shp_request *req)
{
	req->targets[1]->class = SHP_CLASS_FIRMWARE;
	req->targets[1]->fw.handler = &some_handler;
	req->targets[1]->fw.handle = NULL;
}

static void spoil_fw_unowned(struct shp_request *req)
{
	req->targets[1]->class = SHP_CLASS_FIRMWARE;
	req->targets[1]->fw.handler = NULL;
	req->targets[1]->fw.handle = req;
}

static void spoil_parent(struct shp_request *req)
{
	req->targets[1]->parent = 0;
}

static void spoil_target_flags(struct shp_request *req)
{
	req->targets[1]->flags = SHP_TARGET_FW_REMOVES;
}

static void spoil_no_node(struct shp_request *req)
{
	req->targets[1]->class = SHP_CLASS_NODE;
	req->targets[1]->nid = -1;
}

static void spoil_cpu_nodev(struct shp_request *req)
{
	req->targets[1]->class = SHP_CLASS_CPU;
}

static void spoil_nodev(struct shp_request *req)
{
	put_device(req->targets[0]->dev);
	req->targets[0]->dev = NULL;
}

static const struct malformed_case malformed_cases[] = {
	{ "unknown operation", spoil_op, SHP_OP_HOT_ADD },
	{ "unknown origin", spoil_origin, SHP_OP_HOT_ADD },
	{ "unknown flag", spoil_flags, SHP_OP_HOT_ADD },
	{ "unknown class", spoil_class, SHP_OP_HOT_ADD },
	{ "target not filled in", spoil_unfilled, SHP_OP_HOT_ADD },
	{ "empty memory range", spoil_empty_range, SHP_OP_HOT_ADD },
	{ "firmware target without handle", spoil_no_fw, SHP_OP_HOT_REMOVE },
	{ "firmware target without handler", spoil_fw_unowned, SHP_OP_HOT_REMOVE },
	{ "target with a parent", spoil_parent, SHP_OP_HOT_REMOVE },
	{ "target marked by a submitter", spoil_target_flags, SHP_OP_HOT_REMOVE },
	{ "node target without node", spoil_no_node, SHP_OP_HOT_ADD },
	{ "cpu target without device", spoil_cpu_nodev, SHP_OP_HOT_ADD },
	{ "online of a range without device", spoil_nodev, SHP_OP_ONLINE },
	{ "offline of a range without device", spoil_nodev, SHP_OP_OFFLINE },
};

static void malformed_desc(const struct malformed_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(malformed, malformed_cases, malformed_desc);

static void shp_test_malformed(struct kunit *test)
{
	const struct malformed_case *c = test->param_value;
	struct shp_test *ctx = test->priv;
	struct shp_request *req = mem_request(test, c->op, 2);
	atomic_t count = ATOMIC_INIT(0);
	u64 id = 0;

	req->done = count_done;
	req->data = &count;
	c->spoil(req);
	KUNIT_EXPECT_EQ(test, shp_sequencer_submit(ctx->seq, req, &id), -EINVAL);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -EINVAL);
	KUNIT_EXPECT_EQ(test, id, 0ULL);
	/* Nothing ran: flush by running a good request behind it. */
	shp_request_put(req);
	req = mem_request(test, SHP_OP_HOT_REMOVE, 1);
	req->flags = SHP_REQ_VALIDATE_ONLY;
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	KUNIT_EXPECT_EQ(test, ctx->nlog, (unsigned int)NR_FAKES);
	KUNIT_EXPECT_EQ(test, atomic_read(&count), 0);
	shp_request_put(req);
}

static void shp_test_empty_request(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req;

	req = shp_request_alloc(SHP_OP_ONLINE, SHP_ORIGIN_SYSFS, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -EINVAL);
	KUNIT_EXPECT_EQ(test, shp_sequencer_submit(ctx->seq, NULL, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->nlog, 0U);
	shp_request_put(req);
}

/* ------------------------------------------------------------ registration */

static void shp_test_register_errors(struct kunit *test)
{
	static const struct shp_steps validate_only = {
		.validate = fake_validate,
	};
	static const struct shp_steps no_undo = {
		.execute = fake_execute,
	};
	static const struct shp_steps no_execute = {
		.undo = fake_undo,
	};
	static const struct shp_steps retry_alone = {
		.validate = fake_validate, .retry = true,
	};
	static const struct shp_steps bad_expand = {
		.validate = fake_validate,
		.expand_classes = BIT(SHP_NR_CLASSES),
	};
	static const struct shp_steps empty = { };
	struct shp_test *ctx = test->priv;
	struct shp_handler h;
	const struct shp_handler good = {
		.name = "extra", .stage = SHP_STAGE_CPU,
		.classes = BIT(SHP_CLASS_CPU),
		.steps = { [SHP_OP_ONLINE] = &validate_only },
	};

	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &ctx->fakes[0].h),
			-EEXIST);
	h = good;
	h.name = "mem-a";
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &h), -EEXIST);
	h = good;
	h.stage = SHP_NR_STAGES;
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &h), -EINVAL);
	h = good;
	h.stage = -1;
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &h), -EINVAL);
	h = good;
	h.steps[SHP_OP_ONLINE] = NULL;		/* no operation at all */
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &h), -EINVAL);
	h = good;
	h.steps[SHP_OP_OFFLINE] = &empty;	/* an operation without a step */
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &h), -EINVAL);
	h = good;
	h.steps[SHP_OP_ONLINE] = &no_undo;
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &h), -EINVAL);
	h = good;
	h.steps[SHP_OP_ONLINE] = &no_execute;
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &h), -EINVAL);
	h = good;
	h.steps[SHP_OP_ONLINE] = &retry_alone;
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &h), -EINVAL);
	h = good;
	h.classes = 0;
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &h), -EINVAL);
	h = good;
	h.steps[SHP_OP_ONLINE] = &bad_expand;
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &h), -EINVAL);
	h = good;
	h.name = "a-name-that-is-far-too-long-for-records";
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, NULL), -EINVAL);
	h = good;
	KUNIT_EXPECT_EQ(test, shp_sequencer_register(ctx->seq, &h), 0);
	shp_unregister_handler(&h);
	KUNIT_EXPECT_NULL(test, h.seq);
}

/* ------------------------------------------------------------ concurrency */

struct gate {
	struct shp_handler h;
	struct shp_steps steps;
	struct completion entered;
	struct completion open;
	atomic_t running;
	int max_running;
	spinlock_t lock;	/* protects ids, nr_ids */
	u64 ids[128];
	unsigned int nr_ids;
	bool hold;
	bool interruptible;	/* the held step gives up on a signal */
	bool saw_signal;	/* a step started with a signal pending */
	bool saw_abort;		/* the validate step saw its request aborted */
	bool undo_saw_signal;	/* an undo step started with a signal pending */
};

/*
 * A held validate step that polls for an abort between units of work, as
 * memory validate does between blocks; it gives up polling after 10 s.
 */
static int gate_validate(struct shp_handler *h, struct shp_request *req)
{
	struct gate *g = container_of(h, struct gate, h);
	unsigned long timeout = jiffies + 10 * HZ;

	if (!g->hold)
		return 0;
	g->hold = false;
	complete(&g->entered);
	while (!shp_request_aborted(req)) {
		if (time_after(jiffies, timeout))
			return 0;
		usleep_range(100, 200);
	}
	g->saw_abort = true;
	return -EINTR;
}

static int gate_execute(struct shp_handler *h, struct shp_request *req,
			struct shp_target *t, unsigned long *data)
{
	struct gate *g = container_of(h, struct gate, h);
	int running = atomic_inc_return(&g->running);
	int ret = 0;

	if (signal_pending(current))
		g->saw_signal = true;
	if (running > g->max_running)
		g->max_running = running;
	spin_lock(&g->lock);
	if (g->nr_ids < ARRAY_SIZE(g->ids))
		g->ids[g->nr_ids++] = req->id;
	spin_unlock(&g->lock);
	if (g->hold) {
		g->hold = false;
		complete(&g->entered);
		/*
		 * Bounded: a signal that never comes fails the case, not hangs.
		 * Interrupted, it says -ERESTARTSYS as such waits do, which the
		 * request must not pass on: nothing would restart the call.
		 */
		if (!g->interruptible)
			wait_for_completion(&g->open);
		else if (wait_for_completion_interruptible_timeout(&g->open,
								   10 * HZ) < 0)
			ret = -ERESTARTSYS;
	} else {
		/* Leave room for another request to overlap, if it could. */
		usleep_range(50, 100);
	}
	atomic_dec(&g->running);
	return ret;
}

static int gate_undo(struct shp_handler *h, struct shp_request *req,
		     struct shp_target *t, unsigned long *data)
{
	struct gate *g = container_of(h, struct gate, h);

	/* The signal that stopped the execute step is gone by now. */
	if (signal_pending(current))
		g->undo_saw_signal = true;
	return 0;
}

static void gate_init(struct gate *g, bool hold)
{
	int op;

	memset(g, 0, sizeof(*g));
	g->h.name = "gate";
	g->h.stage = SHP_STAGE_FIRMWARE;
	g->h.classes = BIT(SHP_CLASS_MEMORY);
	g->steps.execute = gate_execute;
	g->steps.undo = gate_undo;
	for (op = 0; op < SHP_NR_OPS; op++)
		g->h.steps[op] = &g->steps;
	init_completion(&g->entered);
	init_completion(&g->open);
	spin_lock_init(&g->lock);
	g->hold = hold;
}

/* A gate handler on the test's sequencer; @hold: stop the first request. */
static struct gate *gate_add(struct kunit *test, bool hold)
{
	struct shp_test *ctx = test->priv;
	struct gate *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, g);
	gate_init(g, hold);
	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &g->h), 0);
	return g;
}

/* A gate whose validate step holds the request until it is aborted. */
static struct gate *gate_add_validate(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct gate *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, g);
	gate_init(g, true);
	g->steps.validate = gate_validate;
	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &g->h), 0);
	return g;
}

/* What the CPU step of shp_test_cpu_by_number() saw of its target. */
static struct device *cpu_step_dev;
static unsigned int cpu_step_refs;
/* The CPU its expand step adds by number, for a request that asks. */
static unsigned int cpu_expand_nr;

static int cpu_expand(struct shp_handler *h, struct shp_request *req)
{
	struct shp_target *t;

	if (req->data != h)
		return 0;
	t = shp_request_add_targets(req, 1);
	if (!t)
		return -ENOMEM;
	shp_target_set_cpu(t, cpu_expand_nr);
	t->parent = 0;
	return 0;
}

static int cpu_execute(struct shp_handler *h, struct shp_request *req,
		       struct shp_target *t, unsigned long *data)
{
	cpu_step_dev = t->dev;
	cpu_step_refs = t->dev ? kref_read(&t->dev->kobj.kref) : 0;
	return 0;
}

static int cpu_undo(struct shp_handler *h, struct shp_request *req,
		    struct shp_target *t, unsigned long *data)
{
	return 0;
}

static const struct shp_steps cpu_steps = {
	.expand = cpu_expand,
	.execute = cpu_execute,
	.undo = cpu_undo,
	.expand_classes = BIT(SHP_CLASS_MEMORY),
};

static struct shp_handler cpu_handler = {
	.name = "cpu-numbers", .stage = SHP_STAGE_CPU,
	.classes = BIT(SHP_CLASS_CPU),
	.steps = { [SHP_OP_OFFLINE] = &cpu_steps },
};

/*
 * A CPU is named by number. A queued request holds no reference on the
 * CPU's static device, which register_cpu() may reinitialize while the
 * request waits; it gets the device registered under that number when it
 * starts, and drops it when it ends. One named by its device is refused.
 * A number without a CPU fails the request before any step. A CPU that a
 * step adds by number has its device when the next step sees it, or, not
 * registered, fails the step that added it.
 */
static void shp_test_cpu_by_number(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct device *dev = get_cpu_device(cpumask_first(cpu_online_mask));
	struct shp_request *first, *req;
	unsigned int refs, steps;
	struct gate *g;
	char *text, name[32];

	KUNIT_ASSERT_NOT_NULL(test, dev);
	cpu_step_dev = NULL;
	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &cpu_handler), 0);
	g = gate_add(test, true);
	first = mem_request(test, SHP_OP_HOT_ADD, 1);
	KUNIT_EXPECT_EQ(test, shp_sequencer_submit(ctx->seq, first, NULL), 0);
	wait_for_completion(&g->entered);

	refs = kref_read(&dev->kobj.kref);
	req = shp_request_alloc(SHP_OP_OFFLINE, SHP_ORIGIN_KERNEL, 1, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, req);
	if (req) {
		shp_target_set_cpu(req->targets[0], dev->id);
		KUNIT_EXPECT_EQ(test, shp_sequencer_submit(ctx->seq, req, NULL), 0);
		KUNIT_EXPECT_NULL(test, req->targets[0]->dev);
		KUNIT_EXPECT_EQ(test, kref_read(&dev->kobj.kref), refs);
	}
	complete(&g->open);
	wait_for_completion(&first->p->completion);
	shp_request_put(first);
	if (req) {
		wait_for_completion(&req->p->completion);
		KUNIT_EXPECT_EQ(test, req->result, 0);
		KUNIT_EXPECT_PTR_EQ(test, cpu_step_dev, dev);
		KUNIT_EXPECT_EQ(test, cpu_step_refs, refs + 1);
		KUNIT_EXPECT_EQ(test, kref_read(&dev->kobj.kref), refs);
		shp_request_put(req);
	}

	/* Named by its device, it would be held while queued: refused. */
	req = shp_request_alloc(SHP_OP_OFFLINE, SHP_ORIGIN_KERNEL, 1, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, req);
	if (req) {
		req->targets[0]->class = SHP_CLASS_CPU;
		shp_target_set_device(req->targets[0], dev);
		KUNIT_EXPECT_EQ(test, shp_sequencer_submit(ctx->seq, req, NULL),
				-EINVAL);
		shp_request_put(req);
		KUNIT_EXPECT_EQ(test, kref_read(&dev->kobj.kref), refs);
	}

	cpu_step_dev = NULL;
	req = shp_request_alloc(SHP_OP_OFFLINE, SHP_ORIGIN_KERNEL, 1, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, req);
	if (req) {
		shp_target_set_cpu(req->targets[0], nr_cpu_ids);
		KUNIT_EXPECT_EQ(test, run_request(ctx, req), -ENODEV);
		KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_FAILED);
		KUNIT_EXPECT_NULL(test, cpu_step_dev);
		shp_request_put(req);
	}
	text = shp_history_text(ctx->seq);
	KUNIT_ASSERT_NOT_NULL(test, text);
	snprintf(name, sizeof(name), "cpu%u is not registered", nr_cpu_ids);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(text, name), "%s", text);
	/* The history names it by its number: it has no device. */
	snprintf(name, sizeof(name), "cpu:cpu%u", nr_cpu_ids);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(text, name), "%s", text);
	kfree(text);

	/* One that a step adds by number has its device in the next steps. */
	cpu_expand_nr = dev->id;
	req = mem_request(test, SHP_OP_OFFLINE, 1);
	req->data = &cpu_handler;
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	KUNIT_EXPECT_EQ(test, req->nr_targets, 2U);
	KUNIT_EXPECT_PTR_EQ(test, cpu_step_dev, dev);
	KUNIT_EXPECT_EQ(test, cpu_step_refs, refs + 1);
	shp_request_put(req);
	KUNIT_EXPECT_EQ(test, kref_read(&dev->kobj.kref), refs);

	/* ... and one not registered fails the step that added it. */
	cpu_step_dev = NULL;
	cpu_expand_nr = nr_cpu_ids;
	req = mem_request(test, SHP_OP_OFFLINE, 1);
	req->data = &cpu_handler;
	steps = ctx->nlog;
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -ENODEV);
	KUNIT_EXPECT_STREQ(test, req->p->failed_handler, cpu_handler.name);
	KUNIT_EXPECT_NULL(test, cpu_step_dev);
	/* Before any validate step: no step of any handler ran. */
	KUNIT_EXPECT_EQ(test, ctx->nlog, steps);
	shp_request_put(req);

	shp_unregister_handler(&cpu_handler);
	shp_unregister_handler(&g->h);
}

#define NR_SUBMITTERS	4
#define PER_SUBMITTER	25

struct submitter {
	struct shp_test *ctx;
	struct task_struct *task;
	struct completion finished;
	u64 ids[PER_SUBMITTER];
	int errors;
};

static int submitter_fn(void *data)
{
	struct submitter *s = data;
	int i;

	for (i = 0; i < PER_SUBMITTER; i++) {
		struct shp_request *req;

		req = shp_request_alloc(i % 2 ? SHP_OP_ONLINE : SHP_OP_OFFLINE,
					SHP_ORIGIN_KERNEL, 1, GFP_KERNEL);
		if (!req) {
			s->errors++;
			continue;
		}
		req->targets[0]->class = SHP_CLASS_MEMORY;
		shp_target_set_device(req->targets[0], &fake_block);
		if (i % 3) {
			if (shp_sequencer_submit(s->ctx->seq, req, &s->ids[i]))
				s->errors++;
		} else {
			if (shp_sequencer_submit_wait(s->ctx->seq, req))
				s->errors++;
			s->ids[i] = req->id;
		}
		shp_request_put(req);
	}
	complete(&s->finished);
	return 0;
}

static void shp_test_serialization(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct submitter *subs;
	struct shp_request *last;
	struct gate *g;
	unsigned int i, j;

	subs = kunit_kcalloc(test, NR_SUBMITTERS, sizeof(*subs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, subs);
	g = gate_add(test, false);

	for (i = 0; i < NR_SUBMITTERS; i++) {
		subs[i].ctx = ctx;
		init_completion(&subs[i].finished);
		subs[i].task = kthread_run(submitter_fn, &subs[i], "shp-sub%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(subs[i].task));
	}
	for (i = 0; i < NR_SUBMITTERS; i++)
		wait_for_completion(&subs[i].finished);
	/* Every request has run once the last one queued has. */
	last = mem_request(test, SHP_OP_ONLINE, 1);
	KUNIT_EXPECT_EQ(test, run_request(ctx, last), 0);
	shp_request_put(last);

	KUNIT_EXPECT_EQ(test, g->max_running, 1);
	KUNIT_EXPECT_EQ(test, g->nr_ids, NR_SUBMITTERS * PER_SUBMITTER + 1U);
	/* FIFO: requests run in ID order, which is queue order. */
	for (i = 1; i < g->nr_ids; i++)
		KUNIT_EXPECT_GT(test, g->ids[i], g->ids[i - 1]);
	for (i = 0; i < NR_SUBMITTERS; i++) {
		KUNIT_EXPECT_EQ(test, subs[i].errors, 0);
		for (j = 1; j < PER_SUBMITTER; j++)
			KUNIT_EXPECT_GT(test, subs[i].ids[j], subs[i].ids[j - 1]);
	}
	shp_unregister_handler(&g->h);
}

/* How often fake @idx ran step @kind, for any target. */
static unsigned int count_steps(struct shp_test *ctx, enum step_kind kind,
				int idx)
{
	unsigned int i, n = 0;

	spin_lock(&ctx->lock);
	for (i = 0; i < ctx->nlog; i++)
		n += STEP_WHO(ctx->log[i]) == STEP_WHO(STEP(kind, idx, 0));
	spin_unlock(&ctx->lock);
	return n;
}

struct unregisterer {
	struct shp_handler *h;
	struct shp_test *ctx;
	struct completion done;
	unsigned int log_at_return;
};

static int unregister_fn(void *data)
{
	struct unregisterer *u = data;

	shp_unregister_handler(u->h);
	spin_lock(&u->ctx->lock);
	u->log_at_return = u->ctx->nlog;
	spin_unlock(&u->ctx->lock);
	complete(&u->done);
	return 0;
}

static void shp_test_unregister_queued(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *reqs[3];
	struct unregisterer *u;
	struct fake *victim = &ctx->fakes[1];	/* mem-a */
	struct gate *g;
	unsigned int i;

	u = kunit_kzalloc(test, sizeof(*u), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, u);
	g = gate_add(test, true);

	/* The first request holds the sequencer; two more queue behind. */
	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		reqs[i] = mem_request(test, SHP_OP_HOT_ADD, 1);
		KUNIT_ASSERT_EQ(test, shp_sequencer_submit(ctx->seq, reqs[i], NULL), 0);
		if (!i)
			wait_for_completion(&g->entered);
	}
	u->h = &victim->h;
	u->ctx = ctx;
	init_completion(&u->done);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(unregister_fn, u, "shp-unreg")));
	/* Unregistration waits for the running request... */
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&u->done, HZ / 10), 0UL);
	complete(&g->open);
	wait_for_completion(&u->done);
	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		wait_for_completion(&reqs[i]->p->completion);
		KUNIT_EXPECT_EQ(test, reqs[i]->result, 0);
	}
	/* ...and once it returned, the handler was never called again. */
	for (i = u->log_at_return; i < ctx->nlog; i++)
		KUNIT_EXPECT_NE(test, STEP_WHO(ctx->log[i]) & 0xf, victim->idx);
	/* The first request did run it, in every phase; no other did. */
	KUNIT_EXPECT_EQ(test, victim->world, 1);
	KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_E, victim->idx), 1U);
	KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_C, victim->idx), 1U);
	for (i = 0; i < ARRAY_SIZE(reqs); i++)
		shp_request_put(reqs[i]);
	shp_unregister_handler(&g->h);
}

/*
 * A kthread that submits a request and waits for it, as a writer to a
 * sysfs file or a kernel caller does, and that takes SIGKILL and SIGUSR1.
 */
struct waiter {
	struct shp_test *ctx;
	struct shp_request *req;
	struct task_struct *task;
	struct completion waiting;	/* about to submit */
	struct completion finished;	/* the call returned */
	int ret;
	bool pending;		/* a signal pending once the call returned */
};

static int waiter_fn(void *data)
{
	struct waiter *w = data;

	allow_signal(SIGKILL);
	allow_signal(SIGUSR1);
	complete(&w->waiting);
	w->ret = shp_sequencer_submit_wait(w->ctx->seq, w->req);
	w->pending = signal_pending(current);
	complete(&w->finished);
	return 0;
}

/* Start a waiter on @req, which the case puts when it is done. */
static struct waiter *start_waiter(struct kunit *test,
				   struct shp_request *req)
{
	struct waiter *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	w->ctx = test->priv;
	w->req = req;
	init_completion(&w->waiting);
	init_completion(&w->finished);
	w->task = kthread_run(waiter_fn, w, "shp-waiter");
	KUNIT_ASSERT_FALSE(test, IS_ERR(w->task));
	return w;
}

/* A kernel caller's one-block hot-add, with @done as its callback. */
static struct waiter *start_hot_add(struct kunit *test,
				    void (*done)(struct shp_request *req))
{
	struct shp_request *req = mem_request(test, SHP_OP_HOT_ADD, 1);

	req->data = test->priv;
	req->done = done;
	return start_waiter(test, req);
}

static void count_done_ctx(struct shp_request *req)
{
	struct shp_test *ctx = req->data;

	spin_lock(&ctx->lock);
	ctx->nr_done++;
	spin_unlock(&ctx->lock);
}

/* A waiter killed before its request started cancels it. */
static void shp_test_killed_waiter(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *first;
	struct waiter *w;
	struct gate *g;
	unsigned int steps;

	g = gate_add(test, true);

	first = mem_request(test, SHP_OP_HOT_ADD, 1);
	KUNIT_ASSERT_EQ(test, shp_sequencer_submit(ctx->seq, first, NULL), 0);
	wait_for_completion(&g->entered);
	spin_lock(&ctx->lock);
	steps = ctx->nlog;
	spin_unlock(&ctx->lock);

	w = start_hot_add(test, count_done_ctx);
	wait_for_completion(&w->waiting);
	send_sig(SIGKILL, w->task, 1);
	wait_for_completion(&w->finished);
	KUNIT_EXPECT_EQ(test, w->ret, -EINTR);

	complete(&g->open);
	wait_for_completion(&first->p->completion);
	wait_for_completion(&w->req->p->completion);
	KUNIT_EXPECT_EQ(test, first->result, 0);
	KUNIT_EXPECT_EQ(test, w->req->outcome, SHP_OUTCOME_CANCELLED);
	KUNIT_EXPECT_EQ(test, w->req->result, -EINTR);
	KUNIT_EXPECT_EQ(test, ctx->nr_done, 1U);
	/* Only the first request's execute and commit steps ran after it. */
	KUNIT_EXPECT_EQ(test, ctx->nlog, steps + 2 * NR_FAKES - 2);
	KUNIT_EXPECT_EQ(test, ctx->fakes[0].world, 1);
	shp_request_put(first);
	shp_request_put(w->req);
	shp_unregister_handler(&g->h);
}

/*
 * After an abort: the fakes before the gate (node, firmware) were rolled
 * back, those after it (mem-a, mem-b, cpu) never executed, nothing was
 * committed, and the request failed with -EINTR.
 */
static void expect_aborted(struct kunit *test, struct shp_request *req,
			   const char *failed_handler, int err)
{
	struct shp_test *ctx = test->priv;
	int i;

	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_FAILED);
	KUNIT_EXPECT_EQ(test, req->result, err);
	KUNIT_EXPECT_STREQ(test, req->p->failed_handler, failed_handler);
	for (i = 0; i < NR_FAKES; i++) {
		KUNIT_EXPECT_EQ(test, ctx->fakes[i].world, 0);
		KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_C, i), 0U);
	}
	KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_R, 2), 1U);
	KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_R, 4), 1U);
	KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_E, 1), 0U);
	KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_E, 3), 0U);
	KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_E, 0), 0U);
}

/*
 * The undo steps of the earlier stages ran with no signal pending (that
 * which stopped the execute step was taken back first), and the next
 * request runs with none left over from an abort.
 */
static void expect_clean_after_abort(struct kunit *test, struct gate *g)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req;
	int i;

	for (i = 0; i < NR_FAKES; i++)
		KUNIT_EXPECT_EQ(test, ctx->fakes[i].undo_signals, 0);
	KUNIT_EXPECT_FALSE(test, g->undo_saw_signal);
	req = mem_request(test, SHP_OP_HOT_ADD, 1);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	KUNIT_EXPECT_FALSE(test, g->saw_signal);
	shp_request_put(req);
}

/* Wait for the waiter to return; a waiter that does not is a failure. */
static bool waiter_returned(struct kunit *test, struct waiter *w,
			    struct gate *g)
{
	if (wait_for_completion_timeout(&w->finished, 10 * HZ))
		return true;
	KUNIT_FAIL(test, "the waiter did not return on its signal");
	complete(&g->open);
	wait_for_completion(&w->finished);
	return false;
}

/*
 * Start a waiter whose request stops in a step that gives up on a pending
 * signal, send the waiter @sig while it waits, and check that the step
 * gave up and everything was rolled back.
 */
static void signal_running_waiter(struct kunit *test, int sig)
{
	struct waiter *w;
	struct gate *g;

	g = gate_add(test, true);
	g->interruptible = true;

	w = start_hot_add(test, NULL);
	wait_for_completion(&g->entered);
	send_sig(sig, w->task, 1);
	if (waiter_returned(test, w, g))
		KUNIT_EXPECT_EQ(test, w->ret, -EINTR);
	wait_for_completion(&w->req->p->completion);
	expect_aborted(test, w->req, "gate", -EINTR);
	shp_request_put(w->req);

	expect_clean_after_abort(test, g);
	shp_unregister_handler(&g->h);
}

/*
 * A waiter killed while its request runs: the step it is in (one that
 * gives up on a signal, as memory offline does) is interrupted and
 * everything done is rolled back.
 */
static void shp_test_killed_while_running(struct kunit *test)
{
	signal_running_waiter(test, SIGKILL);
}

/*
 * A signal (not a fatal one) to a waiter whose request has not started
 * withdraws it, and the call asks to be restarted once the signal is
 * handled, as a sysfs writer that finds device_hotplug_lock taken does.
 */
static void shp_test_signal_before_start(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *first;
	struct waiter *w;
	struct gate *g;

	g = gate_add(test, true);
	first = mem_request(test, SHP_OP_HOT_ADD, 1);
	KUNIT_ASSERT_EQ(test, shp_sequencer_submit(ctx->seq, first, NULL), 0);
	wait_for_completion(&g->entered);

	w = start_hot_add(test, NULL);
	wait_for_completion(&w->waiting);
	/* Queued behind the gate by now, or the signal comes first: the same. */
	msleep(20);
	send_sig(SIGUSR1, w->task, 1);
	if (waiter_returned(test, w, g))
		KUNIT_EXPECT_EQ(test, w->ret, -ERESTARTNOINTR);
	complete(&g->open);
	wait_for_completion(&first->p->completion);
	wait_for_completion(&w->req->p->completion);
	KUNIT_EXPECT_EQ(test, first->result, 0);
	KUNIT_EXPECT_EQ(test, w->req->outcome, SHP_OUTCOME_CANCELLED);
	KUNIT_EXPECT_EQ(test, ctx->fakes[0].world, 1);
	shp_request_put(first);
	shp_request_put(w->req);
	shp_unregister_handler(&g->h);
}

/*
 * A signal to a waiter reaches its running request as if the steps ran
 * in the waiter's context: a step that gives up on a pending signal (as
 * memory offline does) fails with -EINTR and everything is rolled back.
 */
static void shp_test_signal_while_running(struct kunit *test)
{
	signal_running_waiter(test, SIGUSR1);
}

/*
 * A step that does not look at signals (as CPU offline and memory online
 * do not) completes when the waiter gets a signal, and so does the
 * request: the waiter gets its result, as it would upstream.
 */
static void shp_test_signal_ignored_by_step(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct waiter *w;
	struct gate *g;

	g = gate_add(test, true);

	w = start_hot_add(test, NULL);
	wait_for_completion(&g->entered);
	send_sig(SIGUSR1, w->task, 1);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&w->finished, HZ / 5),
			0UL);
	complete(&g->open);
	wait_for_completion(&w->finished);
	KUNIT_EXPECT_EQ(test, w->ret, 0);
	KUNIT_EXPECT_EQ(test, w->req->outcome, SHP_OUTCOME_OK);
	KUNIT_EXPECT_EQ(test, ctx->fakes[0].world, 1);
	shp_request_put(w->req);

	expect_clean_after_abort(test, g);
	shp_unregister_handler(&g->h);
}

/* ------------------------------------------------------------ sysfs writes */

/*
 * The task that ran the last execute step of the "where" handler, and
 * whether one of its undo steps started with a signal pending.
 */
static struct task_struct *where_task;
static bool where_undo_saw_signal;

static int where_execute(struct shp_handler *h, struct shp_request *req,
			 struct shp_target *t, unsigned long *data)
{
	where_task = current;
	return 0;
}

static int where_undo(struct shp_handler *h, struct shp_request *req,
		      struct shp_target *t, unsigned long *data)
{
	if (signal_pending(current))
		where_undo_saw_signal = true;
	return 0;
}

static const struct shp_steps where_steps = {
	.execute = where_execute,
	.undo = where_undo,
};

static struct shp_handler where_handler = {
	.name = "where", .stage = SHP_STAGE_MEMORY,
	.classes = BIT(SHP_CLASS_MEMORY),
	.steps = {
		[SHP_OP_ONLINE] = &where_steps,
		[SHP_OP_OFFLINE] = &where_steps,
	},
};

/* A write of "offline" to the fake block's sysfs file. */
static struct waiter *start_sysfs_writer(struct kunit *test)
{
	struct shp_request *req = mem_request(test, SHP_OP_OFFLINE, 1);

	req->origin = SHP_ORIGIN_SYSFS;
	return start_waiter(test, req);
}

/*
 * A sysfs write runs its request in its own context, as the write does
 * without the framework, when nothing is queued or running and nothing
 * else holds device_hotplug_lock; otherwise, and for any other origin,
 * the worker runs it.
 */
static void shp_test_sysfs_runs_here(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req, *holder;
	struct shp_sequencer *other;
	struct waiter *w;
	struct gate *g;

	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &where_handler),
			0);
	req = mem_request(test, SHP_OP_ONLINE, 1);
	req->origin = SHP_ORIGIN_SYSFS;
	where_task = NULL;
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	KUNIT_EXPECT_PTR_EQ(test, where_task, current);
	KUNIT_EXPECT_TRUE(test, req->p->here);
	shp_request_put(req);

	req = mem_request(test, SHP_OP_ONLINE, 1);
	where_task = NULL;
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	KUNIT_EXPECT_NOT_NULL(test, where_task);
	KUNIT_EXPECT_PTR_NE(test, where_task, current);
	KUNIT_EXPECT_FALSE(test, req->p->here);
	shp_request_put(req);

	/*
	 * device_hotplug_lock held elsewhere (by the worker of another
	 * sequencer, in a held step): the write waits for its own worker,
	 * which waits for the lock.
	 */
	other = shp_sequencer_create("sys_hotplug-kunit-other", 0);
	KUNIT_ASSERT_NOT_NULL(test, other);
	g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, g);
	gate_init(g, true);
	KUNIT_ASSERT_EQ(test, shp_sequencer_register(other, &g->h), 0);
	holder = mem_request(test, SHP_OP_HOT_ADD, 1);
	KUNIT_EXPECT_EQ(test, shp_sequencer_submit(other, holder, NULL), 0);
	wait_for_completion(&g->entered);

	where_task = NULL;
	w = start_sysfs_writer(test);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&w->finished, HZ / 10),
			0UL);
	KUNIT_EXPECT_NULL(test, where_task);
	complete(&g->open);
	wait_for_completion(&w->finished);
	KUNIT_EXPECT_EQ(test, w->ret, 0);
	KUNIT_EXPECT_FALSE(test, w->req->p->here);
	KUNIT_EXPECT_NOT_NULL(test, where_task);
	KUNIT_EXPECT_PTR_NE(test, where_task, w->task);
	flush_workqueue(ctx->seq->wq);
	shp_request_put(w->req);
	wait_for_completion(&holder->p->completion);
	flush_workqueue(other->wq);
	shp_request_put(holder);
	shp_unregister_handler(&g->h);
	shp_sequencer_destroy(other);
	shp_unregister_handler(&where_handler);
}

enum sysfs_stop { STOP_ABORT, STOP_SIGNAL, STOP_KILL };

/*
 * A sysfs writer that runs its own request, stopped in its held execute
 * step by an abort by ID, by a signal of its own or by SIGKILL. Each
 * reaches the step as a signal would (an abort with TIF_NOTIFY_SIGNAL,
 * which the writer's process never sees, and which is gone once the write
 * returns; the writer's own signal stays pending for it, as upstream),
 * and the change made before is undone. An undo step sees no signal but
 * SIGKILL, which nothing may hold off.
 */
static void stop_sysfs_writer(struct kunit *test, enum sysfs_stop how)
{
	struct shp_test *ctx = test->priv;
	struct waiter *w;
	struct gate *g;

	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &where_handler),
			0);
	where_undo_saw_signal = false;
	g = gate_add(test, true);
	g->interruptible = true;
	w = start_sysfs_writer(test);
	wait_for_completion(&g->entered);
	KUNIT_EXPECT_TRUE(test, w->req->p->here);
	if (how == STOP_ABORT)
		KUNIT_EXPECT_EQ(test, shp_sequencer_abort(ctx->seq, w->req->id),
				0);
	else
		send_sig(how == STOP_KILL ? SIGKILL : SIGUSR1, w->task, 1);
	wait_for_completion(&w->finished);
	KUNIT_EXPECT_EQ(test, w->ret, -EINTR);
	KUNIT_EXPECT_EQ(test, w->req->outcome, SHP_OUTCOME_FAILED);
	expect_world(test, 0);
	KUNIT_EXPECT_EQ(test, w->pending, how != STOP_ABORT);
	/* The memory stage ran before the held firmware one, and was undone. */
	KUNIT_EXPECT_PTR_EQ(test, where_task, w->task);
	KUNIT_EXPECT_EQ(test, where_undo_saw_signal, how == STOP_KILL);
	shp_request_put(w->req);
	shp_unregister_handler(&g->h);
	shp_unregister_handler(&where_handler);
}

static void shp_test_sysfs_abort_here(struct kunit *test)
{
	stop_sysfs_writer(test, STOP_ABORT);
}

static void shp_test_sysfs_signal_here(struct kunit *test)
{
	stop_sysfs_writer(test, STOP_SIGNAL);
}

static void shp_test_sysfs_killed_here(struct kunit *test)
{
	stop_sysfs_writer(test, STOP_KILL);
}

/*
 * A waiter killed while a step that does not look at signals runs (CPU
 * offline, memory online): the waiter returns at once, and the request
 * completes and is not rolled back, as a killed writer's CPU offline
 * completes upstream.
 */
static void shp_test_killed_step_ignores_signal(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct waiter *w;
	struct gate *g;
	int i;

	g = gate_add(test, true);

	w = start_hot_add(test, NULL);
	wait_for_completion(&g->entered);
	send_sig(SIGKILL, w->task, 1);
	if (waiter_returned(test, w, g))
		KUNIT_EXPECT_EQ(test, w->ret, -EINTR);
	complete(&g->open);
	wait_for_completion(&w->req->p->completion);
	KUNIT_EXPECT_EQ(test, w->req->result, 0);
	KUNIT_EXPECT_EQ(test, w->req->outcome, SHP_OUTCOME_OK);
	for (i = 0; i < NR_FAKES; i++) {
		KUNIT_EXPECT_EQ(test, ctx->fakes[i].world, 1);
		KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_R, i), 0U);
	}
	shp_request_put(w->req);

	expect_clean_after_abort(test, g);
	shp_unregister_handler(&g->h);
}

/*
 * An abort while a step that does not look at signals runs: that step
 * completes, no further one runs, and everything is rolled back.
 */
static void shp_test_abort_between_steps(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req;
	struct gate *g;

	KUNIT_EXPECT_EQ(test, shp_sequencer_abort(ctx->seq, 1), -ESRCH);
	g = gate_add(test, true);
	req = mem_request(test, SHP_OP_HOT_ADD, 1);
	KUNIT_ASSERT_EQ(test, shp_sequencer_submit(ctx->seq, req, NULL), 0);
	wait_for_completion(&g->entered);
	KUNIT_EXPECT_EQ(test, shp_sequencer_abort(ctx->seq, req->id + 1), -ESRCH);
	KUNIT_EXPECT_EQ(test, shp_sequencer_abort(ctx->seq, req->id), 0);
	complete(&g->open);
	wait_for_completion(&req->p->completion);
	expect_aborted(test, req, "core", -EINTR);
	shp_request_put(req);

	expect_clean_after_abort(test, g);
	shp_unregister_handler(&g->h);
}

/*
 * An abort reaches a validate step that polls for it: the request fails
 * there with -EINTR and no execute step runs.
 */
static void shp_test_abort_in_validate(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req;
	struct gate *g;
	int i;

	g = gate_add_validate(test);

	req = mem_request(test, SHP_OP_HOT_ADD, 1);
	KUNIT_ASSERT_EQ(test, shp_sequencer_submit(ctx->seq, req, NULL), 0);
	wait_for_completion(&g->entered);
	KUNIT_EXPECT_EQ(test, shp_sequencer_abort(ctx->seq, req->id), 0);
	wait_for_completion(&req->p->completion);
	KUNIT_EXPECT_TRUE(test, g->saw_abort);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_FAILED);
	KUNIT_EXPECT_EQ(test, req->result, -EINTR);
	KUNIT_EXPECT_STREQ(test, req->p->failed_handler, "gate");
	KUNIT_EXPECT_EQ(test, req->p->failed_phase, SHP_PHASE_VALIDATE);
	for (i = 0; i < NR_FAKES; i++) {
		KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_E, i), 0U);
		KUNIT_EXPECT_EQ(test, ctx->fakes[i].world, 0);
	}
	shp_request_put(req);

	expect_clean_after_abort(test, g);
	shp_unregister_handler(&g->h);
}

/*
 * An abort names one request: a queued one is withdrawn and the running
 * one goes on untouched; it ends as if nothing had been aborted.
 */
static void shp_test_abort_queued_by_id(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *first, *second;
	struct gate *g;

	g = gate_add(test, true);
	first = mem_request(test, SHP_OP_HOT_ADD, 1);
	second = mem_request(test, SHP_OP_HOT_ADD, 1);
	KUNIT_ASSERT_EQ(test, shp_sequencer_submit(ctx->seq, first, NULL), 0);
	wait_for_completion(&g->entered);
	KUNIT_ASSERT_EQ(test, shp_sequencer_submit(ctx->seq, second, NULL), 0);
	KUNIT_EXPECT_EQ(test, shp_sequencer_abort(ctx->seq, second->id), 0);
	complete(&g->open);
	wait_for_completion(&first->p->completion);
	wait_for_completion(&second->p->completion);
	KUNIT_EXPECT_EQ(test, first->result, 0);
	KUNIT_EXPECT_EQ(test, first->outcome, SHP_OUTCOME_OK);
	KUNIT_EXPECT_EQ(test, second->result, -EINTR);
	KUNIT_EXPECT_EQ(test, second->outcome, SHP_OUTCOME_CANCELLED);
	/* The first ran every step once; the second none. */
	KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_C, 0), 1U);
	KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_V, 0), 1U);
	expect_world(test, 1);
	/* Ended: it cannot be aborted any more. */
	KUNIT_EXPECT_EQ(test, shp_sequencer_abort(ctx->seq, second->id), -ESRCH);
	shp_request_put(first);
	shp_request_put(second);
	shp_unregister_handler(&g->h);
}

/*
 * A request past its deadline stops as an aborted one does. A step that
 * would wait for ever, but gives up on a signal (memory offline waiting
 * for migration), is interrupted; everything done is rolled back, and no
 * signal is left on the worker. The request says -ETIMEDOUT, and which
 * step was stopped.
 */
static void shp_test_deadline_interrupts_step(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req;
	struct gate *g;

	g = gate_add(test, true);
	g->interruptible = true;
	req = mem_request(test, SHP_OP_HOT_ADD, 1);
	req->timeout_ms = 50;
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -ETIMEDOUT);
	KUNIT_EXPECT_TRUE(test, completion_done(&g->entered));
	expect_aborted(test, req, "gate", -ETIMEDOUT);
	shp_request_put(req);

	expect_clean_after_abort(test, g);
	shp_unregister_handler(&g->h);
}

/*
 * The end of a request stopped by its deadline: its record says @why, no
 * execute step of mem-a, mem-b or cpu ran, nothing is left changed, and
 * gate @g lets the next request through.
 */
static void expect_deadline_end(struct kunit *test, struct shp_request *req,
				struct gate *g, const char *why)
{
	struct shp_test *ctx = test->priv;
	char *rec = shp_history_record(ctx->seq, req->id);

	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(rec, why), "%s", rec);
	kfree(rec);
	shp_request_put(req);
	KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_E, 1), 0U);
	expect_world(test, 0);
	expect_clean_after_abort(test, g);
	shp_unregister_handler(&g->h);
}

/* A deadline that passes in validate ends the request as in execute. */
static void shp_test_deadline_in_validate(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req;
	struct gate *g;

	g = gate_add_validate(test);

	req = mem_request(test, SHP_OP_HOT_ADD, 1);
	req->timeout_ms = 20;
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -ETIMEDOUT);
	KUNIT_EXPECT_TRUE(test, g->saw_abort);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_FAILED);
	KUNIT_EXPECT_EQ(test, req->p->failed_phase, SHP_PHASE_VALIDATE);
	expect_deadline_end(test, req, g,
			    "blocker: handler=core phase=validate target=-1 err=-110 deadline of 20 ms passed");
}

/*
 * A step that does not give up on a signal outlives the deadline: the
 * sequencer runs no further step (-ETIMEDOUT, its own failure) and rolls
 * back, the late step included.
 */
static void shp_test_deadline_between_steps(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req;
	struct gate *g;

	g = gate_add(test, true);
	req = mem_request(test, SHP_OP_HOT_ADD, 1);
	req->timeout_ms = 20;
	KUNIT_ASSERT_EQ(test, shp_sequencer_submit(ctx->seq, req, NULL), 0);
	wait_for_completion(&g->entered);
	msleep(100);
	complete(&g->open);
	wait_for_completion(&req->p->completion);
	KUNIT_EXPECT_EQ(test, req->result, -ETIMEDOUT);
	KUNIT_EXPECT_STREQ(test, req->p->failed_handler, "core");
	expect_deadline_end(test, req, g, "deadline of 20 ms passed");
}

#if IS_BUILTIN(CONFIG_SYS_HOTPLUG_KUNIT_TEST)
/*
 * A request that waits for device_hotplug_lock, held outside the
 * sequencer, has not started: a signal to its waiter withdraws it and the
 * call asks to be restarted, as lock_device_hotplug_sysfs() does. Built in
 * only: modules cannot take the lock.
 */
static void shp_test_signal_waiting_for_lock(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct waiter *w;
	unsigned long left;
	int i;

	lock_device_hotplug();
	w = start_hot_add(test, NULL);
	wait_for_completion(&w->waiting);
	/* The worker waits for the lock by now, or the signal comes first. */
	msleep(20);
	send_sig(SIGUSR1, w->task, 1);
	left = wait_for_completion_timeout(&w->finished, 10 * HZ);
	unlock_device_hotplug();
	if (!left) {
		KUNIT_FAIL(test, "the waiter did not return on its signal");
		wait_for_completion(&w->finished);
	} else {
		KUNIT_EXPECT_EQ(test, w->ret, -ERESTARTNOINTR);
	}
	wait_for_completion(&w->req->p->completion);
	KUNIT_EXPECT_EQ(test, w->req->outcome, SHP_OUTCOME_CANCELLED);
	for (i = 0; i < NR_FAKES; i++)
		KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_V, i), 0U);
	shp_request_put(w->req);
}
#endif

/*
 * A request that names a target no handler changes for its operation
 * fails (-EOPNOTSUPP) instead of ending ok with that target untouched: a
 * firmware object, which the memory fakes do not take; a firmware object
 * whose handler is not registered, beside one of its class that is; a
 * CPU, for which a handler has only a validate step.
 */
static void expect_unsupported(struct kunit *test, struct shp_request *req)
{
	struct shp_test *ctx = test->priv;

	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_FAILED);
	KUNIT_EXPECT_STREQ(test, req->p->failed_handler, "core");
	KUNIT_EXPECT_EQ(test, req->p->failed_phase, SHP_PHASE_VALIDATE);
	KUNIT_EXPECT_EQ(test, count_steps(ctx, STEP_E, 4), 0U);
	shp_request_put(req);
}

static int ok_validate(struct shp_handler *h, struct shp_request *req)
{
	return 0;
}

static void shp_test_class_without_handler(struct kunit *test)
{
	static const struct shp_steps validate_only = {
		.validate = ok_validate,
	};
	struct shp_test *ctx = test->priv;
	struct fake *fw = &ctx->fakes[4];
	struct shp_handler checker = {
		.name = "checker", .stage = SHP_STAGE_CPU,
		.classes = BIT(SHP_CLASS_CPU),
		.steps = { [SHP_OP_ONLINE] = &validate_only },
	};
	struct shp_request *req;

	req = shp_request_alloc(SHP_OP_HOT_REMOVE, SHP_ORIGIN_FIRMWARE, 1,
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	req->targets[0]->class = SHP_CLASS_FIRMWARE;
	req->targets[0]->fw.handler = &fw->h;
	req->targets[0]->fw.handle = ctx;
	expect_unsupported(test, req);
	KUNIT_EXPECT_EQ(test, ctx->nlog, 0U);

	shp_unregister_handler(&fw->h);
	fw->h.classes = BIT(SHP_CLASS_FIRMWARE);
	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &fw->h), 0);
	req = shp_request_alloc(SHP_OP_HOT_REMOVE, SHP_ORIGIN_FIRMWARE, 1,
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	req->targets[0]->class = SHP_CLASS_FIRMWARE;
	req->targets[0]->fw.handler = &some_handler;
	req->targets[0]->fw.handle = ctx;
	expect_unsupported(test, req);

	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &checker), 0);
	req = shp_request_alloc(SHP_OP_ONLINE, SHP_ORIGIN_KERNEL, 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	req->targets[0]->class = SHP_CLASS_CPU;
	shp_target_set_device(req->targets[0], &fake_block);
	expect_unsupported(test, req);
	shp_unregister_handler(&checker);
}

static int nothing_to_undo(struct shp_handler *h, struct shp_request *req,
			   struct shp_target *t, unsigned long *data)
{
	return 0;
}

/* An execute step that fails and could not undo all it did. */
static int left_execute(struct shp_handler *h, struct shp_request *req,
			struct shp_target *t, unsigned long *data)
{
	shp_report_left(req, 0, -EBUSY, "a block left online");
	return -EIO;
}

/*
 * An execute step that fails and reports what it could not undo makes the
 * request PARTIAL, even though every undo step succeeded.
 */
static void shp_test_execute_left(struct kunit *test)
{
	static const struct shp_steps leaves = {
		.execute = left_execute, .undo = nothing_to_undo,
	};
	struct shp_test *ctx = test->priv;
	struct shp_handler h = {
		.name = "leaves", .stage = SHP_STAGE_CPU,
		.classes = BIT(SHP_CLASS_MEMORY),
		.steps = { [SHP_OP_HOT_ADD] = &leaves },
	};
	struct shp_request *req = mem_request(test, SHP_OP_HOT_ADD, 1);
	int i;

	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &h), 0);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -EIO);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_PARTIAL);
	KUNIT_EXPECT_STREQ(test, req->p->failed_handler, "leaves");
	/* The other steps were rolled back all the same. */
	for (i = 0; i < NR_FAKES; i++)
		KUNIT_EXPECT_EQ(test, ctx->fakes[i].world, 0);
	shp_request_put(req);
	shp_unregister_handler(&h);
}

/*
 * A handler whose execute may fail for a target while the others are
 * still in their old state (memory offline) asks for a second pass: the
 * targets that failed are tried again once execute has run for every
 * other one, if that changed any. A failure in the second pass fails the
 * request; a first pass that changed nothing has no second one.
 */
struct retry_case {
	const char *desc;
	unsigned long fail_first;	/* targets that fail in the first pass */
	unsigned long fail_again;	/* targets that fail in the second */
	int ret;
	unsigned int calls;		/* execute calls */
};

static const struct retry_case retry_cases[] = {
	{ "a target that fails first succeeds second", BIT(0), 0, 0, 4 },
	{ "a target that fails twice fails the request", BIT(1), BIT(1), -EBUSY, 4 },
	{ "a first pass that changes nothing has no second",
	  BIT(0) | BIT(1) | BIT(2), 0, -EBUSY, 3 },
};

static void retry_desc(const struct retry_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(retry, retry_cases, retry_desc);

struct retrier {
	struct shp_handler h;
	const struct retry_case *c;
	unsigned long failed;	/* targets that failed once */
	unsigned int calls;
	int world;
};

static int retry_execute(struct shp_handler *h, struct shp_request *req,
			 struct shp_target *t, unsigned long *data)
{
	struct retrier *r = container_of(h, struct retrier, h);
	int idx = shp_target_index(req, t);

	r->calls++;
	if (!(r->failed & BIT(idx)) && (r->c->fail_first & BIT(idx))) {
		r->failed |= BIT(idx);
		return -EBUSY;
	}
	if ((r->failed & BIT(idx)) && (r->c->fail_again & BIT(idx)))
		return -EBUSY;
	r->world++;
	return 0;
}

static int retry_undo(struct shp_handler *h, struct shp_request *req,
		      struct shp_target *t, unsigned long *data)
{
	container_of(h, struct retrier, h)->world--;
	return 0;
}

static void shp_test_retry(struct kunit *test)
{
	static const struct shp_steps steps = {
		.execute = retry_execute, .undo = retry_undo, .retry = true,
	};
	const struct retry_case *c = test->param_value;
	struct shp_test *ctx = test->priv;
	struct shp_request *req = mem_request(test, SHP_OP_OFFLINE, 3);
	struct retrier *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->c = c;
	r->h = (struct shp_handler){
		.name = "retrier", .stage = SHP_STAGE_MEMORY,
		.classes = BIT(SHP_CLASS_MEMORY),
		.steps = { [SHP_OP_OFFLINE] = &steps },
	};
	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &r->h), 0);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), c->ret);
	KUNIT_EXPECT_EQ(test, r->calls, c->calls);
	KUNIT_EXPECT_EQ(test, r->world, c->ret ? 0 : 3);
	/* Only a final failure is reported: a target that made it, is not. */
	KUNIT_EXPECT_EQ(test, count_reports(req), c->ret ? 1U : 0U);
	if (c->ret)
		KUNIT_EXPECT_STREQ(test, req->p->failed_handler, "retrier");
	shp_request_put(req);
	shp_unregister_handler(&r->h);
}

/*
 * Expand runs before any validate step, over the handlers in run order:
 * the targets it adds, with their parent, are validated and executed by
 * the handlers of their class like the named ones.
 */
static int expand_ranges(struct shp_handler *h, struct shp_request *req)
{
	unsigned int i, n = req->nr_targets;
	struct shp_target *t;

	for (i = 0; i < n; i++) {
		t = shp_request_add_targets(req, 1);
		if (!t)
			return -ENOMEM;
		t->class = SHP_CLASS_MEMORY;
		t->mem.start = SZ_4G + (u64)i * SZ_128M;
		t->mem.size = SZ_128M;
		t->parent = i;
	}
	return 0;
}

static int expand_fails(struct shp_handler *h, struct shp_request *req)
{
	return -ENOSPC;
}

/*
 * A request that cannot be expanded is not validated, not even when it
 * is validate-only: no check would hold for the targets it lacks.
 */
static void shp_test_expand_fails(struct kunit *test)
{
	static const struct shp_steps steps = { .expand = expand_fails };
	struct shp_test *ctx = test->priv;
	struct shp_handler expander = {
		.name = "expander", .stage = SHP_STAGE_NODE,
		.classes = BIT(SHP_CLASS_MEMORY),
		.steps = { [SHP_OP_HOT_REMOVE] = &steps },
	};
	struct shp_request *req = mem_request(test, SHP_OP_HOT_REMOVE, 2);

	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &expander), 0);
	req->flags = SHP_REQ_VALIDATE_ONLY;
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -ENOSPC);
	KUNIT_EXPECT_STREQ(test, req->p->failed_handler, "expander");
	KUNIT_EXPECT_EQ(test, req->p->failed_phase, SHP_PHASE_VALIDATE);
	KUNIT_EXPECT_EQ(test, ctx->nlog, 0U);
	shp_request_put(req);
	shp_unregister_handler(&expander);
}

static void shp_test_expand(struct kunit *test)
{
	static const struct shp_steps steps = { .expand = expand_ranges };
	struct shp_test *ctx = test->priv;
	struct shp_handler expander = {
		.name = "expander", .stage = SHP_STAGE_CPU,
		.classes = BIT(SHP_CLASS_MEMORY),
		.steps = { [SHP_OP_HOT_ADD] = &steps },
	};
	struct shp_request *req = mem_request(test, SHP_OP_HOT_ADD, 2);
	u16 want[NR_FAKES * (1 + 2 * 4)];
	unsigned int n;

	/* Last in run order: its expand still runs before any validate. */
	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &expander), 0);
	n = want_validates(want, 0, SHP_OP_HOT_ADD, NR_FAKES);
	n = want_steps(want, n, STEP_E, SHP_OP_HOT_ADD, 0, NR_FAKES, 4);
	n = want_steps(want, n, STEP_C, SHP_OP_HOT_ADD, 0, NR_FAKES, 4);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	KUNIT_ASSERT_EQ(test, req->nr_targets, 4U);
	KUNIT_EXPECT_EQ(test, req->targets[2]->parent, 0);
	KUNIT_EXPECT_EQ(test, req->targets[3]->parent, 1);
	KUNIT_EXPECT_EQ(test, req->targets[1]->parent, -1);
	expect_log(test, want, n);
	expect_world(test, 4);
	shp_request_put(req);
	shp_unregister_handler(&expander);
}

/* ------------------------------------------------------------ request file */

/* A handler's reading of request-file words: "nodeN", or "devN". */
struct parser {
	struct shp_handler h;
	const char *prefix;
	struct device *devs[2];	/* devN names devs[N % 2]; NULL: a node */
	unsigned int calls;	/* words it was asked about */
	const char *how;	/* the last @how it was given */
};

static int parser_parse(struct shp_handler *h, struct shp_request *req,
			char *word, const char *how)
{
	struct parser *p = container_of(h, struct parser, h);
	size_t len = strlen(p->prefix);
	struct shp_target *t;
	u64 n;

	p->calls++;
	p->how = how;
	if (strncmp(word, p->prefix, len))
		return -ENOENT;
	if (!strcmp(word + len, "gone"))
		return -ENODEV;
	if (!strcmp(word + len, "many")) {
		n = SHP_PARSE_MAX_TARGETS + 1;
	} else {
		if (shp_parse_u64(word + len, 10, &n))
			return -EINVAL;
		if (!p->devs[0] && how)
			return -EINVAL;
	}
	t = shp_request_add_targets(req, p->devs[0] ? 1 : n);
	if (!t)
		return -ENOMEM;
	t->class = p->devs[0] ? SHP_CLASS_CPU : SHP_CLASS_NODE;
	t->nid = n;
	if (p->devs[0])
		shp_target_set_device(t, p->devs[n % 2]);
	return 0;
}

static int parser_validate(struct shp_handler *h, struct shp_request *req)
{
	return 0;
}

static const struct shp_steps parser_steps = { .validate = parser_validate };

static int parse_line(struct shp_test *ctx, struct shp_request **req,
		      const char *line, const char *how)
{
	char *buf = kstrdup(line, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(ctx->test, buf);
	shp_request_put(*req);
	*req = shp_request_alloc(SHP_OP_OFFLINE, SHP_ORIGIN_KERNEL, 0,
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(ctx->test, *req);
	ret = shp_parse_targets(ctx->seq, *req, buf, how);
	kfree(buf);
	return ret;
}

/*
 * The core reads no target itself: each word goes to the first handler, in
 * stage order, whose parse op knows it; a word none knows, and a device or
 * node named twice, are refused; a handler's errno is the write's.
 */
static void shp_test_parse(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct parser *nodes, *devs;
	struct shp_request *req = NULL;

	nodes = kunit_kzalloc(test, sizeof(*nodes), GFP_KERNEL);
	devs = kunit_kzalloc(test, sizeof(*devs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nodes);
	KUNIT_ASSERT_NOT_NULL(test, devs);
	/* Registered in reverse stage order: stage order still rules. */
	devs->h = (struct shp_handler){
		.name = "parse-dev", .stage = SHP_STAGE_CPU,
		.classes = BIT(SHP_CLASS_CPU), .parse = parser_parse,
		.steps = { [SHP_OP_OFFLINE] = &parser_steps },
	};
	devs->prefix = "dev";
	devs->devs[0] = kunit_device_register(test, "shp-parse-0");
	devs->devs[1] = kunit_device_register(test, "shp-parse-1");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, devs->devs[0]);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, devs->devs[1]);
	nodes->h = (struct shp_handler){
		.name = "parse-node", .stage = SHP_STAGE_NODE,
		.classes = BIT(SHP_CLASS_NODE), .parse = parser_parse,
		.steps = { [SHP_OP_OFFLINE] = &parser_steps },
	};
	nodes->prefix = "node";
	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &devs->h), 0);
	KUNIT_ASSERT_EQ(test, shp_sequencer_register(ctx->seq, &nodes->h), 0);

	KUNIT_EXPECT_EQ(test, parse_line(ctx, &req, "node1  dev0\tdev1", NULL), 0);
	KUNIT_ASSERT_EQ(test, req->nr_targets, 3U);
	KUNIT_EXPECT_EQ(test, req->targets[0]->class, SHP_CLASS_NODE);
	KUNIT_EXPECT_EQ(test, req->targets[0]->nid, 1);
	KUNIT_EXPECT_PTR_EQ(test, req->targets[1]->dev, devs->devs[0]);
	KUNIT_EXPECT_PTR_EQ(test, req->targets[2]->dev, devs->devs[1]);
	/* The node handler comes first and is asked about every word. */
	KUNIT_EXPECT_EQ(test, nodes->calls, 3U);
	KUNIT_EXPECT_EQ(test, devs->calls, 2U);

	KUNIT_EXPECT_EQ(test, parse_line(ctx, &req, "node1 frob", NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse_line(ctx, &req, "dev0 dev2", NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse_line(ctx, &req, "node3 node3", NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse_line(ctx, &req, "node3 node4", NULL), 0);
	KUNIT_EXPECT_EQ(test, parse_line(ctx, &req, "dev1 devgone", NULL), -ENODEV);
	KUNIT_EXPECT_EQ(test, parse_line(ctx, &req, "nodemany", NULL), -E2BIG);
	KUNIT_EXPECT_EQ(test, parse_line(ctx, &req, "", NULL), 0);
	KUNIT_EXPECT_EQ(test, req->nr_targets, 0U);
	/* The operation's qualifier reaches the handler, which may refuse it. */
	KUNIT_EXPECT_EQ(test, parse_line(ctx, &req, "dev1", "online_fast"), 0);
	KUNIT_EXPECT_STREQ(test, devs->how, "online_fast");
	KUNIT_EXPECT_EQ(test, parse_line(ctx, &req, "node1", "online_fast"), -EINVAL);

	/* An unregistered handler is not asked. */
	shp_unregister_handler(&nodes->h);
	nodes->calls = 0;
	KUNIT_EXPECT_EQ(test, parse_line(ctx, &req, "node1", NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, nodes->calls, 0U);
	shp_unregister_handler(&devs->h);
	shp_request_put(req);
}

/* ------------------------------------------------------------ fault injection */

#ifdef CONFIG_FAIL_SYS_HOTPLUG
static void arm_fault(struct shp_test *ctx, const char *handler,
		      const char *phases, u32 err)
{
	struct fault_attr *attr = shp_fault_attr(ctx->seq);

	KUNIT_ASSERT_EQ(ctx->test, shp_fault_set_handler(ctx->seq, handler), 0);
	KUNIT_ASSERT_EQ(ctx->test, shp_fault_set_phases(ctx->seq, phases), 0);
	shp_fault_set_errno(ctx->seq, err);
	attr->probability = 100;
	attr->interval = 1;
	attr->verbose = 0;
	atomic_set(&attr->times, -1);
}

static void shp_test_fault_knob(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	int target = run_index(SHP_OP_HOT_ADD, 2);	/* mem-a */
	struct shp_request *req;
	u16 want[3 * NR_FAKES];
	unsigned int n = 0;
	int pos, t;

	/* Bad input is refused. */
	KUNIT_EXPECT_EQ(test, shp_fault_set_phases(ctx->seq, "sometimes"), -EINVAL);
	KUNIT_EXPECT_EQ(test, shp_fault_set_phases(ctx->seq, "\t"), -EINVAL);
	KUNIT_EXPECT_EQ(test, shp_fault_set_handler(ctx->seq, "two words"), -EINVAL);
	KUNIT_EXPECT_EQ(test, shp_fault_set_handler(ctx->seq, "cpu\nfoo"), -EINVAL);

	/* mem-a execute only: its execute is never called. */
	arm_fault(ctx, "mem-a\n", "execute\n", ENOSPC);
	req = mem_request(test, SHP_OP_HOT_ADD, 2);
	n = want_validates(want, n, SHP_OP_HOT_ADD, NR_FAKES);
	n = want_steps(want, n, STEP_E, SHP_OP_HOT_ADD, 0, 2, 2);
	for (pos = 1; pos >= 0; pos--)
		for (t = 1; t >= 0; t--)
			want[n++] = STEP(STEP_R, run_index(SHP_OP_HOT_ADD, pos), t);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -ENOSPC);
	KUNIT_EXPECT_STREQ(test, req->p->failed_handler, fake_defs[target].name);
	expect_log(test, want, n);
	expect_world(test, 0);
	shp_request_put(req);

	/* The same filter does not touch a validate-only request. */
	ctx->nlog = 0;
	req = mem_request(test, SHP_OP_HOT_ADD, 1);
	req->flags = SHP_REQ_VALIDATE_ONLY;
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	shp_request_put(req);

	/* Another handler's name: nothing fails. */
	arm_fault(ctx, "no-such-handler", "any", ENOSPC);
	req = mem_request(test, SHP_OP_HOT_REMOVE, 1);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	shp_request_put(req);
	expect_world(test, 1);

	/* Commit of the cpu handler on a removal: PARTIAL, nothing undone. */
	arm_fault(ctx, "cpu", "commit", 0);
	req = mem_request(test, SHP_OP_HOT_REMOVE, 1);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -EIO);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_PARTIAL);
	expect_world(test, 2);
	shp_request_put(req);

	/* Rollback of node, after a real execute failure of cpu. */
	arm_fault(ctx, "node", "rollback", EBUSY);
	ctx->fakes[0].fail_at = SHP_PHASE_EXECUTE;
	ctx->fakes[0].fail_err = -EAGAIN;
	req = mem_request(test, SHP_OP_HOT_ADD, 1);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -EAGAIN);
	KUNIT_EXPECT_EQ(test, req->outcome, SHP_OUTCOME_PARTIAL);
	/* node's change stays (3), every other completed one is undone. */
	KUNIT_EXPECT_EQ(test, ctx->fakes[2].world, 3);
	KUNIT_EXPECT_EQ(test, ctx->fakes[1].world, 2);
	KUNIT_EXPECT_EQ(test, ctx->fakes[0].world, 2);
	shp_request_put(req);

	/* Any handler, validate: the first in run order fails. */
	ctx->fakes[0].fail_at = FAIL_NONE;
	arm_fault(ctx, "any", "validate", EPERM);
	ctx->nlog = 0;
	req = mem_request(test, SHP_OP_OFFLINE, 1);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -EPERM);
	KUNIT_EXPECT_STREQ(test, req->p->failed_handler, "cpu");
	KUNIT_EXPECT_EQ(test, ctx->nlog, 0U);
	shp_request_put(req);
	atomic_set(&shp_fault_attr(ctx->seq)->times, 0);
}
#endif /* CONFIG_FAIL_SYS_HOTPLUG */

/* ------------------------------------------------------------ tracepoints */

struct trace_seen {
	u64 id;
	unsigned int queued, started, done, bad_id, queued_late;
	unsigned int phases[SHP_NR_PHASES];
	int phase_ret[SHP_NR_PHASES];
	unsigned int steps, rollbacks;
	int last_step_ret;
	char rollback_names[96];
	int outcome, result;
	u64 done_ns, steps_ns;
};

static void seen_id(struct trace_seen *seen, const struct shp_request *req)
{
	if (req->id != seen->id)
		seen->bad_id++;
}

static void probe_queued(void *data, const struct shp_request *req)
{
	struct trace_seen *seen = data;

	seen->id = req->id;
	seen->queued++;
	/* Once the worker can see it, its "start" could come first. */
	if (work_pending(&req->p->work) || req->p->started)
		seen->queued_late++;
}

static void probe_start(void *data, const struct shp_request *req, u64 wait)
{
	seen_id(data, req);
	((struct trace_seen *)data)->started++;
}

static void probe_phase(void *data, const struct shp_request *req,
			enum shp_phase phase, int ret, u64 ns)
{
	struct trace_seen *seen = data;

	seen_id(seen, req);
	seen->phases[phase]++;
	seen->phase_ret[phase] = ret;
}

static void probe_handler(void *data, const struct shp_request *req,
			  const struct shp_handler *h, enum shp_phase phase,
			  int target, int ret, u64 ns)
{
	struct trace_seen *seen = data;

	seen_id(seen, req);
	seen->steps++;
	seen->last_step_ret = ret;
	seen->steps_ns += ns;
}

static void probe_rollback(void *data, const struct shp_request *req,
			   const struct shp_handler *h, enum shp_phase phase,
			   int target, int ret, u64 ns)
{
	struct trace_seen *seen = data;
	size_t len = strlen(seen->rollback_names);

	seen_id(seen, req);
	seen->rollbacks++;
	scnprintf(seen->rollback_names + len, sizeof(seen->rollback_names) - len,
		  "%s/%d ", h->name, target);
}

static void probe_done(void *data, const struct shp_request *req, u64 ns)
{
	struct trace_seen *seen = data;

	seen_id(seen, req);
	seen->done++;
	seen->outcome = req->outcome;
	seen->result = req->result;
	seen->done_ns = ns;
}

/* Every event of a failed, rolled back request, with its ID. */
static void shp_test_tracepoints(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct trace_seen *seen;
	struct shp_request *req;

	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		kunit_skip(test, "tracepoints are not built");
	seen = kunit_kzalloc(test, sizeof(*seen), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	KUNIT_ASSERT_EQ(test, register_trace_shp_request_queued(probe_queued, seen), 0);
	KUNIT_ASSERT_EQ(test, register_trace_shp_request_start(probe_start, seen), 0);
	KUNIT_ASSERT_EQ(test, register_trace_shp_phase(probe_phase, seen), 0);
	KUNIT_ASSERT_EQ(test, register_trace_shp_handler(probe_handler, seen), 0);
	KUNIT_ASSERT_EQ(test, register_trace_shp_rollback(probe_rollback, seen), 0);
	KUNIT_ASSERT_EQ(test, register_trace_shp_request_done(probe_done, seen), 0);

	ctx->fakes[3].fail_at = SHP_PHASE_EXECUTE;	/* mem-b */
	req = mem_request(test, SHP_OP_HOT_ADD, 2);
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), -EIO);

	unregister_trace_shp_request_done(probe_done, seen);
	unregister_trace_shp_rollback(probe_rollback, seen);
	unregister_trace_shp_handler(probe_handler, seen);
	unregister_trace_shp_phase(probe_phase, seen);
	unregister_trace_shp_request_start(probe_start, seen);
	unregister_trace_shp_request_queued(probe_queued, seen);
	tracepoint_synchronize_unregister();

	KUNIT_EXPECT_EQ(test, seen->id, req->id);
	KUNIT_EXPECT_EQ(test, seen->bad_id, 0U);
	KUNIT_EXPECT_EQ(test, seen->queued, 1U);
	KUNIT_EXPECT_EQ(test, seen->queued_late, 0U);
	KUNIT_EXPECT_EQ(test, seen->started, 1U);
	KUNIT_EXPECT_EQ(test, seen->phases[SHP_PHASE_VALIDATE], 1U);
	KUNIT_EXPECT_EQ(test, seen->phase_ret[SHP_PHASE_VALIDATE], 0);
	KUNIT_EXPECT_EQ(test, seen->phases[SHP_PHASE_EXECUTE], 1U);
	KUNIT_EXPECT_EQ(test, seen->phase_ret[SHP_PHASE_EXECUTE], -EIO);
	KUNIT_EXPECT_EQ(test, seen->phases[SHP_PHASE_COMMIT], 0U);
	/*
	 * Five validate steps, then node, firmware and mem-a for each of the
	 * two targets, and mem-b for the first.
	 */
	KUNIT_EXPECT_EQ(test, seen->steps, NR_FAKES + 7U);
	KUNIT_EXPECT_EQ(test, seen->last_step_ret, -EIO);
	KUNIT_EXPECT_EQ(test, seen->rollbacks, 6U);
	KUNIT_EXPECT_STREQ(test, seen->rollback_names,
			   "mem-a/1 mem-a/0 firmware/1 firmware/0 node/1 node/0 ");
	KUNIT_EXPECT_EQ(test, seen->done, 1U);
	KUNIT_EXPECT_EQ(test, seen->outcome, SHP_OUTCOME_FAILED);
	KUNIT_EXPECT_EQ(test, seen->result, -EIO);
	KUNIT_EXPECT_GE(test, seen->done_ns, seen->steps_ns);
	KUNIT_EXPECT_GT(test, seen->done_ns, 0ULL);
	shp_request_put(req);
}

/*
 * A request holds its devices only until it ends. A CPU's device is static
 * storage that register_cpu() reinitializes when the CPU comes back: a
 * reference still held by an ended request (whose waiter has not put it
 * yet) would be dropped on the new registration and free it.
 */
static void shp_test_devices_dropped_at_end(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req = mem_request(test, SHP_OP_OFFLINE, 1);

	KUNIT_EXPECT_EQ(test, kref_read(&fake_block.kobj.kref), 2);
	KUNIT_EXPECT_EQ(test, shp_sequencer_submit_wait(ctx->seq, req), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&fake_block.kobj.kref), 1);
	KUNIT_EXPECT_NULL(test, req->targets[0]->dev);
	KUNIT_EXPECT_TRUE(test, shp_target_changed(req, req->targets[0]));

	/* Unregistered and registered again while the waiter holds @req. */
	put_device(&fake_block);
	KUNIT_EXPECT_EQ(test, fake_block_releases, 1U);
	fake_block_init(test);
	shp_request_put(req);
	KUNIT_EXPECT_EQ(test, kref_read(&fake_block.kobj.kref), 1);
	KUNIT_EXPECT_EQ(test, fake_block_releases, 1U);
}

/*
 * Targets added one at a time, as a firmware step describing what it
 * found adds them, never move: a pointer taken before stays the target,
 * and every target knows its index.
 */
static void shp_test_targets_stay(struct kunit *test)
{
	struct shp_request *req = mem_request(test, SHP_OP_HOT_ADD, 1);
	struct shp_target *first = req->targets[0], *t, *prev = NULL;
	unsigned int i;

	first->mem.start = SZ_1G;
	for (i = 1; i < 1000; i++) {
		t = shp_request_add_targets(req, 1);
		KUNIT_ASSERT_NOT_NULL(test, t);
		t->class = SHP_CLASS_NODE;
		t->nid = i;
		if (prev)
			KUNIT_ASSERT_PTR_EQ(test, req->targets[i - 1], prev);
		prev = t;
	}
	KUNIT_ASSERT_EQ(test, req->nr_targets, 1000U);
	KUNIT_EXPECT_PTR_EQ(test, req->targets[0], first);
	KUNIT_EXPECT_EQ(test, first->mem.start, (u64)SZ_1G);
	for (i = 0; i < req->nr_targets; i++) {
		KUNIT_EXPECT_EQ(test, shp_target_index(req, req->targets[i]), (int)i);
		if (i)
			KUNIT_EXPECT_EQ(test, req->targets[i]->nid, (int)i);
	}
	/* Several at once lie next to each other. */
	t = shp_request_add_targets(req, 3);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_PTR_EQ(test, &t[2], req->targets[1002]);
	KUNIT_EXPECT_EQ(test, t[2].index, 1002U);
	shp_request_put(req);

	/* None, then one (kept in the request), then more: it stays. */
	req = shp_request_alloc(SHP_OP_ONLINE, SHP_ORIGIN_KERNEL, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);
	first = shp_request_add_targets(req, 1);
	KUNIT_ASSERT_NOT_NULL(test, first);
	first->nid = 7;
	t = shp_request_add_targets(req, 2);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, req->nr_targets, 3U);
	KUNIT_EXPECT_PTR_EQ(test, req->targets[0], first);
	KUNIT_EXPECT_EQ(test, req->targets[0]->nid, 7);
	KUNIT_EXPECT_PTR_EQ(test, req->targets[2], &t[1]);
	KUNIT_EXPECT_EQ(test, t[1].index, 2U);
	shp_request_put(req);
}

/* ------------------------------------------------------------ history, scale */

static void shp_test_history(struct kunit *test)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req;
	char *text, want[160];
	int i, lines;
	u64 first = 0;

	/* 10 requests through a history of 8: the oldest two are gone. */
	for (i = 0; i < 10; i++) {
		req = mem_request(test, SHP_OP_HOT_ADD, 1 + i);
		req->origin = SHP_ORIGIN_SYSFS;
		KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
		if (!i)
			first = req->id;
		shp_request_put(req);
	}
	text = shp_history_text(ctx->seq);
	KUNIT_ASSERT_NOT_NULL(test, text);
	snprintf(want, sizeof(want), "id=%llu op=", first + 1);
	KUNIT_EXPECT_NULL(test, strstr(text, want));
	snprintf(want, sizeof(want),
		 "id=%llu op=hot-add origin=sysfs flags=0x0 targets=3 [memory:0x0+0x8000000 ",
		 first + 2);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, want));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "0x10000000+0x8000000] outcome=ok result=0"));
	/* At most six targets are named; the rest are counted. */
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "0x28000000+0x8000000 (+4 more)] outcome=ok"));
	kfree(text);

	/* Shorter records in the buffers of longer ones: nothing of those. */
	for (i = 0; i < 8; i++) {
		req = mem_request(test, SHP_OP_HOT_ADD, 1);
		KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
		shp_request_put(req);
	}
	text = shp_history_text(ctx->seq);
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_NULL(test, strstr(text, "more)"));
	for (i = 0, lines = 0; text[i]; i++)
		lines += text[i] == '\n';
	KUNIT_EXPECT_EQ(test, lines, 8);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "targets=1 [memory:0x0+0x8000000] outcome=ok"));
	kfree(text);
}

static u64 timed_run(struct kunit *test, unsigned int n)
{
	struct shp_test *ctx = test->priv;
	struct shp_request *req = mem_request(test, SHP_OP_HOT_ADD, n);
	u64 start, ns;
	int i;

	for (i = 0; i < NR_FAKES; i++)
		ctx->fakes[i].world = 0;
	start = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, run_request(ctx, req), 0);
	ns = ktime_get_ns() - start;
	/* Every handler changed every target. */
	expect_world(test, n);
	shp_request_put(req);
	return ns;
}

static void shp_test_many_targets(struct kunit *test)
{
	u64 small, large;

	timed_run(test, 100);	/* warm up */
	small = timed_run(test, 100);
	large = timed_run(test, 100000);
	kunit_info(test, "per-target cost: %llu ns at 100 targets, %llu ns at 100000 targets (5 handlers, 3 phases)\n",
		   div_u64(small, 100), div_u64(large, 100000));
}

static struct kunit_case shp_test_cases[] = {
	KUNIT_CASE(shp_test_order_add),
	KUNIT_CASE(shp_test_order_remove),
	KUNIT_CASE(shp_test_order_online_offline),
	KUNIT_CASE(shp_test_handler_filter),
	KUNIT_CASE(shp_test_discovery),
	KUNIT_CASE(shp_test_discovery_rollback),
	KUNIT_CASE_PARAM(shp_test_failure_matrix, matrix_gen),
	KUNIT_CASE(shp_test_rollback_failure),
	KUNIT_CASE(shp_test_gone_device),
	KUNIT_CASE(shp_test_cpu_by_number),
	KUNIT_CASE(shp_test_validate_only),
	KUNIT_CASE(shp_test_validate_only_clean),
	KUNIT_CASE(shp_test_sync_errno),
	KUNIT_CASE(shp_test_async_done_once),
	KUNIT_CASE_PARAM(shp_test_malformed, malformed_gen_params),
	KUNIT_CASE(shp_test_empty_request),
	KUNIT_CASE(shp_test_register_errors),
	KUNIT_CASE(shp_test_serialization),
	KUNIT_CASE(shp_test_unregister_queued),
	KUNIT_CASE(shp_test_killed_waiter),
	KUNIT_CASE(shp_test_killed_while_running),
	KUNIT_CASE(shp_test_signal_before_start),
	KUNIT_CASE(shp_test_signal_while_running),
	KUNIT_CASE(shp_test_signal_ignored_by_step),
	KUNIT_CASE(shp_test_killed_step_ignores_signal),
	KUNIT_CASE(shp_test_sysfs_runs_here),
	KUNIT_CASE(shp_test_sysfs_abort_here),
	KUNIT_CASE(shp_test_sysfs_signal_here),
	KUNIT_CASE(shp_test_sysfs_killed_here),
	KUNIT_CASE(shp_test_abort_between_steps),
	KUNIT_CASE(shp_test_abort_in_validate),
	KUNIT_CASE(shp_test_abort_queued_by_id),
	KUNIT_CASE(shp_test_deadline_interrupts_step),
	KUNIT_CASE(shp_test_deadline_between_steps),
	KUNIT_CASE(shp_test_deadline_in_validate),
#if IS_BUILTIN(CONFIG_SYS_HOTPLUG_KUNIT_TEST)
	KUNIT_CASE(shp_test_signal_waiting_for_lock),
#endif
	KUNIT_CASE(shp_test_class_without_handler),
	KUNIT_CASE(shp_test_execute_left),
	KUNIT_CASE_PARAM(shp_test_retry, retry_gen_params),
	KUNIT_CASE(shp_test_expand),
	KUNIT_CASE(shp_test_expand_fails),
	KUNIT_CASE(shp_test_parse),
#ifdef CONFIG_FAIL_SYS_HOTPLUG
	KUNIT_CASE(shp_test_fault_knob),
#endif
	KUNIT_CASE(shp_test_tracepoints),
	KUNIT_CASE(shp_test_devices_dropped_at_end),
	KUNIT_CASE(shp_test_targets_stay),
	KUNIT_CASE(shp_test_history),
	KUNIT_CASE_SLOW(shp_test_many_targets),
	{}
};

static struct kunit_suite shp_test_suite = {
	.name = "sys_hotplug",
	.init = shp_test_init,
	.exit = shp_test_exit,
	.test_cases = shp_test_cases,
};

kunit_test_suite(shp_test_suite);

MODULE_DESCRIPTION("KUnit tests for the system device hot-plug sequencer");
MODULE_LICENSE("GPL");
