/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Terminal settings for the console (include/sys/termios.h): recorded and
 * reported back, with no line discipline behind them (input arrives as
 * the console backend sends it). Anything but the console is not a
 * terminal: ENOTTY.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>


/* What a terminal reports before any change: cooked, 8 bits, 38400. */
static struct termios console = {
    .c_iflag = ICRNL | IXON | IUTF8,
    .c_oflag = OPOST | ONLCR,
    .c_cflag = CS8 | CREAD | B38400,
    .c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN | ECHOCTL | ECHOKE,
    .c_cc = { [VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21, [VEOF] = 4,
              [VMIN] = 1, [VSTART] = 17, [VSTOP] = 19, [VSUSP] = 26 },
    .c_ispeed = B38400,
    .c_ospeed = B38400,
};

/* 0 if (fd) is the console, else -1 (EBADF or ENOTTY, as isatty() says). */
static int tty(int fd)
{
    return isatty(fd) ? 0 : -1;
}

int tcgetattr(int fd, struct termios *t)
{
    if (tty(fd) != 0)
        return -1;
    *t = console;
    return 0;
}

int tcsetattr(int fd, int when, const struct termios *t)
{
    if (tty(fd) != 0)
        return -1;
    if (when != TCSANOW && when != TCSADRAIN && when != TCSAFLUSH) {
        errno = EINVAL;
        return -1;
    }
    console = *t;
    return 0;
}

speed_t cfgetispeed(const struct termios *t) { return t->c_ispeed; }
speed_t cfgetospeed(const struct termios *t) { return t->c_ospeed; }

static int speed_ok(speed_t s)
{
    if ((s & ~CBAUD) != 0) {
        errno = EINVAL;
        return 0;
    }
    return 1;
}

int cfsetispeed(struct termios *t, speed_t s)
{
    if (!speed_ok(s))
        return -1;
    t->c_ispeed = s;
    return 0;
}

int cfsetospeed(struct termios *t, speed_t s)
{
    if (!speed_ok(s))
        return -1;
    t->c_ospeed = s;
    t->c_cflag = (t->c_cflag & ~CBAUD) | s;
    return 0;
}

int cfsetspeed(struct termios *t, speed_t s)
{
    return cfsetospeed(t, s) == 0 ? cfsetispeed(t, s) : -1;
}

void cfmakeraw(struct termios *t)
{
    t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t->c_oflag &= ~(tcflag_t)OPOST;
    t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t->c_cflag = (t->c_cflag & ~(tcflag_t)(CSIZE | PARENB)) | CS8;
    t->c_cc[VMIN] = 1;
    t->c_cc[VTIME] = 0;
}

/* Output is written at once and input is not queued here: nothing to
 * drain, flush or stop. */
int tcdrain(int fd) { return tty(fd); }
int tcflush(int fd, int queue)
{
    if (tty(fd) != 0)
        return -1;
    if (queue != TCIFLUSH && queue != TCOFLUSH && queue != TCIOFLUSH) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}
int tcflow(int fd, int action)
{
    if (tty(fd) != 0)
        return -1;
    if (action < TCOOFF || action > TCION) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}
int tcsendbreak(int fd, int duration) { (void)duration; return tty(fd); }

/* The one process is the console's foreground process group and session. */
pid_t tcgetpgrp(int fd) { return tty(fd) == 0 ? 1 : -1; }
pid_t tcgetsid(int fd) { return tty(fd) == 0 ? 1 : -1; }
int tcsetpgrp(int fd, pid_t pgrp)
{
    if (tty(fd) != 0)
        return -1;
    if (pgrp != 1) {
        errno = EPERM;
        return -1;
    }
    return 0;
}
