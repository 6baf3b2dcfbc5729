// SPDX-License-Identifier: GPL-2.0-only
/*
 * kcall misc character device: /dev/kcall.
 *
 * The ioctl handler only decodes the argument struct, calls the core and
 * encodes the result. Argument structs are size-first and extensible the
 * way iommufd's are: the number carries no size (_IO()), the struct's
 * leading __u32 does, and copy_struct_from_user() zero-fills what an older
 * binary did not pass and rejects (E2BIG) non-zero bytes we do not know.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <kcall.h>

#include "kcall_chardev.h"
#include "kcall_core.h"
#include "kcall_events.h"
#include "kcall_stats.h"

/* What every argument struct starts with. */
struct kcall_ioctl_head {
	u32 size;
	u32 flags;
};

/*
 * Room for the argument of any command: the structs the op-specific code
 * below reads by name, and bytes for the others, which the op table's
 * offsets describe (KCALL_IOC() in ops.c checks that each fits).
 */
union kcall_ioctl_buffer {
	struct kcall_ioctl_head head;
	struct kcall_message message;
	struct kcall_stats stats;
	struct kcall_version version;
	struct kcall_batch batch;
	u8 bytes[KCALL_ABI3_IOC_MAX];
};

/*
 * One ioctl in flight: its command and argument struct. Small on
 * purpose: the stack is zeroed on every call (INIT_STACK_ALL_ZERO), so
 * what only message and stats need lives in their own frames.
 */
struct kcall_ioctl_call {
	const struct kcall_op *op;	/* NULL: KCALL_IOC_BATCH */
	const struct kcall_abi3_ioc *ioc;
	void __user *uarg;
	u32 usize;
	union kcall_ioctl_buffer buf;
};

/*
 * The argument struct, in, for kcall_ioctl_decode(): zero-fills a short
 * struct and refuses (E2BIG) non-zero bytes we do not know. Only the
 * commands with code of their own and callers of other sizes come here;
 * the common case reads the fields it needs (kcall_ioctl_decode_fast()).
 */
static int kcall_ioctl_copy_in(struct kcall_ioctl_call *call)
{
	return copy_struct_from_user(&call->buf, call->ioc->size, call->uarg,
				     call->usize);
}

/* The whole struct, out: buf holds ioc->size bytes (copied in or zeroed). */
static int kcall_ioctl_copy_out(const struct kcall_ioctl_call *call)
{
	if (copy_to_user(call->uarg, &call->buf,
			 min_t(size_t, call->ioc->size, call->usize)))
		return -EFAULT;
	return 0;
}

/*
 * The core's encode step for the commands the table describes: the
 * result field alone goes back, with one put_user() of its size. It lies
 * inside what the caller passed: every struct's first published layout
 * (min_size) ends at or after its result.
 */
static int kcall_ioctl_encode(const struct kcall_args *args, void *ctx)
{
	const struct kcall_ioctl_call *call = ctx;
	void __user *dst = call->uarg + call->ioc->result;

	switch (call->ioc->result_size) {
	case sizeof(u64):
		return put_user(args->result, (u64 __user *)dst);
	case sizeof(u32):
		return put_user((u32)args->result, (u32 __user *)dst);
	}
	return 0;	/* no output */
}

static int kcall_ioctl_version_out(const struct kcall_args *args, void *ctx)
{
	struct kcall_ioctl_call *call = ctx;
	struct kcall_version *arg = &call->buf.version;

	arg->abi_version = KCALL_ABI_VERSION;
	arg->__reserved = 0;
	arg->features = args->result;
	return kcall_ioctl_copy_out(call);
}

/* message: the text is copied in on a stack of its own. */
static noinline int kcall_ioctl_message(struct kcall_ioctl_call *call,
					struct kcall_args *args)
{
	/* One byte more than the longest text: room for its NUL. */
	char text[KCALL_MESSAGE_MAX + 1];
	long len;

