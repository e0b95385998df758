/* The context's network settings: timeouts of every fetch, the https
 * roots, the PKCS#11 module and its time bound (vbsig_ctx_set_network). */
#include <stdlib.h>
#include <string.h>

#include "validate/rev.h"
#include "validate/validate.h"

#define MAX_NET_TIMEOUT_MS 600000L
/* The bridge's own default, repeated so that the getter can say it. */
#define PKCS11_TIMEOUT_MS 30000u
/* Slow HSMs: the bridge has always allowed up to an hour. */
#define PKCS11_MAX_TIMEOUT_MS 3600000u

void vbsig_network_opts_init(vbsig_network_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = VBSIG_NETWORK_OPTS_VERSION;
}

static int in_range(long ms)
{
    return ms >= 0 && ms <= MAX_NET_TIMEOUT_MS;
}

static int copy_str(const char *s, char **out)
{
    *out = NULL;
    if (s == NULL)
        return VBSIG_OK;
    *out = strdup(s);
    return *out != NULL ? VBSIG_OK : vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
}

int vbsig_ctx_set_network(vbsig_ctx *ctx, const vbsig_network_opts *opts)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(opts, "opts");
    if (opts->version != VBSIG_NETWORK_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: options must be set up with %s"), "vbsig_ctx_set_network",
                          "vbsig_network_opts_init");
    if (!in_range(opts->connect_timeout_ms) || !in_range(opts->timeout_ms) || !in_range(opts->tsp_connect_timeout_ms) ||
        !in_range(opts->tsp_timeout_ms) || opts->pkcs11_timeout_ms > PKCS11_MAX_TIMEOUT_MS)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: a timeout is out of range (0 to %ld ms; PKCS#11 up to one hour)"), "vbsig_ctx_set_network",
                          MAX_NET_TIMEOUT_MS);
    char *ca = NULL, *module = NULL;
    int rc = copy_str(opts->ca_file, &ca);
    if (rc == VBSIG_OK)
        rc = copy_str(opts->pkcs11_module, &module);
    if (rc != VBSIG_OK) {
        free(ca);
        return rc;
    }
    vbsig_rev_net *n = &ctx->net;
    free(n->ca_file);
    free(n->pkcs11_module);
    n->ca_file = ca;
    n->pkcs11_module = module;
    n->connect_timeout_ms = opts->connect_timeout_ms;
    n->timeout_ms = opts->timeout_ms;
    n->tsp_connect_timeout_ms = opts->tsp_connect_timeout_ms;
    n->tsp_timeout_ms = opts->tsp_timeout_ms;
    n->pkcs11_timeout_ms = opts->pkcs11_timeout_ms;
    return VBSIG_OK;
}

int vbsig_ctx_get_network(const vbsig_ctx *ctx, vbsig_network_opts *out)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(out, "out");
    const vbsig_rev_net *n = &ctx->net;
    vbsig_network_opts_init(out);
    out->connect_timeout_ms = n->connect_timeout_ms > 0 ? n->connect_timeout_ms : VBSIG_REV_CONNECT_TIMEOUT_MS;
    out->timeout_ms = n->timeout_ms > 0 ? n->timeout_ms : VBSIG_REV_TIMEOUT_MS;
    out->tsp_connect_timeout_ms = n->tsp_connect_timeout_ms > 0 ? n->tsp_connect_timeout_ms : VBSIG_TSP_CONNECT_TIMEOUT_MS;
    out->tsp_timeout_ms = n->tsp_timeout_ms > 0 ? n->tsp_timeout_ms : VBSIG_TSP_TIMEOUT_MS;
    out->ca_file = n->ca_file;
    out->pkcs11_module = n->pkcs11_module;
    out->pkcs11_timeout_ms = n->pkcs11_timeout_ms > 0 ? n->pkcs11_timeout_ms : PKCS11_TIMEOUT_MS;
    return VBSIG_OK;
}
