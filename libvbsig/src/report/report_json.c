/* The JSON report of the CLI contract (reference/cli-contract.md). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/util.h"
#include "validate/validate.h"

static json_t *str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static json_t *time_or_null(time_t t, int utc)
{
    if (t == 0)
        return json_null();
    char buf[32];
    vbsig_time_format(t, utc ? 0 : VBSIG_TZ_VIETNAM_MINUTES, buf);
    return json_string(buf);
}

static json_t *signer_json(const vbsig_signer_info *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "subject", str_or_null(s->subject));
    json_object_set_new(o, "issuer", str_or_null(s->issuer));
    json_object_set_new(o, "serial", str_or_null(s->serial));
    json_object_set_new(o, "key", str_or_null(s->key));
    json_object_set_new(o, "common_name", str_or_null(s->common_name));
    json_object_set_new(o, "organization", str_or_null(s->organization));
    json_object_set_new(o, "title", str_or_null(s->title));
    json_object_set_new(o, "tax_code", str_or_null(s->tax_code));
    json_object_set_new(o, "id_number", str_or_null(s->id_number));
    json_object_set_new(o, "budget_code", str_or_null(s->budget_code));
    return o;
}

static json_t *ts_revocation_json(const char *status, const char *source, const char *reason, time_t at, int utc)
{
    if (status == NULL)
        return json_null();
    json_t *rev = json_object();
    json_object_set_new(rev, "status", json_string(status));
    json_object_set_new(rev, "source", str_or_null(source));
    json_object_set_new(rev, "reason", str_or_null(reason));
    json_object_set_new(rev, "revoked_at", time_or_null(at, utc));
    return rev;
}

/* The contract's {"time","tsa","status"}, plus the sub-indication. */
static json_t *timestamp_json(const vbsig_sig_entry *e, int utc)
{
    if (!e->has_timestamp)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "time", time_or_null(e->timestamp_time, utc));
    json_object_set_new(o, "tsa", e->timestamp_tsa[0] ? json_string(e->timestamp_tsa) : json_null());
    /* Additive (before the status, which closes the object as the contract
     * shows it): the TSA certificate's revocation status, null when the
     * token was not checked that far. */
    json_object_set_new(o, "revocation",
                        ts_revocation_json(e->timestamp_revocation_status, e->timestamp_revocation_source,
                                           e->timestamp_revocation_reason, e->timestamp_revoked_at, utc));
    json_object_set_new(o, "status", json_string(vbsig_indication_name(e->timestamp_indication)));
    json_object_set_new(o, "subindication", str_or_null(e->timestamp_subindication));
    return o;
}

/* Additive: every signature timestamp judged, in the signature's order, each
 * with its TSA certificate's revocation status ("timestamp" above is the
 * one that counts). */
