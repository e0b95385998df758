/* The TimeStampToken: a CMS SignedData (RFC 5652) over a TSTInfo, signed
 * through vbsig_signer, so a key file, a PKCS#12 file and a PKCS#11 token
 * take one road. Built by hand rather than with OpenSSL's TS_RESP_CTX,
 * which signs only with an EVP_PKEY it holds itself. Everything that depends only on the key and certificate
 * (algorithm identifiers, the signer's IssuerAndSerialNumber, the
 * content-type and signing-certificate-v2 attributes, the certificate set)
 * is encoded once at startup; a request costs one digest of the TSTInfo,
 * one of the signed attributes, the signature and some copying. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/crypto.h"
#include "tsp/issue.h"

static const uint8_t oid_signed_data[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
static const uint8_t oid_tst_info[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
                                        0x09, 0x10, 0x01, 0x04 };
static const uint8_t oid_content_type[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x03 };
static const uint8_t oid_message_digest[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04 };
static const uint8_t oid_signing_cert_v2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01,
                                               0x09, 0x10, 0x02, 0x2f };

struct vbsig_token_builder {
    vbsig_signer *signer; /* not owned */
    vbsig_tsp_signed_cb on_signature; /* may be NULL */
    void *on_signature_data;
    vbsig_digest_alg digest;
    EVP_MD *md;           /* fetched once: OpenSSL 3 would look it up on every digest */
    vbsig_der_out digest_algid; /* AlgorithmIdentifier of the digest */
    vbsig_der_out sig_algid;    /* signatureAlgorithm of the SignerInfo */
    vbsig_der_out sid;          /* IssuerAndSerialNumber */
    vbsig_der_out attr_ct;      /* content-type = id-ct-TSTInfo */
    vbsig_der_out attr_scv2;    /* signing-certificate-v2 (RFC 5816) */
    vbsig_der_out certs;        /* [0] IMPLICIT CertificateSet: TSA certificate and chain */
};

static void put_algid(vbsig_der_out *d, int nid, int null_params)
{
    vbsig_der_out a = { 0 };
    VBSIG_DER_OUT_I2D(&a, i2d_ASN1_OBJECT, OBJ_nid2obj(nid));
    if (null_params)
        vbsig__der_out_tlv(&a, 0x05, NULL, 0);
    vbsig__der_out_wrap(&a, 0x30);
    vbsig__der_out_append(d, &a);
    vbsig__der_out_free(&a);
}

/* An Attribute: SEQUENCE { type, SET { value } } with one value. */
static void put_attribute(vbsig_der_out *d, const uint8_t *oid, size_t oid_len, const vbsig_der_out *value)
{
    vbsig_der_out a = { 0 }, set = { 0 };
    vbsig__der_out_tlv(&a, 0x06, oid, oid_len);
    vbsig__der_out_append(&set, value);
    vbsig__der_out_wrap(&set, 0x31);
    vbsig__der_out_append(&a, &set);
    vbsig__der_out_wrap(&a, 0x30);
    vbsig__der_out_append(d, &a);
    vbsig__der_out_free(&a);
    vbsig__der_out_free(&set);
}

/* ESSCertIDv2 with the default hash (SHA-256, so hashAlgorithm is left
 * out as DER requires) and the issuer and serial of the certificate. */
