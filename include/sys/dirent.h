/* SPDX-License-Identifier: BSD-2-Clause */
/* Directories of the file system (lib/fs/vfs.c): <dirent.h>. */
#ifndef XENOLITH_SYS_DIRENT_H
#define XENOLITH_SYS_DIRENT_H

#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10
#define DT_SOCK    12

struct dirent {
    ino_t d_ino;
    unsigned char d_type;
    char d_name[256];
};

typedef struct xn_dir DIR;

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *dir);
void rewinddir(DIR *dir);
int closedir(DIR *dir);
int dirfd(DIR *dir);
long telldir(DIR *dir);
void seekdir(DIR *dir, long pos);

#endif
