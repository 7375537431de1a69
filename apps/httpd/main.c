/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * httpd: an HTTP/1.1 static file server for the read-only file system (a
 * tar archive given as the boot module). GET and HEAD, keep-alive and
 * pipelined requests, content types by extension, directory index files,
 * and the status codes a client expects: 200, 301, 400, 404, 405, 414,
 * 431, 505. With no site at all (an empty file system), / is a built-in
 * page that says how to serve one. One thread, one poll() loop,
 * non-blocking sockets.
 *
 * Configuration (docs/config.md): app.port (default 80), app.root (the
 * directory served, default /), app.index (default index.html),
 * app.max_clients (default: what the heap holds, at most 240),
 * app.idle_timeout (seconds a keep-alive connection may idle, default 30).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <xenolith.h>

#include "http_parse.h"

#define OUT_SIZE 16384
#define CONN_MEMORY (sizeof(struct conn) + 4096)   /* with lwIP's share, roughly */

struct conn {
    int fd;
    size_t inlen;
    char in[HTTP_MAX_HEADER];
    size_t outlen, outoff;
    char out[OUT_SIZE];
    int file;                           /* body still to send from this file, or -1 */
    uint64_t file_left;
    bool close_after;                   /* close once the response is out */
    bool eof;                           /* the client has sent all it will */
    uint64_t active;                    /* last activity, monotonic ns */
};

static struct {
    const char *root, *index;
    bool builtin;                       /* no site given: the built-in page at / */
    unsigned long long requests, responses[6], accepted;   /* responses by class */
} httpd;

static void report(void)
{
    printf("httpd: %llu connections, %llu requests; responses 2xx %llu, 3xx %llu, 4xx %llu, "
           "5xx %llu\n", httpd.accepted, httpd.requests, httpd.responses[2], httpd.responses[3],
           httpd.responses[4], httpd.responses[5]);
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
    }
}

static const char *date_now(void)
{
    static char buf[40];
    static time_t last = -1;
    time_t now = time(NULL);
    if (now != last) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
        last = now;
    }
    return buf;
}

/* Start a response with (status) and the usual headers; (extra) are more
 * header lines. The body follows from (file) (len bytes), or is (body). */
static void respond(struct conn *c, int status, bool head, const char *type, uint64_t len,
                    const char *extra, const char *body, int file)
{
    httpd.responses[status / 100 < 6 ? status / 100 : 5]++;
    if (c->outoff == c->outlen)
        c->outoff = c->outlen = 0;      /* all sent: start at the front again */
    int n = snprintf(c->out + c->outlen, OUT_SIZE - c->outlen,
                     "HTTP/1.1 %d %s\r\nServer: Xenolith httpd\r\nDate: %s\r\n"
                     "Content-Type: %s\r\nContent-Length: %llu\r\n%s%s\r\n",
                     status, reason(status), date_now(), type, (unsigned long long)len,
                     c->close_after ? "Connection: close\r\n" : "", extra ? extra : "");
    if (n < 0 || (size_t)n >= OUT_SIZE - c->outlen) {
        /* Cannot happen (a response starts with an empty buffer and its
         * headers are short); end the connection rather than send less. */
        c->close_after = true;
        if (file >= 0)
            close(file);
        return;
    }
    c->outlen += (size_t)n;
    if (head) {
        if (file >= 0)
            close(file);
        return;
    }
    if (body != NULL) {
        size_t bl = strlen(body);
        if (bl <= OUT_SIZE - c->outlen) {
            memcpy(c->out + c->outlen, body, bl);
            c->outlen += bl;
        }
    } else if (file >= 0) {
        c->file = file;
        c->file_left = len;
    }
}

static void error_page(struct conn *c, int status, bool head, const char *extra)
{
    char body[96];
    snprintf(body, sizeof(body), "%d %s\n", status, reason(status));
    respond(c, status, head, "text/plain; charset=utf-8", strlen(body), extra, body, -1);
}

/* What / answers when no site was given (no tar boot module or disk). */
static const char builtin_page[] =
    "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Xenolith httpd</title></head>\n"
    "<body><h1>Xenolith httpd is running</h1>\n"
    "<p>This is its built-in page: no site was given, so there are no files to serve.</p>\n"
    "<p>To serve your own files, pack them as a tar archive and give it to the guest as its "
    "boot module (or as its disk):</p>\n"
    "<pre>tar -cf site.tar -C mysite .\nmake run APP=httpd MODULE=site.tar</pre>\n"
    "<p>Then <code>curl http://localhost:8080/</code> gets mysite/index.html.</p>\n"
    "</body></html>\n";

/* Does the directory (dir) hold nothing? At "/", the file system's own
 * /dev and /tmp do not count: they are there without a site. */
static bool dir_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return true;
    bool empty = true, root = strcmp(dir, "/") == 0;
    struct dirent *e;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
                (root && (strcmp(e->d_name, "dev") == 0 || strcmp(e->d_name, "tmp") == 0));
    closedir(d);
    return empty;
}

