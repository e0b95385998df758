/* A program written from the installed headers alone (tests/cli/test_install.sh
 * builds it with `pkg-config vbsig` against a `cmake --install` prefix):
 * signs B-LTA in every format with one call each, runs a batch, signs XAdES
 * in two steps, checks its own signer, and reads every report field through
 * the accessors. It asserts what the API promises; each report's fields are
 * also written to WORK/<name>.fields, which the test compares with the
 * CLI's JSON report of the same file.
 *
 *   consumer PKI TSA_URL CONFIG WORK PDF XML   the whole run
 *   consumer --smoke                           context and version only */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <vbsig/vbsig.h>

static int failures;

static void expect(int ok, const char *fmt, ...)
{
    if (ok)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "consumer: FAIL: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (last error: %s)\n", vbsig_last_error());
    va_end(ap);
    failures++;
}

static int eq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p == NULL)
        abort();
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static void put_str(FILE *f, const char *key, size_t i, const char *v)
{
    fprintf(f, "%zu.%s=%s\n", i, key, v != NULL ? v : "null");
}

static void put_time(FILE *f, const char *key, size_t i, time_t t)
{
    if (t == 0)
        fprintf(f, "%zu.%s=null\n", i, key);
    else
        fprintf(f, "%zu.%s=%lld\n", i, key, (long long)t);
}

