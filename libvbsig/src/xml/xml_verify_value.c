/* SignatureValue: SignedInfo canonicalized as it says, the algorithm must
 * fit the key type (no HMAC, no algorithm confusion), and the key comes
 * from an X509Certificate in KeyInfo; a bare KeyValue is never used. */
#include <string.h>

#include <openssl/err.h>
#include <openssl/rsa.h>

#include "xml.h"
#include "crypto/crypto.h"
#include "validate/validate.h"

static int fail(vbsig_xml_sig *s, vbsig_indication ind, const char *sub, const char *msg)
{
    vbsig_entry_worsen(s->e, ind, sub);
    vbsig_entry_note(s->e, "%s", msg);
    return 1;
}

static int load_certs(vbsig_xml_sig *s, size_t max_certs)
{
    s->certs = sk_X509_new_null();
    if (s->certs == NULL || s->key_info == NULL)
        return 0;
    for (xmlNodePtr xd = vbsig_xml_elem(s->key_info->children); xd != NULL; xd = vbsig_xml_elem(xd->next)) {
        if (!vbsig_xml_is(xd, VBSIG_NS_DS, "X509Data"))
            continue;
        for (xmlNodePtr c = vbsig_xml_elem(xd->children); c != NULL; c = vbsig_xml_elem(c->next)) {
            if (!vbsig_xml_is(c, VBSIG_NS_DS, "X509Certificate"))
                continue;
            if ((size_t)sk_X509_num(s->certs) >= max_certs)
                return fail(s, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE", _("KeyInfo carries too many certificates"));
            char *text = vbsig_xml_text(c);
            uint8_t *der = NULL;
            size_t len = 0;
            X509 *cert = NULL;
            if (text != NULL && vbsig_base64_decode(text, strlen(text), &der, &len) == VBSIG_OK)
                cert = vbsig_cert_from_bytes(der, len, "X509Certificate", &cert) == VBSIG_OK ? cert : NULL;
            free(text);
            free(der);
            if (cert == NULL)
                return fail(s, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE", _("an X509Certificate in KeyInfo is malformed"));
            if (sk_X509_push(s->certs, cert) <= 0) {
                X509_free(cert);
                return fail(s, VBSIG_INDETERMINATE, "GENERIC", _("out of memory"));
            }
        }
    }
    return 0;
}

int vbsig_xml_key_verifies(X509 *cert, const vbsig_xml_sigalg *alg, const uint8_t *md, size_t mdlen,
                        const uint8_t *sig, size_t siglen)
{
    EVP_PKEY *pkey = X509_get0_pubkey(cert);
    if (pkey == NULL)
        return 0;
    int id = EVP_PKEY_get_base_id(pkey);
    if ((alg->key == VBSIG_KEY_RSA) != (id == EVP_PKEY_RSA) || (alg->key == VBSIG_KEY_EC) != (id == EVP_PKEY_EC))
        return 0;
    uint8_t *der = NULL;
    size_t derlen = 0;
    if (alg->key == VBSIG_KEY_EC) {
        size_t field = ((size_t)EVP_PKEY_get_bits(pkey) + 7) / 8;
        if (siglen != 2 * field || vbsig_xml_ecdsa_raw_to_der(sig, siglen, &der, &derlen) != VBSIG_OK)
            return 0;
        sig = der;
        siglen = derlen;
    }
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(pkey, NULL);
    int ok = pc != NULL && EVP_PKEY_verify_init(pc) == 1 &&
             EVP_PKEY_CTX_set_signature_md(pc, vbsig_digest_md(alg->digest)) == 1;
    if (ok && alg->key == VBSIG_KEY_RSA && alg->padding == VBSIG_RSA_PSS)
        ok = EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_AUTO) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(pc, vbsig_digest_md(alg->digest)) == 1;
    ok = ok && EVP_PKEY_verify(pc, sig, siglen, md, mdlen) == 1;
    EVP_PKEY_CTX_free(pc);
    OPENSSL_free(der);
    ERR_clear_error();
    return ok;
}

static int read_method(vbsig_xml_sig *s, vbsig_c14n_alg *c14n, char ***prefixes, vbsig_xml_sigalg *alg)
{
    xmlNodePtr cm = vbsig_xml_elem(s->signed_info->children);
    if (vbsig_xml_read_c14n(cm, c14n, prefixes) != 0)
        return fail(s, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE",
                    _("the CanonicalizationMethod of SignedInfo is not a C14N algorithm"));
    char *uri = vbsig_xml_attr(vbsig_xml_elem(cm->next), "Algorithm");
    int bad = 0;
    if (vbsig_xml_sigalg_from_uri(uri, alg) != 0)
        bad = fail(s, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE",
                   uri != NULL && strstr(uri, "hmac") != NULL
                       ? _("the SignatureMethod is an HMAC: a shared-secret MAC is not a signature")
                       : _("the SignatureMethod is not a supported public-key signature algorithm"));
    free(uri);
    if (bad)
        return bad;
    s->e->digest_algorithm = vbsig_digest_label(alg->digest);
    if (alg->digest == VBSIG_DIGEST_SHA1) {
        s->e->weak = 1;
        vbsig_entry_note(s->e, _("weak algorithm: SHA-1 is no longer allowed for signatures; accepted only for an old document"));
    }
    return 0;
}

int vbsig_xml_check_signature_value(vbsig_xml_sig *s, size_t max_certs)
{
    vbsig_c14n_alg c14n;
    char **prefixes = NULL;
    vbsig_xml_sigalg alg;
    if (read_method(s, &c14n, &prefixes, &alg))
        return 1;
    int bad = load_certs(s, max_certs);
    uint8_t md[EVP_MAX_MD_SIZE], *sig = NULL;
    size_t mdlen = 0, siglen = 0;
    if (!bad && sk_X509_num(s->certs) == 0)
        bad = fail(s, VBSIG_INDETERMINATE, "NO_SIGNING_CERTIFICATE_FOUND",
                   _("KeyInfo carries no X509Certificate; a bare KeyValue is never trusted"));
    char *text = bad ? NULL : vbsig_xml_text(s->signature_value);
    if (!bad && (text == NULL || vbsig_base64_decode(text, strlen(text), &sig, &siglen) != VBSIG_OK ||
                 siglen == 0 || siglen > VBSIG_MAX_SIGNATURE))
        bad = fail(s, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE", _("the SignatureValue is not base64 of a plausible size"));
    free(text);
    if (!bad)
        vbsig_entry_set_signature_value(s->e, sig, siglen);
    if (!bad && vbsig_xml_c14n_hash(s->d->doc, s->signed_info, NULL, &c14n, prefixes, alg.digest, md, &mdlen) != VBSIG_OK)
        bad = fail(s, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE", _("SignedInfo could not be canonicalized"));
    for (int i = 0; !bad && s->cert == NULL && i < sk_X509_num(s->certs); i++)
        if (vbsig_xml_key_verifies(sk_X509_value(s->certs, i), &alg, md, mdlen, sig, siglen))
            s->cert = sk_X509_value(s->certs, i);
    if (!bad && s->cert == NULL)
        bad = fail(s, VBSIG_TOTAL_FAILED, "SIG_CRYPTO_FAILURE",
                   _("the SignatureValue does not verify with the key of any certificate in KeyInfo"));
    if (s->cert != NULL) {
        vbsig_entry_set_signer(s->e, s->cert);
        if (alg.key == VBSIG_KEY_RSA && EVP_PKEY_get_bits(X509_get0_pubkey(s->cert)) < 2048) {
            s->e->weak = 1;
            vbsig_entry_note(s->e, _("weak key: RSA keys shorter than 2048 bits are no longer allowed"));
        }
    }
    free(sig);
    vbsig_xml_prefixes_free(prefixes);
    return bad;
}
