// SPDX-License-Identifier: GPL-2.0
/*
 * What the system device hot-plug sequencer shows and takes in debugfs:
 * the history of the last requests, the queue, the handlers, and the
 * request file, whose grammar names CPUs, memory blocks, ranges and nodes.
 * See Documentation/driver-api/sys_hotplug.rst.
 */

#include <linux/cpu.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sys_hotplug.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "base.h"
#include "sys_hotplug_internal.h"

/* ------------------------------------------------------------ history */

static int shp_format_targets(const struct shp_request *req, char *buf,
			      size_t size)
{
	unsigned int i, n = min_t(unsigned int, req->nr_targets,
				  SHP_HISTORY_TARGETS);
	int len = 0;

	for (i = 0; i < n; i++) {
		const struct shp_target *t = req->targets[i];

		len += scnprintf(buf + len, size - len, "%s%s:", i ? " " : "",
				 t->class < SHP_NR_CLASSES ?
				 shp_class_names[t->class] : "?");
		if (t->dev)
			len += scnprintf(buf + len, size - len, "%s",
					 dev_name(t->dev));
		else if (t->class == SHP_CLASS_MEMORY)
			len += scnprintf(buf + len, size - len, "%#llx+%#llx",
					 t->mem.start, t->mem.size);
		else if (t->class == SHP_CLASS_NODE)
			len += scnprintf(buf + len, size - len, "node%d",
					 t->nid);
		else
			len += scnprintf(buf + len, size - len, "(firmware)");
	}
	if (req->nr_targets > n)
		len += scnprintf(buf + len, size - len, " (+%u more)",
				 req->nr_targets - n);
	return len;
}

/* One history entry: a summary line, then one line per report. */
static char *shp_format_record(const struct shp_request *req, u64 wait_ns,
			       u64 run_ns)
{
	const size_t size = 512 + SHP_HISTORY_REPORTS * 160;
	struct shp_report *r;
	unsigned int n = 0;
	char *buf;
	int len;

	buf = kzalloc(size, GFP_KERNEL);
	if (!buf)
		return NULL;
	len = scnprintf(buf, size, "id=%llu op=%s origin=%s flags=0x%x targets=%u [",
			req->id, shp_op_name(req->op),
			shp_origin_names[req->origin], req->flags,
			req->nr_targets);
	len += shp_format_targets(req, buf + len, size - len);
	len += scnprintf(buf + len, size - len,
			 "] outcome=%s result=%d queued=%lluus ran=%lluus",
			 shp_outcome_names[req->outcome], req->result,
			 div_u64(wait_ns, NSEC_PER_USEC),
			 div_u64(run_ns, NSEC_PER_USEC));
	if (req->p->failed_handler[0])
		len += scnprintf(buf + len, size - len, " failed=%s/%s",
				 req->p->failed_handler,
				 shp_phase_names[req->p->failed_phase]);
	len += scnprintf(buf + len, size - len, "\n");
	list_for_each_entry(r, &req->p->reports, node) {
		if (n++ == SHP_HISTORY_REPORTS)
			break;
		len += scnprintf(buf + len, size - len,
				 "  %s: handler=%s phase=%s target=%d err=%d %s\n",
				 r->kind == SHP_REPORT_BLOCKER ? "blocker" : "left",
				 r->handler, shp_phase_names[r->phase],
				 r->target, r->err, r->reason);
	}
	if (req->p->nr_reports + req->p->nr_dropped > SHP_HISTORY_REPORTS)
		scnprintf(buf + len, size - len, "  (+%u more reports)\n",
			  req->p->nr_reports + req->p->nr_dropped -
			  SHP_HISTORY_REPORTS);
	/* Keep only what was written. */
	return krealloc(buf, strlen(buf) + 1, GFP_KERNEL) ?: buf;
}

/* Keep the record of @req, which has ended, in the history of @seq. */
void shp_history_add(struct shp_sequencer *seq, struct shp_request *req,
		     u64 wait_ns, u64 run_ns)
{
	struct shp_record *rec;
	char *text;

	if (!seq->history_len)
		return;
	text = shp_format_record(req, wait_ns, run_ns);
	mutex_lock(&seq->history_lock);
	rec = &seq->history[seq->history_next];
	seq->history_next = (seq->history_next + 1) % seq->history_len;
	kfree(rec->text);
	rec->id = req->id;
	rec->result = req->result;
	rec->outcome = req->outcome;
	rec->text = text;
	mutex_unlock(&seq->history_lock);
}

