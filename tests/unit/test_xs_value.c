/* SPDX-License-Identifier: BSD-2-Clause */
/* Numbers from Xenstore: strict decimal, bounded. */
#include <errno.h>
#include <stdint.h>

#include "test.h"
#include "../../xen/xs_value.h"

static void test_good(void)
{
    uint64_t v;
    CHECK(xs_parse_uint("0", 10, &v) == 0 && v == 0);
    CHECK(xs_parse_uint("4", 8, &v) == 0 && v == 4);
    CHECK(xs_parse_uint("18446744073709551615", UINT64_MAX, &v) == 0 && v == UINT64_MAX);
}

static void test_bad(void)
{
    uint64_t v = 7;
    CHECK(xs_parse_uint("", 10, &v) == -EINVAL);
    CHECK(xs_parse_uint("-1", 10, &v) == -EINVAL);
    CHECK(xs_parse_uint(" 1", 10, &v) == -EINVAL);
    CHECK(xs_parse_uint("1x", 10, &v) == -EINVAL);
    CHECK(xs_parse_uint("04", 10, &v) == -EINVAL);
    CHECK(xs_parse_uint("9", 8, &v) == -ERANGE);
    CHECK(xs_parse_uint("18446744073709551616", UINT64_MAX, &v) == -ERANGE);
    CHECK(v == 7);
}

int main(void)
{
    RUN(test_good);
    RUN(test_bad);
    TEST_EXIT();
}