/* Every accessor of every signature, as key=value lines. */
static void dump(const char *work, const char *name, const vbsig_report *r)
{
    char *p = path_in(work, name);
    FILE *f = fopen(p, "w");
    expect(f != NULL, "cannot write %s", p);
    free(p);
    if (f == NULL)
        return;
    static const char *const fields[] = {"subject", "issuer", "serial", "key", "common_name",
                                         "organization", "title", "tax_code", "id_number", "budget_code"};
    fprintf(f, "format=%s\nfile=%s\nstatus=%s\ncount=%zu\n", vbsig_report_format(r),
            vbsig_report_file(r) != NULL ? vbsig_report_file(r) : "null",
            vbsig_indication_name(vbsig_report_indication(r)), vbsig_report_signature_count(r));
    for (size_t i = 0; i < vbsig_report_signature_count(r); i++) {
        put_str(f, "status", i, vbsig_indication_name(vbsig_report_signature_indication(r, i)));
        put_str(f, "subindication", i, vbsig_report_signature_subindication(r, i));
        put_str(f, "level", i, vbsig_report_signature_level(r, i));
        put_str(f, "id", i, vbsig_report_signature_id(r, i));
        for (int k = VBSIG_SIGNER_SUBJECT; k <= VBSIG_SIGNER_BUDGET_CODE; k++) {
            char key[64];
            snprintf(key, sizeof key, "signer.%s", fields[k]);
            put_str(f, key, i, vbsig_report_signer_field(r, i, (vbsig_signer_field)k));
        }
        put_str(f, "digest_algorithm", i, vbsig_report_signature_digest_algorithm(r, i));
        put_time(f, "signing_time", i, vbsig_report_signature_time(r, i, VBSIG_TIME_SIGNING));
        put_time(f, "claimed_signing_time", i, vbsig_report_signature_time(r, i, VBSIG_TIME_CLAIMED));
        put_time(f, "validation_time", i, vbsig_report_signature_time(r, i, VBSIG_TIME_VALIDATION));
        fprintf(f, "%zu.timestamp=%d\n", i, vbsig_report_signature_has_timestamp(r, i));
        if (vbsig_report_signature_has_timestamp(r, i)) {
            put_str(f, "timestamp.status", i, vbsig_indication_name(vbsig_report_timestamp_indication(r, i)));
            put_str(f, "timestamp.subindication", i, vbsig_report_timestamp_subindication(r, i));
            put_str(f, "timestamp.tsa", i, vbsig_report_timestamp_tsa(r, i));
            put_time(f, "timestamp.time", i, vbsig_report_signature_time(r, i, VBSIG_TIME_TIMESTAMP));
        }
        put_str(f, "trust_domain", i, vbsig_report_signature_trust_domain(r, i));
        fprintf(f, "%zu.weak_algorithm=%d\n", i, vbsig_report_signature_weak(r, i));
        fprintf(f, "%zu.chain=%zu\n", i, vbsig_report_signature_chain_count(r, i));
        for (size_t j = 0; j < vbsig_report_signature_chain_count(r, i); j++)
            fprintf(f, "%zu.chain.%zu=%s\n", i, j, vbsig_report_signature_chain(r, i, j));
        const char *source = NULL, *reason = NULL;
        put_str(f, "revocation.status", i, vbsig_report_signature_revocation(r, i, &source, &reason));
        put_str(f, "revocation.source", i, source);
        put_str(f, "revocation.reason", i, reason);
        put_time(f, "revocation.produced_at", i, vbsig_report_signature_time(r, i, VBSIG_TIME_REVOCATION_PRODUCED));
        put_time(f, "revocation.revoked_at", i, vbsig_report_signature_time(r, i, VBSIG_TIME_REVOKED));
        fprintf(f, "%zu.whole_document=%d\n", i, vbsig_report_signature_whole_document(r, i));
        size_t rev = 0, revs = 0;
        if (vbsig_report_signature_revision(r, i, &rev, &revs) == 1)
            fprintf(f, "%zu.revision=%zu\n%zu.revisions=%zu\n", i, rev, i, revs);
        put_str(f, "subfilter", i, vbsig_report_signature_subfilter(r, i));
        fprintf(f, "%zu.document_timestamp=%d\n", i, vbsig_report_signature_is_document_timestamp(r, i));
        fprintf(f, "%zu.certification=%d\n", i, vbsig_report_signature_certification(r, i));
        put_str(f, "modifications_after", i, vbsig_report_signature_modifications(r, i));
        fprintf(f, "%zu.modification_reasons=%zu\n", i, vbsig_report_signature_modification_count(r, i));
        for (size_t j = 0; j < vbsig_report_signature_modification_count(r, i); j++)
            fprintf(f, "%zu.modification_reasons.%zu=%s\n", i, j, vbsig_report_signature_modification(r, i, j));
        size_t page = 0;
        double rect[4] = {0, 0, 0, 0};
        int visible = vbsig_report_signature_appearance(r, i, &page, rect);
        fprintf(f, "%zu.appearance=%d\n", i, visible);
        if (visible)
            fprintf(f, "%zu.appearance.page=%zu\n%zu.appearance.rect_mm=%.2f,%.2f,%.2f,%.2f\n", i, page, i, rect[0],
                    rect[1], rect[2], rect[3]);
        /* The JSON report does not carry the archive timestamps; read them
         * for their consistency with the level instead. */
        time_t archived = 0, tsa_until = 0;
        int weak = -1;
        int archives = vbsig_report_signature_archive(r, i, &archived, &tsa_until, &weak);
        expect(archives >= 0, "archive timestamps of signature %zu of %s", i, name);
        const char *lvl = vbsig_report_signature_level(r, i);
        if (lvl != NULL && eq(lvl, "B-LTA"))
            expect(archives > 0 && archived > 0 && tsa_until > archived && weak == 0,
                   "a B-LTA signature (%zu of %s) has a strong archive timestamp", i, name);
        fprintf(f, "%zu.messages=%zu\n", i, vbsig_report_signature_message_count(r, i));
        for (size_t j = 0; j < vbsig_report_signature_message_count(r, i); j++)
            fprintf(f, "%zu.messages.%zu=%s\n", i, j, vbsig_report_signature_message(r, i, j));
        fprintf(f, "%zu.references=%zu\n", i, vbsig_report_reference_count(r, i));
        for (size_t j = 0; j < vbsig_report_reference_count(r, i); j++) {
            vbsig_reference_info ref;
            expect(vbsig_report_reference(r, i, j, &ref) == VBSIG_OK, "reference %zu of %s", j, name);
            fprintf(f, "%zu.references.%zu=%s|%s|%s|%zu|%d\n", i, j, ref.uri, ref.path, ref.kind, ref.bytes,
                    ref.digest_ok);
        }
    }
    fclose(f);
}

