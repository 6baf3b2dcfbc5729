// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall call counters.
 *
 * Each CPU counts the calls it runs in its own per-CPU block, so the hot
 * path is one local increment and callers on different CPUs never share a
 * cache line. Readers sum the blocks. A reset never writes another CPU's
 * block (that would race with its increments): it records the current
 * sums as a baseline that readers subtract.
 */
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "kcall_stats.h"

DEFINE_PER_CPU(struct kcall_counters, kcall_counters);

/* Sums at the last reset; guarded by kcall_stats_lock. */
static struct kcall_counters kcall_baseline;
static DEFINE_MUTEX(kcall_stats_lock);

/* Caller holds kcall_stats_lock. */
static void kcall_stats_sum(struct kcall_counters *sum)
{
	int cpu, op;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct kcall_counters *c = per_cpu_ptr(&kcall_counters, cpu);

		for (op = 0; op < KCALL_NR_OPS; op++) {
			sum->calls[op] += READ_ONCE(c->calls[op]);
			sum->failures[op] += READ_ONCE(c->failures[op]);
		}
	}
}

void kcall_stats_read(struct kcall_op_stats *out)
{
	struct kcall_counters sum;
	int op;

	mutex_lock(&kcall_stats_lock);
	kcall_stats_sum(&sum);
	for (op = 0; op < KCALL_NR_OPS; op++) {
		out[op] = (struct kcall_op_stats) {
			.op = kcall_own_ops[op].nr,
			.calls = sum.calls[op] - kcall_baseline.calls[op],
			.failures = sum.failures[op] - kcall_baseline.failures[op],
		};
	}
	mutex_unlock(&kcall_stats_lock);
}

void kcall_stats_zero(void)
{
	mutex_lock(&kcall_stats_lock);
	kcall_stats_sum(&kcall_baseline);
	mutex_unlock(&kcall_stats_lock);
}

/* sysfs: /sys/class/misc/kcall/stats/<op>_calls and <op>_failures */
struct kcall_stat_attr {
	struct device_attribute dev_attr;
	char name[32];
	unsigned int index;	/* the op's entry in kcall_stats_read()'s */
	bool failures;
};

static ssize_t kcall_stat_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	const struct kcall_stat_attr *sa =
		container_of(attr, struct kcall_stat_attr, dev_attr);
	struct kcall_op_stats all[KCALL_NR_OPS];
	const struct kcall_op_stats *s = &all[sa->index];

	kcall_stats_read(all);
	return sysfs_emit(buf, "%llu\n", sa->failures ? s->failures : s->calls);
}

static struct kcall_stat_attr kcall_stat_attrs[2 * KCALL_NR_OPS];
static struct attribute *kcall_stat_attr_ptrs[2 * KCALL_NR_OPS + 1];

static const struct attribute_group kcall_stats_group = {
	.name = "stats",
	.attrs = kcall_stat_attr_ptrs,
};

const struct attribute_group *kcall_stats_groups[] = {
	&kcall_stats_group,
	NULL,
};

/* Names come from the op table, so the files exist for every op we have. */
void kcall_stats_init(void)
{
	int op, i = 0;

	for (op = 0; op < KCALL_NR_OPS; op++) {
		int f;

		for (f = 0; f < 2; f++, i++) {
			struct kcall_stat_attr *sa = &kcall_stat_attrs[i];

			snprintf(sa->name, sizeof(sa->name), "%s_%s",
				 kcall_own_ops[op].name, f ? "failures" : "calls");
			sysfs_attr_init(&sa->dev_attr.attr);
			sa->dev_attr.attr.name = sa->name;
			sa->dev_attr.attr.mode = 0444;
			sa->dev_attr.show = kcall_stat_show;
			sa->index = op;
			sa->failures = f;
			kcall_stat_attr_ptrs[i] = &sa->dev_attr.attr;
		}
	}
}
