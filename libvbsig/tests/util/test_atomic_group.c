/* Grouped durability (util/atomic_group.c): files written, closed
 * unflushed, flushed as a group and renamed keep their content under their
 * final names; before the rename only the temporary names exist; a file
 * system that is not watched, and a watch once tainted, still get every file
 * flushed (by itself) and the group succeeds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"
#include "vbsig/file.h"

typedef struct fixture {
    char dir[512], a[600], b[600];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    const char *tmp = getenv("VBSIG_TEST_TMP");
    snprintf(f->dir, sizeof f->dir, "%s/atomic-group-%d", tmp != NULL ? tmp : "/tmp", (int)getpid());
    snprintf(f->a, sizeof f->a, "%s/a", f->dir);
    snprintf(f->b, sizeof f->b, "%s/b", f->dir);
    char cmd[2000];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s' '%s'", f->dir, f->a, f->b);
    assert_int_equal(system(cmd), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    (void)system(cmd);
    free(f);
    return 0;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void expect_content(const char *path, const char *want)
{
    char buf[256] = {0};
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    assert_int_equal(n, strlen(want));
    assert_string_equal(buf, want);
}

#define N 6

/* Writes N files alternating between the two directories, flushes them as
 * one group through w, renames them and checks each. */
static void group_round(fixture *f, vbsig__sync_watch *w, int watch_dirs)
{
    vbsig_atomic_file files[N];
    vbsig_atomic_file *group[N];
    char path[N][700], text[N][64];
    for (int i = 0; i < N; i++) {
        snprintf(path[i], sizeof path[i], "%s/out%d-%d.bin", i % 2 ? f->b : f->a, watch_dirs, i);
        snprintf(text[i], sizeof text[i], "văn bản %d, nhóm %d", i, watch_dirs);
        if (watch_dirs)
            vbsig__sync_watch_add(w, path[i]);
        assert_int_equal(vbsig_atomic_open(&files[i], path[i]), VBSIG_OK);
        assert_int_equal(vbsig_atomic_write(&files[i], text[i], strlen(text[i])), VBSIG_OK);
        assert_int_equal(vbsig__atomic_close_unsynced(&files[i]), VBSIG_OK);
        assert_int_equal(files[i].fd, -1);
        assert_true(exists(files[i].tmp_path));
        assert_false(exists(path[i])); /* no final name before the group's flush and rename */
        group[i] = &files[i];
    }
    assert_int_equal(vbsig__atomic_flush_group(w, group, N), VBSIG_OK);
    for (int i = 0; i < N; i++) {
        char tmp[700];
        snprintf(tmp, sizeof tmp, "%s", files[i].tmp_path);
        assert_false(exists(path[i]));
        assert_int_equal(vbsig__atomic_rename(&files[i]), VBSIG_OK);
        assert_false(exists(tmp));
        expect_content(path[i], text[i]);
    }
    assert_int_equal(vbsig_sync_dir(f->a), VBSIG_OK);
    assert_int_equal(vbsig_sync_dir(f->b), VBSIG_OK);
}

static void test_watched_group(void **state)
{
    fixture *f = *state;
    vbsig__sync_watch w;
    vbsig__sync_watch_init(&w);
    group_round(f, &w, 1);
    /* Both directories are on one file system: one descriptor. */
    assert_int_equal(w.n, 1);
    assert_false(w.tainted);
    vbsig__sync_watch_close(&w);
    assert_int_equal(w.n, 0);
}

static void test_unwatched_and_tainted(void **state)
{
    fixture *f = *state;
    vbsig__sync_watch w;
    vbsig__sync_watch_init(&w);
    group_round(f, &w, 0); /* nothing watched: an fsync per file */
    assert_int_equal(w.n, 0);
    w.tainted = 1;        /* as after a reported write-back error */
    group_round(f, &w, 1);
    assert_true(w.tainted);
    vbsig__sync_watch_close(&w);
}

static void test_sync_file_and_missing(void **state)
{
    fixture *f = *state;
    char path[700];
    snprintf(path, sizeof path, "%s/one.bin", f->a);
    vbsig_atomic_file file;
    assert_int_equal(vbsig_atomic_open(&file, path), VBSIG_OK);
    assert_int_equal(vbsig_atomic_write(&file, "x", 1), VBSIG_OK);
    assert_int_equal(vbsig__atomic_close_unsynced(&file), VBSIG_OK);
    assert_int_equal(vbsig__atomic_sync_file(&file), VBSIG_OK);
    /* A temporary file that vanished cannot be flushed, and says which. */
    assert_int_equal(unlink(file.tmp_path), 0);
    assert_int_equal(vbsig__atomic_sync_file(&file), VBSIG_E_IO_WRITE);
    assert_non_null(strstr(vbsig_last_error(), path));
    vbsig__sync_watch w;
    vbsig__sync_watch_init(&w);
    vbsig__sync_watch_add(&w, path);
    vbsig_atomic_file *group[1] = {&file};
    assert_int_equal(vbsig__atomic_flush_group(&w, group, 1), VBSIG_E_IO_WRITE);
    assert_int_equal(vbsig__atomic_rename(&file), VBSIG_E_IO_WRITE);
    assert_false(exists(path));
    vbsig__sync_watch_close(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_watched_group, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwatched_and_tainted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sync_file_and_missing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
