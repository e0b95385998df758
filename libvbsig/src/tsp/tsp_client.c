/* Getting a verified token from the first TSA that gives one. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>

#include "crypto/crypto.h"
#include "tsp/tsp.h"
#include "validate/validate.h"

/* Bounds that keep a misconfigured caller from waiting for hours. */
#define MAX_URLS 16
#define MAX_RETRIES 10
#define MAX_DELAY_MS 60000L
#define MAX_TIMEOUT_MS 600000L

void vbsig_tsp_opts_init(vbsig_tsp_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = VBSIG_TSP_OPTS_VERSION;
    opts->digest = VBSIG_DIGEST_SHA256;
    /* Timeouts 0 and ca_file NULL: the context's network settings. */
    opts->retries = 2;
    opts->retry_delay_ms = 500;
}

int vbsig_tsp_opts_check(const vbsig_tsp_opts *opts)
{
    if (opts == NULL || opts->version != VBSIG_TSP_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("timestamp options must be set up with vbsig_tsp_opts_init"));
    if (opts->url_count == 0 || opts->urls == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no timestamp authority URL was given (--tsa)"));
    if (opts->url_count > MAX_URLS)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("at most %d timestamp authority URLs may be given"), MAX_URLS);
    for (size_t i = 0; i < opts->url_count; i++)
        if (opts->urls[i] == NULL || (strncmp(opts->urls[i], "http://", 7) != 0 && strncmp(opts->urls[i], "https://", 8) != 0))
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("'%s' is not an http:// or https:// URL"),
                              opts->urls[i] != NULL ? opts->urls[i] : "(null)");
    if (opts->digest == VBSIG_DIGEST_SHA1 || vbsig_digest_md(opts->digest) == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the timestamp digest must be SHA-256 or stronger"));
    if (opts->timeout_ms < 0 || opts->timeout_ms > MAX_TIMEOUT_MS || opts->connect_timeout_ms < 0 ||
        opts->connect_timeout_ms > MAX_TIMEOUT_MS || opts->retries > MAX_RETRIES || opts->retry_delay_ms < 0 ||
        opts->retry_delay_ms > MAX_DELAY_MS)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("timestamp timeouts or retries are out of range"));
    return VBSIG_OK;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Checks a granted reply against what was asked. */
