/* Every Reference of SignedInfo: a same-document URI ("" or "#id" resolved
 * through the registered IDs only), allowed transforms (enveloped-signature
 * and the C14N family), a known digest, and the digest recomputed over the
 * exact node that is then reported as signed. */
#include <string.h>

#include <libxml/c14n.h>

#include "xml.h"
#include "crypto/crypto.h"
#include "validate/validate.h"

static int fail(vbsig_xml_sig *s, const char *sub, const char *fmt, const char *arg)
{
    vbsig_entry_worsen(s->e, VBSIG_TOTAL_FAILED, sub);
    if (arg == NULL) {
        vbsig_entry_note(s->e, "%s", fmt);
    } else {
        char msg[512];
        snprintf(msg, sizeof msg, fmt, arg);
        vbsig_entry_note(s->e, "%s", msg);
    }
    return 1;
}

typedef struct ref_plan {
    xmlNodePtr top;       /* document node or the referenced element */
    xmlNodePtr exclude;   /* the own Signature for enveloped-signature */
    vbsig_c14n_alg c14n;
    char **prefixes;
    int has_c14n;
    int external;         /* the detached data given by the caller */
    int missing;          /* a file beside the signature that was not given */
    size_t bytes;         /* canonical bytes digested */
    vbsig_bytes keep;     /* those bytes, when the caller keeps them */
    int digest_ok;
} ref_plan;

static int is_same_document(const char *uri)
{
    return uri[0] == '\0' || (uri[0] == '#' && strncmp(uri, "#xpointer(", 10) != 0);
}

/* A Reference to data outside the document. With the caller's data file:
 * the reference naming it, or else the signature's only external one
 * whatever file name it gives (the digest decides; the report notes the
 * names); a URI with a scheme or a directory is never taken for it.
 * Without: a bare file name is data not at hand (INDETERMINATE); anything
 * else stays refused. */
static int resolve_external(vbsig_xml_sig *s, const char *uri, ref_plan *plan)
{
    if (s->detached != NULL && vbsig_xml_uri_names_file(uri, s->detached->name)) {
        plan->external = 1;
        return 0;
    }
    if (s->detached != NULL && s->external_refs == 1 && vbsig_xml_uri_is_bare_name(uri)) {
        plan->external = 1;
        char msg[768];
        snprintf(msg, sizeof msg,
                 _("the data file given (%s) does not have the name the signature's reference gives (%s); it was "
                   "used as the signed data and its digest decides"),
                 s->detached->name, uri);
        vbsig_entry_note(s->e, "%s", msg);
        return 0;
    }
    if (s->detached == NULL && vbsig_xml_uri_is_bare_name(uri)) {
        plan->missing = 1;
        vbsig_entry_worsen(s->e, VBSIG_INDETERMINATE, "SIGNED_DATA_NOT_FOUND");
        char msg[768];
        snprintf(msg, sizeof msg,
                 _("the signature signs the file '%s', which is not part of the document: give it with --data FILE "
                   "to check it"),
                 uri);
        vbsig_entry_note(s->e, "%s", msg);
        return 0;
    }
    return fail(s, "FORMAT_FAILURE", _("reference URI '%s' is not allowed (same-document references only)"), uri);
}

static int resolve_uri(vbsig_xml_sig *s, xmlNodePtr ref, ref_plan *plan)
{
    char *uri = vbsig_xml_attr(ref, "URI");
    int bad = 0;
    if (uri == NULL)
        bad = fail(s, "FORMAT_FAILURE", _("a Reference has no URI attribute"), NULL);
    else if (uri[0] == '\0')
        plan->top = (xmlNodePtr)s->d->doc;
    else if (is_same_document(uri))
        plan->top = vbsig_xml_id_lookup(s->d, uri + 1);
    else
        bad = resolve_external(s, uri, plan);
    if (!bad && (plan->external || plan->missing))
        plan->top = (xmlNodePtr)s->d->doc; /* top is unused for external data */
    if (!bad && plan->top == NULL)
        bad = fail(s, "FORMAT_FAILURE", _("reference URI '%s' names no registered ID (Id, ID, xml:id)"), uri);
    free(uri);
    return bad;
}

