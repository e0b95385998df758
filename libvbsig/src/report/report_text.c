/* The report for people, in the language of the current locale. */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "validate/validate.h"

static const char *indication_words(vbsig_indication ind)
{
    switch (ind) {
    case VBSIG_TOTAL_PASSED: return _("VALID");
    case VBSIG_INDETERMINATE: return _("CANNOT BE CONFIRMED");
    case VBSIG_TOTAL_FAILED: return _("INVALID");
    }
    return _("INVALID");
}

/* Pads by code points, not bytes, so Vietnamese labels line up too. */
static void label(vbsig_bytes *b, const char *text)
{
    size_t points = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        points += (*p & 0xC0) != 0x80;
    vbsig_bytes_printf(b, "    %s", text);
    for (; points < 28; points++)
        vbsig_bytes_append_str(b, " ");
}

/* The JSON keeps the contract's codes; people read words. */
static const char *revocation_words(const char *status)
{
    if (status == NULL)
        return NULL;
    if (strcmp(status, "good") == 0)
        return _("good (not revoked)");
    if (strcmp(status, "revoked") == 0)
        return _("REVOKED");
    if (strcmp(status, "unknown") == 0)
        return _("unknown to the responder");
    if (strcmp(status, "unchecked") == 0)
        return _("not checked");
    if (strcmp(status, "unavailable") == 0)
        return _("could not be obtained");
    return status;
}

static void line(vbsig_bytes *b, const char *name, const char *value)
{
    if (value == NULL || value[0] == '\0')
        return;
    label(b, name);
    vbsig_bytes_printf(b, " %s\n", value);
}

static void time_line(vbsig_bytes *b, const char *label, time_t t, int utc)
{
    if (t == 0)
        return;
    char buf[32];
    vbsig_time_format(t, utc ? 0 : VBSIG_TZ_VIETNAM_MINUTES, buf);
    line(b, label, buf);
}

static void timestamp_line(vbsig_bytes *b, const vbsig_sig_entry *e, int utc)
{
    if (!e->has_timestamp)
        return;
    char when[32] = "?";
    if (e->timestamp_time != 0)
        vbsig_time_format(e->timestamp_time, utc ? 0 : VBSIG_TZ_VIETNAM_MINUTES, when);
    label(b, _("Timestamp:"));
    vbsig_bytes_printf(b, " %s — %s%s%s\n", when, vbsig_indication_name(e->timestamp_indication),
                       e->timestamp_subindication ? " / " : "",
                       e->timestamp_subindication ? e->timestamp_subindication : "");
    line(b, _("Timestamp authority:"), e->timestamp_tsa);
    if (e->timestamp_revocation_status != NULL)
        line(b, _("TSA revocation:"), e->timestamp_revocation_status);
}

/* The PDF-only facts: what kind of signature, which revision, what came after. */
static void pdf_lines(vbsig_bytes *b, const vbsig_sig_entry *e)
{
    line(b, _("PDF signature type:"), e->subfilter);
    if (e->document_timestamp)
        line(b, _("Kind:"), _("document timestamp"));
    if (e->revision > 0) {
        char buf[64];
        snprintf(buf, sizeof buf, _("revision %zu of %zu"), e->revision, e->revision_count);
        line(b, _("Signed revision:"), buf);
    }
    if (e->certification > 0) {
        char buf[64];
        snprintf(buf, sizeof buf, _("certification signature, DocMDP P=%d"), e->certification);
        line(b, _("Certification:"), buf);
    }
    if (e->appearance_visible) {
        char buf[128];
        snprintf(buf, sizeof buf, _("visible on page %zu at %.1f, %.1f mm (from the top left), %.1f x %.1f mm"),
                 e->appearance_page, e->appearance_rect_mm[0], e->appearance_rect_mm[1], e->appearance_rect_mm[2],
                 e->appearance_rect_mm[3]);
        line(b, _("Appearance:"), buf);
    } else {
        line(b, _("Appearance:"), _("invisible"));
    }
    if (e->modifications != NULL) {
        const char *words = strcmp(e->modifications, "none") == 0      ? _("none")
                            : strcmp(e->modifications, "allowed") == 0 ? _("allowed changes only")
                                                                       : _("DISALLOWED changes");
        line(b, _("Changes after signing:"), words);
    }
    for (size_t i = 0; i < e->mod_reason_count; i++)
        vbsig_bytes_printf(b, "      - %s\n", e->mod_reasons[i]);
}

/* No baseline level: say why rather than name a format the signature may
 * not have. A failed signature's level cannot be judged at all. */
static const char *level_words(const vbsig_sig_entry *e, const char *format)
{
    if (e->level != NULL)
        return e->level;
    if (e->indication == VBSIG_TOTAL_FAILED)
        return _("not determined (the signature failed)");
    if (e->pdf && e->document_timestamp)
        return _("none (a document timestamp)");
    if (e->pdf)
        return _("none (not a PAdES baseline signature)");
    if (format != NULL && strcmp(format, "xades") == 0)
        return _("none (XMLDSig without XAdES properties)");
    return _("none (plain CMS)");
}

