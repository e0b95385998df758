/* Completing a certificate path the signature left short: the context's
 * intermediates, a local cache of intermediates, and the caIssuers URLs of
 * the Authority Information Access extension (RFC 5280 §4.2.2.1), fetched
 * over HTTP. What arrives is untrusted: it only helps OpenSSL build a path,
 * which must still end at an accepted anchor. Fetched certificates go into
 * the cache (when the context has one) and into the context's intermediates,
 * so revocation checking and later documents see them too. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include "crypto/crypto.h"
#include "validate/rev.h"

/* Bounds: path length we complete, answer size, certificates per answer,
 * files looked at in the cache per lookup. */
#define AIA_MAX_STEPS 8
#define AIA_MAX_REPLY (256u << 10)
#define AIA_MAX_CERTS 16
#define AIA_CACHE_MAX_FILES 4096
/* Requests per path: a hostile certificate may list any number of URLs,
 * and each may take the full revocation timeout. */
#define AIA_MAX_FETCHES 4

static int is_issuer(X509 *issuer, X509 *cert)
{
    return X509_check_issued(issuer, cert) == X509_V_OK;
}

static X509 *find_issuer(STACK_OF(X509) *pool, X509 *cert)
{
    for (int i = 0; pool != NULL && i < sk_X509_num(pool); i++) {
        X509 *c = sk_X509_value(pool, i);
        if (X509_cmp(c, cert) != 0 && is_issuer(c, cert))
            return c;
    }
    return NULL;
}

static int issued_by_anchor(const vbsig_ctx *ctx, X509 *cert)
{
    for (size_t i = 0; i < ctx->anchor_ref_count; i++)
        if (ctx->anchor_refs[i].accepted &&
            (X509_cmp(ctx->anchor_refs[i].cert, cert) == 0 || is_issuer(ctx->anchor_refs[i].cert, cert)))
            return 1;
    return 0;
}

static char *cache_dir_path(const vbsig_ctx *ctx)
{
    if (ctx->net.cache_dir == NULL)
        return NULL;
    size_t len = strlen(ctx->net.cache_dir) + 8;
    char *p = malloc(len);
    if (p != NULL)
        snprintf(p, len, "%s/certs", ctx->net.cache_dir);
    return p;
}

/* Cache files are "<subject name hash>-<SHA-256 of the DER>.der", so the
 * candidates for an issuer are found by the name hash alone. */
static void cache_put(const vbsig_ctx *ctx, X509 *cert)
{
    char *dir = cache_dir_path(ctx);
    if (dir == NULL)
        return;
    uint8_t *der = NULL;
    int n = i2d_X509(cert, &der);
    uint8_t md[32];
    unsigned md_len = 0;
    if (n > 0 && (mkdir(dir, 0700) == 0 || errno == EEXIST) &&
        EVP_Digest(der, (size_t)n, md, &md_len, EVP_sha256(), NULL)) {
        char path[4096];
        int w = snprintf(path, sizeof path, "%s/%08lx-", dir, X509_NAME_hash_ex(X509_get_subject_name(cert), NULL, NULL, NULL));
        for (unsigned i = 0; i < 16 && w > 0 && (size_t)w + 3 < sizeof path; i++)
            w += snprintf(path + w, sizeof path - (size_t)w, "%02x", md[i]);
        if (w > 0 && (size_t)w + 5 < sizeof path) {
            snprintf(path + w, sizeof path - (size_t)w, ".der");
            vbsig_write_file_atomic(path, der, (size_t)n);
        }
    }
    vbsig_error_clear(); /* a cache that cannot be written costs a download */
    OPENSSL_free(der);
    free(dir);
}

/* Certificates from the cache whose subject is cert's issuer name. */
static void cache_lookup(const vbsig_ctx *ctx, X509 *cert, STACK_OF(X509) *found)
{
    char *dir = cache_dir_path(ctx);
    DIR *d = dir != NULL ? opendir(dir) : NULL;
    if (d == NULL) {
        free(dir);
        return;
    }
    char prefix[16];
    snprintf(prefix, sizeof prefix, "%08lx-", X509_NAME_hash_ex(X509_get_issuer_name(cert), NULL, NULL, NULL));
    struct dirent *de;
    int seen = 0;
    while ((de = readdir(d)) != NULL && seen++ < AIA_CACHE_MAX_FILES && sk_X509_num(found) < AIA_MAX_CERTS) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char path[4096];
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
            continue;
        STACK_OF(X509) *one = sk_X509_new_null();
        if (one != NULL && vbsig_certs_load_file(path, one, 1) == VBSIG_OK && sk_X509_num(one) == 1 &&
            is_issuer(sk_X509_value(one, 0), cert))
            sk_X509_push(found, sk_X509_shift(one));
        sk_X509_pop_free(one, X509_free);
        vbsig_error_clear(); /* a damaged cache entry is a miss */
    }
    closedir(d);
    free(dir);
}

