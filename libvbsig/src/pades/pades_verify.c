/* PDF signature verification: for every signed signature field, the
 * ByteRange rules, the CMS (or document timestamp) over the two signed
 * ranges read straight from the mapped file, the revision it covers and
 * what changed after it. */
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>

#include "cades/cades.h"
#include "crypto/crypto.h"
#include "pades/pades_verify_priv.h"
#include "pades/pades_lt.h"
#include "pdf/pdf_internal.h"
#include "tsp/tsp.h"
#include "vbsig/pades.h"

typedef struct pades_job {
    vbsig_ctx *ctx;
    vbsig_pdf_doc *doc;
    const uint8_t *data;
    size_t len;
    int cert_p; /* the strictest DocMDP level any signature asks for; 0 = none */
    int mapped; /* the bytes are our own read-only file mapping */
    vbsig_pades_trailing trailing; /* what follows the last revision */
    vbsig_prefix_memo *memo;        /* the file hashed once for every signature */
} pades_job;

/* DocMDP level of a certification signature (its /Reference names the
 * DocMDP transform); 0 for an approval signature. /P defaults to 2. */
static int docmdp_level(pades_job *job, const vbsig_pdf_obj *sig)
{
    const vbsig_pdf_obj *refs = NULL;
    if (vbsig_pdf_dict_resolve(job->doc, VBSIG_PDF_NEWEST, sig, "Reference", &refs) != VBSIG_OK) {
        vbsig_error_clear();
        return 0;
    }
    for (size_t i = 0; i < vbsig_pdf_array_count(refs); i++) {
        const vbsig_pdf_obj *ref = NULL, *params = NULL, *p = NULL;
        if (vbsig_pdf_resolve(job->doc, VBSIG_PDF_NEWEST, vbsig_pdf_array_get(refs, i), &ref) != VBSIG_OK ||
            !vbsig_pdf_is_name(vbsig_pdf_dict_get(ref, "TransformMethod"), "DocMDP")) {
            vbsig_error_clear();
            continue;
        }
        int64_t level = 2;
        if (vbsig_pdf_dict_resolve(job->doc, VBSIG_PDF_NEWEST, ref, "TransformParams", &params) == VBSIG_OK &&
            vbsig_pdf_dict_resolve(job->doc, VBSIG_PDF_NEWEST, params, "P", &p) == VBSIG_OK &&
            vbsig_pdf_get_int(p, &level) == VBSIG_OK && (level < 1 || level > 3))
            level = 1; /* an unknown level is read as the strictest */
        vbsig_error_clear();
        return (int)level;
    }
    return 0;
}

/* The field name for the report: UTF-16BE (with BOM) or PDFDocEncoding
 * (read as Latin-1) to UTF-8; control characters become '?'. */
