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

/* A directory of anchors with more files than this is a mistake. */
#define TRUST_DIR_MAX_FILES 4096
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
    free(ctx);
}

static int add_anchor_file(vbsig_ctx *ctx, const char *path)
{
    STACK_OF(X509) *certs = sk_X509_new_null();
    if (certs == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = vbsig_certs_load_file(path, certs, TRUST_FILE_MAX_CERTS);
    for (int i = 0; rc == VBSIG_OK && i < sk_X509_num(certs); i++) {
        if (!X509_STORE_add_cert(ctx->trust, sk_X509_value(certs, i)))
            rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("%s: cannot add the trust anchor"), path);
        else
            ctx->anchor_count++;
    }
    sk_X509_pop_free(certs, X509_free);
    return rc;
}

static int has_cert_extension(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot != NULL && (strcmp(dot, ".pem") == 0 || strcmp(dot, ".crt") == 0 ||
                           strcmp(dot, ".cer") == 0 || strcmp(dot, ".der") == 0);
}

int vbsig_ctx_add_trust(vbsig_ctx *ctx, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return vbsig_fail(VBSIG_E_IO_READ, _("%s: cannot read trust anchors: %s"), path, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return add_anchor_file(ctx, path);
    DIR *dir = opendir(path);
    if (dir == NULL)
        return vbsig_fail(VBSIG_E_IO_READ, _("%s: cannot open the directory: %s"), path, strerror(errno));
    int rc = VBSIG_OK, files = 0;
    struct dirent *de;
    while (rc == VBSIG_OK && (de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.' || !has_cert_extension(de->d_name))
            continue;
        if (++files > TRUST_DIR_MAX_FILES) {
            rc = vbsig_fail(VBSIG_E_LIMIT, _("%s: more than %d certificate files"), path, TRUST_DIR_MAX_FILES);
            break;
        }
        size_t len = strlen(path) + strlen(de->d_name) + 2;
        char *full = malloc(len);
        if (full == NULL) {
            rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
            break;
        }
        snprintf(full, len, "%s/%s", path, de->d_name);
        rc = add_anchor_file(ctx, full);
        free(full);
    }
    closedir(dir);
    if (rc == VBSIG_OK && files == 0)
        rc = vbsig_fail(VBSIG_E_IO_READ, _("%s: the directory holds no certificate files (.pem, .crt, .cer, .der)"), path);
    return rc;
}

int vbsig_ctx_add_intermediates(vbsig_ctx *ctx, const char *path)
{
    return vbsig_certs_load_file(path, ctx->intermediates, TRUST_FILE_MAX_CERTS);
}

int vbsig_ctx_set_validation_time(vbsig_ctx *ctx, time_t t)
{
    ctx->validation_time = t;
    return VBSIG_OK;
}

int vbsig_ctx_set_revocation_mode(vbsig_ctx *ctx, vbsig_revocation_mode mode)
{
    if (mode != VBSIG_REVOCATION_HARD && mode != VBSIG_REVOCATION_SOFT && mode != VBSIG_REVOCATION_OFF)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown revocation mode"));
    ctx->revocation = mode;
    return VBSIG_OK;
}

int vbsig_ctx_set_limit(vbsig_ctx *ctx, vbsig_limit which, uint64_t value)
{
    if ((int)which < 1 || (int)which >= VBSIG_LIMIT_COUNT || value == 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown limit or zero value"));
    ctx->limits[which] = value;
    return VBSIG_OK;
}

uint64_t vbsig_ctx_get_limit(const vbsig_ctx *ctx, vbsig_limit which)
{
    if ((int)which < 1 || (int)which >= VBSIG_LIMIT_COUNT)
        return 0;
    return ctx->limits[which];
}

int vbsig_parse_time(const char *iso8601, time_t *out)
{
    vbsig_i18n_ensure();
    return vbsig_time_parse(iso8601, out);
}
