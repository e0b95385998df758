/* vbsig_batch through the public API: the pipeline's outputs are the
 * one-file way's (each verifies), names follow the format, the first file of
 * a format is fully verified and the rest are pipelined, a writing failure
 * behind the token surfaces after the run (OK in the progress callback, an
 * error at the end), a refusal fails only its file, and an XML document in
 * the same batch is signed file by file; a batch of several commit groups
 * (sign/batch_commit.c) writes every file, and one file that cannot be
 * renamed fails alone in its group. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_pki.h"
#include "vbsig/vbsig.h"

#define FILES 12

typedef struct fixture {
    vbsig_ctx *ctx;
    vbsig_signer *signer;
    char dir[512];
    char in[FILES][600];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_int_equal(vbsig_ctx_new(&f->ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_add_trust(f->ctx, pki_path("root/root.pem")), VBSIG_OK);
    assert_int_equal(vbsig_ctx_set_revocation_mode(f->ctx, VBSIG_REVOCATION_OFF), VBSIG_OK);
    assert_int_equal(vbsig_signer_from_pkcs12(&f->signer, pki_path("signers/rsa2048.p12"), "pass:vbsig-test"), VBSIG_OK);
    const char *tmp = getenv("VBSIG_TEST_TMP");
    snprintf(f->dir, sizeof f->dir, "%s/batch-%d", tmp != NULL ? tmp : "/tmp", (int)getpid());
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s/out'", f->dir, f->dir);
    assert_int_equal(system(cmd), 0);
    for (int i = 0; i < FILES; i++) {
        snprintf(f->in[i], sizeof f->in[i], "%s/doc%02d.txt", f->dir, i);
        FILE *fp = fopen(f->in[i], "w");
        assert_non_null(fp);
        fprintf(fp, "Tài liệu %d\n", i);
        fclose(fp);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    (void)system(cmd);
    vbsig_signer_free(f->signer);
    vbsig_ctx_free(f->ctx);
    free(f);
    return 0;
}

typedef struct seen {
    int ok_while_running[FILES + 2];
    size_t calls;
} seen;

static void record(void *user, vbsig_batch *b, size_t index, size_t done, size_t total)
{
    seen *s = user;
    assert_int_equal(done, index + 1);
    assert_true(total >= done);
    s->ok_while_running[index] = vbsig_batch_item_status(b, index) == VBSIG_OK;
    s->calls++;
}

static void test_pipeline_outputs_verify(void **state)
{
    fixture *f = *state;
    char outdir[600];
    snprintf(outdir, sizeof outdir, "%s/out", f->dir);
    vbsig_cades_sign_opts co;
    vbsig_cades_sign_opts_init(&co);
    co.detached = 1;
    vbsig_batch_opts bo;
    vbsig_batch_opts_init(&bo);
    bo.sign.cades = &co;
    bo.out_dir = outdir;
    vbsig_batch *b = NULL;
    assert_int_equal(vbsig_batch_new(&b, f->ctx, f->signer, &bo), VBSIG_OK);
    for (int i = 0; i < FILES; i++)
        assert_int_equal(vbsig_batch_add(b, f->in[i], NULL), VBSIG_OK);
    seen s = {0};
    assert_int_equal(vbsig_batch_run(b, record, &s), VBSIG_OK);
    assert_int_equal(s.calls, FILES);
    assert_int_equal(vbsig_batch_failed(b), 0);
    for (int i = 0; i < FILES; i++) {
        char want[700];
        snprintf(want, sizeof want, "%s/doc%02d.txt.p7s", outdir, i);
        assert_string_equal(vbsig_batch_item_output(b, (size_t)i), want);
        assert_int_equal(vbsig_batch_item_format(b, (size_t)i), VBSIG_FORMAT_CADES);
        vbsig_report *r = NULL;
        assert_int_equal(vbsig_cades_verify_file(f->ctx, want, f->in[i], &r), VBSIG_OK);
        assert_int_equal(vbsig_report_signature_indication(r, 0), VBSIG_TOTAL_PASSED);
        vbsig_report_free(r);
    }
    vbsig_batch_free(b);
}

static void test_late_write_failure(void **state)
{
    fixture *f = *state;
    vbsig_batch_opts bo;
    vbsig_batch_opts_init(&bo);
    vbsig_batch *b = NULL;
    assert_int_equal(vbsig_batch_new(&b, f->ctx, f->signer, &bo), VBSIG_OK);
    char good[700], bad[700];
    snprintf(good, sizeof good, "%s/out/first.p7m", f->dir);
    snprintf(bad, sizeof bad, "%s/no-such-dir/x.p7m", f->dir);
    /* The first file goes the one-file way (verified); the next ones are
     * pipelined and fail in a writer, after the token signed them. */
    assert_int_equal(vbsig_batch_add(b, f->in[0], good), VBSIG_OK);
    for (int i = 1; i < 4; i++)
        assert_int_equal(vbsig_batch_add(b, f->in[i], bad), VBSIG_OK);
    seen s = {0};
    assert_int_equal(vbsig_batch_run(b, record, &s), VBSIG_OK);
    assert_int_equal(vbsig_batch_item_status(b, 0), VBSIG_OK);
    for (size_t i = 1; i < 4; i++) {
        assert_true(s.ok_while_running[i]); /* signed by the token */
        assert_int_equal(vbsig_batch_item_status(b, i), VBSIG_E_IO_WRITE);
        assert_non_null(strstr(vbsig_batch_item_message(b, i), "no-such-dir"));
    }
    assert_int_equal(vbsig_batch_failed(b), 3);
    struct stat st;
    assert_int_equal(stat(good, &st), 0);
    vbsig_batch_free(b);
}

