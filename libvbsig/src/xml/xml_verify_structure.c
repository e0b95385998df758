/* The shape of a ds:Signature: SignedInfo, SignatureValue, KeyInfo?,
 * Object*, in that order, and nothing else. A second SignedInfo, a missing
 * Reference or a stray element fails the signature rather than being
 * skipped, so no verifier can be shown a different part than we check. */
#include "xml.h"
#include "validate/validate.h"

static int fail(vbsig_xml_sig *s, const char *why)
{
    vbsig_entry_worsen(s->e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
    vbsig_entry_note(s->e, "%s", why);
    return 1;
}

static int check_signed_info(vbsig_xml_sig *s)
{
    xmlNodePtr c = vbsig_xml_elem(s->signed_info->children);
    if (!vbsig_xml_is(c, VBSIG_NS_DS, "CanonicalizationMethod"))
        return fail(s, _("SignedInfo does not start with CanonicalizationMethod"));
    c = vbsig_xml_elem(c->next);
    if (!vbsig_xml_is(c, VBSIG_NS_DS, "SignatureMethod"))
        return fail(s, _("SignedInfo has no SignatureMethod after CanonicalizationMethod"));
    unsigned refs = 0;
    for (c = vbsig_xml_elem(c->next); c != NULL; c = vbsig_xml_elem(c->next)) {
        if (!vbsig_xml_is(c, VBSIG_NS_DS, "Reference"))
            return fail(s, _("SignedInfo holds an element other than Reference"));
        if (++refs > VBSIG_XML_MAX_REFERENCES)
            return fail(s, _("the signature has too many references"));
    }
    if (refs == 0)
        return fail(s, _("the signature has no Reference: it signs nothing"));
    return 0;
}

int vbsig_xml_check_structure(vbsig_xml_sig *s)
{
    xmlNodePtr c = vbsig_xml_elem(s->sig->children);
    if (!vbsig_xml_is(c, VBSIG_NS_DS, "SignedInfo"))
        return fail(s, _("the Signature does not start with SignedInfo"));
    s->signed_info = c;
    c = vbsig_xml_elem(c->next);
    if (!vbsig_xml_is(c, VBSIG_NS_DS, "SignatureValue"))
        return fail(s, _("the Signature has no SignatureValue after SignedInfo"));
    s->signature_value = c;
    c = vbsig_xml_elem(c->next);
    if (vbsig_xml_is(c, VBSIG_NS_DS, "KeyInfo")) {
        s->key_info = c;
        c = vbsig_xml_elem(c->next);
    }
    for (; c != NULL; c = vbsig_xml_elem(c->next)) {
        if (!vbsig_xml_is(c, VBSIG_NS_DS, "Object"))
            return fail(s, _("the Signature holds an unexpected element (a second SignedInfo?)"));
        for (xmlNodePtr q = vbsig_xml_elem(c->children); q != NULL; q = vbsig_xml_elem(q->next)) {
            if (!vbsig_xml_is(q, VBSIG_NS_XADES, "QualifyingProperties"))
                continue;
            if (s->qualifying != NULL)
                return fail(s, _("the Signature has more than one QualifyingProperties"));
            s->qualifying = q;
        }
    }
    return check_signed_info(s);
}
