/* CAdES B-LTA: archive-time-stamp-v3 (ETSI EN 319 122-1 §5.5.2-5.5.3).
 *
 * What one archive timestamp covers — the token's messageImprint is the
 * hash (the token's own imprint algorithm) of the concatenation of:
 *   1. encapContentInfo.eContentType, as encoded (tag, length, value);
 *   2. the hash, same algorithm, of the signed content: the eContent
 *      OCTET STRING's value octets when attached; for a detached signature
 *      the data given, or, without it, the signer's messageDigest attribute
 *      when the signer's digest algorithm is the imprint's (it is that very
 *      hash);
 *   3. the SignerInfo's version, sid, digestAlgorithm, signedAttrs,
 *      signatureAlgorithm and signature fields, as encoded, in order;
 *   4. the ATSHashIndexV3 (DER) the token carries in its own SignerInfo's
 *      unsigned attribute ats-hash-index-v3 (0.4.0.19122.1.5):
 *        SEQUENCE { hashIndAlgorithm DEFAULT sha256 (written: left out),
 *                   certificatesHashIndex: SHA-256 of each CertificateChoices
 *                     element of SignedData.certificates,
 *                   crlsHashIndex: of each RevocationInfoChoice element of
 *                     SignedData.crls (an [1] other-format one with its tag),
 *                   unsignedAttrsHashIndex: for each unsigned attribute of
 *                     the SignerInfo and each of its values, the hash of
 *                     attrType's encoding followed by that value's encoding }.
 * Items added after the timestamp (fresh revocation data, a later archive
 * timestamp) are not covered and do not break it; every item the index
 * names must still be there, unchanged, when verifying. */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "cades/cades_lt.h"
#include "cms/cms_der_edit.h"
#include "crypto/crypto.h"
#include "tsp/tsp.h"

/* id-aa-ets-archiveTimestampV3, 0.4.0.1733.2.4 (EN 319 122-1 §5.5.3) */
static const uint8_t oid_ats_v3[6] = {0x04, 0x00, 0x8D, 0x45, 0x02, 0x04};
static const uint8_t oid_hash_index_v3[7] = {0x04, 0x00, 0x81, 0x95, 0x32, 0x01, 0x05};
static const uint8_t oid_message_digest[9] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x04};
#define MAX_ATS_PER_SIGNER 16

typedef struct si_parts {
    cms_der_elem f[6]; /* version, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature */
    int has_signed;
    cms_der_elem unsigned_attrs;
    int has_unsigned;
} si_parts;

static int split_signer_info(const cms_der_elem *si, si_parts *out)
{
    memset(out, 0, sizeof *out);
    cms_der_elem e[7];
    size_t n = 0;
    if (si->tag != 0x30 || cms_der_children(si, e, 7, &n) != 0 || n < 5)
        return -1;
    size_t i = 0;
    out->f[0] = e[i++];
    out->f[1] = e[i++];
    out->f[2] = e[i++];
    if (i < n && e[i].tag == 0xA0)
        out->f[3] = e[i++], out->has_signed = 1;
    if (i + 2 > n)
        return -1;
    out->f[4] = e[i++];
    out->f[5] = e[i++];
    if (i < n && e[i].tag == 0xA1)
        out->unsigned_attrs = e[i++], out->has_unsigned = 1;
    return i == n && out->f[0].tag == 0x02 && out->f[2].tag == 0x30 && out->f[4].tag == 0x30 && out->f[5].tag == 0x04
               ? 0
               : -1;
}

/* The SignerInfo rebuilt with `attrs` as its unsigned attributes. */
static int join_signer_info(const si_parts *p, cms_der_list *attrs, vbsig_bytes *out)
{
    vbsig_bytes c;
    vbsig_bytes_init(&c);
    vbsig_bytes_init(out);
    int rc = VBSIG_OK;
    for (int i = 0; rc == VBSIG_OK && i < 6; i++)
        if (i != 3 || p->has_signed)
            rc = vbsig_bytes_append(&c, p->f[i].p, p->f[i].len);
    if (rc == VBSIG_OK && attrs->count > 0)
        rc = cms_der_put_set(&c, 0xA1, attrs);
    if (rc == VBSIG_OK)
        rc = cms_der_put(out, 0x30, c.data, c.len);
    vbsig_bytes_free(&c);
    return rc;
}

