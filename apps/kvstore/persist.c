/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kvstore's durable log on a disk (format in log.h). Changes are records
 * appended to a pending buffer; commit() writes them after the log's end
 * and flushes the disk, and only then may the commands that made them be
 * acknowledged. When the active region fills, compaction writes a snapshot
 * of the table into the other region, flushes, and then switches the
 * superblock to it (flushed too), so a crash at any point leaves one
 * complete, consistent log.
 *
 * Commits are pipelined: a writer thread writes and flushes batch k while
 * the server executes the commands of batch k+1 into the pending buffer.
 * Every batch has a number; the server holds each reply until the batch
 * that holds every change it may have seen is durable (pst_tag,
 * pst_durable). The writer writes one byte on a pipe per finished batch,
 * so the server's poll() wakes for it.
 */
#define _GNU_SOURCE                     /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xenolith.h>

#include "log.h"
#include "persist.h"

static struct {
    int fd;
    uint64_t disk;
    struct kv_super sb;
    uint64_t end;                       /* bytes of log in the active region */
    uint64_t seq;                       /* the next record's */
    uint8_t *pend;                      /* records not written yet */
    size_t npend, cap;
    uint8_t tail[KV_BLOCK];             /* the log's last, partial block */
    unsigned long long commits, compactions, replayed;
    bool lazy;                          /* commits do not flush (app.fsync=everysec) */
    bool unflushed;                     /* ...and wrote since the last flush */
} p = { .fd = -1 };

/* The writer thread and the batch in flight. */
static struct {
    pthread_mutex_t m;
    pthread_cond_t c;
    bool started;
    uint8_t *buf;                       /* the batch in flight... */
    size_t n, cap;                      /* ...its bytes (0: none in flight) */
    uint64_t submitted, durable;        /* batch numbers */
    int err;                            /* the first write failure (-EIO), sticky */
    int notify[2];                      /* a byte on [1] per finished batch */
} w = { .notify = { -1, -1 } };

static uint64_t region_base(unsigned r)
{
    return 2 * KV_BLOCK + (uint64_t)r * p.sb.region_bytes;
}

static int write_super(void)
{
    static uint8_t block[KV_BLOCK];
    kv_super_seal(&p.sb, block);
    /* Alternate the copies: the other one stays valid meanwhile. */
    off_t at = (off_t)(p.sb.generation + p.sb.epoch) % 2 * KV_BLOCK;
    if (pwrite(p.fd, block, KV_BLOCK, at) != KV_BLOCK || fsync(p.fd) != 0)
        return -1;
    return 0;
}

/* Apply one record: 0, or -1 when the table cannot hold it (out of memory). */
static int apply(struct kv_table *t, const struct kv_rec *r)
{
    switch (r->op) {
    case KV_SET:
        return kv_put(t, (const char *)r->key, r->klen, (const char *)r->val, r->vlen,
                      r->expire_ms) < 0 ? -1 : 0;
    case KV_DEL:
        kv_del(t, (const char *)r->key, r->klen);
        break;
    case KV_EXPIRE: {
        struct kv_entry *e = kv_get(t, (const char *)r->key, r->klen, 0);
        if (e != NULL)
            kv_set_expire(t, e, r->expire_ms);
        break;
    }
    case KV_FLUSHALL:
        kv_clear(t);
        break;
    }
    return 0;
}

#define BATCH_MAX 1024                  /* records in one batch (MSET of 512 keys) */

/*
 * Read the active region, applying every complete batch; sets p.end and
 * p.seq. A batch is applied only once its END record is read, so a torn
 * tail (a batch cut short by a crash) is dropped whole. The buffer grows
 * when a batch is larger than what it holds, up to the record sizes the
 * header claims only when they fit in the region. A record that cannot
 * be applied (out of memory) fails the replay: the store never comes
 * back partial, where the next compaction would make the loss permanent.
 */
