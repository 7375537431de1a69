/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Dynamic loading (docs/posix.md): the image is one static program, so
 * no library can be loaded. dlopen(NULL) (the program itself) gives a
 * handle whose dlsym() finds nothing: the image has no dynamic symbol
 * table. dlerror() says what failed.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include <xn_posix.h>

static char message[160];
static int have_message;
static char self;

static void set_error(const char *call, const char *what)
{
    snprintf(message, sizeof(message), "%s: %s: dynamic loading is not supported (one static image)",
             call, what != NULL ? what : "(null)");
    have_message = 1;
}

void *dlopen(const char *file, int mode)
{
    (void)mode;
    if (file == NULL)
        return &self;
    set_error("dlopen", file);
    posix_unsupported("dlopen", ENOSYS, "no shared libraries in one static image");
    return NULL;
}

void *dlsym(void *restrict handle, const char *restrict name)
{
    (void)handle;
    set_error("dlsym", name);
    posix_unsupported("dlsym", ENOSYS, "the image has no dynamic symbol table");
    return NULL;
}

int dlclose(void *handle)
{
    if (handle != &self) {
        set_error("dlclose", "handle");
        return -1;
    }
    return 0;
}

char *dlerror(void)
{
    if (!have_message)
        return NULL;
    have_message = 0;
    return message;
}

int dladdr(const void *addr, Dl_info *info)
{
    (void)addr, (void)info;
    return 0;                           /* not found */
}
