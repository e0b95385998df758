/* DER reading and writing for the SignedData editor (cms_der_edit.h). */
#include <stdlib.h>
#include <string.h>

#include "cms/cms_der_edit.h"

const uint8_t cms_oid_ri_ocsp[8] = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x10, 0x02};

int cms_der_read(const uint8_t *p, size_t n, cms_der_elem *out)
{
    if (n < 2 || (p[0] & 0x1F) == 0x1F)
        return -1;
    size_t hdr = 2, len = p[1];
    if (len & 0x80) {
        size_t k = len & 0x7F;
        if (k == 0 || k > 4 || n < 2 + k || p[2] == 0)
            return -1; /* indefinite, too long, or not minimal */
        len = 0;
        for (size_t i = 0; i < k; i++)
            len = (len << 8) | p[2 + i];
        if (len < 128)
            return -1;
        hdr += k;
    }
    if (len > n - hdr)
        return -1;
    out->tag = p[0];
    out->p = p;
    out->len = hdr + len;
    out->c = p + hdr;
    out->clen = len;
    return 0;
}

int cms_der_children(const cms_der_elem *parent, cms_der_elem *e, size_t max, size_t *n)
{
    size_t off = 0;
    *n = 0;
    while (off < parent->clen && *n < max) {
        if (cms_der_read(parent->c + off, parent->clen - off, &e[*n]) != 0)
            return -1;
        off += e[(*n)++].len;
    }
    return off == parent->clen ? 0 : -1;
}

int cms_der_put(vbsig_bytes *b, uint8_t tag, const uint8_t *c, size_t clen)
{
    uint8_t h[6];
    size_t hn = 0;
    h[hn++] = tag;
    if (clen < 128) {
        h[hn++] = (uint8_t)clen;
    } else {
        if (clen > 0xFFFFFFFFu)
            return vbsig_fail(VBSIG_E_LIMIT, _("a DER element is too long"));
        size_t k = clen > 0xFFFFFF ? 4 : clen > 0xFFFF ? 3 : clen > 0xFF ? 2 : 1;
        h[hn++] = (uint8_t)(0x80 | k);
        for (size_t i = k; i > 0; i--)
            h[hn++] = (uint8_t)(clen >> (8 * (i - 1)));
    }
    int rc = vbsig_bytes_append(b, h, hn);
    return rc == VBSIG_OK && clen > 0 ? vbsig_bytes_append(b, c, clen) : rc;
}

int cms_der_list_add(cms_der_list *l, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].len == n && memcmp(l->items[i].data, p, n) == 0)
            return VBSIG_OK;
    if (l->count == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        vbsig_bytes *m = realloc(l->items, cap * sizeof *m);
        if (m == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        l->items = m;
        l->cap = cap;
    }
    vbsig_bytes_init(&l->items[l->count]);
    int rc = vbsig_bytes_append(&l->items[l->count], p, n);
    if (rc != VBSIG_OK) {
        vbsig_bytes_free(&l->items[l->count]);
        return rc;
    }
    l->count++;
    return VBSIG_OK;
}

int cms_der_list_add_all(cms_der_list *l, const cms_der_elem *set)
{
    size_t off = 0;
    while (off < set->clen) {
        cms_der_elem e;
        if (cms_der_read(set->c + off, set->clen - off, &e) != 0)
            return vbsig_fail(VBSIG_E_MALFORMED, _("a SET in the signature is not DER"));
        int rc = cms_der_list_add(l, e.p, e.len);
        if (rc != VBSIG_OK)
            return rc;
        off += e.len;
    }
    return VBSIG_OK;
}

/* X.690 §11.6: ascending order of the encodings, the shorter one padded
 * with zero octets at its end. */
static int set_order(const void *a, const void *b)
{
    const vbsig_bytes *x = a, *y = b;
    size_t m = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->data, y->data, m);
    if (c != 0)
        return c;
    const vbsig_bytes *longer = x->len > y->len ? x : y;
    for (size_t i = m; i < longer->len; i++)
        if (longer->data[i] != 0)
            return longer == x ? 1 : -1;
    return 0;
}

int cms_der_put_set(vbsig_bytes *b, uint8_t tag, cms_der_list *l)
{
    if (l->count > 1)
        qsort(l->items, l->count, sizeof *l->items, set_order);
    vbsig_bytes c;
    vbsig_bytes_init(&c);
    int rc = VBSIG_OK;
    for (size_t i = 0; rc == VBSIG_OK && i < l->count; i++)
        rc = vbsig_bytes_append(&c, l->items[i].data, l->items[i].len);
    if (rc == VBSIG_OK)
        rc = cms_der_put(b, tag, c.data, c.len);
    vbsig_bytes_free(&c);
    return rc;
}

