/* PAdES signing: lay out the update with a /Contents reservation, hash the
 * two byte ranges (the mapped input and the update around the
 * reservation, streamed), have the CAdES signed attributes signed, embed
 * the CMS and write input + update atomically. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cades/cades.h"
#include "crypto/crypto.h"
#include "pades/pades.h"
#include "pdf/pdf_internal.h"

/* Generous for any CMS with a chain, a timestamp and revocation data; a
 * bound so a caller's mistake cannot ask for gigabytes of zeros. */
#define PADES_MAX_RESERVED (4u << 20)
/* Preparations of the one-shot path before giving up on a CMS that keeps
 * growing (it never should: the second try is sized from the real CMS). */
#define PADES_MAX_ATTEMPTS 3
#define PADES_HASH_SLICE (1u << 20)

struct vbsig_pades_pending {
    vbsig_pdf_doc *doc;       /* owned when own_doc */
    int own_doc;
    pades_update u;
    vbsig_cades_pending *cms;
    size_t reserved;
    vbsig_ctx *ctx;           /* for verify_after_sign and B-LT / B-LTA */
    int verify_after_sign;
    vbsig_level level;        /* B-LT, B-LTA: the written B-T file is extended */
    const vbsig_tsp_opts *tsp;
};

void vbsig_pades_sign_opts_init(vbsig_pades_sign_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = VBSIG_PADES_SIGN_OPTS_VERSION;
    opts->digest = VBSIG_DIGEST_SHA256;
    opts->level = VBSIG_LEVEL_B_B;
    opts->include_chain = 1;
    opts->verify_after_sign = 1;
}

void vbsig_pades_appearance_init(vbsig_pades_appearance *ap)
{
    if (ap == NULL)
        return;
    memset(ap, 0, sizeof *ap);
    ap->version = VBSIG_PADES_APPEARANCE_VERSION;
}

/* Version 1 options end before `appearance`: never read it from them. */
static const vbsig_pades_appearance *opts_appearance(const vbsig_pades_sign_opts *o)
{
    return o->version >= 2 ? o->appearance : NULL;
}

static int text_ok(const char *s)
{
    return s != NULL && s[0] != '\0' && strlen(s) <= 400;
}

static int check_appearance(const vbsig_pades_appearance *ap)
{
    if (ap == NULL || ap->kind == VBSIG_APPEARANCE_NONE)
        return VBSIG_OK;
    if (ap->version != VBSIG_PADES_APPEARANCE_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG,
                          _("appearance options must be set up with vbsig_pades_appearance_init"));
    switch (ap->kind) {
    case VBSIG_APPEARANCE_LEADER:
    case VBSIG_APPEARANCE_SEAL:
        if (ap->image_path == NULL)
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("a visible signature needs an image (--image FILE.png)"));
        break;
    case VBSIG_APPEARANCE_ATTACHMENT:
        if (!text_ok(ap->doc_number))
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("an attachment stamp needs the document number (--doc-number TEXT)"));
        break;
    case VBSIG_APPEARANCE_COPY:
        if (!text_ok(ap->copy_form) || !text_ok(ap->copy_org))
            return vbsig_fail(VBSIG_E_INVALID_ARG,
                              _("a copy stamp needs the copy form and the copying organisation (--copy-form TEXT --copy-org TEXT)"));
        break;
    default:
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown appearance kind %d"), (int)ap->kind);
    }
    const double *r = ap->rect_mm;
    int has_rect = r[0] != 0 || r[1] != 0 || r[2] != 0 || r[3] != 0;
    if (has_rect && !(r[0] >= 0 && r[1] >= 0 && r[2] > 0 && r[3] > 0 && r[0] < 5000 && r[1] < 5000 && r[2] < 5000 &&
                      r[3] < 5000))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the signature rectangle needs X,Y >= 0 and W,H > 0 (mm)"));
    if (!(ap->seal_size_mm >= 0 && ap->seal_size_mm <= 200))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the seal size must be between 0 and 200 mm"));
    if (ap->anchor != NULL && (ap->anchor[0] == '\0' || strlen(ap->anchor) > 400))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the anchor text must be 1 to 400 bytes"));
    return VBSIG_OK;
}

