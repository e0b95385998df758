/* Certificate path validation at a given time, with the outcome expressed
 * as ETSI EN 319 102-1 indications. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "crypto/crypto.h"
#include "util/util.h"
#include "validate/validate.h"

/* Forgets a chain recorded by an earlier validation of the same entry. */
static void forget_chain(vbsig_sig_entry *e)
{
    for (size_t i = 0; i < e->chain_len; i++)
        free(e->chain[i]);
    free(e->chain);
    for (size_t i = 0; i < e->chain_der_count; i++)
        OPENSSL_free(e->chain_der[i]);
    free(e->chain_der);
    free(e->chain_der_len);
    e->chain = NULL;
    e->chain_der = NULL;
    e->chain_der_len = NULL;
    e->chain_len = e->chain_der_count = 0;
}

static void record_chain(vbsig_sig_entry *e, STACK_OF(X509) *chain)
{
    forget_chain(e);
    int n = chain != NULL ? sk_X509_num(chain) : 0;
    if (n <= 0)
        return;
    char **names = calloc((size_t)n, sizeof *names);
    if (names == NULL)
        return;
    size_t got = 0;
    for (int i = 0; i < n; i++) {
        char *t = vbsig_name_text(X509_get_subject_name(sk_X509_value(chain, i)));
        if (t != NULL)
            names[got++] = t;
    }
    e->chain = names;
    e->chain_len = got;
    e->chain_der = calloc((size_t)n, sizeof *e->chain_der);
    e->chain_der_len = calloc((size_t)n, sizeof *e->chain_der_len);
    if (e->chain_der == NULL || e->chain_der_len == NULL) {
        free(e->chain_der);
        free(e->chain_der_len);
        e->chain_der = NULL;
        e->chain_der_len = NULL;
        return;
    }
    for (int i = 0; i < n; i++) {
        uint8_t *der = NULL;
        int len = i2d_X509(sk_X509_value(chain, i), &der);
        if (len <= 0)
            break;
        e->chain_der[i] = der;
        e->chain_der_len[i] = (size_t)len;
        e->chain_der_count++;
    }
}

static void map_verify_error(vbsig_sig_entry *e, int err, int depth, X509 *at_cert, time_t at)
{
    char *who = at_cert != NULL ? vbsig_name_text(X509_get_subject_name(at_cert)) : NULL;
    const char *name = who != NULL ? who : "?";
    char when[32];
    vbsig_time_format(at, VBSIG_TZ_VIETNAM_MINUTES, when);
    switch (err) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND");
        vbsig_entry_note(e, _("no chain to a trusted root: %s is not issued by any trust anchor given"), name);
        break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        /* A timestamp that failed (SIG_CONSTRAINTS_FAILURE, set before the
         * path is checked) is why there is no proof of existence: the
         * expired signer is the finding, as EN 319 102-1 names it. */
        if (e->indication == VBSIG_INDETERMINATE && e->subindication != NULL &&
            strcmp(e->subindication, "SIG_CONSTRAINTS_FAILURE") == 0)
            e->subindication = "OUT_OF_BOUNDS_NO_POE";
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "OUT_OF_BOUNDS_NO_POE");
        vbsig_entry_note(e, _("the certificate %s had expired at %s, and no timestamp proves the signature existed earlier"),
                         name, when);
        break;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "NOT_YET_VALID");
        vbsig_entry_note(e, _("the certificate %s was not yet valid at %s"), name, when);
        break;
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
    case X509_V_ERR_INVALID_PURPOSE:
    case X509_V_ERR_INVALID_EXTENSION:
    case X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION:
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "CHAIN_CONSTRAINTS_FAILURE");
        vbsig_entry_note(e, _("the certificate %s breaks a chain constraint: %s"), name,
                         X509_verify_cert_error_string(err));
        break;
    case X509_V_ERR_CA_MD_TOO_WEAK:
    case X509_V_ERR_CA_KEY_TOO_SMALL:
    case X509_V_ERR_EE_KEY_TOO_SMALL:
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
        vbsig_entry_note(e, _("the certificate %s uses a weak algorithm or key: %s"), name,
                         X509_verify_cert_error_string(err));
        break;
    default:
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "CERTIFICATE_CHAIN_GENERAL_FAILURE");
        vbsig_entry_note(e, _("the certificate chain is not valid at depth %d (%s): %s"), depth, name,
                         X509_verify_cert_error_string(err));
    }
    free(who);
}

