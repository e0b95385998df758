/* The TimeStampToken: a CMS SignedData (RFC 5652) over a TSTInfo, signed
 * through vbsig_signer, so a key file, a PKCS#12 file and a PKCS#11 token
 * take one road. Everything that depends only on the key and certificate
 * (algorithm identifiers, the signer's IssuerAndSerialNumber, the
 * content-type and signing-certificate-v2 attributes, the certificate set)
 * is encoded once at startup; a request costs one digest of the TSTInfo,
 * one of the signed attributes, the signature and some copying. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "crypto/crypto.h"
#include "tsa.h"

static const uint8_t oid_signed_data[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
static const uint8_t oid_tst_info[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
                                        0x09, 0x10, 0x01, 0x04 };
static const uint8_t oid_content_type[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03 };
static const uint8_t oid_message_digest[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04 };
static const uint8_t oid_signing_cert_v2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
                                               0x09, 0x10, 0x02, 0x2f };

struct tsa_token_builder {
    vbsig_signer *signer; /* not owned */
    tsa_key_health *health; /* not owned; may be NULL */
    vbsig_digest_alg digest;
    EVP_MD *md;           /* fetched once: OpenSSL 3 would look it up on every digest */
    tsa_der digest_algid; /* AlgorithmIdentifier of the digest */
    tsa_der sig_algid;    /* signatureAlgorithm of the SignerInfo */
    tsa_der sid;          /* IssuerAndSerialNumber */
    tsa_der attr_ct;      /* content-type = id-ct-TSTInfo */
    tsa_der attr_scv2;    /* signing-certificate-v2 (RFC 5816) */
    tsa_der certs;        /* [0] IMPLICIT CertificateSet: TSA certificate and chain */
};

static void put_algid(tsa_der *d, int nid, int null_params)
{
    tsa_der a = { 0 };
    TSA_DER_PUT_I2D(&a, i2d_ASN1_OBJECT, OBJ_nid2obj(nid));
    if (null_params)
        tsa_der_tlv(&a, 0x05, NULL, 0);
    tsa_der_wrap(&a, 0x30);
    tsa_der_append(d, &a);
    tsa_der_free(&a);
}

/* An Attribute: SEQUENCE { type, SET { value } } with one value. */
static void put_attribute(tsa_der *d, const uint8_t *oid, size_t oid_len, const tsa_der *value)
{
    tsa_der a = { 0 }, set = { 0 };
    tsa_der_tlv(&a, 0x06, oid, oid_len);
    tsa_der_append(&set, value);
    tsa_der_wrap(&set, 0x31);
    tsa_der_append(&a, &set);
    tsa_der_wrap(&a, 0x30);
    tsa_der_append(d, &a);
    tsa_der_free(&a);
    tsa_der_free(&set);
}

/* ESSCertIDv2 with the default hash (SHA-256, so hashAlgorithm is left
 * out as DER requires) and the issuer and serial of the certificate. */
static void put_signing_cert_v2(tsa_der *d, X509 *cert)
{
    tsa_der id = { 0 }, issuer_serial = { 0 }, names = { 0 }, value = { 0 };
    unsigned char *der = NULL;
    int n = i2d_X509(cert, &der);
    uint8_t hash[EVP_MAX_MD_SIZE];
    unsigned hash_len = 0;
    if (n <= 0 || vbsig_digest_bytes_md(EVP_sha256(), der, (size_t)n, hash, &hash_len) != VBSIG_OK)
        id.failed = 1;
    OPENSSL_free(der);
    tsa_der_tlv(&id, 0x04, hash, hash_len);
    TSA_DER_PUT_I2D(&names, i2d_X509_NAME, X509_get_issuer_name(cert));
    tsa_der_wrap(&names, 0xa4); /* GeneralName directoryName, EXPLICIT */
    tsa_der_wrap(&names, 0x30); /* GeneralNames */
    tsa_der_append(&issuer_serial, &names);
    TSA_DER_PUT_I2D(&issuer_serial, i2d_ASN1_INTEGER, X509_get0_serialNumber(cert));
    tsa_der_wrap(&issuer_serial, 0x30);
    tsa_der_append(&id, &issuer_serial);
    tsa_der_wrap(&id, 0x30);  /* ESSCertIDv2 */
    tsa_der_wrap(&id, 0x30);  /* SEQUENCE OF ESSCertIDv2 */
    tsa_der_append(&value, &id);
    tsa_der_wrap(&value, 0x30); /* SigningCertificateV2 */
    put_attribute(d, oid_signing_cert_v2, sizeof oid_signing_cert_v2, &value);
    tsa_der_free(&id);
    tsa_der_free(&issuer_serial);
    tsa_der_free(&names);
    tsa_der_free(&value);
}

typedef struct der_piece {
    const uint8_t *p;
    size_t n;
} der_piece;

/* DER orders SET OF members by their encodings (X.690 §11.6). */
static int piece_cmp(const void *a, const void *b)
{
    const der_piece *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, n);
    return c != 0 ? c : (x->n > y->n) - (x->n < y->n);
}

