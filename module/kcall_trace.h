/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcall tracepoint: one event, kcall_call, under
 * /sys/kernel/tracing/events/kcall/, for every call of any operation. It
 * records the operation by name (a string field, so that a filter can say
 * op == "retparam"), the caller's process id (global, as tracing sees the
 * whole machine; common_pid is the thread id), the argument and the result
 * (a negative errno when the call failed).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kcall

#if !defined(_KCALL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KCALL_TRACE_H

#include <linux/tracepoint.h>

#include "kcall_compat.h"

TRACE_EVENT(kcall_call,
	    TP_PROTO(const char *op, pid_t pid, s64 arg, s64 result),
	    TP_ARGS(op, pid, arg, result),
	    TP_STRUCT__entry(__string(op, op)
			     __field(pid_t, pid)
			     __field(s64, arg)
			     __field(s64, result)),
	    TP_fast_assign(kcall_assign_str(op, op);
			   __entry->pid = pid;
			   __entry->arg = arg;
			   __entry->result = result;),
	    TP_printk("op=%s pid=%d arg=%lld result=%lld", __get_str(op),
		      __entry->pid, __entry->arg, __entry->result)
);

#endif /* _KCALL_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE kcall_trace
#include <trace/define_trace.h>
