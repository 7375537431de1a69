/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one way a POSIX call says it cannot be honoured here: errno, and a
 * debug line naming the call the first time (loglevel=debug).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <xenolith.h>
#include <xn_posix.h>

#define SEEN_MAX 64

int posix_unsupported(const char *call, int err, const char *why)
{
    static const char *seen[SEEN_MAX];
    bool logged = false;
    for (int i = 0; i < SEEN_MAX && seen[i] != NULL; i++)
        if (strcmp(seen[i], call) == 0)
            logged = true;
    if (!logged) {
        for (int i = 0; i < SEEN_MAX; i++) {
            if (seen[i] == NULL) {
                seen[i] = call;
                break;
            }
        }
        xn_log(XN_LOG_DEBUG, "posix: %s: %s (%s)", call, why, strerror(err));
    }
    errno = err;
    return -1;
}
