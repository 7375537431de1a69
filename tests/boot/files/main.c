/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot test: the tar archive as the file system's contents. Expects the boot module to be
 * a tar of: hello.txt ("hello, tar\n"), dir/a.txt, dir/sub/b.txt, and
 * big.bin (100000 bytes, byte i = 'a' + i % 26). With the argument "bad",
 * expects a corrupt archive and checks that opens fail cleanly.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int ok = 1;

#define EXPECT(cond, what)                                                 \
    do {                                                                   \
        if (!(cond)) {                                                     \
            printf("FAIL %s (errno %d)\n", what, errno);                   \
            ok = 0;                                                        \
        }                                                                  \
    } while (0)

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "bad") == 0) {
        EXPECT(open("/hello.txt", O_RDONLY) == -1 && errno == EIO, "open on a bad archive: EIO");
        printf("%s\n", ok ? "PASS" : "FAIL");
        return !ok;
    }
    char buf[64] = { 0 };
    int fd = open("/hello.txt", O_RDONLY);
    EXPECT(fd >= 3 && read(fd, buf, sizeof(buf)) == 11 && strcmp(buf, "hello, tar\n") == 0,
           "read hello.txt");
    EXPECT(read(fd, buf, sizeof(buf)) == 0, "EOF");
    EXPECT(lseek(fd, 7, SEEK_SET) == 7 && read(fd, buf, 3) == 3 && memcmp(buf, "tar", 3) == 0,
           "lseek and read");
    struct stat st;
    EXPECT(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 11, "fstat");
    EXPECT(close(fd) == 0, "close");

    FILE *f = fopen("dir/sub/../sub/b.txt", "r");       /* relative, with .. */
    EXPECT(f != NULL && fgets(buf, sizeof(buf), f) != NULL && strcmp(buf, "bee\n") == 0,
           "fopen and fgets");
    if (f)
        fclose(f);

    fd = open("/big.bin", O_RDONLY);
    unsigned char *big = malloc(100000);
    size_t got = 0;
    ssize_t n;
    while (fd >= 0 && (n = read(fd, big + got, 100000 - got > 7777 ? 7777 : 100000 - got)) > 0)
        got += (size_t)n;
    int same = got == 100000;
    for (size_t i = 0; same && i < got; i++)
        same = big[i] == 'a' + i % 26;
    EXPECT(same, "big.bin read in pieces");
    close(fd);

    EXPECT(stat("/dir", &st) == 0 && S_ISDIR(st.st_mode), "stat a directory");
    EXPECT(stat("/", &st) == 0 && S_ISDIR(st.st_mode), "stat the root");
    EXPECT(stat("/nope", &st) == -1 && errno == ENOENT, "ENOENT");
    /* The archive's files are writable in memory (copied on first write). */
    fd = open("/hello.txt", O_WRONLY);
    EXPECT(fd >= 0 && write(fd, "HELLO", 5) == 5 && close(fd) == 0, "write a file from the tar");
    fd = open("/hello.txt", O_RDONLY);
    memset(buf, 0, sizeof(buf));
    EXPECT(fd >= 0 && read(fd, buf, sizeof(buf)) == 11 && strcmp(buf, "HELLO, tar\n") == 0,
           "read back the written file");
    close(fd);
    fd = open("/new.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
    EXPECT(fd >= 0 && write(fd, "new", 3) == 3 && close(fd) == 0, "create a file");
    EXPECT(stat("/new.txt", &st) == 0 && st.st_size == 3 && unlink("/new.txt") == 0, "unlink it");
    EXPECT(open("/hello.txt", O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR, "ENOTDIR");
    fd = open("/dir", O_RDONLY);
    EXPECT(fd >= 0 && read(fd, buf, 1) == -1 && errno == EISDIR, "EISDIR");
    close(fd);

    DIR *d = opendir("/dir");
    int seen_a = 0, seen_sub = 0, others = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, "a.txt") == 0 && e->d_type == DT_REG)
            seen_a++;
        else if (strcmp(e->d_name, "sub") == 0 && e->d_type == DT_DIR)
            seen_sub++;
        else
            others++;
    }
    EXPECT(d != NULL && seen_a == 1 && seen_sub == 1 && others == 0, "readdir /dir");
    if (d)
        closedir(d);
    d = opendir("/");
    int top = 0;
    while (d != NULL && readdir(d) != NULL)
        top++;
    EXPECT(top == 5, "readdir / gives hello.txt, dir, big.bin, dev, tmp");
    if (d)
        closedir(d);
    EXPECT(chdir("/dir/sub") == 0 && getcwd(buf, sizeof(buf)) && strcmp(buf, "/dir/sub") == 0 &&
           access("b.txt", R_OK) == 0, "chdir, getcwd, access");
    printf("%s\n", ok ? "PASS" : "FAIL");
    return !ok;
}