/* Does (path) have a ".." component? */
static bool climbs(const char *path)
{
    for (const char *p = path; (p = strstr(p, "..")) != NULL; p += 2)
        if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
            return true;
    return false;
}

static void serve(struct conn *c, const struct http_req *r)
{
    bool head = r->method == HTTP_HEAD;
    char path[HTTP_MAX_PATH * 2 + 64];
    struct stat st;

    httpd.requests++;
    if (r->method == HTTP_OTHER) {
        if (r->has_body)
            c->close_after = true;      /* its body is not read */
        error_page(c, 405, false, "Allow: GET, HEAD\r\n");
        return;
    }
    if (climbs(r->path)) {
        error_page(c, 400, head, NULL);
        return;
    }
    if (httpd.builtin && (strcmp(r->path, "/") == 0 || strcmp(r->path, "/index.html") == 0)) {
        respond(c, 200, head, "text/html; charset=utf-8", sizeof(builtin_page) - 1, NULL,
                builtin_page, -1);
        return;
    }
    snprintf(path, sizeof(path), "%s%s", httpd.root, r->path);
    if (stat(path, &st) != 0) {
        error_page(c, errno == ENOENT || errno == ENOTDIR ? 404 : 500, head, NULL);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        size_t pl = strlen(r->path);
        if (pl == 0 || r->path[pl - 1] != '/') {
            char loc[HTTP_MAX_PATH + 32];
            snprintf(loc, sizeof(loc), "Location: %s/\r\n", r->path);
            error_page(c, 301, head, loc);
            return;
        }
        size_t l = strlen(path);
        snprintf(path + l, sizeof(path) - l, "%s", httpd.index);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            error_page(c, 404, head, NULL);
            return;
        }
    } else if (!S_ISREG(st.st_mode)) {
        error_page(c, 404, head, NULL); /* devices (/dev) and the like are not content */
        return;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        error_page(c, 404, head, NULL);
        return;
    }
    respond(c, 200, head, http_content_type(path), (uint64_t)st.st_size, NULL, NULL, fd);
}

/* Fill the output buffer from the response's file. */
static bool refill(struct conn *c)
{
    if (c->outoff == c->outlen)
        c->outoff = c->outlen = 0;
    if (c->file < 0 || c->outlen == OUT_SIZE)
        return true;
    size_t want = OUT_SIZE - c->outlen;
    if (want > c->file_left)
        want = (size_t)c->file_left;
    ssize_t n = want ? read(c->file, c->out + c->outlen, want) : 0;
    if (n < 0 || (n == 0 && c->file_left > 0))
        return false;                   /* the file is shorter than it said */
    c->outlen += (size_t)n;
    c->file_left -= (uint64_t)n;
    if (c->file_left == 0) {
        close(c->file);
        c->file = -1;
    }
    return true;
}

static bool busy(const struct conn *c)
{
    return c->outoff < c->outlen || c->file >= 0;
}

/* Answer every complete request in the input buffer, while output fits. */
static bool handle_input(struct conn *c)
{
    while (!busy(c) && !c->close_after && c->inlen > 0) {
        struct http_req r;
        int n = http_parse(c->in, c->inlen, &r);
        if (n == 0)
            return true;                /* wait for the rest */
        if (n < 0) {
            c->close_after = true;
            error_page(c, -n, false, NULL);
            c->inlen = 0;
            return true;
        }
        if (!r.keep_alive)
            c->close_after = true;
        serve(c, &r);
        memmove(c->in, c->in + n, c->inlen - (size_t)n);
        c->inlen -= (size_t)n;
        if (!refill(c))
            return false;
    }
    return true;
}

/* Write what is pending: false when the connection is finished. */
static bool handle_output(struct conn *c)
{
    while (busy(c)) {
        if (!refill(c))
            return false;
        if (c->outoff == c->outlen)
            break;
        ssize_t w = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, 0);
        if (w < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                xn_log(XN_LOG_DEBUG, "httpd: connection %d: send: %s", c->fd, strerror(errno));
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
        c->outoff += (size_t)w;
    }
    if (!busy(c) && c->close_after)
        return false;
    return true;
}

/* Answer and write as far as possible: false when the connection is done. */
static bool progress(struct conn *c)
{
    for (;;) {
        if (!handle_input(c) || !handle_output(c))
            return false;
        if (busy(c))
            return true;                /* wait until the socket takes more */
        if (c->close_after)
            return false;
        struct http_req r;
        if (c->inlen == 0 || http_parse(c->in, c->inlen, &r) == 0)
            return !c->eof;             /* nothing complete to answer */
    }
}

static void conn_free(struct conn *c)
{
    if (c->file >= 0)
        close(c->file);
    close(c->fd);
    free(c);
}

static unsigned long long cfg(const char *key, unsigned long long dflt, unsigned long long max)
{
    unsigned long long v;
    if (xn_config_uint(key, dflt, max, &v) != 0)
        exit(2);
    return v;
}

