#define _GNU_SOURCE /* memmem */
/* XMLDSig / XAdES B-B and B-T signing. Enveloped: the document digest is
 * taken from the parsed original; the Signature element is written as
 * text, its SignedProperties and SignedInfo canonicalized from a parse of
 * that text (exclusive C14N does not depend on where the element will
 * sit), and the finished element is inserted into the original bytes.
 * Enveloping: the root element's bytes go into a ds:Object of the
 * Signature, which becomes the document. Detached: the Signature alone,
 * over the data's exact bytes. */
#include <string.h>
#include <strings.h>

#include <libxml/c14n.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <openssl/rand.h>

#include "xml.h"
#include "crypto/crypto.h"
#include "validate/validate.h"
#include "vbsig/xades.h"

#define XML_MAX_SIGN_INPUT ((uint64_t)512 << 20)

void vbsig_xml_sign_opts_init(vbsig_xml_sign_opts *o)
{
    if (o == NULL)
        return;
    memset(o, 0, sizeof *o);
    o->version = VBSIG_XML_SIGN_OPTS_VERSION;
    o->xades = 1;
    o->digest = VBSIG_DIGEST_SHA256;
    o->include_chain = 1;
    o->verify_after_sign = 1;
}

typedef struct placement {
    xmlNodePtr top, parent;
    vbsig_xml_insertion at;
} placement;

typedef struct sign_state {
    vbsig_xml_template t;
    vbsig_c14n_alg c14n;
    /* For inclusive C14N, parts are canonicalized inside the document. */
    const uint8_t *doc;
    size_t doc_len;
    const placement *pl;
    char id[40];
    char object_uri[64];
    char time_text[32];
    char *b64[VBSIG_XML_MAX_KEYINFO_CERTS + 6];
    size_t b64_count;
    /* What was signed and the value as written, for the check after signing. */
    vbsig_xml_sigalg alg;
    uint8_t si_md[EVP_MAX_MD_SIZE];
    size_t si_mdlen;
    uint8_t value[VBSIG_MAX_SIGNATURE];
    size_t value_len;
} sign_state;

static int b64(sign_state *s, const uint8_t *p, size_t n, const char **out)
{
    char *text = NULL;
    size_t len;
    int rc = vbsig_base64_encode(p, n, &text, &len);
    if (rc != VBSIG_OK)
        return rc;
    s->b64[s->b64_count++] = text;
    *out = text;
    return VBSIG_OK;
}

static int cert_b64(sign_state *s, X509 *cert, const char **out)
{
    unsigned char *der = NULL;
    int len = i2d_X509(cert, &der);
    if (len <= 0)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot encode a certificate"));
    int rc = b64(s, der, (size_t)len, out);
    OPENSSL_free(der);
    return rc;
}

static int fill_identity(sign_state *s, vbsig_signer *signer, const vbsig_xml_sign_opts *o)
{
    int rc = cert_b64(s, signer->cert, &s->t.certs[0]);
    s->t.cert_count = 1;
    int chain = o->include_chain && signer->chain != NULL ? sk_X509_num(signer->chain) : 0;
    for (int i = 0; rc == VBSIG_OK && i < chain && s->t.cert_count < VBSIG_XML_MAX_KEYINFO_CERTS; i++) {
        X509 *c = sk_X509_value(signer->chain, i);
        if (X509_cmp(c, signer->cert) != 0)
            rc = cert_b64(s, c, &s->t.certs[s->t.cert_count++]);
    }
    if (rc != VBSIG_OK || !o->xades)
        return rc;
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    if (X509_digest(signer->cert, EVP_sha256(), md, &mdlen) != 1)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("cannot hash the signer certificate"));
    rc = b64(s, md, mdlen, &s->t.cert_digest);
    uint8_t *is = NULL;
    size_t is_len = 0;
    if (rc == VBSIG_OK)
        rc = vbsig_xml_issuer_serial_der(signer->cert, &is, &is_len);
    if (rc == VBSIG_OK)
        rc = b64(s, is, is_len, &s->t.issuer_serial);
    free(is);
    vbsig_time_format(o->signing_time != 0 ? o->signing_time : time(NULL), VBSIG_TZ_VIETNAM_MINUTES,
                      s->time_text);
    s->t.signing_time = s->time_text;
    return rc;
}

