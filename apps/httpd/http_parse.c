/* SPDX-License-Identifier: BSD-2-Clause */
/* The HTTP/1.x request parser: see http_parse.h. */
#include <string.h>

#include "http_parse.h"

static bool is_tchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool ieq(const char *a, size_t alen, const char *b)
{
    size_t n = strlen(b);
    if (alen != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

/* Does the comma-separated list (v, n) hold the token (t)? */
static bool has_token(const char *v, size_t n, const char *t)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
            i++;
        size_t s = i;
        while (i < n && v[i] != ',')
            i++;
        size_t e = i;
        while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
            e--;
        if (e > s && ieq(v + s, e - s, t))
            return true;
    }
    return false;
}

int http_parse(const char *buf, size_t len, struct http_req *req)
{
    /* The end of the headers: an empty line. */
    const char *end = NULL;
    for (size_t i = 0; i + 3 < len && i < HTTP_MAX_HEADER; i++)
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
            end = buf + i + 2;          /* after the last header's CRLF */
            break;
        }
    if (end == NULL) {
        for (size_t i = 0; i < len && i < HTTP_MAX_HEADER; i++)
            if (buf[i] == '\0')
                return -400;
        return len >= HTTP_MAX_HEADER ? -431 : 0;
    }

    /* Request line: METHOD SP target SP HTTP/1.x CRLF */
    const char *p = buf, *m = p;
    while (p < end && is_tchar(*p))
        p++;
    size_t mlen = (size_t)(p - m);
    if (mlen == 0 || mlen > 16 || p >= end || *p != ' ')
        return -400;
    req->method = (mlen == 3 && memcmp(m, "GET", 3) == 0)    ? HTTP_GET
                : (mlen == 4 && memcmp(m, "HEAD", 4) == 0) ? HTTP_HEAD
                                                           : HTTP_OTHER;
    p++;
    const char *t = p;
    while (p < end && *p != ' ' && *p != '\r' && (unsigned char)*p > 0x20 && *p != 0x7f)
        p++;
    size_t tlen = (size_t)(p - t);
    if (tlen == 0 || p >= end || *p != ' ' || t[0] != '/')
        return -400;
    if (tlen >= HTTP_MAX_PATH)
        return -414;
    p++;
    if (end - p < 10 || memcmp(p, "HTTP/", 5) != 0)
        return -400;
    if (p[5] != '1' || p[6] != '.' || p[7] < '0' || p[7] > '9' || p[8] != '\r' || p[9] != '\n')
        return (p[5] >= '0' && p[5] <= '9' && p[6] == '.') ? -505 : -400;
    req->minor = p[7] - '0';
    p += 10;

    /* The path: percent-decoded, up to '?' or '#'. */
    size_t o = 0;
    for (size_t i = 0; i < tlen && t[i] != '?' && t[i] != '#'; i++) {
        char c = t[i];
        if (c == '%') {
            int hi = i + 2 < tlen ? hexval(t[i + 1]) : -1, lo = hi < 0 ? -1 : hexval(t[i + 2]);
            if (lo < 0)
                return -400;
            c = (char)(hi << 4 | lo);
            if (c == '\0')
                return -400;
            i += 2;
        }
        req->path[o++] = c;
    }
    req->path[o] = '\0';

    /* Headers. */
    bool close = false, keep = false, host = false;
    req->has_body = false;
    while (p < end) {
        const char *line = p;
        const char *eol = memchr(p, '\r', (size_t)(end - p));
        if (eol == NULL || eol + 1 >= end + 1 || eol[1] != '\n')
            return -400;
        const char *colon = memchr(line, ':', (size_t)(eol - line));
        if (colon == NULL || colon == line)
            return -400;
        for (const char *c = line; c < colon; c++)
            if (!is_tchar(*c))
                return -400;            /* also no space before the colon */
        const char *v = colon + 1;
        while (v < eol && (*v == ' ' || *v == '\t'))
            v++;
        for (const char *c = v; c < eol; c++)
            if ((unsigned char)*c < 0x20 && *c != '\t')
                return -400;
        size_t nlen = (size_t)(colon - line), vlen = (size_t)(eol - v);
        if (ieq(line, nlen, "connection")) {
            close |= has_token(v, vlen, "close");
            keep |= has_token(v, vlen, "keep-alive");
        } else if (ieq(line, nlen, "content-length")) {
            bool nonzero = false;
            for (size_t i = 0; i < vlen; i++) {
                if ((v[i] < '0' || v[i] > '9') && v[i] != ' ' && v[i] != '\t')
                    return -400;
                nonzero |= v[i] >= '1' && v[i] <= '9';
            }
            req->has_body |= nonzero;
        } else if (ieq(line, nlen, "transfer-encoding")) {
            req->has_body = true;
        } else if (ieq(line, nlen, "host")) {
            host = true;
        }
        p = eol + 2;
    }
    if (req->minor >= 1 && !host)
        return -400;                    /* HTTP/1.1 requires Host */
    req->keep_alive = req->minor >= 1 ? !close : keep && !close;
    return (int)(end + 2 - buf);
}

const char *http_content_type(const char *path)
{
    static const char *const types[][2] = {
        { "html", "text/html; charset=utf-8" }, { "htm", "text/html; charset=utf-8" },
        { "txt", "text/plain; charset=utf-8" }, { "css", "text/css" },
        { "js", "text/javascript" },            { "json", "application/json" },
        { "xml", "application/xml" },           { "svg", "image/svg+xml" },
        { "png", "image/png" },                 { "jpg", "image/jpeg" },
        { "jpeg", "image/jpeg" },               { "gif", "image/gif" },
        { "ico", "image/x-icon" },              { "webp", "image/webp" },
        { "wasm", "application/wasm" },         { "pdf", "application/pdf" },
        { "woff2", "font/woff2" },              { "gz", "application/gzip" },
    };
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (dot != NULL && (slash == NULL || dot > slash)) {
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (ieq(dot + 1, strlen(dot + 1), types[i][0]))
                return types[i][1];
    }
    return "application/octet-stream";
}
