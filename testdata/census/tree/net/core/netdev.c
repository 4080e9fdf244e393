// SPDX-License-Identifier: GPL-2.0
/*
 * A second struct with a member named mtu, a counter whose reads outside
 * the writers are only printed, and a pointer set once from NULL.
 */
#include <linux/types.h>
#include <linux/port.h>

struct netdev {
	int mtu;
	struct port *port;
	unsigned long tx_dropped_total;
};

struct port_ops {
	int (*open)(struct port *p);
};

void netdev_set_mtu(struct netdev *dev, int mtu)
{
	dev->mtu = mtu;			/* struct netdev's, not struct port's */
}

void netdev_port_mtu(struct netdev *dev, unsigned int mtu)
{
	spin_lock(&dev->port->lock);
	dev->port->mtu = mtu;		/* through a member's type */
	spin_unlock(&dev->port->lock);
}

void netdev_xmit_drop(struct netdev *dev)
{
	dev->port->stats.tx_dropped++;
}

void port_rx_drop(struct port *p)
{
	p->stats.tx_dropped += 1;
}

void netdev_dump(struct netdev *dev)
{
	pr_info("dropped %lu\n", dev->port->stats.tx_dropped);
}

int netdev_fill(struct sk_buff *skb, struct port *p)
{
	if (nla_put_u64(skb, 7, p->stats.tx_dropped))
		return -1;
	return 0;
}

void netdev_total(struct netdev *dev, struct port *p)
{
	unsigned long d = p->stats.tx_dropped;

	pr_info("%lu\n", d);
}

void port_set_ops(struct port *p, const struct port_ops *ops)
{
	spin_lock(&p->lock);
	if (!p->ops)
		p->ops = ops;
	spin_unlock(&p->lock);
}

int port_open(struct port *p)
{
	const struct port_ops *ops = READ_ONCE(p->ops);

	if (ops)
		return ops->open(p);
	return p->ops->open(p);
}

void port_get(struct port *p)
{
	atomic_inc(&p->users);
}

int port_users(struct port *p)
{
	return atomic_read(&p->users);
}

void port_flag(struct port *p)
{
	set_bit(3, &p->flags);
	if (test_bit(4, &p->flags))
		__set_bit(5, &p->flags);
}

void port_from_node(struct list_head *n)
{
	container_of(n, struct port, node)->flags = 1;
}

void port_link(struct port *p, struct list_head *head)
{
	spin_lock(&p->lock);
	list_add(&p->node, head);
	spin_unlock(&p->lock);
}

bool port_linked(struct port *p)
{
	return !list_empty(&p->node);
}
