/* Whole-file views and atomic output. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

static char g_dir[PATH_MAX];

/* mkdir -p: every missing component is created, existing ones are fine. */
static int mkdir_p(const char *path)
{
    char tmp[PATH_MAX];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof tmp)
        return -1;
    memcpy(tmp, path, len + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d != NULL) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                char child[PATH_MAX];
                snprintf(child, sizeof child, "%s/%s", path, e->d_name);
                remove_tree(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("VBSIG_TEST_TMP");
    if (base == NULL || base[0] == '\0')
        base = "/tmp/vbsig-test-tmp";
    snprintf(g_dir, sizeof g_dir, "%s/util_files.%ld", base, (long)getpid());
    remove_tree(g_dir);
    return mkdir_p(g_dir);
}

static int teardown(void **state)
{
    (void)state;
    remove_tree(g_dir);
    return 0;
}

static void path_in(char *out, const char *name)
{
    int r = snprintf(out, PATH_MAX, "%s/%s", g_dir, name);
    assert_true(r > 0 && r < PATH_MAX);
}

static void write_plain(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static size_t read_plain(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* Counts leftovers of atomic writes ("<name>.tmp-XXXXXX") in a directory. */
static int count_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp-") != NULL)
            count++;
    closedir(d);
    return count;
}

static void test_map_regular_file(void **state)
{
    (void)state;
    char path[PATH_MAX];
    path_in(path, "regular.bin");
    write_plain(path, "Chỉ thị 05/CT-UBND", strlen("Chỉ thị 05/CT-UBND"));
    size_t size = strlen("Chỉ thị 05/CT-UBND");

    vbsig_file_map m;
    assert_int_equal(vbsig_file_map_open(&m, path, 0), VBSIG_OK);
    assert_int_equal(m.len, size);
    assert_int_equal(m.mapped, 1);
    assert_memory_equal(m.data, "Chỉ thị 05/CT-UBND", size);
    vbsig_file_map_close(&m);
    assert_null(m.data);
    assert_int_equal(m.len, 0);
    vbsig_file_map_close(&m);

    /* A limit equal to the size is not exceeded. */
    assert_int_equal(vbsig_file_map_open(&m, path, size), VBSIG_OK);
    assert_int_equal(m.len, size);
    vbsig_file_map_close(&m);

    assert_int_equal(vbsig_file_map_open(&m, path, size - 1), VBSIG_E_LIMIT);
    assert_null(m.data);
    assert_int_equal(m.len, 0);
    assert_non_null(strstr(vbsig_last_error(), path));
    vbsig_file_map_close(&m);
}

static void test_map_empty_file(void **state)
{
    (void)state;
    char path[PATH_MAX];
    path_in(path, "empty.bin");
    write_plain(path, "", 0);
    vbsig_file_map m;
    assert_int_equal(vbsig_file_map_open(&m, path, 10), VBSIG_OK);
    assert_null(m.data);
    assert_int_equal(m.len, 0);
    vbsig_file_map_close(&m);
}

static void test_map_missing_file(void **state)
{
    (void)state;
    char path[PATH_MAX];
    path_in(path, "does-not-exist.pdf");
    vbsig_file_map m;
    assert_int_equal(vbsig_file_map_open(&m, path, 0), VBSIG_E_IO_READ);
    assert_null(m.data);
    assert_non_null(strstr(vbsig_last_error(), path));
    assert_non_null(strstr(vbsig_last_error(), strerror(ENOENT)));
}

static void test_map_directory(void **state)
{
    (void)state;
    vbsig_file_map m;
    assert_int_equal(vbsig_file_map_open(&m, g_dir, 0), VBSIG_E_IO_READ);
    assert_null(m.data);
    assert_non_null(strstr(vbsig_last_error(), g_dir));
    assert_non_null(strstr(vbsig_last_error(), "is a directory"));
}

static void pipe_path(char *out, int fd)
{
    snprintf(out, PATH_MAX, "/dev/fd/%d", fd);
}

static void test_map_small_pipe(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    char data[1000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)('a' + i % 26);
    assert_int_equal(write(fds[1], data, sizeof data), (ssize_t)sizeof data);
    close(fds[1]);

    char path[PATH_MAX];
    pipe_path(path, fds[0]);
    vbsig_file_map m;
    assert_int_equal(vbsig_file_map_open(&m, path, sizeof data), VBSIG_OK);
    assert_int_equal(m.mapped, 0);
    assert_int_equal(m.len, sizeof data);
    assert_memory_equal(m.data, data, sizeof data);
    vbsig_file_map_close(&m);
    close(fds[0]);
}

static void test_map_pipe_over_limit(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    char data[100];
    memset(data, 'x', sizeof data);
    assert_int_equal(write(fds[1], data, sizeof data), (ssize_t)sizeof data);
    close(fds[1]);
    char path[PATH_MAX];
    pipe_path(path, fds[0]);
    vbsig_file_map m;
    assert_int_equal(vbsig_file_map_open(&m, path, 99), VBSIG_E_LIMIT);
    assert_null(m.data);
    assert_int_equal(m.len, 0);
    assert_non_null(strstr(vbsig_last_error(), path));
    close(fds[0]);
}

static void test_map_empty_pipe(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    close(fds[1]);
    char path[PATH_MAX];
    pipe_path(path, fds[0]);
    vbsig_file_map m;
    assert_int_equal(vbsig_file_map_open(&m, path, 0), VBSIG_OK);
    assert_null(m.data);
    assert_int_equal(m.len, 0);
    close(fds[0]);
}

struct writer {
    int fd;
    size_t total;
};

static void *pipe_writer(void *arg)
{
    struct writer *w = arg;
    unsigned char chunk[4096];
    size_t sent = 0;
    while (sent < w->total) {
        size_t n = w->total - sent < sizeof chunk ? w->total - sent : sizeof chunk;
        for (size_t i = 0; i < n; i++)
            chunk[i] = (unsigned char)((sent + i) * 31 % 251);
        ssize_t r = write(w->fd, chunk, n);
        if (r <= 0)
            break;
        sent += (size_t)r;
    }
    close(w->fd);
    return NULL;
}

/* More than a pipe buffer and several read chunks, from another thread. */
static void test_map_large_pipe(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    struct writer w = {fds[1], 300 * 1024 + 7};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, pipe_writer, &w), 0);
    char path[PATH_MAX];
    pipe_path(path, fds[0]);
    vbsig_file_map m;
    assert_int_equal(vbsig_file_map_open(&m, path, 0), VBSIG_OK);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(m.len, w.total);
    for (size_t i = 0; i < m.len; i++)
        if (m.data[i] != (uint8_t)(i * 31 % 251))
            fail_msg("byte %zu differs", i);
    vbsig_file_map_close(&m);
    close(fds[0]);
}