static int set_field_id(vbsig_sig_entry *e, const vbsig_pdf_sig_field *f)
{
    const uint8_t *s = (const uint8_t *)f->name;
    size_t n = f->name_len > 256 ? 256 : f->name_len;
    char buf[256 * 3 + 1];
    size_t o = 0;
    int utf16 = n >= 2 && s[0] == 0xfe && s[1] == 0xff;
    for (size_t i = utf16 ? 2 : 0; i < n;) {
        unsigned c;
        if (utf16) {
            if (i + 1 >= n)
                break;
            c = (unsigned)s[i] << 8 | s[i + 1];
            i += 2;
            if (c >= 0xd800 && c <= 0xdfff)
                c = '?';
        } else {
            c = s[i++];
        }
        if (c < 0x20 || c == 0x7f)
            c = '?';
        if (o + 3 >= sizeof buf)
            break;
        if (c < 0x80) {
            buf[o++] = (char)c;
        } else if (c < 0x800) {
            buf[o++] = (char)(0xc0 | c >> 6);
            buf[o++] = (char)(0x80 | (c & 0x3f));
        } else {
            buf[o++] = (char)(0xe0 | c >> 12);
            buf[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
            buf[o++] = (char)(0x80 | (c & 0x3f));
        }
    }
    buf[o] = '\0';
    return vbsig_entry_set_id(e, o > 0 ? buf : "?");
}

static int digest_ranges(const EVP_MD *md, const vbsig_cms_range *r, uint8_t *out, unsigned *out_len)
{
    return vbsig_cms_digest_ranges(md, r, 2, out, out_len) == VBSIG_OK;
}

/* The imprint algorithm a timestamp token names; 0 when unreadable. */
static vbsig_digest_alg token_imprint_alg(const uint8_t *p, size_t n)
{
    const unsigned char *q = p;
    PKCS7 *p7 = d2i_PKCS7(NULL, &q, (long)n);
    TS_TST_INFO *tst = p7 != NULL ? PKCS7_to_TS_TST_INFO(p7) : NULL;
    vbsig_digest_alg alg = 0;
    if (tst != NULL) {
        X509_ALGOR *a = TS_MSG_IMPRINT_get_algo(TS_TST_INFO_get_msg_imprint(tst));
        alg = a != NULL ? vbsig_digest_from_nid(OBJ_obj2nid(a->algorithm)) : 0;
    }
    TS_TST_INFO_free(tst);
    PKCS7_free(p7);
    ERR_clear_error();
    return alg;
}

/* ETSI.RFC3161: /Contents is a timestamp token over the ranges. */
static int verify_doc_timestamp(pades_job *job, const uint8_t *tok, size_t n, const vbsig_cms_range *r,
                                vbsig_sig_entry *e)
{
    e->document_timestamp = 1;
    vbsig_digest_alg alg = token_imprint_alg(tok, n);
    if (alg == 0) {
        vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
        vbsig_entry_note(e, "%s", _("the document timestamp is not a readable RFC 3161 token with a known imprint algorithm"));
        return VBSIG_OK;
    }
    e->digest_algorithm = vbsig_digest_label(alg);
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;
    if (!digest_ranges(vbsig_digest_md(alg), r, digest, &dlen))
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot compute the digest of the signed data"));
    vbsig_tsp_result res;
    memset(&res, 0, sizeof res);
    int rc = vbsig_tsp_token_check(job->ctx, tok, n, alg, digest, dlen, 1, &res);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_tsp_archive_record(e, &res);
    e->has_timestamp = 1;
    e->timestamp_indication = res.indication;
    e->timestamp_subindication = res.subindication;
    e->timestamp_time = res.gen_time;
    e->timestamp_revocation_status = res.revocation_status;
    e->timestamp_revocation_reason = res.revocation_reason;
    e->timestamp_revoked_at = res.revoked_at;
    e->timestamp_revocation_source = res.revocation_source;
    if (res.warning[0] != '\0')
        vbsig_entry_note(e, "%s", res.warning);
    if (res.tsa != NULL)
        snprintf(e->timestamp_tsa, sizeof e->timestamp_tsa, "%s", res.tsa);
    if (res.indication == VBSIG_TOTAL_PASSED)
        e->signing_time = res.gen_time;
    else
        vbsig_entry_note(e, "%s", res.message);
    vbsig_entry_worsen(e, res.indication, res.subindication);
    vbsig_tsp_result_clear(&res);
    return VBSIG_OK;
}

/* adbe.pkcs7.sha1 (legacy): the CMS signs its own content, which must be
 * the SHA-1 of the ranges. */
static int verify_sha1(pades_job *job, CMS_ContentInfo *cms, const vbsig_cms_range *r, vbsig_sig_entry *e)
{
    int rc = vbsig_cades_verify_one(job->ctx, cms, NULL, 0, e);
    if (rc != VBSIG_OK)
        return rc;
    e->weak = 1;
    vbsig_entry_note(e, "%s", _("weak algorithm: adbe.pkcs7.sha1 signs a SHA-1 digest of the document (legacy format)"));
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned dlen = 0;
    if (!digest_ranges(EVP_sha1(), r, digest, &dlen))
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot compute the digest of the signed data"));
    ASN1_OCTET_STRING **content = CMS_get0_content(cms);
    if (content == NULL || *content == NULL || (size_t)ASN1_STRING_length(*content) != dlen ||
        memcmp(ASN1_STRING_get0_data(*content), digest, dlen) != 0) {
        vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "HASH_FAILURE");
        vbsig_entry_note(e, "%s", _("the signed data has been changed: its digest does not match the one that was signed"));
    }
    return VBSIG_OK;
}

