/* The RFC 3161 HTTP transport (RFC 3161 §3.4) over libcurl, loaded on first use. */
#include <string.h>
#include <strings.h>

#include "util/curl_dl.h"

#include "tsp/tsp.h"

typedef struct sink {
    vbsig_bytes *reply;
    int too_large;
} sink;

static size_t collect(char *p, size_t size, size_t nmemb, void *user)
{
    sink *s = user;
    size_t n = size * nmemb;
    if (s->reply->len + n > VBSIG_TSP_MAX_REPLY) {
        s->too_large = 1;
        return 0; /* makes curl stop with CURLE_WRITE_ERROR */
    }
    return vbsig_bytes_append(s->reply, p, n) == VBSIG_OK ? n : 0;
}

static int is_timestamp_reply(const char *content_type)
{
    static const char want[] = "application/timestamp-reply";
    if (content_type == NULL || strncasecmp(content_type, want, sizeof want - 1) != 0)
        return 0;
    char next = content_type[sizeof want - 1];
    return next == '\0' || next == ';' || next == ' ';
}

static int transfer_failed(const vbsig_curl_fns *C, CURLcode cc, const char *url, const char *detail,
                           int *retryable)
{
    *retryable = cc != CURLE_UNSUPPORTED_PROTOCOL && cc != CURLE_URL_MALFORMAT;
    if (cc == CURLE_OPERATION_TIMEDOUT)
        return vbsig_fail(VBSIG_E_TIMEOUT, _("%s: the timestamp authority did not answer in time"), url);
    return vbsig_fail(VBSIG_E_UNAVAILABLE, _("%s: %s (libcurl: %s)"), url, vbsig_curl_error_text(cc),
                          detail[0] ? detail : C->easy_strerror(cc));
}

static int check_answer(const vbsig_curl_fns *C, CURL *h, const char *url, int *retryable)
{
    long code = 0;
    char *type = NULL;
    C->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    C->easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type);
    if (code != 200) {
        /* Only a server-side fault may go away by asking again. */
        *retryable = code >= 500 || code == 429 || code == 408;
        return vbsig_fail(VBSIG_E_UNAVAILABLE, _("%s: the timestamp authority answered HTTP %ld"), url, code);
    }
    if (!is_timestamp_reply(type)) {
        *retryable = 0;
        return vbsig_fail(VBSIG_E_UNAVAILABLE, _("%s: the answer is not a timestamp reply (content type %s)"), url,
                          type != NULL ? type : "-");
    }
    return VBSIG_OK;
}

int vbsig_tsp_http_post(const vbsig_tsp_opts *opts, const char *url, const char *password,
                        const vbsig_bytes *query, vbsig_bytes *reply, int *retryable)
{
    *retryable = 0;
    const vbsig_curl_fns *C = vbsig_curl(); /* loaded on first use */
    if (C == NULL)
        return VBSIG_E_UNAVAILABLE;
    CURL *h = C->easy_init();
    struct curl_slist *headers = C->slist_append(NULL, "Content-Type: application/timestamp-query");
    struct curl_slist *more = headers != NULL ? C->slist_append(headers, "Accept: application/timestamp-reply") : NULL;
    if (h == NULL || more == NULL) {
        C->slist_free_all(headers);
        C->easy_cleanup(h);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    headers = more;
    char detail[CURL_ERROR_SIZE] = "";
    sink s = {reply, 0};
    C->easy_setopt(h, CURLOPT_URL, url);
    C->easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    C->easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    C->easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* safe in threaded callers */
    C->easy_setopt(h, CURLOPT_POST, 1L);
    C->easy_setopt(h, CURLOPT_POSTFIELDS, query->data);
    C->easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)query->len);
    C->easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    C->easy_setopt(h, CURLOPT_USERAGENT, "vbsig");
    C->easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, opts->connect_timeout_ms);
    C->easy_setopt(h, CURLOPT_TIMEOUT_MS, opts->timeout_ms);
    C->easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)VBSIG_TSP_MAX_REPLY);
    C->easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    C->easy_setopt(h, CURLOPT_WRITEDATA, &s);
    C->easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
    if (opts->ca_file != NULL)
        C->easy_setopt(h, CURLOPT_CAINFO, opts->ca_file);
    if (opts->username != NULL) {
        C->easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        C->easy_setopt(h, CURLOPT_USERNAME, opts->username);
        C->easy_setopt(h, CURLOPT_PASSWORD, password != NULL ? password : "");
    }
    CURLcode cc = C->easy_perform(h);
    int rc;
    if (s.too_large || cc == CURLE_FILESIZE_EXCEEDED)
        rc = vbsig_fail(VBSIG_E_LIMIT, _("%s: the reply is larger than %u bytes"), url, VBSIG_TSP_MAX_REPLY);
    else if (cc != CURLE_OK)
        rc = transfer_failed(C, cc, url, detail, retryable);
    else
        rc = check_answer(C, h, url, retryable);
    C->slist_free_all(headers);
    C->easy_cleanup(h);
    return rc;
}
