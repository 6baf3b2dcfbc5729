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

#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>

#include <kcall.h>

#include "kcall_chardev.h"
#include "kcall_core.h"
#include "kcall_stats.h"

/* Large enough for the argument of any command. */
union kcall_ioctl_buffer {
	struct kcall_goodbye goodbye;
	struct kcall_showparams showparams;
	struct kcall_retparam retparam;
	struct kcall_retpid retpid;
	struct kcall_taskcount taskcount;
	struct kcall_message message;
	struct kcall_stats stats;
	struct kcall_stats_reset stats_reset;
	struct kcall_version version;
};

struct kcall_ioctl_op {
	unsigned int size;	/* sizeof() the struct this module knows */
	unsigned int min_size;	/* size of its first published layout */
	unsigned int ioctl_num;
	bool has_output;	/* copy the struct back on success */
	int (*execute)(union kcall_ioctl_buffer *buf);
};

/* Arguments of a call arriving here; events go to the caller's netns. */
#define KCALL_IOCTL_ARGS(...)						\
	{								\
		.transport = KCALL_EVENT_IOCTL,				\
		.net = current->nsproxy->net_ns,			\
		__VA_ARGS__						\
	}

static int kcall_ioctl_goodbye(union kcall_ioctl_buffer *buf)
{
	struct kcall_args a = KCALL_IOCTL_ARGS(.flags = buf->goodbye.flags);

	return kcall_call(KCALL_OP_GOODBYE, &a);
}

static int kcall_ioctl_showparams(union kcall_ioctl_buffer *buf)
{
	struct kcall_showparams *arg = &buf->showparams;
	struct kcall_args a = KCALL_IOCTL_ARGS(.flags = arg->flags,
					       .arg = arg->value);

	if (arg->__reserved)
		return -EINVAL;
	return kcall_call(KCALL_OP_SHOWPARAMS, &a);
}

static int kcall_ioctl_retparam(union kcall_ioctl_buffer *buf)
{
	struct kcall_retparam *arg = &buf->retparam;
	struct kcall_args a = KCALL_IOCTL_ARGS(.flags = arg->flags,
					       .arg = arg->value);
	int ret;

	ret = kcall_call(KCALL_OP_RETPARAM, &a);
	arg->result = a.result;
	return ret;
}

static int kcall_ioctl_retpid(union kcall_ioctl_buffer *buf)
{
	struct kcall_retpid *arg = &buf->retpid;
	struct kcall_args a = KCALL_IOCTL_ARGS(.flags = arg->flags,
					       .arg = arg->which);
	int ret;

	ret = kcall_call(KCALL_OP_RETPID, &a);
	arg->pid = a.result;
	return ret;
}

static int kcall_ioctl_taskcount(union kcall_ioctl_buffer *buf)
{
	struct kcall_taskcount *arg = &buf->taskcount;
	struct kcall_args a = KCALL_IOCTL_ARGS(.flags = arg->flags);
	int ret;

	ret = kcall_call(KCALL_OP_TASKCOUNT, &a);
	arg->count = a.result;
	return ret;
}

static int kcall_ioctl_message(union kcall_ioctl_buffer *buf)
{
	struct kcall_message *arg = &buf->message;
	struct kcall_args a = KCALL_IOCTL_ARGS(.flags = arg->flags);
	/* One byte more than the longest text: room for its NUL. */
	char text[KCALL_MESSAGE_MAX + 1];
	long len;

	len = strncpy_from_user(text, u64_to_user_ptr(arg->text), sizeof(text));
	if (len < 0)
		return len;
	/* len == sizeof(text): no NUL in time; the core refuses it. */
	a.text = text;
	a.text_len = len;
	return kcall_call(KCALL_OP_MESSAGE, &a);
}

static int kcall_ioctl_stats(union kcall_ioctl_buffer *buf)
{
	struct kcall_stats *arg = &buf->stats;
	struct kcall_op_stats stats[KCALL_NR_OPS];
	struct kcall_args a = KCALL_IOCTL_ARGS(.flags = arg->flags,
					       .stats = stats);
	size_t n;
	int ret;

	if (arg->__reserved)
		return -EINVAL;
	ret = kcall_call(KCALL_OP_STATS, &a);
	if (ret)
		return ret;

	n = min_t(size_t, arg->nr_entries, KCALL_NR_OPS);
	if (copy_to_user(u64_to_user_ptr(arg->entries), stats,
			 n * sizeof(stats[0])))
		return -EFAULT;
	arg->nr_entries = KCALL_NR_OPS;
	return 0;
}