static void put_sorted_set(tsa_der *d, uint8_t tag, der_piece *pieces, size_t n)
{
    qsort(pieces, n, sizeof *pieces, piece_cmp);
    tsa_der s = { 0 };
    for (size_t i = 0; i < n; i++)
        tsa_der_put(&s, pieces[i].p, pieces[i].n);
    tsa_der_wrap(&s, tag);
    tsa_der_append(d, &s);
    tsa_der_free(&s);
}

static void put_certificates(tsa_der *d, X509 *cert, STACK_OF(X509) *chain)
{
    size_t n = 1 + (size_t)sk_X509_num(chain);
    tsa_der all = { 0 };
    size_t *offs = calloc(n, sizeof *offs), *lens = calloc(n, sizeof *lens);
    der_piece *pieces = calloc(n, sizeof *pieces);
    if (offs == NULL || lens == NULL || pieces == NULL)
        d->failed = 1;
    for (size_t i = 0; !d->failed && i < n; i++) {
        offs[i] = all.len;
        TSA_DER_PUT_I2D(&all, i2d_X509, i == 0 ? cert : sk_X509_value(chain, (int)i - 1));
        lens[i] = all.len - offs[i];
    }
    if (all.failed)
        d->failed = 1;
    if (!d->failed) {
        for (size_t i = 0; i < n; i++)
            pieces[i] = (der_piece){ all.p + offs[i], lens[i] };
        put_sorted_set(d, 0xa0, pieces, n);
    }
    tsa_der_free(&all);
    free(offs);
    free(lens);
    free(pieces);
}