/* A caIssuers answer: one DER (or PEM) certificate, or a PKCS#7 certs-only
 * bundle (RFC 5280 asks for one of the two). */
static void parse_answer(const vbsig_bytes *reply, X509 *cert, STACK_OF(X509) *found)
{
    X509 *one = NULL;
    if (vbsig_cert_from_bytes(reply->data, reply->len, "caIssuers", &one) == VBSIG_OK) {
        if (is_issuer(one, cert))
            sk_X509_push(found, one);
        else
            X509_free(one);
        return;
    }
    vbsig_error_clear();
    if (vbsig_der_check(reply->data, reply->len, 0, 32, "caIssuers") != VBSIG_OK) {
        vbsig_error_clear();
        return;
    }
    const unsigned char *p = reply->data;
    PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)reply->len);
    STACK_OF(X509) *certs = p7 != NULL && PKCS7_type_is_signed(p7) && p7->d.sign != NULL ? p7->d.sign->cert : NULL;
    for (int i = 0; certs != NULL && i < sk_X509_num(certs) && i < AIA_MAX_CERTS; i++) {
        X509 *c = sk_X509_value(certs, i);
        if (is_issuer(c, cert) && X509_up_ref(c))
            sk_X509_push(found, c);
    }
    PKCS7_free(p7);
}

static void fetch_issuers(const vbsig_ctx *ctx, X509 *cert, STACK_OF(X509) *found, int *budget)
{
    AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(cert, NID_info_access, NULL, NULL);
    for (int i = 0; aia != NULL && i < sk_ACCESS_DESCRIPTION_num(aia) && sk_X509_num(found) == 0 && *budget > 0;
         i++) {
        ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);
        if (OBJ_obj2nid(ad->method) != NID_ad_ca_issuers || ad->location->type != GEN_URI)
            continue;
        const ASN1_IA5STRING *u = ad->location->d.uniformResourceIdentifier;
        char url[2048];
        if (u->length <= 0 || (size_t)u->length >= sizeof url || memchr(u->data, '\0', (size_t)u->length) != NULL)
            continue;
        memcpy(url, u->data, (size_t)u->length);
        url[u->length] = '\0';
        char *target = NULL;
        if (vbsig_rev_rewrite(&ctx->net, url, &target) != VBSIG_OK)
            continue;
        vbsig_bytes reply;
        vbsig_bytes_init(&reply);
        (*budget)--;
        if (vbsig_rev_http(&ctx->net, target, NULL, NULL, 0, AIA_MAX_REPLY, &reply) == VBSIG_OK)
            parse_answer(&reply, cert, found);
        vbsig_error_clear(); /* an unreachable caIssuers leaves the path short, as before */
        vbsig_bytes_free(&reply);
        free(target);
    }
    AUTHORITY_INFO_ACCESS_free(aia);
}

void vbsig_aia_complete(vbsig_ctx *ctx, X509 *leaf, STACK_OF(X509) *pool)
{
    X509 *cur = leaf;
    int budget = AIA_MAX_FETCHES;
    for (int step = 0; step < AIA_MAX_STEPS && cur != NULL; step++) {
        if (issued_by_anchor(ctx, cur) || X509_check_issued(cur, cur) == X509_V_OK)
            return;
        X509 *next = find_issuer(pool, cur);
        if (next != NULL) {
            cur = next;
            continue;
        }
        STACK_OF(X509) *found = sk_X509_new_null();
        if (found == NULL)
            return;
        cache_lookup(ctx, cur, found);
        int fetched = 0;
        if (sk_X509_num(found) == 0 && ctx->aia && !ctx->net.offline) {
            fetch_issuers(ctx, cur, found, &budget);
            fetched = 1;
        }
        next = NULL;
        for (int i = 0; i < sk_X509_num(found); i++) {
            X509 *c = sk_X509_value(found, i);
            if (!X509_up_ref(c))
                continue;
            if (!sk_X509_push(ctx->intermediates, c)) {
                X509_free(c);
                continue;
            }
            sk_X509_push(pool, c);
            if (fetched)
                cache_put(ctx, c);
            if (next == NULL)
                next = c;
        }
        sk_X509_pop_free(found, X509_free);
        cur = next;
    }
}

int vbsig_ctx_set_aia(vbsig_ctx *ctx, int on)
{
    VBSIG_REQUIRE(ctx, "ctx");
    if (ctx == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no context"));
    ctx->aia = on != 0;
    return VBSIG_OK;
}