static int replay(struct kv_table *t, char *err, size_t errlen)
{
    size_t cap = 1 << 20, have = 0;
    uint8_t *buf = malloc(cap);
    struct kv_rec *batch = malloc(sizeof(*batch) * BATCH_MAX);
    uint64_t base = region_base(p.sb.active), pos = 0, seq = 0, last_epoch = 0;
    int rc = 0;
    if (buf == NULL || batch == NULL) {
        snprintf(err, errlen, "out of memory for the replay");
        rc = -1;
        goto out;
    }
    for (;;) {
        /* buf holds the region from (pos), (have) bytes of it. */
        bool eof = pos + have >= p.sb.region_bytes;
        if (have < cap && !eof) {
            size_t want = cap - have;
            if (want > p.sb.region_bytes - pos - have)
                want = (size_t)(p.sb.region_bytes - pos - have);
            ssize_t r = pread(p.fd, buf + have, want, (off_t)(base + pos + have));
            if (r <= 0) {
                snprintf(err, errlen, "reading the log: %s", r < 0 ? strerror(errno) : "short read");
                rc = -1;
                goto out;
            }
            have += (size_t)r;
            eof = pos + have >= p.sb.region_bytes;
        }
        /* Apply the complete batches in the buffer. */
        size_t at = 0, done = 0, nbatch = 0;
        uint64_t s = seq, le = last_epoch;
        bool stop = false;
        for (;;) {
            struct kv_rec r;
            size_t n = kv_rec_decode(buf + at, have - at, &r);
            if (n == 0) {
                /* Not a whole valid record here: the end of the log, unless
                 * the buffer cut one short and more of the region follows. */
                uint32_t magic = 0, size = 0;
                if (have - at >= 8) {
                    memcpy(&magic, buf + at, 4);
                    memcpy(&size, buf + at + 4, 4);
                }
                /* The size is the disk's word: a cut record only if it
                 * ends within the region. */
                bool cut = have - at < 8 ||
                           (magic == KV_REC_MAGIC && size > have - at &&
                            size <= p.sb.region_bytes - (pos + at));
                stop = eof || !cut;
                break;
            }
            if (r.generation != p.sb.generation || r.seq != s || r.epoch < le ||
                r.epoch > p.sb.epoch) {
                stop = true;                /* a stale record, not part of this log */
                break;
            }
            if (nbatch == BATCH_MAX) {
                snprintf(err, errlen, "the log has a batch of more than %d records at byte %llu "
                         "of its region (this store never writes one)", BATCH_MAX,
                         (unsigned long long)(pos + at));
                rc = -1;
                goto out;
            }
            batch[nbatch++] = r;
            le = r.epoch;
            s++;
            at += n;
            if (r.flags & KV_REC_END) {
                for (size_t i = 0; i < nbatch; i++) {
                    if (apply(t, &batch[i]) != 0) {
                        snprintf(err, errlen, "out of memory replaying the log (record %llu, a "
                                 "value of %u bytes): the store does not fit in this guest's "
                                 "memory", (unsigned long long)batch[i].seq, batch[i].vlen);
                        rc = -1;
                        goto out;
                    }
                }
                p.replayed += nbatch;
                nbatch = 0;
                done = at;
                seq = s;
                last_epoch = le;
            }
        }
        if (stop) {
            pos += done;
            break;
        }
        /* Move on: drop what was applied, or grow for a longer batch. */
        if (done > 0) {
            memmove(buf, buf + done, have - done);
            have -= done;
            pos += done;
        } else if (have == cap) {
            if (cap >= p.sb.region_bytes) {
                pos += done;
                break;
            }
            uint8_t *n = realloc(buf, cap * 2);
            if (n == NULL) {
                snprintf(err, errlen, "out of memory replaying a batch of more than %zu bytes", cap);
                rc = -1;
                goto out;
            }
            buf = n;
            cap *= 2;
        }
    }
    p.end = pos;
    p.seq = seq;
out:
    free(buf);
    free(batch);
    return rc;
}

