/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * resp.c: the Redis protocol (RESP) request parser of kvstore (pure, so a
 * host fuzzer runs it). Requests come from clients and are untrusted.
 */
#ifndef KVSTORE_RESP_H
#define KVSTORE_RESP_H

#include <stddef.h>

#define RESP_MAX_ARGS 1024

struct resp_cmd {
    int argc;
    const char *argv[RESP_MAX_ARGS];    /* into the caller's buffer */
    size_t len[RESP_MAX_ARGS];
};

/*
 * Parse the request at the start of buf[0..n): an array of bulk strings
 * (what clients send) or an inline command (words on a line, as typed).
 * Returns the bytes it used (> 0) with (c) filled in; 0 when more bytes
 * are needed; or -1 with (err) set to a Redis-style message (the
 * connection must then be closed). (max_bulk) limits one argument,
 * (max_request) the whole request.
 */
long resp_parse(const char *buf, size_t n, size_t max_bulk, size_t max_request,
                struct resp_cmd *c, const char **err);

/* Redis's glob matching for KEYS: * ? [abc] [^a-z] and \ escapes. */
int resp_glob(const char *pat, size_t plen, const char *s, size_t slen);

#endif
