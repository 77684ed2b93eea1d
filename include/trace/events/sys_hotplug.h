/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the system device hot-plug sequencer: the life of every
 * request, keyed by its ID.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM sys_hotplug

#if !defined(_TRACE_SYS_HOTPLUG_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_SYS_HOTPLUG_H

#include <linux/sys_hotplug.h>
#include <linux/tracepoint.h>

/* Export the enum values, so that perf and trace-cmd print their names. */
TRACE_DEFINE_ENUM(SHP_OP_HOT_ADD);
TRACE_DEFINE_ENUM(SHP_OP_HOT_REMOVE);
TRACE_DEFINE_ENUM(SHP_OP_ONLINE);
TRACE_DEFINE_ENUM(SHP_OP_OFFLINE);
TRACE_DEFINE_ENUM(SHP_ORIGIN_KERNEL);
TRACE_DEFINE_ENUM(SHP_ORIGIN_SYSFS);
TRACE_DEFINE_ENUM(SHP_ORIGIN_FIRMWARE);
TRACE_DEFINE_ENUM(SHP_PHASE_VALIDATE);
TRACE_DEFINE_ENUM(SHP_PHASE_EXECUTE);
TRACE_DEFINE_ENUM(SHP_PHASE_COMMIT);
TRACE_DEFINE_ENUM(SHP_STAGE_NODE);
TRACE_DEFINE_ENUM(SHP_STAGE_FIRMWARE);
TRACE_DEFINE_ENUM(SHP_STAGE_MEMORY);
TRACE_DEFINE_ENUM(SHP_STAGE_CPU);
TRACE_DEFINE_ENUM(SHP_OUTCOME_PENDING);
TRACE_DEFINE_ENUM(SHP_OUTCOME_OK);
TRACE_DEFINE_ENUM(SHP_OUTCOME_FAILED);
TRACE_DEFINE_ENUM(SHP_OUTCOME_PARTIAL);
TRACE_DEFINE_ENUM(SHP_OUTCOME_CANCELLED);

#define shp_show_op(op)						\
	__print_symbolic(op,					\
			 { SHP_OP_HOT_ADD, "hot-add" },		\
			 { SHP_OP_HOT_REMOVE, "hot-remove" },	\
			 { SHP_OP_ONLINE, "online" },		\
			 { SHP_OP_OFFLINE, "offline" })

#define shp_show_origin(origin)					\
	__print_symbolic(origin,				\
			 { SHP_ORIGIN_KERNEL, "kernel" },	\
			 { SHP_ORIGIN_SYSFS, "sysfs" },		\
			 { SHP_ORIGIN_FIRMWARE, "firmware" })

#define shp_show_phase(phase)					\
	__print_symbolic(phase,					\
			 { SHP_PHASE_VALIDATE, "validate" },	\
			 { SHP_PHASE_EXECUTE, "execute" },	\
			 { SHP_PHASE_COMMIT, "commit" })

#define shp_show_stage(stage)					\
	__print_symbolic(stage,					\
			 { SHP_STAGE_NODE, "node" },		\
			 { SHP_STAGE_FIRMWARE, "firmware" },	\
			 { SHP_STAGE_MEMORY, "memory" },	\
			 { SHP_STAGE_CPU, "cpu" })

#define shp_show_outcome(outcome)				\
	__print_symbolic(outcome,				\
			 { SHP_OUTCOME_PENDING, "pending" },	\
			 { SHP_OUTCOME_OK, "ok" },		\
			 { SHP_OUTCOME_FAILED, "failed" },	\
			 { SHP_OUTCOME_PARTIAL, "partial" },	\
			 { SHP_OUTCOME_CANCELLED, "cancelled" })

TRACE_EVENT(shp_request_queued,
	    TP_PROTO(const struct shp_request *req),
	    TP_ARGS(req),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(int, op)
			     __field(int, origin)
			     __field(unsigned int, flags)
			     __field(unsigned int, nr_targets)),
	    TP_fast_assign(__entry->id = req->id;
			   __entry->op = req->op;
			   __entry->origin = req->origin;
			   __entry->flags = req->flags;
			   __entry->nr_targets = req->nr_targets;),
	    TP_printk("id=%llu op=%s origin=%s flags=0x%x targets=%u",
		      __entry->id, shp_show_op(__entry->op),
		      shp_show_origin(__entry->origin), __entry->flags,
		      __entry->nr_targets)
);

