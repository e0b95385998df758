/* The batch object: files added, their output names, per-file results. */
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sign/batch_int.h"
#include "util/util.h"

#define NULL_ARG(fn, name) vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), fn, name)

void vbsig_batch_opts_init(vbsig_batch_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = VBSIG_BATCH_OPTS_VERSION;
    vbsig_sign_opts_init(&opts->sign);
}

char *vbsig__batch_copy_error(void)
{
    const char *m = vbsig_last_error();
    return strdup(m != NULL ? m : "");
}

/* The format options as vbsig_sign_file reads them (older versions of the
 * structures taken as far as they go), for the batch's own decisions. */
static int effective_opts(vbsig_batch *b)
{
    const vbsig_sign_opts *s = &b->opts.sign;
    vbsig_cades_sign_opts_init(&b->cades);
    if (s->cades != NULL) {
        if (s->cades->version != 1 && s->cades->version != VBSIG_CADES_SIGN_OPTS_VERSION)
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: options must be set up with %s"), "vbsig_batch_new",
                              "vbsig_cades_sign_opts_init");
        memcpy(&b->cades, s->cades,
               s->cades->version == 1 ? offsetof(vbsig_cades_sign_opts, level) : sizeof b->cades);
        b->cades.version = VBSIG_CADES_SIGN_OPTS_VERSION;
    }
    vbsig_xml_sign_opts_init(&b->xml);
    if (s->xml != NULL) {
        if (s->xml->version != 1 && s->xml->version != VBSIG_XML_SIGN_OPTS_VERSION)
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: options must be set up with %s"), "vbsig_batch_new",
                              "vbsig_xml_sign_opts_init");
        memcpy(&b->xml, s->xml, s->xml->version == 1 ? offsetof(vbsig_xml_sign_opts, level) : sizeof b->xml);
        b->xml.version = VBSIG_XML_SIGN_OPTS_VERSION;
    }
    if (s->pades != NULL)
        b->pades = *s->pades;
    else
        vbsig_pades_sign_opts_init(&b->pades);
    /* The pipeline prepares at B-B, without a TSA, and checks each
     * signature value itself; the first file of a format and other levels
     * go the one-file way with the full options. */
    b->cades_bb = b->cades;
    b->cades_bb.level = VBSIG_LEVEL_B_B;
    b->cades_bb.tsp = NULL;
    b->cades_bb.verify_after_sign = 0; /* finish checks the value itself */
    b->pades_bb = b->pades;
    b->pades_bb.level = VBSIG_LEVEL_B_B;
    b->pades_bb.tsp = NULL;
    b->pades_bb.verify_after_sign = 0;
    return VBSIG_OK;
}

