/* Verifying a token on its own, and what the caller may read of the result. */
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ts.h>

#include "cms/cms.h"
#include "crypto/crypto.h"
#include "tsp/tsp.h"
#include "validate/validate.h"

int vbsig_tsp_verify_token(vbsig_ctx *ctx, const uint8_t *token, size_t token_len, vbsig_digest_alg alg,
                           const uint8_t *digest, size_t digest_len, vbsig_tsp_result **out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE_BYTES(token, token_len, "token");
    VBSIG_REQUIRE_BYTES(digest, digest_len, "digest");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    if (out == NULL || ctx == NULL || (digest == NULL && digest_len != 0))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_tsp_verify_token needs a context, a digest and an output"));
    *out = NULL;
    vbsig_tsp_result *r = calloc(1, sizeof *r);
    if (r == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = vbsig_tsp_token_check(ctx, token, token_len, alg, digest, digest_len, 1, r);
    if (rc != VBSIG_OK) {
        vbsig_tsp_result_free(r);
        return rc;
    }
    *out = r;
    return VBSIG_OK;
}

int vbsig_tsp_token_digest_alg(const uint8_t *token, size_t token_len, vbsig_digest_alg *out)
{
    VBSIG_REQUIRE_BYTES(token, token_len, "token");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    *out = 0;
    CMS_ContentInfo *cms = NULL;
    int rc = vbsig_cms_parse(token, token_len, 0, 64, _("timestamp token"), &cms);
    if (rc != VBSIG_OK)
        return rc;
    ASN1_OCTET_STRING **content = CMS_get0_content(cms);
    TS_TST_INFO *tst = NULL;
    if (OBJ_obj2nid(CMS_get0_eContentType(cms)) == NID_id_smime_ct_TSTInfo && content != NULL && *content != NULL) {
        const unsigned char *q = ASN1_STRING_get0_data(*content);
        tst = d2i_TS_TST_INFO(NULL, &q, ASN1_STRING_length(*content));
    }
    if (tst == NULL) {
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("the timestamp token holds no readable TSTInfo"));
    } else {
        X509_ALGOR *algor = TS_MSG_IMPRINT_get_algo(TS_TST_INFO_get_msg_imprint(tst));
        *out = vbsig_digest_from_nid(algor != NULL ? OBJ_obj2nid(algor->algorithm) : NID_undef);
        if (*out == 0)
            rc = vbsig_fail(VBSIG_E_UNSUPPORTED, _("the timestamp token's imprint uses an unknown hash algorithm"));
    }
    TS_TST_INFO_free(tst);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return rc;
}

vbsig_indication vbsig_tsp_result_indication(const vbsig_tsp_result *r)
{
    if (r == NULL)
        return VBSIG_TOTAL_FAILED;
    return r->indication;
}

const char *vbsig_tsp_result_revocation_status(const vbsig_tsp_result *r)
{
    if (r == NULL)
        return NULL;
    return r->revocation_status;
}

const char *vbsig_tsp_result_revocation_reason(const vbsig_tsp_result *r)
{
    if (r == NULL)
        return NULL;
    return r->revocation_reason;
}

const char *vbsig_tsp_result_subindication(const vbsig_tsp_result *r)
{
    if (r == NULL)
        return NULL;
    return r->subindication;
}

const char *vbsig_tsp_result_message(const vbsig_tsp_result *r)
{
    if (r == NULL)
        return "";
    return r->message;
}

time_t vbsig_tsp_result_time(const vbsig_tsp_result *r)
{
    if (r == NULL)
        return 0;
    return r->gen_time;
}

const char *vbsig_tsp_result_tsa(const vbsig_tsp_result *r)
{
    if (r == NULL)
        return NULL;
    return r->tsa;
}

const char *vbsig_tsp_result_policy(const vbsig_tsp_result *r)
{
    if (r == NULL)
        return NULL;
    return r->policy;
}

const char *vbsig_tsp_result_serial(const vbsig_tsp_result *r)
{
    if (r == NULL)
        return NULL;
    return r->serial;
}

void vbsig_tsp_result_free(vbsig_tsp_result *r)
{
    if (r == NULL)
        return;
    vbsig_tsp_result_clear(r);
    free(r);
}