TRACE_EVENT(shp_request_start,
	    TP_PROTO(const struct shp_request *req, u64 wait_ns),
	    TP_ARGS(req, wait_ns),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(u64, wait_ns)),
	    TP_fast_assign(__entry->id = req->id;
			   __entry->wait_ns = wait_ns;),
	    TP_printk("id=%llu queued_for=%lluns", __entry->id,
		      __entry->wait_ns)
);

TRACE_EVENT(shp_phase,
	    TP_PROTO(const struct shp_request *req, enum shp_phase phase,
		     int ret, u64 duration_ns),
	    TP_ARGS(req, phase, ret, duration_ns),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(int, phase)
			     __field(int, ret)
			     __field(u64, duration_ns)),
	    TP_fast_assign(__entry->id = req->id;
			   __entry->phase = phase;
			   __entry->ret = ret;
			   __entry->duration_ns = duration_ns;),
	    TP_printk("id=%llu phase=%s ret=%d duration=%lluns", __entry->id,
		      shp_show_phase(__entry->phase), __entry->ret,
		      __entry->duration_ns)
);

DECLARE_EVENT_CLASS(shp_step,
		    TP_PROTO(const struct shp_request *req,
			     const struct shp_handler *h, enum shp_phase phase,
			     int target, int ret, u64 duration_ns),
		    TP_ARGS(req, h, phase, target, ret, duration_ns),
		    TP_STRUCT__entry(__field(u64, id)
				     __string(handler, h->name)
				     __field(int, stage)
				     __field(int, phase)
				     __field(int, target)
				     __field(int, ret)
				     __field(u64, duration_ns)),
		    TP_fast_assign(__entry->id = req->id;
				   __assign_str(handler);
				   __entry->stage = h->stage;
				   __entry->phase = phase;
				   __entry->target = target;
				   __entry->ret = ret;
				   __entry->duration_ns = duration_ns;),
		    TP_printk("id=%llu handler=%s stage=%s phase=%s target=%d ret=%d duration=%lluns",
			      __entry->id, __get_str(handler),
			      shp_show_stage(__entry->stage),
			      shp_show_phase(__entry->phase), __entry->target,
			      __entry->ret, __entry->duration_ns)
);

/*
 * One step of a handler: expand or validate (target -1: they look at the
 * whole request), or execute or commit for one target (its index).
 */
DEFINE_EVENT(shp_step, shp_handler,
	     TP_PROTO(const struct shp_request *req,
		      const struct shp_handler *h, enum shp_phase phase,
		      int target, int ret, u64 duration_ns),
	     TP_ARGS(req, h, phase, target, ret, duration_ns)
);

/* The undo of one target's completed execute step. */
DEFINE_EVENT(shp_step, shp_rollback,
	     TP_PROTO(const struct shp_request *req,
		      const struct shp_handler *h, enum shp_phase phase,
		      int target, int ret, u64 duration_ns),
	     TP_ARGS(req, h, phase, target, ret, duration_ns)
);

TRACE_EVENT(shp_request_done,
	    TP_PROTO(const struct shp_request *req, u64 duration_ns),
	    TP_ARGS(req, duration_ns),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(int, outcome)
			     __field(int, result)
			     __field(u64, duration_ns)),
	    TP_fast_assign(__entry->id = req->id;
			   __entry->outcome = req->outcome;
			   __entry->result = req->result;
			   __entry->duration_ns = duration_ns;),
	    TP_printk("id=%llu outcome=%s result=%d duration=%lluns",
		      __entry->id, shp_show_outcome(__entry->outcome),
		      __entry->result, __entry->duration_ns)
);

#endif /* _TRACE_SYS_HOTPLUG_H */

#include <trace/define_trace.h>
