// SPDX-License-Identifier: Apache-2.0
/*
 * An older kernel defined rl_old_kick() and rl_old_stamp() in rl.c. This
 * tree renamed them and keeps the old names here, as inline functions of
 * a header rl.c includes: rl_old_kick() only forwards to its new name,
 * rl_old_stamp() does work of its own.
 */
struct rl_dev;
long rl_kick(struct rl_dev *d);
void rl_stamp(struct rl_dev *d, unsigned long v);

static inline long rl_old_kick(struct rl_dev *d)
{
	return rl_kick(d);
}

static inline void rl_old_stamp(struct rl_dev *d)
{
	rl_stamp(d, 4);
	rl_stamp(d, 5);
}
