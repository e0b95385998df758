/* Trust anchors grouped in named trust domains. Vietnam has several roots
 * that do not chain to each other (the national root for public CAs, the
 * Government CA root); a policy says which of them a verifier accepts, and
 * the report says in which one a chain ended. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/x509v3.h>

#include "crypto/crypto.h"
#include "util/util.h"
#include "validate/validate.h"

/* A directory of anchors with more files than this is a mistake. */
#define TRUST_DIR_MAX_FILES 4096
#define TRUST_FILE_MAX_CERTS 1024
#define TRUST_MAX_ANCHORS 65536

static int remember(vbsig_ctx *ctx, X509 *cert, const char *domain, int accepted)
{
    if (ctx->anchor_ref_count >= TRUST_MAX_ANCHORS)
        return vbsig_fail(VBSIG_E_LIMIT, _("more than %d trust anchors"), TRUST_MAX_ANCHORS);
    vbsig_anchor_ref *n = realloc(ctx->anchor_refs, (ctx->anchor_ref_count + 1) * sizeof *n);
    if (n == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    ctx->anchor_refs = n;
    vbsig_anchor_ref *ref = &n[ctx->anchor_ref_count];
    if (!X509_up_ref(cert))
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    ref->cert = cert;
    snprintf(ref->domain, sizeof ref->domain, "%s", domain);
    ref->accepted = accepted;
    ctx->anchor_ref_count++;
    return VBSIG_OK;
}

static int add_file(vbsig_ctx *ctx, const char *path, const char *domain, int accepted)
{
    STACK_OF(X509) *certs = sk_X509_new_null();
    if (certs == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = vbsig_certs_load_file(path, certs, TRUST_FILE_MAX_CERTS);
    for (int i = 0; rc == VBSIG_OK && i < sk_X509_num(certs); i++) {
        X509 *cert = sk_X509_value(certs, i);
        if (accepted && !X509_STORE_add_cert(ctx->trust, cert)) {
            rc = vbsig_fail_ssl(VBSIG_E_CRYPTO, _("%s: cannot add the trust anchor"), path);
            break;
        }
        if (accepted)
            ctx->anchor_count++;
        rc = remember(ctx, cert, domain, accepted);
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

int vbsig_trust_add_path(vbsig_ctx *ctx, const char *path, const char *domain, int accepted)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return vbsig_fail(VBSIG_E_IO_READ, _("%s: cannot read trust anchors: %s"), path, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return add_file(ctx, path, domain, accepted);
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
        rc = add_file(ctx, full, domain, accepted);
        free(full);
    }
    closedir(dir);
    if (rc == VBSIG_OK && files == 0)
        rc = vbsig_fail(VBSIG_E_IO_READ, _("%s: the directory holds no certificate files (.pem, .crt, .cer, .der)"), path);
    return rc;
}

/* Domain names appear in reports and config files: keep them plain. */
static int valid_domain_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= sizeof ((vbsig_anchor_ref *)0)->domain)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return 0;
    }
    return 1;
}

int vbsig_ctx_add_trust_domain(vbsig_ctx *ctx, const char *domain, const char *path, int accepted)
{
    VBSIG_REQUIRE(ctx, "ctx");
    VBSIG_REQUIRE(domain, "name");
    VBSIG_REQUIRE(path, "path");
    if (ctx == NULL || domain == NULL || path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("a trust domain needs a context, a name and a path"));
    if (!valid_domain_name(domain))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("'%s' is not a trust domain name (1 to 63 letters, digits, '-', '_', '.')"),
                          domain);
    return vbsig_trust_add_path(ctx, path, domain, accepted != 0);
}

void vbsig_trust_refs_clear(vbsig_ctx *ctx)
{
    for (size_t i = 0; i < ctx->anchor_ref_count; i++)
        X509_free(ctx->anchor_refs[i].cert);
    free(ctx->anchor_refs);
    ctx->anchor_refs = NULL;
    ctx->anchor_ref_count = 0;
}

static const char *domain_label(const vbsig_anchor_ref *ref)
{
    return ref->domain[0] != '\0' ? ref->domain : "command-line";
}

void vbsig_trust_note_domain(const vbsig_ctx *ctx, STACK_OF(X509) *chain, int valid, vbsig_sig_entry *e)
{
    int n = chain != NULL ? sk_X509_num(chain) : 0;
    if (n == 0)
        return;
    X509 *top = sk_X509_value(chain, n - 1);
    for (size_t i = 0; i < ctx->anchor_ref_count; i++) {
        const vbsig_anchor_ref *ref = &ctx->anchor_refs[i];
        if (valid && ref->accepted && X509_cmp(ref->cert, top) == 0) {
            snprintf(e->trust_domain, sizeof e->trust_domain, "%s", domain_label(ref));
            return;
        }
    }
    if (valid)
        return;
    /* The chain stopped short of every accepted anchor: does it reach one
     * the policy leaves out? Then say so, since "no chain" alone would send
     * the clerk looking for a missing certificate. */
    for (size_t i = 0; i < ctx->anchor_ref_count; i++) {
        const vbsig_anchor_ref *ref = &ctx->anchor_refs[i];
        if (ref->accepted)
            continue;
        if (X509_cmp(ref->cert, top) == 0 || X509_check_issued(ref->cert, top) == X509_V_OK) {
            char *who = vbsig_name_text(X509_get_subject_name(ref->cert));
            vbsig_entry_note(e, _("the chain ends at %s of the trust domain '%s', which the trust policy does not accept"),
                             who != NULL ? who : "?", ref->domain);
            free(who);
            return;
        }
    }
}