/* What every signature made here must show, whatever its format. */
static void expect_signer(const vbsig_report *r, size_t i, const char *what)
{
    /* A signer check signs nothing: no digest algorithm. */
    int signature = !eq(vbsig_report_format(r), "signer");
    expect(vbsig_report_signature_indication(r, i) == VBSIG_TOTAL_PASSED, "%s: signature %zu passes", what, i);
    expect(eq(vbsig_report_signer_field(r, i, VBSIG_SIGNER_NAME), "Nguyễn Văn An"), "%s: signer name", what);
    expect(eq(vbsig_report_signer_field(r, i, VBSIG_SIGNER_TITLE), "Giám đốc"), "%s: signer title", what);
    expect(eq(vbsig_report_signer_field(r, i, VBSIG_SIGNER_ORGANIZATION),
              "Sở Thông tin và Truyền thông tỉnh Vĩnh Long"), "%s: organisation", what);
    expect(eq(vbsig_report_signer_field(r, i, VBSIG_SIGNER_ID_NUMBER), "086090001234"), "%s: CCCD number", what);
    expect(vbsig_report_signer_field(r, i, VBSIG_SIGNER_TAX_CODE) == NULL, "%s: no tax code", what);
    expect(eq(vbsig_report_signer_field(r, i, VBSIG_SIGNER_SERIAL), "2009"), "%s: serial", what);
    expect(eq(vbsig_report_signer_field(r, i, VBSIG_SIGNER_KEY), "RSA-2048"), "%s: key", what);
    expect(signature ? eq(vbsig_report_signature_digest_algorithm(r, i), "SHA-256")
                     : vbsig_report_signature_digest_algorithm(r, i) == NULL,
           "%s: digest", what);
    expect(vbsig_report_signature_chain_count(r, i) == 3, "%s: chain of 3", what);
    expect(eq(vbsig_report_signature_trust_domain(r, i), "command-line"), "%s: trust domain (%s)", what,
           vbsig_report_signature_trust_domain(r, i) ? vbsig_report_signature_trust_domain(r, i) : "none");
    expect(vbsig_report_signature_weak(r, i) == 0, "%s: not weak", what);
}

static void expect_lta(const vbsig_report *r, size_t i, const char *what)
{
    expect_signer(r, i, what);
    expect(eq(vbsig_report_signature_level(r, i), "B-LTA"), "%s: level B-LTA (%s)", what,
           vbsig_report_signature_level(r, i) ? vbsig_report_signature_level(r, i) : "none");
    expect(vbsig_report_signature_has_timestamp(r, i) == 1, "%s: a signature timestamp", what);
    expect(vbsig_report_timestamp_indication(r, i) == VBSIG_TOTAL_PASSED, "%s: the timestamp passes", what);
    time_t ts = vbsig_report_signature_time(r, i, VBSIG_TIME_TIMESTAMP);
    expect(ts != 0 && vbsig_report_signature_time(r, i, VBSIG_TIME_SIGNING) == ts,
           "%s: proven signing time = timestamp time", what);
    expect(ts >= time(NULL) - 600 && ts <= time(NULL) + 60, "%s: timestamp time is now", what);
    const char *source = NULL;
    expect(eq(vbsig_report_signature_revocation(r, i, &source, NULL), "good"), "%s: revocation good", what);
    expect(eq(source, "ocsp") || eq(source, "crl"), "%s: revocation from OCSP or CRL", what);
    expect(vbsig_report_signature_time(r, i, VBSIG_TIME_REVOKED) == 0, "%s: never revoked", what);
}

static vbsig_report *verify(vbsig_ctx *ctx, vbsig_format fmt, const char *path, const char *data)
{
    vbsig_report *r = NULL;
    int rc = fmt == VBSIG_FORMAT_PADES   ? vbsig_pades_verify_file(ctx, path, &r)
             : fmt == VBSIG_FORMAT_XADES ? vbsig_xml_verify_file(ctx, path, &r)
                                         : vbsig_cades_verify_file(ctx, path, data, &r);
    expect(rc == VBSIG_OK && r != NULL, "verify %s", path);
    if (r != NULL) {
        const char *base = strrchr(path, '/');
        expect(vbsig_report_set_file(r, base != NULL ? base + 1 : path) == VBSIG_OK, "set_file");
    }
    return r;
}

