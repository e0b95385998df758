/* A large document made at test time (the 22 MB scanned corpus file is not
 * in the repository): it must be read through the mapping, never copied,
 * so the anonymous memory the reader uses stays far below the file size. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pdf/pdf.h"

#define PAGES 600
#define CONTENT_BYTES (96 * 1024)
#define ANON_GROWTH_MAX_KIB (16 * 1024)

static char g_path[4096];

/* Pages, each with an uncompressed content stream; objects 1 (catalog),
 * 2 (page tree), then page i is object 3 + 2i and its content 4 + 2i. */
static int write_large_pdf(const char *path)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t total = 3 + 2 * PAGES;
    long *off = calloc(total, sizeof *off);
    char *content = malloc(CONTENT_BYTES);
    if (off == NULL || content == NULL) {
        fclose(f);
        free(off);
        free(content);
        return -1;
    }
    for (size_t i = 0; i < CONTENT_BYTES; i++)
        content[i] = "0 0 m 595 842 l S\n"[i % 18];
    fputs("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", f);
    off[1] = ftell(f);
    fputs("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n", f);
    off[2] = ftell(f);
    fputs("2 0 obj\n<< /Type /Pages /Count 600 /Kids [", f);
    for (size_t i = 0; i < PAGES; i++)
        fprintf(f, "%zu 0 R ", 3 + 2 * i);
    fputs("] >>\nendobj\n", f);
    for (size_t i = 0; i < PAGES; i++) {
        off[3 + 2 * i] = ftell(f);
        fprintf(f, "%zu 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %zu 0 R >>\nendobj\n",
                3 + 2 * i, 4 + 2 * i);
        off[4 + 2 * i] = ftell(f);
        fprintf(f, "%zu 0 obj\n<< /Length %d >>\nstream\n", 4 + 2 * i, CONTENT_BYTES);
        fwrite(content, 1, CONTENT_BYTES, f);
        fputs("\nendstream\nendobj\n", f);
    }
    long xref = ftell(f);
    fprintf(f, "xref\n0 %zu\n0000000000 65535 f \n", total);
    for (size_t i = 1; i < total; i++)
        fprintf(f, "%010ld 00000 n \n", off[i]);
    fprintf(f, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", total, xref);
    free(off);
    free(content);
    return fclose(f);
}

static long rss_anon_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "RssAnon: %ld kB", &kib) == 1)
            break;
    if (f != NULL)
        fclose(f);
    return kib;
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("VBSIG_TEST_TMP");
    if (tmp == NULL)
        tmp = "/tmp";
    mkdir(tmp, 0755);
    snprintf(g_path, sizeof g_path, "%s/pdf-large-%d.pdf", tmp, (int)getpid());
    return write_large_pdf(g_path) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    unlink(g_path);
    return 0;
}

static void test_large_file_is_mapped_not_copied(void **state)
{
    (void)state;
    struct stat st;
    assert_int_equal(stat(g_path, &st), 0);
    assert_true(st.st_size > 50 * 1024 * 1024);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        long result[3] = {0};
        long before = rss_anon_kib();
        vbsig_pdf_doc *doc;
        size_t pages = 0;
        result[0] = vbsig_pdf_open(&doc, NULL, g_path, 0);
        if (result[0] == VBSIG_OK) {
            result[0] = vbsig_pdf_page_count(doc, VBSIG_PDF_NEWEST, &pages);
            const vbsig_pdf_obj *page, *contents;
            vbsig_bytes data = {0};
            if (result[0] == VBSIG_OK)
                result[0] = vbsig_pdf_page(doc, VBSIG_PDF_NEWEST, PAGES - 1, &page);
            if (result[0] == VBSIG_OK)
                result[0] = vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, page, "Contents", &contents);
            if (result[0] == VBSIG_OK)
                result[0] = vbsig_pdf_stream_decode(doc, VBSIG_PDF_NEWEST, contents, &data);
            if (result[0] == VBSIG_OK && data.len != CONTENT_BYTES)
                result[0] = 99;
            vbsig_bytes_free(&data);
            result[2] = rss_anon_kib() - before; /* measured with the document still open */
            vbsig_pdf_close(doc);
        }
        result[1] = (long)pages;
        _exit(write(fds[1], result, sizeof result) == sizeof result ? 0 : 1);
    }
    close(fds[1]);
    long result[3];
    assert_int_equal(read(fds[0], result, sizeof result), sizeof result);
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(result[0], VBSIG_OK);
    assert_int_equal(result[1], PAGES);
    print_message("file %ld KiB, anonymous memory grew by %ld KiB\n", (long)(st.st_size / 1024), result[2]);
    assert_true(result[2] >= 0 && result[2] < ANON_GROWTH_MAX_KIB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_file_is_mapped_not_copied),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
