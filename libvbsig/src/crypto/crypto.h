/* Private view of the crypto module: digests, certificates and the signer
 * object shared by every format. */
#ifndef VBSIG_CRYPTO_H
#define VBSIG_CRYPTO_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "vbsig/signer.h"

/* ---- digests (digest.c) ---- */
const EVP_MD *vbsig_digest_md(vbsig_digest_alg alg);
size_t vbsig_digest_size(vbsig_digest_alg alg);
/* "SHA-256" … as reports show them. */
const char *vbsig_digest_label(vbsig_digest_alg alg);
/* From an OpenSSL digest NID; 0 when the algorithm is unknown to us. */
vbsig_digest_alg vbsig_digest_from_nid(int nid);
/* Parses "sha256", "SHA-256", "sha3-256" …; VBSIG_E_INVALID_ARG otherwise. */
int vbsig_digest_from_name(const char *name, vbsig_digest_alg *out);
/* Digest of a byte range, fed in slices so a mapped file is read once,
 * sequentially, whatever its size. */
int vbsig_digest_bytes(vbsig_digest_alg alg, const uint8_t *p, size_t n,
                       uint8_t *out, size_t *out_len);
int vbsig_digest_bytes_md(const EVP_MD *md, const uint8_t *p, size_t n,
                          uint8_t *out, unsigned *out_len);

/* ---- certificates (cert_load.c) ---- */
/* Appends every certificate of a PEM bundle or a DER file to certs. At most
 * max_certs certificates are read; `what` names the source in errors. */
int vbsig_certs_load_file(const char *path, STACK_OF(X509) *certs, size_t max_certs);
/* One certificate from bytes (PEM or DER). */
int vbsig_cert_from_bytes(const uint8_t *p, size_t n, const char *what, X509 **out);
/* RFC 4514 text of a name, UTF-8 ("CN=…,O=…") so Vietnamese reads; malloc'ed. */
char *vbsig_name_text(const X509_NAME *name);
/* "RSA-2048", "EC-P256" … into buf. */
void vbsig_key_describe(EVP_PKEY *pkey, char *buf, size_t n);

/* ---- the signer object (signer.c) ---- */
struct vbsig_signer {
    vbsig_signer_ops ops;
    void *impl;
    X509 *cert;
    uint8_t *cert_der; /* cached so callers may hold a pointer */
    size_t cert_der_len;
    STACK_OF(X509) *chain;
    vbsig_rsa_padding padding;
};
/* The one constructor: takes ownership of cert (freed on failure too). */
int vbsig_signer_wrap(vbsig_signer **out, const vbsig_signer_ops *ops, void *impl, X509 *cert);
/* A signer around an EVP_PKEY (signer_softkey.c); takes ownership of both. */
int vbsig_signer_from_evp(vbsig_signer **out, EVP_PKEY *pkey, X509 *cert);

#endif