int tsa_token_builder_new(tsa_token_builder **out, vbsig_signer *signer, X509 *cert,
                          STACK_OF(X509) *chain, tsa_key_health *health)
{
    tsa_token_builder *b = calloc(1, sizeof *b);
    if (b == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    b->signer = signer;
    b->health = health;
    vbsig_key_type type = vbsig_signer_key_type(signer);
    /* Match the digest to the key's strength; SHA-256 below 384 bits of EC. */
    int big_ec = type == VBSIG_KEY_EC && vbsig_signer_key_bits(signer) >= 384;
    b->digest = big_ec ? VBSIG_DIGEST_SHA384 : VBSIG_DIGEST_SHA256;
    b->md = EVP_MD_fetch(NULL, big_ec ? "SHA384" : "SHA256", NULL);
    put_algid(&b->digest_algid, big_ec ? NID_sha384 : NID_sha256, 0);
    if (type == VBSIG_KEY_RSA)
        put_algid(&b->sig_algid, NID_rsaEncryption, 1);
    else
        put_algid(&b->sig_algid, big_ec ? NID_ecdsa_with_SHA384 : NID_ecdsa_with_SHA256, 0);
    TSA_DER_PUT_I2D(&b->sid, i2d_X509_NAME, X509_get_issuer_name(cert));
    TSA_DER_PUT_I2D(&b->sid, i2d_ASN1_INTEGER, X509_get0_serialNumber(cert));
    tsa_der_wrap(&b->sid, 0x30);
    tsa_der oid = { 0 };
    tsa_der_tlv(&oid, 0x06, oid_tst_info, sizeof oid_tst_info);
    put_attribute(&b->attr_ct, oid_content_type, sizeof oid_content_type, &oid);
    tsa_der_free(&oid);
    put_signing_cert_v2(&b->attr_scv2, cert);
    put_certificates(&b->certs, cert, chain);
    if (b->md == NULL || b->digest_algid.failed || b->sig_algid.failed || b->sid.failed || b->attr_ct.failed ||
        b->attr_scv2.failed || b->certs.failed) {
        tsa_token_builder_free(b);
        ERR_clear_error();
        return vbsig_fail(VBSIG_E_CRYPTO, _("cannot set up the token builder"));
    }
    *out = b;
    return VBSIG_OK;
}

void tsa_token_builder_free(tsa_token_builder *b)
{
    if (b == NULL)
        return;
    EVP_MD_free(b->md);
    tsa_der_free(&b->digest_algid);
    tsa_der_free(&b->sig_algid);
    tsa_der_free(&b->sid);
    tsa_der_free(&b->attr_ct);
    tsa_der_free(&b->attr_scv2);
    tsa_der_free(&b->certs);
    free(b);
}

/* The SignerInfo for tst: signed attributes, their signature, the rest. */
static int signer_info(const tsa_token_builder *b, const uint8_t *tst, size_t tst_len, tsa_der *si)
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    int rc = vbsig_digest_bytes_md(b->md, tst, tst_len, md, &md_len);
    if (rc != VBSIG_OK)
        return rc;
    tsa_der attr_md = { 0 }, value = { 0 }, attrs = { 0 };
    tsa_der_tlv(&value, 0x04, md, md_len);
    put_attribute(&attr_md, oid_message_digest, sizeof oid_message_digest, &value);
    der_piece pieces[3] = { { b->attr_ct.p, b->attr_ct.len },
                            { attr_md.p, attr_md.len },
                            { b->attr_scv2.p, b->attr_scv2.len } };
    int failed = attr_md.failed;
    if (!failed)
        put_sorted_set(&attrs, 0x31, pieces, 3);
    tsa_der_free(&attr_md);
    tsa_der_free(&value);
    if (failed || attrs.failed) {
        tsa_der_free(&attrs);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    /* The signature covers the attributes with their SET tag (RFC 5652
     * §5.4); the SignerInfo carries them as [0] IMPLICIT. */
    uint8_t tbs[EVP_MAX_MD_SIZE];
    unsigned tbs_len = 0;
    rc = vbsig_digest_bytes_md(b->md, attrs.p, attrs.len, tbs, &tbs_len);
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    if (rc == VBSIG_OK) {
        vbsig_sign_request req = { .digest_alg = b->digest, .padding = VBSIG_RSA_PKCS1_V15,
                                   .digest = tbs, .digest_len = tbs_len };
        rc = vbsig_signer_sign_digest(b->signer, &req, sig, &sig_len);
        /* A token pulled out shows in /health with the first request that
         * fails, not only at the next test signature. */
        tsa_key_health_note(b->health, rc);
    }
    if (rc != VBSIG_OK) {
        tsa_der_free(&attrs);
        return rc;
    }
    attrs.p[0] = 0xa0;
    tsa_der_uint(si, 0x02, 1); /* version 1: sid is IssuerAndSerialNumber */
    tsa_der_append(si, &b->sid);
    tsa_der_append(si, &b->digest_algid);
    tsa_der_append(si, &attrs);
    tsa_der_append(si, &b->sig_algid);
    tsa_der_tlv(si, 0x04, sig, sig_len);
    tsa_der_wrap(si, 0x30);
    tsa_der_free(&attrs);
    return si->failed ? vbsig_fail(VBSIG_E_NOMEM, _("out of memory")) : VBSIG_OK;
}

int tsa_token_build(const tsa_token_builder *b, const uint8_t *tst, size_t tst_len,
                    int with_certs, tsa_der *token)
{
    tsa_der si = { 0 }, sd = { 0 }, set = { 0 }, encap = { 0 }, content = { 0 };
    int rc = signer_info(b, tst, tst_len, &si);
    if (rc == VBSIG_OK) {
        tsa_der_uint(&sd, 0x02, 3); /* version 3: eContentType is not id-data */
        tsa_der_append(&set, &b->digest_algid);
        tsa_der_wrap(&set, 0x31);
        tsa_der_append(&sd, &set);
        tsa_der_tlv(&content, 0x04, tst, tst_len);
        tsa_der_wrap(&content, 0xa0);
        tsa_der_tlv(&encap, 0x06, oid_tst_info, sizeof oid_tst_info);
        tsa_der_append(&encap, &content);
        tsa_der_wrap(&encap, 0x30);
        tsa_der_append(&sd, &encap);
        if (with_certs)
            tsa_der_append(&sd, &b->certs);
        tsa_der_wrap(&si, 0x31); /* signerInfos: SET OF with one member */
        tsa_der_append(&sd, &si);
        tsa_der_wrap(&sd, 0x30);
        tsa_der_wrap(&sd, 0xa0);
        tsa_der ci = { 0 };
        tsa_der_tlv(&ci, 0x06, oid_signed_data, sizeof oid_signed_data);
        tsa_der_append(&ci, &sd);
        tsa_der_wrap(&ci, 0x30);
        tsa_der_append(token, &ci);
        tsa_der_free(&ci);
        if (token->failed)
            rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    tsa_der_free(&si);
    tsa_der_free(&sd);
    tsa_der_free(&set);
    tsa_der_free(&encap);
    tsa_der_free(&content);
    return rc;
}

int tsa_key_probe(vbsig_signer *signer, X509 *cert)
{
    /* A signature over a random digest, checked with the certificate's
     * public key: proves the pair for every kind of key, a token's too. */
    uint8_t digest[32], sig[VBSIG_MAX_SIGNATURE];
    size_t sig_len = sizeof sig;
    if (RAND_bytes(digest, sizeof digest) != 1)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("no random bytes"));
    vbsig_sign_request req = { .digest_alg = VBSIG_DIGEST_SHA256, .padding = VBSIG_RSA_PKCS1_V15,
                               .digest = digest, .digest_len = sizeof digest };
    int rc = vbsig_signer_sign_digest(signer, &req, sig, &sig_len);
    if (rc != VBSIG_OK)
        return rc;
    EVP_PKEY *pub = X509_get0_pubkey(cert);
    EVP_PKEY_CTX *pctx = pub != NULL ? EVP_PKEY_CTX_new_from_pkey(NULL, pub, NULL) : NULL;
    int ok = pctx != NULL && EVP_PKEY_verify_init(pctx) > 0;
    if (ok && EVP_PKEY_get_base_id(pub) == EVP_PKEY_RSA)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) > 0;
    ok = ok && EVP_PKEY_CTX_set_signature_md(pctx, EVP_sha256()) > 0 &&
         EVP_PKEY_verify(pctx, sig, sig_len, digest, sizeof digest) == 1;
    EVP_PKEY_CTX_free(pctx);
    ERR_clear_error();
    return ok ? VBSIG_OK : VBSIG_E_KEY_UNUSABLE;
}
