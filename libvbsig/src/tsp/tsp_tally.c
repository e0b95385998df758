/* Judging the signature timestamps one signature carries, whatever the
 * format (CAdES unsigned attributes, XAdES SignatureTimeStamp elements):
 * the earliest valid token is the proof of when the signature existed; if
 * none is valid, nothing proves it and the signature is INDETERMINATE. */
#include <stdlib.h>
#include <string.h>

#include "tsp/tsp.h"
#include "validate/validate.h"

void vbsig_tsp_record(vbsig_sig_entry *e, const vbsig_tsp_result *res)
{
    e->has_timestamp = 1;
    e->timestamp_revocation_status = res->revocation_status;
    e->timestamp_revocation_reason = res->revocation_reason;
    e->timestamp_revoked_at = res->revoked_at;
    e->timestamp_revocation_source = res->revocation_source;
    e->timestamp_indication = res->indication;
    e->timestamp_subindication = res->subindication;
    e->timestamp_time = res->gen_time;
    e->timestamp_tsa[0] = '\0';
    if (res->tsa != NULL) {
        /* Cut on a character boundary so the report stays valid UTF-8. */
        size_t n = strlen(res->tsa);
        if (n >= sizeof e->timestamp_tsa) {
            n = sizeof e->timestamp_tsa - 1;
            while (n > 0 && ((unsigned char)res->tsa[n] & 0xC0) == 0x80)
                n--;
        }
        memcpy(e->timestamp_tsa, res->tsa, n);
        e->timestamp_tsa[n] = '\0';
    }
}

/* Keeps what the report shows of every token; out of memory only loses
 * that line of the report. */
static void remember(vbsig_sig_entry *e, const vbsig_tsp_result *res)
{
    vbsig_ts_seen *n = realloc(e->ts_seen, (e->ts_seen_count + 1) * sizeof *n);
    if (n == NULL)
        return;
    e->ts_seen = n;
    n += e->ts_seen_count++;
    memset(n, 0, sizeof *n);
    n->time = res->gen_time;
    n->indication = res->indication;
    n->subindication = res->subindication;
    n->tsa = res->tsa != NULL ? strdup(res->tsa) : NULL;
    n->revocation_status = res->revocation_status;
    n->revocation_source = res->revocation_source;
    n->revocation_reason = res->revocation_reason;
    n->revoked_at = res->revoked_at;
}

void vbsig_tsp_tally_add(vbsig_tsp_tally *t, struct vbsig_sig_entry *e, vbsig_tsp_result *res)
{
    t->seen++;
    remember(e, res);
    if (res->indication == VBSIG_TOTAL_PASSED) {
        if (res->warning[0] != '\0')
            vbsig_entry_note(e, _("signature timestamp %d: %s"), t->seen, res->warning);
        if (!t->passed || res->gen_time < e->timestamp_time)
            vbsig_tsp_record(e, res);
        t->passed = 1;
        vbsig_tsp_result_clear(res);
        return;
    }
    char when[32] = "?";
    if (res->gen_time != 0)
        vbsig_time_format(res->gen_time, VBSIG_TZ_VIETNAM_MINUTES, when);
    vbsig_entry_note(e, _("signature timestamp %d (%s) is not valid: %s — %s"), t->seen, when,
                     res->subindication != NULL ? res->subindication : "?", res->message);
    if (!t->failed++)
        t->first_failure = *res;
    else
        vbsig_tsp_result_clear(res);
    memset(res, 0, sizeof *res);
}

void vbsig_tsp_tally_finish(vbsig_tsp_tally *t, struct vbsig_sig_entry *e)
{
    if (t->seen == 0)
        return;
    if (e->level != NULL && strcmp(e->level, "B-B") == 0)
        e->level = "B-T";
    if (t->passed) {
        e->signing_time = e->timestamp_time;
    } else {
        vbsig_tsp_record(e, &t->first_failure);
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "SIG_CONSTRAINTS_FAILURE");
        vbsig_entry_note(e, _("no signature timestamp is valid, so nothing proves when the signature was made"));
    }
    vbsig_tsp_result_clear(&t->first_failure);
}

void vbsig_tsp_archive_record(vbsig_sig_entry *e, const vbsig_tsp_result *res)
{
    /* Equal times: the later token in the document is the newer one. */
    if (e->archive_count++ > 0 && res->gen_time < e->archive_time)
        return;
    e->archive_time = res->gen_time;
    e->archive_tsa_not_after = res->tsa_not_after;
    e->archive_indication = res->indication;
    e->archive_weak = res->weak;
}