static int file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int)st.st_size : -1;
}

static void sign_lta(vbsig_ctx *ctx, vbsig_signer *s, const vbsig_tsp_opts *tsp, const char *work, const char *pdf,
                     const char *xml, const char *data)
{
    char *out = path_in(work, "lta.pdf");
    vbsig_pades_sign_opts po;
    vbsig_pades_sign_opts_init(&po);
    po.level = VBSIG_LEVEL_B_LTA;
    po.tsp = tsp;
    po.reason = "Phê duyệt";
    expect(vbsig_pades_sign_file(ctx, s, &po, pdf, out) == VBSIG_OK, "PAdES B-LTA in one call");
    vbsig_report *r = verify(ctx, VBSIG_FORMAT_PADES, out, NULL);
    if (r != NULL) {
        expect(eq(vbsig_report_format(r), "pades"), "PAdES: format");
        expect(vbsig_report_indication(r) == VBSIG_TOTAL_PASSED, "PAdES: document passes");
        expect(vbsig_report_signature_count(r) == 2, "PAdES: the signature and the document timestamp");
        expect_lta(r, 0, "PAdES");
        expect(eq(vbsig_report_signature_subfilter(r, 0), "ETSI.CAdES.detached"), "PAdES: subfilter");
        expect(eq(vbsig_report_signature_id(r, 0), "Signature1"), "PAdES: field name");
        expect(vbsig_report_signature_is_document_timestamp(r, 0) == 0, "PAdES: signature 0 is a signature");
        expect(vbsig_report_signature_is_document_timestamp(r, 1) == 1, "PAdES: signature 1 is a document timestamp");
        expect(eq(vbsig_report_signature_subfilter(r, 1), "ETSI.RFC3161"), "PAdES: document timestamp subfilter");
        expect(vbsig_report_signature_whole_document(r, 1) == 1, "PAdES: the document timestamp covers all");
        expect(vbsig_report_signature_certification(r, 0) == 0, "PAdES: not a certification");
        size_t rev = 0, revs = 0;
        expect(vbsig_report_signature_revision(r, 0, &rev, &revs) == 1 && rev < revs,
               "PAdES: the signature covers an earlier revision (%zu of %zu)", rev, revs);
        expect(vbsig_report_signature_whole_document(r, 0) == 0, "PAdES: updates after the signature");
        expect(eq(vbsig_report_signature_modifications(r, 0), "allowed") ||
                   eq(vbsig_report_signature_modifications(r, 0), "none"),
               "PAdES: only allowed changes after the signature");
        expect(vbsig_report_reference_count(r, 0) == 0, "PAdES: no XML references");
        dump(work, "lta.pdf.fields", r);
        vbsig_report_free(r);
    }
    free(out);

    out = path_in(work, "lta.p7m");
    vbsig_cades_sign_opts co;
    vbsig_cades_sign_opts_init(&co);
    co.level = VBSIG_LEVEL_B_LTA;
    co.tsp = tsp;
    expect(vbsig_cades_sign_file(ctx, s, &co, data, out) == VBSIG_OK, "CAdES B-LTA in one call");
    r = verify(ctx, VBSIG_FORMAT_CADES, out, NULL);
    if (r != NULL) {
        expect(eq(vbsig_report_format(r), "cades"), "CAdES: format");
        expect(vbsig_report_signature_count(r) == 1, "CAdES: one SignerInfo");
        expect_lta(r, 0, "CAdES");
        expect(vbsig_report_signature_whole_document(r, 0) == 1, "CAdES: an attached signature covers its data");
        expect(vbsig_report_signature_subfilter(r, 0) == NULL, "CAdES: no subfilter");
        dump(work, "lta.p7m.fields", r);
        vbsig_report_free(r);
    }
    free(out);

    out = path_in(work, "lta.xml");
    vbsig_xml_sign_opts xo;
    vbsig_xml_sign_opts_init(&xo);
    xo.level = VBSIG_LEVEL_B_LTA;
    xo.tsp = tsp;
    expect(vbsig_xml_sign_file(ctx, s, &xo, xml, out) == VBSIG_OK, "XAdES B-LTA in one call");
    r = verify(ctx, VBSIG_FORMAT_XADES, out, NULL);
    if (r != NULL) {
        expect(eq(vbsig_report_format(r), "xades"), "XAdES: format");
        size_t last = vbsig_report_signature_count(r) - 1; /* ours is the last one */
        expect_lta(r, last, "XAdES");
        expect(vbsig_report_reference_count(r, last) == 2, "XAdES: the document and SignedProperties");
        vbsig_reference_info ref;
        expect(vbsig_report_reference(r, last, 0, &ref) == VBSIG_OK && eq(ref.kind, "content") && ref.digest_ok == 1 &&
                   eq(ref.uri, "") && eq(ref.path, "/"),
               "XAdES: reference 0 is the whole document");
        expect(vbsig_report_reference(r, last, 1, &ref) == VBSIG_OK && eq(ref.kind, "signed-properties"),
               "XAdES: reference 1 is SignedProperties");
        dump(work, "lta.xml.fields", r);
        vbsig_report_free(r);
    }
    free(out);
}

