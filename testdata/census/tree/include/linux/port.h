/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_PORT_H
#define _LINUX_PORT_H

#include <linux/types.h>

struct port_ops;

/* A port: mtu is protected by lock; flags by lock as well. */
struct port {
	spinlock_t lock;
	unsigned int mtu;
	unsigned long flags;
	const struct port_ops *ops;	/* set once, from NULL */
	atomic_t users;
	struct list_head node;
	struct {
		unsigned long rx_packets;
		unsigned long tx_dropped;
	} stats;
	struct port_ctl *ctl;
	unsigned int queued;		/* lock; read unlocked as a hint */
};

/* Two bitfields in one byte, each under its own lock; mode is not a
 * bitfield and ends the memory location, so hwm starts another one. */
struct port_ctl {
	spinlock_t up_lock;
	spinlock_t pause_lock;
	unsigned int up:1,
		     paused:1,
		     spare:6;
	int mode;
	unsigned int hwm:4;
	unsigned int lwm:4;
};

typedef struct port port_t;

#define port_mtu(p)	((p)->mtu)

static inline struct port *node_to_port(struct list_head *n)
{
	return container_of(n, struct port, node);
}

#endif