/* ------------------------------------------------------------ files */

/**
 * shp_history_text - the history of a sequencer, oldest first
 * @seq: the sequencer
 *
 * Return: a string to free with kfree(), or NULL.
 */
VISIBLE_IF_KUNIT char *shp_history_text(struct shp_sequencer *seq)
{
	size_t size = 1, len = 0;
	unsigned int i, n;
	char *buf;

	mutex_lock(&seq->history_lock);
	for (i = 0; i < seq->history_len; i++)
		if (seq->history[i].text)
			size += strlen(seq->history[i].text);
	buf = kmalloc(size, GFP_KERNEL);
	if (buf) {
		buf[0] = '\0';
		for (n = 0; n < seq->history_len; n++) {
			i = (seq->history_next + n) % seq->history_len;
			if (seq->history[i].text)
				len += strscpy(buf + len, seq->history[i].text,
					       size - len);
		}
	}
	mutex_unlock(&seq->history_lock);
	return buf;
}
EXPORT_SYMBOL_IF_KUNIT(shp_history_text);

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * shp_history_record - the history record of one request
 * @seq: the sequencer
 * @id: the request's ID
 *
 * Return: a copy of the record (its summary line and its reports) to free
 * with kfree(), or NULL if it is not, or no longer, in the history.
 */
VISIBLE_IF_KUNIT char *shp_history_record(struct shp_sequencer *seq, u64 id)
{
	char *text = NULL;
	unsigned int i;

	mutex_lock(&seq->history_lock);
	for (i = 0; i < seq->history_len; i++) {
		if (seq->history[i].text && seq->history[i].id == id) {
			text = kstrdup(seq->history[i].text, GFP_KERNEL);
			break;
		}
	}
	mutex_unlock(&seq->history_lock);
	return text;
}
EXPORT_SYMBOL_IF_KUNIT(shp_history_record);
#endif

static ssize_t shp_history_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char *text = shp_history_text(file->private_data);
	ssize_t ret;

	if (!text)
		return -ENOMEM;
	ret = simple_read_from_buffer(ubuf, count, ppos, text, strlen(text));
	kfree(text);
	return ret;
}

/* The running request and those queued behind it: the IDs to abort. */
static int shp_queue_show(struct seq_file *m, void *unused)
{
	struct shp_sequencer *seq = m->private;
	struct shp_request_private *p;
	struct shp_request *req;

	spin_lock(&seq->lock);
	req = seq->running;
	if (req)
		seq_printf(m, "id=%llu op=%s origin=%s targets=%u running\n",
			   req->id, shp_op_name(req->op),
			   shp_origin_names[req->origin], req->nr_targets);
	list_for_each_entry(p, &seq->queued, queued)
		seq_printf(m, "id=%llu op=%s origin=%s targets=%u %s\n",
			   p->req->id, shp_op_name(p->req->op),
			   shp_origin_names[p->req->origin], p->req->nr_targets,
			   p->cancelled ? "withdrawn" : "queued");
	spin_unlock(&seq->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(shp_queue);

static const struct file_operations shp_history_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = shp_history_read,
	.llseek = default_llseek,
};

/* " online:validate,execute+undo": the steps of one operation. */
static void shp_show_steps(struct seq_file *m, int op,
			   const struct shp_steps *st)
{
	const struct {
		bool on;
		const char *name;
	} steps[] = {
		{ st->expand, "expand" },
		{ st->validate, "validate" },
		{ st->execute, "execute+undo" },
		{ st->retry, "retry" },
		{ st->commit, "commit" },
	};
	char sep = ':';
	unsigned int i;

	seq_printf(m, " %s", shp_op_name(op));
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		if (!steps[i].on)
			continue;
		seq_printf(m, "%c%s", sep, steps[i].name);
		sep = ',';
	}
}