/* The PAdES baseline level of an ETSI.CAdES.detached signature. */
static void set_level(CMS_ContentInfo *cms, vbsig_sig_entry *e)
{
    e->level = NULL;
    if (e->indication == VBSIG_TOTAL_FAILED)
        return;
    CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
    if (si == NULL || CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) < 0)
        return;
    if (CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1) >= 0)
        vbsig_entry_note(e, "%s", _("PAdES baseline signatures must not carry a signing-time attribute (the time belongs in /M)"));
    e->level = e->has_timestamp && e->timestamp_indication == VBSIG_TOTAL_PASSED ? "B-T" : "B-B";
}

/* Bytes after the last revision are signed by no signature and are no
 * incremental update: object definitions there are read by viewers that
 * repair files (an update hidden from strict readers), so they fail the
 * signature like a disallowed change; other bytes leave its verdict open. */
static void judge_trailing(pades_job *job, vbsig_sig_entry *e)
{
    const vbsig_pades_trailing *t = &job->trailing;
    if (t->size == 0)
        return;
    e->has_trailing = 1;
    e->trailing_offset = t->offset;
    e->trailing_size = t->size;
    e->trailing_objects = t->objects;
    if (t->objects > 0) {
        vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
        vbsig_entry_note(e, _("%zu bytes at offset %zu after the last revision hold %zu object definitions outside any incremental update: a viewer that repairs files may show them in place of the signed objects"),
                         t->size, t->offset, t->objects);
    } else {
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "SIG_CONSTRAINTS_FAILURE");
        vbsig_entry_note(e, _("%zu bytes at offset %zu after the last revision are neither padding nor an incremental update"),
                         t->size, t->offset);
    }
}

