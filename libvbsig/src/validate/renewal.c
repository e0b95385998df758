/* Archive renewal (ETSI EN 319 102-1 §5.6.2.5, EN 319 142-1/122-1/132-1
 * B-LTA): an archive timestamp proves the document only while its TSA
 * certificate is valid and its algorithms are strong, so a new one must be
 * added over it before either ends. This decides from a report whether that
 * moment is within a window; the verification pool acts on it. */
#include <stdint.h>
#include <string.h>

#include "util/util.h"
#include "validate/validate.h"

/* The archive timestamp entry that protects e: e itself for CAdES and
 * XAdES (their archive timestamps are unsigned attributes of the
 * signature); for a PDF signature the newest document timestamp in a later
 * revision. NULL when there is none. */
static const vbsig_sig_entry *protector(const vbsig_report *r, const vbsig_sig_entry *e)
{
    if (!e->pdf || e->document_timestamp)
        return e->archive_count > 0 ? e : NULL;
    const vbsig_sig_entry *best = NULL;
    for (size_t k = 0; k < r->count; k++) {
        const vbsig_sig_entry *d = &r->sigs[k];
        if (d->document_timestamp && d->archive_count > 0 && d->revision > e->revision &&
            (best == NULL || d->revision > best->revision))
            best = d;
    }
    return best;
}

int vbsig_report_signature_archive(const vbsig_report *r, size_t i, time_t *time, time_t *tsa_not_after, int *weak)
{
    if (time != NULL)
        *time = 0;
    if (tsa_not_after != NULL)
        *tsa_not_after = 0;
    if (weak != NULL)
        *weak = 0;
    if (r == NULL || i >= r->count)
        return -1;
    const vbsig_sig_entry *e = &r->sigs[i];
    const vbsig_sig_entry *a = protector(r, e);
    if (a == NULL)
        return 0;
    if (time != NULL)
        *time = a->archive_time;
    if (tsa_not_after != NULL)
        *tsa_not_after = a->archive_tsa_not_after;
    if (weak != NULL)
        *weak = a->archive_weak;
    if (a != e) {
        /* Every document timestamp from this revision on is one. */
        int n = 0;
        for (size_t k = 0; k < r->count; k++)
            n += r->sigs[k].document_timestamp && r->sigs[k].archive_count > 0 && r->sigs[k].revision > e->revision;
        return n;
    }
    return a->archive_count > (size_t)INT32_MAX ? INT32_MAX : (int)a->archive_count;
}

/* Lower is more urgent. */
static int urgency(vbsig_renewal_reason reason)
{
    return reason == VBSIG_RENEWAL_NO_ARCHIVE || reason == VBSIG_RENEWAL_WEAK_ALGORITHM ? 0 : 1;
}

int vbsig_report_renewal_due(const vbsig_report *r, time_t now, long long within_seconds, vbsig_renewal *out)
{
    VBSIG_REQUIRE(out, "out");
    memset(out, 0, sizeof *out);
    VBSIG_REQUIRE(r, "r");
    if (within_seconds < 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the renewal window cannot be negative"));
    if (r->count == 0 || vbsig_report_indication(r) != VBSIG_TOTAL_PASSED) {
        out->reason = VBSIG_RENEWAL_NOT_VALID;
        return VBSIG_OK;
    }
    /* Past the end of time_t the window reaches every certificate. */
    time_t limit = within_seconds > (long long)(INT64_MAX - now) ? (time_t)INT64_MAX : now + (time_t)within_seconds;
    int found = 0;
    for (size_t i = 0; i < r->count; i++) {
        const vbsig_sig_entry *e = &r->sigs[i];
        if (e->level == NULL || e->document_timestamp)
            continue; /* XMLDSig without XAdES: nothing to archive it with */
        const vbsig_sig_entry *a = protector(r, e);
        vbsig_renewal c = {0, VBSIG_RENEWAL_NOT_DUE, i, 0, 0};
        if (a == NULL) {
            c.reason = VBSIG_RENEWAL_NO_ARCHIVE;
        } else {
            c.archive_time = a->archive_time;
            c.expires = a->archive_tsa_not_after;
            c.reason = a->archive_weak ? VBSIG_RENEWAL_WEAK_ALGORITHM
                       : c.expires <= limit ? VBSIG_RENEWAL_TSA_EXPIRES
                                            : VBSIG_RENEWAL_NOT_DUE;
        }
        c.due = c.reason != VBSIG_RENEWAL_NOT_DUE;
        int better = !found || c.due > out->due ||
                     (c.due == out->due && (urgency(c.reason) < urgency(out->reason) ||
                                            (urgency(c.reason) == urgency(out->reason) && c.expires < out->expires)));
        if (better)
            *out = c;
        found = 1;
    }
    if (!found)
        out->reason = VBSIG_RENEWAL_NOTHING_TO_ARCHIVE;
    return VBSIG_OK;
}
