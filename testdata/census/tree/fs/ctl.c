// SPDX-License-Identifier: GPL-2.0
/* Bitfields that share a byte, written under two different locks. */
#include <linux/types.h>
#include <linux/port.h>

void ctl_up(struct port_ctl *ctl, bool on)
{
	spin_lock(&ctl->up_lock);
	ctl->up = on;
	spin_unlock(&ctl->up_lock);
}

void ctl_pause(struct port *port)
{
	struct port_ctl *ctl = port->ctl;

	spin_lock(&ctl->pause_lock);
	ctl->paused = !ctl->paused;
	spin_unlock(&ctl->pause_lock);
}

void ctl_marks(void *p)
{
	spin_lock(&((struct port_ctl *)p)->up_lock);
	((struct port_ctl *)p)->hwm = 3;
	spin_unlock(&((struct port_ctl *)p)->up_lock);
}

void ctl_low(struct port_ctl *ctl)
{
	spin_lock(&ctl->pause_lock);
	ctl->lwm = 1;
	spin_unlock(&ctl->pause_lock);
}

#ifdef CONFIG_CTL_FAST
void ctl_mode(struct port_ctl *ctl, int mode) {
#else
void ctl_mode(struct port_ctl *ctl, int mode, int flags) {
#endif
	ctl->mode = \
		mode;
}
