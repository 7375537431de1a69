/* SPDX-License-Identifier: BSD-2-Clause */
/* Command-line parsing: options, app arguments, quoting and bad input. */
#include <errno.h>
#include <stdlib.h>

#include "kernel.h"
#include "test.h"

static struct cmdline cl;
static char err[160];

static void test_empty(void)
{
    CHECK(cmdline_parse(&cl, "", "app", err, sizeof(err)) == 0);
    CHECK(cl.argc == 1);
    CHECK_STR(cl.argv[0], "app");
    CHECK(cl.argv[1] == NULL);
    CHECK(cl.nopts == 0);
    CHECK(cmdline_parse(&cl, "   \t ", "app", err, sizeof(err)) == 0);
    CHECK(cl.argc == 1);
}

static void test_options_and_args(void)
{
    CHECK(cmdline_parse(&cl, "loglevel=debug net0.ip=10.0.0.2/24 -- a  b", "app",
                        err, sizeof(err)) == 0);
    CHECK(cl.nopts == 2);
    CHECK_STR(cmdline_get(&cl, "loglevel"), "debug");
    CHECK(cmdline_first_unused(&cl) != NULL);
    CHECK_STR(cmdline_first_unused(&cl), "net0.ip");
    CHECK_STR(cmdline_get(&cl, "net0.ip"), "10.0.0.2/24");
    CHECK(cmdline_first_unused(&cl) == NULL);
    CHECK(cmdline_get(&cl, "absent") == NULL);
    CHECK(cl.argc == 3);
    CHECK_STR(cl.argv[1], "a");
    CHECK_STR(cl.argv[2], "b");
    CHECK(cl.argv[3] == NULL);
}

static void test_quotes(void)
{
    CHECK(cmdline_parse(&cl, "-- one \"two words\" th\"re\"e \"\"", "app", err,
                        sizeof(err)) == 0);
    CHECK(cl.argc == 5);
    CHECK_STR(cl.argv[1], "one");
    CHECK_STR(cl.argv[2], "two words");
    CHECK_STR(cl.argv[3], "three");
    CHECK_STR(cl.argv[4], "");
    CHECK(cmdline_parse(&cl, "msg=\"a b\"", "app", err, sizeof(err)) == 0);
    CHECK_STR(cmdline_get(&cl, "msg"), "a b");
    CHECK(cmdline_parse(&cl, "x=1 -- --", "app", err, sizeof(err)) == 0);
    CHECK(cl.argc == 2);
    CHECK_STR(cl.argv[1], "--");
    CHECK(cmdline_parse(&cl, "empty=", "app", err, sizeof(err)) == 0);
    CHECK_STR(cmdline_get(&cl, "empty"), "");
}

static void test_errors(void)
{
    CHECK(cmdline_parse(&cl, "stray", "app", err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "'stray'") != NULL);
    CHECK(cmdline_parse(&cl, "=value", "app", err, sizeof(err)) == -EINVAL);
    CHECK(cmdline_parse(&cl, "-- \"open", "app", err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "unterminated quote") != NULL);
    CHECK(cmdline_parse(&cl, "a=1 a=2", "app", err, sizeof(err)) == -EINVAL);
    CHECK(strstr(err, "twice") != NULL);
    CHECK(cmdline_parse(&cl, "a=\x01", "app", err, sizeof(err)) == -EINVAL);
}

static void test_limits(void)
{
    static char big[CMDLINE_MAX + 10];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK(cmdline_parse(&cl, big, "app", err, sizeof(err)) == -E2BIG);

    /* 200 app arguments: more than CMDLINE_MAX_ARGS. */
    char *many = malloc(1000);
    strcpy(many, "--");
    for (int i = 0; i < 200; i++)
        strcat(many, " a");
    CHECK(cmdline_parse(&cl, many, "app", err, sizeof(err)) == -E2BIG);
    free(many);

    /* Exactly the limit of app arguments is fine. */
    char *ok = malloc(1000);
    strcpy(ok, "--");
    for (int i = 0; i < CMDLINE_MAX_ARGS - 1; i++)
        strcat(ok, " b");
    CHECK(cmdline_parse(&cl, ok, "app", err, sizeof(err)) == 0);
    CHECK(cl.argc == CMDLINE_MAX_ARGS);
    CHECK(cl.argv[CMDLINE_MAX_ARGS] == NULL);
    free(ok);
}

int main(void)
{
    RUN(test_empty);
    RUN(test_options_and_args);
    RUN(test_quotes);
    RUN(test_errors);
    RUN(test_limits);
    TEST_EXIT();
}
