/* PAdES signing: the incremental update read back by our own reader
 * (cross-reference kind, revisions, the signature field), the exact
 * /ByteRange and /Contents placement, the placeholder retry, two-step
 * signing with the signature made by OpenSSL, the document's own rules. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pades/pades.h"
#include "pdf/pdf_builder.h"
#include "pdf/pdf_internal.h"
#include "pdf/pdf_test_util.h"
#include "test_pki.h"
#include "vbsig/vbsig.h"

typedef struct fixture {
    vbsig_ctx *ctx;
    vbsig_signer *rsa;
    char dir[512];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(vbsig_ctx_new(&f->ctx), VBSIG_OK);
    assert_int_equal(vbsig_ctx_add_trust(f->ctx, pki_path("root/root.pem")), VBSIG_OK);
    assert_int_equal(vbsig_signer_from_pkcs12(&f->rsa, pki_path("signers/rsa2048.p12"), "pass:vbsig-test"), VBSIG_OK);
    const char *tmp = getenv("VBSIG_TEST_TMP");
    snprintf(f->dir, sizeof f->dir, "%s/pades-sign-%d", tmp != NULL ? tmp : "/tmp", (int)getpid());
    mkdir(tmp != NULL ? tmp : "/tmp", 0755);
    assert_int_equal(mkdir(f->dir, 0755), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    vbsig_signer_free(f->rsa);
    vbsig_ctx_free(f->ctx);
    free(f);
    return 0;
}

static const char *tmp_file(const fixture *f, int slot, const char *name)
{
    static char buf[4][700];
    snprintf(buf[slot & 3], sizeof buf[0], "%s/%s", f->dir, name);
    return buf[slot & 3];
}

/* A one-page classic-table PDF; the page's /Annots is indirect when
 * indirect_annots, and the catalog has an indirect AcroForm when form. */
