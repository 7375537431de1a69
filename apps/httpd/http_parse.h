/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * http_parse.c: the HTTP/1.x request parser of httpd (pure, so a host
 * fuzzer runs it). Requests come from the network and are untrusted.
 */
#ifndef HTTPD_HTTP_PARSE_H
#define HTTPD_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_HEADER 8192            /* request line and headers */
#define HTTP_MAX_PATH   1024

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OTHER };

struct http_req {
    enum http_method method;
    char path[HTTP_MAX_PATH];           /* percent-decoded, without the query */
    int minor;                          /* HTTP/1.<minor> */
    bool keep_alive;
    bool has_body;                      /* Content-Length > 0 or chunked */
};

/*
 * Parse the request at the start of buf[0..len): the length of its
 * request line and headers (> 0) with (req) filled in; 0 when more bytes
 * are needed; or minus the HTTP status to answer with: 400 (malformed),
 * 414 (path too long), 431 (headers too large), 505 (not HTTP/1.x).
 */
int http_parse(const char *buf, size_t len, struct http_req *req);

/* The Content-Type for (path), by its extension. */
const char *http_content_type(const char *path);

#endif
