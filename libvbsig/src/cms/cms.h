/* Private view of CMS: shared by CAdES and, later, PAdES. */
#ifndef VBSIG_CMS_H
#define VBSIG_CMS_H

#include <openssl/cms.h>

#include "vbsig/cades.h"

/* DER of the SignerInfo's signedAttrs as they are signed: a SET OF
 * Attribute, in DER order (RFC 5652 §5.4). malloc'ed into *out. */
int vbsig_cms_signed_attrs_der(CMS_SignerInfo *si, uint8_t **out, size_t *out_len);

/* Sets the SignerInfo's signatureAlgorithm to RSASSA-PSS with explicit
 * parameters (hash, MGF1 with the same hash, salt = digest length). */
int vbsig_cms_set_pss_algorithm(CMS_SignerInfo *si, const EVP_MD *md);

/* 1 when the signing-certificate (v1) and/or -v2 attribute values given
 * (NULL when absent; at least one present) decode and identify cert. */
int vbsig_cms_ess_matches(const ASN1_TYPE *v1, const ASN1_TYPE *v2, X509 *cert);

/* Parses a CMS ContentInfo from DER, BER or PEM bytes after a bounded
 * structure walk. `what` names the input in messages. */
int vbsig_cms_parse(const uint8_t *p, size_t n, int strict_der, unsigned max_depth,
                    const char *what, CMS_ContentInfo **out);

/* Checks the signature timestamps (id-aa-signatureTimeStampToken) of a
 * SignerInfo whose signature value verified, and records the outcome in e:
 * the earliest valid one becomes the proven signing time and the level
 * B-T; when every one fails, e is INDETERMINATE. No timestamp: no change. */
struct vbsig_sig_entry;
void vbsig_cades_check_timestamps(vbsig_ctx *ctx, CMS_SignerInfo *si, struct vbsig_sig_entry *e);

/* Two-step preparation from a message digest computed by the caller (PAdES
 * hashes the byte ranges itself, streaming). opts must ask for a detached
 * signature; md_len must be the digest's length. with_signing_time 0 leaves
 * the signing-time attribute out (PAdES: the time goes in /M). */
int vbsig_cades_prepare_digest(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_cades_sign_opts *opts,
                               const uint8_t *md_value, size_t md_len, int with_signing_time,
                               vbsig_cades_pending **out);
/* DER size of the SignedData once a signature value of sig_len bytes is set
 * (before any timestamp): what a PDF /Contents placeholder must hold. */
int vbsig_cades_pending_encoded_size(vbsig_cades_pending *p, size_t sig_len, size_t *out);

/* The check of a SignedData just encoded with one SignerInfo and no
 * unsigned attributes (cades_made_check.c): the DER has the expected
 * structure, carries sig as the signature value and signed attributes whose
 * digest is req->digest, and sig verifies over that digest with cert's
 * public key as req asks. VBSIG_E_CRYPTO for a wrong signature value,
 * VBSIG_E_INTERNAL for an encoding that differs from what was signed. */
int vbsig_cms_check_made(const uint8_t *der, size_t len, X509 *cert, const vbsig_sign_request *req,
                         const uint8_t *sig, size_t sig_len);

/* A content given as pieces, hashed one after the other (the two byte
 * ranges of a PDF signature, read straight from the mapped file). */
typedef struct vbsig_prefix_memo vbsig_prefix_memo;
typedef struct vbsig_cms_range {
    const uint8_t *data;
    size_t len;
    int release; /* 1: read-only file mapping; hashed pages may be released (cms_ranges.c) */
    /* On a first range that starts a file: the file's running digests
     * (cms_prefix_memo.c), so that several signatures over prefixes of one
     * file hash it once. NULL: hash the range itself. */
    vbsig_prefix_memo *memo;
} vbsig_cms_range;

/* Running digests of one file's prefixes, for a document with several
 * signatures: each signature's first byte range is the file from offset 0
 * to its /Contents, and later signatures' prefixes contain earlier ones.
 * Hashing goes forward once per digest algorithm; each signature forks the
 * state at its own offset. A prefix shorter than one already passed is
 * hashed on its own (correct, only slower). One verification, one thread. */
vbsig_prefix_memo *vbsig_prefix_memo_new(const uint8_t *base, size_t len, int release);
void vbsig_prefix_memo_free(vbsig_prefix_memo *m);
/* A digest context holding base[0..upto) under md, for the caller to
 * continue and free; NULL when the memo cannot serve it (the caller hashes
 * the range itself). */
EVP_MD_CTX *vbsig_prefix_memo_fork(vbsig_prefix_memo *m, const EVP_MD *md, const uint8_t *data, size_t upto);

/* Digest of the ranges one after the other, in bounded memory for ranges
 * marked release. VBSIG_E_CRYPTO when OpenSSL fails. */
int vbsig_cms_digest_ranges(const EVP_MD *md, const vbsig_cms_range *ranges, size_t count, uint8_t *out,
                            unsigned *out_len);
/* Hands hashed pages of a read-only file mapping back (cms_ranges.c). */
void vbsig_cms_release_pages(const uint8_t *from, const uint8_t *to);

/* Verifies the one SignerInfo of cms (any other count is a FORMAT_FAILURE
 * recorded in e) over the content given as ranges, or over its own
 * encapsulated content when ranges is NULL; the outcome lands in e. Only
 * VBSIG_E_NOMEM / VBSIG_E_LIMIT are errors. */
int vbsig_cms_verify_one(vbsig_ctx *ctx, CMS_ContentInfo *cms, const vbsig_cms_range *ranges, size_t range_count,
                         struct vbsig_sig_entry *e);

#endif