static void write_small_pdf(const char *path, int indirect_annots, int form)
{
    pdfb p;
    pdfb_begin(&p);
    pdfb_obj(&p, 1, 0, form ? "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R >>" : "<< /Type /Catalog /Pages 2 0 R >>");
    pdfb_obj(&p, 2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdfb_obj(&p, 3, 0, indirect_annots ? "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.3 842] /Annots 5 0 R >>"
                                       : "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.3 842] >>");
    pdfb_obj(&p, 4, 0, "<< /Producer (pdf_builder) >>");
    pdfb_obj(&p, 5, 0, "[]");
    pdfb_obj(&p, 6, 0, "<< /Fields [] /DA (/Helv 0 Tf 0 g) >>");
    static const unsigned entries[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {5, 0, 1}, {6, 0, 1}, {0, 0, 0}};
    pdfb_xref(&p, entries, "/Size 7 /Root 1 0 R /Info 4 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]");
    assert_int_equal(vbsig_write_file_atomic(path, p.b.data, p.b.len), VBSIG_OK);
    vbsig_bytes_free(&p.b);
}

static int64_t int_at(const vbsig_pdf_obj *arr, size_t i)
{
    int64_t v = -1;
    assert_int_equal(vbsig_pdf_get_int(vbsig_pdf_array_get(arr, i), &v), VBSIG_OK);
    return v;
}

/* Checks what any signed output must be, and returns the newest
 * signature's dictionary (owned by doc). */
static const vbsig_pdf_obj *check_signed(vbsig_pdf_doc *doc, const char *in_path, size_t expect_fields)
{
    vbsig_file_map in;
    assert_int_equal(vbsig_file_map_open(&in, in_path, 0), VBSIG_OK);
    size_t len = 0;
    const uint8_t *data = vbsig_pdf_data(doc, &len);
    /* the original bytes are a prefix of the output */
    assert_true(len > in.len);
    assert_memory_equal(data, in.data, in.len);
    vbsig_file_map_close(&in);
    vbsig_pdf_sig_field *fields = NULL;
    size_t n = 0;
    assert_int_equal(vbsig_pdf_sig_fields(doc, VBSIG_PDF_NEWEST, &fields, &n), VBSIG_OK);
    assert_int_equal(n, expect_fields);
    const vbsig_pdf_obj *v = fields[n - 1].value;
    assert_non_null(v);
    vbsig_pdf_sig_fields_free(fields, n);
    const vbsig_pdf_obj *br = vbsig_pdf_dict_get(v, "ByteRange"), *contents = vbsig_pdf_dict_get(v, "Contents");
    assert_non_null(br);
    assert_non_null(contents);
    assert_int_equal(vbsig_pdf_array_count(br), 4);
    int64_t a = int_at(br, 1), b = int_at(br, 2), c = int_at(br, 3);
    assert_int_equal(int_at(br, 0), 0);
    /* the gap is exactly this dictionary's /Contents string */
    assert_int_equal(contents->u.string.token_start, (size_t)a);
    assert_int_equal(contents->u.string.token_end, (size_t)b);
    assert_int_equal(data[a], '<');
    assert_int_equal(data[b - 1], '>');
    assert_int_equal((size_t)(b + c), len);
    assert_true(vbsig_pdf_is_name(vbsig_pdf_dict_get(v, "SubFilter"), "ETSI.CAdES.detached"));
    assert_true(vbsig_pdf_is_name(vbsig_pdf_dict_get(v, "Filter"), "Adobe.PPKLite"));
    return v;
}

/* The CMS in /Contents over the two byte ranges, checked by OpenSSL; no
 * signing-time, a signing-certificate-v2. */
static void check_cms(vbsig_pdf_doc *doc, const vbsig_pdf_obj *v)
{
    size_t len = 0;
    const uint8_t *data = vbsig_pdf_data(doc, &len);
    const vbsig_pdf_obj *br = vbsig_pdf_dict_get(v, "ByteRange");
    size_t a = (size_t)int_at(br, 1), b = (size_t)int_at(br, 2), c = (size_t)int_at(br, 3);
    const uint8_t *der = NULL;
    size_t der_len = 0;
    assert_int_equal(vbsig_pdf_get_string(vbsig_pdf_dict_get(v, "Contents"), &der, &der_len), VBSIG_OK);
    const unsigned char *q = der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &q, (long)der_len);
    assert_non_null(cms);
    BIO *content = BIO_new(BIO_s_mem());
    BIO_write(content, data, (int)a);
    BIO_write(content, data + b, (int)c);
    X509_STORE *store = X509_STORE_new();
    X509_STORE_load_file(store, pki_path("root/root.pem"));
    STACK_OF(X509) *chain = sk_X509_new_null();
    BIO *cb = BIO_new_file(pki_path2("chain.pem"), "r");
    X509 *x;
    while ((x = PEM_read_bio_X509(cb, NULL, NULL, NULL)) != NULL)
        sk_X509_push(chain, x);
    ERR_clear_error();
    assert_int_equal(CMS_verify(cms, chain, store, content, NULL, CMS_BINARY | CMS_DETACHED | CMS_NO_SIGNER_CERT_VERIFY), 1);
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
    assert_true(CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) < 0);
    assert_true(CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) >= 0);
    BIO_free(cb);
    sk_X509_pop_free(chain, X509_free);
    X509_STORE_free(store);
    BIO_free(content);
    CMS_ContentInfo_free(cms);
}