int pst_open(const char *dev, bool format, struct kv_table *t, char *err, size_t errlen)
{
    char path[64];
    snprintf(path, sizeof(path), "/dev/%s", dev);
    p.fd = open(path, O_RDWR);
    if (p.fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(p.fd, &st) != 0 || st.st_size < 64 * KV_BLOCK) {
        snprintf(err, errlen, "%s is too small for a store (at least %d bytes)", path, 64 * KV_BLOCK);
        return -1;
    }
    p.disk = (uint64_t)st.st_size;
    static uint8_t b0[KV_BLOCK], b1[KV_BLOCK];
    if (pread(p.fd, b0, KV_BLOCK, 0) != KV_BLOCK || pread(p.fd, b1, KV_BLOCK, KV_BLOCK) != KV_BLOCK) {
        snprintf(err, errlen, "cannot read the superblocks of %s: %s", path, strerror(errno));
        return -1;
    }
    struct kv_super s0, s1;
    char e0[120] = "", e1[120] = "";
    int r0 = kv_super_check(b0, p.disk, &s0, e0, sizeof(e0));
    int r1 = kv_super_check(b1, p.disk, &s1, e1, sizeof(e1));
    if (r0 == 0 && (r1 != 0 || s0.generation + s0.epoch >= s1.generation + s1.epoch))
        p.sb = s0;
    else if (r1 == 0)
        p.sb = s1;
    else if ((r0 == 1 && r1 == 1) || format) {
        /* A blank disk (or app.format=1): a new, empty store. */
        if (r0 != 1 || r1 != 1)
            xn_log(XN_LOG_WARN, "kvstore: formatting %s, which held other data (%s)", path,
                   r0 < 0 ? e0 : e1);
        memset(&p.sb, 0, sizeof(p.sb));
        p.sb.block = KV_BLOCK;
        p.sb.disk_bytes = p.disk;
        p.sb.region_bytes = (p.disk - 2 * KV_BLOCK) / 2 / KV_BLOCK * KV_BLOCK;
        p.sb.generation = 1;
        static uint8_t zero[KV_BLOCK];
        memset(zero, 0, sizeof(zero));
        /* The region's first block zeroed: an empty log. */
        if (pwrite(p.fd, zero, KV_BLOCK, (off_t)region_base(0)) != KV_BLOCK || write_super() != 0 ||
            (memset(zero, 0, KV_BLOCK), pwrite(p.fd, zero, KV_BLOCK, KV_BLOCK) != KV_BLOCK) ||
            fsync(p.fd) != 0) {
            snprintf(err, errlen, "cannot format %s: %s", path, strerror(errno));
            return -1;
        }
        xn_log(XN_LOG_INFO, "kvstore: formatted %s: two log regions of %llu bytes", path,
               (unsigned long long)p.sb.region_bytes);
    } else {
        snprintf(err, errlen, "%s is not a kvstore disk or is damaged (%s; %s); set "
                 "app.format=1 to erase it and start empty", path, r0 < 0 ? e0 : "blank",
                 r1 < 0 ? e1 : "blank");
        return -1;
    }
    if (replay(t, err, errlen) != 0)
        return -1;
    /* A new boot epoch, so records after this boot's start never join
     * an older tail. */
    p.sb.epoch++;
    if (write_super() != 0) {
        snprintf(err, errlen, "cannot write the superblock of %s: %s", path, strerror(errno));
        return -1;
    }
    uint64_t bstart = p.end / KV_BLOCK * KV_BLOCK;
    memset(p.tail, 0, KV_BLOCK);
    if (p.end > bstart &&
        pread(p.fd, p.tail, KV_BLOCK, (off_t)(region_base(p.sb.active) + bstart)) != KV_BLOCK) {
        snprintf(err, errlen, "cannot read the log's last block: %s", strerror(errno));
        return -1;
    }
    memset(p.tail + (p.end - bstart), 0, KV_BLOCK - (p.end - bstart));
    xn_log(XN_LOG_INFO, "kvstore: %s: generation %llu, boot %llu, %llu records replayed, %zu keys, "
           "log %llu of %llu bytes", path, (unsigned long long)p.sb.generation,
           (unsigned long long)p.sb.epoch, p.replayed, t->n, (unsigned long long)p.end,
           (unsigned long long)p.sb.region_bytes);
    return 0;
}

size_t pst_pending(void)
{
    return p.npend;
}

static size_t in_flight(void)
{
    return w.n;
}

int pst_add(enum kv_op op, const char *key, size_t klen, const char *val, size_t vlen,
            int64_t expire_ms, bool end)
{
    size_t size = kv_rec_size((uint32_t)klen, (uint32_t)vlen);
    if (p.npend + size > p.cap) {
        size_t cap = p.cap ? p.cap * 2 : 65536;
        while (cap < p.npend + size)
            cap *= 2;
        uint8_t *n = realloc(p.pend, cap);
        if (n == NULL)
            return -ENOMEM;
        p.pend = n;
        p.cap = cap;
    }
    struct kv_rec r = { .op = (uint8_t)op, .flags = end ? KV_REC_END : 0,
                        .generation = p.sb.generation, .epoch = p.sb.epoch, .seq = p.seq++,
                        .expire_ms = expire_ms, .key = (const uint8_t *)key,
                        .val = (const uint8_t *)val, .klen = (uint32_t)klen, .vlen = (uint32_t)vlen };
    p.npend += kv_rec_encode(&r, p.pend + p.npend);
    return 0;
}

bool pst_fits(size_t klen, size_t vlen)
{
    return p.end + in_flight() + p.npend + kv_rec_size((uint32_t)klen, (uint32_t)vlen) <=
           p.sb.region_bytes;
}