/* Attribute ::= SEQUENCE { attrType, SET { value } } */
static int make_attr(const uint8_t *oid, size_t oid_len, const uint8_t *value, size_t value_len, vbsig_bytes *out)
{
    vbsig_bytes c, set;
    vbsig_bytes_init(&c);
    vbsig_bytes_init(&set);
    vbsig_bytes_init(out);
    int rc = cms_der_put(&c, 0x06, oid, oid_len);
    if (rc == VBSIG_OK)
        rc = cms_der_put(&set, 0x31, value, value_len);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(&c, set.data, set.len);
    if (rc == VBSIG_OK)
        rc = cms_der_put(out, 0x30, c.data, c.len);
    vbsig_bytes_free(&c);
    vbsig_bytes_free(&set);
    return rc;
}

/* SignerInfo with one more unsigned attribute. */
static int signer_info_add_attr(const si_parts *p, const vbsig_bytes *attr, vbsig_bytes *out)
{
    cms_der_list attrs = {0};
    int rc = p->has_unsigned ? cms_der_list_add_all(&attrs, &p->unsigned_attrs) : VBSIG_OK;
    if (rc == VBSIG_OK)
        rc = cms_der_list_add(&attrs, attr->data, attr->len);
    if (rc == VBSIG_OK)
        rc = join_signer_info(p, &attrs, out);
    cms_der_list_free(&attrs);
    return rc;
}

/* The elements of a SET or SEQUENCE's contents, in order, calling fn. */
typedef int (*elem_fn)(void *arg, const cms_der_elem *e);
static int each_elem(const cms_der_elem *set, elem_fn fn, void *arg)
{
    for (size_t off = 0; off < set->clen;) {
        cms_der_elem e;
        if (cms_der_read(set->c + off, set->clen - off, &e) != 0)
            return vbsig_fail(VBSIG_E_MALFORMED, _("the signature holds a SET that is not DER"));
        int rc = fn(arg, &e);
        if (rc != VBSIG_OK)
            return rc;
        off += e.len;
    }
    return VBSIG_OK;
}

/* ---- hashes of the items ---- */
typedef struct hash_list {
    const EVP_MD *md;
    vbsig_bytes octets; /* the OCTET STRINGs, encoded */
    uint8_t (*h)[EVP_MAX_MD_SIZE];
    size_t count;
    unsigned hlen;
} hash_list;

static int hash_parts(hash_list *l, const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c != NULL && EVP_DigestInit_ex(c, l->md, NULL) && EVP_DigestUpdate(c, a, an) &&
             (bn == 0 || EVP_DigestUpdate(c, b, bn)) && EVP_DigestFinal_ex(c, md, &mdlen);
    EVP_MD_CTX_free(c);
    if (!ok)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("hashing failed"));
    if (l->count >= 65536)
        return vbsig_fail(VBSIG_E_LIMIT, _("the signature holds too many items to index"));
    void *n = realloc(l->h, (l->count + 1) * sizeof *l->h);
    if (n == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    l->h = n;
    memset(l->h[l->count], 0, sizeof l->h[l->count]);
    memcpy(l->h[l->count++], md, mdlen);
    l->hlen = mdlen;
    return cms_der_put(&l->octets, 0x04, md, mdlen);
}

static int hash_elem(void *arg, const cms_der_elem *e)
{
    return hash_parts(arg, e->p, e->len, NULL, 0);
}

typedef struct attr_walk {
    hash_list *l;
    const cms_der_elem *type;
} attr_walk;

static int hash_attr_value(void *arg, const cms_der_elem *v)
{
    attr_walk *w = arg;
    return hash_parts(w->l, w->type->p, w->type->len, v->p, v->len);
}

static int hash_attr(void *arg, const cms_der_elem *attr)
{
    cms_der_elem type, values;
    if (attr->tag != 0x30 || cms_der_read(attr->c, attr->clen, &type) != 0 || type.tag != 0x06 ||
        cms_der_read(attr->c + type.len, attr->clen - type.len, &values) != 0 || values.tag != 0x31)
        return vbsig_fail(VBSIG_E_MALFORMED, _("an unsigned attribute of the signature is malformed"));
    attr_walk w = {arg, &type};
    return each_elem(&values, hash_attr_value, &w);
}

