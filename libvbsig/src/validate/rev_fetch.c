/* HTTP for revocation data (RFC 5280 §4.2.1.13 CRL URLs, RFC 6960
 * Appendix A OCSP over HTTP POST) over libcurl, loaded on first use. */
#include <string.h>

#include "util/curl_dl.h"

#include "validate/rev.h"

typedef struct sink {
    vbsig_bytes *reply;
    size_t max;
    int too_large;
} sink;

static size_t collect(char *p, size_t size, size_t nmemb, void *user)
{
    sink *s = user;
    size_t n = size * nmemb;
    if (s->reply->len + n > s->max) {
        s->too_large = 1;
        return 0; /* curl stops with CURLE_WRITE_ERROR */
    }
    return vbsig_bytes_append(s->reply, p, n) == VBSIG_OK ? n : 0;
}

int vbsig_rev_http(const vbsig_rev_net *net, const char *url, const char *content_type, const uint8_t *body,
                   size_t body_len, size_t max_reply, vbsig_bytes *reply)
{
    const vbsig_curl_fns *C = vbsig_curl(); /* loaded on first use */
    if (C == NULL)
        return VBSIG_E_UNAVAILABLE;
    CURL *h = C->easy_init();
    struct curl_slist *headers = NULL;
    if (body != NULL) {
        char line[128];
        snprintf(line, sizeof line, "Content-Type: %s", content_type);
        headers = C->slist_append(NULL, line);
    }
    if (h == NULL || (body != NULL && headers == NULL)) {
        C->slist_free_all(headers);
        C->easy_cleanup(h);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    char detail[CURL_ERROR_SIZE] = "";
    sink s = {reply, max_reply, 0};
    C->easy_setopt(h, CURLOPT_URL, url);
    C->easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    C->easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    C->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    C->easy_setopt(h, CURLOPT_USERAGENT, "vbsig");
    /* The context's network settings (vbsig_ctx_set_network). */
    C->easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   net->connect_timeout_ms > 0 ? net->connect_timeout_ms : VBSIG_REV_CONNECT_TIMEOUT_MS);
    C->easy_setopt(h, CURLOPT_TIMEOUT_MS, net->timeout_ms > 0 ? net->timeout_ms : VBSIG_REV_TIMEOUT_MS);
    if (net->ca_file != NULL)
        C->easy_setopt(h, CURLOPT_CAINFO, net->ca_file);
    C->easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_reply);
    C->easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    C->easy_setopt(h, CURLOPT_WRITEDATA, &s);
    C->easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
    if (body != NULL) {
        C->easy_setopt(h, CURLOPT_POST, 1L);
        C->easy_setopt(h, CURLOPT_POSTFIELDS, body);
        C->easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        C->easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    }
    CURLcode cc = C->easy_perform(h);
    long code = 0;
    C->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    int rc = VBSIG_OK;
    if (s.too_large || cc == CURLE_FILESIZE_EXCEEDED)
        rc = vbsig_fail(VBSIG_E_LIMIT, _("%s: the answer is larger than %zu bytes"), url, max_reply);
    else if (cc == CURLE_OPERATION_TIMEDOUT)
        rc = vbsig_fail(VBSIG_E_TIMEOUT, _("%s: no answer in time"), url);
    else if (cc != CURLE_OK)
        rc = vbsig_fail(VBSIG_E_UNAVAILABLE, _("%s: %s (libcurl: %s)"), url, vbsig_curl_error_text(cc),
                          detail[0] ? detail : C->easy_strerror(cc));
    else if (code != 200)
        rc = vbsig_fail(VBSIG_E_UNAVAILABLE, _("%s: the server answered HTTP %ld"), url, code);
    C->slist_free_all(headers);
    C->easy_cleanup(h);
    return rc;
}
