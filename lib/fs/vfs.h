/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The in-memory file system (vfs.c) and what fills it at first use: the
 * tar archive of the boot module or the first disk (tarfs.c).
 */
#ifndef XENOLITH_LIB_VFS_H
#define XENOLITH_LIB_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Add a directory or a file (its bytes stay where they are, read-only,
 * until the file is first written) at the normalised (path) ("a/b"),
 * with its parents: 0, or -1 (out of memory, or a name in the way). */
int vfs_add_dir(const char *path, unsigned mode, int64_t mtime);
int vfs_add_file(const char *path, const void *data, uint64_t size, unsigned mode, int64_t mtime);

/* Fill the tree from the tar archive, if there is one: false when the
 * archive is bad (logged). */
bool tarfs_populate(void);

#endif
