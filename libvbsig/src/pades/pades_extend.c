/* PAdES B-LT and B-LTA (ETSI EN 319 142-1 §5.4): for every signature and
 * document timestamp of the document, and every signature timestamp inside
 * a signature, the certificate path and the revocation data of each
 * certificate below the anchor are gathered with the validation code that
 * verification uses (validate/: path building with AIA, OCSP then CRL)
 * and written into the /DSS; B-LTA then adds a document timestamp over the
 * whole file. The input is never changed: the updates follow its bytes. */
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/sha.h>

#include "cms/cms.h"
#include "pades/pades.h"
#include "pades/pades_verify_priv.h"
#include "pdf/pdf_internal.h"
#include "validate/lt_collect.h"

/* A signature timestamp's token may itself carry timestamps in theory;
 * one level (signature → its timestamps) is what PAdES uses. */
#define EXTEND_MAX_DEPTH 2

void vbsig_pades_extend_opts_init(vbsig_pades_extend_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = VBSIG_PADES_EXTEND_OPTS_VERSION;
    opts->level = VBSIG_LEVEL_B_LT;
}

typedef struct extend_job {
    vbsig_ctx *ctx;
    pades_dss *dss;
    pades_dss_vri_entry *vri;
    const char *what; /* the field name, for messages */
    time_t now;
    int doc_ts;       /* 1: the field is a document timestamp */
} extend_job;

static int add_item(extend_job *j, int kind, const uint8_t *der, size_t len)
{
    size_t index = 0;
    int rc = pades_dss_add(j->dss, kind, der, len, 0, &index);
    return rc == VBSIG_OK ? pades_dss_vri_link(j->vri, kind, index) : rc;
}

/* The first message of e, for an error that must say why. */
static const char *first_reason(const vbsig_sig_entry *e)
{
    for (size_t i = 0; i < e->message_count; i++)
        if (strstr(e->messages[i], "warning") == NULL)
            return e->messages[i];
    return e->message_count > 0 ? e->messages[0] : "?";
}

/* Path and revocation data of one signing certificate (a signer's or a
 * TSA's). certs: what its CMS carries (owned by the caller; AIA may add). */
static int collect_cert(extend_job *j, X509 *leaf, STACK_OF(X509) *certs, int signer)
{
    vbsig_report *r = NULL;
    vbsig_sig_entry *e = NULL;
    int rc = vbsig_report_create("pades", &r);
    if (rc == VBSIG_OK)
        rc = vbsig_report_add_entry(r, &e);
    if (rc != VBSIG_OK) {
        vbsig_report_free(r);
        return rc;
    }
    e->validation_time = j->now;
    vbsig_path_validate(j->ctx, leaf, certs, j->now, e);
    if (e->chain_der_count == 0)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the certificate path of the signer cannot be built"), j->what);
    for (size_t i = 0; rc == VBSIG_OK && i < e->chain_der_count; i++)
        rc = add_item(j, PADES_DSS_CERT, e->chain_der[i], e->chain_der_len[i]);
    if (rc == VBSIG_OK) {
        vbsig_revocation_assess(j->ctx, leaf, certs, e);
        const char *st = e->revocation_status != NULL ? e->revocation_status : "unchecked";
        if (strcmp(st, "unavailable") == 0 || strcmp(st, "unknown") == 0)
            rc = vbsig_fail(VBSIG_E_UNAVAILABLE, _("%s: the revocation status needed for long-term validation cannot be obtained: %s"),
                            j->what, first_reason(e));
    }
    if (rc == VBSIG_OK && signer)
        rc = vbsig_lt_require_revocation(j->ctx, e, leaf, j->what);
    for (size_t i = 0; rc == VBSIG_OK && i < e->rev_object_count; i++) {
        const vbsig_rev_object *o = &e->rev_objects[i];
        rc = add_item(j, strcmp(o->type, "ocsp") == 0 ? PADES_DSS_OCSP : PADES_DSS_CRL, o->der, o->len);
    }
    vbsig_report_free(r);
    return rc;
}

