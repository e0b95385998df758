/* libcurl, loaded when the network is first needed (curl_dl.c).
 * Linking libcurl brings some 27 shared libraries (TLS, Kerberos, LDAP,
 * IDN, HTTP/2 …) into every process that links libvbsig, and loading and
 * relocating them costs milliseconds at each start of the CLI, although
 * most runs (signing with a local key, verifying offline) never open a
 * connection. The header <curl/curl.h> is still used for its types and
 * constants; only the functions are looked up at run time. */
#ifndef VBSIG_CURL_DL_H
#define VBSIG_CURL_DL_H

#include <curl/curl.h>

typedef struct vbsig_curl_fns {
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *h);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *h);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
} vbsig_curl_fns;

/* libcurl's functions, with curl_global_init done once for the process
 * (thread-safe). NULL when libcurl cannot be loaded or initialised, with
 * the error set (VBSIG_E_UNAVAILABLE, naming the library and the reason). */
const vbsig_curl_fns *vbsig_curl(void);
/* Our own (translated) words for a transfer that failed with cc; libcurl's
 * texts are English only, so callers add its text as a detail. */
const char *vbsig_curl_error_text(CURLcode cc);

#endif