static void test_classic_table(void **state)
{
    fixture *f = *state;
    const char *in = tmp_file(f, 0, "small.pdf"), *out = tmp_file(f, 1, "small-signed.pdf");
    write_small_pdf(in, 0, 0);
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    o.reason = "Phê duyệt văn bản";
    o.location = "Vĩnh Long";
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, in, out), VBSIG_OK);
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open(&doc, f->ctx, out, 0), VBSIG_OK);
    assert_int_equal(vbsig_pdf_revision_count(doc), 2);
    vbsig_pdf_revision_info ri;
    assert_int_equal(vbsig_pdf_revision_get(doc, 1, &ri), VBSIG_OK);
    assert_int_equal(ri.xref_is_stream, 0);
    assert_int_equal(ri.flags, 0);
    /* /ID[0] kept, /Prev at the first table, /Size grows by two */
    const vbsig_pdf_obj *id = vbsig_pdf_dict_get(ri.trailer, "ID");
    assert_int_equal(vbsig_pdf_array_get(id, 0)->u.string.len, 16);
    assert_memory_equal(vbsig_pdf_array_get(id, 0)->u.string.data, "\x01\x23\x45\x67\x89\xAB\xCD\xEF", 8);
    int64_t size = -1;
    assert_int_equal(vbsig_pdf_get_int(vbsig_pdf_dict_get(ri.trailer, "Size"), &size), VBSIG_OK);
    assert_int_equal(size, 9);
    assert_non_null(vbsig_pdf_dict_get(ri.trailer, "Info"));
    const vbsig_pdf_obj *v = check_signed(doc, in, 1);
    check_cms(doc, v);
    /* the Vietnamese reason is UTF-16BE with a byte order mark */
    const uint8_t *s = NULL;
    size_t n = 0;
    assert_int_equal(vbsig_pdf_get_string(vbsig_pdf_dict_get(v, "Reason"), &s, &n), VBSIG_OK);
    assert_true(n > 2 && s[0] == 0xfe && s[1] == 0xff);
    /* the widget went into the page's new /Annots, the catalog got an AcroForm */
    const vbsig_pdf_obj *page = NULL, *annots = NULL, *cat = NULL, *af = NULL, *flags = NULL;
    assert_int_equal(vbsig_pdf_page(doc, VBSIG_PDF_NEWEST, 0, &page), VBSIG_OK);
    assert_int_equal(vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, page, "Annots", &annots), VBSIG_OK);
    assert_int_equal(vbsig_pdf_array_count(annots), 1);
    assert_int_equal(vbsig_pdf_catalog(doc, VBSIG_PDF_NEWEST, &cat), VBSIG_OK);
    assert_int_equal(vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, cat, "AcroForm", &af), VBSIG_OK);
    assert_int_equal(vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, af, "SigFlags", &flags), VBSIG_OK);
    assert_int_equal(flags->u.integer, 3);
    /* a real kept its value without exponent notation */
    const vbsig_pdf_obj *mb = vbsig_pdf_dict_get(page, "MediaBox");
    double w = 0;
    assert_int_equal(vbsig_pdf_get_number(vbsig_pdf_array_get(mb, 2), &w), VBSIG_OK);
    assert_true(w > 595.29 && w < 595.31);
    vbsig_pdf_close(doc);

    /* a second signature: the first keeps its bytes, two fields now */
    const char *out2 = tmp_file(f, 2, "small-signed2.pdf");
    o.reason = NULL;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, out, out2), VBSIG_OK);
    assert_int_equal(vbsig_pdf_open(&doc, f->ctx, out2, 0), VBSIG_OK);
    assert_int_equal(vbsig_pdf_revision_count(doc), 3);
    check_cms(doc, check_signed(doc, out, 2));
    vbsig_pdf_close(doc);
}

/* Indirect /Annots and an indirect AcroForm get new versions of those
 * objects; the page and the catalog stay as they were. */
static void test_indirect_arrays(void **state)
{
    fixture *f = *state;
    const char *in = tmp_file(f, 0, "indirect.pdf"), *out = tmp_file(f, 1, "indirect-signed.pdf");
    write_small_pdf(in, 1, 1);
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    o.field_name = "Ký duyệt";
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, in, out), VBSIG_OK);
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open(&doc, f->ctx, out, 0), VBSIG_OK);
    check_cms(doc, check_signed(doc, in, 1));
    int listed[16] = {0};
    vbsig_pdf_revision_info ri;
    assert_int_equal(vbsig_pdf_revision_get(doc, 1, &ri), VBSIG_OK);
    for (size_t i = 0; i < ri.object_count; i++) {
        uint32_t num;
        uint16_t gen;
        int used;
        assert_int_equal(vbsig_pdf_revision_object(doc, 1, i, &num, &gen, &used), VBSIG_OK);
        if (num < 16)
            listed[num] = 1;
    }
    assert_int_equal(ri.object_count, 4); /* sig, field, /Annots array, AcroForm */
    assert_true(listed[5] && listed[6] && listed[7] && listed[8]);
    assert_false(listed[1] || listed[3]);
    vbsig_pdf_sig_field *fields = NULL;
    size_t n = 0;
    assert_int_equal(vbsig_pdf_sig_fields(doc, VBSIG_PDF_NEWEST, &fields, &n), VBSIG_OK);
    assert_int_equal(n, 1);
    /* the non-ASCII name went out as UTF-16BE */
    assert_true(fields[0].name_len > 2 && (uint8_t)fields[0].name[0] == 0xfe);
    vbsig_pdf_sig_fields_free(fields, n);
    vbsig_pdf_close(doc);
}

