/* Verification of every ds:Signature of a document into one report. */
#include <string.h>

#include "xml.h"
#include "xml_lt.h"
#include "validate/rev.h"
#include "validate/validate.h"
#include "vbsig/xades.h"

#define XML_MAX_VERIFY_INPUT ((uint64_t)512 << 20)

static int collect_signatures(xmlNodePtr root, xmlNodePtr *out, size_t max, size_t *count)
{
    *count = 0;
    for (xmlNodePtr cur = root; cur != NULL; cur = vbsig_xml_next_in_subtree(cur, root)) {
        if (!vbsig_xml_is(cur, VBSIG_NS_DS, "Signature"))
            continue;
        if (*count == max)
            return vbsig_fail(VBSIG_E_LIMIT, _("the XML document has more than %zu signatures"), max);
        out[(*count)++] = cur;
    }
    return VBSIG_OK;
}

static void verify_one(vbsig_ctx *ctx, const vbsig_xml_doc *d, vbsig_xml_detached *detached, xmlNodePtr sig,
                       size_t index, vbsig_sig_entry *e, vbsig_xml_sig_cover *cover)
{
    vbsig_xml_sig s = {.d = d, .sig = sig, .e = e, .detached = detached, .keep_content = ctx->keep_signed_content,
                       .cover = cover};
    if (detached != NULL)
        detached->used = 0;
    char *id = vbsig_xml_attr(sig, "Id");
    char fallback[32];
    snprintf(fallback, sizeof fallback, "signature-%zu", index + 1);
    vbsig_entry_set_id(e, id != NULL ? id : fallback);
    free(id);
    e->whole_document = 0;
    if (d->duplicate_id != NULL) {
        vbsig_entry_worsen(e, VBSIG_TOTAL_FAILED, "FORMAT_FAILURE");
        vbsig_entry_note(e, _("the document uses the ID '%s' twice: references cannot be resolved safely"),
                         d->duplicate_id);
        return;
    }
    if (vbsig_xml_check_structure(&s) != 0)
        return;
    int refs_bad = vbsig_xml_check_references(&s);
    if (detached != NULL && !detached->used) {
        vbsig_entry_worsen(e, VBSIG_INDETERMINATE, "SIGNED_DATA_NOT_FOUND");
        vbsig_entry_note(e, _("no Reference of this signature names the data file given (%s)"), detached->name);
    }
    vbsig_xml_check_signature_value(&s, (size_t)vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_CERTS));
    cover->valid = !refs_bad && s.cert != NULL;
    if (s.cert != NULL) {
        vbsig_xml_check_xades(&s);
        /* B-LT: CertificateValues join the path-building pool, and the
         * RevocationValues are consulted before any cache or network. */
        vbsig_lt_data lt;
        vbsig_lt_data_init(&lt);
        struct vbsig_rev_embedded emb;
        vbsig_xml_lt_load(&s, &lt);
        vbsig_lt_embed_begin(ctx, &lt, &emb);
        /* B-T: the timestamp's proven time is the time the path is validated at. */
        vbsig_xml_check_timestamps(ctx, &s);
        time_t at = vbsig_validation_time_for(ctx, e);
        vbsig_path_validate(ctx, s.cert, s.certs, at, e);
        vbsig_revocation_assess(ctx, s.cert, s.certs, e);
        if (e->level != NULL && strcmp(e->level, "B-T") == 0 && vbsig_lt_evidence_embedded(e, &lt))
            e->level = "B-LT";
        if (e->indication != VBSIG_TOTAL_FAILED)
            vbsig_xml_check_archive_timestamps(ctx, &s);
        vbsig_lt_embed_end(ctx);
        vbsig_lt_data_free(&lt);
    }
    e->whole_document = s.covers_root;
    sk_X509_pop_free(s.certs, X509_free);
}