static json_t *timestamps_json(const vbsig_sig_entry *e, int utc)
{
    json_t *a = json_array();
    for (size_t i = 0; i < e->ts_seen_count; i++) {
        const vbsig_ts_seen *t = &e->ts_seen[i];
        json_t *o = json_object();
        json_object_set_new(o, "time", time_or_null(t->time, utc));
        json_object_set_new(o, "tsa", str_or_null(t->tsa));
        json_object_set_new(o, "revocation", ts_revocation_json(t->revocation_status, t->revocation_source,
                                                                t->revocation_reason, t->revoked_at, utc));
        json_object_set_new(o, "status", json_string(vbsig_indication_name(t->indication)));
        json_object_set_new(o, "subindication", str_or_null(t->subindication));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *entry_json(const vbsig_sig_entry *e, size_t index, int utc)
{
    json_t *o = json_object();
    json_object_set_new(o, "index", json_integer((json_int_t)index));
    json_object_set_new(o, "id", str_or_null(e->id));
    json_object_set_new(o, "status", json_string(vbsig_indication_name(e->indication)));
    json_object_set_new(o, "subindication", str_or_null(e->subindication));
    json_object_set_new(o, "level", str_or_null(e->level));
    json_object_set_new(o, "signer", e->has_signer ? signer_json(&e->signer) : json_null());
    json_object_set_new(o, "digest_algorithm", str_or_null(e->digest_algorithm));
    json_object_set_new(o, "signing_time", time_or_null(e->signing_time, utc));
    json_object_set_new(o, "claimed_signing_time", time_or_null(e->claimed_signing_time, utc));
    json_object_set_new(o, "validation_time", time_or_null(e->validation_time, utc));
    json_object_set_new(o, "timestamp", timestamp_json(e, utc));
    if (e->ts_seen_count > 0)
        json_object_set_new(o, "timestamps", timestamps_json(e, utc));
    if (e->whole_document >= 0) {
        json_t *cov = json_object();
        json_object_set_new(cov, "whole_document", json_boolean(e->whole_document));
        if (e->pdf && e->revision > 0) {
            json_object_set_new(cov, "revision", json_integer((json_int_t)e->revision));
            json_object_set_new(cov, "revisions", json_integer((json_int_t)e->revision_count));
            json_object_set_new(cov, "revisions_after", json_integer((json_int_t)(e->revision_count - e->revision)));
        }
        if (e->pdf && e->has_trailing) {
            json_t *t = json_object();
            json_object_set_new(t, "offset", json_integer((json_int_t)e->trailing_offset));
            json_object_set_new(t, "size", json_integer((json_int_t)e->trailing_size));
            json_object_set_new(t, "object_definitions", json_integer((json_int_t)e->trailing_objects));
            json_object_set_new(cov, "after_last_revision", t);
        } else if (e->pdf) {
            json_object_set_new(cov, "after_last_revision", json_null());
        }
        json_object_set_new(o, "coverage", cov);
    } else {
        json_object_set_new(o, "coverage", json_null());
    }
    if (e->ref_count > 0) {
        /* Additive (XML): what each Reference signed, so that an
         * application can read only signed data. */
        json_t *refs = json_array();
        for (size_t i = 0; i < e->ref_count; i++) {
            const vbsig_signed_ref *f = &e->refs[i];
            json_t *ro = json_object();
            json_object_set_new(ro, "uri", json_string(f->uri));
            json_object_set_new(ro, "kind", json_string(f->kind));
            json_object_set_new(ro, "path", json_string(f->path));
            json_object_set_new(ro, "id", str_or_null(f->id));
            json_object_set_new(ro, "bytes", json_integer((json_int_t)f->bytes));
            json_object_set_new(ro, "digest_ok", json_boolean(f->digest_ok));
            json_array_append_new(refs, ro);
        }
        json_object_set_new(o, "references", refs);
    }
    json_object_set_new(o, "modifications_after", str_or_null(e->modifications));
    json_object_set_new(o, "certification", e->certification > 0 ? json_integer(e->certification) : json_null());
    /* Every signature has the key (cli-contract): null when invisible or
     * not a PDF signature; the rectangle in mm rounded to 0.01 mm. */
    json_t *ap = json_null();
    if (e->pdf && e->appearance_visible) {
        ap = json_object();
        json_object_set_new(ap, "visible", json_true());
        json_object_set_new(ap, "page", json_integer((json_int_t)e->appearance_page));
        json_t *rect = json_array();
        for (int i = 0; i < 4; i++) {
            double v = e->appearance_rect_mm[i] * 100.0;
            json_array_append_new(rect, json_real((double)(long long)(v + (v < 0 ? -0.5 : 0.5)) / 100.0));
        }
        json_object_set_new(ap, "rect_mm", rect);
    }
    json_object_set_new(o, "appearance", ap);
    if (e->pdf) {
        json_object_set_new(o, "subfilter", str_or_null(e->subfilter));
        json_object_set_new(o, "type", json_string(e->document_timestamp ? "document_timestamp" : "signature"));
        json_t *why = json_array();
        for (size_t i = 0; i < e->mod_reason_count; i++)
            json_array_append_new(why, json_string(e->mod_reasons[i]));
        json_object_set_new(o, "modification_reasons", why);
    }
    json_t *chain = json_array();
    for (size_t i = 0; i < e->chain_len; i++)
        json_array_append_new(chain, json_string(e->chain[i]));
    json_object_set_new(o, "chain", chain);
    json_object_set_new(o, "trust_domain", e->trust_domain[0] ? json_string(e->trust_domain) : json_null());
    json_t *rev = json_object();
    json_object_set_new(rev, "status", str_or_null(e->revocation_status));
    json_object_set_new(rev, "source", str_or_null(e->revocation_source));
    json_object_set_new(rev, "produced_at", time_or_null(e->revocation_produced_at, utc));
    json_object_set_new(rev, "revoked_at", time_or_null(e->revoked_at, utc));
    json_object_set_new(rev, "reason", str_or_null(e->revocation_reason));
    json_object_set_new(o, "revocation", rev);
    json_object_set_new(o, "weak_algorithm", json_boolean(e->weak));
    json_t *msgs = json_array();
    for (size_t i = 0; i < e->message_count; i++)
        json_array_append_new(msgs, json_string(e->messages[i]));
    json_object_set_new(o, "messages", msgs);
    return o;
}

int vbsig_report_to_json(const vbsig_report *r, const vbsig_report_render_opts *opts,
                         vbsig_buf *out)
{
    VBSIG_REQUIRE(r, "r");
    VBSIG_REQUIRE(out, "out");
    vbsig_report_render_opts defaults;
    if (opts == NULL) {
        vbsig_report_render_opts_init(&defaults);
        opts = &defaults;
    }
    out->data = NULL;
    out->len = 0;
    json_t *root = json_object();
    if (r->file != NULL && !vbsig_utf8_valid(r->file)) {
        /* A name that is not UTF-8: readable with U+FFFD, exact in hex. */
        char *clean = vbsig_utf8_sanitize(r->file), *hex = NULL;
        vbsig_hex_encode((const uint8_t *)r->file, strlen(r->file), 0, &hex);
        json_object_set_new(root, "file", clean != NULL ? json_string(clean) : json_null());
        json_object_set_new(root, "file_bytes_hex", hex != NULL ? json_string(hex) : json_null());
        free(clean);
        free(hex);
    } else {
        json_object_set_new(root, "file", str_or_null(r->file));
    }
    json_object_set_new(root, "format", str_or_null(r->format));
    json_object_set_new(root, "status", json_string(vbsig_indication_name(vbsig_report_indication(r))));
    json_t *sigs = json_array();
    for (size_t i = 0; i < r->count; i++)
        json_array_append_new(sigs, entry_json(&r->sigs[i], i, opts->utc));
    json_object_set_new(root, "signatures", sigs);
    char *text = json_dumps(root, (opts->pretty ? JSON_INDENT(2) : JSON_COMPACT));
    json_decref(root);
    if (text == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    out->data = (uint8_t *)text;
    out->len = strlen(text);
    return VBSIG_OK;
}