/* Write (n) bytes of records after (end) in region (r), then flush the
 * disk if (flush). */
static int append(unsigned r, uint64_t end, uint8_t *tail, const uint8_t *data, size_t n,
                  bool flush)
{
    uint64_t bstart = end / KV_BLOCK * KV_BLOCK;
    size_t lead = (size_t)(end - bstart);
    size_t total = (lead + n + KV_BLOCK - 1) / KV_BLOCK * KV_BLOCK;
    uint8_t *w = malloc(total);
    if (w == NULL)
        return -ENOMEM;
    memcpy(w, tail, lead);
    memcpy(w + lead, data, n);
    memset(w + lead + n, 0, total - lead - n);
    int rc = 0;
    if (pwrite(p.fd, w, total, (off_t)(region_base(r) + bstart)) != (ssize_t)total ||
        (flush && fsync(p.fd) != 0))
        rc = -EIO;
    if (rc == 0 && !flush)
        p.unflushed = true;
    if (rc == 0) {
        size_t last = (lead + n) / KV_BLOCK * KV_BLOCK;
        memset(tail, 0, KV_BLOCK);
        memcpy(tail, w + last, (lead + n) - last);
    }
    free(w);
    return rc;
}

static void *writer_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&w.m);
    for (;;) {
        while (w.n == 0)
            pthread_cond_wait(&w.c, &w.m);
        size_t n = w.n;
        pthread_mutex_unlock(&w.m);
        /* The server never touches the region, p.end or p.tail while a
         * batch is in flight (compaction drains first). */
        int rc = append(p.sb.active, p.end, p.tail, w.buf, n, !p.lazy);
        pthread_mutex_lock(&w.m);
        if (rc == 0) {
            p.end += n;
            p.commits++;
            w.durable = w.submitted;
        } else if (w.err == 0) {
            w.err = rc;
        }
        w.n = 0;
        pthread_cond_broadcast(&w.c);
        pthread_mutex_unlock(&w.m);
        (void)!write(w.notify[1], "", 1);   /* a full pipe already wakes the server */
        pthread_mutex_lock(&w.m);
    }
    return NULL;
}

int pst_start_writer(void)
{
    if (w.started)
        return 0;
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
        return -errno;
    pthread_t t;
    if (pthread_mutex_init(&w.m, NULL) != 0 || pthread_cond_init(&w.c, NULL) != 0 ||
        pthread_create(&t, NULL, writer_main, NULL) != 0) {
        close(fds[0]);
        close(fds[1]);
        return -ENOMEM;
    }
    pthread_detach(t);
    w.notify[0] = fds[0];
    w.notify[1] = fds[1];
    w.started = true;
    return 0;
}

int pst_notify_fd(void)
{
    return w.notify[0];
}

uint64_t pst_submit(void)
{
    if (p.npend == 0 || !w.started)
        return 0;
    pthread_mutex_lock(&w.m);
    if (w.n != 0 || w.err != 0) {
        pthread_mutex_unlock(&w.m);
        return 0;
    }
    /* Swap the buffers: the pending one goes to the writer. */
    uint8_t *b = w.buf;
    size_t cap = w.cap;
    w.buf = p.pend;
    w.cap = p.cap;
    w.n = p.npend;
    p.pend = b;
    p.cap = cap;
    p.npend = 0;
    uint64_t id = ++w.submitted;
    pthread_cond_signal(&w.c);
    pthread_mutex_unlock(&w.m);
    return id;
}

uint64_t pst_tag(void)
{
    return w.submitted + (p.npend > 0 ? 1 : 0);
}

uint64_t pst_durable(int *err)
{
    char drain[64];
    while (w.notify[0] >= 0 && read(w.notify[0], drain, sizeof(drain)) > 0)
        ;
    pthread_mutex_lock(&w.m);
    uint64_t d = w.durable;
    *err = w.err;
    pthread_mutex_unlock(&w.m);
    return d;
}

/* Wait for the batch in flight: 0, or the writer's error. */
static int drain(void)
{
    if (!w.started)
        return 0;
    pthread_mutex_lock(&w.m);
    while (w.n != 0)
        pthread_cond_wait(&w.c, &w.m);
    int rc = w.err;
    pthread_mutex_unlock(&w.m);
    return rc;
}

int pst_commit(void)
{
    int rc = drain();
    if (rc != 0 || p.npend == 0)
        return rc;
    if (!w.started) {
        /* No writer (before the server starts): write here. */
        rc = append(p.sb.active, p.end, p.tail, p.pend, p.npend, !p.lazy);
        if (rc != 0)
            return rc;
        p.end += p.npend;
        p.npend = 0;
        p.commits++;
        return 0;
    }
    pst_submit();
    return drain();
}