int vbsig_batch_new(vbsig_batch **out, vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_batch_opts *opts)
{
    vbsig_i18n_ensure();
    if (out == NULL)
        return NULL_ARG("vbsig_batch_new", "out");
    *out = NULL;
    if (signer == NULL)
        return NULL_ARG("vbsig_batch_new", "signer");
    if (opts == NULL)
        return NULL_ARG("vbsig_batch_new", "opts");
    if (opts->version != VBSIG_BATCH_OPTS_VERSION || opts->sign.version != VBSIG_SIGN_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: options must be set up with %s"), "vbsig_batch_new",
                          "vbsig_batch_opts_init");
    vbsig_batch *b = calloc(1, sizeof *b);
    if (b == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    b->ctx = ctx;
    b->signer = signer;
    b->opts = *opts;
    int rc = effective_opts(b);
    if (rc == VBSIG_OK && opts->out_dir != NULL && (b->out_dir = strdup(opts->out_dir)) == NULL)
        rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    if (rc != VBSIG_OK) {
        free(b);
        return rc;
    }
    b->opts.out_dir = b->out_dir;
    uint64_t limit = ctx != NULL ? vbsig_ctx_get_limit(ctx, VBSIG_LIMIT_INPUT_SIZE) : 0;
    b->map_max = limit != 0 && limit < VBSIG_BATCH_MAP_MAX ? limit : VBSIG_BATCH_MAP_MAX;
    *out = b;
    return VBSIG_OK;
}

int vbsig_batch_add(vbsig_batch *b, const char *in_path, const char *out_path)
{
    vbsig_i18n_ensure();
    if (b == NULL)
        return NULL_ARG("vbsig_batch_add", "batch");
    if (in_path == NULL)
        return NULL_ARG("vbsig_batch_add", "in_path");
    if (b->ran)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the batch has already run"), "vbsig_batch_add");
    if (out_path == NULL && b->out_dir == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: no output path and no output directory"), "vbsig_batch_add");
    if (b->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        vbsig__batch_item *items = realloc(b->items, cap * sizeof *items);
        if (items == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        b->items = items;
        b->cap = cap;
    }
    vbsig__batch_item *it = &b->items[b->count];
    memset(it, 0, sizeof *it);
    it->in = strdup(in_path);
    it->out = out_path != NULL ? strdup(out_path) : NULL;
    if (it->in == NULL || (out_path != NULL && it->out == NULL)) {
        free(it->in);
        free(it->out);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    it->out_given = out_path != NULL;
    b->count++;
    return VBSIG_OK;
}

int vbsig__batch_name_output(vbsig_batch *b, vbsig__batch_item *it)
{
    if (it->out != NULL)
        return VBSIG_OK;
    char *copy = strdup(it->in);
    if (copy == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    const char *base = basename(copy);
    /* XML signatures are enveloped: the signed document keeps its name. */
    const char *suffix = it->fmt == VBSIG_FORMAT_PADES   ? ""
                         : it->fmt == VBSIG_FORMAT_XADES ? (b->xml.mode == VBSIG_XML_DETACHED ? ".sig.xml" : "")
                         : b->cades.detached            ? ".p7s"
                                                        : ".p7m";
    size_t n = strlen(b->out_dir) + strlen(base) + strlen(suffix) + 2;
    it->out = malloc(n);
    if (it->out != NULL)
        snprintf(it->out, n, "%s/%s%s", b->out_dir, base, suffix);
    free(copy);
    return it->out != NULL ? VBSIG_OK : vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
}

void vbsig__batch_release(vbsig__batch_item *it)
{
    if (it->released)
        return;
    it->released = 1;
    free(it->sig);
    it->sig = NULL;
    vbsig_cades_pending_free(it->pending);
    it->pending = NULL;
    vbsig_pades_pending_free(it->pdf_pending);
    it->pdf_pending = NULL;
    if (it->data != NULL)
        munmap(it->data, it->len);
    it->data = NULL;
}

size_t vbsig_batch_count(const vbsig_batch *b)
{
    return b != NULL ? b->count : 0;
}

size_t vbsig_batch_failed(const vbsig_batch *b)
{
    return b != NULL ? b->failed : 0;
}

static const vbsig__batch_item *item(const vbsig_batch *b, size_t i)
{
    return b != NULL && i < b->count ? &b->items[i] : NULL;
}

int vbsig_batch_item_status(const vbsig_batch *b, size_t i)
{
    const vbsig__batch_item *it = item(b, i);
    if (it == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: no file %zu in the batch"), "vbsig_batch_item_status", i);
    /* While the batch runs, the writers own the writing stage's result. */
    return it->rc != VBSIG_OK || b->running ? it->rc : it->out_rc;
}

const char *vbsig_batch_item_message(const vbsig_batch *b, size_t i)
{
    const vbsig__batch_item *it = item(b, i);
    if (it == NULL)
        return "";
    if (it->rc != VBSIG_OK)
        return it->msg != NULL ? it->msg : "";
    return !b->running && it->out_rc != VBSIG_OK && it->out_msg != NULL ? it->out_msg : "";
}

const char *vbsig_batch_item_input(const vbsig_batch *b, size_t i)
{
    const vbsig__batch_item *it = item(b, i);
    return it != NULL ? it->in : NULL;
}

const char *vbsig_batch_item_output(const vbsig_batch *b, size_t i)
{
    const vbsig__batch_item *it = item(b, i);
    return it != NULL ? it->out : NULL;
}

vbsig_format vbsig_batch_item_format(const vbsig_batch *b, size_t i)
{
    const vbsig__batch_item *it = item(b, i);
    return it != NULL ? it->fmt : VBSIG_FORMAT_AUTO;
}

void vbsig_batch_free(vbsig_batch *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->count; i++) {
        vbsig__batch_item *it = &b->items[i];
        vbsig__batch_release(it);
        if (it->staged == 1)
            vbsig_atomic_abort(&it->file);
        free(it->in);
        free(it->out);
        free(it->prep_msg);
        free(it->msg);
        free(it->out_msg);
    }
    free(b->items);
    free(b->queue);
    free(b->staged);
    free(b->group);
    free(b->group_files);
    free(b->out_dir);
    free(b);
}
