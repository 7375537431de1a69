/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test: argc and argv from the command line. Expects the runner to
 * pass: loglevel=warn -- one "two words" three
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    static const char *const want[] = { "args", "one", "two words", "three" };

    for (int i = 0; i < argc; i++)
        printf("argv[%d] = '%s'\n", i, argv[i]);
    if (argc != 4 || argv[argc] != NULL) {
        printf("FAIL: argc %d, want 4\n", argc);
        return 1;
    }
    for (int i = 0; i < 4; i++) {
        if (strcmp(argv[i], want[i]) != 0) {
            printf("FAIL: argv[%d] is '%s', want '%s'\n", i, argv[i], want[i]);
            return 1;
        }
    }
    printf("PASS\n");
    return 0;
}
