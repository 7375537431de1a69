/* SPDX-License-Identifier: BSD-2-Clause */
/* kvsnprintf against the host's snprintf for the formats the kernel uses. */
#include <limits.h>
#include <stdint.h>

#include "kernel.h"
#include "test.h"

#define SAME(...)                                                          \
    do {                                                                   \
        char a[128], b[128];                                               \
        int na = ksnprintf(a, sizeof(a), __VA_ARGS__);                     \
        int nb = snprintf(b, sizeof(b), __VA_ARGS__);                      \
        CHECK_STR(a, b);                                                   \
        CHECK(na == nb);                                                   \
    } while (0)

static void test_integers(void)
{
    SAME("%d %i %u", 0, -1, 42u);
    SAME("%d %d", INT_MIN, INT_MAX);
    SAME("%ld %lu %lx", LONG_MIN, ULONG_MAX, 0xdeadbeefUL);
    SAME("%lld %llu", LLONG_MIN, ULLONG_MAX);
    SAME("%zu %zx", (size_t)12345, (size_t)0xabc);
    SAME("%x %X %#x %#llx", 255u, 255u, 255u, 0x1234ULL);
    SAME("%hhu %hd", 300, 70000);
}

static void test_widths(void)
{
    SAME("[%5d] [%-5d] [%05d]", 42, 42, 42);
    SAME("[%08x] [%016llx] [%#018llx]", 0xbeefu, 0x12ULL, 0x12ULL);
    SAME("[%5d] [%05d]", -42, -42);
    SAME("[%10s] [%-10s] [%.3s] [%.*s]", "abc", "abc", "abcdef", 2, "xyz");
    SAME("[%c%c] [%%] [%-4s]", 'o', 'k', "toolong");
    SAME("%s", "");
}

static void test_truncation(void)
{
    char buf[8];
    int n = ksnprintf(buf, sizeof(buf), "%s", "0123456789");
    CHECK(n == 10);
    CHECK_STR(buf, "0123456");
    n = ksnprintf(buf, 1, "%d", 12345);
    CHECK(n == 5);
    CHECK(buf[0] == '\0');
    n = ksnprintf(NULL, 0, "%d", 12345);
    CHECK(n == 5);
}

static void test_pointers_and_null(void)
{
    char buf[64];
    ksnprintf(buf, sizeof(buf), "%p", (void *)0x1000);
    CHECK_STR(buf, "0x1000");
    const char *volatile null = NULL;
    ksnprintf(buf, sizeof(buf), "%s", null);
    CHECK_STR(buf, "(null)");
    const char *volatile lone = "100%";
    ksnprintf(buf, sizeof(buf), lone);
    CHECK_STR(buf, "100");
}

int main(void)
{
    RUN(test_integers);
    RUN(test_widths);
    RUN(test_truncation);
    RUN(test_pointers_and_null);
    TEST_EXIT();
}