static void test_atomic_write_creates_file(void **state)
{
    (void)state;
    char path[PATH_MAX];
    path_in(path, "signed.pdf");
    const char content[] = "%PDF-1.7 signed";
    assert_int_equal(vbsig_write_file_atomic(path, content, sizeof content - 1), VBSIG_OK);
    char back[64];
    assert_int_equal(read_plain(path, back, sizeof back), sizeof content - 1);
    assert_memory_equal(back, content, sizeof content - 1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(count_temp_files(g_dir), 0);
}

static void test_atomic_write_empty_output(void **state)
{
    (void)state;
    char path[PATH_MAX];
    path_in(path, "empty-out.bin");
    assert_int_equal(vbsig_write_file_atomic(path, NULL, 0), VBSIG_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 0);
    assert_int_equal(count_temp_files(g_dir), 0);
}

static void test_atomic_write_replaces_existing(void **state)
{
    (void)state;
    char path[PATH_MAX];
    path_in(path, "replace.xml");
    write_plain(path, "old contents that are longer", 28);
    vbsig_atomic_file f;
    assert_int_equal(vbsig_atomic_open(&f, path), VBSIG_OK);
    assert_true(f.fd >= 0);
    assert_non_null(strstr(f.tmp_path, ".tmp-"));
    assert_int_equal(strncmp(f.tmp_path, path, strlen(path)), 0);
    /* Until commit the old file is what readers see. */
    assert_int_equal(vbsig_atomic_write(&f, "<new/>", 6), VBSIG_OK);
    char back[64];
    assert_int_equal(read_plain(path, back, sizeof back), 28);
    assert_int_equal(vbsig_atomic_write(&f, "\n", 1), VBSIG_OK);
    assert_int_equal(vbsig_atomic_commit(&f), VBSIG_OK);
    assert_int_equal(f.fd, -1);
    assert_null(f.tmp_path);
    assert_null(f.final_path);
    assert_int_equal(read_plain(path, back, sizeof back), 7);
    assert_memory_equal(back, "<new/>\n", 7);
    assert_int_equal(count_temp_files(g_dir), 0);
}

static void test_atomic_write_many_chunks(void **state)
{
    (void)state;
    char path[PATH_MAX];
    path_in(path, "chunks.bin");
    vbsig_atomic_file f;
    assert_int_equal(vbsig_atomic_open(&f, path), VBSIG_OK);
    unsigned char chunk[1000];
    for (int i = 0; i < 1000; i++) {
        memset(chunk, i & 0xFF, sizeof chunk);
        assert_int_equal(vbsig_atomic_write(&f, chunk, sizeof chunk), VBSIG_OK);
    }
    assert_int_equal(vbsig_atomic_commit(&f), VBSIG_OK);
    vbsig_file_map m;
    assert_int_equal(vbsig_file_map_open(&m, path, 0), VBSIG_OK);
    assert_int_equal(m.len, 1000000);
    for (size_t i = 0; i < m.len; i += 997)
        assert_int_equal(m.data[i], (i / 1000) & 0xFF);
    vbsig_file_map_close(&m);
}

static void test_atomic_write_into_missing_directory(void **state)
{
    (void)state;
    char missing_dir[PATH_MAX], path[PATH_MAX];
    path_in(missing_dir, "no-such-dir");
    int r = snprintf(path, sizeof path, "%s/out.p7s", missing_dir);
    assert_true(r > 0 && (size_t)r < sizeof path);
    assert_int_equal(vbsig_write_file_atomic(path, "abc", 3), VBSIG_E_IO_WRITE);
    assert_non_null(strstr(vbsig_last_error(), path));
    assert_non_null(strstr(vbsig_last_error(), strerror(ENOENT)));
    struct stat st;
    assert_int_equal(stat(missing_dir, &st), -1);
    assert_int_equal(count_temp_files(g_dir), 0);

    vbsig_atomic_file f;
    assert_int_equal(vbsig_atomic_open(&f, path), VBSIG_E_IO_WRITE);
    assert_int_equal(f.fd, -1);
    assert_null(f.tmp_path);
    vbsig_atomic_abort(&f);
}

static void test_atomic_abort_leaves_target_untouched(void **state)
{
    (void)state;
    char path[PATH_MAX];
    path_in(path, "keep.pdf");
    write_plain(path, "original", 8);
    vbsig_atomic_file f;
    assert_int_equal(vbsig_atomic_open(&f, path), VBSIG_OK);
    assert_int_equal(vbsig_atomic_write(&f, "replacement", 11), VBSIG_OK);
    assert_int_equal(count_temp_files(g_dir), 1);
    vbsig_atomic_abort(&f);
    vbsig_atomic_abort(&f);
    assert_int_equal(count_temp_files(g_dir), 0);
    char back[64];
    assert_int_equal(read_plain(path, back, sizeof back), 8);
    assert_memory_equal(back, "original", 8);

    assert_int_equal(vbsig_atomic_write(&f, "x", 1), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_atomic_commit(&f), VBSIG_E_INVALID_ARG);
    assert_int_equal(read_plain(path, back, sizeof back), 8);
}

static void test_atomic_commit_failure_removes_temp(void **state)
{
    (void)state;
    /* A directory in the way makes the final rename fail. */
    char path[PATH_MAX];
    path_in(path, "dir-in-the-way");
    assert_int_equal(mkdir(path, 0755), 0);
    vbsig_atomic_file f;
    assert_int_equal(vbsig_atomic_open(&f, path), VBSIG_OK);
    assert_int_equal(vbsig_atomic_write(&f, "data", 4), VBSIG_OK);
    assert_int_equal(vbsig_atomic_commit(&f), VBSIG_E_IO_WRITE);
    assert_non_null(strstr(vbsig_last_error(), path));
    assert_int_equal(f.fd, -1);
    assert_null(f.tmp_path);
    vbsig_atomic_abort(&f);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(count_temp_files(g_dir), 0);
}

static void test_atomic_write_failure_removes_temp(void **state)
{
    (void)state;
    char path[PATH_MAX];
    path_in(path, "too-big.bin");
    write_plain(path, "before", 6);

    /* A file size limit makes write() fail with EFBIG part-way through. */
    struct rlimit saved, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    small = saved;
    small.rlim_cur = 4096;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);

    static unsigned char big[20000];
    memset(big, 'z', sizeof big);
    int rc = vbsig_write_file_atomic(path, big, sizeof big);

    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, old_handler);

    assert_int_equal(rc, VBSIG_E_IO_WRITE);
    assert_non_null(strstr(vbsig_last_error(), path));
    assert_non_null(strstr(vbsig_last_error(), strerror(EFBIG)));
    assert_int_equal(count_temp_files(g_dir), 0);
    char back[64];
    assert_int_equal(read_plain(path, back, sizeof back), 6);
    assert_memory_equal(back, "before", 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_regular_file),
        cmocka_unit_test(test_map_empty_file),
        cmocka_unit_test(test_map_missing_file),
        cmocka_unit_test(test_map_directory),
        cmocka_unit_test(test_map_small_pipe),
        cmocka_unit_test(test_map_pipe_over_limit),
        cmocka_unit_test(test_map_empty_pipe),
        cmocka_unit_test(test_map_large_pipe),
        cmocka_unit_test(test_atomic_write_creates_file),
        cmocka_unit_test(test_atomic_write_empty_output),
        cmocka_unit_test(test_atomic_write_replaces_existing),
        cmocka_unit_test(test_atomic_write_many_chunks),
        cmocka_unit_test(test_atomic_write_into_missing_directory),
        cmocka_unit_test(test_atomic_abort_leaves_target_untouched),
        cmocka_unit_test(test_atomic_commit_failure_removes_temp),
        cmocka_unit_test(test_atomic_write_failure_removes_temp),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
