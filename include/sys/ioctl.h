/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ioctl(): FIONBIO on any descriptor that can be non-blocking, FIONREAD
 * on sockets, pipes and files; TIOCGWINSZ on the console (docs/posix.md).
 */
#ifndef XENOLITH_SYS_IOCTL_H
#define XENOLITH_SYS_IOCTL_H

#include <sys/socket.h>

/* The console's size: fixed (the PV console has none), 80x24. */
struct winsize {
    unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414

int ioctl(int fd, unsigned long request, ...);

#endif
