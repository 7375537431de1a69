/* SPDX-License-Identifier: BSD-2-Clause */
/* Interface names and indexes (lwIP's if_nametoindex, if_indextoname). */
#ifndef XENOLITH_NET_IF_H
#define XENOLITH_NET_IF_H

#include <sys/socket.h>
#include <lwip/if_api.h>

#ifndef IFNAMSIZ
#define IFNAMSIZ IF_NAMESIZE
#endif
#define if_nametoindex(name)      lwip_if_nametoindex(name)
#define if_indextoname(idx, name) lwip_if_indextoname((idx), (name))

#endif