struct progress_seen {
    size_t calls, last_done, total;
};

static void on_progress(void *user, vbsig_batch *b, size_t index, size_t done, size_t total)
{
    struct progress_seen *p = user;
    expect(done == p->last_done + 1 && index + 1 == done, "batch progress in order (%zu after %zu)", done, p->last_done);
    expect(vbsig_batch_item_status(b, index) == VBSIG_OK, "batch file %zu signed", index);
    p->calls++;
    p->last_done = done;
    p->total = total;
}

static int refuse_xml(void *user, vbsig_batch *b, size_t index, vbsig_format fmt)
{
    (void)user;
    (void)b;
    (void)index;
    return fmt == VBSIG_FORMAT_XADES ? vbsig_set_error(VBSIG_E_REFUSED, "no XML in this batch") : VBSIG_OK;
}

static void batch(vbsig_ctx *ctx, vbsig_signer *s, const char *work, const char *pdf, const char *xml)
{
    char *dir = path_in(work, "batch");
    mkdir(dir, 0777);
    char *txt[3];
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "doc%d.txt", i);
        txt[i] = path_in(work, name);
        FILE *f = fopen(txt[i], "w");
        expect(f != NULL, "write %s", txt[i]);
        if (f != NULL) {
            fprintf(f, "Văn bản số %d\n", i);
            fclose(f);
        }
    }
    vbsig_cades_sign_opts co;
    vbsig_cades_sign_opts_init(&co);
    co.detached = 1;
    vbsig_batch_opts bo;
    vbsig_batch_opts_init(&bo);
    bo.sign.cades = &co;
    bo.out_dir = dir;
    vbsig_batch *b = NULL;
    expect(vbsig_batch_new(&b, ctx, s, &bo) == VBSIG_OK, "batch: new");
    for (int i = 0; i < 3; i++)
        expect(vbsig_batch_add(b, txt[i], NULL) == VBSIG_OK, "batch: add %d", i);
    char *pdf_out = path_in(work, "batch-explicit.pdf");
    expect(vbsig_batch_add(b, pdf, pdf_out) == VBSIG_OK, "batch: add the PDF with its output");
    struct progress_seen seen = {0};
    expect(vbsig_batch_run(b, on_progress, &seen) == VBSIG_OK, "batch: run");
    expect(seen.calls == 4 && seen.total == 4, "batch: four progress calls");
    expect(vbsig_batch_run(b, NULL, NULL) == VBSIG_E_INVALID_ARG, "batch: runs once");
    expect(vbsig_batch_count(b) == 4 && vbsig_batch_failed(b) == 0, "batch: 4 files, none failed");
    for (size_t i = 0; i < 4; i++) {
        expect(vbsig_batch_item_status(b, i) == VBSIG_OK, "batch: file %zu", i);
        expect(eq(vbsig_batch_item_message(b, i), ""), "batch: no message for file %zu", i);
        const char *o = vbsig_batch_item_output(b, i);
        expect(o != NULL && file_size(o) > 0, "batch: output of file %zu written", i);
        vbsig_format f = vbsig_batch_item_format(b, i);
        expect(f == (i < 3 ? VBSIG_FORMAT_CADES : VBSIG_FORMAT_PADES), "batch: format of file %zu", i);
        vbsig_report *r = verify(ctx, f, o, i < 3 ? txt[i] : NULL);
        if (r != NULL) {
            expect_signer(r, 0, "batch");
            expect(eq(vbsig_report_signature_level(r, 0), "B-B"), "batch: level B-B");
            vbsig_report_free(r);
        }
    }
    char *named = path_in(dir, "doc1.txt.p7s");
    expect(eq(vbsig_batch_item_output(b, 1), named), "batch: detached CAdES named NAME.p7s in out_dir");
    expect(eq(vbsig_batch_item_output(b, 3), pdf_out), "batch: the output given is kept");
    expect(eq(vbsig_batch_item_input(b, 3), pdf), "batch: input path");
    vbsig_batch_free(b);

    /* A refusal by the check callback fails that file only. */
    vbsig_batch_opts_init(&bo);
    bo.out_dir = dir;
    bo.check = refuse_xml;
    expect(vbsig_batch_new(&b, ctx, s, &bo) == VBSIG_OK, "batch 2: new");
    expect(vbsig_batch_add(b, xml, NULL) == VBSIG_OK && vbsig_batch_add(b, txt[0], NULL) == VBSIG_OK, "batch 2: add");
    expect(vbsig_batch_run(b, NULL, NULL) == VBSIG_OK, "batch 2: run");
    expect(vbsig_batch_failed(b) == 1, "batch 2: one failed");
    expect(vbsig_batch_item_status(b, 0) == VBSIG_E_REFUSED && eq(vbsig_batch_item_message(b, 0), "no XML in this batch"),
           "batch 2: the XML file refused with the callback's message");
    expect(vbsig_batch_item_status(b, 1) == VBSIG_OK, "batch 2: the other file signed");
    vbsig_batch_free(b);
    free(named);
    free(pdf_out);
    for (int i = 0; i < 3; i++)
        free(txt[i]);
    free(dir);
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *p = malloc(n > 0 ? (size_t)n : 1);
    if (p != NULL && fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return p;
}