static void hash_list_free(hash_list *l)
{
    vbsig_bytes_free(&l->octets);
    free(l->h);
}

/* The three lists of the index over what sd and the SignerInfo hold now. */
typedef struct index_lists {
    hash_list certs, crls, attrs;
} index_lists;

static int index_lists_build(const EVP_MD *md, const cms_signed_data *sd, const si_parts *p, index_lists *x)
{
    memset(x, 0, sizeof *x);
    x->certs.md = x->crls.md = x->attrs.md = md;
    vbsig_bytes_init(&x->certs.octets);
    vbsig_bytes_init(&x->crls.octets);
    vbsig_bytes_init(&x->attrs.octets);
    int rc = sd->has_certs ? each_elem(&sd->certs, hash_elem, &x->certs) : VBSIG_OK;
    if (rc == VBSIG_OK && sd->has_crls)
        rc = each_elem(&sd->crls, hash_elem, &x->crls);
    if (rc == VBSIG_OK && p->has_unsigned)
        rc = each_elem(&p->unsigned_attrs, hash_attr, &x->attrs);
    return rc;
}

static void index_lists_free(index_lists *x)
{
    hash_list_free(&x->certs);
    hash_list_free(&x->crls);
    hash_list_free(&x->attrs);
}

/* ATSHashIndexV3 with the default SHA-256 (the field left out). */
static int index_encode(const index_lists *x, vbsig_bytes *out)
{
    vbsig_bytes c;
    vbsig_bytes_init(&c);
    vbsig_bytes_init(out);
    int rc = cms_der_put(&c, 0x30, x->certs.octets.data, x->certs.octets.len);
    if (rc == VBSIG_OK)
        rc = cms_der_put(&c, 0x30, x->crls.octets.data, x->crls.octets.len);
    if (rc == VBSIG_OK)
        rc = cms_der_put(&c, 0x30, x->attrs.octets.data, x->attrs.octets.len);
    if (rc == VBSIG_OK)
        rc = cms_der_put(out, 0x30, c.data, c.len);
    vbsig_bytes_free(&c);
    return rc;
}

/* messageDigest's value in the signed attributes, or NULL. */
static const cms_der_elem *message_digest(const si_parts *p, cms_der_elem *out)
{
    for (size_t off = 0; p->has_signed && off < p->f[3].clen;) {
        cms_der_elem attr, type, values;
        if (cms_der_read(p->f[3].c + off, p->f[3].clen - off, &attr) != 0)
            return NULL;
        off += attr.len;
        if (cms_der_read(attr.c, attr.clen, &type) != 0 ||
            cms_der_read(attr.c + type.len, attr.clen - type.len, &values) != 0)
            return NULL;
        if (type.clen == sizeof oid_message_digest && memcmp(type.c, oid_message_digest, type.clen) == 0 &&
            cms_der_read(values.c, values.clen, out) == 0 && out->tag == 0x04)
            return out;
    }
    return NULL;
}

/* 1 when the SignerInfo's digestAlgorithm is md. */
static int signer_uses(const si_parts *p, const EVP_MD *md)
{
    cms_der_elem oid;
    if (cms_der_read(p->f[2].c, p->f[2].clen, &oid) != 0 || oid.tag != 0x06)
        return 0;
    const unsigned char *q = oid.p;
    ASN1_OBJECT *o = d2i_ASN1_OBJECT(NULL, &q, (long)oid.len);
    int same = o != NULL && OBJ_obj2nid(o) == EVP_MD_get_type(md);
    ASN1_OBJECT_free(o);
    return same;
}

