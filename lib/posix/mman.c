/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mmap() and friends on one address space (docs/posix.md).
 *
 * A mapping is zeroed, page-aligned memory from the heap. Anonymous
 * mappings, private or shared (one process: the same thing), are real;
 * a private mapping of a file is a copy of its bytes (what the program
 * writes stays in memory, as MAP_PRIVATE promises); a shared mapping of
 * a file cannot be honoured (ENODEV). munmap() may unmap any whole pages
 * of a mapping; the memory goes back to the heap once every page of it
 * is unmapped. mprotect() changes the page tables for real
 * (xn_mem_protect): an access to a PROT_NONE page crashes the guest with
 * a report naming the address, a write to a PROT_READ page likewise;
 * pages are never writable and executable at once (ENOTSUP). MAP_FIXED
 * is honoured only for an address inside an existing mapping.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xenolith.h>
#include <xn_posix.h>

#define PAGE 4096UL

struct mapping {
    struct mapping *next;
    uintptr_t start;
    size_t pages;
    size_t live;                /* pages still mapped */
    unsigned char *unmapped;    /* one bit per page */
};

static struct mapping *maps;

static struct mapping *find(uintptr_t a, size_t len)
{
    for (struct mapping *m = maps; m != NULL; m = m->next)
        if (a >= m->start && a + len <= m->start + m->pages * PAGE)
            return m;
    return NULL;
}

static int to_xn_prot(int prot)
{
    int p = 0;
    if (prot & (PROT_READ | PROT_WRITE | PROT_EXEC))
        p |= XN_PROT_READ;              /* x86 pages are readable when present */
    if (prot & PROT_WRITE)
        p |= XN_PROT_WRITE;
    if (prot & PROT_EXEC)
        p |= XN_PROT_EXEC;
    return p;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    if (len == 0 || (off & (off_t)(PAGE - 1)) != 0 || len > SIZE_MAX - PAGE ||
        !((flags & MAP_SHARED) || (flags & MAP_PRIVATE))) {
        errno = EINVAL;
        return MAP_FAILED;
    }
    if ((prot & PROT_WRITE) && (prot & PROT_EXEC)) {
        posix_unsupported("mmap", ENOTSUP, "pages are never writable and executable at once");
        return MAP_FAILED;
    }
    size_t pages = (len + PAGE - 1) / PAGE;
    if (flags & MAP_FIXED) {
        struct mapping *m = find((uintptr_t)addr, pages * PAGE);
        if (((uintptr_t)addr & (PAGE - 1)) != 0 || m == NULL) {
            posix_unsupported("mmap", EINVAL, "MAP_FIXED only inside an existing mapping");
            return MAP_FAILED;
        }
        /* Fresh zeroed pages in place. */
        xn_mem_protect(addr, pages * PAGE, XN_PROT_READ | XN_PROT_WRITE);
        memset(addr, 0, pages * PAGE);
        for (size_t i = ((uintptr_t)addr - m->start) / PAGE, n = 0; n < pages; i++, n++) {
            if (m->unmapped[i / 8] & (1u << (i % 8))) {
                m->unmapped[i / 8] &= (unsigned char)~(1u << (i % 8));
                m->live++;
            }
        }
        if (!(flags & MAP_ANONYMOUS) && fd >= 0 &&
            pread(fd, addr, len, off) < 0) {
            return MAP_FAILED;
        }
        if (to_xn_prot(prot) != (XN_PROT_READ | XN_PROT_WRITE))
            xn_mem_protect(addr, pages * PAGE, to_xn_prot(prot));
        return addr;
    }
    if (!(flags & MAP_ANONYMOUS) && (flags & MAP_SHARED) && (prot & PROT_WRITE)) {
        posix_unsupported("mmap", ENODEV, "a writable shared mapping of a file (no page cache to share)");
        return MAP_FAILED;
    }
    struct mapping *m = calloc(1, sizeof(*m));
    unsigned char *bits = calloc(1, (pages + 7) / 8);
    void *mem = NULL;
    if (m == NULL || bits == NULL || posix_memalign(&mem, PAGE, pages * PAGE) != 0) {
        free(m);
        free(bits);
        errno = ENOMEM;
        return MAP_FAILED;
    }
    memset(mem, 0, pages * PAGE);
    if (!(flags & MAP_ANONYMOUS)) {
        /* A file: its bytes from (off), zeros past its end. */
        ssize_t got = 0;
        size_t done = 0;
        while (done < len && (got = pread(fd, (char *)mem + done, len - done, off + (off_t)done)) > 0)
            done += (size_t)got;
        if (got < 0) {
            int e = errno == ESPIPE ? ENODEV : errno;
            free(mem);
            free(m);
            free(bits);
            errno = e;
            return MAP_FAILED;
        }
    }
    *m = (struct mapping){ maps, (uintptr_t)mem, pages, pages, bits };
    maps = m;
    if (to_xn_prot(prot) != (XN_PROT_READ | XN_PROT_WRITE) &&
        xn_mem_protect(mem, pages * PAGE, to_xn_prot(prot)) != 0) {
        munmap(mem, pages * PAGE);
        errno = ENOMEM;
        return MAP_FAILED;
    }
    return mem;
}

