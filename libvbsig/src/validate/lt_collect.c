/* Gathering (when extending) and lending (when verifying) the long-term
 * validation data of XAdES and CAdES signatures. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "crypto/crypto.h"
#include "validate/lt_collect.h"
#include "validate/rev.h"

#define LT_MAX_ITEMS 4096u

int vbsig_lt_check_target(vbsig_level level, const vbsig_tsp_opts *tsp)
{
    if (level != VBSIG_LEVEL_B_LT && level != VBSIG_LEVEL_B_LTA)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("a signature can be extended to level B-LT or B-LTA only"));
    if (level == VBSIG_LEVEL_B_LTA && (tsp == NULL || tsp->url_count == 0))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("level B-LTA needs a timestamp authority (--tsa URL)"));
    return VBSIG_OK;
}

void vbsig_lt_data_init(vbsig_lt_data *d)
{
    memset(d, 0, sizeof *d);
}

void vbsig_lt_data_free(vbsig_lt_data *d)
{
    for (int k = 0; k < VBSIG_LT_KINDS; k++) {
        for (size_t i = 0; i < d->count[k]; i++)
            vbsig_bytes_free(&d->item[k][i]);
        free(d->item[k]);
    }
    memset(d, 0, sizeof *d);
}

int vbsig_lt_data_add(vbsig_lt_data *d, int kind, const uint8_t *der, size_t len)
{
    if (kind < 0 || kind >= VBSIG_LT_KINDS || der == NULL || len == 0)
        return vbsig_fail(VBSIG_E_INTERNAL, "vbsig_lt_data_add: bad item");
    for (size_t i = 0; i < d->count[kind]; i++)
        if (d->item[kind][i].len == len && memcmp(d->item[kind][i].data, der, len) == 0)
            return VBSIG_OK;
    if (d->count[kind] >= LT_MAX_ITEMS)
        return vbsig_fail(VBSIG_E_LIMIT, _("more than %u items of long-term validation data"), LT_MAX_ITEMS);
    if (d->count[kind] == d->cap[kind]) {
        size_t cap = d->cap[kind] ? 2 * d->cap[kind] : 8;
        vbsig_bytes *n = realloc(d->item[kind], cap * sizeof *n);
        if (n == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        d->item[kind] = n;
        d->cap[kind] = cap;
    }
    vbsig_bytes *b = &d->item[kind][d->count[kind]];
    vbsig_bytes_init(b);
    int rc = vbsig_bytes_append(b, der, len);
    if (rc != VBSIG_OK) {
        vbsig_bytes_free(b);
        return rc;
    }
    d->count[kind]++;
    return VBSIG_OK;
}

/* The first message that is not a warning: the reason a status is missing. */
static const char *first_reason(const vbsig_sig_entry *e)
{
    for (size_t i = 0; i < e->message_count; i++)
        if (strstr(e->messages[i], "warning") == NULL)
            return e->messages[i];
    return e->message_count > 0 ? e->messages[0] : "?";
}

int vbsig_ctx_set_allow_lower_level(vbsig_ctx *ctx, int on)
{
    VBSIG_REQUIRE(ctx, "ctx");
    ctx->allow_lower_level = on != 0;
    return VBSIG_OK;
}

const char *vbsig_ctx_level_warning(const vbsig_ctx *ctx)
{
    return ctx != NULL && ctx->level_warning[0] != '\0' ? ctx->level_warning : NULL;
}

int vbsig_lt_require_revocation(vbsig_ctx *ctx, const vbsig_sig_entry *e, X509 *leaf, const char *what)
{
    if (e->rev_object_count > 0 || (e->revocation_status != NULL && strcmp(e->revocation_status, "unchecked") != 0))
        return VBSIG_OK;
    char *who = vbsig_name_text(X509_get_subject_name(leaf));
    int rc = VBSIG_OK;
    if (!ctx->allow_lower_level)
        rc = vbsig_fail(VBSIG_E_UNAVAILABLE,
                        _("%s: the level asked for cannot be reached: there is no revocation data for the certificate %s (it names no CRL or OCSP source); give --allow-lower-level to accept level B-T"),
                        what, who != NULL ? who : "?");
    else
        snprintf(ctx->level_warning, sizeof ctx->level_warning,
                 _("warning: %s: level B-T reached, not B-LT or B-LTA: there is no revocation data for the certificate %s"),
                 what, who != NULL ? who : "?");
    free(who);
    return rc;
}