static int fresh_id(sign_state *s, const vbsig_xml_doc *d)
{
    /* Detached data is not parsed: nothing to collide with. */
    static const vbsig_xml_doc none;
    if (d == NULL)
        d = &none;
    for (int tries = 0; tries < 8; tries++) {
        uint8_t r[8];
        if (RAND_bytes(r, sizeof r) != 1)
            return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("no random bytes for the signature Id"));
        snprintf(s->id, sizeof s->id, "vbsig-%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3],
                 r[4], r[5], r[6], r[7]);
        char a[64], b[64], c[64];
        snprintf(a, sizeof a, "%s-ref0", s->id);
        snprintf(b, sizeof b, "%s-signedprops", s->id);
        snprintf(c, sizeof c, "%s-object", s->id);
        if (!vbsig_xml_id_lookup(d, s->id) && !vbsig_xml_id_lookup(d, a) && !vbsig_xml_id_lookup(d, b) &&
            !vbsig_xml_id_lookup(d, c)) {
            s->t.id = s->id;
            return VBSIG_OK;
        }
    }
    return vbsig_fail(VBSIG_E_INTERNAL, _("no unused signature Id was found"));
}

static int assemble(const uint8_t *p, size_t n, const placement *pl, const sign_state *s, vbsig_buf *out);

/* Writes the Signature (alone for exclusive C14N, in the document for the
 * inclusive forms, which inherit namespaces and xml:* attributes), parses
 * it and hashes the element with the given Id or, when id is NULL, the
 * SignedInfo. */
static int hash_part(const sign_state *s, const char *id, vbsig_digest_alg alg, uint8_t *md, size_t *mdlen)
{
    vbsig_buf text = {0};
    int rc;
    if (s->c14n.mode == XML_C14N_EXCLUSIVE_1_0) {
        vbsig_bytes b;
        vbsig_bytes_init(&b);
        rc = vbsig_xml_template_write(&s->t, &b);
        vbsig_bytes_to_buf(&b, &text);
    } else {
        rc = assemble(s->doc, s->doc_len, s->pl, s, &text);
    }
    vbsig_xml_doc frag;
    if (rc == VBSIG_OK)
        rc = vbsig_xml_parse(text.data, text.len, 0, "Signature", &frag);
    vbsig_buf_free(&text);
    if (rc != VBSIG_OK)
        return rc;
    xmlNodePtr node = vbsig_xml_id_lookup(&frag, id != NULL ? id : s->id);
    if (node != NULL && id == NULL)
        node = vbsig_xml_elem(node->children);
    if (node == NULL)
        rc = vbsig_fail(VBSIG_E_INTERNAL, _("the signature template lacks a part"));
    else
        rc = vbsig_xml_c14n_hash(frag.doc, node, NULL, &s->c14n, NULL, alg, md, mdlen);
    vbsig_xml_doc_clear(&frag);
    return rc;
}

static int check_opts(vbsig_ctx *ctx, const vbsig_xml_sign_opts *o, vbsig_signer *signer, vbsig_xml_sigalg *alg)
{
    if (o == NULL || o->version != VBSIG_XML_SIGN_OPTS_VERSION || signer == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_xml_sign: missing signer or options not initialised"));
    if (o->c14n != VBSIG_XML_C14N_EXCLUSIVE && o->c14n != VBSIG_XML_C14N_INCLUSIVE &&
        o->c14n != VBSIG_XML_C14N_INCLUSIVE_11)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown XML canonicalization %d"), (int)o->c14n);
    if (o->digest != VBSIG_DIGEST_SHA256 && o->digest != VBSIG_DIGEST_SHA384 && o->digest != VBSIG_DIGEST_SHA512)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("XML signatures are made with SHA-256, SHA-384 or SHA-512 only"));
    alg->key = vbsig_signer_key_type(signer);
    alg->digest = o->digest;
    alg->padding = signer->padding;
    if (vbsig_xml_sigalg_uri(alg) == NULL)
        return vbsig_fail(VBSIG_E_UNSUPPORTED, _("no XML signature algorithm for this key and digest"));
    if (o->mode != VBSIG_XML_ENVELOPED && o->mode != VBSIG_XML_ENVELOPING && o->mode != VBSIG_XML_DETACHED)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown XML signature mode %d"), (int)o->mode);
    if (o->mode != VBSIG_XML_ENVELOPED && (o->reference != NULL || o->parent_xpath != NULL))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("--xml-ref and --xml-parent apply to enveloped signatures only"));
    if (o->mode == VBSIG_XML_DETACHED && o->detached_name == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("a detached XML signature needs the data's file name"));
    if (o->tsp != NULL && !o->xades)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("a signature timestamp (B-T) needs XAdES; plain XMLDSig has no place for it"));
    if (o->tsp != NULL && ctx == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_xml_sign: a signature timestamp needs a context"));
    return vbsig_signer_check_usable(signer, 0);
}