static int verify_signature(pades_job *job, const vbsig_pdf_sig_field *f, vbsig_sig_entry *e)
{
    const vbsig_pdf_obj *sig = f->value;
    e->pdf = 1;
    e->revision_count = vbsig_pdf_revision_count(job->doc);
    int rc = set_field_id(e, f);
    const char *subfilter = NULL;
    if (rc == VBSIG_OK && vbsig_pdf_get_name(vbsig_pdf_dict_get(sig, "SubFilter"), &subfilter) == VBSIG_OK &&
        (e->subfilter = strdup(subfilter)) == NULL)
        rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    if (rc != VBSIG_OK)
        return rc;
    e->certification = docmdp_level(job, sig);
    vbsig__pades_read_appearance(job->doc, VBSIG_PDF_NEWEST, f, e);
    const uint8_t *m;
    size_t mlen;
    if (vbsig_pdf_get_string(vbsig_pdf_dict_get(sig, "M"), &m, &mlen) == VBSIG_OK)
        e->claimed_signing_time = vbsig_pades_parse_date(m, mlen);
    uint64_t br[4];
    size_t rev = 0;
    char why[512];
    vbsig_pdf_objref holder = f->value_ref.num != 0 ? f->value_ref : f->field;
    if (!vbsig_pades_check_byterange(job->doc, sig, holder, br, &rev, why, sizeof why)) {
        vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
        return vbsig_entry_note(e, "%s", why);
    }
    e->revision = rev + 1;
    vbsig_cms_range ranges[2] = {{job->data, (size_t)br[1], job->mapped, job->memo},
                                 {job->data + br[2], (size_t)br[3], job->mapped, NULL}};
    const vbsig_pdf_obj *contents = vbsig_pdf_dict_get(sig, "Contents");
    size_t der_len = 0;
    if (!vbsig_pades_contents_length(contents->u.string.data, contents->u.string.len, &der_len)) {
        vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
        return vbsig_entry_note(e, "%s", _("/Contents does not hold one complete signature followed only by zero padding"));
    }
    int is_ts = (subfilter != NULL && strcmp(subfilter, "ETSI.RFC3161") == 0);
    if (is_ts) {
        rc = verify_doc_timestamp(job, contents->u.string.data, der_len, ranges, e);
    } else {
        CMS_ContentInfo *cms = NULL;
        if (vbsig_cms_parse(contents->u.string.data, der_len, 0, (unsigned)job->ctx->limits[VBSIG_LIMIT_DER_DEPTH],
                            "/Contents", &cms) != VBSIG_OK) {
            vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
            vbsig_entry_note(e, "%s", vbsig_last_error());
        } else if (subfilter != NULL && strcmp(subfilter, "adbe.pkcs7.sha1") == 0) {
            rc = verify_sha1(job, cms, ranges, e);
        } else if (subfilter != NULL &&
                   (strcmp(subfilter, "adbe.pkcs7.detached") == 0 || strcmp(subfilter, "ETSI.CAdES.detached") == 0)) {
            ASN1_OCTET_STRING **content = CMS_get0_content(cms);
            if (content != NULL && *content != NULL) {
                vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
                vbsig_entry_note(e, "%s", _("a detached PDF signature must not carry content of its own"));
            } else {
                rc = vbsig_cades_verify_one(job->ctx, cms, ranges, 2, e);
                if (strcmp(subfilter, "ETSI.CAdES.detached") == 0)
                    set_level(cms, e);
                else
                    e->level = NULL;
            }
        } else {
            vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
            vbsig_entry_note(e, _("unsupported /SubFilter %s"), subfilter != NULL ? subfilter : "(none)");
        }
        CMS_ContentInfo_free(cms);
        ERR_clear_error();
    }
    /* The CMS part sets coverage as if whole; the ranges decide. */
    e->whole_document = br[2] + br[3] == job->len;
    if (rc != VBSIG_OK)
        return rc;
    vbsig_pades_locks locks;
    vbsig_pades_read_locks(job->doc, rev, f->field, sig, &locks);
    rc = vbsig_pades_analyse_changes(job->doc, rev, job->cert_p, &locks, e);
    if (rc == VBSIG_OK && e->modifications != NULL && strcmp(e->modifications, "disallowed") == 0) {
        vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
        for (size_t i = 0; i < e->mod_reason_count; i++)
            if (strstr(e->mod_reasons[i], _("not allowed: ")) == e->mod_reasons[i]) {
                vbsig_entry_note(e, _("the document was changed after this signature in a way it does not permit: %s"),
                                 e->mod_reasons[i] + strlen(_("not allowed: ")));
                break;
            }
    }
    if (rc == VBSIG_OK)
        judge_trailing(job, e);
    return rc;
}

/* The signature fields of every revision, newest first: a signature that a
 * later revision hides (by swapping the catalog or the AcroForm) is still
 * verified, and the change that hid it is judged. Each field appears once,
 * as the newest revision that has it sees it. */
typedef struct field_sets {
    vbsig_pdf_sig_field **lists;
    size_t *counts;
    size_t n;
} field_sets;

static void field_sets_free(field_sets *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        vbsig_pdf_sig_fields_free(fs->lists[i], fs->counts[i]);
    free(fs->lists);
    free(fs->counts);
}

static int seen_before(const field_sets *fs, size_t upto, uint32_t num)
{
    for (size_t k = 0; k < upto; k++)
        for (size_t j = 0; j < fs->counts[k]; j++)
            if (fs->lists[k][j].field.num == num)
                return 1;
    return 0;
}

/* Signed signature widgets that pages list but the AcroForm does not (some
 * signers, poppler's among them, forget to add the field to /Fields when
 * the AcroForm is a direct dictionary): verified all the same. */