int munmap(void *addr, size_t len)
{
    uintptr_t a = (uintptr_t)addr;
    if ((a & (PAGE - 1)) != 0 || len == 0) {
        errno = EINVAL;
        return -1;
    }
    size_t pages = (len + PAGE - 1) / PAGE;
    struct mapping *m = find(a, pages * PAGE);
    if (m == NULL)
        return 0;                       /* not mapped: POSIX allows it */
    for (size_t i = (a - m->start) / PAGE, n = 0; n < pages; i++, n++) {
        if (!(m->unmapped[i / 8] & (1u << (i % 8)))) {
            m->unmapped[i / 8] |= (unsigned char)(1u << (i % 8));
            m->live--;
            /* An access to an unmapped page faults, as elsewhere. */
            xn_mem_protect((void *)(m->start + i * PAGE), PAGE, XN_PROT_NONE);
        }
    }
    if (m->live == 0) {
        xn_mem_protect((void *)m->start, m->pages * PAGE, XN_PROT_READ | XN_PROT_WRITE);
        for (struct mapping **p = &maps; *p != NULL; p = &(*p)->next) {
            if (*p == m) {
                *p = m->next;
                break;
            }
        }
        free((void *)m->start);
        free(m->unmapped);
        free(m);
    }
    return 0;
}

int mprotect(void *addr, size_t len, int prot)
{
    uintptr_t a = (uintptr_t)addr;
    if ((a & (PAGE - 1)) != 0) {
        errno = EINVAL;
        return -1;
    }
    if (len == 0)
        return 0;
    size_t pages = (len + PAGE - 1) / PAGE;
    struct mapping *m = find(a, pages * PAGE);
    if (m == NULL) {
        /* Memory that mmap() did not give (the heap, the image) is not
         * the program's to change. */
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = (a - m->start) / PAGE, n = 0; n < pages; i++, n++) {
        if (m->unmapped[i / 8] & (1u << (i % 8))) {
            errno = ENOMEM;
            return -1;
        }
    }
    int rc = xn_mem_protect(addr, pages * PAGE, to_xn_prot(prot));
    if (rc == -ENOTSUP)
        return posix_unsupported("mprotect", ENOTSUP, "pages are never writable and executable at once");
    if (rc != 0) {
        errno = -rc;
        return -1;
    }
    return 0;
}

int madvise(void *addr, size_t len, int advice)
{
    uintptr_t a = (uintptr_t)addr;
    if ((a & (PAGE - 1)) != 0) {
        errno = EINVAL;
        return -1;
    }
    switch (advice) {
    case MADV_DONTNEED:
    case MADV_FREE: {
        /* The pages read back as zeros afterwards, as on Linux. */
        struct mapping *m = find(a, len);
        if (m == NULL) {
            errno = ENOMEM;
            return -1;
        }
        memset(addr, 0, len);
        return 0;
    }
    case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
    case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_DONTDUMP:
        return 0;                       /* advice only: all memory is resident */
    default:
        errno = EINVAL;
        return -1;
    }
}

int posix_madvise(void *addr, size_t len, int advice)
{
    return madvise(addr, len, advice) == 0 ? 0 : errno;
}

int msync(void *addr, size_t len, int flags)
{
    (void)len;
    if (((uintptr_t)addr & (PAGE - 1)) != 0 || (flags & MS_SYNC && flags & MS_ASYNC)) {
        errno = EINVAL;
        return -1;
    }
    return 0;                           /* nothing is shared with a file */
}

/* All memory is resident: locking it is always true. */
int mlock(const void *addr, size_t len) { (void)addr; (void)len; return 0; }
int munlock(const void *addr, size_t len) { (void)addr; (void)len; return 0; }
int mlockall(int flags) { (void)flags; return 0; }
int munlockall(void) { return 0; }