static int refuse_second(void *user, vbsig_batch *b, size_t index, vbsig_format fmt)
{
    (void)b;
    (void)fmt;
    (*(int *)user)++;
    return index == 1 ? vbsig_set_error(VBSIG_E_REFUSED, "not this one") : VBSIG_OK;
}

static void test_check_and_mixed_formats(void **state)
{
    fixture *f = *state;
    char xml[700];
    snprintf(xml, sizeof xml, "%s/doc.xml", f->dir);
    FILE *fp = fopen(xml, "w");
    assert_non_null(fp);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HDon><DLHDon Id=\"d\">100</DLHDon></HDon>\n", fp);
    fclose(fp);
    char outdir[600];
    snprintf(outdir, sizeof outdir, "%s/out", f->dir);
    int calls = 0;
    vbsig_batch_opts bo;
    vbsig_batch_opts_init(&bo);
    bo.out_dir = outdir;
    bo.check = refuse_second;
    bo.check_user = &calls;
    vbsig_batch *b = NULL;
    assert_int_equal(vbsig_batch_new(&b, f->ctx, f->signer, &bo), VBSIG_OK);
    assert_int_equal(vbsig_batch_add(b, f->in[5], NULL), VBSIG_OK);
    assert_int_equal(vbsig_batch_add(b, f->in[6], NULL), VBSIG_OK);
    assert_int_equal(vbsig_batch_add(b, xml, NULL), VBSIG_OK);
    assert_int_equal(vbsig_batch_add(b, f->in[7], NULL), VBSIG_OK);
    assert_int_equal(vbsig_batch_run(b, NULL, NULL), VBSIG_OK);
    assert_int_equal(calls, 4);
    assert_int_equal(vbsig_batch_item_status(b, 1), VBSIG_E_REFUSED);
    assert_string_equal(vbsig_batch_item_message(b, 1), "not this one");
    assert_int_equal(vbsig_batch_failed(b), 1);
    assert_int_equal(vbsig_batch_item_format(b, 2), VBSIG_FORMAT_XADES);
    char want[700];
    snprintf(want, sizeof want, "%s/doc.xml", outdir); /* enveloped: the name is kept */
    assert_string_equal(vbsig_batch_item_output(b, 2), want);
    vbsig_report *r = NULL;
    assert_int_equal(vbsig_xml_verify_file(f->ctx, want, &r), VBSIG_OK);
    assert_int_equal(vbsig_report_signature_indication(r, 0), VBSIG_TOTAL_PASSED);
    vbsig_report_free(r);
    snprintf(want, sizeof want, "%s/doc07.txt.p7m", outdir);
    assert_string_equal(vbsig_batch_item_output(b, 3), want);
    assert_int_equal(vbsig_cades_verify_file(f->ctx, want, NULL, &r), VBSIG_OK);
    assert_int_equal(vbsig_report_signature_indication(r, 0), VBSIG_TOTAL_PASSED);
    vbsig_report_free(r);
    /* The refused file wrote nothing. */
    snprintf(want, sizeof want, "%s/doc06.txt.p7m", outdir);
    struct stat st;
    assert_int_not_equal(stat(want, &st), 0);
    vbsig_batch_free(b);
}