static void sign_corpus_file(fixture *f, const char *name, int expect_stream)
{
    char in[4096];
    snprintf(in, sizeof in, "%s", corpus_path(name));
    const char *out = tmp_file(f, 1, "corpus-signed.pdf");
    vbsig_pdf_doc *before = NULL;
    vbsig_pdf_sig_field *fields = NULL;
    size_t nfields = 0;
    assert_int_equal(vbsig_pdf_open(&before, f->ctx, in, 0), VBSIG_OK);
    assert_int_equal(vbsig_pdf_sig_fields(before, VBSIG_PDF_NEWEST, &fields, &nfields), VBSIG_OK);
    vbsig_pdf_sig_fields_free(fields, nfields);
    vbsig_pdf_close(before);
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, in, out), VBSIG_OK);
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open(&doc, f->ctx, out, 0), VBSIG_OK);
    size_t revs = vbsig_pdf_revision_count(doc);
    vbsig_pdf_revision_info ri;
    assert_int_equal(vbsig_pdf_revision_get(doc, revs - 1, &ri), VBSIG_OK);
    assert_int_equal(ri.xref_is_stream, expect_stream);
    assert_int_equal(ri.flags, 0);
    size_t objects = 0, streams = 0;
    assert_int_equal(read_everything(doc, &objects, &streams), VBSIG_OK);
    check_cms(doc, check_signed(doc, in, nfields + 1));
    vbsig_pdf_close(doc);
}

/* After an xref stream comes an xref stream; after a hybrid file's table,
 * a table. */
static void test_xref_kinds(void **state)
{
    fixture *f = *state;
    sign_corpus_file(f, "qpdf-objstm-longan.pdf", 1);
    sign_corpus_file(f, "incremental-xrefstream-longan.pdf", 1);
    sign_corpus_file(f, "hybrid-xref-vinhlong.pdf", 0);
    sign_corpus_file(f, "qpdf-linearized-phuyen.pdf", 0);
}

/* A reservation far too small: the one-shot path lays out again with room
 * for the real CMS; the two-step path says how much it needs. */
static void test_placeholder_retry(void **state)
{
    fixture *f = *state;
    const char *in = tmp_file(f, 0, "retry.pdf"), *out = tmp_file(f, 1, "retry-signed.pdf");
    write_small_pdf(in, 0, 0);
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    o.contents_size = 64;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, in, out), VBSIG_OK);
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open(&doc, f->ctx, out, 0), VBSIG_OK);
    const vbsig_pdf_obj *v = check_signed(doc, in, 1);
    assert_true(vbsig_pdf_dict_get(v, "Contents")->u.string.len > 1000);
    check_cms(doc, v);
    vbsig_pdf_close(doc);

    const char *out2 = tmp_file(f, 2, "retry-two-step.pdf");
    vbsig_pades_pending *p = NULL;
    assert_int_equal(vbsig_pades_prepare(f->ctx, f->rsa, &o, in, &p), VBSIG_OK);
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    assert_int_equal(vbsig_signer_sign_digest(f->rsa, vbsig_pades_pending_request(p), sig, &sig_len), VBSIG_OK);
    assert_int_equal(vbsig_pades_finish(p, sig, sig_len, out2), VBSIG_E_LIMIT);
    assert_non_null(strstr(vbsig_last_error(), "contents_size"));
    vbsig_pades_pending_free(p);
    assert_int_equal(access(out2, F_OK), -1);
}

/* Two-step: the signer holds only the certificate; OpenSSL signs the
 * digest with the private key, as a browser token or remote signer would. */