/* The messageImprint input described at the top, hashed with md. */
static int ats_imprint(const EVP_MD *md, const cms_signed_data *sd, const si_parts *p, const uint8_t *content,
                       size_t content_len, const vbsig_bytes *index, uint8_t *out, unsigned *out_len)
{
    cms_der_elem ctype, explicit0, octets, mdv;
    int has_content = 0;
    if (cms_der_read(sd->encap.c, sd->encap.clen, &ctype) != 0 || ctype.tag != 0x06)
        return vbsig_fail(VBSIG_E_MALFORMED, _("the signature's encapContentInfo is malformed"));
    if (ctype.len < sd->encap.clen) {
        if (cms_der_read(sd->encap.c + ctype.len, sd->encap.clen - ctype.len, &explicit0) != 0 || explicit0.tag != 0xA0 ||
            cms_der_read(explicit0.c, explicit0.clen, &octets) != 0 || octets.tag != 0x04)
            return vbsig_fail(VBSIG_E_MALFORMED, _("the signature's eContent is not one DER OCTET STRING"));
        has_content = 1;
    }
    uint8_t ch[EVP_MAX_MD_SIZE];
    unsigned chlen = 0;
    if (has_content || content != NULL) {
        const uint8_t *d = has_content ? octets.c : content;
        size_t n = has_content ? octets.clen : content_len;
        if (!EVP_Digest(d, n, ch, &chlen, md, NULL))
            return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("hashing failed"));
    } else if (signer_uses(p, md) && message_digest(p, &mdv) != NULL && mdv.clen <= sizeof ch) {
        memcpy(ch, mdv.c, mdv.clen);
        chlen = (unsigned)mdv.clen;
    } else {
        return vbsig_fail(VBSIG_E_INVALID_ARG,
                          _("a detached signature needs its data (--data) for an archive timestamp with another digest than its own"));
    }
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c != NULL && EVP_DigestInit_ex(c, md, NULL) && EVP_DigestUpdate(c, ctype.p, ctype.len) &&
             EVP_DigestUpdate(c, ch, chlen);
    for (int i = 0; ok && i < 6; i++)
        if (i != 3 || p->has_signed)
            ok = EVP_DigestUpdate(c, p->f[i].p, p->f[i].len);
    ok = ok && EVP_DigestUpdate(c, index->data, index->len) && EVP_DigestFinal_ex(c, out, out_len);
    EVP_MD_CTX_free(c);
    return ok ? VBSIG_OK : vbsig_fail_ssl(VBSIG_E_CRYPTO, _("hashing failed"));
}

/* The token with the hash index added to its SignerInfo's unsigned attributes. */
static int token_add_index(const uint8_t *tok, size_t tok_len, const vbsig_bytes *index, vbsig_bytes *out)
{
    cms_signed_data t;
    int rc = cms_der_split_signed_data(tok, tok_len, _("the archive timestamp token"), &t);
    cms_der_elem si;
    si_parts p;
    if (rc == VBSIG_OK && (cms_der_read(t.signer_infos.c, t.signer_infos.clen, &si) != 0 ||
                           si.len != t.signer_infos.clen || split_signer_info(&si, &p) != 0))
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("the archive timestamp token does not hold one SignerInfo"));
    vbsig_bytes attr, nsi, set;
    vbsig_bytes_init(&attr);
    vbsig_bytes_init(&nsi);
    vbsig_bytes_init(&set);
    if (rc == VBSIG_OK)
        rc = make_attr(oid_hash_index_v3, sizeof oid_hash_index_v3, index->data, index->len, &attr);
    if (rc == VBSIG_OK)
        rc = signer_info_add_attr(&p, &attr, &nsi);
    if (rc == VBSIG_OK)
        rc = cms_der_put(&set, 0x31, nsi.data, nsi.len);
    if (rc == VBSIG_OK)
        rc = cms_der_join_new_signers(&t, &set, out);
    vbsig_bytes_free(&attr);
    vbsig_bytes_free(&nsi);
    vbsig_bytes_free(&set);
    return rc;
}

/* The signerInfos SET with element `which` replaced, order kept. */
static int replace_signer(const cms_signed_data *sd, size_t which, const vbsig_bytes *nsi, vbsig_bytes *out)
{
    vbsig_bytes c;
    vbsig_bytes_init(&c);
    vbsig_bytes_init(out);
    int rc = VBSIG_OK;
    size_t i = 0;
    for (size_t off = 0; rc == VBSIG_OK && off < sd->signer_infos.clen; i++) {
        cms_der_elem e;
        if (cms_der_read(sd->signer_infos.c + off, sd->signer_infos.clen - off, &e) != 0)
            return vbsig_fail(VBSIG_E_MALFORMED, _("the signature's signerInfos are not DER"));
        rc = i == which ? vbsig_bytes_append(&c, nsi->data, nsi->len) : vbsig_bytes_append(&c, e.p, e.len);
        off += e.len;
    }
    if (rc == VBSIG_OK)
        rc = cms_der_put(out, 0x31, c.data, c.len);
    vbsig_bytes_free(&c);
    return rc;
}

