/* SPDX-License-Identifier: BSD-2-Clause */
/* timer.c: Xen's single-shot timer behind sleeps. */
#ifndef XEN_TIMER_H
#define XEN_TIMER_H

int xen_timer_init(void);
int xen_timer_resume(void);

#endif