static int check_opts(const vbsig_pades_sign_opts *o)
{
    if (o == NULL || (o->version != VBSIG_PADES_SIGN_OPTS_VERSION && o->version != 1))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("PAdES options must be set up with vbsig_pades_sign_opts_init"));
    int rc = check_appearance(opts_appearance(o));
    if (rc != VBSIG_OK)
        return rc;
    if (o->certify < 0 || o->certify > 3)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the certification level must be 1, 2 or 3 (or 0 for none)"));
    if (o->contents_size > PADES_MAX_RESERVED)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the /Contents reservation may be at most %u bytes"),
                          (unsigned)PADES_MAX_RESERVED);
    if (o->field_name != NULL && (o->field_name[0] == '\0' || strlen(o->field_name) > 200 ||
                                  strchr(o->field_name, '.') != NULL))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("a signature field name must be 1 to 200 bytes without '.'"));
    if ((o->level == VBSIG_LEVEL_B_LT || o->level == VBSIG_LEVEL_B_LTA) && (o->tsp == NULL || o->tsp->url_count == 0))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("level B-T needs a timestamp authority (--tsa URL)"));
    return VBSIG_OK;
}

/* The level of the CMS in /Contents: B-LT and B-LTA are a B-T signature
 * whose validation data (and document timestamp) go into the PDF itself. */
static vbsig_level cms_level(vbsig_level level)
{
    return level == VBSIG_LEVEL_B_LT || level == VBSIG_LEVEL_B_LTA ? VBSIG_LEVEL_B_T : level;
}

static int long_term(vbsig_level level)
{
    return level == VBSIG_LEVEL_B_LT || level == VBSIG_LEVEL_B_LTA;
}

static void cades_opts_for(const vbsig_pades_sign_opts *o, time_t when, vbsig_cades_sign_opts *c)
{
    vbsig_cades_sign_opts_init(c);
    c->detached = 1;
    c->digest = o->digest;
    c->include_chain = o->include_chain;
    c->signing_time = when;
    c->verify_after_sign = 0;
    c->level = cms_level(o->level);
    c->tsp = o->tsp;
}

/* Pages of the mapped input that were read once (hashed, copied out) are
 * handed back, so a large file does not stay in the process's resident
 * set: it remains in the page cache and is faulted in again if needed.
 * Only for a real file mapping; a file read into the heap is left alone. */
static void release_pages(const vbsig_pdf_doc *doc, const uint8_t *p, size_t n)
{
    if (!doc->map.mapped || n == 0)
        return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1), to = ((uintptr_t)p + n) & ~(page - 1);
    if (to > from)
        (void)madvise((void *)from, to - from, MADV_DONTNEED);
}

/* The digest of bytes [0, a) and [b, end) of input + update. */
static int hash_ranges(const vbsig_pdf_doc *doc, const uint8_t *in, size_t in_len, const pades_update *u,
                       vbsig_digest_alg alg, uint8_t *md, size_t *md_len)
{
    const EVP_MD *type = vbsig_digest_md(alg);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = type != NULL && c != NULL && EVP_DigestInit_ex(c, type, NULL);
    for (size_t off = 0; ok && off < in_len; off += PADES_HASH_SLICE) {
        size_t n = in_len - off < PADES_HASH_SLICE ? in_len - off : PADES_HASH_SLICE;
        ok = EVP_DigestUpdate(c, in + off, n);
        release_pages(doc, in + off, n);
    }
    size_t after = u->contents_at + u->contents_len;
    unsigned n = 0;
    ok = ok && EVP_DigestUpdate(c, u->bytes.data, u->contents_at) &&
         EVP_DigestUpdate(c, u->bytes.data + after, u->bytes.len - after) && EVP_DigestFinal_ex(c, md, &n);
    EVP_MD_CTX_free(c);
    if (!ok)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("hashing the signed byte ranges failed"));
    *md_len = n;
    return VBSIG_OK;
}

/* Size of the CMS this signer makes, from a trial over a dummy digest
 * (the signed attributes' size does not depend on the digest's value). */