static int orphan_widgets(pades_job *job, vbsig_pdf_sig_field **out, size_t *count)
{
    vbsig_pdf_objref *pages = NULL;
    size_t npages = 0, cap = 0;
    *out = NULL;
    *count = 0;
    if (vbsig_pdf_pages(job->doc, VBSIG_PDF_NEWEST, &pages, &npages) != VBSIG_OK) {
        vbsig_error_clear();
        return VBSIG_OK;
    }
    int rc = VBSIG_OK;
    for (size_t i = 0; rc == VBSIG_OK && i < npages; i++) {
        const vbsig_pdf_obj *page = NULL, *annots = NULL;
        if (vbsig_pdf_get_object(job->doc, VBSIG_PDF_NEWEST, pages[i].num, pages[i].gen, &page) != VBSIG_OK ||
            vbsig_pdf_dict_resolve(job->doc, VBSIG_PDF_NEWEST, page, "Annots", &annots) != VBSIG_OK) {
            vbsig_error_clear();
            continue;
        }
        for (size_t j = 0; rc == VBSIG_OK && j < vbsig_pdf_array_count(annots); j++) {
            const vbsig_pdf_obj *ref = vbsig_pdf_array_get(annots, j), *w = NULL, *v = NULL;
            if (ref->type != VBSIG_PDF_REF ||
                vbsig_pdf_get_object(job->doc, VBSIG_PDF_NEWEST, ref->u.ref.num, ref->u.ref.gen, &w) != VBSIG_OK ||
                !vbsig_pdf_is_name(vbsig_pdf_dict_get(w, "FT"), "Sig") ||
                vbsig_pdf_dict_resolve(job->doc, VBSIG_PDF_NEWEST, w, "V", &v) != VBSIG_OK ||
                vbsig_pdf_dict_of(v) == NULL) {
                vbsig_error_clear();
                continue;
            }
            if (*count == cap) {
                cap = cap ? cap * 2 : 4;
                vbsig_pdf_sig_field *grown = realloc(*out, cap * sizeof *grown);
                if (grown == NULL) {
                    rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
                    break;
                }
                *out = grown;
            }
            vbsig_pdf_sig_field *f = &(*out)[*count];
            memset(f, 0, sizeof *f);
            f->field.num = ref->u.ref.num;
            f->field.gen = ref->u.ref.gen;
            f->value = v;
            const vbsig_pdf_obj *vr = vbsig_pdf_dict_get(w, "V");
            if (vr->type == VBSIG_PDF_REF) {
                f->value_ref.num = vr->u.ref.num;
                f->value_ref.gen = vr->u.ref.gen;
            }
            const uint8_t *t = (const uint8_t *)"";
            size_t tlen = 0;
            vbsig_pdf_get_string(vbsig_pdf_dict_get(w, "T"), &t, &tlen);
            if ((f->name = malloc(tlen + 1)) == NULL) {
                rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
                break;
            }
            memcpy(f->name, t, tlen);
            f->name[tlen] = '\0';
            f->name_len = tlen;
            (*count)++;
        }
    }
    free(pages);
    return rc;
}

