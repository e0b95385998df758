/* Password and PIN sources. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/util.h"

static char g_dir[PATH_MAX];

/* snprintf that fails the test instead of truncating a path. */
__attribute__((format(printf, 3, 4))) static void spf(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    assert_true(r >= 0 && (size_t)r < cap);
}

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("VBSIG_TEST_TMP");
    if (base == NULL || base[0] == '\0')
        base = "/tmp/vbsig-test-tmp";
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", base);
    /* mkdir -p of the base, then a directory of our own inside it. */
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
    snprintf(g_dir, sizeof g_dir, "%s/util_secret.%ld", base, (long)getpid());
    if (mkdir(g_dir, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static const char *const g_files[] = {"crlf", "lf", "bare", "empty", "only-newline", "max", "max-crlf", "over",
                                      "nul", "long-secret"};

static int teardown(void **state)
{
    (void)state;
    char path[PATH_MAX];
    for (size_t i = 0; i < sizeof g_files / sizeof g_files[0]; i++) {
        if (snprintf(path, sizeof path, "%s/%s", g_dir, g_files[i]) >= (int)sizeof path)
            continue;
        unlink(path);
    }
    rmdir(g_dir);
    return 0;
}

static void make_file(char *source, const char *name, const void *p, size_t n)
{
    char path[PATH_MAX];
    spf(path, sizeof path, "%s/%s", g_dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    spf(source, PATH_MAX + 8, "file:%s", path);
}

static void expect_secret(const char *source, const char *expect)
{
    char *s = NULL;
    int rc = vbsig_secret_read(source, "PIN: ", &s);
    if (rc != VBSIG_OK)
        fail_msg("%s: %s", vbsig_status_name(rc), vbsig_last_error());
    assert_non_null(s);
    assert_string_equal(s, expect);
    vbsig_secret_free(s);
}

static void expect_refused(const char *source, int status, const char *secret_text)
{
    char *s = (char *)"sentinel";
    int rc = vbsig_secret_read(source, "PIN: ", &s);
    if (rc != status)
        fail_msg("expected %s, got %s (%s)", vbsig_status_name(status), vbsig_status_name(rc), vbsig_last_error());
    assert_null(s);
    assert_true(vbsig_last_error()[0] != '\0');
    /* Whatever went wrong, the message never repeats the secret. */
    if (secret_text != NULL)
        assert_null(strstr(vbsig_last_error(), secret_text));
}

static void test_pass(void **state)
{
    (void)state;
    expect_secret("pass:hunter2", "hunter2");
    expect_secret("pass:", "");
    expect_secret("pass:mật khẩu:với dấu hai chấm", "mật khẩu:với dấu hai chấm");
}

static void test_env(void **state)
{
    (void)state;
    assert_int_equal(setenv("VBSIG_TEST_PIN", "123456", 1), 0);
    expect_secret("env:VBSIG_TEST_PIN", "123456");
    assert_int_equal(setenv("VBSIG_TEST_PIN", "", 1), 0);
    expect_secret("env:VBSIG_TEST_PIN", "");
    assert_int_equal(unsetenv("VBSIG_TEST_PIN"), 0);
    expect_refused("env:VBSIG_TEST_PIN", VBSIG_E_INVALID_ARG, NULL);
    assert_non_null(strstr(vbsig_last_error(), "VBSIG_TEST_PIN"));
    expect_refused("env:", VBSIG_E_INVALID_ARG, NULL);
}

static void test_file_line_endings(void **state)
{
    (void)state;
    char source[PATH_MAX + 8];
    make_file(source, "crlf", "s3cr3t\r\nsecond line\r\n", 22);
    expect_secret(source, "s3cr3t");
    make_file(source, "lf", "s3cr3t\nsecond line\n", 19);
    expect_secret(source, "s3cr3t");
    make_file(source, "bare", "s3cr3t", 6);
    expect_secret(source, "s3cr3t");
    make_file(source, "only-newline", "\n", 1);
    expect_secret(source, "");
    make_file(source, "empty", "", 0);
    expect_refused(source, VBSIG_E_INVALID_ARG, NULL);
    assert_non_null(strstr(vbsig_last_error(), "empty"));
}

static void test_file_problems(void **state)
{
    (void)state;
    char source[PATH_MAX + 8];
    spf(source, sizeof source, "file:%s/missing", g_dir);
    expect_refused(source, VBSIG_E_IO_READ, NULL);
    assert_non_null(strstr(vbsig_last_error(), "missing"));
    expect_refused("file:", VBSIG_E_INVALID_ARG, NULL);

    make_file(source, "nul", "ab\0cd\n", 6);
    expect_refused(source, VBSIG_E_INVALID_ARG, "cd");

    spf(source, sizeof source, "file:%s", g_dir);
    expect_refused(source, VBSIG_E_IO_READ, NULL);
}

static void test_line_length_limit(void **state)
{
    (void)state;
    char line[1100];
    char source[PATH_MAX + 8];
    memset(line, 'k', sizeof line);

    /* Exactly 1 KiB is accepted, also with a CRLF ending. */
    memcpy(line + 1024, "\n", 1);
    make_file(source, "max", line, 1025);
    char *s = NULL;
    assert_int_equal(vbsig_secret_read(source, NULL, &s), VBSIG_OK);
    assert_int_equal(strlen(s), 1024);
    vbsig_secret_free(s);
    memcpy(line + 1024, "\r\n", 2);
    make_file(source, "max-crlf", line, 1026);
    assert_int_equal(vbsig_secret_read(source, NULL, &s), VBSIG_OK);
    assert_int_equal(strlen(s), 1024);
    vbsig_secret_free(s);

    memset(line, 'k', sizeof line);
    memcpy(line + 1025, "\n", 1);
    make_file(source, "over", line, 1026);
    expect_refused(source, VBSIG_E_LIMIT, "kkkkkkkk");
    make_file(source, "long-secret", line, sizeof line);
    expect_refused(source, VBSIG_E_LIMIT, "kkkkkkkk");

    char pass[8 + 1026];
    memcpy(pass, "pass:", 5);
    memset(pass + 5, 'p', 1025);
    pass[5 + 1025] = '\0';
    expect_refused(pass, VBSIG_E_LIMIT, "pppppppp");
    pass[5 + 1024] = '\0';
    expect_secret(pass, pass + 5);
}

static void test_fd_pipe(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    const char data[] = "pin-from-pipe\r\nnext-reader-data\n";
    assert_int_equal(write(fds[1], data, sizeof data - 1), (ssize_t)(sizeof data - 1));
    close(fds[1]);
    char source[32];
    snprintf(source, sizeof source, "fd:%d", fds[0]);
    expect_secret(source, "pin-from-pipe");
    /* Nothing past the first line was consumed, and the fd stays open. */
    char rest[64];
    ssize_t n = read(fds[0], rest, sizeof rest);
    assert_int_equal(n, 17);
    assert_memory_equal(rest, "next-reader-data\n", 17);
    /* At end of input there is no password at all. */
    expect_refused(source, VBSIG_E_INVALID_ARG, NULL);
    close(fds[0]);
}

static void test_fd_syntax(void **state)
{
    (void)state;
    expect_refused("fd:", VBSIG_E_INVALID_ARG, NULL);
    expect_refused("fd:abc", VBSIG_E_INVALID_ARG, NULL);
    expect_refused("fd:-1", VBSIG_E_INVALID_ARG, NULL);
    expect_refused("fd:+3", VBSIG_E_INVALID_ARG, NULL);
    expect_refused("fd: 3", VBSIG_E_INVALID_ARG, NULL);
    expect_refused("fd:3 ", VBSIG_E_INVALID_ARG, NULL);
    expect_refused("fd:0x3", VBSIG_E_INVALID_ARG, NULL);
    expect_refused("fd:99999999999", VBSIG_E_INVALID_ARG, NULL);
    /* Well-formed, but nothing is open there. */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    close(fds[0]);
    close(fds[1]);
    char source[32];
    snprintf(source, sizeof source, "fd:%d", fds[0]);
    expect_refused(source, VBSIG_E_IO_READ, NULL);
    assert_non_null(strstr(vbsig_last_error(), source));
}

static void test_unknown_scheme_does_not_echo(void **state)
{
    (void)state;
    expect_refused("hunter2", VBSIG_E_INVALID_ARG, "hunter2");
    expect_refused("passs:hunter2", VBSIG_E_INVALID_ARG, "hunter2");
    expect_refused("Pass:hunter2", VBSIG_E_INVALID_ARG, "hunter2");
    expect_refused("stdin", VBSIG_E_INVALID_ARG, "stdin");
}

/* In a new session there is no controlling terminal, so an empty source
 * must fail rather than wait for input. Run in a child so the test's own
 * session (maybe an interactive one) is untouched. */
static void test_prompt_without_terminal(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (setsid() < 0)
            _exit(10);
        char *s = NULL;
        int rc1 = vbsig_secret_read(NULL, "PIN: ", &s);
        int rc2 = vbsig_secret_read("", "PIN: ", &s);
        if (rc1 != VBSIG_E_INVALID_ARG || rc2 != VBSIG_E_INVALID_ARG || s != NULL)
            _exit(11);
        if (strstr(vbsig_last_error(), "terminal") == NULL)
            _exit(12);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_free_null(void **state)
{
    (void)state;
    vbsig_secret_free(NULL);
    char *s = NULL;
    assert_int_equal(vbsig_secret_read("pass:x", NULL, &s), VBSIG_OK);
    vbsig_secret_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pass),
        cmocka_unit_test(test_env),
        cmocka_unit_test(test_file_line_endings),
        cmocka_unit_test(test_file_problems),
        cmocka_unit_test(test_line_length_limit),
        cmocka_unit_test(test_fd_pipe),
        cmocka_unit_test(test_fd_syntax),
        cmocka_unit_test(test_unknown_scheme_does_not_echo),
        cmocka_unit_test(test_prompt_without_terminal),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
