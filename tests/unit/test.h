/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A minimal unit-test harness. Each TEST() runs in order; a failed CHECK
 * prints where and why and marks the test failed. Each test prints
 * "PASS name" or "FAIL name"; the process exits non-zero if any failed.
 */
#ifndef TEST_H
#define TEST_H

#include <stdio.h>
#include <string.h>

static int test_failed, tests_failed, tests_run;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            test_failed = 1;                                               \
        }                                                                  \
    } while (0)

#define CHECK_STR(a, b)                                                    \
    do {                                                                   \
        const char *a_ = (a), *b_ = (b);                                   \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {             \
            printf("  %s:%d: '%s' != '%s'\n", __FILE__, __LINE__,          \
                   a_ ? a_ : "(null)", b_ ? b_ : "(null)");                \
            test_failed = 1;                                               \
        }                                                                  \
    } while (0)

#define RUN(fn)                                                            \
    do {                                                                   \
        test_failed = 0;                                                   \
        fn();                                                              \
        tests_run++;                                                       \
        tests_failed += test_failed;                                       \
        printf("%s %s\n", test_failed ? "FAIL" : "PASS", #fn);             \
    } while (0)

#define TEST_EXIT() return tests_failed != 0

#endif
