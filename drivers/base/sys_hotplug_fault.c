// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection for the system device hot-plug sequencer: any step of
 * any request can be made to fail (or, for execute, to wait), filtered by
 * handler and phase, through debugfs sys_hotplug/fail/ on the standard
 * fault-injection framework. See Documentation/driver-api/sys_hotplug.rst.
 */

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sys_hotplug.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "sys_hotplug_internal.h"

bool shp_should_fail(struct shp_sequencer *seq, const struct shp_handler *h,
		     unsigned int point)
{
	struct shp_fault *f = &seq->fail;
	bool match;

	spin_lock(&f->lock);
	match = (f->phases & BIT(point)) &&
		(!f->handler[0] || !strcmp(f->handler, h->name));
	spin_unlock(&f->lock);
	return match && should_fail(&f->attr, 1);
}

int shp_fault_errno(struct shp_sequencer *seq)
{
	u32 err = READ_ONCE(seq->fail.err);

	return err && err < MAX_ERRNO ? -(int)err : -EIO;
}

unsigned int shp_fault_delay(struct shp_sequencer *seq)
{
	return READ_ONCE(seq->fail.delay_ms);
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * shp_fault_attr - the fault_attr of a sequencer
 * @seq: the sequencer
 *
 * Return: what debugfs sys_hotplug/fail/ configures (probability, times...).
 */
VISIBLE_IF_KUNIT struct fault_attr *shp_fault_attr(struct shp_sequencer *seq)
{
	return &seq->fail.attr;
}
EXPORT_SYMBOL_IF_KUNIT(shp_fault_attr);

/**
 * shp_fault_set_errno - set the errno an injected fault returns
 * @seq: the sequencer
 * @err: positive errno; 0 or out of range means EIO
 */
VISIBLE_IF_KUNIT void shp_fault_set_errno(struct shp_sequencer *seq, u32 err)
{
	WRITE_ONCE(seq->fail.err, err);
}
EXPORT_SYMBOL_IF_KUNIT(shp_fault_set_errno);
#endif

/**
 * shp_fault_set_handler - parse a write to sys_hotplug/fail/handler
 * @seq: the sequencer
 * @buf: a handler name, or empty, "*" or "any" for every handler
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int shp_fault_set_handler(struct shp_sequencer *seq,
					   const char *buf)
{
	char name[SHP_NAME_LEN];
	size_t len = strcspn(buf, "\n");

	/* One word, and nothing after its newline. */
	if (len >= sizeof(name) || strpbrk(buf, " \t") ||
	    (buf[len] && buf[len + 1]))
		return -EINVAL;
	memcpy(name, buf, len);
	name[len] = '\0';
	if (!strcmp(name, "*") || !strcmp(name, "any"))
		name[0] = '\0';
	spin_lock(&seq->fail.lock);
	strscpy(seq->fail.handler, name, sizeof(seq->fail.handler));
	spin_unlock(&seq->fail.lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(shp_fault_set_handler);

/**
 * shp_fault_set_phases - parse a write to sys_hotplug/fail/phase
 * @seq: the sequencer
 * @buf: space-separated list of validate, execute, commit, rollback, or
 *	"any" for all of them
 *
 * Return: 0, or -EINVAL for an unknown word or an empty list.
 */
VISIBLE_IF_KUNIT int shp_fault_set_phases(struct shp_sequencer *seq,
					  const char *buf)
{
	unsigned int mask = 0, all = BIT(SHP_FAULT_ROLLBACK + 1) - 1;
	const char *p = buf;

	while (*p) {
		size_t len;
		int i;

		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (!len)
			break;
		if (len == 3 && !strncmp(p, "any", 3)) {
			mask = all;
		} else {
			for (i = 0; i <= SHP_FAULT_ROLLBACK; i++)
				if (strlen(shp_phase_names[i]) == len &&
				    !strncmp(p, shp_phase_names[i], len))
					break;
			if (i > SHP_FAULT_ROLLBACK)
				return -EINVAL;
			mask |= BIT(i);
		}
		p += len;
	}
	if (!mask)
		return -EINVAL;
	spin_lock(&seq->fail.lock);
	seq->fail.phases = mask;
	spin_unlock(&seq->fail.lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(shp_fault_set_phases);

/* A write to a fail/ file, given whole to @set. */
static ssize_t shp_fault_store(struct file *file, const char __user *ubuf,
			       size_t count,
			       int (*set)(struct shp_sequencer *seq,
					  const char *buf))
{
	struct seq_file *m = file->private_data;
	char buf[64];
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	ret = set(m->private, buf);
	return ret ? ret : count;
}

static int shp_fault_handler_show(struct seq_file *m, void *unused)
{
	struct shp_sequencer *seq = m->private;

	spin_lock(&seq->fail.lock);
	seq_printf(m, "%s\n", seq->fail.handler[0] ? seq->fail.handler : "any");
	spin_unlock(&seq->fail.lock);
	return 0;
}

static ssize_t shp_fault_handler_write(struct file *file,
				       const char __user *ubuf, size_t count,
				       loff_t *ppos)
{
	return shp_fault_store(file, ubuf, count, shp_fault_set_handler);
}
DEFINE_SHOW_STORE_ATTRIBUTE(shp_fault_handler);

static int shp_fault_phase_show(struct seq_file *m, void *unused)
{
	struct shp_sequencer *seq = m->private;
	const char *sep = "";
	int i;

	spin_lock(&seq->fail.lock);
	for (i = 0; i <= SHP_FAULT_ROLLBACK; i++) {
		if (seq->fail.phases & BIT(i)) {
			seq_printf(m, "%s%s", sep, shp_phase_names[i]);
			sep = " ";
		}
	}
	spin_unlock(&seq->fail.lock);
	seq_putc(m, '\n');
	return 0;
}

static ssize_t shp_fault_phase_write(struct file *file,
				     const char __user *ubuf, size_t count,
				     loff_t *ppos)
{
	return shp_fault_store(file, ubuf, count, shp_fault_set_phases);
}
DEFINE_SHOW_STORE_ATTRIBUTE(shp_fault_phase);

void shp_fault_init(struct shp_sequencer *seq)
{
	struct dentry *dir;

	seq->fail.attr = (struct fault_attr)FAULT_ATTR_INITIALIZER;
	spin_lock_init(&seq->fail.lock);
	seq->fail.phases = BIT(SHP_PHASE_VALIDATE) | BIT(SHP_PHASE_EXECUTE) |
			   BIT(SHP_PHASE_COMMIT);
	seq->fail.err = EIO;
	dir = fault_create_debugfs_attr("fail", seq->dir, &seq->fail.attr);
	if (IS_ERR(dir))
		return;
	debugfs_create_file("handler", 0600, dir, seq, &shp_fault_handler_fops);
	debugfs_create_file("phase", 0600, dir, seq, &shp_fault_phase_fops);
	debugfs_create_u32("errno", 0600, dir, &seq->fail.err);
	debugfs_create_u32("delay_ms", 0600, dir, &seq->fail.delay_ms);
}
