// SPDX-License-Identifier: Apache-2.0
/*
 * The relocation test's tree for pairing the two sides when something else
 * sits at a reported line: the report's kernel had other statements there.
 * "RP:" comments mark the lines of this tree the test names.
 */
struct rp_route {
	unsigned short rflags;
};

struct rp_dev {
	unsigned short headroom;
	unsigned short tailroom;
	unsigned long clock;
	unsigned long seen;
};

static inline void rp_update_pmtu(struct rp_route *rt)
{
	rt->rflags = 0;
}

static inline void rp_adj_headroom(struct rp_dev *dev, unsigned short h)
{
	if (h > dev->headroom)
		dev->headroom = h;
}

static inline void rp_adj_both(struct rp_dev *dev, unsigned short h)
{
	if (h > dev->headroom)
		dev->headroom = h;
	if (h > dev->tailroom)
		dev->tailroom = h;
}

/* The reported read's line holds no access here; the write's line calls
 * a helper that writes another object of the same size. */
void rp_xmit(struct rp_dev *dev, struct rp_route *rt, unsigned short h)
{
	int x = h + 1; /* RP:xmit_read */

	rp_update_pmtu(rt); /* RP:xmit_write */
	if (x > 3)
		rp_adj_headroom(dev, h);
}

/* The same, with two objects both sides' helpers touch. */
void rp_xmit_two(struct rp_dev *dev, struct rp_route *rt, unsigned short h)
{
	int x = h + 1; /* RP:two_read */

	rp_update_pmtu(rt); /* RP:two_write */
	if (x > 3)
		rp_adj_both(dev, h);
}

/* A timestamp refreshed through a parameter: the read at its line is what
 * the writer stores. */
void rp_stamp(struct rp_dev *dev, unsigned long *last)
{
	unsigned long now = dev->clock;

	if (now != *last) /* RP:stamp_read */
		*last = now;

	dev->seen = now; /* RP:stamp_other */
}

static inline unsigned short rp_tail(struct rp_dev *dev)
{
	return dev->tailroom;
}

static inline unsigned short rp_head(struct rp_dev *dev)
{
	return dev->headroom;
}

static inline void rp_set_tail(struct rp_dev *dev, unsigned short h)
{
	dev->tailroom = h;
}

/* The reader touches both rooms in helpers; the writer stores headroom in
 * its own body and tailroom in a helper: the report names the function each
 * access is in, so the writer's own store is the better fit. */
int rp_room_check(struct rp_dev *dev)
{
	int spare = 0; /* RP:room_read */

	return rp_head(dev) + rp_tail(dev) + spare;
}

void rp_room_set(struct rp_dev *dev, unsigned short h)
{
	int spare = h; /* RP:room_write */

	dev->headroom = h + spare;
	rp_set_tail(dev, h);
}