static int shp_handlers_show(struct seq_file *m, void *unused)
{
	struct shp_sequencer *seq = m->private;
	const struct shp_steps *st;
	struct shp_handler *h;
	int s, op;

	mutex_lock(&seq->handlers_lock);
	for (s = 0; s < SHP_NR_STAGES; s++) {
		list_for_each_entry(h, &seq->stages[s], node) {
			seq_printf(m, "%d %s classes=%#x", s, h->name,
				   h->classes);
			for (op = 0; op < SHP_NR_OPS; op++) {
				st = h->steps[op];
				if (st)
					shp_show_steps(m, op, st);
			}
			seq_putc(m, '\n');
		}
	}
	mutex_unlock(&seq->handlers_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(shp_handlers);

/*
 * A number of the request file: digits only (no sign, no space), in @base
 * (0: also 0x for hexadecimal and a leading 0 for octal), that fits.
 */
static int shp_parse_u64(const char *s, unsigned int base, u64 *v)
{
	if (!isdigit(*s))
		return -EINVAL;
	return kstrtou64(s, base, v) ? -EINVAL : 0;
}

static int shp_parse_ulong(const char *s, unsigned long *v)
{
	u64 val;

	if (shp_parse_u64(s, 10, &val) || val > ULONG_MAX)
		return -EINVAL;
	*v = val;
	return 0;
}

#ifdef CONFIG_MEMORY_HOTPLUG
/*
 * The memory block device memory@id, held, in @dev: 0, -ENODEV, or
 * -ERESTARTNOINTR while a request holds device_hotplug_lock (the lookup is
 * made under it, taken as sysfs writers take it, so that the write can be
 * interrupted and is restarted).
 */
static int shp_find_memory_block(unsigned long id, struct device **dev)
{
	struct memory_block *mem;
	u64 start;
	int ret;

	*dev = NULL;
	/* A block number past the physical address space names nothing. */
	if (check_mul_overflow((u64)id, (u64)memory_block_size_bytes(), &start) ||
	    PHYS_PFN(start) > PHYS_PFN(PHYSMEM_END))
		return -ENODEV;
	ret = lock_device_hotplug_sysfs();
	if (ret)
		return ret;
	mem = find_memory_block(pfn_to_section_nr(PHYS_PFN(start)));
	unlock_device_hotplug();
	if (!mem)
		return -ENODEV;
	*dev = &mem->dev;
	return 0;
}

/* The physical range [@start, @end) that memory target @t covers. */
static void shp_memory_span(const struct shp_target *t, u64 *start, u64 *end)
{
	const struct memory_block *mem;

	if (!t->dev) {
		*start = t->mem.start;
		*end = t->mem.start + t->mem.size;
		return;
	}
	mem = container_of(t->dev, struct memory_block, dev);
	*start = PFN_PHYS(section_nr_to_pfn(mem->start_section_nr));
	*end = *start + memory_block_size_bytes();
}
#else
static int shp_find_memory_block(unsigned long id, struct device **dev)
{
	*dev = NULL;
	return -ENODEV;
}

static void shp_memory_span(const struct shp_target *t, u64 *start, u64 *end)
{
	*start = t->mem.start;
	*end = t->mem.start + t->mem.size;
}
#endif

#ifdef CONFIG_SYS_HOTPLUG_RAW_RANGES
/*
 * "mem:START+SIZE[@NID]": a physical memory range, for add (on node NID)
 * and remove; for testing (CONFIG_SYS_HOTPLUG_RAW_RANGES). The memory
 * stage refuses a range that a driver owns.
 */
static int shp_parse_range(struct shp_request *req, char *spec)
{
	char *size = strchr(spec, '+'), *node = NULL;
	struct shp_target *t;
	u64 start, len, end, nid = NUMA_NO_NODE;

	if (req->op != SHP_OP_HOT_ADD && req->op != SHP_OP_HOT_REMOVE)
		return -EINVAL;
	if (!size)
		return -EINVAL;
	*size++ = '\0';
	node = strchr(size, '@');
	if (node) {
		*node++ = '\0';
		/* The node of a range that exists is its blocks'. */
		if (req->op != SHP_OP_HOT_ADD ||
		    shp_parse_u64(node, 0, &nid) || nid >= MAX_NUMNODES)
			return -EINVAL;
	}
	if (shp_parse_u64(spec, 0, &start) || shp_parse_u64(size, 0, &len) ||
	    !len || check_add_overflow(start, len, &end))
		return -EINVAL;
	t = shp_request_add_targets(req, 1);
	if (!t)
		return -ENOMEM;
	t->class = SHP_CLASS_MEMORY;
	t->mem.start = start;
	t->mem.size = len;
	t->nid = (int)nid;
	return 0;
}
#else
static int shp_parse_range(struct shp_request *req, char *spec)
{
	return -EOPNOTSUPP;
}
#endif

static int shp_match_id(struct device *dev, const void *id)
{
	return dev->id == *(const unsigned long *)id;
}

/*
 * The CPU or memory block device called @name ("cpu3", "memory32"), held,
 * in @dev: 0, -EINVAL for a name that is not one, -ENODEV for one that
 * does not exist, or -ERESTARTNOINTR (see shp_find_memory_block()).
 */
static int shp_find_device(const char *name, enum shp_class *class,
			   struct device **dev)
{
	unsigned long id;

	*dev = NULL;
	if (!strncmp(name, "cpu", 3)) {
		if (shp_parse_ulong(name + 3, &id))
			return -EINVAL;
		*class = SHP_CLASS_CPU;
		/* Held through the bus, safe against a CPU being unregistered. */
		*dev = id < nr_cpu_ids ?
		       bus_find_device(&cpu_subsys, NULL, &id, shp_match_id) :
		       NULL;
		return *dev ? 0 : -ENODEV;
	}
	if (!strncmp(name, "memory", 6)) {
		if (shp_parse_ulong(name + 6, &id))
			return -EINVAL;
		*class = SHP_CLASS_MEMORY;
		return shp_find_memory_block(id, dev);
	}
	return -EINVAL;
}

/* "memoryN-M": every block from N to M, in that order. */
static int shp_parse_blocks(struct shp_request *req, char *spec)
{
	char *dash = strchr(spec, '-');
	unsigned long first, last, id;
	struct shp_target *t;
	struct device *dev;
	int ret;

	*dash++ = '\0';
	if (shp_parse_ulong(spec, &first) || shp_parse_ulong(dash, &last) ||
	    last < first)
		return -EINVAL;
	if (last - first >= SHP_DEBUGFS_MAX_BLOCKS)
		return -E2BIG;
	t = shp_request_add_targets(req, last - first + 1);
	if (!t)
		return -ENOMEM;
	for (id = first; id <= last; id++, t++) {
		t->class = SHP_CLASS_MEMORY;
		ret = shp_find_memory_block(id, &dev);
		if (ret)
			return ret;
		shp_target_set_device(t, dev);
		put_device(dev);
	}
	return 0;
}

/* One word of a request line as one or more targets. */
static int shp_parse_target(struct shp_request *req, char *word)
{
	enum shp_class class = SHP_NR_CLASSES;
	struct shp_target *t;
	struct device *dev;
	unsigned long nid;
	int ret;

	if (!strncmp(word, "mem:", 4))
		return shp_parse_range(req, word + 4);
	if (!strncmp(word, "memory", 6) && strchr(word, '-'))
		return shp_parse_blocks(req, word + 6);
	t = shp_request_add_targets(req, 1);
	if (!t)
		return -ENOMEM;
	if (!strncmp(word, "node", 4)) {
		if (shp_parse_ulong(word + 4, &nid) || nid >= MAX_NUMNODES)
			return -EINVAL;
		t->class = SHP_CLASS_NODE;
		t->nid = nid;
		return 0;
	}
	ret = shp_find_device(word, &class, &dev);
	t->class = class;
	if (ret)
		return ret;
	shp_target_set_device(t, dev);
	put_device(dev);
	return 0;
}

/* Whether targets @a and @b name the same device, node or memory. */
static bool shp_same_target(const struct shp_target *a,
			    const struct shp_target *b)
{
	u64 a_start, a_end, b_start, b_end;

	if (a->class != b->class)
		return false;
	if (a->class == SHP_CLASS_MEMORY) {
		/* Blocks and ranges: any overlap. */
		shp_memory_span(a, &a_start, &a_end);
		shp_memory_span(b, &b_start, &b_end);
		return a_start < b_end && b_start < a_end;
	}
	if (a->dev || b->dev)
		return a->dev == b->dev;
	return a->class == SHP_CLASS_NODE && a->nid == b->nid;
}

/* A request that names something twice is refused before validate. */
static bool shp_named_twice(const struct shp_request *req)
{
	unsigned int i, j;

	for (i = 0; i < req->nr_targets; i++)
		for (j = 0; j < i; j++)
			if (shp_same_target(req->targets[i], req->targets[j]))
				return true;
	return false;
}

static const char * const shp_request_ops[SHP_NR_OPS] = {
	[SHP_OP_HOT_ADD] = "add",
	[SHP_OP_HOT_REMOVE] = "remove",
	[SHP_OP_ONLINE] = "online",
	[SHP_OP_OFFLINE] = "offline",
};

/*
 * sys_hotplug/request: "[validate] OP TARGET..." runs one request and
 * returns its errno; the history shows the rest. OP is online (also
 * online_kernel and online_movable, for memory blocks), offline, add or
 * remove; a TARGET is cpuN, memoryN, memoryN-M (blocks N to M),
 * mem:START+SIZE[@NID] (a physical range) or nodeN. "abort ID" aborts
 * request ID, running or queued (-ESRCH if it is neither). For operators and tests; the
 * grammar and its errors are in Documentation/driver-api/sys_hotplug.rst.
 * A request has at most SHP_DEBUGFS_MAX_BLOCKS targets, so that checking
 * them stays cheap.
 */
static ssize_t shp_request_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct shp_request *req = NULL;
	unsigned int flags = 0, i;
	int op, ret, online_type = -1;
	char *buf, *p, *word;

	if (count > PAGE_SIZE)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	p = strim(buf);
	if (!strncmp(p, "abort", 5) && (!p[5] || isspace(p[5]))) {
		u64 id;

		p = skip_spaces(p + 5);
		ret = shp_parse_u64(p, 10, &id) ?:
		      shp_sequencer_abort(file->private_data, id);
		goto out;
	}
	word = strsep(&p, " \t\n");
	if (word && !strcmp(word, "validate")) {
		flags = SHP_REQ_VALIDATE_ONLY;
		/* Any run of blanks separates words. */
		do {
			word = strsep(&p, " \t\n");
		} while (word && !*word);
	}
	ret = -EINVAL;
	/* Memory's online types pick the zone, as memoryN/state does. */
	if (word && !strcmp(word, "online_kernel"))
		online_type = MMOP_ONLINE_KERNEL;
	else if (word && !strcmp(word, "online_movable"))
		online_type = MMOP_ONLINE_MOVABLE;
	if (online_type >= 0)
		op = SHP_OP_ONLINE;
	else
		op = word ? match_string(shp_request_ops, SHP_NR_OPS, word) : -EINVAL;
	if (op < 0)
		goto out;
	ret = -ENOMEM;
	req = shp_request_alloc(op, SHP_ORIGIN_KERNEL, 0, GFP_KERNEL);
	if (!req)
		goto out;
	req->flags = flags;
	while ((word = strsep(&p, " \t\n"))) {
		if (!*word)
			continue;
		ret = shp_parse_target(req, word);
		if (!ret && req->nr_targets > SHP_DEBUGFS_MAX_BLOCKS)
			ret = -E2BIG;
		if (ret)
			goto out;
	}
	ret = -EINVAL;
	if (!req->nr_targets || shp_named_twice(req))
		goto out;
	for (i = 0; i < req->nr_targets; i++) {
		bool block = req->targets[i]->class == SHP_CLASS_MEMORY &&
			     req->targets[i]->dev;

		/* A zone means something for memory blocks only. */
		if (online_type >= 0 && !block)
			goto out;
		if (!shp_handles(req->targets[i]->class, op)) {
			ret = -EOPNOTSUPP;
			goto out;
		}
		if (block)
			req->targets[i]->mem.online_type = online_type;
	}
	ret = shp_submit_wait(req);
out:
	shp_request_put(req);
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations shp_request_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = shp_request_write,
	.llseek = default_llseek,
};

/* The files of @seq; @requests: also the request file (real devices). */
void shp_debugfs_init(struct shp_sequencer *seq, bool requests)
{
	seq->dir = debugfs_create_dir(seq->name, NULL);
	debugfs_create_file("history", 0400, seq->dir, seq, &shp_history_fops);
	debugfs_create_file("queue", 0400, seq->dir, seq, &shp_queue_fops);
	debugfs_create_file("handlers", 0400, seq->dir, seq,
			    &shp_handlers_fops);
	if (requests)
		debugfs_create_file("request", 0200, seq->dir, seq,
				    &shp_request_fops);
}
