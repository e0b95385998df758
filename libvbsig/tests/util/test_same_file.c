/* vbsig_same_file and vbsig_check_output: another name for the same file
 * (hard link, symbolic link, ./name) counts as that file. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vbsig/file.h"
#include "vbsig/status.h"

static char g_dir[PATH_MAX - 64];

static void path(char *out, const char *name)
{
    snprintf(out, PATH_MAX, "%s/%s", g_dir, name);
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("VBSIG_TEST_TMP");
    snprintf(g_dir, sizeof g_dir, "%s/same-file-XXXXXX", tmp != NULL ? tmp : "/tmp");
    if (mkdtemp(g_dir) == NULL)
        return -1;
    char a[PATH_MAX], b[PATH_MAX], hard[PATH_MAX], sym[PATH_MAX];
    path(a, "a.txt");
    path(b, "b.txt");
    path(hard, "hard.txt");
    path(sym, "sym.txt");
    FILE *f = fopen(a, "w");
    FILE *g = fopen(b, "w");
    if (f == NULL || g == NULL)
        return -1;
    fputs("a", f);
    fputs("a", g); /* the same content, another file */
    fclose(f);
    fclose(g);
    return link(a, hard) == 0 && symlink("a.txt", sym) == 0 ? 0 : -1;
}

static void test_same_file(void **state)
{
    (void)state;
    char a[PATH_MAX], b[PATH_MAX], hard[PATH_MAX], sym[PATH_MAX], dot[PATH_MAX], missing[PATH_MAX];
    path(a, "a.txt");
    path(b, "b.txt");
    path(hard, "hard.txt");
    path(sym, "sym.txt");
    path(dot, "./a.txt");
    path(missing, "missing.txt");
    assert_int_equal(vbsig_same_file(a, a), 1);
    assert_int_equal(vbsig_same_file(a, hard), 1);
    assert_int_equal(vbsig_same_file(sym, a), 1);
    assert_int_equal(vbsig_same_file(a, dot), 1);
    assert_int_equal(vbsig_same_file(a, b), 0);
    assert_int_equal(vbsig_same_file(a, missing), 0);
    assert_int_equal(vbsig_same_file(missing, missing), 0);
    assert_int_equal(vbsig_same_file(NULL, a), 0);
    vbsig_file_id x, y;
    assert_int_equal(vbsig_file_id_get(a, &x), VBSIG_OK);
    assert_int_equal(vbsig_file_id_get(hard, &y), VBSIG_OK);
    assert_int_equal(vbsig_file_id_equal(&x, &y), 1);
    assert_int_equal(vbsig_file_id_get(b, &y), VBSIG_OK);
    assert_int_equal(vbsig_file_id_equal(&x, &y), 0);
    assert_int_equal(vbsig_file_id_get(missing, &y), VBSIG_E_IO_READ);
}

static void test_check_output(void **state)
{
    (void)state;
    char a[PATH_MAX], b[PATH_MAX], hard[PATH_MAX], sym[PATH_MAX], missing[PATH_MAX];
    path(a, "a.txt");
    path(b, "b.txt");
    path(hard, "hard.txt");
    path(sym, "sym.txt");
    path(missing, "missing.txt");
    const char *one[] = {a};
    const char *two[] = {NULL, b};
    assert_int_equal(vbsig_check_output(missing, one, 1), VBSIG_OK);
    assert_int_equal(vbsig_check_output(b, one, 1), VBSIG_OK);
    assert_int_equal(vbsig_check_output(a, one, 1), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), "a.txt"));
    assert_int_equal(vbsig_check_output(hard, one, 1), VBSIG_E_INVALID_ARG);
    assert_non_null(strstr(vbsig_last_error(), "hard.txt"));
    assert_non_null(strstr(vbsig_last_error(), "another name"));
    assert_int_equal(vbsig_check_output(sym, one, 1), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_check_output(b, two, 2), VBSIG_E_INVALID_ARG);
    assert_int_equal(vbsig_check_output(a, two, 2), VBSIG_OK);
    assert_int_equal(vbsig_check_output("", one, 1), VBSIG_E_INVALID_ARG);
    /* Nothing was written: a.txt still holds its one byte. */
    struct stat st;
    assert_int_equal(stat(a, &st), 0);
    assert_int_equal(st.st_size, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_file),
        cmocka_unit_test(test_check_output),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
