/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kvstore's pure parts: the RESP parser and glob matcher
 * (apps/kvstore/resp.c) and the on-disk records and superblock
 * (apps/kvstore/log.c).
 */
#include <string.h>

#include "test.h"
#include "../../apps/kvstore/log.h"
#include "../../apps/kvstore/resp.h"

static struct resp_cmd c;
static const char *err;

static long parse(const char *s)
{
    err = NULL;
    return resp_parse(s, strlen(s), 1000, 4000, &c, &err);
}

static void test_resp(void)
{
    const char *s = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*1\r\n$4\r\nPING\r\n";
    CHECK(parse(s) == (long)(strstr(s, "*1") - s));
    CHECK(c.argc == 3 && c.len[2] == 5 && memcmp(c.argv[2], "hello", 5) == 0);
    CHECK(parse("*2\r\n$3\r\nGET\r\n$1\r\n") == 0);                /* incomplete */
    CHECK(parse("*2\r\n$3\r\nGET") == 0);
    CHECK(parse("*1\r\n$0\r\n\r\n") > 0 && c.argc == 1 && c.len[0] == 0);
    CHECK(parse("PING\r\n") == 6 && c.argc == 1 && c.len[0] == 4);   /* inline */
    CHECK(parse("SET  a   b\n") == 11 && c.argc == 3 && c.len[1] == 1);
    CHECK(parse("SET a b") == 0);
    CHECK(parse("*2\r\n+GET\r\n") == -1 && strstr(err, "expected '$'"));
    CHECK(parse("*x\r\n") == -1);
    CHECK(parse("*1\r\n$-5\r\n") == -1);
    CHECK(parse("*1\r\n$1001\r\n") == -1 && strstr(err, "bulk length"));   /* > max_bulk */
    CHECK(parse("*1\r\n$3\r\nabcXY") == -1 && strstr(err, "CRLF"));
    CHECK(parse("*5000\r\n") == -1 && strstr(err, "too many"));
    char big[5000] = "*1\r\n$999\r\n";
    memset(big + 11, 'a', 999);
    strcpy(big + 1010, "\r\n");
    CHECK(resp_parse(big, 1012, 1000, 500, &c, &err) == -1 && strstr(err, "too large"));
}

static void test_glob(void)
{
#define G(p, s) resp_glob(p, strlen(p), s, strlen(s))
    CHECK(G("*", "anything") && G("*", ""));
    CHECK(G("user:*", "user:42") && !G("user:*", "usr:42"));
    CHECK(G("h?llo", "hello") && !G("h?llo", "hllo"));
    CHECK(G("h[ae]llo", "hallo") && !G("h[ae]llo", "hillo"));
    CHECK(G("h[^e]llo", "hallo") && !G("h[^e]llo", "hello"));
    CHECK(G("h[a-c]llo", "hbllo") && !G("h[a-c]llo", "hdllo"));
    CHECK(G("a\\*b", "a*b") && !G("a\\*b", "axb"));
    CHECK(G("*a*b*", "xxaxxbxx") && !G("*a*b*", "xxbxxaxx"));
#undef G
}

static void test_records(void)
{
    uint8_t buf[512];
    struct kv_rec r = { .op = KV_SET, .flags = KV_REC_END, .generation = 3, .epoch = 7, .seq = 9,
                        .expire_ms = 123456789, .key = (const uint8_t *)"key", .klen = 3,
                        .val = (const uint8_t *)"value", .vlen = 5 }, d;
    size_t n = kv_rec_encode(&r, buf);
    CHECK(n == kv_rec_size(3, 5) && n % 8 == 0);
    CHECK(kv_rec_decode(buf, n, &d) == n);
    CHECK(d.op == KV_SET && d.flags == KV_REC_END && d.generation == 3 && d.epoch == 7 &&
          d.seq == 9 && d.expire_ms == 123456789 && d.klen == 3 && memcmp(d.val, "value", 5) == 0);
    CHECK(kv_rec_decode(buf, n - 1, &d) == 0);                    /* cut short */
    for (size_t i = 0; i < n; i++) {                              /* any flipped bit is caught */
        buf[i] ^= 0x10;
        CHECK(kv_rec_decode(buf, n, &d) == 0);
        buf[i] ^= 0x10;
    }
    memset(buf, 0, sizeof(buf));
    CHECK(kv_rec_decode(buf, sizeof(buf), &d) == 0);              /* zeroes: the end */
}

static void test_super(void)
{
    static uint8_t block[KV_BLOCK];
    struct kv_super s = { .generation = 2, .epoch = 5, .active = 1, .block = KV_BLOCK,
                          .region_bytes = 1 << 20, .disk_bytes = (2 << 20) + 2 * KV_BLOCK }, t;
    char e[120];
    kv_super_seal(&s, block);
    CHECK(kv_super_check(block, s.disk_bytes, &t, e, sizeof(e)) == 0 && t.generation == 2 &&
          t.active == 1);
    CHECK(kv_super_check(block, s.disk_bytes * 2, &t, e, sizeof(e)) == -1);  /* another disk */
    block[100] ^= 1;
    CHECK(kv_super_check(block, s.disk_bytes, &t, e, sizeof(e)) == -1 && strstr(e, "checksum"));
    memset(block, 0, KV_BLOCK);
    CHECK(kv_super_check(block, s.disk_bytes, &t, e, sizeof(e)) == 1);
    memcpy(block, "some other filesystem", 21);
    CHECK(kv_super_check(block, s.disk_bytes, &t, e, sizeof(e)) == -1 && strstr(e, "other data"));
}

int main(void)
{
    RUN(test_resp);
    RUN(test_glob);
    RUN(test_records);
    RUN(test_super);
    return tests_failed != 0;
}