static void test_two_step(void **state)
{
    fixture *f = *state;
    const char *in = tmp_file(f, 0, "two.pdf"), *out = tmp_file(f, 1, "two-signed.pdf");
    write_small_pdf(in, 0, 1);
    vbsig_signer *cert_only = NULL;
    assert_int_equal(vbsig_signer_from_cert_file(&cert_only, pki_path("signers/ecp256.pem")), VBSIG_OK);
    assert_int_equal(vbsig_signer_add_chain_file(cert_only, pki_path2("chain.pem")), VBSIG_OK);
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    o.digest = VBSIG_DIGEST_SHA384;
    vbsig_pades_pending *p = NULL;
    assert_int_equal(vbsig_pades_prepare(f->ctx, cert_only, &o, in, &p), VBSIG_OK);
    const vbsig_sign_request *req = vbsig_pades_pending_request(p);
    assert_int_equal(req->digest_alg, VBSIG_DIGEST_SHA384);
    assert_int_equal(req->digest_len, 48);

    FILE *kf = fopen(pki_path("signers/ecp256.key"), "r");
    assert_non_null(kf);
    EVP_PKEY *key = PEM_read_PrivateKey(kf, NULL, NULL, NULL);
    fclose(kf);
    assert_non_null(key);
    EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new(key, NULL);
    assert_int_equal(EVP_PKEY_sign_init(kc), 1);
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    assert_int_equal(EVP_PKEY_sign(kc, sig, &sig_len, req->digest, req->digest_len), 1);
    EVP_PKEY_CTX_free(kc);
    EVP_PKEY_free(key);

    /* a wrong signature is refused before anything is written */
    uint8_t bad[VBSIG_MAX_SIGNATURE];
    memcpy(bad, sig, sig_len);
    bad[sig_len - 3] ^= 1;
    assert_int_not_equal(vbsig_pades_finish(p, bad, sig_len, out), VBSIG_OK);
    assert_int_equal(access(out, F_OK), -1);
    vbsig_pades_pending_free(p);

    assert_int_equal(vbsig_pades_prepare(f->ctx, cert_only, &o, in, &p), VBSIG_OK);
    req = vbsig_pades_pending_request(p);
    kf = fopen(pki_path("signers/ecp256.key"), "r");
    key = PEM_read_PrivateKey(kf, NULL, NULL, NULL);
    fclose(kf);
    kc = EVP_PKEY_CTX_new(key, NULL);
    assert_int_equal(EVP_PKEY_sign_init(kc), 1);
    sig_len = sizeof sig;
    assert_int_equal(EVP_PKEY_sign(kc, sig, &sig_len, req->digest, req->digest_len), 1);
    EVP_PKEY_CTX_free(kc);
    EVP_PKEY_free(key);
    assert_int_equal(vbsig_pades_finish(p, sig, sig_len, out), VBSIG_OK);
    vbsig_pades_pending_free(p);
    vbsig_signer_free(cert_only);

    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open(&doc, f->ctx, out, 0), VBSIG_OK);
    check_cms(doc, check_signed(doc, in, 1));
    vbsig_pdf_close(doc);
}

static void test_rules(void **state)
{
    fixture *f = *state;
    const char *in = tmp_file(f, 0, "rules.pdf"), *cert1 = tmp_file(f, 1, "rules-p1.pdf"),
               *out = tmp_file(f, 2, "rules-out.pdf");
    write_small_pdf(in, 0, 0);
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    o.certify = 1;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, in, cert1), VBSIG_OK);
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open(&doc, f->ctx, cert1, 0), VBSIG_OK);
    const vbsig_pdf_obj *cat = NULL, *perms = NULL;
    assert_int_equal(vbsig_pdf_catalog(doc, VBSIG_PDF_NEWEST, &cat), VBSIG_OK);
    assert_int_equal(vbsig_pdf_dict_resolve(doc, VBSIG_PDF_NEWEST, cat, "Perms", &perms), VBSIG_OK);
    assert_non_null(vbsig_pdf_dict_get(perms, "DocMDP"));
    vbsig_pdf_close(doc);
    /* P=1: no further signature; certification of a signed file refused */
    o.certify = 0;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, cert1, out), VBSIG_E_REFUSED);
    assert_non_null(strstr(vbsig_last_error(), "P=1"));
    assert_int_equal(access(out, F_OK), -1);
    o.certify = 2;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, in, cert1), VBSIG_OK);
    o.certify = 0;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, cert1, out), VBSIG_OK);
    o.certify = 3;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, out, tmp_file(f, 3, "x.pdf")), VBSIG_E_REFUSED);
    /* encrypted files, the input as output, bad options */
    o.certify = 0;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, corpus_path("qpdf-encrypted-aes256-vinhlong.pdf"), out),
                     VBSIG_E_UNSUPPORTED);
    assert_non_null(strstr(vbsig_last_error(), "encrypted"));
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, in, in), VBSIG_E_INVALID_ARG);
    o.certify = 4;
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, in, out), VBSIG_E_INVALID_ARG);
    o.certify = 0;
    o.reason = "\xc3\x28";
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, in, tmp_file(f, 3, "y.pdf")), VBSIG_E_INVALID_ARG);
    assert_int_equal(access(tmp_file(f, 3, "y.pdf"), F_OK), -1);
    /* a file that needs repairing is refused */
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, corpus_path("malformed/xref-offsets-shifted-phuyen.pdf"), tmp_file(f, 3, "z.pdf")), VBSIG_E_MALFORMED);
}