static int trial_reservation(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_pades_sign_opts *o, time_t when,
                             size_t *out)
{
    vbsig_cades_sign_opts c;
    cades_opts_for(o, when, &c);
    uint8_t zeros[EVP_MAX_MD_SIZE] = {0};
    vbsig_cades_pending *p = NULL;
    int rc = vbsig_cades_prepare_digest(ctx, signer, &c, zeros, vbsig_digest_size(o->digest), 0, &p);
    size_t n = 0;
    if (rc == VBSIG_OK)
        rc = vbsig_cades_pending_encoded_size(p, pades_max_signature_len(signer), &n);
    vbsig_cades_pending_free(p);
    if (rc == VBSIG_OK)
        *out = pades_placeholder_size(n, cms_level(o->level));
    return rc;
}

static int prepare_on(vbsig_ctx *ctx, vbsig_signer *signer, vbsig_pdf_doc *doc, const vbsig_pades_sign_opts *o,
                      time_t when, size_t reserved, vbsig_pades_pending **out)
{
    *out = NULL;
    vbsig_pades_pending *p = calloc(1, sizeof *p);
    if (p == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    p->doc = doc;
    p->reserved = reserved;
    p->ctx = ctx;
    p->verify_after_sign = o->verify_after_sign;
    p->level = o->level;
    p->tsp = o->tsp;
    if (long_term(o->level) && ctx == NULL) {
        free(p);
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("levels B-LT and B-LTA need a context (trust anchors, revocation sources)"));
    }
    size_t in_len = 0;
    const uint8_t *in = vbsig_pdf_data(doc, &in_len);
    uint8_t md[EVP_MAX_MD_SIZE];
    size_t md_len = 0;
    vbsig_cades_sign_opts c;
    cades_opts_for(o, when, &c);
    int rc = pades_layout(doc, o, when, reserved, &p->u);
    if (rc == VBSIG_OK)
        rc = hash_ranges(doc, in, in_len, &p->u, o->digest, md, &md_len);
    if (rc == VBSIG_OK)
        rc = vbsig_cades_prepare_digest(ctx, signer, &c, md, md_len, 0, &p->cms);
    if (rc != VBSIG_OK) {
        vbsig_pades_pending_free(p);
        return rc;
    }
    *out = p;
    return VBSIG_OK;
}

/* What both signing paths do first: the options checked, out_path (when
 * given) not the input, the input opened, the signing time and the
 * reservation chosen. On an error nothing stays open. */
static int start(vbsig_ctx *ctx, vbsig_signer *signer, const char *in_path, const char *out_path,
                 const vbsig_pades_sign_opts *opts, vbsig_pdf_doc **doc, time_t *when, size_t *reserved)
{
    int rc = check_opts(opts);
    if (rc == VBSIG_OK)
        rc = pades_open_input(ctx, in_path, out_path, doc);
    if (rc != VBSIG_OK)
        return rc;
    *when = opts->signing_time != 0 ? opts->signing_time : time(NULL);
    *reserved = opts->contents_size;
    if (*reserved == 0)
        rc = trial_reservation(ctx, signer, opts, *when, reserved);
    if (rc != VBSIG_OK) {
        vbsig_pdf_close(*doc);
        *doc = NULL;
    }
    return rc;
}