static int read_transforms(vbsig_xml_sig *s, xmlNodePtr transforms, ref_plan *plan)
{
    unsigned count = 0;
    for (xmlNodePtr t = vbsig_xml_elem(transforms->children); t != NULL; t = vbsig_xml_elem(t->next)) {
        if (!vbsig_xml_is(t, VBSIG_NS_DS, "Transform"))
            return fail(s, "FORMAT_FAILURE", _("Transforms holds an element other than Transform"), NULL);
        if (++count > VBSIG_XML_MAX_TRANSFORMS)
            return fail(s, "FORMAT_FAILURE", _("a Reference has too many transforms"), NULL);
        if (plan->has_c14n)
            return fail(s, "FORMAT_FAILURE", _("a transform follows canonicalization"), NULL);
        if (plan->external || plan->missing)
            return fail(s, "FORMAT_FAILURE",
                        _("the reference to the detached data has a transform; its bytes must be digested as they are"),
                        NULL);
        char *alg = vbsig_xml_attr(t, "Algorithm");
        int bad = 0;
        if (alg != NULL && strcmp(alg, VBSIG_XML_ENVELOPED_URI) == 0 && plan->exclude == NULL)
            plan->exclude = s->sig;
        else if (vbsig_xml_read_c14n(t, &plan->c14n, &plan->prefixes) == 0)
            plan->has_c14n = 1;
        else
            bad = fail(s, "FORMAT_FAILURE", _("transform '%s' is not allowed (only enveloped-signature and C14N)"),
                       alg != NULL ? alg : "?");
        free(alg);
        if (bad)
            return bad;
    }
    return 0;
}

static void note_coverage(vbsig_xml_sig *s, xmlNodePtr top)
{
    if (top->type == XML_DOCUMENT_NODE || top == xmlDocGetRootElement(s->d->doc)) {
        s->covers_root = 1; /* the report's "covers" says so */
        return;
    }
    /* Enveloping: the document sits in the signature's own ds:Object; the
     * report says so rather than "part of the document". */
    if (top->parent == s->sig && vbsig_xml_is(top, VBSIG_NS_DS, "Object"))
        s->e->covers_enveloped = 1;
    char *id = vbsig_xml_id_of(top);
    vbsig_entry_note(s->e, _("signed: element %s (Id %s)"), (const char *)top->name, id != NULL ? id : "xml:id");
    free(id);
}

static int check_digest(vbsig_xml_sig *s, xmlNodePtr ref, ref_plan *plan)
{
    int count = 0;
    xmlNodePtr dm = vbsig_xml_only_child(ref, VBSIG_NS_DS, "DigestMethod", &count);
    xmlNodePtr dv = vbsig_xml_only_child(ref, VBSIG_NS_DS, "DigestValue", NULL);
    if (dm == NULL || dv == NULL)
        return fail(s, "FORMAT_FAILURE", _("a Reference needs exactly one DigestMethod and one DigestValue"), NULL);
    char *alg_uri = vbsig_xml_attr(dm, "Algorithm");
    vbsig_digest_alg alg = vbsig_xml_digest_from_uri(alg_uri);
    if (alg == 0) {
        int r = fail(s, "FORMAT_FAILURE", _("digest algorithm '%s' is not supported"), alg_uri ? alg_uri : "?");
        free(alg_uri);
        return r;
    }
    free(alg_uri);
    if (alg == VBSIG_DIGEST_SHA1) {
        s->e->weak = 1;
        vbsig_entry_note(s->e, _("weak algorithm: a reference is digested with SHA-1; accepted only for an old document"));
    }
    char *text = vbsig_xml_text(dv);
    uint8_t *want = NULL, got[EVP_MAX_MD_SIZE];
    size_t want_len = 0, got_len = 0;
    int bad = text == NULL || vbsig_base64_decode(text, strlen(text), &want, &want_len) != VBSIG_OK;
    free(text);
    if (bad)
        return fail(s, "FORMAT_FAILURE", _("a DigestValue is not base64"), NULL);
    /* Same-document references never carry comments (XMLDSig 4.4.3.3). */
    vbsig_c14n_alg c = plan->has_c14n ? plan->c14n : (vbsig_c14n_alg){XML_C14N_1_0, 0};
    c.with_comments = 0;
    int rc;
    if (plan->external) {
        rc = vbsig_digest_bytes(alg, s->detached->data, s->detached->len, got, &got_len);
        plan->bytes = s->detached->len;
        if (rc == VBSIG_OK && s->keep_content)
            rc = vbsig_bytes_append(&plan->keep, s->detached->data, s->detached->len);
    } else {
        rc = vbsig_xml_c14n_hash_ex(s->d->doc, plan->top, plan->exclude, &c, plan->prefixes, alg, got, &got_len,
                                    &plan->bytes, s->keep_content ? &plan->keep : NULL);
    }
    if (rc != VBSIG_OK)
        bad = fail(s, "FORMAT_FAILURE", _("a referenced node could not be canonicalized"), NULL);
    else if (got_len != want_len || memcmp(got, want, got_len) != 0)
        bad = fail(s, "HASH_FAILURE", _("the digest of a reference does not match: the signed content was changed"), NULL);
    else
        plan->digest_ok = 1;
    free(want);
    return bad;
}