/* SignerInfo number `which` of the DER signature: its parts. */
static int nth_signer(const cms_signed_data *sd, size_t which, si_parts *p)
{
    size_t i = 0;
    for (size_t off = 0; off < sd->signer_infos.clen; i++) {
        cms_der_elem e;
        if (cms_der_read(sd->signer_infos.c + off, sd->signer_infos.clen - off, &e) != 0)
            break;
        if (i == which)
            return split_signer_info(&e, p) == 0 ? 1 : -1;
        off += e.len;
    }
    return 0;
}

/* One signer's archive timestamp: der in, out the signature with it. */
static int ats_one(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const uint8_t *der, size_t len, size_t which,
                   vbsig_bytes *out)
{
    cms_signed_data sd;
    si_parts p;
    int rc = cms_der_split_signed_data(der, len, _("signature"), &sd);
    if (rc == VBSIG_OK && nth_signer(&sd, which, &p) != 1)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("signer %zu of the signature is malformed"), which + 1);
    if (rc != VBSIG_OK)
        return rc;
    index_lists x;
    vbsig_bytes index, token2, attr, nsi, sis;
    vbsig_bytes_init(&index);
    vbsig_bytes_init(&token2);
    vbsig_bytes_init(&attr);
    vbsig_bytes_init(&nsi);
    vbsig_bytes_init(&sis);
    vbsig_buf token = {0};
    uint8_t imprint[EVP_MAX_MD_SIZE];
    unsigned ilen = 0;
    rc = index_lists_build(EVP_sha256(), &sd, &p, &x);
    if (rc == VBSIG_OK)
        rc = index_encode(&x, &index);
    const EVP_MD *md = vbsig_digest_md(tsp->digest);
    if (rc == VBSIG_OK && md == NULL)
        rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("the timestamp digest algorithm is not supported"));
    if (rc == VBSIG_OK)
        rc = ats_imprint(md, &sd, &p, NULL, 0, &index, imprint, &ilen);
    if (rc == VBSIG_OK)
        rc = vbsig_tsp_timestamp_digest(ctx, tsp, tsp->digest, imprint, ilen, &token);
    if (rc == VBSIG_OK)
        rc = token_add_index(token.data, token.len, &index, &token2);
    if (rc == VBSIG_OK)
        rc = make_attr(oid_ats_v3, sizeof oid_ats_v3, token2.data, token2.len, &attr);
    if (rc == VBSIG_OK)
        rc = signer_info_add_attr(&p, &attr, &nsi);
    if (rc == VBSIG_OK)
        rc = replace_signer(&sd, which, &nsi, &sis);
    if (rc == VBSIG_OK)
        rc = cms_der_join_new_signers(&sd, &sis, out);
    index_lists_free(&x);
    vbsig_buf_free(&token);
    vbsig_bytes_free(&index);
    vbsig_bytes_free(&token2);
    vbsig_bytes_free(&attr);
    vbsig_bytes_free(&nsi);
    vbsig_bytes_free(&sis);
    return rc;
}

int vbsig_cades_ats_add(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const uint8_t *der, size_t len, vbsig_lt_data *d,
                        vbsig_bytes *out)
{
    int rc = vbsig_tsp_opts_check(tsp);
    if (rc != VBSIG_OK)
        return rc;
    cms_signed_data sd;
    rc = cms_der_split_signed_data(der, len, _("signature"), &sd);
    size_t count = 0;
    si_parts p;
    while (rc == VBSIG_OK && nth_signer(&sd, count, &p) == 1)
        count++;
    vbsig_bytes cur;
    vbsig_bytes_init(&cur);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(&cur, der, len);
    for (size_t i = 0; rc == VBSIG_OK && i < count; i++) {
        vbsig_bytes next;
        rc = ats_one(ctx, tsp, cur.data, cur.len, i, &next);
        if (rc == VBSIG_OK) {
            vbsig_bytes_free(&cur);
            cur = next;
        }
    }
    /* The archive TSA's own validation data, after (and so outside) its
     * timestamp: the next renewal covers it. */
    if (rc == VBSIG_OK)
        rc = vbsig_lt_collect_cms(ctx, cur.data, cur.len, _("signature"), d);
    if (rc == VBSIG_OK)
        rc = vbsig_cades_lt_add_values(cur.data, cur.len, d, out);
    vbsig_bytes_free(&cur);
    return rc;
}