void pst_discard(void)
{
    p.npend = 0;
}

void pst_set_flush(bool each_commit)
{
    p.lazy = !each_commit;
}

int pst_flush(void)
{
    int rc = drain();
    if (rc != 0)
        return rc;
    if (!p.unflushed)
        return 0;
    if (fsync(p.fd) != 0) {
        pthread_mutex_lock(&w.m);
        if (w.err == 0)
            w.err = -EIO;
        pthread_mutex_unlock(&w.m);
        return -EIO;
    }
    p.unflushed = false;
    return 0;
}

bool pst_unflushed(void)
{
    return p.unflushed;
}

struct snap {
    uint8_t *buf;
    size_t n, cap;
    uint64_t seq, count, total;
    bool failed;
};

static void drop_expired(struct kv_entry *e, void *arg)
{
    (void)e;
    (void)arg;                          /* kv_each removes expired entries */
}

static void snap_one(struct kv_entry *e, void *arg)
{
    struct snap *s = arg;
    size_t size = kv_rec_size((uint32_t)e->klen, (uint32_t)e->vlen);
    if (s->failed)
        return;
    if (s->n + size > s->cap) {
        size_t cap = s->cap * 2 > s->n + size ? s->cap * 2 : s->n + size;
        uint8_t *b = realloc(s->buf, cap);
        if (b == NULL) {
            s->failed = true;
            return;
        }
        s->buf = b;
        s->cap = cap;
    }
    s->count++;
    struct kv_rec r = { .op = KV_SET, .flags = s->count == s->total ? KV_REC_END : 0,
                        .generation = p.sb.generation + 1, .epoch = p.sb.epoch,
                        .seq = s->seq++, .expire_ms = e->expire_ms, .key = (const uint8_t *)e->key,
                        .val = (const uint8_t *)e->val, .klen = (uint32_t)e->klen,
                        .vlen = (uint32_t)e->vlen };
    s->n += kv_rec_encode(&r, s->buf + s->n);
}

int pst_compact(struct kv_table *t, int64_t now_ms)
{
    if (p.npend != 0)
        return -EINVAL;                 /* commit first */
    int drc = drain();
    if (drc != 0)
        return drc;
    kv_each(t, now_ms, drop_expired, NULL);
    /* One batch: a FLUSHALL marker, then every key (the last one END). */
    struct snap s = { .cap = 65536, .total = t->n };
    s.buf = malloc(s.cap);
    if (s.buf == NULL)
        return -ENOMEM;
    struct kv_rec marker = { .op = KV_FLUSHALL, .flags = t->n == 0 ? KV_REC_END : 0,
                             .generation = p.sb.generation + 1, .epoch = p.sb.epoch, .seq = s.seq++ };
    s.n = kv_rec_encode(&marker, s.buf);
    kv_each(t, now_ms, snap_one, &s);
    if (s.failed || s.count != s.total) {
        free(s.buf);
        return -ENOMEM;
    }
    if (s.n > p.sb.region_bytes) {
        free(s.buf);
        return -ENOSPC;
    }
    unsigned other = 1 - p.sb.active;
    static uint8_t tail[KV_BLOCK];
    memset(tail, 0, sizeof(tail));
    /* Flushed whatever commits do: the superblock must never reach the
     * disk before the snapshot it points to. */
    int rc = append(other, 0, tail, s.buf, s.n, true);
    free(s.buf);
    if (rc != 0)
        return rc;
    /* Only now does the new region become the store. */
    struct kv_super old = p.sb;
    p.sb.generation++;
    p.sb.active = other;
    if (write_super() != 0) {
        p.sb = old;
        return -EIO;
    }
    p.end = s.n;
    p.seq = s.seq;
    memcpy(p.tail, tail, KV_BLOCK);
    p.unflushed = false;                /* the snapshot holds it all, flushed */
    p.compactions++;
    xn_log(XN_LOG_INFO, "kvstore: compacted %llu keys into region %u (generation %llu, %zu bytes)",
           (unsigned long long)s.count, other, (unsigned long long)p.sb.generation, s.n);
    return 0;
}

void pst_stats(struct pst_stats *st)
{
    st->log_bytes = p.end;
    st->region_bytes = p.sb.region_bytes;
    st->generation = p.sb.generation;
    st->commits = p.commits;
    st->compactions = p.compactions;
}
