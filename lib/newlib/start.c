/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The C start-up, run by the kernel once it has booted: the environment,
 * constructors (.preinit_array, .init_array), main(argc, argv), then
 * exit() with main's result, which runs atexit handlers and destructors, flushes
 * stdio and ends the guest with that status.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <xenolith.h>

extern int main(int argc, char **argv);
extern void __libc_init_array(void);
extern void __libc_fini_array(void);

void libc_threads_init(void);

/*
 * The environment: HOME=/ (root's home), then every env.NAME key of the
 * configuration (docs/config.md) as NAME. Built as an array here, so an
 * image that never changes its environment carries no setenv().
 */
extern char **environ;
static char *default_env[] = { (char *)"HOME=/", NULL };

static void environment(void)
{
    environ = default_env;
    const void *fdt = xn_config_tree();
    int node = fdt != NULL ? fdt_path_offset(fdt, "/env") : -1;
    if (node < 0)
        return;
    int prop, n = 0;
    fdt_for_each_property_offset(prop, fdt, node)
        n++;
    char **env = calloc((size_t)n + 2, sizeof(char *));
    if (env == NULL)
        return;
    int k = 0;
    bool home = false;
    fdt_for_each_property_offset(prop, fdt, node) {
        const char *name;
        int len;
        const char *v = fdt_getprop_by_offset(fdt, prop, &name, &len);
        /* The tree was checked when it was built; a value is a string. */
        if (v == NULL || len <= 0 || v[len - 1] != '\0' || name[0] == '\0' || strchr(name, '=') != NULL)
            continue;
        size_t sz = strlen(name) + 1 + (size_t)len;
        if ((env[k] = malloc(sz)) == NULL)
            break;
        strcpy(env[k], name);
        strcat(env[k], "=");
        strcat(env[k], v);
        home = home || strcmp(name, "HOME") == 0;
        k++;
    }
    if (!home)
        env[k++] = default_env[0];
    env[k] = NULL;
    environ = env;
}

void app_start(int argc, char **argv)
{
    libc_threads_init();
    environment();
    atexit(__libc_fini_array);
    __libc_init_array();
    exit(main(argc, argv));
}

/*
 * The toolstack asks the guest to shut down: a program that catches
 * SIGTERM gets it (from the signal thread) and ends on its own, as a
 * service under an init system does; a second request, or a program
 * that does not catch SIGTERM, ends with exit(0).
 */
void (*app_sigterm_hook)(void);

void app_exit_requested(void)
{
    static bool asked;
    /* Set by sigaction() when the app catches SIGTERM (lib/posix/signal.c). */
    if (!asked && app_sigterm_hook != NULL) {
        app_sigterm_hook();
        asked = true;
        xn_log(XN_LOG_INFO, "control: SIGTERM sent to the app (it catches it); a second request ends it at once");
        return;
    }
    exit(0);
}