/* "The server prepares, the key holder signs": prepare with a signer that
 * has only the certificate, sign the digest with the key, finish. */
static void xades_two_step(vbsig_ctx *ctx, vbsig_signer *key, const char *pki, const char *work, const char *xml)
{
    char *cert = path_in(pki, "signers/withrev.pem");
    vbsig_signer *only_cert = NULL;
    expect(vbsig_signer_from_cert_file(&only_cert, cert) == VBSIG_OK, "certificate-only signer");
    size_t len = 0;
    uint8_t *doc = slurp(xml, &len);
    expect(doc != NULL, "read %s", xml);
    vbsig_xml_sign_opts xo;
    vbsig_xml_sign_opts_init(&xo);
    vbsig_xml_pending *p = NULL;
    expect(vbsig_xml_prepare(ctx, only_cert, &xo, doc, len, &p) == VBSIG_OK, "XAdES prepare");
    const vbsig_sign_request *req = p != NULL ? vbsig_xml_pending_request(p) : NULL;
    expect(req != NULL && req->digest_len == 32, "XAdES: a SHA-256 digest to sign");
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    vbsig_buf out = {0};
    if (req != NULL) {
        uint8_t refused[VBSIG_MAX_SIGNATURE];
        size_t refused_len = sizeof refused;
        expect(vbsig_signer_sign_digest(only_cert, req, refused, &refused_len) == VBSIG_E_KEY_UNUSABLE,
               "the certificate-only signer cannot sign");
        expect(vbsig_signer_sign_digest(key, req, sig, &sig_len) == VBSIG_OK, "the key signs the digest");
        expect(vbsig_xml_finish(p, sig, sig_len, &out) == VBSIG_OK, "XAdES finish");
    }
    vbsig_xml_pending_free(p);
    vbsig_report *r = NULL;
    expect(vbsig_xml_verify(ctx, out.data, out.len, &r) == VBSIG_OK, "verify the two-step XAdES");
    if (r != NULL) {
        size_t last = vbsig_report_signature_count(r) - 1;
        expect_signer(r, last, "XAdES two-step");
        expect(eq(vbsig_report_signature_level(r, last), "B-B"), "XAdES two-step: B-B");
        vbsig_report_free(r);
    }
    char *o = path_in(work, "two-step.xml");
    expect(vbsig_write_file(o, out.data, out.len, 0) == VBSIG_OK, "write the two-step XAdES");
    free(o);
    vbsig_buf_free(&out);
    free(doc);
    vbsig_signer_free(only_cert);
    free(cert);
}