static int accept_reply(vbsig_ctx *ctx, const vbsig_tsp_opts *opts, const char *url, const vbsig_bytes *reply,
                        const ASN1_INTEGER *nonce, vbsig_digest_alg alg, const uint8_t *digest, size_t digest_len,
                        vbsig_buf *out)
{
    const uint8_t *token = NULL;
    size_t token_len = 0;
    int rc = vbsig_tsp_response_token(reply->data, reply->len, &token, &token_len);
    if (rc != VBSIG_OK) {
        char why[1024];
        snprintf(why, sizeof why, "%s", vbsig_last_error());
        return vbsig_fail(rc, "%s: %s", url, why);
    }
    vbsig_tsp_result res;
    rc = vbsig_tsp_token_check(ctx, token, token_len, alg, digest, digest_len,
                               ctx->anchor_count > 0 ? VBSIG_TSP_CHECK_PATH : VBSIG_TSP_CHECK_NONE, &res);
    if (rc == VBSIG_OK && res.indication != VBSIG_TOTAL_PASSED)
        rc = vbsig_fail(VBSIG_E_CRYPTO, _("%s: the timestamp does not verify (%s): %s"), url,
                        res.subindication != NULL ? res.subindication : "?", res.message);
    else if (rc == VBSIG_OK && (res.nonce == NULL || ASN1_INTEGER_cmp(res.nonce, nonce) != 0))
        rc = vbsig_fail(VBSIG_E_CRYPTO, _("%s: the reply answers another request (its nonce is not ours)"), url);
    else if (rc == VBSIG_OK && opts->policy != NULL && (res.policy == NULL || strcmp(res.policy, opts->policy) != 0))
        rc = vbsig_fail(VBSIG_E_CRYPTO, _("%s: the token has policy %s, not the requested %s"), url,
                        res.policy != NULL ? res.policy : "-", opts->policy);
    vbsig_tsp_result_clear(&res);
    if (rc != VBSIG_OK)
        return rc;
    if ((out->data = malloc(token_len)) == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    memcpy(out->data, token, token_len);
    out->len = token_len;
    return VBSIG_OK;
}

/* Asks one TSA, with retries on transport faults. */
static int ask_one(vbsig_ctx *ctx, const vbsig_tsp_opts *opts, const char *url, const char *password,
                   vbsig_digest_alg alg, const uint8_t *digest, size_t digest_len, vbsig_buf *out)
{
    long delay = opts->retry_delay_ms;
    int rc = VBSIG_OK;
    for (unsigned attempt = 0; attempt <= opts->retries; attempt++) {
        if (attempt > 0) {
            sleep_ms(delay);
            delay = delay * 2 > MAX_DELAY_MS ? MAX_DELAY_MS : delay * 2;
        }
        /* A fresh nonce per attempt: a late answer to an earlier attempt
         * must not be taken for this one. */
        vbsig_bytes query, reply;
        vbsig_bytes_init(&query);
        vbsig_bytes_init(&reply);
        ASN1_INTEGER *nonce = NULL;
        int retryable = 0;
        rc = vbsig_tsp_request_build(alg, digest, digest_len, opts->policy, &query, &nonce);
        if (rc == VBSIG_OK)
            rc = vbsig_tsp_http_post(opts, url, password, &query, &reply, &retryable);
        if (rc == VBSIG_OK)
            rc = accept_reply(ctx, opts, url, &reply, nonce, alg, digest, digest_len, out);
        ASN1_INTEGER_free(nonce);
        vbsig_bytes_free(&query);
        vbsig_bytes_free(&reply);
        if (rc == VBSIG_OK || !retryable)
            break;
    }
    return rc;
}

int vbsig_tsp_timestamp_digest(vbsig_ctx *ctx, const vbsig_tsp_opts *opts, vbsig_digest_alg alg,
                               const uint8_t *digest, size_t digest_len, vbsig_buf *token)
{
    VBSIG_REQUIRE(opts, "opts");
    VBSIG_REQUIRE_BYTES(digest, digest_len, "digest");
    VBSIG_REQUIRE(token, "token");
    vbsig_i18n_ensure();
    if (token == NULL || ctx == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_tsp_timestamp_digest needs a context and an output"));
    token->data = NULL;
    token->len = 0;
    int rc = vbsig_tsp_opts_check(opts);
    if (rc != VBSIG_OK)
        return rc;
    if (digest == NULL || vbsig_digest_md(alg) == NULL || digest_len != vbsig_digest_size(alg))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the digest to timestamp does not match its algorithm"));
    /* What the options leave unset comes from the context. */
    vbsig_tsp_opts eff = *opts;
    if (eff.connect_timeout_ms == 0)
        eff.connect_timeout_ms = ctx->net.tsp_connect_timeout_ms > 0 ? ctx->net.tsp_connect_timeout_ms
                                                                     : VBSIG_TSP_CONNECT_TIMEOUT_MS;
    if (eff.timeout_ms == 0)
        eff.timeout_ms = ctx->net.tsp_timeout_ms > 0 ? ctx->net.tsp_timeout_ms : VBSIG_TSP_TIMEOUT_MS;
    if (eff.ca_file == NULL)
        eff.ca_file = ctx->net.ca_file;
    opts = &eff;
    char *password = NULL;
    if (opts->username != NULL && opts->password_source != NULL &&
        (rc = vbsig_secret_read(opts->password_source, _("TSA password: "), &password)) != VBSIG_OK)
        return rc;
    /* Every URL's failure is kept, so the one message says what happened
     * to each TSA tried. */
    vbsig_bytes why;
    vbsig_bytes_init(&why);
    for (size_t i = 0; i < opts->url_count; i++) {
        rc = ask_one(ctx, opts, opts->urls[i], password, alg, digest, digest_len, token);
        if (rc == VBSIG_OK)
            break;
        vbsig_bytes_printf(&why, "%s%s", i > 0 ? "; " : "", vbsig_last_error());
    }
    if (password != NULL)
        vbsig_secret_free(password);
    if (rc != VBSIG_OK)
        rc = vbsig_fail(VBSIG_E_UNAVAILABLE, _("no timestamp authority gave a valid timestamp: %.*s"),
                        (int)why.len, why.data != NULL ? (const char *)why.data : "");
    vbsig_bytes_free(&why);
    ERR_clear_error();
    return rc;
}

int vbsig_tsp_timestamp_data(vbsig_ctx *ctx, const vbsig_tsp_opts *opts, const uint8_t *data,
                             size_t data_len, vbsig_buf *token)
{
    VBSIG_REQUIRE(opts, "opts");
    VBSIG_REQUIRE_BYTES(data, data_len, "data");
    VBSIG_REQUIRE(token, "token");
    vbsig_i18n_ensure();
    int rc = vbsig_tsp_opts_check(opts);
    if (rc != VBSIG_OK)
        return rc;
    if (data == NULL && data_len != 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("no data to timestamp"));
    uint8_t digest[EVP_MAX_MD_SIZE];
    size_t dlen = 0;
    rc = vbsig_digest_bytes(opts->digest, data != NULL ? data : (const uint8_t *)"", data_len, digest, &dlen);
    if (rc != VBSIG_OK)
        return rc;
    return vbsig_tsp_timestamp_digest(ctx, opts, opts->digest, digest, dlen, token);
}
