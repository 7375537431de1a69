/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Dynamic loading: there is one static image, so dlopen() of a library
 * fails (dlerror() says why); dlopen(NULL) gives a handle on the image
 * whose dlsym() finds nothing (docs/posix.md).
 */
#ifndef _DLFCN_H_
#define _DLFCN_H_

#ifdef __cplusplus
extern "C" {
#endif

#define RTLD_LAZY     0x0001
#define RTLD_NOW      0x0002
#define RTLD_NOLOAD   0x0004
#define RTLD_GLOBAL   0x0100
#define RTLD_LOCAL    0x0000
#define RTLD_NODELETE 0x1000
#define RTLD_DEFAULT  ((void *)0)
#define RTLD_NEXT     ((void *)-1)

typedef struct {
    const char *dli_fname;
    void *dli_fbase;
    const char *dli_sname;
    void *dli_saddr;
} Dl_info;

void *dlopen(const char *, int);
void *dlsym(void *__restrict, const char *__restrict);
int dlclose(void *);
char *dlerror(void);
int dladdr(const void *, Dl_info *);

#ifdef __cplusplus
}
#endif

#endif
