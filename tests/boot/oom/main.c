/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test: allocating beyond the heap fails cleanly. A huge request
 * returns NULL with ENOMEM; then the heap is filled with 64 KiB blocks
 * until malloc fails, every block is checked to still hold its own
 * pattern, all are freed, and allocation works again. mallinfo() follows
 * along: what is in use grows by the blocks and shrinks back, and what
 * malloc took from the system stays within the heap.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenolith.h>

#define BLOCK (64 * 1024)
#define MAXBLOCKS 4096

static unsigned char *blocks[MAXBLOCKS];

int main(void)
{
    errno = 0;
    void *huge = malloc((size_t)1 << 40);
    if (huge != NULL || errno != ENOMEM) {
        printf("FAIL: malloc(1 TiB) returned %p, errno %d\n", huge, errno);
        return 1;
    }
    uintptr_t hs, he;
    xn_heap_region(&hs, &he);
    size_t heap = he - hs;
    struct mallinfo before = mallinfo();
    int n = 0;
    while (n < MAXBLOCKS) {
        blocks[n] = malloc(BLOCK);
        if (blocks[n] == NULL)
            break;
        memset(blocks[n], (unsigned char)(n * 7 + 1), BLOCK);
        n++;
    }
    if (n == MAXBLOCKS || n < 4) {
        printf("FAIL: got %d blocks of 64 KiB before malloc failed\n", n);
        return 1;
    }
    int e = errno;
    printf("heap full after %d blocks of 64 KiB (errno %d)\n", n, e);
    struct mallinfo full = mallinfo();
    printf("mallinfo: in use %zu -> %zu bytes, from the system %zu of %zu\n", before.uordblks,
           full.uordblks, full.arena, heap);
    if (full.uordblks < before.uordblks + (size_t)n * BLOCK || full.arena < full.uordblks ||
        full.arena > heap) {
        printf("FAIL: mallinfo does not account for the blocks\n");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        for (size_t j = 0; j < BLOCK; j++) {
            if (blocks[i][j] != (unsigned char)(i * 7 + 1)) {
                printf("FAIL: block %d byte %zu corrupted\n", i, j);
                return 1;
            }
        }
    }
    for (int i = 0; i < n; i++)
        free(blocks[i]);
    struct mallinfo freed = mallinfo();
    if (freed.uordblks > before.uordblks + BLOCK || freed.arena > full.arena) {
        printf("FAIL: after freeing, mallinfo says %zu bytes in use (%zu before), %zu from the "
               "system (%zu when full)\n", freed.uordblks, before.uordblks, freed.arena, full.arena);
        return 1;
    }
    void *again = malloc(BLOCK);
    if (again == NULL || e != ENOMEM) {
        printf("FAIL: after freeing: malloc %p, errno at failure %d\n", again, e);
        return 1;
    }
    free(again);
    printf("PASS: out of memory is reported as NULL/ENOMEM, no block corrupted\n");
    return 0;
}
