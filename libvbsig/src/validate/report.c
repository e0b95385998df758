/* The report model: entries per signature and their accessors. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "util/util.h"
#include "validate/validate.h"

/* A report with more messages than this per signature says nothing new. */
#define ENTRY_MESSAGES_MAX 64

int vbsig_report_create(const char *format, vbsig_report **out)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    (*out)->format = format;
    return VBSIG_OK;
}

int vbsig_report_add_entry(vbsig_report *r, vbsig_sig_entry **out)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4;
        vbsig_sig_entry *n = realloc(r->sigs, cap * sizeof *n);
        if (n == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        r->sigs = n;
        r->cap = cap;
    }
    vbsig_sig_entry *e = &r->sigs[r->count++];
    memset(e, 0, sizeof *e);
    e->indication = VBSIG_TOTAL_PASSED;
    e->whole_document = -1;
    *out = e;
    return VBSIG_OK;
}

void vbsig_entry_worsen(vbsig_sig_entry *e, vbsig_indication ind, const char *sub)
{
    if (ind > e->indication) {
        e->indication = ind;
        e->subindication = sub;
    } else if (ind == e->indication && e->subindication == NULL) {
        e->subindication = sub;
    }
}

/* One formatted line appended to a list of at most ENTRY_MESSAGES_MAX
 * (further ones are dropped: a report need not repeat itself without end). */