/* ---- verification ---- */

/* The ATSHashIndexV3 in the token's SignerInfo (exactly one), or -1. */
static int token_index(const uint8_t *tok, size_t tok_len, cms_der_elem *index)
{
    cms_signed_data t;
    cms_der_elem si;
    si_parts p;
    if (cms_der_split_signed_data(tok, tok_len, "token", &t) != VBSIG_OK) {
        vbsig_error_clear();
        return -1;
    }
    if (cms_der_read(t.signer_infos.c, t.signer_infos.clen, &si) != 0 || si.len != t.signer_infos.clen ||
        split_signer_info(&si, &p) != 0 || !p.has_unsigned)
        return -1;
    int found = 0;
    for (size_t off = 0; off < p.unsigned_attrs.clen;) {
        cms_der_elem attr, type, values;
        if (cms_der_read(p.unsigned_attrs.c + off, p.unsigned_attrs.clen - off, &attr) != 0 ||
            cms_der_read(attr.c, attr.clen, &type) != 0 ||
            cms_der_read(attr.c + type.len, attr.clen - type.len, &values) != 0)
            return -1;
        off += attr.len;
        if (type.clen == sizeof oid_hash_index_v3 && memcmp(type.c, oid_hash_index_v3, type.clen) == 0) {
            if (found++ || cms_der_read(values.c, values.clen, index) != 0 || index->len != values.clen ||
                index->tag != 0x30)
                return -1;
        }
    }
    return found == 1 ? 0 : -1;
}

/* Slots are zero-padded past the hash, so whole slots compare. */
static int hash_order(const void *a, const void *b)
{
    return memcmp(a, b, EVP_MAX_MD_SIZE);
}

/* 1 when every OCTET STRING of the index list `want` is one of `have`
 * (sorted here, then searched: an index of any size costs n log n). */
static int all_present(const cms_der_elem *want, hash_list *have)
{
    if (want->tag != 0x30)
        return 0;
    if (have->count > 1)
        qsort(have->h, have->count, sizeof *have->h, hash_order);
    for (size_t off = 0; off < want->clen;) {
        cms_der_elem h;
        if (cms_der_read(want->c + off, want->clen - off, &h) != 0 || h.tag != 0x04 || h.clen != have->hlen)
            return 0;
        off += h.len;
        uint8_t key[EVP_MAX_MD_SIZE] = {0};
        memcpy(key, h.c, h.clen);
        if (have->count == 0 || bsearch(key, have->h, have->count, sizeof *have->h, hash_order) == NULL)
            return 0;
    }
    return 1;
}

/* The index's algorithm and lists; 0 when well formed. */
static int index_parse(const cms_der_elem *index, const EVP_MD **md, cms_der_elem lists[3])
{
    cms_der_elem e[4];
    size_t n = 0;
    if (cms_der_children(index, e, 4, &n) != 0 || n < 3)
        return -1;
    *md = EVP_sha256();
    if (n == 4) {
        cms_der_elem oid;
        if (cms_der_read(e[0].c, e[0].clen, &oid) != 0 || oid.tag != 0x06)
            return -1;
        const unsigned char *q = oid.p;
        ASN1_OBJECT *o = d2i_ASN1_OBJECT(NULL, &q, (long)oid.len);
        *md = o != NULL ? EVP_get_digestbyobj(o) : NULL;
        ASN1_OBJECT_free(o);
        if (*md == NULL)
            return -1;
    }
    for (int i = 0; i < 3; i++)
        lists[i] = e[n - 3 + (size_t)i];
    return 0;
}

