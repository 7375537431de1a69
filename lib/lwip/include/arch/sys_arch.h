/* SPDX-License-Identifier: BSD-2-Clause */
/* lwIP OS-layer types for Xenolith: opaque pointers to kernel objects. */
#ifndef XENOLITH_LWIP_SYS_ARCH_H
#define XENOLITH_LWIP_SYS_ARCH_H

typedef struct lwip_port_sem *sys_sem_t;
typedef struct lwip_port_mutex *sys_mutex_t;
typedef struct lwip_port_mbox *sys_mbox_t;
typedef struct lwip_port_thread *sys_thread_t;
typedef unsigned long sys_prot_t;

#define sys_sem_valid(s)            (*(s) != NULL)
#define sys_sem_set_invalid(s)      (*(s) = NULL)
#define sys_mutex_valid(m)          (*(m) != NULL)
#define sys_mutex_set_invalid(m)    (*(m) = NULL)
#define sys_mbox_valid(m)           (*(m) != NULL)
#define sys_mbox_set_invalid(m)     (*(m) = NULL)

#endif
