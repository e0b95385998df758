/* HTTP for revocation data (RFC 5280 §4.2.1.13 CRL URLs, RFC 6960
 * Appendix A OCSP over HTTP POST) over libcurl. */
#include <pthread.h>
#include <string.h>

#include <curl/curl.h>

#include "validate/rev.h"

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static CURLcode g_init = CURLE_FAILED_INIT;

static void init_once(void)
{
    g_init = curl_global_init(CURL_GLOBAL_DEFAULT);
}

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

int vbsig_rev_http(const char *url, const char *content_type, const uint8_t *body, size_t body_len,
                   size_t max_reply, vbsig_bytes *reply)
{
    pthread_once(&g_once, init_once);
    if (g_init != CURLE_OK)
        return vbsig_fail(VBSIG_E_INTERNAL, _("libcurl could not be initialised"));
    CURL *h = curl_easy_init();
    struct curl_slist *headers = NULL;
    if (body != NULL) {
        char line[128];
        snprintf(line, sizeof line, "Content-Type: %s", content_type);
        headers = curl_slist_append(NULL, line);
    }
    if (h == NULL || (body != NULL && headers == NULL)) {
        curl_slist_free_all(headers);
        curl_easy_cleanup(h);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    char detail[CURL_ERROR_SIZE] = "";
    sink s = {reply, max_reply, 0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "vbsig");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, VBSIG_REV_CONNECT_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, VBSIG_REV_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_reply);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail);
    if (body != NULL) {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    }
    CURLcode cc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    int rc = VBSIG_OK;
    if (s.too_large || cc == CURLE_FILESIZE_EXCEEDED)
        rc = vbsig_fail(VBSIG_E_LIMIT, _("%s: the answer is larger than %zu bytes"), url, max_reply);
    else if (cc == CURLE_OPERATION_TIMEDOUT)
        rc = vbsig_fail(VBSIG_E_TIMEOUT, _("%s: no answer in time"), url);
    else if (cc != CURLE_OK)
        rc = vbsig_fail(VBSIG_E_UNAVAILABLE, "%s: %s", url, detail[0] ? detail : curl_easy_strerror(cc));
    else if (code != 200)
        rc = vbsig_fail(VBSIG_E_UNAVAILABLE, _("%s: the server answered HTTP %ld"), url, code);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    return rc;
}
