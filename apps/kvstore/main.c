/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kvstore: a key-value server speaking the Redis protocol (RESP) on TCP,
 * durable on a disk. Commands: PING, ECHO, GET, SET (EX, PX, NX, XX),
 * DEL, EXISTS, INCR, DECR, MGET, MSET, EXPIRE, TTL, KEYS, DBSIZE,
 * FLUSHALL, INFO, and the few a client sends on connecting (SELECT 0,
 * CONFIG GET, COMMAND, CLIENT, QUIT). Pipelined requests are answered in
 * order.
 *
 * Durability: each change is a checksummed record in an append-only log
 * (persist.c, log.h). The requests of one poll round are executed
 * together and their records form one batch; a reply is sent only once
 * the newest batch when it was made is written and the disk flushed, so
 * every acknowledged write survives a crash. A writer thread writes batch
 * k while the next round's requests are executed into batch k+1.
 * At boot the log is replayed (a torn tail is dropped); it is compacted
 * into the disk's other region as it fills. With app.fsync=everysec each
 * round's records are written before its replies, but the disk is flushed
 * only in the first round a second after the last flush: as with Redis's
 * appendfsync everysec, a crash of the host may lose about the last
 * second of acknowledged writes (a crash of the guest alone does not:
 * what was written is with the backend).
 *
 * Configuration (docs/config.md): app.port (6379), app.disk (the disk,
 * default: the first one), app.format (1: erase a disk that is not a
 * store), app.max_key (bytes, default 65536), app.max_value (default
 * 1048576), app.max_request (default 4194304), app.max_clients,
 * app.fsync (always, the default, or everysec).
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <xenolith.h>

#include "persist.h"
#include "resp.h"
#include "store.h"

struct conn {
    int fd;
    char *in;
    size_t inlen, incap;
    char *out;
    size_t outlen, outoff, outcap;
    uint64_t tag;                       /* the output waits for this batch (persist.h) */
    bool close_after;
};

static struct {
    struct kv_table t;
    size_t max_key, max_value, max_request;
    bool broken;                        /* a disk write failed: no more changes */
    bool write_failed;                  /* ...and the replies it held were dropped */
    unsigned long long commands, connections;
} kv;

static int64_t now_ms(void)
{
    return (int64_t)(xn_clock_wall_ns() / 1000000ULL);
}

/* ---------------------------------------------------------------- replies */

static void out_add(struct conn *c, const void *data, size_t n)
{
    if (c->outlen + n > c->outcap) {
        size_t cap = c->outcap ? c->outcap : 4096;
        while (cap < c->outlen + n)
            cap *= 2;
        char *o = realloc(c->out, cap);
        if (o == NULL) {
            c->close_after = true;      /* cannot answer: end the connection */
            return;
        }
        c->out = o;
        c->outcap = cap;
    }
    memcpy(c->out + c->outlen, data, n);
    c->outlen += n;
    c->tag = pst_tag();                 /* it may show any change made so far */
}

