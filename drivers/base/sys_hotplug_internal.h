/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private instances of the system device hot-plug sequencer, for the core
 * and its KUnit suite only.
 */
#ifndef _DRIVERS_BASE_SYS_HOTPLUG_INTERNAL_H
#define _DRIVERS_BASE_SYS_HOTPLUG_INTERNAL_H

#include <linux/sys_hotplug.h>

#if IS_ENABLED(CONFIG_KUNIT)
struct fault_attr;

struct shp_sequencer *shp_sequencer_create(const char *name,
					   unsigned int history_len);
void shp_sequencer_destroy(struct shp_sequencer *seq);
int shp_sequencer_register(struct shp_sequencer *seq, struct shp_handler *h);
int shp_sequencer_submit(struct shp_sequencer *seq, struct shp_request *req,
			 u64 *id);
int shp_sequencer_submit_wait(struct shp_sequencer *seq,
			      struct shp_request *req);
int shp_sequencer_abort(struct shp_sequencer *seq, u64 id);
struct shp_sequencer *shp_default_sequencer(void);
char *shp_history_text(struct shp_sequencer *seq);
char *shp_history_record(struct shp_sequencer *seq, u64 id);
long shp_live_objects(void);

#ifdef CONFIG_FAIL_SYS_HOTPLUG
struct fault_attr *shp_fault_attr(struct shp_sequencer *seq);
int shp_fault_set_handler(struct shp_sequencer *seq, const char *buf);
int shp_fault_set_phases(struct shp_sequencer *seq, const char *buf);
void shp_fault_set_errno(struct shp_sequencer *seq, u32 err);
#endif
#endif /* CONFIG_KUNIT */

#endif /* _DRIVERS_BASE_SYS_HOTPLUG_INTERNAL_H */
