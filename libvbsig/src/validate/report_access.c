/* Per-signature accessors of the report: what the JSON report says, for
 * programs that do not want to parse JSON. Out-of-range indexes and a NULL
 * report give NULL / 0 / -1, never a crash. */
#include "validate/validate.h"

static const vbsig_sig_entry *entry(const vbsig_report *r, size_t i)
{
    return r != NULL && i < r->count ? &r->sigs[i] : NULL;
}

const char *vbsig_report_format(const vbsig_report *r)
{
    return r != NULL ? r->format : NULL;
}

const char *vbsig_report_file(const vbsig_report *r)
{
    return r != NULL ? r->file : NULL;
}

const char *vbsig_report_signature_id(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL ? e->id : NULL;
}

const char *vbsig_report_signer_field(const vbsig_report *r, size_t i, vbsig_signer_field field)
{
    const vbsig_sig_entry *e = entry(r, i);
    if (e == NULL || !e->has_signer)
        return NULL;
    const vbsig_signer_info *s = &e->signer;
    switch (field) {
    case VBSIG_SIGNER_SUBJECT: return s->subject;
    case VBSIG_SIGNER_ISSUER: return s->issuer;
    case VBSIG_SIGNER_SERIAL: return s->serial;
    case VBSIG_SIGNER_KEY: return s->key;
    case VBSIG_SIGNER_NAME: return s->common_name;
    case VBSIG_SIGNER_ORGANIZATION: return s->organization;
    case VBSIG_SIGNER_TITLE: return s->title;
    case VBSIG_SIGNER_TAX_CODE: return s->tax_code;
    case VBSIG_SIGNER_ID_NUMBER: return s->id_number;
    case VBSIG_SIGNER_BUDGET_CODE: return s->budget_code;
    }
    return NULL;
}

time_t vbsig_report_signature_time(const vbsig_report *r, size_t i, vbsig_report_time which)
{
    const vbsig_sig_entry *e = entry(r, i);
    if (e == NULL)
        return 0;
    switch (which) {
    case VBSIG_TIME_SIGNING: return e->signing_time;
    case VBSIG_TIME_CLAIMED: return e->claimed_signing_time;
    case VBSIG_TIME_VALIDATION: return e->validation_time;
    case VBSIG_TIME_TIMESTAMP: return e->has_timestamp ? e->timestamp_time : 0;
    case VBSIG_TIME_REVOKED: return e->revoked_at;
    case VBSIG_TIME_REVOCATION_PRODUCED: return e->revocation_produced_at;
    }
    return 0;
}

int vbsig_report_signature_has_timestamp(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && e->has_timestamp;
}

vbsig_indication vbsig_report_timestamp_indication(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && e->has_timestamp ? e->timestamp_indication : VBSIG_TOTAL_FAILED;
}

const char *vbsig_report_timestamp_subindication(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && e->has_timestamp ? e->timestamp_subindication : NULL;
}

const char *vbsig_report_timestamp_tsa(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && e->has_timestamp && e->timestamp_tsa[0] != '\0' ? e->timestamp_tsa : NULL;
}

const char *vbsig_report_signature_digest_algorithm(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL ? e->digest_algorithm : NULL;
}

const char *vbsig_report_signature_trust_domain(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && e->trust_domain[0] != '\0' ? e->trust_domain : NULL;
}

int vbsig_report_signature_weak(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && e->weak;
}

size_t vbsig_report_signature_chain_count(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL ? e->chain_len : 0;
}

const char *vbsig_report_signature_chain(const vbsig_report *r, size_t i, size_t j)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && j < e->chain_len ? e->chain[j] : NULL;
}

const char *vbsig_report_signature_revocation(const vbsig_report *r, size_t i, const char **source,
                                              const char **reason)
{
    const vbsig_sig_entry *e = entry(r, i);
    if (source != NULL)
        *source = e != NULL ? e->revocation_source : NULL;
    if (reason != NULL)
        *reason = e != NULL ? e->revocation_reason : NULL;
    return e != NULL ? e->revocation_status : NULL;
}

int vbsig_report_signature_whole_document(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL ? e->whole_document : -1;
}

int vbsig_report_signature_revision(const vbsig_report *r, size_t i, size_t *revision, size_t *revision_count)
{
    const vbsig_sig_entry *e = entry(r, i);
    if (revision != NULL)
        *revision = e != NULL && e->pdf ? e->revision : 0;
    if (revision_count != NULL)
        *revision_count = e != NULL && e->pdf ? e->revision_count : 0;
    return e != NULL && e->pdf && e->revision != 0;
}

const char *vbsig_report_signature_subfilter(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && e->pdf ? e->subfilter : NULL;
}

int vbsig_report_signature_is_document_timestamp(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && e->pdf && e->document_timestamp;
}

int vbsig_report_signature_certification(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && e->pdf ? e->certification : 0;
}

int vbsig_report_signature_appearance(const vbsig_report *r, size_t i, size_t *page, double rect_mm[4])
{
    const vbsig_sig_entry *e = entry(r, i);
    int visible = e != NULL && e->pdf && e->appearance_visible;
    if (page != NULL)
        *page = visible ? e->appearance_page : 0;
    if (rect_mm != NULL)
        for (int k = 0; k < 4; k++)
            rect_mm[k] = visible ? e->appearance_rect_mm[k] : 0;
    return visible;
}

const char *vbsig_report_signature_modifications(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && e->pdf ? e->modifications : NULL;
}

size_t vbsig_report_signature_modification_count(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && e->pdf ? e->mod_reason_count : 0;
}

const char *vbsig_report_signature_modification(const vbsig_report *r, size_t i, size_t j)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && e->pdf && j < e->mod_reason_count ? e->mod_reasons[j] : NULL;
}

size_t vbsig_report_signature_message_count(const vbsig_report *r, size_t i)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL ? e->message_count : 0;
}

const char *vbsig_report_signature_message(const vbsig_report *r, size_t i, size_t j)
{
    const vbsig_sig_entry *e = entry(r, i);
    return e != NULL && j < e->message_count ? e->messages[j] : NULL;
}