static int check_own_signature(vbsig_ctx *ctx, const vbsig_xml_sign_opts *o, const uint8_t *in, size_t in_len,
                               const vbsig_buf *out, const char *id);
static int check_fresh_signature(const sign_state *s, vbsig_signer *signer, const placement *pl, const uint8_t *out,
                                 size_t out_len);

static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static int find_parent(const vbsig_xml_doc *d, const char *xpath, xmlNodePtr *out)
{
    /* libxml2 would print XPath syntax errors on stderr: the message below says it. */
    xmlGenericErrorFunc saved = xmlGenericError;
    void *saved_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet);
    xmlXPathContextPtr xc = xmlXPathNewContext(d->doc);
    xmlXPathObjectPtr res = xc != NULL ? xmlXPathEvalExpression((const xmlChar *)xpath, xc) : NULL;
    xmlSetGenericErrorFunc(saved_ctx, saved);
    int ok = res != NULL && res->type == XPATH_NODESET && res->nodesetval != NULL &&
             res->nodesetval->nodeNr == 1 && res->nodesetval->nodeTab[0]->type == XML_ELEMENT_NODE;
    if (ok)
        *out = res->nodesetval->nodeTab[0];
    xmlXPathFreeObject(res);
    xmlXPathFreeContext(xc);
    if (!ok)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the XPath '%s' does not select exactly one element"), xpath);
    return VBSIG_OK;
}

static int place(const vbsig_xml_doc *d, const vbsig_xml_sign_opts *o, const uint8_t *p, size_t n,
                 sign_state *s, placement *pl)
{
    pl->top = (xmlNodePtr)d->doc;
    s->t.ref_uri = "";
    if (o->reference != NULL) {
        if (o->reference[0] != '#' || (pl->top = vbsig_xml_id_lookup(d, o->reference + 1)) == NULL)
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("'%s' names no element with that Id, ID or xml:id"),
                              o->reference);
        s->t.ref_uri = o->reference;
    }
    pl->parent = xmlDocGetRootElement(d->doc);
    int rc = o->parent_xpath != NULL ? find_parent(d, o->parent_xpath, &pl->parent) : VBSIG_OK;
    if (rc != VBSIG_OK)
        return rc;
    s->t.enveloped = vbsig_xml_within(pl->parent, pl->top);
    return vbsig_xml_insertion_point(p, n, vbsig_xml_element_index(d->doc, pl->parent), &pl->at);
}

