/* Loads libcurl with dlopen on first use; see curl_dl.h for why. */
#include <pthread.h>
#include <stdio.h>

#include "util/curl_dl.h"
#include "util/dl_lib.h"
#include "util/util.h"
#include "vbsig_config.h"

VBSIG_DL_NOTE(g_curl_note, "network", "TSA requests, OCSP, CRL and AIA fetches", "recommended", VBSIG_SONAME_CURL);

/* The soname of the libcurl found at build time (cmake/VbsigSoname.cmake). */
static vbsig_dl_lib g_lib = {.soname = VBSIG_SONAME_CURL};
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static vbsig_curl_fns g_fns;
static const vbsig_curl_fns *g_loaded; /* NULL: loading failed */

#define LOOKUP(name, field) vbsig_dl_sym(&g_lib, name, &g_fns.field, sizeof g_fns.field)

/* libcurl numbers its versions 0xMMmmpp. */
static unsigned long hex_version(unsigned long v)
{
    return VBSIG_DL_VERSION(v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff);
}

static void load_once(void)
{
    CURLcode (*global_init)(long flags) = NULL;
    curl_version_info_data *(*version_info)(CURLversion stamp) = NULL;
    if (!vbsig_dl_open(&g_lib) || !vbsig_dl_sym(&g_lib, "curl_version_info", &version_info, sizeof version_info))
        return; /* g_lib.why says why */
    const curl_version_info_data *v = version_info(CURLVERSION_NOW);
    unsigned long loaded = v != NULL ? hex_version((unsigned long)v->version_num) : 0;
    if (!vbsig_dl_check_version(&g_lib, loaded, hex_version(LIBCURL_VERSION_NUM)))
        return;
    int ok = vbsig_dl_sym(&g_lib, "curl_global_init", &global_init, sizeof global_init) &&
             LOOKUP("curl_easy_init", easy_init) && LOOKUP("curl_easy_setopt", easy_setopt) &&
             LOOKUP("curl_easy_perform", easy_perform) && LOOKUP("curl_easy_getinfo", easy_getinfo) &&
             LOOKUP("curl_easy_cleanup", easy_cleanup) && LOOKUP("curl_easy_strerror", easy_strerror) &&
             LOOKUP("curl_slist_append", slist_append) && LOOKUP("curl_slist_free_all", slist_free_all);
    if (!ok)
        return; /* a library without a symbol stays loaded, harmlessly */
    CURLcode cc = global_init(CURL_GLOBAL_DEFAULT);
    if (cc != CURLE_OK) {
        snprintf(g_lib.why, sizeof g_lib.why, "curl_global_init: %d", (int)cc);
        return;
    }
    /* Never unloaded: libcurl keeps global state (TLS back-end) until exit. */
    g_loaded = &g_fns;
}

const vbsig_curl_fns *vbsig_curl(void)
{
    pthread_once(&g_once, load_once);
    if (g_loaded == NULL)
        vbsig_fail(VBSIG_E_UNAVAILABLE, _("the network library %s cannot be used (%s)"), g_lib.soname, g_lib.why);
    return g_loaded;
}

const char *vbsig_curl_error_text(CURLcode cc)
{
    vbsig_i18n_ensure();
    switch (cc) {
    case CURLE_UNSUPPORTED_PROTOCOL: return _("the address is not an http or https URL");
    case CURLE_URL_MALFORMAT: return _("the address is not a valid URL");
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST: return _("the server's name cannot be resolved");
    case CURLE_COULDNT_CONNECT: return _("cannot connect to the server");
    case CURLE_OPERATION_TIMEDOUT: return _("the server did not answer in time");
    case CURLE_GOT_NOTHING: return _("the server closed the connection without answering");
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR: return _("the connection to the server broke off");
    case CURLE_PEER_FAILED_VERIFICATION: return _("the server's TLS certificate is not trusted");
    case CURLE_SSL_CONNECT_ERROR: return _("the TLS connection to the server failed");
    case CURLE_WEIRD_SERVER_REPLY: return _("the server's answer is not HTTP");
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR: return _("the server refused the credentials");
    default: return _("the transfer failed");
    }
}