/* The serialisers on their own. */
/* Objects a signer writes back keep their numbers: a real read from the
 * file comes out as the file had it (LibreOffice's 595.303937007874 cut
 * to 595.303937 made a PDFBox signature see "/MediaBox changed"). */
static void test_reals_round_trip(void **state)
{
    (void)state;
    static const char *texts[] = {"[0 0 595.303937007874 841.889763779528]", "[0.1 -0.5 12.25 3.4028235]",
                                  "[1.0 -0 .5 100000.000001]"};
    static const char *want[] = {"[ 0 0 595.303937007874 841.889763779528 ]", "[ 0.1 -0.5 12.25 3.4028235 ]",
                                 "[ 1 0 0.5 100000.000001 ]"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        pdf_lexer lx;
        pdf_lexer_init(&lx, (const uint8_t *)texts[i], strlen(texts[i]), 0, "test", 0);
        vbsig_pdf_obj *o = NULL;
        assert_int_equal(pdf_parse_object(&lx, 8, &o), VBSIG_OK);
        vbsig_bytes b;
        vbsig_bytes_init(&b);
        assert_int_equal(pdfw_obj(&b, o), VBSIG_OK);
        assert_int_equal(vbsig_bytes_append(&b, "", 1), VBSIG_OK);
        assert_string_equal((const char *)b.data, want[i]);
        vbsig_bytes_free(&b);
        vbsig_pdf_obj_free(o);
    }
}

static void test_writer(void **state)
{
    (void)state;
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    assert_int_equal(pdfw_text_string(&b, "A (b) \\", "t"), VBSIG_OK);
    assert_int_equal(pdfw_name(&b, "a b#/", 5), VBSIG_OK);
    assert_int_equal(pdfw_text_string(&b, "Đ\xf0\x9f\x98\x80", "t"), VBSIG_OK); /* Đ and an emoji: a surrogate pair */
    assert_int_equal(pdfw_date(&b, 0), VBSIG_OK);
    assert_int_equal(vbsig_bytes_append(&b, "", 1), VBSIG_OK);
    assert_string_equal((const char *)b.data,
                        "(A \\(b\\) \\\\)/a#20b#23#2F<FEFF0110D83DDE00>(D:19700101070000+07'00')");
    b.len = 0;
    assert_int_equal(pdfw_text_string(&b, "\xe0\x80\x80", "t"), VBSIG_E_INVALID_ARG); /* overlong */
    assert_int_equal(pdfw_text_string(&b, "\xed\xa0\x80", "t"), VBSIG_E_INVALID_ARG); /* a surrogate */
    assert_int_equal(pdfw_text_string(&b, "\xe1\xbb", "t"), VBSIG_E_INVALID_ARG);     /* truncated */
    vbsig_bytes_free(&b);
    /* offsets past 10^8 fit the ByteRange fields, past 10^10 the table refuses */
    char tmp[64];
    assert_true(snprintf(tmp, sizeof tmp, "%zu", (size_t)123456789012u) < PADES_BYTERANGE_WIDTH);
    vbsig_bytes_init(&b);
    pdfw_xref_entry e[2] = {{5, 0, 10000000000u}, {0, 0, 0}};
    static const vbsig_pdf_obj root = {.type = VBSIG_PDF_REF, .u.ref = {1, 0}};
    pdfw_trailer t = {.size = 6, .root = &root, .id0 = (const uint8_t *)"x", .id0_len = 1, .prev = 9};
    assert_int_equal(pdfw_xref_write(&b, 0, e, 1, &t, 0, 0), VBSIG_E_LIMIT);
    b.len = 0;
    /* an xref stream covers offsets past 4 GiB with wider fields */
    assert_int_equal(pdfw_xref_write(&b, 5000000000u, e, 2, &t, 1, 6), VBSIG_OK);
    assert_non_null(memmem(b.data, b.len, "/W [1 5 2] /Index [5 2]", 23));
    vbsig_bytes_free(&b);
}

