/* Minimal DER reading and writing for editing a SignedData in place of
 * OpenSSL's re-encoder: the unsigned parts (certificates, crls, unsigned
 * attributes) are rebuilt while every signed byte is copied as it is. Only
 * what DER allows is read: low tag numbers, definite lengths. */
#ifndef VBSIG_CMS_DER_EDIT_H
#define VBSIG_CMS_DER_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

typedef struct cms_der_elem {
    uint8_t tag;
    const uint8_t *p;   /* the whole element: header and contents */
    size_t len;
    const uint8_t *c;   /* the contents */
    size_t clen;
} cms_der_elem;

/* Reads the element at p (n bytes available). 0 on success, -1 when it is
 * not one DER element fitting in n. */
int cms_der_read(const uint8_t *p, size_t n, cms_der_elem *out);
/* The elements inside parent's contents, into e[0..max-1], their number in
 * *n. 0 on success; -1 when one is malformed or there are more than max. */
int cms_der_children(const cms_der_elem *parent, cms_der_elem *e, size_t max, size_t *n);

/* Appends tag, length, and contents. */
int cms_der_put(vbsig_bytes *b, uint8_t tag, const uint8_t *c, size_t clen);

/* A DER SET: the elements (each a complete encoding) sorted as X.690
 * §11.6 requires, under the given tag (0x31, or 0xA0/0xA1 for IMPLICIT). */
typedef struct cms_der_list {
    vbsig_bytes *items;
    size_t count, cap;
} cms_der_list;
int cms_der_list_add(cms_der_list *l, const uint8_t *p, size_t n);   /* equal items kept once */
int cms_der_list_add_all(cms_der_list *l, const cms_der_elem *set);  /* the elements of a SET */
int cms_der_put_set(vbsig_bytes *b, uint8_t tag, cms_der_list *l);
void cms_der_list_free(cms_der_list *l);

/* The parts of a ContentInfo holding a SignedData (RFC 5652 §5.1). */
typedef struct cms_signed_data {
    cms_der_elem content_type, version, digest_algs, encap, certs, crls, signer_infos;
    int has_certs, has_crls;
} cms_signed_data;
/* VBSIG_E_MALFORMED naming `what` when der is not a DER SignedData. */
int cms_der_split_signed_data(const uint8_t *der, size_t len, const char *what, cms_signed_data *out);
/* The ContentInfo again from parts; version, certs, crls and signer_infos
 * given as complete encodings (certs/crls may be empty: left out). */
int cms_der_join_signed_data(const cms_signed_data *sd, const vbsig_bytes *version, const vbsig_bytes *certs,
                             const vbsig_bytes *crls, const vbsig_bytes *signer_infos, vbsig_bytes *out);
/* The same with sd's own version, certificates and CRLs: only the
 * SignerInfos (a complete SET encoding) change. */
int cms_der_join_new_signers(const cms_signed_data *sd, const vbsig_bytes *signer_infos, vbsig_bytes *out);

/* id-ri-ocsp-response (RFC 5940), DER of the OID's contents. */
extern const uint8_t cms_oid_ri_ocsp[8];

#endif
