/* The server's side of issuing: the library's RFC 3161 issuer
 * (vbsig/tsp_issue.h) answers the request; here its outcome becomes the
 * journal record, the kernel clock decides whether tokens may be issued,
 * and every signature's status reaches the key's health. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"

struct tsa_issuer {
    vbsig_tsp_issuer *iss;
};

static int clock_usable(void *data, const char **why)
{
    (void)data;
    tsa_clock_state s = tsa_clock_check(NULL);
    if (tsa_clock_usable(s))
        return 1;
    /* The token's statusString: protocol text, not translated. */
    *why = s == TSA_CLOCK_LEAP         ? "leap second in progress"
           : s == TSA_CLOCK_INACCURATE ? "clock error above the bound"
                                       : "clock not synchronised";
    return 0;
}

static void signature_done(void *data, int status) { tsa_key_health_note(data, status); }

int tsa_issuer_new(tsa_issuer **out, const tsa_keys *k, const tsa_config *c)
{
    tsa_issuer *is = calloc(1, sizeof *is);
    if (is == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    vbsig_tsp_issuer_opts o;
    vbsig_tsp_issuer_opts_init(&o);
    o.policy = c->policy;
    o.accept_policies = (const char *const *)c->accept_policies;
    o.n_accept_policies = c->n_accept_policies;
    o.hashes = c->hashes;
    o.accuracy_ms = c->accuracy_ms;
    o.clock = clock_usable;
    o.on_signature = k->health != NULL ? signature_done : NULL;
    o.on_signature_data = k->health;
    int rc = vbsig_tsp_issuer_new(&is->iss, k->signer, &o);
    if (rc != VBSIG_OK) {
        free(is);
        return rc;
    }
    *out = is;
    return VBSIG_OK;
}

void tsa_issuer_free(tsa_issuer *is)
{
    if (is == NULL)
        return;
    vbsig_tsp_issuer_free(is->iss);
    free(is);
}

static void fill_record(const vbsig_tsp_issued *info, tsa_record *rec)
{
    snprintf(rec->outcome, sizeof rec->outcome, "%s", info->granted ? "granted" : "rejection");
    snprintf(rec->failure, sizeof rec->failure, "%s", info->failure_name);
    snprintf(rec->serial, sizeof rec->serial, "%s", info->serial);
    snprintf(rec->policy, sizeof rec->policy, "%s", info->policy);
    snprintf(rec->hash_alg, sizeof rec->hash_alg, "%s", info->hash_alg);
}

int tsa_issue(tsa_issuer *is, const uint8_t *req, size_t req_len, const struct timespec *received,
              uint8_t **reply, size_t *reply_len, tsa_record *rec)
{
    *reply = NULL;
    *reply_len = 0;
    struct tm tm;
    gmtime_r(&received->tv_sec, &tm);
    char when[24];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(rec->received, sizeof rec->received, "%s.%03ldZ", when, received->tv_nsec / 1000000);

    vbsig_buf out = { 0 };
    vbsig_tsp_issued info;
    int rc = vbsig_tsp_issue(is->iss, req, req_len, received, &out, &info);
    if (rc != VBSIG_OK)
        return rc;
    fill_record(&info, rec);
    free(rec->imprint);
    free(rec->nonce);
    rec->imprint = info.imprint; /* handed over to the record */
    rec->nonce = info.nonce;
    info.imprint = info.nonce = NULL;
    if (info.error_status != VBSIG_OK)
        tsa_log("error", "issue-failed", "status=%s reason=\"%s\"", vbsig_status_name(info.error_status),
                info.error);
    if (info.granted) {
        rec->token = malloc(info.token_len);
        if (rec->token == NULL) {
            vbsig_buf_free(&out);
            vbsig_tsp_issued_clear(&info);
            return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
        }
        memcpy(rec->token, out.data + info.token_offset, info.token_len);
        rec->token_len = info.token_len;
    }
    vbsig_tsp_issued_clear(&info);
    *reply = out.data;
    *reply_len = out.len;
    return VBSIG_OK;
}