	len = strncpy_from_user(text, u64_to_user_ptr(call->buf.message.text),
				sizeof(text));
	if (len < 0)
		return len;
	/* len == sizeof(text): no NUL in time; the core refuses it. */
	args->text = text;
	args->text_len = len;
	return kcall_call(call->op, args, kcall_ioctl_encode, call);
}

static int kcall_ioctl_stats_out(const struct kcall_args *args, void *ctx)
{
	struct kcall_ioctl_call *call = ctx;
	struct kcall_stats *arg = &call->buf.stats;
	size_t n = min_t(size_t, arg->nr_entries, KCALL_NR_OPS);

	if (copy_to_user(u64_to_user_ptr(arg->entries), args->stats,
			 n * sizeof(args->stats[0])))
		return -EFAULT;
	arg->nr_entries = KCALL_NR_OPS;
	return kcall_ioctl_copy_out(call);
}

/* stats: the counters are gathered on a stack of their own. */
static noinline int kcall_ioctl_stats(struct kcall_ioctl_call *call,
				      struct kcall_args *args)
{
	struct kcall_op_stats stats[KCALL_NR_OPS];

	args->stats = stats;
	return kcall_call(call->op, args, kcall_ioctl_stats_out, call);
}

/* Records of a batch read, run and written back this many at a time. */
#define KCALL_BATCH_CHUNK 16

/*
 * A chunk's records, in: only the fields the kernel reads (op, flags,
 * arg), a load each in one user access section. A copy of the whole
 * records would move the outputs too, with a string copy that costs more
 * than the loads at this size.
 */
static int kcall_batch_read(const struct kcall_batch_op __user *u,
			    struct kcall_record *recs, u32 k)
{
	u32 i;

	if (!user_read_access_begin(u, k * sizeof(*u)))
		return -EFAULT;
	for (i = 0; i < k; i++) {
		unsafe_get_user(recs[i].nr, &u[i].op, efault);
		unsafe_get_user(recs[i].flags, &u[i].flags, efault);
		unsafe_get_user(recs[i].arg, &u[i].arg, efault);
	}
	user_read_access_end();
	return 0;
efault:
	user_read_access_end();
	return -EFAULT;
}

/* The outcomes of a chunk's first @k records, out: error and result. */
static int kcall_batch_write(struct kcall_batch_op __user *u,
			     const struct kcall_record *recs, u32 k)
{
	u32 i;

	if (!user_write_access_begin(u, k * sizeof(*u)))
		return -EFAULT;
	for (i = 0; i < k; i++) {
		unsafe_put_user(recs[i].err, &u[i].error, efault);
		unsafe_put_user(recs[i].result, &u[i].result, efault);
	}
	user_write_access_end();
	return 0;
efault:
	user_write_access_end();
	return -EFAULT;
}

/*
 * KCALL_IOC_BATCH: the records in chunks, on a stack of their own. The
 * records of a chunk run, the chunk's outcomes go back at once, and only
 * then are its calls finished, with that write's failure if it failed:
 * an outcome the caller never gets is a failure, as for a single call.
 */
static noinline int kcall_ioctl_batch(struct kcall_ioctl_call *call,
				      struct kcall_args *tmpl)
{
	const struct kcall_batch *b = &call->buf.batch;
	struct kcall_batch __user *ub = call->uarg;
	struct kcall_batch_op __user *urecs = u64_to_user_ptr(b->ops);
	bool keep_going = b->flags & KCALL_BATCH_CONTINUE;
	/*
	 * Not zeroed on entry (INIT_STACK_ALL_ZERO would clear 512 bytes on
	 * every batch): each record is written before it is read.
	 */
	struct kcall_record recs[KCALL_BATCH_CHUNK] __uninitialized;
	u32 done = 0, k;
	size_t ran;
	int ret = 0, wret;