static void put_signing_cert_v2(vbsig_der_out *d, X509 *cert)
{
    vbsig_der_out id = { 0 }, issuer_serial = { 0 }, names = { 0 }, value = { 0 };
    unsigned char *der = NULL;
    int n = i2d_X509(cert, &der);
    uint8_t hash[EVP_MAX_MD_SIZE];
    unsigned hash_len = 0;
    if (n <= 0 || vbsig_digest_bytes_md(EVP_sha256(), der, (size_t)n, hash, &hash_len) != VBSIG_OK)
        id.failed = 1;
    OPENSSL_free(der);
    vbsig__der_out_tlv(&id, 0x04, hash, hash_len);
    VBSIG_DER_OUT_I2D(&names, i2d_X509_NAME, X509_get_issuer_name(cert));
    vbsig__der_out_wrap(&names, 0xa4); /* GeneralName directoryName, EXPLICIT */
    vbsig__der_out_wrap(&names, 0x30); /* GeneralNames */
    vbsig__der_out_append(&issuer_serial, &names);
    VBSIG_DER_OUT_I2D(&issuer_serial, i2d_ASN1_INTEGER, X509_get0_serialNumber(cert));
    vbsig__der_out_wrap(&issuer_serial, 0x30);
    vbsig__der_out_append(&id, &issuer_serial);
    vbsig__der_out_wrap(&id, 0x30);  /* ESSCertIDv2 */
    vbsig__der_out_wrap(&id, 0x30);  /* SEQUENCE OF ESSCertIDv2 */
    vbsig__der_out_append(&value, &id);
    vbsig__der_out_wrap(&value, 0x30); /* SigningCertificateV2 */
    put_attribute(d, oid_signing_cert_v2, sizeof oid_signing_cert_v2, &value);
    vbsig__der_out_free(&id);
    vbsig__der_out_free(&issuer_serial);
    vbsig__der_out_free(&names);
    vbsig__der_out_free(&value);
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

static void put_sorted_set(vbsig_der_out *d, uint8_t tag, der_piece *pieces, size_t n)
{
    qsort(pieces, n, sizeof *pieces, piece_cmp);
    vbsig_der_out s = { 0 };
    for (size_t i = 0; i < n; i++)
        vbsig__der_out_put(&s, pieces[i].p, pieces[i].n);
    vbsig__der_out_wrap(&s, tag);
    vbsig__der_out_append(d, &s);
    vbsig__der_out_free(&s);
}

/* The TSA certificate and its chain, never a self-signed root: a relying
 * party takes roots from its own trust store. */
static void put_certificates(vbsig_der_out *d, X509 *cert, STACK_OF(X509) *chain)
{
    size_t n = 1 + (size_t)sk_X509_num(chain);
    vbsig_der_out all = { 0 };
    size_t *offs = calloc(n, sizeof *offs), *lens = calloc(n, sizeof *lens);
    der_piece *pieces = calloc(n, sizeof *pieces);
    size_t kept = 0;
    if (offs == NULL || lens == NULL || pieces == NULL)
        d->failed = 1;
    for (size_t i = 0; !d->failed && i < n; i++) {
        X509 *c = i == 0 ? cert : sk_X509_value(chain, (int)i - 1);
        if (i > 0 && X509_check_issued(c, c) == X509_V_OK)
            continue;
        offs[kept] = all.len;
        VBSIG_DER_OUT_I2D(&all, i2d_X509, c);
        lens[kept] = all.len - offs[kept];
        kept++;
    }
    if (all.failed)
        d->failed = 1;
    if (!d->failed) {
        for (size_t i = 0; i < kept; i++)
            pieces[i] = (der_piece){ all.p + offs[i], lens[i] };
        put_sorted_set(d, 0xa0, pieces, kept);
    }
    vbsig__der_out_free(&all);
    free(offs);
    free(lens);
    free(pieces);
    ERR_clear_error();
}

int vbsig__token_builder_new(vbsig_token_builder **out, vbsig_signer *signer, vbsig_tsp_signed_cb on_signature,
                             void *on_signature_data)
{
    X509 *cert = signer->cert;
    if (cert == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the timestamp signer has no certificate"));
    vbsig_token_builder *b = calloc(1, sizeof *b);
    if (b == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    b->signer = signer;
    b->on_signature = on_signature;
    b->on_signature_data = on_signature_data;
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
    VBSIG_DER_OUT_I2D(&b->sid, i2d_X509_NAME, X509_get_issuer_name(cert));
    VBSIG_DER_OUT_I2D(&b->sid, i2d_ASN1_INTEGER, X509_get0_serialNumber(cert));
    vbsig__der_out_wrap(&b->sid, 0x30);
    vbsig_der_out oid = { 0 };
    vbsig__der_out_tlv(&oid, 0x06, oid_tst_info, sizeof oid_tst_info);
    put_attribute(&b->attr_ct, oid_content_type, sizeof oid_content_type, &oid);
    vbsig__der_out_free(&oid);
    put_signing_cert_v2(&b->attr_scv2, cert);
    put_certificates(&b->certs, cert, signer->chain);
    if (b->md == NULL || b->digest_algid.failed || b->sig_algid.failed || b->sid.failed || b->attr_ct.failed ||
        b->attr_scv2.failed || b->certs.failed) {
        vbsig__token_builder_free(b);
        ERR_clear_error();
        return vbsig_fail(VBSIG_E_CRYPTO, _("cannot set up the token builder"));
    }
    *out = b;
    return VBSIG_OK;
}

void vbsig__token_builder_free(vbsig_token_builder *b)
{
    if (b == NULL)
        return;
    EVP_MD_free(b->md);
    vbsig__der_out_free(&b->digest_algid);
    vbsig__der_out_free(&b->sig_algid);
    vbsig__der_out_free(&b->sid);
    vbsig__der_out_free(&b->attr_ct);
    vbsig__der_out_free(&b->attr_scv2);
    vbsig__der_out_free(&b->certs);
    free(b);
}

/* The SignerInfo for tst: signed attributes, their signature, the rest. */
static int signer_info(const vbsig_token_builder *b, const uint8_t *tst, size_t tst_len, vbsig_der_out *si)
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned md_len = 0;
    int rc = vbsig_digest_bytes_md(b->md, tst, tst_len, md, &md_len);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_der_out attr_md = { 0 }, value = { 0 }, attrs = { 0 };
    vbsig__der_out_tlv(&value, 0x04, md, md_len);
    put_attribute(&attr_md, oid_message_digest, sizeof oid_message_digest, &value);
    der_piece pieces[3] = { { b->attr_ct.p, b->attr_ct.len },
                            { attr_md.p, attr_md.len },
                            { b->attr_scv2.p, b->attr_scv2.len } };
    int failed = attr_md.failed;
    if (!failed)
        put_sorted_set(&attrs, 0x31, pieces, 3);
    vbsig__der_out_free(&attr_md);
    vbsig__der_out_free(&value);
    if (failed || attrs.failed) {
        vbsig__der_out_free(&attrs);
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
        /* A token pulled out is noticed with the first request that
         * fails, not only at the next test signature. */
        if (b->on_signature != NULL)
            b->on_signature(b->on_signature_data, rc);
    }
    if (rc != VBSIG_OK) {
        vbsig__der_out_free(&attrs);
        return rc;
    }
    attrs.p[0] = 0xa0;
    vbsig__der_out_uint(si, 0x02, 1); /* version 1: sid is IssuerAndSerialNumber */
    vbsig__der_out_append(si, &b->sid);
    vbsig__der_out_append(si, &b->digest_algid);
    vbsig__der_out_append(si, &attrs);
    vbsig__der_out_append(si, &b->sig_algid);
    vbsig__der_out_tlv(si, 0x04, sig, sig_len);
    vbsig__der_out_wrap(si, 0x30);
    vbsig__der_out_free(&attrs);
    return si->failed ? vbsig_fail(VBSIG_E_NOMEM, _("out of memory")) : VBSIG_OK;
}

int vbsig__token_build(const vbsig_token_builder *b, const uint8_t *tst, size_t tst_len,
                    int with_certs, vbsig_der_out *token)
{
    vbsig_der_out si = { 0 }, sd = { 0 }, set = { 0 }, encap = { 0 }, content = { 0 };
    int rc = signer_info(b, tst, tst_len, &si);
    if (rc == VBSIG_OK) {
        vbsig__der_out_uint(&sd, 0x02, 3); /* version 3: eContentType is not id-data */
        vbsig__der_out_append(&set, &b->digest_algid);
        vbsig__der_out_wrap(&set, 0x31);
        vbsig__der_out_append(&sd, &set);
        vbsig__der_out_tlv(&content, 0x04, tst, tst_len);
        vbsig__der_out_wrap(&content, 0xa0);
        vbsig__der_out_tlv(&encap, 0x06, oid_tst_info, sizeof oid_tst_info);
        vbsig__der_out_append(&encap, &content);
        vbsig__der_out_wrap(&encap, 0x30);
        vbsig__der_out_append(&sd, &encap);
        if (with_certs)
            vbsig__der_out_append(&sd, &b->certs);
        vbsig__der_out_wrap(&si, 0x31); /* signerInfos: SET OF with one member */
        vbsig__der_out_append(&sd, &si);
        vbsig__der_out_wrap(&sd, 0x30);
        vbsig__der_out_wrap(&sd, 0xa0);
        vbsig_der_out ci = { 0 };
        vbsig__der_out_tlv(&ci, 0x06, oid_signed_data, sizeof oid_signed_data);
        vbsig__der_out_append(&ci, &sd);
        vbsig__der_out_wrap(&ci, 0x30);
        vbsig__der_out_append(token, &ci);
        vbsig__der_out_free(&ci);
        if (token->failed)
            rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    vbsig__der_out_free(&si);
    vbsig__der_out_free(&sd);
    vbsig__der_out_free(&set);
    vbsig__der_out_free(&encap);
    vbsig__der_out_free(&content);
    return rc;
}
