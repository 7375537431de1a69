/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test: getentropy() and arc4random(). Two draws must differ and
 * not be all zero; more than 256 bytes at once is refused with EIO.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    unsigned char a[32], b[32], zero[32] = { 0 };
    static unsigned char big[257];

    if (getentropy(a, sizeof(a)) != 0 || getentropy(b, sizeof(b)) != 0) {
        printf("FAIL: getentropy: errno %d\n", errno);
        return 1;
    }
    if (memcmp(a, b, sizeof(a)) == 0 || memcmp(a, zero, sizeof(a)) == 0) {
        printf("FAIL: getentropy returned equal or zero draws\n");
        return 1;
    }
    errno = 0;
    if (getentropy(big, sizeof(big)) != -1 || errno != EIO) {
        printf("FAIL: getentropy(257 bytes) was not refused with EIO\n");
        return 1;
    }
    uint32_t x = arc4random(), y = arc4random(), z = arc4random();
    if (x == y && y == z) {
        printf("FAIL: arc4random returned %u three times\n", (unsigned)x);
        return 1;
    }
    printf("arc4random: %08x %08x %08x\n", (unsigned)x, (unsigned)y, (unsigned)z);
    printf("PASS\n");
    return 0;
}