	if (b->flags & ~KCALL_BATCH_CONTINUE)
		return -EINVAL;
	if (b->nr_ops > KCALL_BATCH_MAX)
		return -E2BIG;
	while (done < b->nr_ops) {
		k = min_t(u32, b->nr_ops - done, KCALL_BATCH_CHUNK);
		ret = kcall_batch_read(urecs + done, recs, k);
		if (ret)
			break;
		/* EINTR: a fatal signal stopped the run, after @ran records. */
		ret = kcall_batch_run_records(recs, k, tmpl, keep_going, &ran);
		wret = kcall_batch_write(urecs + done, recs, ran);
		kcall_batch_finish_records(recs, ran, tmpl, wret);
		done += ran;
		if (wret)
			ret = wret;
		if (ret || (recs[ran - 1].err && !keep_going))
			break;
	}
	/* Also after EFAULT or EINTR: the records before the stop ran. */
	if (put_user(done, &ub->nr_ops) && !ret)
		ret = -EFAULT;
	return ret;
}

/*
 * Argument structs carry their size, but no struct of ours comes near a
 * page: larger sizes are refused before any user memory is touched, as
 * clone3() and openat2() refuse theirs, so that no caller can make
 * copy_struct_from_user() scan gigabytes for non-zero bytes.
 */
#define KCALL_IOCTL_SIZE_MAX PAGE_SIZE

/*
 * The common case, first: an op of the simple shape, called with the
 * struct of this module's uapi (size == ioc->size). The size and the
 * fields the table names are read in one user access section, a load
 * each: no copy of the struct, no run-time hardened-usercopy check.
 * Returns 1 when the call is not that case; kcall_ioctl_decode() then
 * reads it afresh.
 */
static int kcall_ioctl_decode_fast(struct kcall_ioctl_call *call,
				   struct kcall_args *args)
{
	const struct kcall_abi3_ioc *ioc = call->ioc;
	void __user *u = call->uarg;
	u32 flags, zero = 0;
	s32 value = 0;

	if (!call->op || call->op->shape != KCALL_ABI3_SIMPLE ||
	    !user_access_begin(u, ioc->size))
		return 1;
	unsafe_get_user(call->usize, (u32 __user *)u, efault);
	if (call->usize != ioc->size) {
		user_access_end();
		return 1;
	}
	unsafe_get_user(flags, (u32 __user *)(u + sizeof(u32)), efault);
	if (ioc->arg)
		unsafe_get_user(value, (s32 __user *)(u + ioc->arg), efault);
	if (ioc->zero)
		unsafe_get_user(zero, (u32 __user *)(u + ioc->zero), efault);
	user_access_end();
	if (zero)
		return -EINVAL;
	args->flags = flags;
	args->argv[0] = (s64)value;
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

/*
 * Any command, any size: the size first (no struct of ours comes near a
 * page, see KCALL_IOCTL_SIZE_MAX), the struct into the buffer, then the
 * table's fields: reserved field, flags and argument.
 */
static int kcall_ioctl_decode(struct kcall_ioctl_call *call,
			      struct kcall_args *args)
{
	const struct kcall_abi3_ioc *ioc = call->ioc;
	s32 value = 0;
	u32 zero;
	int ret;

	if (get_user(call->usize, (u32 __user *)call->uarg))
		return -EFAULT;
	if (call->usize < ioc->min_size)
		return -EINVAL;
	if (call->usize > KCALL_IOCTL_SIZE_MAX)
		return -E2BIG;
	ret = kcall_ioctl_copy_in(call);
	if (ret)
		return ret;