int vbsig_pades_prepare(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_pades_sign_opts *opts, const char *in_path,
                        vbsig_pades_pending **out)
{
    VBSIG_REQUIRE(signer, "signer");
    VBSIG_REQUIRE(in_path, "in_path");
    VBSIG_REQUIRE(opts, "opts");
    VBSIG_REQUIRE(out, "out");
    *out = NULL;
    /* Two-step signing verifies the written file as the one-shot call does. */
    VBSIG_REQUIRE_CTX_TO_VERIFY(ctx, opts);
    vbsig_i18n_ensure();
    if (out == NULL || signer == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no signer or no place for the result"));
    *out = NULL;
    vbsig_pdf_doc *doc = NULL;
    time_t when = 0;
    size_t reserved = 0;
    int rc = start(ctx, signer, in_path, NULL, opts, &doc, &when, &reserved);
    if (rc != VBSIG_OK)
        return rc;
    rc = prepare_on(ctx, signer, doc, opts, when, reserved, out);
    if (rc != VBSIG_OK) {
        vbsig_pdf_close(doc);
        return rc;
    }
    (*out)->own_doc = 1;
    return VBSIG_OK;
}

const vbsig_sign_request *vbsig_pades_pending_request(const vbsig_pades_pending *p)
{
    if (p == NULL)
        return NULL;
    return vbsig_cades_pending_request(p->cms);
}

/* The CMS in the reservation, hex, zero-padded (the reservation's zeros
 * stay after it). */
static void embed(pades_update *u, const vbsig_buf *der)
{
    static const char digits[] = "0123456789abcdef";
    uint8_t *w = u->bytes.data + u->contents_at + 1;
    for (size_t i = 0; i < der->len; i++) {
        *w++ = (uint8_t)digits[der->data[i] >> 4];
        *w++ = (uint8_t)digits[der->data[i] & 15];
    }
}

/* The new signature is the last one the verifier reports (its field is
 * the last of /Fields). Only what signing controls counts: a chain the
 * context does not trust is the caller's business, a broken signature or
 * byte range is ours. */
static int verify_written(vbsig_ctx *ctx, const char *path)
{
    vbsig_report *r = NULL;
    int rc = vbsig_pades_verify_file(ctx, path, &r);
    if (rc != VBSIG_OK)
        return rc;
    size_t n = vbsig_report_signature_count(r);
    if (n == 0 || vbsig_report_signature_indication(r, n - 1) == VBSIG_TOTAL_FAILED) {
        const char *sub = n > 0 ? vbsig_report_signature_subindication(r, n - 1) : NULL;
        rc = vbsig_fail(VBSIG_E_INTERNAL, _("the signature just made does not verify (%s)"),
                        sub != NULL ? sub : "FORMAT_FAILURE");
    }
    vbsig_report_free(r);
    return rc;
}

/* The signed PDF into f's temporary file (opened here for out_path);
 * on failure f is aborted. */
static int write_body(const vbsig_pades_pending *p, const char *out_path, vbsig_atomic_file *f)
{
    size_t in_len = 0;
    const uint8_t *in = vbsig_pdf_data(p->doc, &in_len);
    int rc = vbsig_atomic_open(f, out_path);
    if (rc != VBSIG_OK)
        return rc;
    for (size_t off = 0; rc == VBSIG_OK && off < in_len; off += PADES_HASH_SLICE) {
        size_t n = in_len - off < PADES_HASH_SLICE ? in_len - off : PADES_HASH_SLICE;
        rc = vbsig_atomic_write(f, in + off, n);
        release_pages(p->doc, in + off, n);
    }
    if (rc == VBSIG_OK)
        rc = vbsig_atomic_write(f, p->u.bytes.data, p->u.bytes.len);
    if (rc != VBSIG_OK)
        vbsig_atomic_abort(f);
    return rc;
}

static int write_output(const vbsig_pades_pending *p, const char *out_path)
{
    vbsig_atomic_file f;
    int rc = write_body(p, out_path, &f);
    if (rc != VBSIG_OK)
        return rc;
    if (p->verify_after_sign && (rc = verify_written(p->ctx, f.tmp_path)) != VBSIG_OK) {
        vbsig_atomic_abort(&f);
        return rc;
    }
    if (long_term(p->level)) {
        /* The B-T file (still under its temporary name) is extended into
         * out_path, which appears only when that works too. */
        vbsig_pades_extend_opts eo;
        vbsig_pades_extend_opts_init(&eo);
        eo.level = p->level;
        eo.tsp = p->tsp;
        rc = vbsig_pades_extend_file(p->ctx, &eo, f.tmp_path, out_path);
        vbsig_atomic_abort(&f);
        return rc;
    }
    return vbsig_atomic_commit(&f);
}

/* The CMS for a signature value; *fits 0 when it is larger than the
 * reservation (der then holds it, so the caller knows the size needed). */
static int make_cms(vbsig_pades_pending *p, const uint8_t *sig, size_t sig_len, vbsig_buf *der, int *fits)
{
    int rc = vbsig_cades_finish(p->cms, sig, sig_len, der);
    if (rc == VBSIG_OK)
        *fits = der->len <= p->reserved;
    return rc;
}

/* The CMS for sig embedded in p's update; der is the caller's to free. */
static int embed_signature(vbsig_pades_pending *p, const uint8_t *sig, size_t sig_len, vbsig_buf *der)
{
    int fits = 0;
    int rc = make_cms(p, sig, sig_len, der, &fits);
    if (rc == VBSIG_OK && !fits)
        rc = vbsig_fail(VBSIG_E_LIMIT,
                        _("the signature (%zu bytes) is larger than the space reserved for it (%zu bytes); prepare again with contents_size %zu"),
                        der->len, p->reserved, pades_placeholder_size(der->len, VBSIG_LEVEL_B_B));
    if (rc == VBSIG_OK)
        embed(&p->u, der);
    return rc;
}

int vbsig__pades_finish_staged(vbsig_pades_pending *p, const uint8_t *sig, size_t sig_len, const char *out_path,
                               vbsig_atomic_file *f)
{
    /* What happens after the write (re-verification, extension) needs
     * the file under a name that lasts: only B-B as it is can wait. */
    if (long_term(p->level) || p->verify_after_sign)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: only a B-B signature without re-verification can be staged"),
                          "vbsig__pades_finish_staged");
    vbsig_buf der = {0};
    int rc = embed_signature(p, sig, sig_len, &der);
    vbsig_buf_free(&der);
    if (rc == VBSIG_OK && (rc = write_body(p, out_path, f)) == VBSIG_OK)
        rc = vbsig__atomic_close_unsynced(f);
    return rc;
}

