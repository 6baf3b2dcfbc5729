/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kcall tracepoints: one event per operation, under
 * /sys/kernel/tracing/events/kcall/, each recording the caller's process
 * id (global, as tracing sees the whole machine), the argument and the
 * result (a negative errno when the call failed).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kcall

#if !defined(_KCALL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KCALL_TRACE_H

#include <linux/tracepoint.h>

#include <kcall.h>

#define kcall_show_op(op)						\
	__print_symbolic(op,						\
		{ KCALL_CMD_GOODBYE, "goodbye" },			\
		{ KCALL_CMD_SHOWPARAMS, "showparams" },			\
		{ KCALL_CMD_RETPARAM, "retparam" },			\
		{ KCALL_CMD_RETPID, "retpid" },				\
		{ KCALL_CMD_TASKCOUNT, "taskcount" },			\
		{ KCALL_CMD_MESSAGE, "message" },			\
		{ KCALL_CMD_STATS, "stats" },				\
		{ KCALL_CMD_STATS_RESET, "stats_reset" },		\
		{ KCALL_CMD_VERSION, "version" })

DECLARE_EVENT_CLASS(kcall_op_template,
		    TP_PROTO(unsigned int op, pid_t pid, s64 arg, s64 result),
		    TP_ARGS(op, pid, arg, result),
		    TP_STRUCT__entry(__field(unsigned int, op)
				     __field(pid_t, pid)
				     __field(s64, arg)
				     __field(s64, result)),
		    TP_fast_assign(__entry->op = op;
				   __entry->pid = pid;
				   __entry->arg = arg;
				   __entry->result = result;),
		    TP_printk("op=%s pid=%d arg=%lld result=%lld",
			      kcall_show_op(__entry->op), __entry->pid,
			      __entry->arg, __entry->result)
);

#define KCALL_DEFINE_EVENT(name)					\
	DEFINE_EVENT(kcall_op_template, kcall_##name,			\
		TP_PROTO(unsigned int op, pid_t pid, s64 arg, s64 result),\
		TP_ARGS(op, pid, arg, result))

KCALL_DEFINE_EVENT(goodbye);
KCALL_DEFINE_EVENT(showparams);
KCALL_DEFINE_EVENT(retparam);
KCALL_DEFINE_EVENT(retpid);
KCALL_DEFINE_EVENT(taskcount);
KCALL_DEFINE_EVENT(message);
KCALL_DEFINE_EVENT(stats);
KCALL_DEFINE_EVENT(stats_reset);
KCALL_DEFINE_EVENT(version);

#endif /* _KCALL_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE kcall_trace
#include <trace/define_trace.h>
