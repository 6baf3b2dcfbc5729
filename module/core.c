// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall core: what every call shares, whatever its operation (ops.c) and
 * transport: the caller in logs, privilege, and the end of a call
 * (counters, the tracepoint, events).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <linux/pid.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/user_namespace.h>
#include <kunit/visibility.h>

#include <kcall.h>

#include "kcall_core.h"
#include "kcall_events.h"
#include "kcall_kunit.h"
#include "kcall_stats.h"

#define CREATE_TRACE_POINTS
#include "kcall_trace.h"

/*
 * Copies @len bytes of @src into @dst (@size bytes, NUL-terminated) with
 * every byte that is not printable ASCII, and the quote and backslash
 * themselves, written as \xHH: the text inside quotes can neither end the
 * quotes, nor start a line, nor look like anything but text. Returns the
 * number of source bytes that fit.
 */
size_t kcall_escape(char *dst, size_t size, const char *src, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = src[i];
		bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';

		if (o + (plain ? 1 : 4) >= size)
			break;
		if (plain) {
			dst[o++] = c;
			continue;
		}
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 0xf];
	}
	dst[o] = '\0';
	return i;
}
EXPORT_SYMBOL_IF_KUNIT(kcall_escape);

void kcall_caller_comm(char *comm)
{
	const struct task_struct *task = current;

	/* Not the worker's own "iou-wrk-<pid>": the process it works for. */
	if (task->flags & PF_IO_WORKER)
		task = task->group_leader;
	/* As get_task_comm(): a rename may race, the copy ends in NUL. */
	strscpy_pad(comm, task->comm, TASK_COMM_LEN);
}

/*
 * Log lines start with the caller, so that nothing the caller chose (its
 * text, its comm, both escaped and quoted) can push it out of the record
 * or stand in front of it: "kcall: [pid 213 comm \"kcall-raw\"] ...". The
 * kernel log is the host's, so the pid is the one of the initial pid
 * namespace; a caller in another pid namespace also shows the pid it has
 * there ("[pid 4711 nspid 1 comm ...]"). Rate limited per call site
 * (printk's default: 10 lines per 5 s) so that no user can flood the log.
 */
void kcall_log_caller(const char *fmt, ...)
{
	char comm[TASK_COMM_LEN * 4 + 1], raw[TASK_COMM_LEN];
	pid_t pid = task_tgid_nr(current), nspid = task_tgid_vnr(current);
	struct va_format vaf;
	va_list va;

	kcall_caller_comm(raw);
	kcall_escape(comm, sizeof(comm), raw, strnlen(raw, sizeof(raw)));
	va_start(va, fmt);
	vaf.fmt = fmt;
	vaf.va = &va;
	if (nspid != pid)
		pr_info("[pid %d nspid %d comm \"%s\"] %pV\n", pid, nspid, comm,
			&vaf);
	else
		pr_info("[pid %d comm \"%s\"] %pV\n", pid, comm, &vaf);
	va_end(va);
}

/*
 * As netlink_capable() for GENL_ADMIN_PERM: the caller must hold @cap in
 * the initial user namespace, and so must whoever opened the socket or the
 * device it calls through, so that a privileged process cannot be tricked
 * into writing to a descriptor an unprivileged one opened and passed it
 * (CVE-2014-0181 for netlink).
 */
bool kcall_capable(const struct kcall_args *args, int cap)
{
	if (args->skb)
		return netlink_capable(args->skb, cap);
	return args->file && file_ns_capable(args->file, &init_user_ns, cap) &&
	       capable(cap);
}

/* kcall_finish(), with the listener check made by the caller (@events). */
static __always_inline void kcall_finish_events(const struct kcall_op *op,
						const struct kcall_args *args,
						int ret, bool events)
{
	s64 arg;

	/* What every call shares: its counters, trace event and netlink event. */
	kcall_stats_account(op->index, ret);
	/* An op that takes a text reports its length as its argument. */
	arg = op->in_max ? (s64)args->text_len : (s64)args->argv[0];
	trace_kcall_call(op->name, current->tgid, arg,
			 ret ? ret : (s64)args->result);
	if (events)
		kcall_event_send(op, args, arg, ret);
}

void kcall_finish(const struct kcall_op *op, const struct kcall_args *args,
		  int ret)
{
	kcall_finish_events(op, args, ret, kcall_event_wanted(args));
}

void kcall_batch_finish_records(const struct kcall_record *recs, size_t n,
				struct kcall_args *tmpl, int fail)
{
	bool events = kcall_event_wanted(tmpl);
	size_t i;

	for (i = 0; i < n; i++) {
		if (!recs[i].op)
			continue;	/* nothing ran */
		tmpl->argv[0] = (s64)recs[i].arg;
		tmpl->result = recs[i].result;
		kcall_finish_events(recs[i].op, tmpl, fail ? fail : recs[i].err,
				    events);
	}
}
