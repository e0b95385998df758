/* Private view of generic CMS (RFC 5652): parsing, signed attributes, the
 * ESS certificate binding, digests over byte ranges. Shared by CAdES, PAdES
 * and RFC 3161 tokens; it knows no signature format (cades/ builds on it,
 * never the reverse). */
#ifndef VBSIG_CMS_H
#define VBSIG_CMS_H

#include <openssl/cms.h>

#include <stddef.h>
#include <stdint.h>

#include "vbsig/ctx.h"
#include "vbsig/status.h"

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


#endif