/* The report's record of the Reference, and what it covered. */
static void record(vbsig_xml_sig *s, xmlNodePtr ref, ref_plan *plan, int props)
{
    if (plan->top == NULL || plan->missing)
        return;
    char *uri = vbsig_xml_attr(ref, "URI");
    const char *kind = props ? "signed-properties" : plan->external ? "detached" : "content";
    char *path = plan->external ? strdup(s->detached->name) : vbsig_xml_path(plan->top);
    char *id = plan->external ? NULL : vbsig_xml_id_of(plan->top);
    vbsig_signed_ref *r = path != NULL ? vbsig_entry_add_ref(s->e, uri, path, id, kind) : NULL;
    if (r != NULL) {
        r->bytes = plan->bytes;
        r->digest_ok = plan->digest_ok;
        if (plan->digest_ok && s->keep_content) {
            r->content = plan->keep.data != NULL ? plan->keep.data : (uint8_t *)calloc(1, 1);
            r->content_len = plan->keep.len;
            vbsig_bytes_init(&plan->keep);
        }
    }
    free(uri);
    free(path);
    free(id);
    if (s->cover != NULL && s->cover->count < VBSIG_XML_MAX_REFERENCES && !plan->external)
        s->cover->refs[s->cover->count++] = (vbsig_xml_cover){plan->top, plan->exclude, !props, plan->digest_ok};
}

static int check_reference(vbsig_xml_sig *s, xmlNodePtr ref)
{
    ref_plan plan = {0};
    vbsig_bytes_init(&plan.keep);
    int bad = resolve_uri(s, ref, &plan);
    xmlNodePtr c = vbsig_xml_elem(ref->children);
    if (!bad && vbsig_xml_is(c, VBSIG_NS_DS, "Transforms")) {
        bad = read_transforms(s, c, &plan);
        c = vbsig_xml_elem(c->next);
    }
    if (!bad && !(vbsig_xml_is(c, VBSIG_NS_DS, "DigestMethod") &&
                  vbsig_xml_is(vbsig_xml_elem(c->next), VBSIG_NS_DS, "DigestValue") &&
                  vbsig_xml_elem(vbsig_xml_elem(c->next)->next) == NULL))
        bad = fail(s, "FORMAT_FAILURE", _("a Reference must hold Transforms?, DigestMethod, DigestValue"), NULL);
    if (!bad && !plan.missing)
        bad = check_digest(s, ref, &plan);
    int props = 0;
    if (!bad && !plan.missing) {
        char *type = vbsig_xml_attr(ref, "Type");
        props = type != NULL && strcmp(type, VBSIG_XADES_SIGNED_PROPS_TYPE) == 0;
        if (props) {
            if (s->props_referenced != NULL)
                bad = fail(s, "FORMAT_FAILURE", _("more than one reference to SignedProperties"), NULL);
            s->props_referenced = plan.top;
        } else if (plan.external) {
            s->detached->used = 1;
            s->covers_root = 1; /* the whole data file */
        } else {
            note_coverage(s, plan.top);
        }
        free(type);
    }
    record(s, ref, &plan, props);
    vbsig_bytes_free(&plan.keep);
    vbsig_xml_prefixes_free(plan.prefixes);
    return bad || plan.missing;
}

int vbsig_xml_check_references(vbsig_xml_sig *s)
{
    int bad = 0;
    xmlNodePtr first = vbsig_xml_elem(vbsig_xml_elem(s->signed_info->children)->next);
    s->external_refs = 0;
    for (xmlNodePtr ref = vbsig_xml_elem(first->next); ref != NULL; ref = vbsig_xml_elem(ref->next)) {
        char *uri = vbsig_xml_attr(ref, "URI");
        s->external_refs += uri != NULL && !is_same_document(uri);
        free(uri);
    }
    for (xmlNodePtr ref = vbsig_xml_elem(first->next); ref != NULL; ref = vbsig_xml_elem(ref->next))
        bad |= check_reference(s, ref);
    return bad;
}
