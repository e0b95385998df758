/* Signature wrapping (XSW) that digests alone cannot see: the signature is
 * intact, but the document also holds an element with the same expanded
 * name as a signed one that no valid signature covers — a forged HDon
 * before, around or after the signed one, the signed one moved into an
 * archive branch, a copy inside a ds:Object. An application that reads
 * "the DLHDon" cannot tell which one was signed, so the signatures that
 * signed its twin do not pass. The verifier's own defence against class 1
 * (the signed element moved into its own Signature) is the
 * enveloped-signature transform, which removes that whole Signature. */
#include <string.h>

#include "xml.h"
#include "validate/validate.h"

#define MAX_SIGNED 4096u

typedef struct signed_el {
    xmlNodePtr el;
    size_t sig;           /* index of the signature that signed it */
    xmlNodePtr twin;      /* the first unsigned element of the same name */
    size_t twins;
} signed_el;

/* Covered by a matching content Reference of a valid signature: inside its
 * target and outside the Signature its enveloped transform removed. */
static int covered(const xmlNode *n, const vbsig_xml_sig_cover *covers, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (!covers[i].valid)
            continue;
        for (size_t j = 0; j < covers[i].count; j++) {
            const vbsig_xml_cover *c = &covers[i].refs[j];
            if (c->content && c->ok && vbsig_xml_within(n, c->top) &&
                (c->exclude == NULL || !vbsig_xml_within(n, c->exclude)))
                return 1;
        }
    }
    return 0;
}

static void add_signed(signed_el *list, size_t *n, xmlNodePtr el, size_t sig)
{
    for (size_t i = 0; i < *n; i++)
        if (list[i].el == el && list[i].sig == sig)
            return;
    if (*n < MAX_SIGNED)
        list[(*n)++] = (signed_el){el, sig, NULL, 0};
}

/* What an application reads as "the signed element": the root for a
 * whole-document reference, the content of a referenced ds:Object
 * (enveloping), else the referenced element itself. */
static size_t collect(const vbsig_xml_doc *d, const vbsig_xml_sig_cover *covers, size_t count, signed_el *list)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        if (!covers[i].valid)
            continue;
        for (size_t j = 0; j < covers[i].count; j++) {
            const vbsig_xml_cover *c = &covers[i].refs[j];
            if (!c->content || !c->ok)
                continue;
            xmlNodePtr el = c->top->type == XML_DOCUMENT_NODE ? xmlDocGetRootElement(d->doc) : c->top;
            if (vbsig_xml_is(el, VBSIG_NS_DS, "Object")) {
                for (xmlNodePtr q = vbsig_xml_elem(el->children); q != NULL; q = vbsig_xml_elem(q->next))
                    add_signed(list, &n, q, i);
            } else if (el != NULL) {
                add_signed(list, &n, el, i);
            }
        }
    }
    return n;
}

static void report_twin(const signed_el *s, xmlNodePtr sig, vbsig_sig_entry *e)
{
    char *signed_path = vbsig_xml_path(s->el), *twin_path = vbsig_xml_path(s->twin);
    const char *sp = signed_path != NULL ? signed_path : "?", *tp = twin_path != NULL ? twin_path : "?";
    vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
    vbsig_entry_note(e,
                     _("signature wrapping: the signed element %s has a twin of the same name, %s, that no valid "
                       "signature covers (%zu such element(s)); an application reading the document cannot tell "
                       "which one is signed"),
                     sp, tp, s->twins);
    /* Class 3: the Reference leaves the element the signature sits in. */
    if (!vbsig_xml_within(sig, s->el) && sig->parent != NULL && sig->parent->type == XML_ELEMENT_NODE) {
        char *parent = vbsig_xml_path(sig->parent);
        vbsig_entry_note(e,
                         _("signature wrapping: the signature sits in %s but its reference points outside it, to %s, "
                           "while the unsigned %s holds the same name"),
                         parent != NULL ? parent : "?", sp, tp);
        free(parent);
    }
    free(signed_path);
    free(twin_path);
}

void vbsig_xml_check_wrapping(const vbsig_xml_doc *d, xmlNodePtr *sigs, const vbsig_xml_sig_cover *covers,
                              size_t count, vbsig_sig_entry *entries)
{
    signed_el *list = calloc(MAX_SIGNED, sizeof *list);
    if (list == NULL)
        return;
    size_t n = collect(d, covers, count, list);
    xmlNodePtr root = xmlDocGetRootElement(d->doc);
    for (xmlNodePtr cur = root; n > 0 && cur != NULL; cur = vbsig_xml_next_in_subtree(cur, root)) {
        if (cur->type != XML_ELEMENT_NODE)
            continue;
        int judged = 0, is_covered = 0;
        for (size_t i = 0; i < n; i++) {
            if (list[i].el == cur || !vbsig_xml_same_name(list[i].el, cur))
                continue;
            if (!judged) {
                is_covered = covered(cur, covers, count);
                judged = 1;
            }
            if (is_covered)
                break;
            if (list[i].twin == NULL)
                list[i].twin = cur;
            list[i].twins++;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (list[i].twin != NULL)
            report_twin(&list[i], sigs[list[i].sig], &entries[list[i].sig]);
    free(list);
}
