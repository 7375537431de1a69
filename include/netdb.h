/* SPDX-License-Identifier: BSD-2-Clause */
/* Name resolution through lwIP's DNS client: getaddrinfo and friends. */
#ifndef XENOLITH_NETDB_H
#define XENOLITH_NETDB_H

#include <sys/socket.h>
#include <lwip/netdb.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef EAI_AGAIN
#define EAI_AGAIN    205
#define EAI_BADFLAGS 206
#define EAI_OVERFLOW 207
#define EAI_SOCKTYPE 208
#define EAI_SYSTEM   209
#endif
#define NI_NUMERICHOST 1
#define NI_NUMERICSERV 2
#define NI_NOFQDN      4
#define NI_NAMEREQD    8
#define NI_DGRAM       16
#define NI_MAXHOST     1025
#define NI_MAXSERV     32

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res);
void freeaddrinfo(struct addrinfo *res);
const char *gai_strerror(int err);
/* Numeric only: there is no reverse DNS (NI_NAMEREQD gives EAI_NONAME). */
int getnameinfo(const struct sockaddr *addr, socklen_t addrlen, char *host, socklen_t hostlen,
                char *serv, socklen_t servlen, int flags);
struct hostent *gethostbyname(const char *name);

#ifdef __cplusplus
}
#endif
#endif