void cms_der_list_free(cms_der_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        vbsig_bytes_free(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

static const uint8_t oid_signed_data[9] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02};

int cms_der_split_signed_data(const uint8_t *der, size_t len, const char *what, cms_signed_data *out)
{
    memset(out, 0, sizeof *out);
    cms_der_elem ci, explicit0, sd;
    if (cms_der_read(der, len, &ci) != 0 || ci.tag != 0x30 || ci.len != len ||
        cms_der_read(ci.c, ci.clen, &out->content_type) != 0 || out->content_type.tag != 0x06 ||
        out->content_type.clen != sizeof oid_signed_data ||
        memcmp(out->content_type.c, oid_signed_data, sizeof oid_signed_data) != 0)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: not a DER CMS SignedData"), what);
    size_t off = out->content_type.len;
    if (cms_der_read(ci.c + off, ci.clen - off, &explicit0) != 0 || explicit0.tag != 0xA0 ||
        cms_der_read(explicit0.c, explicit0.clen, &sd) != 0 || sd.tag != 0x30)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: not a DER CMS SignedData"), what);
    cms_der_elem parts[6];
    size_t count = 0;
    for (off = 0; off < sd.clen && count < 6; count++) {
        if (cms_der_read(sd.c + off, sd.clen - off, &parts[count]) != 0)
            return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the SignedData is not DER"), what);
        off += parts[count].len;
    }
    if (off != sd.clen || count < 4)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the SignedData does not have the fields RFC 5652 defines"), what);
    size_t i = 0;
    out->version = parts[i++];
    out->digest_algs = parts[i++];
    out->encap = parts[i++];
    if (i < count && parts[i].tag == 0xA0)
        out->certs = parts[i++], out->has_certs = 1;
    if (i < count && parts[i].tag == 0xA1)
        out->crls = parts[i++], out->has_crls = 1;
    if (i + 1 != count || parts[i].tag != 0x31 || out->version.tag != 0x02 || out->digest_algs.tag != 0x31 ||
        out->encap.tag != 0x30)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the SignedData does not have the fields RFC 5652 defines"), what);
    out->signer_infos = parts[i];
    return VBSIG_OK;
}

int cms_der_join_signed_data(const cms_signed_data *sd, const vbsig_bytes *version, const vbsig_bytes *certs,
                             const vbsig_bytes *crls, const vbsig_bytes *signer_infos, vbsig_bytes *out)
{
    vbsig_bytes body, ci;
    vbsig_bytes_init(&body);
    vbsig_bytes_init(&ci);
    int rc = vbsig_bytes_append(&body, version->data, version->len);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(&body, sd->digest_algs.p, sd->digest_algs.len);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(&body, sd->encap.p, sd->encap.len);
    if (rc == VBSIG_OK && certs->len > 0)
        rc = vbsig_bytes_append(&body, certs->data, certs->len);
    if (rc == VBSIG_OK && crls->len > 0)
        rc = vbsig_bytes_append(&body, crls->data, crls->len);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(&body, signer_infos->data, signer_infos->len);
    vbsig_bytes sdseq;
    vbsig_bytes_init(&sdseq);
    if (rc == VBSIG_OK)
        rc = cms_der_put(&sdseq, 0x30, body.data, body.len);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(&ci, sd->content_type.p, sd->content_type.len);
    if (rc == VBSIG_OK)
        rc = cms_der_put(&ci, 0xA0, sdseq.data, sdseq.len);
    vbsig_bytes_init(out);
    if (rc == VBSIG_OK)
        rc = cms_der_put(out, 0x30, ci.data, ci.len);
    if (rc != VBSIG_OK)
        vbsig_bytes_free(out);
    vbsig_bytes_free(&sdseq);
    vbsig_bytes_free(&body);
    vbsig_bytes_free(&ci);
    return rc;
}

int cms_der_join_new_signers(const cms_signed_data *sd, const vbsig_bytes *signer_infos, vbsig_bytes *out)
{
    vbsig_bytes version, certs, crls;
    vbsig_bytes_init(&version);
    vbsig_bytes_init(&certs);
    vbsig_bytes_init(&crls);
    int rc = vbsig_bytes_append(&version, sd->version.p, sd->version.len);
    if (rc == VBSIG_OK && sd->has_certs)
        rc = vbsig_bytes_append(&certs, sd->certs.p, sd->certs.len);
    if (rc == VBSIG_OK && sd->has_crls)
        rc = vbsig_bytes_append(&crls, sd->crls.p, sd->crls.len);
    if (rc == VBSIG_OK)
        rc = cms_der_join_signed_data(sd, &version, &certs, &crls, signer_infos, out);
    vbsig_bytes_free(&version);
    vbsig_bytes_free(&certs);
    vbsig_bytes_free(&crls);
    return rc;
}
