/* SPDX-License-Identifier: BSD-2-Clause */
/* Symbol lookup: the containing function, and unknown addresses. */
#include "kernel.h"
#include "test.h"

/* Text from 0xf00 to 0x1200; the first symbol at 0x1000. */
static const uint32_t offs[] = { 0x100, 0x110, 0x200 };
static const char names[] = "foo\0bar\0baz";
static const struct ksym_table table = { 3, 0xf00, 0x1200, offs, names };

static void test_lookup(void)
{
    uint64_t off = 99;
    CHECK_STR(ksym_lookup(&table, 0x1000, &off), "foo");
    CHECK(off == 0);
    CHECK_STR(ksym_lookup(&table, 0x100f, &off), "foo");
    CHECK(off == 0xf);
    CHECK_STR(ksym_lookup(&table, 0x1010, &off), "bar");
    CHECK_STR(ksym_lookup(&table, 0x11ff, &off), "baz");
    CHECK(off == 0xff);
}

static void test_unknown(void)
{
    CHECK(ksym_lookup(&table, 0xfff, NULL) == NULL);
    CHECK(ksym_lookup(&table, 0x1200, NULL) == NULL);
    CHECK(ksym_lookup(&table, UINT64_MAX, NULL) == NULL);
    CHECK(ksym_lookup(&table, 0xf00, NULL) == NULL);    /* text, before any symbol */
    CHECK(ksym_lookup(&table, 0, NULL) == NULL);
    struct ksym_table empty = { 0, 0, 0, NULL, NULL };
    CHECK(ksym_lookup(&empty, 0x1000, NULL) == NULL);
}

int main(void)
{
    RUN(test_lookup);
    RUN(test_unknown);
    TEST_EXIT();
}