static int collect_cms(extend_job *j, const uint8_t *der, size_t len, int depth);

/* The signature timestamps (id-aa-signatureTimeStampToken) of si. */
static int collect_timestamps(extend_job *j, CMS_SignerInfo *si, int depth)
{
    int rc = VBSIG_OK;
    for (int pos = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1); rc == VBSIG_OK && pos >= 0;
         pos = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, pos)) {
        X509_ATTRIBUTE *a = CMS_unsigned_get_attr(si, pos);
        for (int v = 0; rc == VBSIG_OK && v < X509_ATTRIBUTE_count(a); v++) {
            ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(a, v);
            if (t == NULL || t->type != V_ASN1_SEQUENCE)
                continue;
            rc = collect_cms(j, ASN1_STRING_get0_data(t->value.sequence), (size_t)ASN1_STRING_length(t->value.sequence),
                             depth + 1);
        }
    }
    return rc;
}

/* A CMS SignedData (a signature or a timestamp token): its signer's path
 * and revocation data, then those of its timestamps. */
static int collect_cms(extend_job *j, const uint8_t *der, size_t len, int depth)
{
    if (depth > EXTEND_MAX_DEPTH)
        return VBSIG_OK;
    CMS_ContentInfo *cms = NULL;
    int rc = vbsig_cms_parse(der, len, 0, (unsigned)j->ctx->limits[VBSIG_LIMIT_DER_DEPTH], j->what, &cms);
    if (rc != VBSIG_OK)
        return rc;
    STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
    CMS_SignerInfo *si = sis != NULL && sk_CMS_SignerInfo_num(sis) == 1 ? sk_CMS_SignerInfo_value(sis, 0) : NULL;
    STACK_OF(X509) *certs = CMS_get1_certs(cms);
    if (certs == NULL)
        certs = sk_X509_new_null();
    X509 *signer = NULL;
    for (int i = 0; si != NULL && certs != NULL && signer == NULL && i < sk_X509_num(certs); i++)
        if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0)
            signer = sk_X509_value(certs, i);
    if (si == NULL)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the signature does not hold exactly one signer"), j->what);
    else if (certs == NULL)
        rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    else if (signer == NULL)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the signature does not carry its signer's certificate"), j->what);
    if (rc == VBSIG_OK) /* signer belongs to certs, which outlives the call */
        rc = collect_cert(j, signer, certs, depth == 0 && !j->doc_ts);
    if (rc == VBSIG_OK)
        rc = collect_timestamps(j, si, depth);
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return rc;
}

static int vri_key(const uint8_t *p, size_t n, char out[41])
{
    uint8_t md[SHA_DIGEST_LENGTH];
    if (SHA1(p, n, md) == NULL)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("SHA-1 failed"));
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < sizeof md; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[40] = '\0';
    return VBSIG_OK;
}

/* One signed field: its VRI entry and everything its CMS needs. The VRI
 * key hashes the whole /Contents string, padding included, as other PAdES
 * tools do. */
static int collect_field(extend_job *j, const vbsig_pdf_sig_field *f)
{
    const vbsig_pdf_obj *contents = vbsig_pdf_dict_get(f->value, "Contents");
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(f->name_len < 100 ? f->name_len : 100), f->name);
    j->what = name;
    size_t der_len = 0;
    if (contents == NULL || contents->type != VBSIG_PDF_STRING ||
        !vbsig_pades_contents_length(contents->u.string.data, contents->u.string.len, &der_len))
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the signature's /Contents is not one complete CMS"), name);
    char key[41];
    int rc = vri_key(contents->u.string.data, contents->u.string.len, key);
    if (rc == VBSIG_OK)
        rc = pades_dss_vri(j->dss, key, &j->vri);
    /* A document timestamp's TSA is no signer: its path may name no source. */
    j->doc_ts = vbsig_pdf_is_name(vbsig_pdf_dict_get(f->value, "SubFilter"), "ETSI.RFC3161");
    if (rc == VBSIG_OK)
        rc = collect_cms(j, contents->u.string.data, der_len, 0);
    return rc;
}