	if (ioc->zero) {
		memcpy(&zero, call->buf.bytes + ioc->zero, sizeof(zero));
		if (zero)
			return -EINVAL;
	}
	args->flags = call->buf.head.flags;
	if (ioc->arg)
		memcpy(&value, call->buf.bytes + ioc->arg, sizeof(value));
	args->argv[0] = (s64)value;
	return 0;
}

/* KCALL_IOC_BATCH: no operation of its own, a struct of its own. */
static const struct kcall_abi3_ioc kcall_ioctl_batch_ioc = {
	.size = sizeof(struct kcall_batch),
	.min_size = offsetofend(struct kcall_batch, __reserved),
	.zero = offsetof(struct kcall_batch, __reserved),
};

static long kcall_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct kcall_ioctl_call call = { .uarg = (void __user *)arg };
	struct kcall_args args = {
		.transport = KCALL_EVENT_IOCTL,
		.net = current->nsproxy->net_ns,
		.file = file,
	};
	unsigned int nr = _IOC_NR(cmd);
	/* ABI 2's numbers, deprecated: the same operations until ABI 4. */
	bool abi2 = nr >= KCALL_IOC_NR_BASE_ABI2;
	/* The number's command: base + command - 1; below base, none. */
	u32 cmd_nr = nr - (abi2 ? KCALL_IOC_NR_BASE_ABI2 : KCALL_IOC_NR_BASE) + 1;
	int ret;

	/* Our type, no direction or size bits: _IO(KCALL_IOCTL_TYPE, nr). */
	if (cmd != _IO(KCALL_IOCTL_TYPE, nr))
		return -ENOIOCTLCMD;
	if (unlikely(cmd_nr == KCALL_CMD_BATCH && !abi2)) {
		call.ioc = &kcall_ioctl_batch_ioc;
	} else {
		/* ABI 2's numbers name the operations up to version. */
		if (unlikely(abi2 && cmd_nr > KCALL_CMD_VERSION))
			return -ENOIOCTLCMD;
		/* An op without an ABI 3 struct has no ioctl of its own. */
		call.op = kcall_op_find(cmd_nr);
		if (!call.op || !call.op->ioc.size)
			return -ENOIOCTLCMD;
		call.ioc = &call.op->ioc;
	}
	if (unlikely(abi2))
		pr_notice_once("ABI 2 ioctl numbers (0x80-) in use by pid %d: deprecated, gone in ABI 4\n",
			       task_tgid_nr(current));

	ret = kcall_ioctl_decode_fast(&call, &args);
	if (ret > 0)
		ret = kcall_ioctl_decode(&call, &args);
	if (ret)
		return ret;

	if (!call.op)
		return kcall_ioctl_batch(&call, &args);
	/* Direct calls: no function pointer on any command's path. */
	switch (call.op->shape) {
	case KCALL_ABI3_TEXT:
		return kcall_ioctl_message(&call, &args);
	case KCALL_ABI3_STATS:
		return kcall_ioctl_stats(&call, &args);
	case KCALL_ABI3_VERSION:
		return kcall_call(call.op, &args, kcall_ioctl_version_out,
				  &call);
	default:
		return kcall_call(call.op, &args, kcall_ioctl_encode, &call);
	}
}

static const struct file_operations kcall_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = kcall_ioctl,
	/* Every argument is a pointer to a layout without longs. */
	.compat_ioctl = compat_ptr_ioctl,
	/* IORING_OP_URING_CMD: asynchronous calls (uring_cmd.c). */
	.uring_cmd = kcall_uring_cmd,
	.llseek = noop_llseek,
};

/*
 * A dynamic minor: no static node (kmod static-nodes, tmpfiles.d) ever
 * names /dev/kcall before the module is loaded, so no such node can end
 * up pointing at another driver that holds the minor; devtmpfs creates
 * the node, with the mode of the module's "mode" parameter, when the
 * device registers. Autoload on first use goes through the netlink
 * family's alias (libkcall asks for the family when /dev/kcall is
 * missing).
 */
static struct miscdevice kcall_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KCALL_DEVICE_NAME,
	.fops = &kcall_fops,
	.groups = kcall_stats_groups,
};

int kcall_chardev_init(umode_t mode)
{
	kcall_misc.mode = mode;
	return misc_register(&kcall_misc);
}

void kcall_chardev_exit(void)
{
	misc_deregister(&kcall_misc);
}
