// SPDX-License-Identifier: GPL-2.0
/*
 * What the system device hot-plug sequencer shows and takes in debugfs:
 * the history of the last requests, the queue, the handlers, and the
 * request file, whose grammar names CPUs, memory blocks, ranges and nodes.
 * See Documentation/driver-api/sys_hotplug.rst.
 */

#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sys_hotplug.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

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
		else if (t->class == SHP_CLASS_CPU && t->cpu >= 0)
			len += scnprintf(buf + len, size - len, "cpu%d",
					 t->cpu);
		else
			len += scnprintf(buf + len, size - len, "(firmware)");
	}
	if (req->nr_targets > n)
		len += scnprintf(buf + len, size - len, " (+%u more)",
				 req->nr_targets - n);
	return len;
}

/*
 * One history entry, into @buf of SHP_RECORD_SIZE bytes: a summary line,
 * then one line per report. Return: its length.
 */
static size_t shp_format_record(const struct shp_request *req, u64 wait_ns,
				u64 run_ns, char *buf)
{
	const size_t size = SHP_RECORD_SIZE;
	struct shp_report *r;
	unsigned int n = 0;
	int len;

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
		len += scnprintf(buf + len, size - len,
				 "  (+%u more reports)\n",
				 req->p->nr_reports + req->p->nr_dropped -
				 SHP_HISTORY_REPORTS);
	return len;
}

