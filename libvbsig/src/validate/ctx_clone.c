/* A context's settings copied for another thread (a verification pool's
 * worker): the anchors' store is shared (OpenSSL's X509_STORE may serve
 * concurrent verifications), the rest is the worker's own, since a
 * verification writes to its context (fetched intermediates, the document's
 * embedded revocation data, the level warning). */
#include <stdlib.h>
#include <string.h>

#include "validate/rev.h"
#include "validate/validate.h"

static int copy_net(const vbsig_rev_net *from, vbsig_rev_net *to)
{
    for (size_t i = 0; i < from->rule_count; i++) {
        int rc = vbsig_rev_add_rewrite(to, from->rules[i].from, from->rules[i].to, from->rules[i].low);
        if (rc != VBSIG_OK)
            return rc;
    }
    if (from->cache_dir != NULL && (to->cache_dir = strdup(from->cache_dir)) == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    to->offline = from->offline;
    to->freshness = from->freshness;
    to->mem = from->mem != NULL ? vbsig_rev_memcache_ref(from->mem) : NULL;
    /* The network settings (vbsig_ctx_set_network): strings owned per context. */
    if ((from->ca_file != NULL && (to->ca_file = strdup(from->ca_file)) == NULL) ||
        (from->pkcs11_module != NULL && (to->pkcs11_module = strdup(from->pkcs11_module)) == NULL))
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    to->connect_timeout_ms = from->connect_timeout_ms;
    to->timeout_ms = from->timeout_ms;
    to->tsp_connect_timeout_ms = from->tsp_connect_timeout_ms;
    to->tsp_timeout_ms = from->tsp_timeout_ms;
    to->pkcs11_timeout_ms = from->pkcs11_timeout_ms;
    return VBSIG_OK;
}

static int copy_anchor_refs(const vbsig_ctx *from, vbsig_ctx *to)
{
    if (from->anchor_ref_count == 0)
        return VBSIG_OK;
    to->anchor_refs = calloc(from->anchor_ref_count, sizeof *to->anchor_refs);
    if (to->anchor_refs == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    for (size_t i = 0; i < from->anchor_ref_count; i++) {
        if (!X509_up_ref(from->anchor_refs[i].cert))
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        to->anchor_refs[i] = from->anchor_refs[i];
        to->anchor_ref_count++;
    }
    return VBSIG_OK;
}

int vbsig_ctx_clone(const vbsig_ctx *from, vbsig_ctx **out)
{
    *out = NULL;
    vbsig_ctx *to = calloc(1, sizeof *to);
    if (to == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = VBSIG_OK;
    if (!X509_STORE_up_ref(from->trust) || (to->intermediates = X509_chain_up_ref(from->intermediates)) == NULL)
        rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    else
        to->trust = from->trust;
    if (rc == VBSIG_OK)
        rc = copy_net(&from->net, &to->net);
    if (rc == VBSIG_OK)
        rc = copy_anchor_refs(from, to);
    if (rc != VBSIG_OK) {
        vbsig_ctx_free(to);
        return rc;
    }
    to->anchor_count = from->anchor_count;
    to->validation_time = from->validation_time;
    to->revocation = from->revocation;
    memcpy(to->limits, from->limits, sizeof to->limits);
    to->aia = from->aia;
    to->weak_fails = from->weak_fails;
    to->allow_lower_level = from->allow_lower_level;
    to->keep_signed_content = from->keep_signed_content;
    *out = to;
    return VBSIG_OK;
}
