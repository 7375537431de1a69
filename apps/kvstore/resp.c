/* SPDX-License-Identifier: BSD-2-Clause */
/* The RESP request parser and glob matcher: see resp.h. */
#include <string.h>

#include "resp.h"

/* A decimal at p (up to the CRLF at or before end): the value, or -1. */
static long long line_number(const char *p, const char *end)
{
    long long v = 0;
    int neg = 0;
    if (p < end && *p == '-') {
        neg = 1;
        p++;
    }
    if (p >= end)
        return -2;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9' || v > 100000000000LL)
            return -2;
        v = v * 10 + (*p - '0');
    }
    return neg ? -v : v;
}

static const char *find_crlf(const char *p, const char *end)
{
    for (; p + 1 < end; p++)
        if (p[0] == '\r' && p[1] == '\n')
            return p;
    return NULL;
}

static long inline_cmd(const char *buf, size_t n, size_t max_request, struct resp_cmd *c,
                       const char **err)
{
    const char *nl = memchr(buf, '\n', n);
    if (nl == NULL) {
        if (n > 65536 || n > max_request) {
            *err = "ERR Protocol error: too big inline request";
            return -1;
        }
        return 0;
    }
    const char *end = nl > buf && nl[-1] == '\r' ? nl - 1 : nl;
    c->argc = 0;
    for (const char *p = buf; p < end;) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p >= end)
            break;
        const char *s = p;
        while (p < end && *p != ' ' && *p != '\t')
            p++;
        if (c->argc == RESP_MAX_ARGS) {
            *err = "ERR Protocol error: too many arguments";
            return -1;
        }
        c->argv[c->argc] = s;
        c->len[c->argc++] = (size_t)(p - s);
    }
    return (long)(nl + 1 - buf);
}

long resp_parse(const char *buf, size_t n, size_t max_bulk, size_t max_request,
                struct resp_cmd *c, const char **err)
{
    const char *p = buf, *end = buf + n;
    if (n == 0)
        return 0;
    if (*p != '*')
        return inline_cmd(buf, n, max_request, c, err);
    const char *e = find_crlf(p, end);
    if (e == NULL)
        return n > 32 ? (*err = "ERR Protocol error: invalid multibulk length", -1) : 0;
    long long count = line_number(p + 1, e);
    c->argc = 0;
    if (count < 0 || count > RESP_MAX_ARGS) {
        *err = count > RESP_MAX_ARGS ? "ERR Protocol error: too many arguments"
                                     : "ERR Protocol error: invalid multibulk length";
        return count == -1 ? (long)(e + 2 - buf) : -1;      /* *-1: a null array, ignored */
    }
    p = e + 2;
    c->argc = 0;
    for (long long i = 0; i < count; i++) {
        if (p >= end)
            return 0;
        if (*p != '$') {
            *err = "ERR Protocol error: expected '$'";
            return -1;
        }
        e = find_crlf(p, end);
        if (e == NULL)
            return (size_t)(end - p) > 32 ? (*err = "ERR Protocol error: invalid bulk length", -1) : 0;
        long long len = line_number(p + 1, e);
        if (len < 0) {
            *err = "ERR Protocol error: invalid bulk length";
            return -1;
        }
        if ((size_t)len > max_bulk) {
            *err = "ERR Protocol error: invalid bulk length";
            return -1;
        }
        p = e + 2;
        if ((size_t)(p - buf) + (size_t)len + 2 > max_request) {
            *err = "ERR Protocol error: request too large";
            return -1;
        }
        if ((size_t)(end - p) < (size_t)len + 2)
            return 0;
        if (p[len] != '\r' || p[len + 1] != '\n') {
            *err = "ERR Protocol error: bulk string not terminated by CRLF";
            return -1;
        }
        c->argv[c->argc] = p;
        c->len[c->argc++] = (size_t)len;
        p += len + 2;
    }
    return (long)(p - buf);
}

/*
 * Does the pattern token at pat[0..plen) (one of: a character, \x, ?, or
 * a [set]) match (c)? Sets *tok to the token's length.
 */
static int token(const char *pat, size_t plen, char c, size_t *tok)
{
    if (pat[0] == '?') {
        *tok = 1;
        return 1;
    }
    if (pat[0] == '\\' && plen >= 2) {
        *tok = 2;
        return pat[1] == c;
    }
    if (pat[0] != '[') {
        *tok = 1;
        return pat[0] == c;
    }
    size_t i = 1;
    int neg = i < plen && pat[i] == '^', match = 0;
    if (neg)
        i++;
    while (i < plen && pat[i] != ']') {
        if (pat[i] == '\\' && i + 1 < plen) {
            match |= pat[i + 1] == c;
            i += 2;
        } else if (i + 2 < plen && pat[i + 1] == '-' && pat[i + 2] != ']') {
            char lo = pat[i], hi = pat[i + 2];
            if (lo > hi) {
                char t = lo;
                lo = hi;
                hi = t;
            }
            match |= c >= lo && c <= hi;
            i += 3;
        } else {
            match |= pat[i] == c;
            i++;
        }
    }
    *tok = i < plen ? i + 1 : i;        /* an unterminated [ takes the rest */
    return neg ? !match : match;
}

/* Iterative, with one backtracking point per '*': O(len(pat) * len(s)),
 * so no pattern can make KEYS take exponential time. */
int resp_glob(const char *pat, size_t plen, const char *s, size_t slen)
{
    size_t p = 0, i = 0, star = (size_t)-1, resume = 0;
    while (i < slen) {
        size_t tok;
        if (p < plen && pat[p] == '*') {
            star = ++p;
            resume = i;
            continue;
        }
        if (p < plen && token(pat + p, plen - p, s[i], &tok)) {
            p += tok;
            i++;
            continue;
        }
        if (star != (size_t)-1) {       /* let the last '*' take one more */
            p = star;
            i = ++resume;
            continue;
        }
        return 0;
    }
    while (p < plen && pat[p] == '*')
        p++;
    return p == plen;
}
