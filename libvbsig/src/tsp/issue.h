/* Private view of RFC 3161 issuing (vbsig/tsp_issue.h): a small DER
 * writer and the TimeStampToken builder the issuer signs with. */
#ifndef VBSIG_TSP_ISSUE_PRIV_H
#define VBSIG_TSP_ISSUE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/crypto.h>
#include <openssl/x509.h>

#include "util/util.h"
#include "vbsig/tsp_issue.h"

/* ---- DER output (issue_der.c) ----
 * Structures are built inside out: the content first, then
 * vbsig__der_out_wrap() puts the tag and length in front. After an
 * allocation failure `failed` is set and every further call does nothing,
 * so a builder checks once at the end. */
typedef struct vbsig_der_out {
    uint8_t *p;
    size_t len, cap;
    int failed;
} vbsig_der_out;
void vbsig__der_out_free(vbsig_der_out *d);
void vbsig__der_out_put(vbsig_der_out *d, const void *p, size_t n);
void vbsig__der_out_append(vbsig_der_out *d, const vbsig_der_out *other);
/* Appends tag, length and content. */
void vbsig__der_out_tlv(vbsig_der_out *d, uint8_t tag, const void *content, size_t n);
/* Puts tag and length in front of everything in d. */
void vbsig__der_out_wrap(vbsig_der_out *d, uint8_t tag);
/* An unsigned number as INTEGER-like content under tag. */
void vbsig__der_out_uint(vbsig_der_out *d, uint8_t tag, uint64_t v);
/* Appends the i2d encoding of an OpenSSL object. */
#define VBSIG_DER_OUT_I2D(d, fn, obj)                                                             \
    do {                                                                                          \
        unsigned char *der_ = NULL;                                                               \
        int n_ = fn((obj), &der_);                                                                \
        if (n_ <= 0)                                                                              \
            (d)->failed = 1;                                                                      \
        else                                                                                      \
            vbsig__der_out_put((d), der_, (size_t)n_);                                            \
        OPENSSL_free(der_);                                                                       \
    } while (0)

/* ---- the TimeStampToken (issue_token.c) ----
 * Read-only once made. on_signature (may be NULL) is told the status of
 * every signature. */
typedef struct vbsig_token_builder vbsig_token_builder;
int vbsig__token_builder_new(vbsig_token_builder **out, vbsig_signer *signer, vbsig_tsp_signed_cb on_signature,
                             void *on_signature_data);
void vbsig__token_builder_free(vbsig_token_builder *b);
/* A ContentInfo/SignedData over the DER TSTInfo tst, appended to token;
 * with_certs adds the TSA certificate and the chain (certReq). */
int vbsig__token_build(const vbsig_token_builder *b, const uint8_t *tst, size_t tst_len, int with_certs,
                       vbsig_der_out *token);

#endif