static void own_signer(vbsig_ctx *ctx, vbsig_signer *s, const char *work)
{
    vbsig_report *r = NULL;
    expect(vbsig_signer_check(ctx, s, 0, &r) == VBSIG_OK, "vbsig_signer_check");
    if (r == NULL)
        return;
    expect(eq(vbsig_report_format(r), "signer"), "signer check: format");
    expect(vbsig_report_signature_count(r) == 1, "signer check: one entry");
    expect_signer(r, 0, "signer check");
    expect(eq(vbsig_report_signature_revocation(r, 0, NULL, NULL), "good"), "signer check: revocation good");
    dump(work, "signer.fields", r);
    vbsig_report_free(r);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--smoke") == 0) {
        vbsig_ctx *ctx = NULL;
        int rc = vbsig_ctx_new(&ctx);
        printf("%s %s\n", vbsig_version(), vbsig_status_name(rc));
        vbsig_ctx_free(ctx);
        return rc != VBSIG_OK;
    }
    if (argc != 7) {
        fprintf(stderr, "usage: consumer PKI TSA_URL CONFIG WORK PDF XML | --smoke\n");
        return 2;
    }
    const char *pki = argv[1], *tsa = argv[2], *conf = argv[3], *work = argv[4], *pdf = argv[5], *xml = argv[6];
    vbsig_ctx *ctx = NULL;
    vbsig_signer *s = NULL;
    char *root = path_in(pki, "root/root.pem"), *p12 = path_in(pki, "signers/withrev.p12");
    char *data = path_in(work, "data.txt");
    FILE *f = fopen(data, "w");
    if (f != NULL) {
        fputs("Công văn số 12/UBND\n", f);
        fclose(f);
    }
    expect(vbsig_ctx_new(&ctx) == VBSIG_OK, "ctx_new");
    expect(vbsig_ctx_load_config(ctx, conf) == VBSIG_OK, "load the configuration (URL rewrites)");
    expect(vbsig_ctx_add_trust(ctx, root) == VBSIG_OK, "add trust");
    /* Network settings live on the context; the TSA options leave them 0. */
    vbsig_network_opts net;
    vbsig_network_opts_init(&net);
    net.tsp_timeout_ms = 20000;
    net.timeout_ms = 10000;
    expect(vbsig_ctx_set_network(ctx, &net) == VBSIG_OK, "set the network settings");
    vbsig_network_opts got;
    expect(vbsig_ctx_get_network(ctx, &got) == VBSIG_OK && got.tsp_timeout_ms == 20000 && got.timeout_ms == 10000 &&
               got.connect_timeout_ms == 5000,
           "read the network settings back");
    /* Everything the library allocates goes back through vbsig_free. */
    vbsig_free(vbsig_config_default_path());
    expect(vbsig_signer_from_pkcs12(&s, p12, "pass:vbsig-test") == VBSIG_OK, "signer from PKCS#12");
    if (failures == 0) {
        const char *urls[1] = {tsa};
        vbsig_tsp_opts tsp;
        vbsig_tsp_opts_init(&tsp);
        tsp.urls = urls;
        tsp.url_count = 1;
        own_signer(ctx, s, work);
        sign_lta(ctx, s, &tsp, work, pdf, xml, data);
        batch(ctx, s, work, pdf, xml);
        xades_two_step(ctx, s, pki, work, xml);
    }
    vbsig_signer_free(s);
    vbsig_ctx_free(ctx);
    free(root);
    free(p12);
    free(data);
    printf("consumer: %d failures\n", failures);
    return failures != 0;
}
