/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test: the configuration tree. Prints "KEY = VALUE" (or "KEY is
 * not set") for each key given as an argument, read with xn_config_get(),
 * and checks that the tree libfdt sees holds the same values.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>
#include <xenolith.h>

int main(int argc, char **argv)
{
    const void *fdt = xn_config_tree();
    int bad = fdt == NULL || fdt_check_header(fdt) != 0;
    for (int i = 1; i < argc; i++) {
        const char *v = xn_config_get(argv[i]);
        if (v == NULL) {
            printf("%s is not set\n", argv[i]);
            continue;
        }
        printf("%s = %s\n", argv[i], v);
        /* The same value through libfdt: "a.b.c" is /a/b, property c. */
        char path[128] = "/";
        const char *dot = strrchr(argv[i], '.');
        if (dot != NULL) {
            snprintf(path, sizeof(path), "/%.*s", (int)(dot - argv[i]), argv[i]);
            for (char *p = path; *p; p++)
                if (*p == '.')
                    *p = '/';
        }
        int node = fdt_path_offset(fdt, path);
        const char *w = node < 0 ? NULL : fdt_getprop(fdt, node, dot ? dot + 1 : argv[i], NULL);
        if (w == NULL || strcmp(v, w) != 0) {
            printf("FAIL: libfdt sees %s differently\n", argv[i]);
            bad = 1;
        }
    }
    printf("%s\n", bad ? "FAIL" : "PASS");
    return bad;
}
