/* SPDX-License-Identifier: BSD-2-Clause */
/* Directories of the read-only file system (lib/fs): <dirent.h>. */
#ifndef XENOLITH_SYS_DIRENT_H
#define XENOLITH_SYS_DIRENT_H

#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_DIR     4
#define DT_REG     8

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

#endif