#define MANY_TXT 100
#define MANY_PDF 60

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static int is_taken(int i)
{
    return i == 37 || i == 38;
}

static void test_many_files_in_groups(void **state)
{
    fixture *f = *state;
    char outdir[600], path[700], pdf[700];
    snprintf(outdir, sizeof outdir, "%s/out", f->dir);
    const char *data = getenv("VBSIG_TEST_DATA");
    snprintf(pdf, sizeof pdf, "%s/corpus/pdf/cairo-longan.pdf", data != NULL ? data : "test-vectors");
    vbsig_batch_opts bo;
    vbsig_batch_opts_init(&bo);
    bo.out_dir = outdir;
    vbsig_batch *b = NULL;
    assert_int_equal(vbsig_batch_new(&b, f->ctx, f->signer, &bo), VBSIG_OK);
    /* PDFs and CAdES files interleaved: both kinds share the groups. */
    for (int i = 0; i < MANY_TXT + MANY_PDF; i++) {
        if (i % 8 == 3 && i / 8 < MANY_PDF) {
            snprintf(path, sizeof path, "%s/many%03d.pdf", f->dir, i);
            copy_file(pdf, path);
        } else {
            snprintf(path, sizeof path, "%s/many%03d.txt", f->dir, i);
            FILE *fp = fopen(path, "w");
            assert_non_null(fp);
            fprintf(fp, "Văn bản số %d/UBND\n", i);
            fclose(fp);
        }
        assert_int_equal(vbsig_batch_add(b, path, NULL), VBSIG_OK);
    }
    /* Two outputs whose names a directory holds: only their renames fail. */
    for (int i = 0; i < MANY_TXT + MANY_PDF; i++) {
        if (!is_taken(i))
            continue;
        snprintf(path, sizeof path, "%s/many%03d.txt.p7m", outdir, i);
        assert_int_equal(mkdir(path, 0755), 0);
        snprintf(path, sizeof path, "%s/many%03d.txt.p7m/keep", outdir, i);
        FILE *fp = fopen(path, "w");
        assert_non_null(fp);
        fclose(fp);
    }
    assert_int_equal(vbsig_batch_run(b, NULL, NULL), VBSIG_OK);
    assert_int_equal(vbsig_batch_failed(b), 2);
    size_t pdfs = 0;
    for (size_t i = 0; i < vbsig_batch_count(b); i++) {
        const char *out = vbsig_batch_item_output(b, i);
        assert_non_null(out);
        if (is_taken((int)i)) {
            assert_int_equal(vbsig_batch_item_status(b, i), VBSIG_E_IO_WRITE);
            assert_non_null(strstr(vbsig_batch_item_message(b, i), out));
            continue;
        }
        assert_int_equal(vbsig_batch_item_status(b, i), VBSIG_OK);
        vbsig_report *r = NULL;
        if (vbsig_batch_item_format(b, i) == VBSIG_FORMAT_PADES) {
            pdfs++;
            assert_int_equal(vbsig_pades_verify_file(f->ctx, out, &r), VBSIG_OK);
            size_t n = vbsig_report_signature_count(r);
            assert_true(n >= 1);
            assert_int_equal(vbsig_report_signature_indication(r, n - 1), VBSIG_TOTAL_PASSED);
        } else {
            assert_int_equal(vbsig_batch_item_format(b, i), VBSIG_FORMAT_CADES);
            assert_int_equal(vbsig_cades_verify_file(f->ctx, out, NULL, &r), VBSIG_OK);
            assert_int_equal(vbsig_report_signature_indication(r, 0), VBSIG_TOTAL_PASSED);
        }
        vbsig_report_free(r);
    }
    assert_true(pdfs >= 16);
    /* Every group committed: no temporary file is left, not even of the
     * two that failed. */
    DIR *d = opendir(outdir);
    assert_non_null(d);
    size_t entries = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        assert_null(strstr(e->d_name, ".tmp-"));
        entries++;
    }
    closedir(d);
    assert_int_equal(entries, MANY_TXT + MANY_PDF);
    vbsig_batch_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pipeline_outputs_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_write_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_and_mixed_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_files_in_groups, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
