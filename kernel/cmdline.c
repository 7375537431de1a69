/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Command line parsing (pure; host-tested in tests/unit/test_cmdline.c).
 *
 * The command line is untrusted input. Its grammar:
 *
 *     cmdline := option* [ "--" arg* ]
 *     option  := key "=" value
 *
 * Words are separated by spaces or tabs; a double-quoted span keeps its
 * spaces ("a b" is one word, without the quotes). Options configure the
 * kernel (e.g. loglevel=debug); the words after "--" become the app's
 * argv[1..]; argv[0] is the app's name. Every problem is reported in (err)
 * as one line naming the offending word, and the parse fails with -EINVAL
 * (malformed) or -E2BIG (too long or too many words).
 */
#include <errno.h>
#include <string.h>

#include "kernel.h"

static int fail(char *err, size_t errlen, int rc, const char *fmt,
                const char *word)
{
    ksnprintf(err, errlen, fmt, word);
    return rc;
}

/*
 * Split (cl->buf) into words in place. Returns the number of words, or a
 * negative errno with (err) set.
 */
static int split(char *p, char **words, int max, char *err, size_t errlen)
{
    int n = 0;

    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p == '\0')
            return n;
        if (n == max)
            return fail(err, errlen, -E2BIG, "too many words (limit %s)", "128");
        char *start = p, *w = p;
        bool quoted = false;
        for (; *p != '\0'; p++) {
            if (*p == '"') {
                quoted = !quoted;
                continue;
            }
            if (!quoted && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
                break;
            *w++ = *p;
        }
        bool end = (*p == '\0');
        if (quoted) {
            *w = '\0';
            return fail(err, errlen, -EINVAL, "unterminated quote in '%s'", start);
        }
        *w = '\0';
        words[n++] = start;
        if (end)
            return n;
        p++;
    }
}

int cmdline_parse(struct cmdline *cl, const char *src, const char *app,
                  char *err, size_t errlen)
{
    char *words[CMDLINE_MAX_ARGS + CMDLINE_MAX_OPTS];
    size_t len = strnlen(src, CMDLINE_MAX);

    memset(cl, 0, sizeof(*cl));
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (len >= CMDLINE_MAX)
        return fail(err, errlen, -E2BIG, "longer than %s bytes", "4095");
    memcpy(cl->buf, src, len);
    cl->buf[len] = '\0';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)cl->buf[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return fail(err, errlen, -EINVAL, "%s", "contains a control character");
    }

    int n = split(cl->buf, words, (int)ARRAY_SIZE(words), err, errlen);
    if (n < 0)
        return n;

    cl->argv[cl->argc++] = (char *)app;
    int i = 0;
    for (; i < n; i++) {
        char *w = words[i];
        if (strcmp(w, "--") == 0) {
            i++;
            break;
        }
        char *eq = strchr(w, '=');
        if (eq == NULL || eq == w)
            return fail(err, errlen, -EINVAL,
                        "'%s' is not key=value (app arguments go after '--')", w);
        if (cl->nopts == CMDLINE_MAX_OPTS)
            return fail(err, errlen, -E2BIG, "too many options at '%s'", w);
        *eq = '\0';
        for (int j = 0; j < cl->nopts; j++)
            if (strcmp(cl->opts[j].key, w) == 0)
                return fail(err, errlen, -EINVAL, "option '%s' given twice", w);
        cl->opts[cl->nopts].key = w;
        cl->opts[cl->nopts].value = eq + 1;
        cl->nopts++;
    }
    for (; i < n; i++) {
        if (cl->argc == CMDLINE_MAX_ARGS)
            return fail(err, errlen, -E2BIG, "too many app arguments at '%s'", words[i]);
        cl->argv[cl->argc++] = words[i];
    }
    cl->argv[cl->argc] = NULL;
    return 0;
}

/* The value of option (key), marking it used, or NULL if absent. */
const char *cmdline_get(struct cmdline *cl, const char *key)
{
    for (int i = 0; i < cl->nopts; i++) {
        if (strcmp(cl->opts[i].key, key) == 0) {
            cl->opts[i].used = true;
            return cl->opts[i].value;
        }
    }
    return NULL;
}

/* The first option nobody asked for, so unknown keys are reported. */
const char *cmdline_first_unused(const struct cmdline *cl)
{
    for (int i = 0; i < cl->nopts; i++)
        if (!cl->opts[i].used)
            return cl->opts[i].key;
    return NULL;
}