int main(void)
{
    /* A client that goes away mid-reply is an error on that connection
     * (EPIPE), not the end of the server. */
    signal(SIGPIPE, SIG_IGN);
    uintptr_t hs, he;
    xn_heap_region(&hs, &he);
    unsigned long long fit = (he - hs) / 2 / (CONN_MEMORY + 8192);
    unsigned port = (unsigned)cfg("app.port", 80, 65535);
    unsigned max = (unsigned)cfg("app.max_clients", fit < 4 ? 4 : fit > 240 ? 240 : fit, 240);
    uint64_t idle_ns = cfg("app.idle_timeout", 30, 3600) * 1000000000ULL;
    httpd.root = xn_config_get("app.root");
    httpd.index = xn_config_get("app.index");
    if (httpd.root == NULL || strcmp(httpd.root, "/") == 0)
        httpd.root = "";
    if (httpd.index == NULL)
        httpd.index = "index.html";

    int l = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int on = 1, off = 0;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
    struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
                              .sin6_addr = IN6ADDR_ANY_INIT };
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(l, SOMAXCONN) != 0) {
        printf("httpd: cannot listen on port %u: %s\n", port, strerror(errno));
        return 1;
    }
    struct stat st;
    char rootdir[HTTP_MAX_PATH + 2];
    snprintf(rootdir, sizeof(rootdir), "%s/", httpd.root);
    if (stat(rootdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("httpd: warning: the root '%s' is not a directory; every request gets 404\n",
               rootdir);
    } else if (httpd.root[0] == '\0' && dir_empty(rootdir)) {
        httpd.builtin = true;
        printf("httpd: no site given (no tar boot module or disk): serving the built-in page at /\n");
    }
    struct conn **c = calloc(max, sizeof(*c));
    struct pollfd *p = calloc(max + 1, sizeof(*p));
    if (c == NULL || p == NULL) {
        printf("httpd: out of memory\n");
        return 1;
    }
    atexit(report);
    printf("httpd: serving %s on port %u (IPv4 and IPv6), at most %u connections\n", rootdir,
           port, max);
    fflush(stdout);

    unsigned n = 0;
    for (;;) {
        p[0] = (struct pollfd){ .fd = n < max ? l : -1, .events = POLLIN };
        for (unsigned i = 0; i < n; i++)
            p[1 + i] = (struct pollfd){ .fd = c[i]->fd,
                                        .events = busy(c[i]) ? POLLOUT : c[i]->eof ? 0 : POLLIN };
        int rc = poll(p, 1 + n, 1000);
        if (rc < 0) {
            printf("httpd: poll: %s\n", strerror(errno));
            return 1;
        }
        uint64_t now = xn_clock_monotonic_ns();
        for (unsigned i = n; i-- > 0;) {
            struct conn *k = c[i];
            short ev = p[1 + i].revents;
            bool keep = true;
            if (ev & (POLLERR | POLLNVAL)) {
                xn_log(XN_LOG_DEBUG, "httpd: connection %d: poll says %#x", k->fd, ev);
                keep = false;
            } else if (ev & POLLOUT) {
                keep = progress(k);
                k->active = now;
            } else if (ev & (POLLIN | POLLHUP)) {
                ssize_t r = recv(k->fd, k->in + k->inlen, sizeof(k->in) - k->inlen, 0);
                if (r > 0) {
                    k->inlen += (size_t)r;
                    keep = progress(k);
                } else if (r == 0) {
                    k->eof = true;      /* answer what was asked, then close */
                    keep = progress(k);
                } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                    xn_log(XN_LOG_DEBUG, "httpd: connection %d: recv: %s", k->fd, strerror(errno));
                    keep = false;
                }
                k->active = now;
            } else if (!busy(k) && now - k->active > idle_ns) {
                keep = false;           /* an idle keep-alive connection */
            }
            if (!keep) {
                conn_free(k);
                c[i] = c[--n];
            }
        }
        while ((p[0].revents & POLLIN) && n < max) {
            int fd = accept4(l, NULL, NULL, SOCK_NONBLOCK);
            if (fd < 0)
                break;
            struct conn *k = malloc(sizeof(*k));
            if (k == NULL) {
                close(fd);
                break;
            }
            k->fd = fd;
            k->inlen = k->outlen = k->outoff = 0;
            k->file = -1;
            k->file_left = 0;
            k->close_after = false;
            k->eof = false;
            k->active = now;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
            c[n++] = k;
            if (++httpd.accepted % 10000 == 0) {
                /* For soak runs: the heap must not grow with connections. */
                struct mallinfo mi = mallinfo();
                printf("httpd: %llu connections, heap %zu bytes, in use %zu bytes\n",
                       httpd.accepted, (size_t)mi.arena, (size_t)mi.uordblks);
                fflush(stdout);
            }
        }
    }
}