static void out_fmt(struct conn *c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > 0)
        out_add(c, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void ok(struct conn *c) { out_add(c, "+OK\r\n", 5); }
static void nil(struct conn *c) { out_add(c, "$-1\r\n", 5); }
static void integer(struct conn *c, long long v) { out_fmt(c, ":%lld\r\n", v); }

static void bulk(struct conn *c, const char *s, size_t n)
{
    out_fmt(c, "$%zu\r\n", n);
    out_add(c, s, n);
    out_add(c, "\r\n", 2);
}

static void error(struct conn *c, const char *msg)
{
    out_fmt(c, "-%s\r\n", msg);
}

/* ---------------------------------------------------------------- helpers */

static bool is(const struct resp_cmd *cmd, int i, const char *word)
{
    return cmd->len[i] == strlen(word) && strncasecmp(cmd->argv[i], word, cmd->len[i]) == 0;
}

/* A signed 64-bit decimal, as Redis accepts it. */
static bool to_ll(const char *s, size_t n, long long *out)
{
    char buf[32];
    if (n == 0 || n >= sizeof(buf))
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (errno != 0 || *end != '\0' || buf[0] == ' ' || buf[0] == '+' ||
        (buf[0] == '0' && n > 1) || (buf[0] == '-' && (n == 1 || buf[1] == '0')))
        return false;
    *out = v;
    return true;
}

static void wrong_args(struct conn *c, const struct resp_cmd *cmd)
{
    char name[40];
    size_t n = cmd->len[0] < sizeof(name) - 1 ? cmd->len[0] : sizeof(name) - 1;
    for (size_t i = 0; i < n; i++)
        name[i] = (char)(cmd->argv[0][i] >= 'A' && cmd->argv[0][i] <= 'Z' ? cmd->argv[0][i] + 32
                                                                           : cmd->argv[0][i]);
    name[n] = '\0';
    out_fmt(c, "-ERR wrong number of arguments for '%s' command\r\n", name);
}

/* Can this change be logged? Replies with an error if not. */
static bool loggable(struct conn *c, size_t klen, size_t vlen)
{
    if (kv.broken) {
        error(c, "ERR the store's disk failed: no more changes are accepted");
        return false;
    }
    if (klen > kv.max_key) {
        out_fmt(c, "-ERR key too large (limit %zu bytes)\r\n", kv.max_key);
        return false;
    }
    if (vlen > kv.max_value) {
        out_fmt(c, "-ERR value too large (limit %zu bytes)\r\n", kv.max_value);
        return false;
    }
    if (pst_fits(klen, vlen))
        return true;
    /* The region is full: write what is pending, then compact. */
    if (pst_commit() != 0 || pst_compact(&kv.t, now_ms()) != 0) {
        if (pst_pending() == 0 && !kv.broken) {
            error(c, "ERR disk full");
            return false;
        }
        kv.broken = true;
        error(c, "ERR the store's disk failed: no more changes are accepted");
        return false;
    }
    if (!pst_fits(klen, vlen)) {
        error(c, "ERR disk full");
        return false;
    }
    return true;
}

/* Log and apply: 0, or -1 (an error reply was sent). */
static int set_key(struct conn *c, const char *k, size_t kl, const char *v, size_t vl,
                   int64_t expire, bool end)
{
    if (pst_add(KV_SET, k, kl, v, vl, expire, end) != 0 ||
        kv_put(&kv.t, k, kl, v, vl, expire) != 0) {
        kv.broken = true;               /* a half-applied batch: stop changes */
        error(c, "OOM out of memory");
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- commands */

static void cmd_set(struct conn *c, const struct resp_cmd *cmd)
{
    int64_t expire = 0;
    bool nx = false, xx = false, has_expire = false;
    for (int i = 3; i < cmd->argc; i++) {
        if (is(cmd, i, "NX") && !xx) {
            nx = true;
        } else if (is(cmd, i, "XX") && !nx) {
            xx = true;
        } else if ((is(cmd, i, "EX") || is(cmd, i, "PX")) && i + 1 < cmd->argc && !has_expire) {
            long long v;
            if (!to_ll(cmd->argv[i + 1], cmd->len[i + 1], &v)) {
                error(c, "ERR value is not an integer or out of range");
                return;
            }
            if (v <= 0 || v > (long long)(INT64_MAX / 1000 - now_ms() / 1000)) {
                error(c, "ERR invalid expire time in 'set' command");
                return;
            }
            expire = now_ms() + (is(cmd, i, "EX") ? v * 1000 : v);
            has_expire = true;
            i++;
        } else {
            error(c, "ERR syntax error");
            return;
        }
    }
    struct kv_entry *e = kv_get(&kv.t, cmd->argv[1], cmd->len[1], now_ms());
    if ((nx && e != NULL) || (xx && e == NULL)) {
        nil(c);
        return;
    }
    if (!loggable(c, cmd->len[1], cmd->len[2]))
        return;
    if (set_key(c, cmd->argv[1], cmd->len[1], cmd->argv[2], cmd->len[2], expire, true) == 0)
        ok(c);
}

static void cmd_get(struct conn *c, const struct resp_cmd *cmd)
{
    struct kv_entry *e = kv_get(&kv.t, cmd->argv[1], cmd->len[1], now_ms());
    if (e == NULL)
        nil(c);
    else
        bulk(c, e->val, e->vlen);
}

static void cmd_del(struct conn *c, const struct resp_cmd *cmd)
{
    long long n = 0;
    int64_t now = now_ms();
    int last = 0;
    for (int i = 1; i < cmd->argc; i++)
        if (kv_get(&kv.t, cmd->argv[i], cmd->len[i], now) != NULL)
            last = i;
    for (int i = 1; i < cmd->argc; i++) {
        if (kv_get(&kv.t, cmd->argv[i], cmd->len[i], now) == NULL)
            continue;
        if (!loggable(c, cmd->len[i], 0))
            return;
        if (pst_add(KV_DEL, cmd->argv[i], cmd->len[i], NULL, 0, 0, i == last) != 0) {
            kv.broken = true;
            error(c, "OOM out of memory");
            return;
        }
        n += kv_del(&kv.t, cmd->argv[i], cmd->len[i]);
    }
    integer(c, n);
}

static void cmd_exists(struct conn *c, const struct resp_cmd *cmd)
{
    long long n = 0;
    for (int i = 1; i < cmd->argc; i++)
        n += kv_get(&kv.t, cmd->argv[i], cmd->len[i], now_ms()) != NULL;
    integer(c, n);
}

static void cmd_incr(struct conn *c, const struct resp_cmd *cmd, long long by)
{
    struct kv_entry *e = kv_get(&kv.t, cmd->argv[1], cmd->len[1], now_ms());
    long long v = 0;
    if (e != NULL && !to_ll(e->val, e->vlen, &v)) {
        error(c, "ERR value is not an integer or out of range");
        return;
    }
    if ((by > 0 && v > LLONG_MAX - by) || (by < 0 && v < LLONG_MIN - by)) {
        error(c, "ERR increment or decrement would overflow");
        return;
    }
    v += by;
    char num[32];
    int n = snprintf(num, sizeof(num), "%lld", v);
    if (!loggable(c, cmd->len[1], (size_t)n))
        return;
    if (set_key(c, cmd->argv[1], cmd->len[1], num, (size_t)n, e ? e->expire_ms : 0, true) == 0)
        integer(c, v);
}

static void cmd_mget(struct conn *c, const struct resp_cmd *cmd)
{
    out_fmt(c, "*%d\r\n", cmd->argc - 1);
    for (int i = 1; i < cmd->argc; i++) {
        struct kv_entry *e = kv_get(&kv.t, cmd->argv[i], cmd->len[i], now_ms());
        if (e == NULL)
            nil(c);
        else
            bulk(c, e->val, e->vlen);
    }
}

static void cmd_mset(struct conn *c, const struct resp_cmd *cmd)
{
    if (cmd->argc < 3 || cmd->argc % 2 == 0) {
        wrong_args(c, cmd);
        return;
    }
    /* Check every pair first: the batch goes in whole or not at all. */
    size_t total = 0;
    for (int i = 1; i < cmd->argc; i += 2) {
        if (cmd->len[i] > kv.max_key || cmd->len[i + 1] > kv.max_value) {
            loggable(c, cmd->len[i], cmd->len[i + 1]);
            return;
        }
        total += cmd->len[i] + cmd->len[i + 1] + 64;
    }
    if (!loggable(c, 0, total))
        return;
    for (int i = 1; i < cmd->argc; i += 2)
        if (set_key(c, cmd->argv[i], cmd->len[i], cmd->argv[i + 1], cmd->len[i + 1], 0,
                    i + 2 >= cmd->argc) != 0)
            return;
    ok(c);
}

static void cmd_expire(struct conn *c, const struct resp_cmd *cmd)
{
    long long s;
    if (!to_ll(cmd->argv[2], cmd->len[2], &s)) {
        error(c, "ERR value is not an integer or out of range");
        return;
    }
    if (s > INT64_MAX / 1000 - now_ms() / 1000) {
        error(c, "ERR invalid expire time in 'expire' command");
        return;
    }
    struct kv_entry *e = kv_get(&kv.t, cmd->argv[1], cmd->len[1], now_ms());
    if (e == NULL) {
        integer(c, 0);
        return;
    }
    if (!loggable(c, cmd->len[1], 0))
        return;
    if (s <= 0) {                       /* in the past: the key goes */
        if (pst_add(KV_DEL, cmd->argv[1], cmd->len[1], NULL, 0, 0, true) != 0) {
            kv.broken = true;
            error(c, "OOM out of memory");
            return;
        }
        kv_del(&kv.t, cmd->argv[1], cmd->len[1]);
    } else {
        int64_t at = now_ms() + s * 1000;
        if (pst_add(KV_EXPIRE, cmd->argv[1], cmd->len[1], NULL, 0, at, true) != 0) {
            kv.broken = true;
            error(c, "OOM out of memory");
            return;
        }
        kv_set_expire(&kv.t, e, at);
    }
    integer(c, 1);
}

static void cmd_ttl(struct conn *c, const struct resp_cmd *cmd)
{
    int64_t now = now_ms();
    struct kv_entry *e = kv_get(&kv.t, cmd->argv[1], cmd->len[1], now);
    if (e == NULL)
        integer(c, -2);
    else if (e->expire_ms == 0)
        integer(c, -1);
    else
        integer(c, (e->expire_ms - now + 500) / 1000);
}

struct keys_arg {
    struct conn *c;
    const struct resp_cmd *cmd;
    size_t n;
    struct kv_entry **list;
    size_t cap;
};

static void keys_one(struct kv_entry *e, void *arg)
{
    struct keys_arg *k = arg;
    if (!resp_glob(k->cmd->argv[1], k->cmd->len[1], e->key, e->klen))
        return;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        struct kv_entry **l = realloc(k->list, cap * sizeof(*l));
        if (l == NULL)
            return;
        k->list = l;
        k->cap = cap;
    }
    k->list[k->n++] = e;
}

static void cmd_keys(struct conn *c, const struct resp_cmd *cmd)
{
    struct keys_arg k = { .c = c, .cmd = cmd };
    kv_each(&kv.t, now_ms(), keys_one, &k);
    out_fmt(c, "*%zu\r\n", k.n);
    for (size_t i = 0; i < k.n; i++)
        bulk(c, k.list[i]->key, k.list[i]->klen);
    free(k.list);
}

static void count_live(struct kv_entry *e, void *arg)
{
    (void)e;
    ++*(size_t *)arg;
}

static void cmd_info(struct conn *c)
{
    size_t live = 0;
    kv_each(&kv.t, now_ms(), count_live, &live);
    struct pst_stats st;
    pst_stats(&st);
    char body[1024];
    int n = snprintf(body, sizeof(body),
                     "# Server\r\nredis_version:7.0.0\r\nxenolith_kvstore:1\r\n"
                     "uptime_in_seconds:%llu\r\n\r\n# Clients\r\nconnections_received:%llu\r\n\r\n"
                     "# Persistence\r\naof_enabled:1\r\nlog_bytes:%llu\r\nlog_region_bytes:%llu\r\n"
                     "log_generation:%llu\r\ncommits:%llu\r\ncompactions:%llu\r\ndisk_ok:%d\r\n\r\n"
                     "# Stats\r\ntotal_commands_processed:%llu\r\n\r\n"
                     "# Keyspace\r\ndb0:keys=%zu,expires=%zu,avg_ttl=0\r\n",
                     (unsigned long long)(xn_clock_monotonic_ns() / 1000000000ULL), kv.connections,
                     (unsigned long long)st.log_bytes, (unsigned long long)st.region_bytes,
                     (unsigned long long)st.generation, st.commits, st.compactions, !kv.broken,
                     kv.commands, live, kv.t.expires);
    bulk(c, body, (size_t)n < sizeof(body) ? (size_t)n : sizeof(body) - 1);
}

static void execute(struct conn *c, const struct resp_cmd *cmd)
{
    static const struct {
        const char *name;
        int min, max;                   /* argc, including the name; -1: any */
    } arity[] = {
        { "PING", 1, 2 }, { "ECHO", 2, 2 }, { "GET", 2, 2 }, { "SET", 3, -1 },
        { "DEL", 2, -1 }, { "EXISTS", 2, -1 }, { "INCR", 2, 2 }, { "DECR", 2, 2 },
        { "MGET", 2, -1 }, { "MSET", 3, -1 }, { "EXPIRE", 3, 3 }, { "TTL", 2, 2 },
        { "KEYS", 2, 2 }, { "DBSIZE", 1, 1 }, { "FLUSHALL", 1, 2 }, { "INFO", 1, -1 },
        { "QUIT", 1, 1 }, { "SELECT", 2, 2 }, { "CONFIG", 2, -1 }, { "COMMAND", 1, -1 },
        { "CLIENT", 2, -1 },
    };
    if (cmd->argc == 0)
        return;
    kv.commands++;
    int known = -1;
    for (size_t i = 0; i < sizeof(arity) / sizeof(arity[0]) && known < 0; i++)
        if (is(cmd, 0, arity[i].name))
            known = (int)i;
    if (known < 0) {
        char msg[200];
        int n = snprintf(msg, sizeof(msg), "ERR unknown command '%.*s', with args beginning with: ",
                         (int)(cmd->len[0] < 64 ? cmd->len[0] : 64), cmd->argv[0]);
        for (int i = 1; i < cmd->argc && n < 150; i++)
            n += snprintf(msg + n, sizeof(msg) - (size_t)n, "'%.*s' ",
                          (int)(cmd->len[i] < 32 ? cmd->len[i] : 32), cmd->argv[i]);
        error(c, msg);
        return;
    }
    if (cmd->argc < arity[known].min || (arity[known].max >= 0 && cmd->argc > arity[known].max)) {
        wrong_args(c, cmd);
        return;
    }
    const char *name = arity[known].name;
    if (!strcmp(name, "PING"))
        cmd->argc == 2 ? bulk(c, cmd->argv[1], cmd->len[1]) : out_add(c, "+PONG\r\n", 7);
    else if (!strcmp(name, "ECHO"))
        bulk(c, cmd->argv[1], cmd->len[1]);
    else if (!strcmp(name, "GET"))
        cmd_get(c, cmd);
    else if (!strcmp(name, "SET"))
        cmd_set(c, cmd);
    else if (!strcmp(name, "DEL"))
        cmd_del(c, cmd);
    else if (!strcmp(name, "EXISTS"))
        cmd_exists(c, cmd);
    else if (!strcmp(name, "INCR"))
        cmd_incr(c, cmd, 1);
    else if (!strcmp(name, "DECR"))
        cmd_incr(c, cmd, -1);
    else if (!strcmp(name, "MGET"))
        cmd_mget(c, cmd);
    else if (!strcmp(name, "MSET"))
        cmd_mset(c, cmd);
    else if (!strcmp(name, "EXPIRE"))
        cmd_expire(c, cmd);
    else if (!strcmp(name, "TTL"))
        cmd_ttl(c, cmd);
    else if (!strcmp(name, "KEYS"))
        cmd_keys(c, cmd);
    else if (!strcmp(name, "DBSIZE")) {
        size_t live = 0;
        kv_each(&kv.t, now_ms(), count_live, &live);
        integer(c, (long long)live);
    } else if (!strcmp(name, "FLUSHALL")) {
        if (cmd->argc == 2 && !is(cmd, 1, "SYNC") && !is(cmd, 1, "ASYNC")) {
            error(c, "ERR syntax error");
        } else if (loggable(c, 0, 0)) {
            if (pst_add(KV_FLUSHALL, NULL, 0, NULL, 0, 0, true) != 0) {
                kv.broken = true;
                error(c, "OOM out of memory");
            } else {
                kv_clear(&kv.t);
                ok(c);
            }
        }
    } else if (!strcmp(name, "INFO"))
        cmd_info(c);
    else if (!strcmp(name, "QUIT")) {
        ok(c);
        c->close_after = true;
    } else if (!strcmp(name, "SELECT")) {
        is(cmd, 1, "0") ? ok(c) : error(c, "ERR DB index is out of range");
    } else if (!strcmp(name, "CONFIG") || !strcmp(name, "COMMAND")) {
        out_add(c, "*0\r\n", 4);        /* nothing to configure or describe */
    } else {
        ok(c);                          /* CLIENT SETNAME and the like */
    }
}

/* ---------------------------------------------------------------- server */

/* Execute every complete request in the input buffer. */
static void handle_input(struct conn *c)
{
    static struct resp_cmd parsed;      /* one thread: one at a time */
    struct resp_cmd *cmd = &parsed;
    size_t off = 0;
    while (off < c->inlen && !c->close_after) {
        const char *err = NULL;
        /* Any argument up to the request limit is read, so that a key or
         * value over its own limit gets a reply, not a dropped connection. */
        long n = resp_parse(c->in + off, c->inlen - off, kv.max_request, kv.max_request, cmd, &err);
        if (n == 0)
            break;
        if (n < 0) {
            error(c, err);
            c->close_after = true;      /* the stream cannot be resynchronised */
            off = c->inlen;
            break;
        }
        off += (size_t)n;
        execute(c, cmd);
    }
    memmove(c->in, c->in + off, c->inlen - off);
    c->inlen -= off;
}

static unsigned long long cfg(const char *key, unsigned long long dflt, unsigned long long max)
{
    unsigned long long v;
    if (xn_config_uint(key, dflt, max, &v) != 0)
        exit(2);
    return v;
}

static void conn_free(struct conn *c)
{
    close(c->fd);
    free(c->in);
    free(c->out);
    free(c);
}

int main(void)
{
    /* A client that goes away mid-reply is an error on that connection
     * (EPIPE), not the end of the server. */
    signal(SIGPIPE, SIG_IGN);
    unsigned port = (unsigned)cfg("app.port", 6379, 65535);
    kv.max_key = cfg("app.max_key", 65536, 1 << 24);
    kv.max_value = cfg("app.max_value", 1 << 20, 1 << 28);
    kv.max_request = cfg("app.max_request", 4 << 20, 1 << 30);
    unsigned max = (unsigned)cfg("app.max_clients", 128, 240);
    bool format = cfg("app.format", 0, 1) != 0;
    const char *fs = xn_config_get("app.fsync");
    bool everysec = false;
    if (fs != NULL && strcmp(fs, "everysec") == 0)
        everysec = true;
    else if (fs != NULL && strcmp(fs, "always") != 0) {
        printf("kvstore: error: bad value '%s' for app.fsync (expected always or everysec)\n", fs);
        return 2;
    }
    const char *disk = xn_config_get("app.disk");
    char dname[24];
    if (disk == NULL) {
        struct xn_blk_info info;
        if (xn_blk_open() < 1 || xn_blk_info(0, &info) != 0) {
            printf("kvstore: error: no disk (give the guest one; its data lives there)\n");
            return 1;
        }
        snprintf(dname, sizeof(dname), "%s", info.name);
        disk = dname;
    }
    char err[240];
    if (kv_table_init(&kv.t) != 0 || pst_open(disk, format, &kv.t, err, sizeof(err)) != 0) {
        printf("kvstore: error: %s\n", kv.t.b ? err : "out of memory");
        return 1;
    }

    int l = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int on = 1, off = 0;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
    struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
                              .sin6_addr = IN6ADDR_ANY_INIT };
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(l, SOMAXCONN) != 0) {
        printf("kvstore: cannot listen on port %u: %s\n", port, strerror(errno));
        return 1;
    }
    struct conn **c = calloc(max, sizeof(*c));
    struct pollfd *p = calloc(max + 2, sizeof(*p));
    int werr = pst_start_writer();
    if (c == NULL || p == NULL || werr != 0) {
        printf("kvstore: cannot start: %s\n", werr != 0 ? strerror(-werr) : "out of memory");
        return 1;
    }
    pst_set_flush(!everysec);
    printf("kvstore: serving the Redis protocol on port %u, data on %s (%zu keys), %s\n", port,
           disk, kv.t.n, everysec ? "the disk flushed every second (app.fsync=everysec)"
                                  : "the disk flushed before each reply");
    fflush(stdout);

    /*
     * Each round reads and executes what the clients sent, then hands the
     * round's changes to the log writer as one batch, unless a batch is
     * still being written: then they wait for the next round, and the
     * batch grows meanwhile. A reply goes out once the batch that holds
     * every change it may have seen is durable (everysec: written).
     */
    unsigned n = 0;
    uint64_t last_flush = xn_clock_monotonic_ns(), durable = 0;
    for (;;) {
        p[0] = (struct pollfd){ .fd = n < max ? l : -1, .events = POLLIN };
        p[1] = (struct pollfd){ .fd = pst_notify_fd(), .events = POLLIN };
        for (unsigned i = 0; i < n; i++) {
            bool held = c[i]->outoff < c[i]->outlen;
            bool sendable = held && (c[i]->tag <= durable || kv.write_failed);
            p[2 + i] = (struct pollfd){ .fd = c[i]->fd,
                                        .events = sendable ? POLLOUT : held ? 0 : POLLIN };
        }
        if (poll(p, 2 + n, 100) < 0) {
            printf("kvstore: poll: %s\n", strerror(errno));
            return 1;
        }
        /* Read and execute; the replies wait for their batch. */
        for (unsigned i = 0; i < n; i++) {
            struct conn *k = c[i];
            if (!(p[2 + i].revents & (POLLIN | POLLHUP | POLLERR)) || k->outoff < k->outlen)
                continue;
            if (k->inlen == k->incap) {
                size_t cap = k->incap ? k->incap * 2 : 16384;
                char *in = cap <= kv.max_request + 65536 ? realloc(k->in, cap) : NULL;
                if (in == NULL) {
                    error(k, "ERR Protocol error: request too large");
                    k->close_after = true;
                    continue;
                }
                k->in = in;
                k->incap = cap;
            }
            ssize_t r = recv(k->fd, k->in + k->inlen, k->incap - k->inlen, 0);
            if (r > 0) {
                k->inlen += (size_t)r;
                handle_input(k);
                if (k->outlen > k->outoff)
                    k->tag = pst_tag();
            } else if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                k->close_after = true;
                k->outlen = k->outoff = 0;
            }
        }
        /* This round's changes go to the writer (if it is idle); then see
         * what became durable (everysec: written; flushed when a second
         * has passed since the last flush). */
        pst_submit();
        uint64_t now = xn_clock_monotonic_ns();
        int wrc = 0;
        if (everysec && pst_unflushed() && now - last_flush >= 1000000000ULL) {
            wrc = pst_flush();
            last_flush = now;
        }
        durable = pst_durable(&wrc);
        pst_submit();                   /* the writer may have become idle meanwhile (flush) */
        if (wrc != 0 && !kv.write_failed) {
            kv.broken = kv.write_failed = true;
            pst_discard();              /* else every later round, reads too, would fail */
            printf("kvstore: error: writing the log failed; unacknowledged changes are dropped "
                   "and no more changes are accepted\n");
            for (unsigned i = 0; i < n; i++) {
                if (c[i]->tag > durable) {
                    /* Nothing that waits for a lost batch is acknowledged. */
                    c[i]->outlen = c[i]->outoff = 0;
                    c[i]->close_after = true;
                }
            }
        }
        for (unsigned i = n; i-- > 0;) {
            struct conn *k = c[i];
            while (k->outoff < k->outlen && (k->tag <= durable || kv.write_failed)) {
                ssize_t w = send(k->fd, k->out + k->outoff, k->outlen - k->outoff, 0);
                if (w <= 0) {
                    if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                        k->close_after = true, k->outoff = k->outlen;
                    break;
                }
                k->outoff += (size_t)w;
            }
            if (k->outoff == k->outlen)
                k->outoff = k->outlen = 0;
            if (k->close_after && k->outlen == 0) {
                conn_free(k);
                c[i] = c[--n];
            }
        }
        while ((p[0].revents & POLLIN) && n < max) {
            int fd = accept4(l, NULL, NULL, SOCK_NONBLOCK);
            if (fd < 0)
                break;
            struct conn *k = calloc(1, sizeof(*k));
            if (k == NULL) {
                close(fd);
                break;
            }
            k->fd = fd;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
            c[n++] = k;
            kv.connections++;
        }
        kv_sweep(&kv.t, now_ms(), 64);
    }
}
