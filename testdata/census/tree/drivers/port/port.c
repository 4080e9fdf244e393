// SPDX-License-Identifier: GPL-2.0
/*
 * Port driver of the census mini tree: a lock discipline with one deviant
 * writer, init and teardown stores, marked accesses, guards. Comments and
 * strings mention port->mtu = 1 and "p->mtu = 2;" without being accesses.
 */
#include <linux/types.h>
#include <linux/port.h>

struct port *port_alloc(void)
{
	struct port *p;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return NULL;
	p->mtu = 1500;			/* init: allocated above */
	spin_lock_init(&p->lock);
	return p;
}

void port_set_mtu(struct port *port, unsigned int mtu)
{
	spin_lock(&port->lock);
	port->mtu = mtu;
	spin_unlock(&port->lock);
}

int port_change_mtu(struct port *port, unsigned int mtu)
{
	int err = 0;

	spin_lock_irq(&port->lock);
	if (mtu > 9000) {
		spin_unlock_irq(&port->lock);
		return -22;
	}
	port->mtu += 0;
	port->mtu = mtu;
	spin_unlock_irq(&port->lock);
	return err;
}

void port_reset(port_t *port)
{
	guard(spinlock)(&port->lock);
	port->mtu = 1500;
}

void port_scoped(struct list_head *n, unsigned int mtu)
{
	struct port *port = node_to_port(n);

	scoped_guard(spinlock, &port->lock) {
		port->mtu = mtu;
	}
	port->flags = 0;
}

void port_locked_mtu(struct port *port, unsigned int mtu)
	__must_hold(&port->lock)
{
	port->mtu = mtu;
}

void port_asserted(struct port *port, unsigned int mtu)
{
	lockdep_assert_held(&port->lock);
	port->mtu = mtu;
}

/* BUG: the lock is not taken */
void port_link_down(struct port *port)
{
	port->mtu = 0;
}

void port_destroy(struct port *port)
{
	port->mtu = 0;			/* teardown: freed below */
	kfree(port);
}

static char banner[] = "port->mtu = 3; \" still a string";
static char quote = '"';

unsigned int port_get_mtu(struct port *port)
{
	return READ_ONCE(port->mtu);
}

void port_publish_mtu(struct port *port, unsigned int mtu)
{
	WRITE_ONCE(port->mtu, mtu);
}

#if 0
void port_dead_code(struct port *port)
{
	port->mtu = 77;
}
#endif

void port_show(struct port *port, struct seq_file *m)
{
	seq_puts(m, "port->mtu = ");
	seq_printf(m, "%u\n", port->mtu);
}

void *port_buf(struct port *port)
{
	return kmalloc(port->mtu, GFP_KERNEL);
}

int port_mtu_ok(struct port *port, unsigned int len)
{
	unsigned int m = port->mtu;

	if (len > m)
		return 0;
	return 1;
}

void port_copy(struct port *port, struct port *other)
{
	other->mtu = port->mtu;
}

void port_loop(struct port *port, int *tab)
{
	for (int i = 0; i < port->mtu; i++)
		tab[i] = 0;
	tab[port->mtu & 3] = 1;
}

int port_ignore(struct port *port)
{
	port->mtu;
	return sizeof(port->mtu);
}

static int __init port_init(void)
{
	static struct port boot;

	boot.mtu = 576;
	return 0;
}

void port_enqueue(struct port *port)
{
	spin_lock(&port->lock);
	port->queued++;
	spin_unlock(&port->lock);
}

bool port_dequeue(struct port *port)
{
	bool done = false;

	if (!port->queued)		/* a hint: rechecked below */
		return false;
	spin_lock(&port->lock);
	if (port->queued) {
		port->queued--;
		done = true;
	}
	spin_unlock(&port->lock);
	return done;
}

/* Static helpers: the lock is their callers' (one level, two levels), or
 * not (one caller does not take it). */
static void __port_set_mtu(struct port *port, unsigned int mtu)
{
	port->mtu = mtu;
}

void port_set_mtu_twice(struct port *port)
{
	spin_lock(&port->lock);
	__port_set_mtu(port, 1000);
	__port_set_mtu(port, 2000);
	spin_unlock(&port->lock);
}

static void port_mtu_inner(struct port *port)
{
	port->mtu = 1280;
}

static void port_mtu_middle(struct port *port)
{
	port_mtu_inner(port);
}

void port_mtu_outer(struct port *port)
{
	spin_lock(&port->lock);
	port_mtu_middle(port);
	spin_unlock(&port->lock);
}

static void port_mtu_helper(struct port *port)
{
	port->mtu = 68;
}

void port_mtu_min(struct port *port)
{
	port_mtu_helper(port);
}

void port_mtu_min_locked(struct port *port)
{
	spin_lock(&port->lock);
	port_mtu_helper(port);
	spin_unlock(&port->lock);
}
