/* Algorithm strength of the certificates above the signer and the policy
 * for weak ones. The signer's own certificate and the signature's digests
 * are checked where they are read (cert_path.c, cms/, xml/, pades/), which
 * set e->weak; this file adds the CA certificates and decides what "weak"
 * costs. Broken algorithms (MD2/MD4/MD5) always fail. */
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "crypto/crypto.h"

#include "util/util.h"
#include "validate/validate.h"

static int is_broken_md(int md_nid)
{
    return md_nid == NID_md5 || md_nid == NID_md2 || md_nid == NID_md4;
}

void vbsig_algo_policy_apply(const vbsig_ctx *ctx, STACK_OF(X509) *chain, vbsig_sig_entry *e)
{
    int n = chain != NULL ? sk_X509_num(chain) : 0;
    /* From the first CA certificate up. An anchor's self-signature means
     * nothing (it is trusted as it is), but its key still signs the rest. */
    for (int i = 1; i < n; i++) {
        X509 *c = sk_X509_value(chain, i);
        int self = X509_check_issued(c, c) == X509_V_OK;
        char *who = vbsig_name_text(X509_get_subject_name(c));
        const char *name = who != NULL ? who : "?";
        int md_nid = NID_undef, pk_nid = NID_undef;
        if (!self && OBJ_find_sigid_algs(X509_get_signature_nid(c), &md_nid, &pk_nid)) {
            if (is_broken_md(md_nid)) {
                vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
                vbsig_entry_note(e, _("the CA certificate %s is signed with %s, which is broken"), name,
                                 OBJ_nid2sn(md_nid));
            } else if (md_nid == NID_sha1) {
                e->weak = 1;
                vbsig_entry_note(e, _("weak algorithm: the CA certificate %s is signed with SHA-1"), name);
            }
        }
        EVP_PKEY *pub = X509_get0_pubkey(c);
        int bits = pub != NULL ? EVP_PKEY_get_bits(pub) : 0;
        if (pub != NULL && EVP_PKEY_get_base_id(pub) == EVP_PKEY_RSA && bits < 2048) {
            e->weak = 1;
            vbsig_entry_note(e, _("weak key: the CA certificate %s has an RSA-%d key"), name, bits);
        }
        free(who);
    }
    if (e->weak && ctx->weak_fails) {
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "CRYPTO_CONSTRAINTS_FAILURE_NO_POE");
        vbsig_entry_note(e, _("the algorithm policy refuses weak algorithms and keys (weak = fail)"));
    }
}

int vbsig_ctx_set_weak_policy(vbsig_ctx *ctx, vbsig_weak_policy policy)
{
    VBSIG_REQUIRE(ctx, "ctx");
    if (ctx == NULL || (policy != VBSIG_WEAK_WARN && policy != VBSIG_WEAK_FAIL))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown weak-algorithm policy"));
    ctx->weak_fails = policy == VBSIG_WEAK_FAIL;
    return VBSIG_OK;
}
