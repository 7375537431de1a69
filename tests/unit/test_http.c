/* SPDX-License-Identifier: BSD-2-Clause */
/* httpd's request parser (apps/httpd/http_parse.c). */
#include <string.h>

#include "test.h"
#include "../../apps/httpd/http_parse.h"

static struct http_req r;

static int parse(const char *s)
{
    return http_parse(s, strlen(s), &r);
}

static void test_good(void)
{
    const char *s = "GET /a%20b/c.html?x=1 HTTP/1.1\r\nHost: h\r\nUser-Agent: t\r\n\r\nGET /next";
    CHECK(parse(s) == (int)(strstr(s, "GET /next") - s));
    CHECK(r.method == HTTP_GET && strcmp(r.path, "/a b/c.html") == 0 && r.minor == 1);
    CHECK(r.keep_alive && !r.has_body);
    CHECK(parse("HEAD / HTTP/1.0\r\n\r\n") > 0 && r.method == HTTP_HEAD && !r.keep_alive);
    CHECK(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") > 0 && r.keep_alive);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n") > 0 && !r.keep_alive);
    CHECK(parse("POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello") > 0 &&
          r.method == HTTP_OTHER && r.has_body);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\n") == 0);          /* incomplete */
    CHECK(parse("GET / HT") == 0);
}

static void test_bad(void)
{
    CHECK(parse("GARBAGE\r\n\r\n") == -400);
    CHECK(parse("GET / HTTP/1.1\r\n\r\n") == -400);               /* no Host */
    CHECK(parse("GET  / HTTP/1.1\r\nHost: h\r\n\r\n") == -400);
    CHECK(parse("GET nopath HTTP/1.1\r\nHost: h\r\n\r\n") == -400);
    CHECK(parse("GET / HTTP/2.0\r\nHost: h\r\n\r\n") == -505);
    CHECK(parse("GET / FTP/1.0\r\n\r\n") == -400);
    CHECK(parse("GET /%zz HTTP/1.1\r\nHost: h\r\n\r\n") == -400);
    CHECK(parse("GET /%00 HTTP/1.1\r\nHost: h\r\n\r\n") == -400);
    CHECK(parse("GET / HTTP/1.1\r\nHost : h\r\n\r\n") == -400);   /* space before colon */
    CHECK(parse("GET / HTTP/1.1\r\nno colon\r\n\r\n") == -400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n") == -400);
    static char big[HTTP_MAX_PATH + 64];
    memset(big, 'a', sizeof(big));
    memcpy(big, "GET /", 5);
    strcpy(big + HTTP_MAX_PATH + 10, " HTTP/1.1\r\nHost: h\r\n\r\n");
    CHECK(parse(big) == -414);
    static char huge[HTTP_MAX_HEADER + 100];
    memset(huge, 'a', sizeof(huge) - 1);
    memcpy(huge, "GET / HTTP/1.1\r\nX: ", 19);
    huge[sizeof(huge) - 1] = '\0';
    CHECK(parse(huge) == -431);
}

static void test_types(void)
{
    CHECK_STR(http_content_type("/x/index.html"), "text/html; charset=utf-8");
    CHECK_STR(http_content_type("/a.CSS"), "text/css");
    CHECK_STR(http_content_type("/a.tar.gz"), "application/gzip");
    CHECK_STR(http_content_type("/dir.d/file"), "application/octet-stream");
}

int main(void)
{
    RUN(test_good);
    RUN(test_bad);
    RUN(test_types);
    return tests_failed != 0;
}
