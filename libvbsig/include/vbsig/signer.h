/* Signers: anything that turns a digest into signature bytes.
 *
 * A signer holds a certificate (and optionally its chain) and a way to sign:
 * a key file, a PKCS#12 file, a PKCS#11 token (pkcs11-bridge) or an outside
 * party in two-step signing. Formats never see the key, only the signer.
 */
#ifndef VBSIG_SIGNER_H
#define VBSIG_SIGNER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "vbsig/export.h"
#include "vbsig/ctx.h"
#include "vbsig/report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vbsig_signer vbsig_signer;

typedef enum vbsig_digest_alg {
    VBSIG_DIGEST_SHA256 = 1,
    VBSIG_DIGEST_SHA384 = 2,
    VBSIG_DIGEST_SHA512 = 3,
    VBSIG_DIGEST_SHA3_256 = 4,
    VBSIG_DIGEST_SHA3_512 = 5,
    VBSIG_DIGEST_SHA1 = 100 /* verification of old documents only: never used to sign */
} vbsig_digest_alg;

typedef enum vbsig_key_type {
    VBSIG_KEY_RSA = 1,
    VBSIG_KEY_EC = 2
} vbsig_key_type;

typedef enum vbsig_rsa_padding {
    VBSIG_RSA_PKCS1_V15 = 0, /* the default: what tokens and peers in the field expect */
    VBSIG_RSA_PSS = 1        /* RSASSA-PSS, salt length = digest length, MGF1 with the same digest */
} vbsig_rsa_padding;

/* Parses "sha256", "SHA-256", "sha3-256" …; SHA-1 is refused (it may not
 * be used for new signatures). */
VBSIG_API int vbsig_digest_from_name(const char *name, vbsig_digest_alg *out);

/* Largest signature a signer may return (RSA-8192). */
#define VBSIG_MAX_SIGNATURE 1024

/* What a signer is asked to sign. */
typedef struct vbsig_sign_request {
    vbsig_digest_alg digest_alg;
    vbsig_rsa_padding padding; /* RSA only */
    const uint8_t *digest;
    size_t digest_len;
} vbsig_sign_request;

/* The interface other key stores implement (the PKCS#11 bridge, bindings).
 * sign() writes at most *sig_len bytes to sig and sets *sig_len: for RSA the
 * raw signature, for ECDSA the DER-encoded Ecdsa-Sig-Value. It returns
 * VBSIG_OK or a vbsig_status after setting the message (vbsig_set_error). */
typedef struct vbsig_signer_ops {
    unsigned version; /* 1 */
    int (*sign)(void *impl, const vbsig_sign_request *req, uint8_t *sig, size_t *sig_len);
    void (*free_impl)(void *impl);
} vbsig_signer_ops;

/* A signer for an outside implementation. cert_der is the signer's
 * certificate; the signer copies it. On success the signer owns impl. */
VBSIG_API int vbsig_signer_new(vbsig_signer **out, const vbsig_signer_ops *ops, void *impl,
                               const uint8_t *cert_der, size_t cert_len);

/* A signer from a private key file (PEM or DER, encrypted or not) and its
 * certificate file. pass_source is "pass:…", "env:…", "file:…", "fd:…" or
 * NULL to prompt on the terminal if the key is encrypted. The key must
 * match the certificate. */
VBSIG_API int vbsig_signer_from_key_file(vbsig_signer **out, const char *key_path,
                                         const char *pass_source, const char *cert_path);
/* A signer from a PKCS#12 file (key, certificate and chain). */
VBSIG_API int vbsig_signer_from_pkcs12(vbsig_signer **out, const char *path,
                                       const char *pass_source);
/* A signer that holds only a certificate: for two-step signing, where the
 * signature comes from elsewhere. Its sign() fails with VBSIG_E_KEY_UNUSABLE. */
VBSIG_API int vbsig_signer_from_cert_file(vbsig_signer **out, const char *cert_path);

VBSIG_API void vbsig_signer_free(vbsig_signer *s);

/* Adds chain certificates (PEM bundle or DER) shipped with signatures. */
VBSIG_API int vbsig_signer_add_chain_file(vbsig_signer *s, const char *path);
VBSIG_API int vbsig_signer_add_chain_der(vbsig_signer *s, const uint8_t *der, size_t len);
VBSIG_API int vbsig_signer_set_rsa_padding(vbsig_signer *s, vbsig_rsa_padding padding);

VBSIG_API vbsig_key_type vbsig_signer_key_type(const vbsig_signer *s);
/* Key size in bits (RSA modulus, EC field). */
VBSIG_API int vbsig_signer_key_bits(const vbsig_signer *s);
/* The signer's certificate, DER; valid as long as the signer. */
VBSIG_API const uint8_t *vbsig_signer_cert_der(const vbsig_signer *s, size_t *len);
/* The certificate's subject as RFC 2253 text with UTF-8 kept as is (so
 * Vietnamese names read); free it with vbsig_free. NULL without a
 * certificate (or memory). */
VBSIG_API char *vbsig_signer_subject(const vbsig_signer *s);
/* The certificate's validity period (either pointer may be NULL).
 * VBSIG_E_KEY_UNUSABLE without a certificate. */
VBSIG_API int vbsig_signer_validity(const vbsig_signer *s, time_t *not_before, time_t *not_after);

/* Checks that the certificate may sign at time t (0 = now): inside its
 * validity period, key usage allows digitalSignature or nonRepudiation,
 * key type supported. VBSIG_E_KEY_UNUSABLE with the reason otherwise. */
VBSIG_API int vbsig_signer_check_usable(const vbsig_signer *s, time_t t);

/* Checks one's own certificate before signing (Decree 23/2025 art. 15)
 * without making a signature: first vbsig_signer_check_usable(s, t), whose
 * VBSIG_E_KEY_UNUSABLE is returned as is; then the certificate's path to
 * the context's trust anchors (with the signer's chain, the context's
 * intermediates, cache and AIA) and its revocation status (under the
 * context's revocation mode, fetched as verification would) are judged at
 * t (0: the context's pinned validation time, else now). *out receives a
 * report (format "signer") with one entry: its indication and
 * sub-indication say whether a verifier would accept the signer now (for
 * instance NO_CERTIFICATE_CHAIN_FOUND, REVOKED_NO_POE, TRY_LATER when the
 * status is unavailable), and the report accessors give the certificate
 * fields, chain and revocation status. Free it with vbsig_report_free. */
VBSIG_API int vbsig_signer_check(vbsig_ctx *ctx, vbsig_signer *s, time_t t, vbsig_report **out);

/* One test signature over a random digest, verified with the signer's
 * certificate: VBSIG_E_KEY_UNUSABLE when the key does not match it, else
 * the signing status (a pulled token, a locked PIN …). For servers that
 * check a long-lived key now and then (vbsig-tsa's health probe). */
VBSIG_API int vbsig_signer_probe(vbsig_signer *s);

/* Signs one digest (used by formats; exposed for tests and bindings). */
VBSIG_API int vbsig_signer_sign_digest(vbsig_signer *s, const vbsig_sign_request *req,
                                       uint8_t *sig, size_t *sig_len);

/* For implementations of vbsig_signer_ops: set the thread's error message. */
VBSIG_API int vbsig_set_error(int status, const char *message);

#ifdef __cplusplus
}
#endif
#endif
