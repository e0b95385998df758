/* XAdES B-T: SignatureTimeStamp elements in UnsignedSignatureProperties,
 * each an RFC 3161 token whose imprint is the digest of ds:SignatureValue
 * canonicalized as the timestamp's own CanonicalizationMethod says
 * (Canonical XML 1.0 when it names none, as XAdES 1.3.2 defines). */
#include <string.h>

#include <libxml/c14n.h>
#include <openssl/err.h>

#include "xml.h"
#include "tsp/tsp.h"
#include "validate/validate.h"

/* More signature timestamps on one signature than this are not examined. */
#define MAX_TIMESTAMPS 16

static void malformed(vbsig_tsp_result *res, const char *why)
{
    res->indication = VBSIG_TOTAL_FAILED;
    res->subindication = "FORMAT_FAILURE";
    snprintf(res->message, sizeof res->message, "%s", why);
}

static void judge(vbsig_ctx *ctx, vbsig_xml_sig *s, xmlNodePtr ts, vbsig_tsp_result *res)
{
    memset(res, 0, sizeof *res);
    vbsig_c14n_alg c14n = {XML_C14N_1_0, 0};
    char **prefixes = NULL;
    int count = 0;
    xmlNodePtr cm = vbsig_xml_only_child(ts, VBSIG_NS_DS, "CanonicalizationMethod", &count);
    if (count > 1 || (cm != NULL && vbsig_xml_read_c14n(cm, &c14n, &prefixes) != 0)) {
        malformed(res, _("the SignatureTimeStamp's CanonicalizationMethod is not one C14N algorithm"));
        return;
    }
    xmlNodePtr ets = vbsig_xml_only_child(ts, VBSIG_NS_XADES, "EncapsulatedTimeStamp", NULL);
    char *text = ets != NULL ? vbsig_xml_text(ets) : NULL;
    uint8_t *token = NULL, md[EVP_MAX_MD_SIZE];
    size_t len = 0, mdlen = 0;
    vbsig_digest_alg alg = VBSIG_DIGEST_SHA256;
    if (text == NULL || vbsig_base64_decode(text, strlen(text), &token, &len) != VBSIG_OK || len == 0)
        malformed(res, _("the SignatureTimeStamp needs exactly one base64 EncapsulatedTimeStamp"));
    /* The token's own imprint algorithm decides the hash; a token it cannot
     * be read from fails in the check below. */
    else if (vbsig_tsp_token_digest_alg(token, len, &alg) != VBSIG_OK ||
             vbsig_xml_c14n_hash(s->d->doc, s->signature_value, NULL, &c14n, prefixes, alg, md, &mdlen) != VBSIG_OK)
        mdlen = 0;
    if (res->indication == VBSIG_TOTAL_PASSED && vbsig_tsp_token_check(ctx, token, len, alg, md, mdlen, 1, res) != VBSIG_OK)
        malformed(res, vbsig_last_error());
    free(text);
    free(token);
    vbsig_xml_prefixes_free(prefixes);
    ERR_clear_error();
}

void vbsig_xml_check_timestamps(vbsig_ctx *ctx, vbsig_xml_sig *s)
{
    if (s->qualifying == NULL)
        return;
    xmlNodePtr up = vbsig_xml_only_child(s->qualifying, VBSIG_NS_XADES, "UnsignedProperties", NULL);
    xmlNodePtr usp = up != NULL ? vbsig_xml_only_child(up, VBSIG_NS_XADES, "UnsignedSignatureProperties", NULL) : NULL;
    vbsig_tsp_tally tally;
    memset(&tally, 0, sizeof tally);
    for (xmlNodePtr c = usp != NULL ? vbsig_xml_elem(usp->children) : NULL; c != NULL && tally.seen < MAX_TIMESTAMPS;
         c = vbsig_xml_elem(c->next)) {
        if (!vbsig_xml_is(c, VBSIG_NS_XADES, "SignatureTimeStamp"))
            continue;
        vbsig_tsp_result res;
        judge(ctx, s, c, &res);
        vbsig_tsp_tally_add(&tally, s->e, &res);
    }
    vbsig_tsp_tally_finish(&tally, s->e);
}
