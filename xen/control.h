/* SPDX-License-Identifier: BSD-2-Clause */
/* control.c: shutdown and reboot requests from the toolstack. */
#ifndef XEN_CONTROL_H
#define XEN_CONTROL_H

int control_start(void);

#endif
