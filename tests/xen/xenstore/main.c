/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-guest test of the Xenstore client on real Xen: read, write, mkdir,
 * directory, rm, errors as negative errno, transactions (commit and
 * abort), a watch, and an oversized request. argv[1] is the domain's
 * name as xl gave it. Prints PASS or FAIL lines; exits 0 only if all
 * passed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"
#include "xs.h"

static int bad;
static int rc, retries;

/* Appends "+" to data/tx; the first attempt is made to conflict. */
static int bump(uint32_t tx, void *arg)
{
    char v[64];
    (void)arg;
    int n = xs_read(tx, "data/tx", v, sizeof(v) - 1);
    if (n < 0)
        return n;
    if (retries++ == 0)
        xs_write(XBT_NIL, "data/tx", v);    /* someone else writes meanwhile */
    strcat(v, "+");
    return xs_write(tx, "data/tx", v);
}

#define EXPECT(cond, ...)                                                  \
    do {                                                                   \
        if (!(cond)) {                                                     \
            printf("FAIL line %d: ", __LINE__);                            \
            printf(__VA_ARGS__);                                           \
            printf("\n");                                                  \
            bad = 1;                                                       \
        }                                                                  \
    } while (0)

int main(int argc, char **argv)
{
    char buf[256];
    int n;

    n = xs_read(XBT_NIL, "name", buf, sizeof(buf));
    EXPECT(n > 0 && argc > 1 && strcmp(buf, argv[1]) == 0, "name: %d '%s'", n, n > 0 ? buf : "");

    EXPECT(xs_write(XBT_NIL, "data/xtest", "hello") == 0, "write");
    n = xs_read(XBT_NIL, "data/xtest", buf, sizeof(buf));
    EXPECT(n == 5 && strcmp(buf, "hello") == 0, "read back: %d", n);
    EXPECT(xs_read(XBT_NIL, "data/does-not-exist", buf, sizeof(buf)) == -ENOENT, "ENOENT");
    EXPECT(xs_read(XBT_NIL, "data/xtest", buf, 3) == -E2BIG, "value longer than the buffer");

    EXPECT(xs_mkdir(XBT_NIL, "data/xdir") == 0, "mkdir");
    EXPECT(xs_write(XBT_NIL, "data/xdir/a", "1") == 0 && xs_write(XBT_NIL, "data/xdir/b", "2") == 0, "writes");
    n = xs_directory(XBT_NIL, "data/xdir", buf, sizeof(buf));
    EXPECT(n == 2 && ((strcmp(buf, "a") == 0 && strcmp(buf + 2, "b") == 0) ||
                      (strcmp(buf, "b") == 0 && strcmp(buf + 2, "a") == 0)), "directory: %d", n);
    EXPECT(xs_rm(XBT_NIL, "data/xdir") == 0, "rm");
    EXPECT(xs_read(XBT_NIL, "data/xdir/a", buf, sizeof(buf)) == -ENOENT, "rm removed children");
    if (!bad)
        printf("PASS read, write, mkdir, directory, rm, errors\n");

    int before = bad;
    uint32_t tx;
    EXPECT(xs_transaction_start(&tx) == 0, "transaction start");
    EXPECT(xs_write(tx, "data/tx", "committed") == 0, "write in transaction");
    EXPECT(xs_transaction_end(tx, true) == 0, "commit");
    EXPECT(xs_transaction_start(&tx) == 0, "transaction start");
    EXPECT(xs_write(tx, "data/tx", "aborted") == 0, "write in transaction");
    EXPECT(xs_transaction_end(tx, false) == 0, "abort");
    n = xs_read(XBT_NIL, "data/tx", buf, sizeof(buf));
    EXPECT(n > 0 && strcmp(buf, "committed") == 0, "after abort: '%s'", n > 0 ? buf : "");
    /* Two transactions read and write the same key: the second commit
     * conflicts. */
    uint32_t t1, t2;
    EXPECT(xs_transaction_start(&t1) == 0 && xs_transaction_start(&t2) == 0, "two transactions");
    EXPECT(xs_read(t1, "data/tx", buf, sizeof(buf)) > 0 && xs_read(t2, "data/tx", buf, sizeof(buf)) > 0,
           "reads in both");
    EXPECT(xs_write(t1, "data/tx", "one") == 0 && xs_write(t2, "data/tx", "two") == 0, "writes in both");
    EXPECT(xs_transaction_end(t1, true) == 0, "first commit");
    rc = xs_transaction_end(t2, true);
    EXPECT(rc == -EAGAIN, "second commit conflicts: %d", rc);
    retries = 0;
    EXPECT(xs_transact(bump, NULL, 5) == 0, "xs_transact");
    EXPECT(retries == 2, "xs_transact retried after the conflict: %d attempts", retries);
    n = xs_read(XBT_NIL, "data/tx", buf, sizeof(buf));
    EXPECT(n > 0 && strcmp(buf, "one+") == 0, "after xs_transact: '%s'", n > 0 ? buf : "");
    if (bad == before)
        printf("PASS transactions commit, abort, conflict with EAGAIN, retry\n");

    before = bad;
    struct xs_event ev;
    EXPECT(xs_watch("data/w", "tok") == 0, "watch");
    /* Drop an initial event, if xenstored sends one (it need not for a
     * path that does not exist yet); the write below must fire. */
    while (xs_next_event("tok", &ev, 0) == 0)
        ;
    EXPECT(xs_write(XBT_NIL, "data/w", "x") == 0, "write watched");
    rc = xs_next_event("tok", &ev, time_monotonic_ns() + 5000000000ULL);
    EXPECT(rc == 0 && strcmp(ev.token, "tok") == 0 && strstr(ev.path, "data/w") != NULL,
           "event: %d path '%s' token '%s'", rc, ev.path, ev.token);
    EXPECT(xs_unwatch("data/w", "tok") == 0, "unwatch");
    if (bad == before)
        printf("PASS watch events\n");

    static char big[5000];
    memset(big, 'v', sizeof(big) - 1);
    EXPECT(xs_write(XBT_NIL, "data/big", big) == -E2BIG, "oversized request refused");
    EXPECT(xs_read(XBT_NIL, "data/xtest", buf, sizeof(buf)) == 5, "still usable afterwards");

    printf("%s\n", bad ? "FAIL" : "PASS");
    return bad;
}