int vbsig_pades_finish(vbsig_pades_pending *p, const uint8_t *sig, size_t sig_len, const char *out_path)
{
    VBSIG_REQUIRE(p, "p");
    vbsig_i18n_ensure();
    if (p == NULL || out_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no pending signature or no output file"));
    vbsig_buf der = {0};
    int rc = embed_signature(p, sig, sig_len, &der);
    vbsig_buf_free(&der);
    return rc == VBSIG_OK ? write_output(p, out_path) : rc;
}

void vbsig_pades_pending_free(vbsig_pades_pending *p)
{
    if (p == NULL)
        return;
    vbsig_cades_pending_free(p->cms);
    pades_update_free(&p->u);
    if (p->own_doc)
        vbsig_pdf_close(p->doc);
    free(p);
}

int vbsig_pades_sign_file(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_pades_sign_opts *opts, const char *in_path,
                          const char *out_path)
{
    VBSIG_REQUIRE(signer, "signer");
    VBSIG_REQUIRE(in_path, "in_path");
    VBSIG_REQUIRE(out_path, "out_path");
    VBSIG_REQUIRE(opts, "opts");
    VBSIG_REQUIRE_CTX_TO_VERIFY(ctx, opts);
    vbsig_i18n_ensure();
    if (signer == NULL || out_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no signer or no output file"));
    vbsig_pdf_doc *doc = NULL;
    time_t when = 0;
    size_t reserved = 0;
    int rc = start(ctx, signer, in_path, out_path, opts, &doc, &when, &reserved);
    if (rc != VBSIG_OK)
        return rc;
    /* A CMS larger than its reservation (a long TSA reply, a forced small
     * reservation) is not an error: lay out again with room for it. */
    for (int attempt = 0; rc == VBSIG_OK && attempt < PADES_MAX_ATTEMPTS; attempt++) {
        vbsig_pades_pending *p = NULL;
        vbsig_buf der = {0};
        int fits = 0;
        rc = prepare_on(ctx, signer, doc, opts, when, reserved, &p);
        uint8_t sig[VBSIG_MAX_SIGNATURE];
        size_t sig_len = sizeof sig;
        if (rc == VBSIG_OK)
            rc = vbsig_signer_sign_digest(signer, vbsig_cades_pending_request(p->cms), sig, &sig_len);
        if (rc == VBSIG_OK)
            rc = make_cms(p, sig, sig_len, &der, &fits);
        if (rc == VBSIG_OK && fits) {
            embed(&p->u, &der);
            rc = write_output(p, out_path);
        }
        if (rc == VBSIG_OK && !fits)
            reserved = pades_placeholder_size(der.len, VBSIG_LEVEL_B_B);
        vbsig_buf_free(&der);
        vbsig_pades_pending_free(p);
        if (rc != VBSIG_OK || fits) {
            vbsig_pdf_close(doc);
            return rc;
        }
    }
    vbsig_pdf_close(doc);
    return rc != VBSIG_OK ? rc : vbsig_fail(VBSIG_E_INTERNAL, _("the signature did not fit its reservation after %d tries"),
                                            PADES_MAX_ATTEMPTS);
}