static int collect_fields(pades_job *job, field_sets *fs)
{
    size_t n = vbsig_pdf_revision_count(job->doc);
    fs->lists = calloc(n + 1, sizeof *fs->lists);
    fs->counts = calloc(n + 1, sizeof *fs->counts);
    if (fs->lists == NULL || fs->counts == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    for (size_t k = 0; k < n; k++) {
        size_t rev = n - 1 - k;
        int rc = vbsig_pdf_sig_fields(job->doc, rev, &fs->lists[k], &fs->counts[k]);
        if (rc != VBSIG_OK && k == 0)
            return rc; /* the newest form must be readable; older ones may not be */
        if (rc != VBSIG_OK) {
            vbsig_error_clear();
            fs->lists[k] = NULL;
            fs->counts[k] = 0;
        }
        fs->n = k + 1;
    }
    /* Last, so a field the AcroForm lists is never taken for an orphan. */
    int rc = orphan_widgets(job, &fs->lists[fs->n], &fs->counts[fs->n]);
    fs->n++;
    return rc;
}

static int verify_doc(pades_job *job, vbsig_report *r)
{
    field_sets fs = {0};
    int rc = collect_fields(job, &fs);
    for (size_t k = 0; rc == VBSIG_OK && k < fs.n; k++)
        for (size_t i = 0; i < fs.counts[k]; i++) {
            int p = fs.lists[k][i].value != NULL ? docmdp_level(job, fs.lists[k][i].value) : 0;
            if (p > 0 && (job->cert_p == 0 || p < job->cert_p))
                job->cert_p = p;
        }
    for (size_t k = 0; rc == VBSIG_OK && k < fs.n; k++)
        for (size_t i = 0; rc == VBSIG_OK && i < fs.counts[k]; i++) {
            const vbsig_pdf_sig_field *f = &fs.lists[k][i];
            if (f->value == NULL || seen_before(&fs, k, f->field.num))
                continue;
            if ((uint64_t)r->count >= job->ctx->limits[VBSIG_LIMIT_SIGNERS]) {
                rc = vbsig_fail(VBSIG_E_LIMIT, _("the PDF holds more than %llu signatures"),
                                (unsigned long long)job->ctx->limits[VBSIG_LIMIT_SIGNERS]);
                break;
            }
            vbsig_sig_entry *e = NULL;
            rc = vbsig_report_add_entry(r, &e);
            if (rc == VBSIG_OK)
                rc = verify_signature(job, f, e);
            if (rc == VBSIG_OK && k == fs.n - 1)
                vbsig_entry_note(e, "%s", _("this signature's widget is on a page but its field is missing from the AcroForm's /Fields"));
            else if (rc == VBSIG_OK && k > 0)
                vbsig_entry_note(e, "%s", _("this signature field is no longer part of the newest revision's form"));
        }
    field_sets_free(&fs);
    return rc;
}

static int verify_opened(vbsig_ctx *ctx, vbsig_pdf_doc *doc, const char *name, int mapped, vbsig_report **out)
{
    pades_job job = {ctx, doc, NULL, 0, 0, mapped, {0}, NULL};
    job.data = vbsig_pdf_data(doc, &job.len);
    job.memo = vbsig_prefix_memo_new(job.data, job.len, mapped); /* NULL: each signature hashes alone */
    vbsig_pdf_revision_info last;
    if (!vbsig_pdf_is_repaired(doc) && vbsig_pdf_revision_count(doc) > 0 &&
        vbsig_pdf_revision_get(doc, vbsig_pdf_revision_count(doc) - 1, &last) == VBSIG_OK)
        vbsig_pades_trailing_scan(job.data, job.len, last.end, &job.trailing);
    vbsig_report *r = NULL;
    pades_lt *lt = NULL; /* /DSS data (pades_lt.c): embedded certificates and revocation data first */
    int rc = vbsig_report_create("pades", &r);
    if (rc == VBSIG_OK)
        rc = pades_lt_attach(ctx, doc, &lt);
    if (rc == VBSIG_OK)
        rc = verify_doc(&job, r);
    if (rc == VBSIG_OK)
        pades_lt_levels(lt, doc, r);
    pades_lt_detach(ctx, lt);
    vbsig_prefix_memo_free(job.memo);
    if (rc == VBSIG_OK)
        rc = vbsig_report_set_file(r, name);
    if (rc != VBSIG_OK) {
        vbsig_report_free(r);
        return rc;
    }
    *out = r;
    return VBSIG_OK;
}

int vbsig_pades_verify_file(vbsig_ctx *ctx, const char *path, vbsig_report **out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(path, "path");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    if (out != NULL)
        *out = NULL;
    if (ctx == NULL || path == NULL || out == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_pades_verify_file needs a context, a path and an output"));
    vbsig_pdf_doc *doc = NULL;
    int rc = vbsig_pdf_open(&doc, ctx, path, 0);
    if (rc != VBSIG_OK)
        return rc;
    /* Only a real file mapping may have its pages released; a pipe was read
     * into memory. */
    rc = verify_opened(ctx, doc, path, doc->map.mapped, out);
    vbsig_pdf_close(doc);
    return rc;
}

int vbsig_pades_verify(vbsig_ctx *ctx, const uint8_t *pdf, size_t len, const char *name, vbsig_report **out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE_BYTES(pdf, len, "pdf");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    if (out != NULL)
        *out = NULL;
    if (ctx == NULL || (pdf == NULL && len != 0) || out == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_pades_verify needs a context, the PDF and an output"));
    if (name == NULL)
        name = "PDF";
    vbsig_pdf_doc *doc = NULL;
    int rc = vbsig_pdf_open_memory(&doc, ctx, pdf != NULL ? pdf : (const uint8_t *)"", len, name, 0);
    if (rc != VBSIG_OK)
        return rc;
    rc = verify_opened(ctx, doc, name, 0, out); /* the caller's memory: never released */
    vbsig_pdf_close(doc);
    return rc;
}