/* Signer constraints the chain verification does not check by itself. */
static void check_signer_cert(vbsig_sig_entry *e, X509 *leaf)
{
    uint32_t ku = X509_get_key_usage(leaf);
    if (ku != UINT32_MAX && (ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0) {
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "CHAIN_CONSTRAINTS_FAILURE");
        vbsig_entry_note(e, _("the signer certificate's key usage allows neither digitalSignature nor nonRepudiation"));
    }
    EVP_PKEY *pub = X509_get0_pubkey(leaf);
    int bits = pub != NULL ? EVP_PKEY_get_bits(pub) : 0;
    if (pub != NULL && EVP_PKEY_get_base_id(pub) == EVP_PKEY_RSA && bits < 2048) {
        if (bits < 1024) {
            vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
            vbsig_entry_note(e, _("the signer's RSA-%d key is far too weak to trust"), bits);
        } else {
            e->weak = 1;
            vbsig_entry_note(e, _("weak key: RSA-%d is below the 2048 bits Vietnamese rules require"), bits);
        }
    }
    int md_nid = NID_undef, pk_nid = NID_undef;
    if (OBJ_find_sigid_algs(X509_get_signature_nid(leaf), &md_nid, &pk_nid)) {
        if (md_nid == NID_md5 || md_nid == NID_md2 || md_nid == NID_md4) {
            vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
            vbsig_entry_note(e, _("the signer certificate is signed with %s, which is broken"), OBJ_nid2sn(md_nid));
        } else if (md_nid == NID_sha1) {
            e->weak = 1;
            vbsig_entry_note(e, _("weak algorithm: the signer certificate is signed with SHA-1"));
        }
    }
}

void vbsig_path_validate(vbsig_ctx *ctx, X509 *leaf, STACK_OF(X509) *untrusted, time_t at,
                         vbsig_sig_entry *e)
{
    e->validation_time = at;
    check_signer_cert(e, leaf);
    STACK_OF(X509) *pool = untrusted != NULL ? sk_X509_dup(untrusted) : sk_X509_new_null();
    X509_STORE_CTX *sctx = X509_STORE_CTX_new();
    if (pool == NULL || sctx == NULL) {
        sk_X509_free(pool);
        X509_STORE_CTX_free(sctx);
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "CERTIFICATE_CHAIN_GENERAL_FAILURE");
        vbsig_entry_note(e, _("out of memory while building the certificate chain"));
        return;
    }
    for (int i = 0; i < sk_X509_num(ctx->intermediates); i++)
        sk_X509_push(pool, sk_X509_value(ctx->intermediates, i));
    vbsig_aia_complete(ctx, leaf, pool);
    if (!X509_STORE_CTX_init(sctx, ctx->trust, leaf, pool)) {
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "CERTIFICATE_CHAIN_GENERAL_FAILURE");
        vbsig_entry_note(e, _("the certificate chain could not be built"));
    } else {
        X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(sctx);
        X509_VERIFY_PARAM_set_time(param, at);
        int ok = X509_verify_cert(sctx) == 1;
        record_chain(e, X509_STORE_CTX_get0_chain(sctx));
        sk_X509_pop_free(e->built_path, X509_free);
        e->built_path = X509_STORE_CTX_get1_chain(sctx);
        e->built_path_time = at;
        vbsig_trust_note_domain(ctx, X509_STORE_CTX_get0_chain(sctx), ok, e);
        vbsig_algo_policy_apply(ctx, X509_STORE_CTX_get0_chain(sctx), e);
        if (!ok) {
            if (ctx->anchor_count == 0)
                vbsig_entry_note(e, _("no trust anchors were given (--trust)"));
            map_verify_error(e, X509_STORE_CTX_get_error(sctx), X509_STORE_CTX_get_error_depth(sctx),
                             X509_STORE_CTX_get_current_cert(sctx), at);
        }
    }
    X509_STORE_CTX_free(sctx);
    sk_X509_free(pool);
    ERR_clear_error();
}
