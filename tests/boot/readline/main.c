/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot test: read a line from the console (stdin) and echo it. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char line[128];

    printf("ready for input\n");
    fflush(stdout);
    if (fgets(line, sizeof(line), stdin) == NULL) {
        printf("FAIL: no input\n");
        return 1;
    }
    line[strcspn(line, "\n")] = '\0';
    printf("got: '%s'\n", line);
    return strcmp(line, "hello xenolith") == 0 ? 0 : 1;
}
