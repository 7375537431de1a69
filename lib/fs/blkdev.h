/* SPDX-License-Identifier: BSD-2-Clause */
/* blkdev.c: block devices as files under /dev (lib-internal). */
#ifndef XENOLITH_LIB_BLKDEV_H
#define XENOLITH_LIB_BLKDEV_H

#include <xenolith.h>

/* A descriptor for the disk named (name) ("xvda"): the fd, or -1. */
int blkdev_open(const char *name, int flags);
/* The slot of the disk named (name), with its info: the slot, or -1. */
int blkdev_find(const char *name, struct xn_blk_info *info);

#endif
