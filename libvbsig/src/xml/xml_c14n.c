/* Canonicalization straight into a digest: libxml2 writes the canonical
 * bytes to an output buffer whose callback feeds the digest, and a
 * visibility callback leaves out the enveloped Signature subtree, so no
 * node set and no intermediate copy of the document is ever built. */
#include <libxml/c14n.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>

#include "xml.h"
#include "crypto/crypto.h"
#include "util/util.h"

typedef struct visibility {
    xmlNodePtr top;     /* NULL: the whole document */
    xmlNodePtr exclude; /* NULL: nothing left out */
} visibility;

static int is_visible(void *user, xmlNodePtr node, xmlNodePtr parent)
{
    const visibility *v = user;
    /* Namespace nodes are not tree nodes: they belong to the element given. */
    const xmlNode *n = node == NULL || node->type == XML_NAMESPACE_DECL ? parent : node;
    if (n == NULL)
        return 1;
    int inside_top = v->top == NULL, inside_excluded = 0;
    for (const xmlNode *a = n; a != NULL; a = a->parent) {
        if (a == v->exclude)
            inside_excluded = 1;
        if (a == v->top)
            inside_top = 1;
    }
    return inside_top && !inside_excluded;
}

/* libxml2 prints canonicalization errors on stderr; a library must not. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Where the canonical bytes go: a digest, and optionally a byte count and
 * a copy (what a Reference signed, for the report and --signed-content). */
typedef struct tee {
    EVP_MD_CTX *md;
    size_t *count;
    vbsig_bytes *keep;
} tee;

static int tee_put(tee *t, const uint8_t *p, size_t n)
{
    if (EVP_DigestUpdate(t->md, p, n) != 1)
        return -1;
    if (t->count != NULL)
        *t->count += n;
    if (t->keep != NULL && vbsig_bytes_append(t->keep, p, n) != VBSIG_OK)
        return -1;
    return 0;
}

static int feed_digest(void *user, const char *buf, int len)
{
    return tee_put(user, (const uint8_t *)buf, (size_t)len) == 0 ? len : -1;
}

static int md_sink(void *user, const uint8_t *p, size_t n)
{
    return tee_put(user, p, n);
}

/* The common case (exclusive, no comments, no PrefixList) goes through our
 * own writer; when it meets something it does not model, the digest (and
 * the count and copy) is rewound and libxml2 canonicalizes instead. */
static int try_exclusive(xmlDocPtr doc, xmlNodePtr top, xmlNodePtr exclude, tee *t, int *done)
{
    *done = 0;
    EVP_MD_CTX *saved = EVP_MD_CTX_new();
    if (saved == NULL || EVP_MD_CTX_copy_ex(saved, t->md) != 1) {
        EVP_MD_CTX_free(saved);
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot copy a digest"));
    }
    size_t saved_count = t->count != NULL ? *t->count : 0;
    size_t saved_keep = t->keep != NULL ? t->keep->len : 0;
    int rc = vbsig_xml_c14n_exclusive(doc, top, exclude, md_sink, t);
    if (rc == VBSIG_OK) {
        *done = 1;
    } else if (rc == VBSIG_E_UNSUPPORTED) {
        rc = EVP_MD_CTX_copy_ex(t->md, saved) == 1 ? VBSIG_OK : vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot copy a digest"));
        if (t->count != NULL)
            *t->count = saved_count;
        if (t->keep != NULL)
            t->keep->len = saved_keep;
    } else if (rc == VBSIG_E_IO_WRITE) {
        rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot update a digest"));
    }
    EVP_MD_CTX_free(saved);
    return rc;
}

static int c14n_tee(xmlDocPtr doc, xmlNodePtr top, xmlNodePtr exclude, const vbsig_c14n_alg *alg, char **prefixes,
                    tee *t)
{
    if (alg->mode == XML_C14N_EXCLUSIVE_1_0 && !alg->with_comments && (prefixes == NULL || prefixes[0] == NULL)) {
        int done = 0;
        int rc = try_exclusive(doc, top, exclude, t, &done);
        if (rc != VBSIG_OK || done)
            return rc;
    }
    visibility v = {top != NULL && top->type == XML_DOCUMENT_NODE ? NULL : top, exclude};
    xmlOutputBufferPtr out = xmlOutputBufferCreateIO(feed_digest, NULL, t, NULL);
    if (out == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    /* The handler is per thread in libxml2; the caller's is restored. */
    xmlGenericErrorFunc saved = xmlGenericError;
    void *saved_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet);
    int n = xmlC14NExecute(doc, is_visible, &v, alg->mode, (xmlChar **)prefixes,
                           alg->with_comments, out);
    xmlSetGenericErrorFunc(saved_ctx, saved);
    int closed = xmlOutputBufferClose(out);
    if (n < 0 || closed < 0)
        return vbsig_fail(VBSIG_E_MALFORMED, _("the XML could not be canonicalized"));
    return VBSIG_OK;
}

int vbsig_xml_c14n_digest(xmlDocPtr doc, xmlNodePtr top, xmlNodePtr exclude,
                          const vbsig_c14n_alg *alg, char **prefixes, EVP_MD_CTX *md)
{
    tee t = {md, NULL, NULL};
    return c14n_tee(doc, top, exclude, alg, prefixes, &t);
}

int vbsig_xml_c14n_hash_ex(xmlDocPtr doc, xmlNodePtr top, xmlNodePtr exclude, const vbsig_c14n_alg *alg,
                           char **prefixes, vbsig_digest_alg dalg, uint8_t *out, size_t *out_len, size_t *count,
                           vbsig_bytes *keep)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (md == NULL || EVP_DigestInit_ex(md, vbsig_digest_md(dalg), NULL) != 1) {
        EVP_MD_CTX_free(md);
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot start a digest"));
    }
    tee t = {md, count, keep};
    int rc = c14n_tee(doc, top, exclude, alg, prefixes, &t);
    unsigned len = 0;
    if (rc == VBSIG_OK && EVP_DigestFinal_ex(md, out, &len) != 1)
        rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot finish a digest"));
    *out_len = len;
    EVP_MD_CTX_free(md);
    return rc;
}

int vbsig_xml_c14n_hash(xmlDocPtr doc, xmlNodePtr top, xmlNodePtr exclude,
                        const vbsig_c14n_alg *alg, char **prefixes, vbsig_digest_alg dalg,
                        uint8_t *out, size_t *out_len)
{
    return vbsig_xml_c14n_hash_ex(doc, top, exclude, alg, prefixes, dalg, out, out_len, NULL, NULL);
}
