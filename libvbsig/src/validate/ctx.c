/* The context: trust anchors, intermediates, policy and input limits. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto/crypto.h"
#include "util/util.h"
#include "validate/rev.h"
#include "validate/validate.h"

#define TRUST_FILE_MAX_CERTS 1024

static const uint64_t default_limits[VBSIG_LIMIT_COUNT] = {
    0,
    UINT64_C(1) << 30,    /* DER_LENGTH */
    64,                   /* DER_DEPTH */
    UINT64_C(64) << 30,   /* INPUT_SIZE */
    64,                   /* SIGNERS */
    64,                   /* CERTS */
    64,                   /* PDF_DEPTH */
    UINT64_C(4) << 20,    /* PDF_OBJECTS */
    UINT64_C(256) << 20,  /* INFLATED_SIZE */
};

int vbsig_ctx_new(vbsig_ctx **out)
{
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    *out = NULL;
    vbsig_ctx *ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    ctx->trust = X509_STORE_new();
    ctx->intermediates = sk_X509_new_null();
    if (ctx->trust == NULL || ctx->intermediates == NULL) {
        vbsig_ctx_free(ctx);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    memcpy(ctx->limits, default_limits, sizeof ctx->limits);
    ctx->revocation = VBSIG_REVOCATION_HARD;
    ctx->aia = 1;
    *out = ctx;
    return VBSIG_OK;
}

void vbsig_ctx_free(vbsig_ctx *ctx)
{
    if (ctx == NULL)
        return;
    X509_STORE_free(ctx->trust);
    vbsig_rev_net_clear(&ctx->net);
    sk_X509_pop_free(ctx->intermediates, X509_free);
    vbsig_trust_refs_clear(ctx);
    vbsig__ctx_serve_clear(ctx);
    free(ctx);
}

int vbsig_ctx_add_trust(vbsig_ctx *ctx, const char *path)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(path, "path");
    return vbsig_trust_add_path(ctx, path, "", 1);
}

int vbsig_ctx_add_intermediates(vbsig_ctx *ctx, const char *path)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(path, "path");
    return vbsig_certs_load_file(path, ctx->intermediates, TRUST_FILE_MAX_CERTS);
}

int vbsig_ctx_set_validation_time(vbsig_ctx *ctx, time_t t)
{
    VBSIG_REQUIRE(ctx, "ctx");
    ctx->validation_time = t;
    return VBSIG_OK;
}

int vbsig_ctx_set_revocation_mode(vbsig_ctx *ctx, vbsig_revocation_mode mode)
{
    VBSIG_REQUIRE(ctx, "ctx");
    if (mode != VBSIG_REVOCATION_HARD && mode != VBSIG_REVOCATION_SOFT && mode != VBSIG_REVOCATION_OFF)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown revocation mode"));
    ctx->revocation = mode;
    return VBSIG_OK;
}

int vbsig_ctx_set_limit(vbsig_ctx *ctx, vbsig_limit which, uint64_t value)
{
    VBSIG_REQUIRE(ctx, "ctx");
    if ((int)which < 1 || (int)which >= VBSIG_LIMIT_COUNT || value == 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown limit or zero value"));
    ctx->limits[which] = value;
    return VBSIG_OK;
}

uint64_t vbsig_ctx_get_limit(const vbsig_ctx *ctx, vbsig_limit which)
{
    if (ctx == NULL)
        return 0;
    if ((int)which < 1 || (int)which >= VBSIG_LIMIT_COUNT)
        return 0;
    return ctx->limits[which];
}

int vbsig_parse_time(const char *iso8601, time_t *out)
{
    VBSIG_REQUIRE(iso8601, "iso8601");
    VBSIG_REQUIRE(out, "out");
    vbsig_i18n_ensure();
    return vbsig_time_parse(iso8601, out);
}