static int kcall_ioctl_stats_reset(union kcall_ioctl_buffer *buf)
{
	struct kcall_args a = KCALL_IOCTL_ARGS(.flags = buf->stats_reset.flags);

	return kcall_call(KCALL_OP_STATS_RESET, &a);
}

static int kcall_ioctl_version(union kcall_ioctl_buffer *buf)
{
	struct kcall_version *arg = &buf->version;
	struct kcall_args a = KCALL_IOCTL_ARGS(.flags = arg->flags);
	int ret;

	ret = kcall_call(KCALL_OP_VERSION, &a);
	arg->abi_version = KCALL_ABI_VERSION;
	arg->__reserved = 0;
	arg->features = a.result;
	return ret;
}

/* KCALL_IOCTL_OP(RETPARAM, retparam, result, true) for KCALL_IOC_RETPARAM */
#define KCALL_IOCTL_OP(_NAME, _name, _last, _out)			\
	[KCALL_IOC_NR_##_NAME - KCALL_IOC_NR_BASE] = {			\
		.size = sizeof(struct kcall_##_name),			\
		.min_size = offsetofend(struct kcall_##_name, _last),	\
		.ioctl_num = KCALL_IOC_##_NAME,				\
		.has_output = _out,					\
		.execute = kcall_ioctl_##_name,				\
	}

static const struct kcall_ioctl_op kcall_ioctl_ops[] = {
	KCALL_IOCTL_OP(GOODBYE, goodbye, flags, false),
	KCALL_IOCTL_OP(SHOWPARAMS, showparams, __reserved, false),
	KCALL_IOCTL_OP(RETPARAM, retparam, result, true),
	KCALL_IOCTL_OP(RETPID, retpid, pid, true),
	KCALL_IOCTL_OP(TASKCOUNT, taskcount, count, true),
	KCALL_IOCTL_OP(MESSAGE, message, text, false),
	KCALL_IOCTL_OP(STATS, stats, __reserved, true),
	KCALL_IOCTL_OP(STATS_RESET, stats_reset, flags, false),
	/* Callers that know only abi_version get just that. */
	KCALL_IOCTL_OP(VERSION, version, abi_version, true),
};

static long kcall_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	const struct kcall_ioctl_op *op;
	union kcall_ioctl_buffer buf;
	unsigned int nr = _IOC_NR(cmd);
	u32 usize;
	int ret;

	if (nr < KCALL_IOC_NR_BASE ||
	    nr >= KCALL_IOC_NR_BASE + ARRAY_SIZE(kcall_ioctl_ops))
		return -ENOIOCTLCMD;
	op = &kcall_ioctl_ops[array_index_nospec(nr - KCALL_IOC_NR_BASE,
						  ARRAY_SIZE(kcall_ioctl_ops))];
	if (op->ioctl_num != cmd)
		return -ENOIOCTLCMD;

	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < op->min_size)
		return -EINVAL;
	/* Zero-fills a short struct; E2BIG for unknown non-zero tail bytes. */
	ret = copy_struct_from_user(&buf, op->size, uarg, usize);
	if (ret)
		return ret;

	ret = op->execute(&buf);
	if (ret || !op->has_output)
		return ret;

	/* buf is defined up to op->size: copied in or zero-filled above. */
	if (copy_to_user(uarg, &buf, min_t(size_t, op->size, usize)))
		return -EFAULT;
	return 0;
}

static const struct file_operations kcall_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = kcall_ioctl,
	/* Every argument is a pointer to a layout without longs. */
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice kcall_misc = {
	.minor = KCALL_MISC_MINOR,
	.name = KCALL_DEVICE_NAME,
	.fops = &kcall_fops,
	.groups = kcall_stats_groups,
};

int kcall_chardev_init(umode_t mode)
{
	int ret;

	kcall_misc.mode = mode;
	ret = misc_register(&kcall_misc);
	if (ret != -EBUSY)
		return ret;

	/* Someone else took our minor: still work, without autoload on open. */
	pr_warn("misc minor %d is taken, using a dynamic one\n",
		KCALL_MISC_MINOR);
	kcall_misc.minor = MISC_DYNAMIC_MINOR;
	return misc_register(&kcall_misc);
}

void kcall_chardev_exit(void)
{
	misc_deregister(&kcall_misc);
}
