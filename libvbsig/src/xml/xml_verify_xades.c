/* XAdES binding: QualifyingProperties/@Target names this Signature, the
 * SignedProperties reference digested the SignedProperties inside this
 * signature (not a look-alike elsewhere), and SigningCertificateV2 names
 * the certificate whose key verified the signature. */
#include <string.h>

#include "xml.h"
#include "crypto/crypto.h"
#include "validate/validate.h"

#define MAX_CERT_REFS 16

static int fail(vbsig_xml_sig *s, vbsig_indication ind, const char *sub, const char *msg)
{
    vbsig_entry_worsen(s->e, ind, sub);
    vbsig_entry_note(s->e, "%s", msg);
    return 1;
}

static int cert_digest_matches(xmlNodePtr cert_el, X509 *cert, int *weak)
{
    xmlNodePtr cd = vbsig_xml_only_child(cert_el, VBSIG_NS_XADES, "CertDigest", NULL);
    if (cd == NULL)
        return 0;
    xmlNodePtr dm = vbsig_xml_only_child(cd, VBSIG_NS_DS, "DigestMethod", NULL);
    xmlNodePtr dv = vbsig_xml_only_child(cd, VBSIG_NS_DS, "DigestValue", NULL);
    if (dm == NULL || dv == NULL)
        return 0;
    char *uri = vbsig_xml_attr(dm, "Algorithm"), *text = vbsig_xml_text(dv);
    vbsig_digest_alg alg = vbsig_xml_digest_from_uri(uri);
    uint8_t *want = NULL, got[EVP_MAX_MD_SIZE];
    size_t want_len = 0;
    unsigned got_len = 0;
    int match = alg != 0 && text != NULL &&
                vbsig_base64_decode(text, strlen(text), &want, &want_len) == VBSIG_OK &&
                X509_digest(cert, vbsig_digest_md(alg), got, &got_len) == 1 && got_len == want_len &&
                memcmp(got, want, got_len) == 0;
    if (match && alg == VBSIG_DIGEST_SHA1)
        *weak = 1;
    free(uri);
    free(text);
    free(want);
    return match;
}

/* 1: a Cert of the property names s->cert; 0: none does. */
static int signing_cert_found(vbsig_xml_sig *s, xmlNodePtr prop, int *weak)
{
    unsigned n = 0;
    for (xmlNodePtr c = vbsig_xml_elem(prop->children); c != NULL && n < MAX_CERT_REFS;
         c = vbsig_xml_elem(c->next), n++)
        if (vbsig_xml_is(c, VBSIG_NS_XADES, "Cert") && cert_digest_matches(c, s->cert, weak))
            return 1;
    return 0;
}

static int check_target(vbsig_xml_sig *s, xmlNodePtr *props)
{
    char *target = vbsig_xml_attr(s->qualifying, "Target"), *id = vbsig_xml_attr(s->sig, "Id");
    int ok = target != NULL && id != NULL && target[0] == '#' && strcmp(target + 1, id) == 0;
    free(target);
    free(id);
    if (!ok)
        return fail(s, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE",
                    _("QualifyingProperties/@Target does not name this Signature's Id"));
    *props = vbsig_xml_only_child(s->qualifying, VBSIG_NS_XADES, "SignedProperties", NULL);
    if (*props == NULL)
        return fail(s, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE", _("QualifyingProperties needs exactly one SignedProperties"));
    if (s->props_referenced == NULL)
        return fail(s, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE", _("no Reference signs the XAdES SignedProperties"));
    if (s->props_referenced != *props)
        return fail(s, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE",
                    _("the SignedProperties reference points to an element outside this signature"));
    return 0;
}

int vbsig_xml_check_xades(vbsig_xml_sig *s)
{
    if (s->qualifying == NULL)
        return 0;
    xmlNodePtr props = NULL;
    if (check_target(s, &props))
        return 1;
    xmlNodePtr ssp = vbsig_xml_only_child(props, VBSIG_NS_XADES, "SignedSignatureProperties", NULL);
    if (ssp == NULL)
        return fail(s, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE", _("SignedProperties needs exactly one SignedSignatureProperties"));
    xmlNodePtr st = vbsig_xml_only_child(ssp, VBSIG_NS_XADES, "SigningTime", NULL);
    if (st != NULL) {
        char *text = vbsig_xml_text(st);
        time_t t = 0;
        if (text == NULL || vbsig_time_parse(text, &t) != VBSIG_OK)
            vbsig_entry_note(s->e, _("the XAdES SigningTime is not a valid time"));
        else
            s->e->claimed_signing_time = t;
        free(text);
    }
    xmlNodePtr v2 = vbsig_xml_only_child(ssp, VBSIG_NS_XADES, "SigningCertificateV2", NULL);
    xmlNodePtr v1 = vbsig_xml_only_child(ssp, VBSIG_NS_XADES, "SigningCertificate", NULL);
    int weak = 0;
    if (v2 == NULL && v1 == NULL)
        return fail(s, VBSIG_INDETERMINATE, "NO_SIGNING_CERTIFICATE_FOUND",
                    _("the XAdES properties do not name the signing certificate"));
    if (!signing_cert_found(s, v2 != NULL ? v2 : v1, &weak))
        return fail(s, VBSIG_INDETERMINATE, "NO_SIGNING_CERTIFICATE_FOUND",
                    _("SigningCertificateV2 does not match the certificate that verified the signature"));
    if (weak || v2 == NULL) {
        s->e->weak = 1;
        vbsig_entry_note(s->e, _("weak algorithm: the signer certificate is identified by a SHA-1 hash (signing-certificate v1)"));
    }
    if (v2 != NULL && st != NULL && s->e->claimed_signing_time != 0)
        s->e->level = "B-B";
    return 0;
}
