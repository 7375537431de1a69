/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The C start-up, run by the kernel once it has booted: constructors
 * (.preinit_array, .init_array), main(argc, argv), then exit() with
 * main's result, which runs atexit handlers and destructors, flushes
 * stdio and ends the guest with that status.
 */
#include <stdlib.h>

#include <xenolith.h>

extern int main(int argc, char **argv);
extern void __libc_init_array(void);
extern void __libc_fini_array(void);

void libc_threads_init(void);

void app_start(int argc, char **argv)
{
    libc_threads_init();
    atexit(__libc_fini_array);
    __libc_init_array();
    exit(main(argc, argv));
}

void app_exit_requested(void)
{
    exit(0);
}
