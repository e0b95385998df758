/* Long-term validation data for XAdES and CAdES B-LT / B-LTA: the
 * certificates and revocation data that let a signature be validated with
 * no network years later, gathered with the same path building and
 * revocation code verification uses (the PAdES /DSS writer keeps its own
 * pools; both rest on vbsig_path_validate + vbsig_revocation_assess). */
#ifndef VBSIG_LT_COLLECT_H
#define VBSIG_LT_COLLECT_H

#include <openssl/x509.h>

#include "util/util.h"
#include "validate/validate.h"
#include "vbsig/cades.h" /* vbsig_level */
#include "vbsig/tsp.h"

enum { VBSIG_LT_CERT = 0, VBSIG_LT_OCSP = 1, VBSIG_LT_CRL = 2, VBSIG_LT_KINDS = 3 };

/* DER items by kind, each kept once (byte-identical items are merged). */
typedef struct vbsig_lt_data {
    vbsig_bytes *item[VBSIG_LT_KINDS];
    size_t count[VBSIG_LT_KINDS], cap[VBSIG_LT_KINDS];
    /* Set by the caller: 1 while collecting for a signature's signer (not
     * a timestamp's TSA), whose path must yield revocation data
     * (vbsig_lt_require_revocation); signature: vbsig_lt_collect_cms is
     * given the signature itself (its SignerInfos are signers). */
    int for_signer, signature;
} vbsig_lt_data;

/* The checks every extend function makes of its target: level B-LT or
 * B-LTA, and for B-LTA a timestamp authority. VBSIG_E_INVALID_ARG otherwise. */
int vbsig_lt_check_target(vbsig_level level, const vbsig_tsp_opts *tsp);

/* Extending: a signer's certificate path checked in e gave no revocation
 * data at all (its certificates name no source). VBSIG_E_UNAVAILABLE naming
 * the certificate, or with allow-lower-level VBSIG_OK and the context's
 * level warning set. what names the signature; OK when e has evidence. */
int vbsig_lt_require_revocation(vbsig_ctx *ctx, const vbsig_sig_entry *e, X509 *leaf, const char *what);

void vbsig_lt_data_init(vbsig_lt_data *d);
void vbsig_lt_data_free(vbsig_lt_data *d);
/* Adds a copy of der unless an equal item is there; at most 4096 per kind
 * (VBSIG_E_LIMIT beyond). */
int vbsig_lt_data_add(vbsig_lt_data *d, int kind, const uint8_t *der, size_t len);

/* The path of leaf (built from `pool`, the context's intermediates, the
 * cache and AIA) and the revocation data of every certificate below the
 * anchor, checked now. VBSIG_E_UNAVAILABLE when a status cannot be
 * obtained (responder down, no CRL), VBSIG_E_MALFORMED when no path can be
 * built; `what` names the signature in messages. */
int vbsig_lt_collect_cert(vbsig_ctx *ctx, X509 *leaf, STACK_OF(X509) *pool, const char *what, vbsig_lt_data *d);


/* Verification side: the revocation data a signature carries, lent to the
 * context for one verification (ctx->embedded) so revocation.c consults it
 * before the cache and the network. The bytes stay owned by d, which must
 * outlive the use; vbsig_lt_embed_end restores NULL. */
void vbsig_lt_embed_begin(vbsig_ctx *ctx, vbsig_lt_data *d, struct vbsig_rev_embedded *emb);
void vbsig_lt_embed_end(vbsig_ctx *ctx);

/* 1 when every piece of revocation evidence e relied on is one of d's
 * embedded items (e checked with the embedded data in place) and at least
 * one certificate's status was checked: what makes a signature B-LT. */
int vbsig_lt_evidence_embedded(const vbsig_sig_entry *e, const vbsig_lt_data *d);

#endif