/* What a signature that does not cover the whole document covers. */
static const char *coverage_words(const vbsig_sig_entry *e)
{
    if (e->whole_document)
        return _("the whole document");
    if (e->covers_enveloped)
        return _("the document enveloped in the signature (its ds:Object)");
    if (e->pdf)
        return _("the document up to its signed revision (later changes below)");
    return _("only the signed elements listed below");
}

static void entry_text(vbsig_bytes *b, const vbsig_sig_entry *e, size_t index, int utc, const char *format)
{
    vbsig_bytes_printf(b, _("  Signature %zu (%s): %s — %s%s%s\n"), index + 1, e->id ? e->id : "?",
                       indication_words(e->indication), vbsig_indication_name(e->indication),
                       e->subindication ? " / " : "", e->subindication ? e->subindication : "");
    if (e->has_signer) {
        const vbsig_signer_info *s = &e->signer;
        line(b, _("Signer:"), s->common_name);
        line(b, _("Title:"), s->title);
        line(b, _("Organisation:"), s->organization);
        line(b, _("ID number:"), s->id_number);
        line(b, _("Tax code:"), s->tax_code);
        line(b, _("Budget unit code:"), s->budget_code);
        line(b, _("Certificate issuer:"), s->issuer);
        line(b, _("Certificate serial:"), s->serial);
        line(b, _("Key:"), s->key);
    }
    line(b, _("Digest algorithm:"), e->digest_algorithm);
    line(b, _("Level:"), level_words(e, format));
    time_line(b, _("Proven signing time:"), e->signing_time, utc);
    time_line(b, _("Claimed signing time:"), e->claimed_signing_time, utc);
    timestamp_line(b, e, utc);
    time_line(b, _("Validated at:"), e->validation_time, utc);
    if (e->whole_document >= 0)
        line(b, _("Covers:"), coverage_words(e));
    if (e->pdf)
        pdf_lines(b, e);
    if (e->ref_count > 0) {
        label(b, _("Signed references:"));
        vbsig_bytes_append_str(b, "\n");
        for (size_t i = 0; i < e->ref_count; i++) {
            const vbsig_signed_ref *f = &e->refs[i];
            vbsig_bytes_printf(b, _("      %zu. %s (Id %s, URI \"%s\"): %zu canonical bytes, digest %s\n"), i + 1,
                               f->path, f->id != NULL ? f->id : "-", f->uri, f->bytes,
                               f->digest_ok ? _("matches") : _("DOES NOT MATCH"));
        }
    }
    if (e->chain_len > 0) {
        label(b, _("Certificate chain:"));
        vbsig_bytes_append_str(b, "\n");
        for (size_t i = 0; i < e->chain_len; i++)
            vbsig_bytes_printf(b, "      %zu. %s\n", i + 1, e->chain[i]);
    }
    line(b, _("Trust domain:"), e->trust_domain[0] ? e->trust_domain : NULL);
    line(b, _("Revocation status:"), revocation_words(e->revocation_status));
    line(b, _("Revocation source:"), e->revocation_source);
    time_line(b, _("Revocation data from:"), e->revocation_produced_at, utc);
    time_line(b, _("Revoked at:"), e->revoked_at, utc);
    line(b, _("Revocation reason:"), e->revocation_reason);
    if (e->message_count > 0) {
        label(b, _("Notes:"));
        vbsig_bytes_append_str(b, "\n");
        for (size_t i = 0; i < e->message_count; i++)
            vbsig_bytes_printf(b, "      - %s\n", e->messages[i]);
    }
}

int vbsig_report_to_text(const vbsig_report *r, const vbsig_report_render_opts *opts,
                         vbsig_buf *out)
{
    VBSIG_REQUIRE(r, "r");
    VBSIG_REQUIRE(out, "out");
    vbsig_report_render_opts defaults;
    if (opts == NULL) {
        vbsig_report_render_opts_init(&defaults);
        opts = &defaults;
    }
    vbsig_bytes b;
    vbsig_bytes_init(&b);
    vbsig_indication overall = vbsig_report_indication(r);
    vbsig_bytes_printf(&b, _("Signature validation report\n"));
    vbsig_bytes_printf(&b, _("  File: %s (%s)\n"), r->file ? r->file : "-", r->format ? r->format : "-");
    vbsig_bytes_printf(&b, _("  Result: %s — %s\n"), indication_words(overall), vbsig_indication_name(overall));
    if (r->count == 0)
        vbsig_bytes_printf(&b, _("  The file carries no signature.\n"));
    for (size_t i = 0; i < r->count; i++) {
        vbsig_bytes_append_str(&b, "\n");
        entry_text(&b, &r->sigs[i], i, opts->utc, r->format);
    }
    if (b.data == NULL) {
        vbsig_bytes_free(&b);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    vbsig_bytes_to_buf(&b, out);
    return VBSIG_OK;
}