/* Keep the record of @req, which has ended, in the history of @seq. */
void shp_history_add(struct shp_sequencer *seq, struct shp_request *req,
		     u64 wait_ns, u64 run_ns)
{
	struct shp_record *rec;
	size_t len;
	char *text;

	if (!seq->history_len)
		return;
	mutex_lock(&seq->history_lock);
	len = shp_format_record(req, wait_ns, run_ns, seq->record_buf);
	rec = &seq->history[seq->history_next];
	seq->history_next = (seq->history_next + 1) % seq->history_len;
	/*
	 * The record this one replaces lends its buffer, which is most often
	 * large enough: no allocation per request once the ring is full.
	 */
	text = krealloc(rec->text, len + 1, GFP_KERNEL);
	if (text)
		memcpy(text, seq->record_buf, len + 1);
	else
		kfree(rec->text);
	rec->id = req->id;
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

	mutex_lock(&seq->list_lock);
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
	mutex_unlock(&seq->list_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(shp_handlers);

/**
 * shp_parse_u64 - read a number of the debugfs request file
 * @s: the text, NUL-terminated
 * @base: as for kstrtou64(): 0 also takes 0x for hexadecimal and a leading
 *	0 for octal
 * @v: where to store the number
 *
 * For handlers' &shp_handler.parse: a number in the request file is digits
 * only (no sign, no space) and fits in 64 bits.
 *
 * Context: any context.
 *
 * Return: 0, or -EINVAL for anything else.
 */
int shp_parse_u64(const char *s, unsigned int base, u64 *v)
{
	if (!isdigit(*s))
		return -EINVAL;
	return kstrtou64(s, base, v) ? -EINVAL : 0;
}
EXPORT_SYMBOL_IF_KUNIT(shp_parse_u64);

/* Whether target @i of @req names a device or node an earlier one names. */
static bool shp_named_before(const struct shp_request *req, unsigned int i)
{
	const struct shp_target *t = req->targets[i], *o;
	unsigned int j;

	for (j = 0; j < i; j++) {
		o = req->targets[j];
		if (o->class != t->class)
			continue;
		if (t->class == SHP_CLASS_CPU && t->cpu >= 0) {
			if (o->cpu == t->cpu)
				return true;
		} else if (t->dev ? o->dev == t->dev :
			   t->class == SHP_CLASS_NODE && !o->dev &&
			   o->nid == t->nid) {
			return true;
		}
	}
	return false;
}

/* One word, read by the first handler, in stage order, that knows it. */
static int shp_parse_word(struct shp_sequencer *seq, struct shp_request *req,
			  char *word, const char *how)
{
	struct shp_handler *h;
	int s, ret;

	for (s = 0; s < SHP_NR_STAGES; s++) {
		list_for_each_entry(h, &seq->stages[s], node) {
			if (!h->parse || READ_ONCE(h->unregistering))
				continue;
			ret = h->parse(h, req, word, how);
			if (ret != -ENOENT)
				return ret;
		}
	}
	/* Not in the grammar. */
	return -EINVAL;
}

/*
 * The words after the operation, as targets. Under the list lock only,
 * not handlers_lock, which a running request holds: a request for CPUs
 * or nodes is queued behind a running one (a memory block's lookup takes
 * device_hotplug_lock, so a write that names one is restarted until the
 * running request ends, as a sysfs write is).
 */
VISIBLE_IF_KUNIT int shp_parse_targets(struct shp_sequencer *seq,
				       struct shp_request *req, char *p,
				       const char *how)
{
	unsigned int from;
	char *word;
	int ret = 0;

	mutex_lock(&seq->list_lock);
	while (!ret && (word = strsep(&p, " \t\n"))) {
		if (!*word)
			continue;
		from = req->nr_targets;
		ret = shp_parse_word(seq, req, word, how);
		if (!ret && req->nr_targets > SHP_PARSE_MAX_TARGETS)
			ret = -E2BIG;
		/* A handler knows its own overlaps; a device named twice: */
		for (; !ret && from < req->nr_targets; from++)
			if (shp_named_before(req, from))
				ret = -EINVAL;
	}
	mutex_unlock(&seq->list_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(shp_parse_targets);

static const char * const shp_request_ops[SHP_NR_OPS] = {
	[SHP_OP_HOT_ADD] = "add",
	[SHP_OP_HOT_REMOVE] = "remove",
	[SHP_OP_ONLINE] = "online",
	[SHP_OP_OFFLINE] = "offline",
};

/*
 * sys_hotplug/request: "[validate] OP TARGET..." runs one request and
 * returns its errno; the history shows the rest. OP is online, offline,
 * add or remove, or online_TYPE for memory blocks (online_kernel,
 * online_movable, as a block's state file takes them); the handlers read
 * the targets (cpuN, memoryN, memoryN-M, mem:START+SIZE[@NID], nodeN).
 * "abort ID" aborts request ID, running or queued (-ESRCH if it is
 * neither). For operators and tests; the grammar and its errors are in
 * Documentation/driver-api/sys_hotplug.rst.
 */
static ssize_t shp_request_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct shp_sequencer *seq = file->private_data;
	struct shp_request *req = NULL;
	unsigned int flags = 0, i;
	const char *how = NULL;
	char *buf, *p, *word;
	int op, ret;

	if (count > PAGE_SIZE)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	p = strim(buf);
	if (!strncmp(p, "abort", 5) && (!p[5] || isspace(p[5]))) {
		u64 id;

		p = skip_spaces(p + 5);
		ret = shp_parse_u64(p, 10, &id) ?: shp_sequencer_abort(seq, id);
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
	if (!word)
		goto out;
	/* "online_movable": online, and the handlers read what follows. */
	if (!strncmp(word, "online_", 7)) {
		how = word;
		op = SHP_OP_ONLINE;
	} else {
		op = match_string(shp_request_ops, SHP_NR_OPS, word);
		if (op < 0)
			goto out;
	}
	ret = -ENOMEM;
	req = shp_request_alloc(op, SHP_ORIGIN_KERNEL, 0, GFP_KERNEL);
	if (!req)
		goto out;
	req->flags = flags;
	ret = shp_parse_targets(seq, req, p, how);
	if (!ret && !req->nr_targets)
		ret = -EINVAL;
	for (i = 0; !ret && i < req->nr_targets; i++)
		if (!shp_handles(req->targets[i]->class, op))
			ret = -EOPNOTSUPP;
	if (!ret)
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