static void judge_ats(vbsig_ctx *ctx, const cms_signed_data *sd, const si_parts *p, const cms_der_elem *tok,
                      const uint8_t *content, size_t content_len, vbsig_tsp_result *res)
{
    memset(res, 0, sizeof *res);
    cms_der_elem index, lists[3];
    const EVP_MD *imd = NULL;
    index_lists have;
    memset(&have, 0, sizeof have);
    const char *why = NULL;
    if (token_index(tok->p, tok->len, &index) != 0 || index_parse(&index, &imd, lists) != 0)
        why = _("the archive timestamp carries no readable ats-hash-index-v3");
    else if (index_lists_build(imd, sd, p, &have) != VBSIG_OK)
        why = vbsig_last_error();
    else if (!all_present(&lists[0], &have.certs) || !all_present(&lists[1], &have.crls) ||
             !all_present(&lists[2], &have.attrs))
        why = _("an item the archive timestamp covers (certificate, revocation data or unsigned attribute) was changed or removed");
    if (why != NULL) {
        res->indication = VBSIG_TOTAL_FAILED;
        res->subindication = "HASH_FAILURE";
        snprintf(res->message, sizeof res->message, "%s", why);
        index_lists_free(&have);
        return;
    }
    index_lists_free(&have);
    vbsig_digest_alg alg = VBSIG_DIGEST_SHA256;
    uint8_t imprint[EVP_MAX_MD_SIZE];
    unsigned ilen = 0;
    vbsig_bytes idx = {(uint8_t *)index.p, index.len, index.len};
    const EVP_MD *md = NULL;
    if (vbsig_tsp_token_digest_alg(tok->p, tok->len, &alg) != VBSIG_OK || (md = vbsig_digest_md(alg)) == NULL ||
        ats_imprint(md, sd, p, content, content_len, &idx, imprint, &ilen) != VBSIG_OK)
        ilen = 0;
    if (vbsig_tsp_token_check(ctx, tok->p, tok->len, alg, imprint, ilen, 1, res) != VBSIG_OK) {
        res->indication = VBSIG_INDETERMINATE;
        snprintf(res->message, sizeof res->message, "%s", vbsig_last_error());
    }
    ERR_clear_error();
}

void vbsig_cades_ats_check(vbsig_ctx *ctx, const uint8_t *der, size_t len, const uint8_t *sigval, size_t sigval_len,
                           const uint8_t *content, size_t content_len, vbsig_sig_entry *e)
{
    cms_signed_data sd;
    if (cms_der_split_signed_data(der, len, "signature", &sd) != VBSIG_OK) {
        vbsig_error_clear();
        return;
    }
    si_parts p;
    int found = 0;
    for (size_t i = 0; !found && nth_signer(&sd, i, &p) == 1; i++)
        found = p.f[5].clen == sigval_len && memcmp(p.f[5].c, sigval, sigval_len) == 0;
    if (!found || !p.has_unsigned)
        return;
    int seen = 0, passed = 0;
    for (size_t off = 0; off < p.unsigned_attrs.clen && seen < MAX_ATS_PER_SIGNER;) {
        cms_der_elem attr, type, values;
        if (cms_der_read(p.unsigned_attrs.c + off, p.unsigned_attrs.clen - off, &attr) != 0 ||
            cms_der_read(attr.c, attr.clen, &type) != 0 ||
            cms_der_read(attr.c + type.len, attr.clen - type.len, &values) != 0)
            break;
        off += attr.len;
        if (!vbsig_cms_is_ats_v3(type.c, type.clen))
            continue;
        for (size_t voff = 0; voff < values.clen && seen < MAX_ATS_PER_SIGNER; seen++) {
            cms_der_elem tok;
            if (cms_der_read(values.c + voff, values.clen - voff, &tok) != 0)
                break;
            voff += tok.len;
            vbsig_tsp_result res;
            judge_ats(ctx, &sd, &p, &tok, content, content_len, &res);
            vbsig_tsp_archive_record(e, &res);
            if (res.indication == VBSIG_TOTAL_PASSED) {
                passed++;
            } else {
                vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "SIG_CONSTRAINTS_FAILURE");
                vbsig_entry_note(e, _("archive timestamp %d is not valid: %s — %s"), seen + 1,
                                 res.subindication != NULL ? res.subindication : "?", res.message);
            }
            vbsig_tsp_result_clear(&res);
        }
    }
    if (passed > 0 && passed == seen && e->level != NULL && strcmp(e->level, "B-LT") == 0)
        e->level = "B-LTA";
}