/* A /Fields entry refers to object 7, which the file (/Size 7) never
 * defines. The new objects must not take number 7, or that dangling entry
 * would become a second copy of the new signature field (a fuzzing find). */
static void test_dangling_reference(void **state)
{
    fixture *f = *state;
    const char *in = tmp_file(f, 0, "dangling.pdf"), *out = tmp_file(f, 1, "dangling-signed.pdf");
    pdfb p;
    pdfb_begin(&p);
    pdfb_obj(&p, 1, 0, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R >>");
    pdfb_obj(&p, 2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdfb_obj(&p, 3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.3 842] /Annots [9 0 R] >>");
    pdfb_obj(&p, 4, 0, "<< /Producer (pdf_builder) >>");
    pdfb_obj(&p, 5, 0, "[]");
    pdfb_obj(&p, 6, 0, "<< /Fields [7 0 R] >>");
    static const unsigned entries[][3] = {{1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {5, 0, 1}, {6, 0, 1}, {0, 0, 0}};
    pdfb_xref(&p, entries, "/Size 7 /Root 1 0 R /Info 4 0 R");
    assert_int_equal(vbsig_write_file_atomic(in, p.b.data, p.b.len), VBSIG_OK);
    vbsig_bytes_free(&p.b);
    vbsig_pades_sign_opts o;
    vbsig_pades_sign_opts_init(&o);
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, in, out), VBSIG_OK);
    vbsig_pdf_doc *doc = NULL;
    assert_int_equal(vbsig_pdf_open(&doc, f->ctx, out, 0), VBSIG_OK);
    check_cms(doc, check_signed(doc, in, 1));
    vbsig_pdf_revision_info ri;
    assert_int_equal(vbsig_pdf_revision_get(doc, 1, &ri), VBSIG_OK);
    for (size_t i = 0; i < ri.object_count; i++) {
        uint32_t num;
        uint16_t gen;
        int used;
        assert_int_equal(vbsig_pdf_revision_object(doc, 1, i, &num, &gen, &used), VBSIG_OK);
        /* 3 and 6 get new versions; the new objects start above 9 */
        assert_true(num == 3 || num == 6 || num >= 10);
    }
    vbsig_pdf_close(doc);

    /* An unsigned signature field whose /V names the undefined object 12. */
    pdfb_begin(&p);
    pdfb_obj(&p, 1, 0, "<< /Type /Catalog /Pages 2 0 R /AcroForm 6 0 R >>");
    pdfb_obj(&p, 2, 0, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pdfb_obj(&p, 3, 0, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.3 842] /Annots [5 0 R] >>");
    pdfb_obj(&p, 4, 0, "<< /Producer (pdf_builder) >>");
    pdfb_obj(&p, 5, 0, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Approval) /Rect [0 0 0 0] /P 3 0 R /V 12 0 R >>");
    pdfb_obj(&p, 6, 0, "<< /Fields [5 0 R] >>");
    pdfb_xref(&p, entries, "/Size 7 /Root 1 0 R /Info 4 0 R");
    assert_int_equal(vbsig_write_file_atomic(in, p.b.data, p.b.len), VBSIG_OK);
    vbsig_bytes_free(&p.b);
    assert_int_equal(vbsig_pades_sign_file(f->ctx, f->rsa, &o, in, out), VBSIG_OK);
    assert_int_equal(vbsig_pdf_open(&doc, f->ctx, out, 0), VBSIG_OK);
    vbsig_pdf_sig_field *fields = NULL;
    size_t n = 0;
    assert_int_equal(vbsig_pdf_sig_fields(doc, VBSIG_PDF_NEWEST, &fields, &n), VBSIG_OK);
    assert_int_equal(n, 2);
    assert_null(fields[0].value); /* "Approval" stays unsigned */
    assert_non_null(fields[1].value);
    assert_true(fields[1].value_ref.num > 12);
    vbsig_pdf_sig_fields_free(fields, n);
    vbsig_pdf_close(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_reals_round_trip),
        cmocka_unit_test_setup_teardown(test_classic_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indirect_arrays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xref_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_placeholder_retry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_step, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dangling_reference, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