__attribute__((format(printf, 3, 0))) static int append_line(char ***list, size_t *count, const char *fmt, va_list ap)
{
    if (*count >= ENTRY_MESSAGES_MAX)
        return VBSIG_OK;
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    char **n = realloc(*list, (*count + 1) * sizeof *n);
    if (n == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    *list = n;
    if ((n[*count] = strdup(buf)) == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    (*count)++;
    return VBSIG_OK;
}

int vbsig_entry_note(vbsig_sig_entry *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = append_line(&e->messages, &e->message_count, fmt, ap);
    va_end(ap);
    return rc;
}

int vbsig_entry_set_signer(vbsig_sig_entry *e, X509 *cert)
{
    vbsig_signer_info_clear(&e->signer);
    int rc = vbsig_signer_info_fill(&e->signer, cert);
    e->has_signer = rc == VBSIG_OK;
    return rc;
}

int vbsig_entry_set_id(vbsig_sig_entry *e, const char *id)
{
    free(e->id);
    e->id = strdup(id);
    return e->id != NULL ? VBSIG_OK : vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
}

int vbsig_entry_mod_reason(vbsig_sig_entry *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = append_line(&e->mod_reasons, &e->mod_reason_count, fmt, ap);
    va_end(ap);
    return rc;
}

void vbsig_entry_set_signature_value(vbsig_sig_entry *e, const uint8_t *p, size_t n)
{
    unsigned len = 0;
    e->has_sig_digest = p != NULL && EVP_Digest(p, n, e->sig_digest, &len, EVP_sha256(), NULL) && len == 32;
}

void vbsig_entry_add_rev_object(vbsig_sig_entry *e, const char *type, vbsig_bytes *der)
{
    if (type == NULL || der->len == 0 || e->rev_object_count >= ENTRY_MESSAGES_MAX)
        return;
    vbsig_rev_object *n = realloc(e->rev_objects, (e->rev_object_count + 1) * sizeof *n);
    if (n == NULL)
        return; /* the report then lists one object less; the verdict stands */
    e->rev_objects = n;
    n[e->rev_object_count].type = type;
    n[e->rev_object_count].der = der->data;
    n[e->rev_object_count].len = der->len;
    e->rev_object_count++;
    vbsig_bytes_init(der);
}

vbsig_signed_ref *vbsig_entry_add_ref(vbsig_sig_entry *e, const char *uri, const char *path, const char *id,
                                      const char *kind)
{
    vbsig_signed_ref *n = realloc(e->refs, (e->ref_count + 1) * sizeof *n);
    if (n == NULL)
        return NULL;
    e->refs = n;
    vbsig_signed_ref *r = &n[e->ref_count];
    memset(r, 0, sizeof *r);
    r->uri = strdup(uri != NULL ? uri : "");
    r->path = strdup(path != NULL ? path : "");
    r->id = id != NULL ? strdup(id) : NULL;
    r->kind = kind;
    if (r->uri == NULL || r->path == NULL || (id != NULL && r->id == NULL)) {
        free(r->uri);
        free(r->path);
        free(r->id);
        return NULL;
    }
    e->ref_count++;
    return r;
}

static void entry_clear(vbsig_sig_entry *e)
{
    for (size_t i = 0; i < e->ref_count; i++) {
        free(e->refs[i].uri);
        free(e->refs[i].path);
        free(e->refs[i].id);
        free(e->refs[i].content);
    }
    free(e->refs);
    for (size_t i = 0; i < e->ts_seen_count; i++)
        free(e->ts_seen[i].tsa);
    free(e->ts_seen);
    for (size_t i = 0; i < e->rev_object_count; i++)
        free(e->rev_objects[i].der);
    free(e->rev_objects);
    for (size_t i = 0; i < e->chain_der_count; i++)
        OPENSSL_free(e->chain_der[i]);
    free(e->chain_der);
    free(e->chain_der_len);
    for (size_t i = 0; i < e->mod_reason_count; i++)
        free(e->mod_reasons[i]);
    free(e->mod_reasons);
    free(e->subfilter);
    free(e->id);
    vbsig_signer_info_clear(&e->signer);
    for (size_t i = 0; i < e->chain_len; i++)
        free(e->chain[i]);
    free(e->chain);
    for (size_t i = 0; i < e->message_count; i++)
        free(e->messages[i]);
    free(e->messages);
    sk_X509_pop_free(e->built_path, X509_free);
}

void vbsig_report_free(vbsig_report *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->count; i++)
        entry_clear(&r->sigs[i]);
    free(r->sigs);
    free(r->file);
    free(r);
}

int vbsig_report_set_file(vbsig_report *r, const char *name)
{
    VBSIG_REQUIRE(r, "r");
    char *copy = strdup(name != NULL ? name : "");
    if (copy == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    free(r->file);
    r->file = copy;
    return VBSIG_OK;
}

const char *vbsig_indication_name(vbsig_indication ind)
{
    switch (ind) {
    case VBSIG_TOTAL_PASSED: return "TOTAL-PASSED";
    case VBSIG_INDETERMINATE: return "INDETERMINATE";
    case VBSIG_TOTAL_FAILED: return "TOTAL-FAILED";
    }
    return "TOTAL-FAILED";
}

vbsig_indication vbsig_report_indication(const vbsig_report *r)
{
    if (r == NULL)
        return VBSIG_TOTAL_FAILED;
    if (r->count == 0)
        return VBSIG_TOTAL_FAILED;
    vbsig_indication worst = VBSIG_TOTAL_PASSED;
    for (size_t i = 0; i < r->count; i++)
        if (r->sigs[i].indication > worst)
            worst = r->sigs[i].indication;
    return worst;
}

size_t vbsig_report_signature_count(const vbsig_report *r)
{
    if (r == NULL)
        return 0;
    return r->count;
}

vbsig_indication vbsig_report_signature_indication(const vbsig_report *r, size_t i)
{
    if (r == NULL)
        return VBSIG_TOTAL_FAILED;
    return i < r->count ? r->sigs[i].indication : VBSIG_TOTAL_FAILED;
}

const char *vbsig_report_signature_subindication(const vbsig_report *r, size_t i)
{
    if (r == NULL)
        return NULL;
    return i < r->count ? r->sigs[i].subindication : NULL;
}

const char *vbsig_report_signature_level(const vbsig_report *r, size_t i)
{
    if (r == NULL)
        return NULL;
    return i < r->count ? r->sigs[i].level : NULL;
}

void vbsig_report_render_opts_init(vbsig_report_render_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = VBSIG_REPORT_RENDER_OPTS_VERSION;
}