static int collect_all(vbsig_ctx *ctx, vbsig_pdf_doc *doc, pades_dss *dss)
{
    vbsig_pdf_sig_field *fields = NULL;
    size_t n = 0, signed_count = 0;
    extend_job j = {ctx, dss, NULL, NULL, time(NULL), 0};
    ctx->level_warning[0] = '\0';
    int rc = vbsig_pdf_sig_fields(doc, VBSIG_PDF_NEWEST, &fields, &n);
    for (size_t i = 0; rc == VBSIG_OK && i < n; i++) {
        if (fields[i].value == NULL)
            continue;
        signed_count++;
        rc = collect_field(&j, &fields[i]);
    }
    vbsig_pdf_sig_fields_free(fields, n);
    if (rc == VBSIG_OK && signed_count == 0)
        rc = vbsig_fail(VBSIG_E_REFUSED, _("%s: the document has no signature to extend"), doc->name);
    return rc;
}

/* B-LTA: the document timestamp covers input + DSS update, so it is laid
 * out over the two joined in memory. */
static int archive_timestamp(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const uint8_t *in, size_t in_len,
                             const vbsig_bytes *dss, const char *name, vbsig_bytes *joined, pades_update *ts)
{
    vbsig_bytes_init(joined);
    vbsig_pdf_doc *doc = NULL;
    int rc = vbsig_bytes_append(joined, in, in_len);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(joined, dss->data, dss->len);
    if (rc == VBSIG_OK)
        rc = vbsig_pdf_open_memory(&doc, ctx, joined->data, joined->len, name, 0);
    if (rc == VBSIG_OK)
        rc = pades_doc_timestamp_update(ctx, tsp, doc, ts);
    vbsig_pdf_close(doc);
    return rc;
}

int vbsig_pades_extend_file(vbsig_ctx *ctx, const vbsig_pades_extend_opts *opts, const char *in_path,
                            const char *out_path)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(opts, "opts");
    VBSIG_REQUIRE(in_path, "in_path");
    VBSIG_REQUIRE(out_path, "out_path");
    vbsig_i18n_ensure();
    if (ctx == NULL || opts == NULL || opts->version != VBSIG_PADES_EXTEND_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("extending needs a context and options set up with vbsig_pades_extend_opts_init"));
    if (in_path == NULL || out_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no input or no output file"));
    vbsig_pdf_doc *doc = NULL;
    int rc = vbsig_lt_check_target(opts->level, opts->tsp);
    if (rc == VBSIG_OK)
        rc = pades_open_input(ctx, in_path, out_path, &doc);
    if (rc != VBSIG_OK)
        return rc;
    pades_dss dss;
    pades_dss_init(&dss);
    vbsig_bytes update, joined;
    vbsig_bytes_init(&update);
    vbsig_bytes_init(&joined);
    pades_update ts;
    memset(&ts, 0, sizeof ts);
    rc = pades_dss_load(doc, &dss);
    if (rc == VBSIG_OK)
        rc = collect_all(ctx, doc, &dss);
    if (rc == VBSIG_OK)
        rc = pades_dss_update(doc, &dss, &update);
    size_t in_len = 0;
    const uint8_t *in = vbsig_pdf_data(doc, &in_len);
    if (rc == VBSIG_OK && opts->level == VBSIG_LEVEL_B_LTA)
        rc = archive_timestamp(ctx, opts->tsp, in, in_len, &update, in_path, &joined, &ts);
    if (rc == VBSIG_OK) {
        const vbsig_bytes *parts[2] = {&update, &ts.bytes};
        rc = pades_write_parts(out_path, in, in_len, parts, opts->level == VBSIG_LEVEL_B_LTA ? 2 : 1);
    }
    pades_update_free(&ts);
    vbsig_bytes_free(&joined);
    vbsig_bytes_free(&update);
    pades_dss_free(&dss);
    vbsig_pdf_close(doc);
    return rc;
}
