/* Reading the TimeStampResp (RFC 3161 §2.4.2): the status, and the token
 * exactly as the TSA encoded it (re-encoding could change signed bytes). */
#include <string.h>

#include <openssl/ts.h>

#include "tsp/tsp.h"

/* Nesting of a reply: response, token, SignedData, SignerInfo, attributes,
 * certificates … 32 levels is generous. */
#define REPLY_MAX_DEPTH 32

static const char *const status_names[] = {
    "granted", "grantedWithMods", "rejection", "waiting", "revocationWarning", "revocationNotification"};

static const struct {
    int bit;
    const char *name;
} failure_names[] = {
    {0, "badAlg"},          {2, "badRequest"},         {5, "badDataFormat"},
    {14, "timeNotAvailable"}, {15, "unacceptedPolicy"}, {16, "unacceptedExtension"},
    {17, "addInfoNotAvailable"}, {25, "systemFailure"}};

/* "rejection (badAlg, unacceptedPolicy): <the TSA's text>" */
static void describe_refusal(TS_STATUS_INFO *si, long status, char *buf, size_t n)
{
    size_t used = (size_t)snprintf(buf, n, "%s", status >= 0 && status < 6 ? status_names[status] : "?");
    const ASN1_BIT_STRING *fi = TS_STATUS_INFO_get0_failure_info(si);
    int first = 1;
    for (size_t i = 0; fi != NULL && i < sizeof failure_names / sizeof failure_names[0] && used < n; i++) {
        if (ASN1_BIT_STRING_get_bit(fi, failure_names[i].bit)) {
            used += (size_t)snprintf(buf + used, n - used, "%s%s", first ? " (" : ", ", failure_names[i].name);
            first = 0;
        }
    }
    if (!first && used < n)
        used += (size_t)snprintf(buf + used, n - used, ")");
    const STACK_OF(ASN1_UTF8STRING) *text = TS_STATUS_INFO_get0_text(si);
    for (int i = 0; text != NULL && i < sk_ASN1_UTF8STRING_num(text) && used < n; i++) {
        const ASN1_UTF8STRING *t = sk_ASN1_UTF8STRING_value(text, i);
        used += (size_t)snprintf(buf + used, n - used, "%s%.*s", i == 0 ? ": " : "; ",
                                 ASN1_STRING_length(t) > 200 ? 200 : ASN1_STRING_length(t),
                                 (const char *)ASN1_STRING_get0_data(t));
    }
}

/* The second element of the outer SEQUENCE, as raw bytes. */
static int slice_token(const uint8_t *reply, size_t n, const uint8_t **token, size_t *token_len)
{
    const unsigned char *p = reply;
    long len = 0;
    int tag = 0, cls = 0;
    if (ASN1_get_object(&p, &len, &tag, &cls, (long)n) & 0x80)
        return 0;
    const unsigned char *end = p + len;
    if (ASN1_get_object(&p, &len, &tag, &cls, end - p) & 0x80)
        return 0;
    p += len;
    if (p >= end)
        return 0;
    const unsigned char *start = p;
    if (ASN1_get_object(&p, &len, &tag, &cls, end - p) & 0x80 || p + len != end)
        return 0;
    *token = start;
    *token_len = (size_t)(end - start);
    return 1;
}

int vbsig_tsp_response_token(const uint8_t *reply, size_t n, const uint8_t **token, size_t *token_len)
{
    *token = NULL;
    *token_len = 0;
    int rc = vbsig_der_check(reply, n, 1, REPLY_MAX_DEPTH, _("timestamp reply"));
    if (rc != VBSIG_OK)
        return rc;
    const unsigned char *q = reply;
    TS_RESP *resp = d2i_TS_RESP(NULL, &q, (long)n);
    if (resp == NULL || q != reply + n) {
        TS_RESP_free(resp);
        return vbsig_fail_ssl(VBSIG_E_MALFORMED, _("the reply is not an RFC 3161 TimeStampResp"));
    }
    TS_STATUS_INFO *si = TS_RESP_get_status_info(resp);
    long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(si));
    if (status != 0 && status != 1) {
        char why[600];
        describe_refusal(si, status, why, sizeof why);
        rc = vbsig_fail(VBSIG_E_REFUSED, _("the timestamp authority refused the request: %s"), why);
    } else if (TS_RESP_get_token(resp) == NULL || !slice_token(reply, n, token, token_len)) {
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("the reply grants the request but carries no token"));
    }
    TS_RESP_free(resp);
    return rc;
}