int vbsig_lt_collect_cert(vbsig_ctx *ctx, X509 *leaf, STACK_OF(X509) *pool, const char *what, vbsig_lt_data *d)
{
    vbsig_report *r = NULL;
    vbsig_sig_entry *e = NULL;
    int rc = vbsig_report_create("lt", &r);
    if (rc == VBSIG_OK)
        rc = vbsig_report_add_entry(r, &e);
    if (rc != VBSIG_OK) {
        vbsig_report_free(r);
        return rc;
    }
    time_t now = time(NULL);
    e->validation_time = now;
    vbsig_path_validate(ctx, leaf, pool, now, e);
    if (e->chain_der_count == 0)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the certificate path of the signer cannot be built"), what);
    for (size_t i = 0; rc == VBSIG_OK && i < e->chain_der_count; i++)
        rc = vbsig_lt_data_add(d, VBSIG_LT_CERT, e->chain_der[i], e->chain_der_len[i]);
    if (rc == VBSIG_OK) {
        /* What was gathered already answers first: a certificate met twice
         * (the signer's, again after an archive timestamp) keeps its one
         * OCSP response rather than gaining a second, newer one. */
        struct vbsig_rev_embedded emb, *saved = ctx->embedded;
        vbsig_lt_embed_begin(ctx, d, &emb);
        vbsig_revocation_assess(ctx, leaf, pool, e);
        ctx->embedded = saved;
        const char *st = e->revocation_status != NULL ? e->revocation_status : "unchecked";
        if (strcmp(st, "unavailable") == 0 || strcmp(st, "unknown") == 0)
            rc = vbsig_fail(VBSIG_E_UNAVAILABLE,
                            _("%s: the revocation status needed for long-term validation cannot be obtained: %s"), what,
                            first_reason(e));
        else if (strcmp(st, "revoked") == 0)
            rc = vbsig_fail(VBSIG_E_REFUSED, _("%s: a certificate of the signature is revoked: %s"), what, first_reason(e));
    }
    if (rc == VBSIG_OK && d->for_signer)
        rc = vbsig_lt_require_revocation(ctx, e, leaf, what);
    for (size_t i = 0; rc == VBSIG_OK && i < e->rev_object_count; i++) {
        const vbsig_rev_object *o = &e->rev_objects[i];
        rc = vbsig_lt_data_add(d, strcmp(o->type, "ocsp") == 0 ? VBSIG_LT_OCSP : VBSIG_LT_CRL, o->der, o->len);
    }
    vbsig_report_free(r);
    return rc;
}

void vbsig_lt_embed_begin(vbsig_ctx *ctx, vbsig_lt_data *d, struct vbsig_rev_embedded *emb)
{
    emb->ocsp = d->item[VBSIG_LT_OCSP];
    emb->ocsp_count = d->count[VBSIG_LT_OCSP];
    emb->crl = d->item[VBSIG_LT_CRL];
    emb->crl_count = d->count[VBSIG_LT_CRL];
    ctx->embedded = emb->ocsp_count + emb->crl_count > 0 ? emb : NULL;
}

void vbsig_lt_embed_end(vbsig_ctx *ctx)
{
    ctx->embedded = NULL;
}

int vbsig_lt_evidence_embedded(const vbsig_sig_entry *e, const vbsig_lt_data *d)
{
    if (e->rev_object_count == 0 || e->revocation_status == NULL || strcmp(e->revocation_status, "good") != 0)
        return 0;
    for (size_t i = 0; i < e->rev_object_count; i++) {
        const vbsig_rev_object *o = &e->rev_objects[i];
        int kind = strcmp(o->type, "ocsp") == 0 ? VBSIG_LT_OCSP : VBSIG_LT_CRL, found = 0;
        for (size_t j = 0; !found && j < d->count[kind]; j++)
            found = d->item[kind][j].len == o->len && memcmp(d->item[kind][j].data, o->der, o->len) == 0;
        if (!found)
            return 0;
    }
    return 1;
}