static int verify_doc(vbsig_ctx *ctx, const vbsig_xml_doc *d, vbsig_xml_detached *detached, vbsig_report *r)
{
    size_t max = (size_t)vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_SIGNERS), count = 0;
    xmlNodePtr *sigs = calloc(max > 0 ? max : 1, sizeof *sigs);
    if (sigs == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = collect_signatures(xmlDocGetRootElement(d->doc), sigs, max, &count);
    vbsig_xml_sig_cover *covers = rc == VBSIG_OK && count > 0 ? calloc(count, sizeof *covers) : NULL;
    if (rc == VBSIG_OK && count > 0 && covers == NULL)
        rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t first = r->count;
    for (size_t i = 0; rc == VBSIG_OK && i < count; i++) {
        vbsig_sig_entry *e = NULL;
        rc = vbsig_report_add_entry(r, &e);
        if (rc == VBSIG_OK)
            verify_one(ctx, d, detached, sigs[i], i, e, &covers[i]);
        for (xmlNodePtr c = vbsig_xml_elem(sigs[i]->children); c != NULL; c = vbsig_xml_elem(c->next))
            for (xmlNodePtr q = vbsig_xml_elem(c->children); vbsig_xml_is(c, VBSIG_NS_DS, "Object") && q != NULL;
                 q = vbsig_xml_elem(q->next))
                if (vbsig_xml_is(q, VBSIG_NS_XADES, "QualifyingProperties"))
                    r->format = "xades";
    }
    if (rc == VBSIG_OK && count > 0 && d->duplicate_id == NULL)
        vbsig_xml_check_wrapping(d, sigs, covers, count, r->sigs + first);
    free(covers);
    free(sigs);
    return rc;
}

static int verify_any(vbsig_ctx *ctx, const uint8_t *p, size_t n, vbsig_xml_detached *detached, vbsig_report **out)
{
    vbsig_i18n_ensure();
    if (ctx == NULL || out == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_xml_verify: missing context or output"));
    *out = NULL;
    uint64_t max = vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_INPUT_SIZE);
    vbsig_xml_doc d;
    int rc = vbsig_xml_parse(p, n, max < XML_MAX_VERIFY_INPUT ? max : XML_MAX_VERIFY_INPUT,
                             _("the XML document"), &d);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_report *r = NULL;
    rc = vbsig_report_create("xmldsig", &r);
    if (rc == VBSIG_OK)
        rc = verify_doc(ctx, &d, detached, r);
    vbsig_xml_doc_clear(&d);
    if (rc != VBSIG_OK) {
        vbsig_report_free(r);
        return rc;
    }
    *out = r;
    return VBSIG_OK;
}

int vbsig_xml_verify(vbsig_ctx *ctx, const uint8_t *p, size_t n, vbsig_report **out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE_BYTES(p, n, "doc");
    VBSIG_REQUIRE(out, "out");
    return verify_any(ctx, p, n, NULL, out);
}

int vbsig_xml_verify_detached(vbsig_ctx *ctx, const uint8_t *sig, size_t sig_len, const uint8_t *data,
                              size_t data_len, const char *data_name, vbsig_report **out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE_BYTES(sig, sig_len, "sig");
    VBSIG_REQUIRE_BYTES(data, data_len, "data");
    VBSIG_REQUIRE(data_name, "data_name");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    if (data == NULL && data_len != 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_xml_verify_detached: missing data"));
    if (data_name == NULL || data_name[0] == '\0' || strchr(data_name, '/') != NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_xml_verify_detached: the data needs a bare file name"));
    vbsig_xml_detached detached = {data != NULL ? data : (const uint8_t *)"", data_len, data_name, 0};
    return verify_any(ctx, sig, sig_len, &detached, out);
}

int vbsig_xml_verify_detached_file(vbsig_ctx *ctx, const char *sig_path, const char *data_path, vbsig_report **out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(sig_path, "sig_path");
    VBSIG_REQUIRE(data_path, "data_path");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    if (ctx == NULL || sig_path == NULL || data_path == NULL || out == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_xml_verify_detached_file: missing argument"));
    vbsig_file_map sig, data;
    int rc = vbsig_file_map_open(&sig, sig_path, XML_MAX_VERIFY_INPUT);
    if (rc != VBSIG_OK)
        return rc;
    rc = vbsig_file_map_open(&data, data_path, vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_INPUT_SIZE));
    if (rc != VBSIG_OK) {
        vbsig_file_map_close(&sig);
        return rc;
    }
    const char *slash = strrchr(data_path, '/');
    rc = vbsig_xml_verify_detached(ctx, sig.data, sig.len, data.data, data.len, slash != NULL ? slash + 1 : data_path, out);
    if (rc == VBSIG_OK)
        vbsig_report_set_file(*out, sig_path);
    vbsig_file_map_close(&data);
    vbsig_file_map_close(&sig);
    return rc;
}

int vbsig_xml_verify_file(vbsig_ctx *ctx, const char *path, vbsig_report **out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(path, "path");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    vbsig_file_map in;
    int rc = vbsig_file_map_open(&in, path, XML_MAX_VERIFY_INPUT);
    if (rc != VBSIG_OK)
        return rc;
    rc = vbsig_xml_verify(ctx, in.data, in.len, out);
    if (rc == VBSIG_OK)
        vbsig_report_set_file(*out, path);
    vbsig_file_map_close(&in);
    return rc;
}