static int assemble(const uint8_t *p, size_t n, const placement *pl, const sign_state *s, vbsig_buf *out)
{
    out->data = NULL;
    out->len = 0;
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    if (pl == NULL) { /* enveloping or detached: the Signature is the document */
        int rc = vbsig_bytes_append_str(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        if (rc == VBSIG_OK)
            rc = vbsig_xml_template_write(&s->t, &b);
        if (rc == VBSIG_OK)
            rc = vbsig_bytes_append_str(&b, "\n");
        if (rc == VBSIG_OK)
            vbsig_bytes_to_buf(&b, out);
        vbsig_bytes_free(&b);
        return rc;
    }
    /* The document plus room for the Signature: one allocation, no regrowth
     * copying a large document again. */
    int rc = vbsig_bytes_reserve(&b, n + 16384 + VBSIG_XML_MAX_KEYINFO_CERTS * 4096);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(&b, p, pl->at.offset);
    if (rc == VBSIG_OK && pl->at.empty)
        rc = vbsig_bytes_append_str(&b, ">");
    if (rc == VBSIG_OK)
        rc = vbsig_xml_template_write(&s->t, &b);
    size_t rest = pl->at.offset;
    if (rc == VBSIG_OK && pl->at.empty) {
        rc = vbsig_bytes_printf(&b, "</%.*s>", (int)pl->at.name_len, pl->at.name);
        rest += 2; /* the "/>" now written as ">" … "</name>" */
    }
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append(&b, p + rest, n - rest);
    if (rc == VBSIG_OK)
        vbsig_bytes_to_buf(&b, out);
    vbsig_bytes_free(&b);
    return rc;
}

/* What the first Reference covers and its digest, per mode. */
static int digest_data(const vbsig_xml_sign_opts *o, const uint8_t *p, size_t n, vbsig_xml_doc *d, sign_state *s,
                       placement *pl, char **uri)
{
    uint8_t md[EVP_MAX_MD_SIZE];
    size_t mdlen = 0;
    int rc;
    if (o->mode == VBSIG_XML_DETACHED) {
        s->t.external = 1;
        s->t.mime_type = "application/octet-stream";
        rc = vbsig_xml_uri_from_name(o->detached_name, uri);
        s->t.ref_uri = *uri;
        if (rc == VBSIG_OK)
            rc = vbsig_digest_bytes(o->digest, p, n, md, &mdlen);
    } else if (o->mode == VBSIG_XML_ENVELOPING) {
        size_t start = 0, end = 0;
        rc = vbsig_xml_root_span(p, n, &start, &end);
        s->t.object = p + start;
        s->t.object_len = end - start;
        snprintf(s->object_uri, sizeof s->object_uri, "#%s-object", s->id);
        s->t.ref_uri = s->object_uri;
        /* The Object is digested as it stands in the Signature. */
        if (rc == VBSIG_OK)
            rc = hash_part(s, s->object_uri + 1, o->digest, md, &mdlen);
    } else {
        /* The signature is not in the document yet: nothing to leave out. */
        rc = vbsig_xml_c14n_hash(d->doc, pl->top, NULL, &s->c14n, NULL, o->digest, md, &mdlen);
    }
    if (rc == VBSIG_OK)
        rc = b64(s, md, mdlen, &s->t.doc_digest);
    return rc;
}

static int add_timestamp(vbsig_ctx *ctx, const vbsig_xml_sign_opts *o, sign_state *s)
{
    vbsig_buf token = {0};
    int rc = vbsig_xml_signature_timestamp(ctx, o->tsp, s->t.signature_value, &token);
    if (rc == VBSIG_OK)
        rc = b64(s, token.data, token.len, &s->t.timestamp);
    vbsig_buf_free(&token);
    return rc;
}

/* The caller's options in the current layout: version 1 ends before
 * `level`, and a TSA without a level means B-T (as in version 1). */
static int normalize_opts(const vbsig_xml_sign_opts *given, vbsig_xml_sign_opts *o)
{
    if (given == NULL || (given->version != 1 && given->version != VBSIG_XML_SIGN_OPTS_VERSION))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_xml_sign: missing signer or options not initialised"));
    vbsig_xml_sign_opts_init(o);
    memcpy(o, given, given->version == 1 ? offsetof(vbsig_xml_sign_opts, level) : sizeof *o);
    o->version = VBSIG_XML_SIGN_OPTS_VERSION;
    if (o->level == VBSIG_LEVEL_B_B && o->tsp != NULL)
        o->level = VBSIG_LEVEL_B_T;
    if (o->level != VBSIG_LEVEL_B_B && o->level != VBSIG_LEVEL_B_T && o->level != VBSIG_LEVEL_B_LT &&
        o->level != VBSIG_LEVEL_B_LTA)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown signature level %d"), (int)o->level);
    if (o->level != VBSIG_LEVEL_B_B && o->tsp == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("level B-T needs a timestamp authority (--tsa URL)"));
    return VBSIG_OK;
}

/* B-LT / B-LTA: the B-T signature just made, extended in memory. */
static int extend_made(vbsig_ctx *ctx, const vbsig_xml_sign_opts *o, const uint8_t *p, size_t n, vbsig_buf *out)
{
    vbsig_buf ext = {0};
    vbsig_xml_extend_opts eo;
    vbsig_xml_extend_opts_init(&eo);
    eo.level = o->level;
    eo.tsp = o->tsp;
    int rc = o->mode == VBSIG_XML_DETACHED
                 ? vbsig_xml_extend_detached(ctx, &eo, out->data, out->len, p, n, o->detached_name, &ext)
                 : vbsig_xml_extend(ctx, &eo, out->data, out->len, &ext);
    vbsig_buf_free(out);
    if (rc == VBSIG_OK)
        *out = ext;
    return rc;
}

struct vbsig_xml_pending {
    vbsig_ctx *ctx;
    vbsig_signer *signer;      /* its certificate checks the value in finish */
    vbsig_xml_sign_opts o;     /* normalized; its strings are the caller's */
    uint8_t *in;               /* a copy of the document or detached data */
    size_t in_len;
    vbsig_xml_doc d;
    sign_state s;
    placement pl;
    char *uri;
    vbsig_xml_sigalg alg;
    vbsig_sign_request req;
    int finished;
};

void vbsig_xml_pending_free(vbsig_xml_pending *x)
{
    if (x == NULL)
        return;
    for (size_t i = 0; i < x->s.b64_count; i++)
        free(x->s.b64[i]);
    free(x->uri);
    vbsig_xml_doc_clear(&x->d);
    vbsig_wipe(x->s.si_md, sizeof x->s.si_md);
    free(x->in);
    free(x);
}

const vbsig_sign_request *vbsig_xml_pending_request(const vbsig_xml_pending *x)
{
    return x != NULL ? &x->req : NULL;
}

/* Everything up to the digest of SignedInfo (o normalized). */
static int prepare_on(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_xml_sign_opts *o, const uint8_t *data,
                      size_t n, vbsig_xml_pending **out)
{
    *out = NULL;
    int loaded = vbsig_xml_require(); /* before the first libxml2 call below */
    if (loaded != VBSIG_OK)
        return loaded;
    vbsig_xml_sigalg alg;
    int rc = check_opts(ctx, o, signer, &alg);
    if (rc != VBSIG_OK)
        return rc;
    uint64_t max = ctx != NULL ? vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_INPUT_SIZE) : XML_MAX_SIGN_INPUT;
    if (max == 0 || max > XML_MAX_SIGN_INPUT)
        max = XML_MAX_SIGN_INPUT;
    int detached = o->mode == VBSIG_XML_DETACHED;
    if (detached && n > max)
        return vbsig_fail(VBSIG_E_LIMIT, _("the data to sign is larger than the limit (%llu bytes)"),
                          (unsigned long long)max);
    vbsig_xml_pending *x = calloc(1, sizeof *x);
    if (x == NULL || (n > 0 && (x->in = malloc(n)) == NULL)) {
        free(x);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    if (n > 0)
        memcpy(x->in, data, n);
    x->in_len = n;
    x->ctx = ctx;
    x->signer = signer;
    x->o = *o;
    x->alg = alg;
    const uint8_t *p = x->in;
    vbsig_xml_doc *d = &x->d;
    sign_state *st = &x->s;
    placement *pl = &x->pl;
    /* Detached data may be anything: it is digested, never parsed. */
    if (!detached)
        rc = vbsig_xml_parse(p, n, max, _("the document to sign"), d);
    if (rc == VBSIG_OK && d->duplicate_id != NULL)
        rc = vbsig_fail(VBSIG_E_REFUSED, _("the document to sign uses the ID '%s' twice"), d->duplicate_id);
    else if (rc == VBSIG_OK && !detached && d->doc->encoding != NULL &&
             strcasecmp((const char *)d->doc->encoding, "UTF-8") != 0)
        rc = vbsig_fail(VBSIG_E_UNSUPPORTED, _("only UTF-8 XML documents can be signed (this one is %s)"),
                        (const char *)d->doc->encoding);
    if (rc == VBSIG_OK && o->mode == VBSIG_XML_ENVELOPED)
        rc = place(d, &x->o, p, n, st, pl);
    if (rc == VBSIG_OK)
        rc = fresh_id(st, detached ? NULL : d);
    st->t.xades = o->xades;
    st->c14n.mode = o->c14n == VBSIG_XML_C14N_INCLUSIVE      ? XML_C14N_1_0
                    : o->c14n == VBSIG_XML_C14N_INCLUSIVE_11 ? XML_C14N_1_1
                                                             : XML_C14N_EXCLUSIVE_1_0;
    st->t.c14n_uri = o->c14n == VBSIG_XML_C14N_INCLUSIVE      ? "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
                     : o->c14n == VBSIG_XML_C14N_INCLUSIVE_11 ? "http://www.w3.org/2006/12/xml-c14n11"
                                                              : VBSIG_NS_EXC_C14N;
    st->doc = p;
    st->doc_len = n;
    st->pl = o->mode == VBSIG_XML_ENVELOPED ? pl : NULL;
    st->t.sigalg_uri = vbsig_xml_sigalg_uri(&alg);
    st->t.digest_uri = vbsig_xml_digest_uri(o->digest);
    st->t.props_digest = st->t.signature_value = "";
    if (rc == VBSIG_OK)
        rc = fill_identity(st, signer, &x->o);
    if (rc == VBSIG_OK)
        rc = digest_data(&x->o, p, n, d, st, pl, &x->uri);
    uint8_t md[EVP_MAX_MD_SIZE];
    size_t mdlen = 0;
    if (rc == VBSIG_OK && o->xades) {
        char props[64];
        snprintf(props, sizeof props, "%s-signedprops", st->id);
        rc = hash_part(st, props, o->digest, md, &mdlen);
        if (rc == VBSIG_OK)
            rc = b64(st, md, mdlen, &st->t.props_digest);
    }
    if (rc == VBSIG_OK)
        rc = hash_part(st, NULL, o->digest, st->si_md, &st->si_mdlen);
    if (rc != VBSIG_OK) {
        vbsig_xml_pending_free(x);
        return rc;
    }
    x->req.digest_alg = o->digest;
    x->req.padding = signer->padding;
    x->req.digest = st->si_md;
    x->req.digest_len = st->si_mdlen;
    *out = x;
    return VBSIG_OK;
}

int vbsig_xml_prepare(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_xml_sign_opts *given, const uint8_t *doc,
                      size_t doc_len, vbsig_xml_pending **out)
{
    vbsig_i18n_ensure();
    if (out == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_xml_prepare", "out");
    *out = NULL;
    if (signer == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_xml_prepare", "signer");
    if (doc == NULL && doc_len > 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_xml_prepare", "doc");
    if (given != NULL)
        VBSIG_REQUIRE_CTX_TO_VERIFY(ctx, given);
    vbsig_xml_sign_opts o;
    int rc = normalize_opts(given, &o);
    if (rc != VBSIG_OK)
        return rc;
    return prepare_on(ctx, signer, &o, doc, doc_len, out);
}

/* The signature value given (raw RSA, DER ECDSA as a token returns it),
 * then B-T's timestamp, the document, the checks after signing and, for
 * B-LT / B-LTA, the extension. */
int vbsig_xml_finish(vbsig_xml_pending *x, const uint8_t *sig, size_t siglen, vbsig_buf *out)
{
    vbsig_i18n_ensure();
    if (x == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_xml_finish", "p");
    if (out == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_xml_finish", "out");
    out->data = NULL;
    out->len = 0;
    if (sig == NULL || siglen == 0 || siglen > VBSIG_MAX_SIGNATURE)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the signature value is empty or too long"));
    if (x->finished)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: this pending signature was finished already"), "vbsig_xml_finish");
    x->finished = 1;
    sign_state *st = &x->s;
    const vbsig_xml_sign_opts *o = &x->o;
    vbsig_signer *signer = x->signer;
    int rc = VBSIG_OK;
    st->value_len = sizeof st->value;
    if (vbsig_signer_key_type(signer) == VBSIG_KEY_EC) {
        size_t field = ((size_t)vbsig_signer_key_bits(signer) + 7) / 8;
        rc = vbsig_xml_ecdsa_der_to_raw(sig, siglen, field, st->value, &st->value_len);
    } else if (siglen <= sizeof st->value) {
        memcpy(st->value, sig, siglen);
        st->value_len = siglen;
    } else {
        rc = vbsig_fail(VBSIG_E_INTERNAL, _("the signature value is larger than expected"));
    }
    if (rc == VBSIG_OK)
        rc = b64(st, st->value, st->value_len, &st->t.signature_value);
    if (rc == VBSIG_OK && o->tsp != NULL)
        rc = add_timestamp(x->ctx, o, st);
    if (rc == VBSIG_OK)
        rc = assemble(x->in, x->in_len, st->pl, st, out);
    /* An enveloped signature in a document without earlier signatures is
     * checked where it was made (see check_fresh_signature); otherwise the
     * output is verified again as a whole, before and after. */
    int fresh = o->mode == VBSIG_XML_ENVELOPED && memmem(x->in, x->in_len, VBSIG_NS_DS, strlen(VBSIG_NS_DS)) == NULL;
    if (rc == VBSIG_OK && o->verify_after_sign) {
        st->alg = x->alg;
        rc = fresh ? check_fresh_signature(st, signer, &x->pl, out->data, out->len)
                   : check_own_signature(x->ctx, o, x->in, x->in_len, out, st->id);
        if (rc != VBSIG_OK)
            vbsig_buf_free(out);
    }
    if (rc == VBSIG_OK && (o->level == VBSIG_LEVEL_B_LT || o->level == VBSIG_LEVEL_B_LTA))
        rc = extend_made(x->ctx, o, x->in, x->in_len, out);
    return rc;
}

int vbsig_xml_sign(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_xml_sign_opts *given,
                   const uint8_t *p, size_t n, vbsig_buf *out)
{
    VBSIG_REQUIRE(signer, "signer");
    VBSIG_REQUIRE(given, "opts");
    VBSIG_REQUIRE_BYTES(p, n, "doc");
    VBSIG_REQUIRE(out, "out");
    VBSIG_REQUIRE_CTX_TO_VERIFY(ctx, given);
    vbsig_i18n_ensure();
    vbsig_xml_pending *x = NULL;
    int rc = vbsig_xml_prepare(ctx, signer, given, p, n, &x);
    if (rc != VBSIG_OK)
        return rc;
    uint8_t sig[VBSIG_MAX_SIGNATURE];
    size_t siglen = sizeof sig;
    rc = vbsig_signer_sign_digest(signer, &x->req, sig, &siglen);
    if (rc == VBSIG_OK)
        rc = vbsig_xml_finish(x, sig, siglen, out);
    vbsig_wipe(sig, sizeof sig);
    vbsig_xml_pending_free(x);
    return rc;
}

/* The check after signing an enveloped signature into a document that had
 * none: re-parsing and re-canonicalizing the whole output would double the
 * cost of signing a large document, and the document part is unchanged by
 * construction (the Signature is a whole element inserted into the parent
 * that was canonicalized, and the enveloped transform removes exactly it).
 * What can go wrong is checked: the value must verify with the signer
 * certificate's key over the SignedInfo that was canonicalized (a token
 * that signs with another key or returns garbage), and the bytes around the
 * insertion point must be the chosen parent's end tag (or its empty tag),
 * so the element went where the canonical form assumed. */
static int check_fresh_signature(const sign_state *s, vbsig_signer *signer, const placement *pl, const uint8_t *out,
                                 size_t out_len)
{
    if (!vbsig_xml_key_verifies(signer->cert, &s->alg, s->si_md, s->si_mdlen, s->value, s->value_len))
        return vbsig_fail(VBSIG_E_INTERNAL,
                          _("the new XML signature does not verify with the signer certificate (SIG_CRYPTO_FAILURE)"));
    const xmlNode *parent = pl->parent;
    char qname[512];
    if (parent->ns != NULL && parent->ns->prefix != NULL)
        snprintf(qname, sizeof qname, "%s:%s", (const char *)parent->ns->prefix, (const char *)parent->name);
    else
        snprintf(qname, sizeof qname, "%s", (const char *)parent->name);
    size_t qlen = strlen(qname), at = pl->at.offset, n = s->doc_len;
    /* out = doc[0, at) + (">" when the tag was empty) + Signature + ("</name>") + doc[rest, n) */
    size_t rest = pl->at.empty ? at + 2 : at;
    int ok = out_len > n && rest <= n && memcmp(out, s->doc, at) == 0 &&
             memcmp(out + out_len - (n - rest), s->doc + rest, n - rest) == 0;
    if (ok && pl->at.empty)
        ok = pl->at.name_len == qlen && memcmp(pl->at.name, qname, qlen) == 0 && out[at] == '>';
    else if (ok)
        ok = rest + 2 + qlen < n && memcmp(s->doc + rest, "</", 2) == 0 && memcmp(s->doc + rest + 2, qname, qlen) == 0 &&
             strchr(" \t\r\n>", s->doc[rest + 2 + qlen]) != NULL;
    if (!ok)
        return vbsig_fail(VBSIG_E_INTERNAL, _("the new XML signature was not placed in the element '%s'"), qname);
    return VBSIG_OK;
}

static int broken(const vbsig_sig_entry *e)
{
    const char *sub = e->subindication;
    return sub != NULL && (strcmp(sub, "HASH_FAILURE") == 0 || strcmp(sub, "SIG_CRYPTO_FAILURE") == 0 ||
                           strcmp(sub, "FORMAT_FAILURE") == 0);
}

static int was_intact(const vbsig_report *before, const char *id)
{
    for (size_t i = 0; before != NULL && i < before->count; i++)
        if (before->sigs[i].id != NULL && strcmp(before->sigs[i].id, id) == 0)
            return !broken(&before->sigs[i]);
    return 0;
}

/* The new signature must verify cryptographically (its path is judged by
 * the verifier later: the trust anchors may not be known here), and every
 * signature that was intact before must still be. */
static int check_own_signature(vbsig_ctx *ctx, const vbsig_xml_sign_opts *o, const uint8_t *in, size_t in_len,
                               const vbsig_buf *out, const char *id)
{
    /* A context of our own without revocation checks: this looks at the
     * signatures' integrity only, and must not go to the network. */
    vbsig_ctx *own = NULL;
    int rc = vbsig_ctx_new(&own);
    if (rc == VBSIG_OK && ctx != NULL)
        rc = vbsig_ctx_set_limit(own, VBSIG_LIMIT_SIGNERS, vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_SIGNERS));
    if (rc == VBSIG_OK)
        rc = vbsig_ctx_set_revocation_mode(own, VBSIG_REVOCATION_OFF);
    if (rc != VBSIG_OK) {
        vbsig_ctx_free(own);
        return rc;
    }
    vbsig_ctx *c = own;
    vbsig_report *before = NULL, *after = NULL;
    /* Without the XMLDSig namespace there is no earlier signature to keep;
     * only an enveloped signature shares its document with others. */
    if (o->mode == VBSIG_XML_ENVELOPED && memmem(in, in_len, VBSIG_NS_DS, strlen(VBSIG_NS_DS)) != NULL)
        rc = vbsig_xml_verify(c, in, in_len, &before);
    if (rc == VBSIG_OK && o->mode == VBSIG_XML_DETACHED)
        rc = vbsig_xml_verify_detached(c, out->data, out->len, in, in_len, o->detached_name, &after);
    else if (rc == VBSIG_OK)
        rc = vbsig_xml_verify(c, out->data, out->len, &after);
    vbsig_ctx_free(own);
    int found = 0;
    for (size_t i = 0; rc == VBSIG_OK && i < after->count; i++) {
        const vbsig_sig_entry *e = &after->sigs[i];
        int mine = e->id != NULL && strcmp(e->id, id) == 0;
        found |= mine;
        if (mine && broken(e))
            rc = vbsig_fail(VBSIG_E_INTERNAL, _("the new XML signature does not verify (%s)"), e->subindication);
        else if (!mine && broken(e) && was_intact(before, e->id))
            rc = vbsig_fail(VBSIG_E_REFUSED,
                            _("the new signature would invalidate signature %s, which covers where it would go; "
                              "sign an element (--xml-ref '#id') and place the signature outside it (--xml-parent)"),
                            e->id);
    }
    if (rc == VBSIG_OK && !found)
        rc = vbsig_fail(VBSIG_E_INTERNAL, _("the new XML signature was not found in the output"));
    vbsig_report_free(before);
    vbsig_report_free(after);
    return rc;
}

int vbsig_xml_sign_file(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_xml_sign_opts *given,
                        const char *in_path, const char *out_path)
{
    VBSIG_REQUIRE(signer, "signer");
    VBSIG_REQUIRE(given, "opts");
    VBSIG_REQUIRE(in_path, "in_path");
    VBSIG_REQUIRE(out_path, "out_path");
    VBSIG_REQUIRE_CTX_TO_VERIFY(ctx, given);
    vbsig_i18n_ensure();
    vbsig_xml_sign_opts o;
    int rc = normalize_opts(given, &o);
    if (rc != VBSIG_OK)
        return rc;
    if (in_path == NULL || out_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_xml_sign_file: no input or no output file"));
    vbsig_file_map in;
    rc = vbsig_file_map_open(&in, in_path, XML_MAX_SIGN_INPUT);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_buf out = {0};
    if (o.mode == VBSIG_XML_DETACHED && o.detached_name == NULL) {
        const char *slash = strrchr(in_path, '/');
        o.detached_name = slash != NULL ? slash + 1 : in_path;
    }
    rc = vbsig_xml_sign(ctx, signer, &o, in.data, in.len, &out);
    if (rc == VBSIG_OK)
        rc = vbsig_write_file_atomic(out_path, out.data, out.len);
    vbsig_buf_free(&out);
    vbsig_file_map_close(&in);
    return rc;
}
