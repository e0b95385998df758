/* vbsig_write_file and vbsig_sync_dir: the public atomic writer, with the
 * directory flushed per file or once for a batch. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vbsig/file.h"
#include "vbsig/status.h"

static char g_dir[PATH_MAX];

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("VBSIG_TEST_TMP");
    snprintf(g_dir, sizeof g_dir, "%s/write-file-XXXXXX", tmp != NULL ? tmp : "/tmp");
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", tmp != NULL ? tmp : "/tmp");
    mkdir(parent, 0755);
    return mkdtemp(g_dir) != NULL ? 0 : -1;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    static char buf[4096];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

/* Only final names in the directory: no temporary file survives. */
static int entries(void)
{
    DIR *d = opendir(g_dir);
    int n = 0;
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    if (d != NULL)
        closedir(d);
    return n;
}

static void test_write_each_way(void **state)
{
    (void)state;
    char a[PATH_MAX + 8], b[PATH_MAX + 8];
    snprintf(a, sizeof a, "%s/a.p7s", g_dir);
    snprintf(b, sizeof b, "%s/b.p7s", g_dir);
    assert_int_equal(vbsig_write_file(a, "first", 5, 0), VBSIG_OK);
    assert_int_equal(vbsig_write_file(b, "second", 6, VBSIG_WRITE_DEFER_DIR_SYNC), VBSIG_OK);
    assert_int_equal(vbsig_sync_dir(g_dir), VBSIG_OK);
    size_t n = 0;
    const char *got = slurp(a, &n);
    assert_non_null(got);
    assert_int_equal(n, 5);
    assert_memory_equal(got, "first", 5);
    got = slurp(b, &n);
    assert_non_null(got);
    assert_int_equal(n, 6);
    assert_memory_equal(got, "second", 6);
    /* Replacing an existing file with the deferred flag. */
    assert_int_equal(vbsig_write_file(b, "third!!", 7, VBSIG_WRITE_DEFER_DIR_SYNC), VBSIG_OK);
    got = slurp(b, &n);
    assert_int_equal(n, 7);
    assert_int_equal(entries(), 2);
    struct stat st;
    assert_int_equal(stat(b, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
}

static void test_failures_leave_nothing(void **state)
{
    (void)state;
    char dir_in_the_way[PATH_MAX + 8], missing[PATH_MAX + 16];
    snprintf(dir_in_the_way, sizeof dir_in_the_way, "%s/d.p7s", g_dir);
    assert_int_equal(mkdir(dir_in_the_way, 0755), 0);
    int before = entries();
    assert_int_equal(vbsig_write_file(dir_in_the_way, "x", 1, VBSIG_WRITE_DEFER_DIR_SYNC), VBSIG_E_IO_WRITE);
    assert_non_null(strstr(vbsig_last_error(), "d.p7s"));
    assert_int_equal(entries(), before);
    snprintf(missing, sizeof missing, "%s/no/such/x.p7s", g_dir);
    assert_int_equal(vbsig_write_file(missing, "x", 1, 0), VBSIG_E_IO_WRITE);
    assert_int_equal(vbsig_write_file(dir_in_the_way, "x", 1, 0x80), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_sync_dir(""), VBSIG_E_INVALID_ARG);
    snprintf(missing, sizeof missing, "%s/no-such-dir", g_dir);
    assert_int_equal(vbsig_sync_dir(missing), VBSIG_E_IO_WRITE);
    assert_non_null(strstr(vbsig_last_error(), "no-such-dir"));
    rmdir(dir_in_the_way);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_each_way),
        cmocka_unit_test(test_failures_leave_nothing),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
