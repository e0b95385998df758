/* The RFC 3161 HTTP transport (RFC 3161 §3.4) over libcurl. */
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "tsp/tsp.h"

static pthread_once_t g_curl_once = PTHREAD_ONCE_INIT;
static CURLcode g_curl_init = CURLE_FAILED_INIT;

static void curl_init_once(void)
{
    g_curl_init = curl_global_init(CURL_GLOBAL_DEFAULT);
}

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

static int transfer_failed(CURLcode cc, const char *url, const char *detail, int *retryable)
{
    *retryable = cc != CURLE_UNSUPPORTED_PROTOCOL && cc != CURLE_URL_MALFORMAT;
    if (cc == CURLE_OPERATION_TIMEDOUT)
        return vbsig_fail(VBSIG_E_TIMEOUT, _("%s: the timestamp authority did not answer in time"), url);
    return vbsig_fail(VBSIG_E_UNAVAILABLE, "%s: %s", url, detail[0] ? detail : curl_easy_strerror(cc));
}

static int check_answer(CURL *h, const char *url, int *retryable)
{
    long code = 0;
    char *type = NULL;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type);
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
    pthread_once(&g_curl_once, curl_init_once);
    if (g_curl_init != CURLE_OK)
        return vbsig_fail(VBSIG_E_INTERNAL, _("libcurl could not be initialised"));
    CURL *h = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/timestamp-query");
    struct curl_slist *more = headers != NULL ? curl_slist_append(headers, "Accept: application/timestamp-reply") : NULL;
    if (h == NULL || more == NULL) {
        curl_slist_free_all(headers);
        curl_easy_cleanup(h);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    headers = more;
    char detail[CURL_ERROR_SIZE] = "";
    sink s = {reply, 0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* safe in threaded callers */
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, query->data);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)query->len);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "vbsig");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, opts->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, opts->timeout_ms);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)VBSIG_TSP_MAX_REPLY);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
    if (opts->ca_file != NULL)
        curl_easy_setopt(h, CURLOPT_CAINFO, opts->ca_file);
    if (opts->username != NULL) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, opts->username);
        curl_easy_setopt(h, CURLOPT_PASSWORD, password != NULL ? password : "");
    }
    CURLcode cc = curl_easy_perform(h);
    int rc;
    if (s.too_large || cc == CURLE_FILESIZE_EXCEEDED)
        rc = vbsig_fail(VBSIG_E_LIMIT, _("%s: the reply is larger than %u bytes"), url, VBSIG_TSP_MAX_REPLY);
    else if (cc != CURLE_OK)
        rc = transfer_failed(cc, url, detail, retryable);
    else
        rc = check_answer(h, url, retryable);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    return rc;
}
