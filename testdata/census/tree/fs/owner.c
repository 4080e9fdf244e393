// SPDX-License-Identifier: Apache-2.0
/* An owner changed under a lock, checked by a permission test without it. */
#include <linux/types.h>

struct fowner {
	spinlock_t lock;
	kuid_t uid;
};

void fowner_set(struct fowner *o, kuid_t uid)
{
	spin_lock(&o->lock);
	o->uid = uid;
	spin_unlock(&o->lock);
}

int fowner_may(struct fowner *o)
{
	if (!uid_eq(current_fsuid(), o->uid))
		return -EPERM;
	return 0;
}

void fowner_show(struct fowner *o)
{
	pr_info("owner %u\n", from_kuid(&init_user_ns, o->uid));
}
