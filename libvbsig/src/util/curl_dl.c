/* Loads libcurl with dlopen on first use; see curl_dl.h for why. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "util/curl_dl.h"
#include "util/util.h"

/* The soname of libcurl's stable ABI (unchanged since 7.16). */
#define CURL_SONAME "libcurl.so.4"

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static vbsig_curl_fns g_fns;
static const vbsig_curl_fns *g_loaded; /* NULL: loading failed */
static char g_why[256];                 /* the reason, reported on every call */

/* dlsym returns void *; ISO C has no conversion to a function pointer, so
 * the bits are copied (POSIX guarantees they are the same). */
static int lookup(void *lib, const char *name, void *fn_ptr, size_t size)
{
    void *sym = dlsym(lib, name);
    if (sym == NULL) {
        snprintf(g_why, sizeof g_why, "%s", name);
        return 0;
    }
    memcpy(fn_ptr, &sym, size);
    return 1;
}
#define LOOKUP(lib, name, field) lookup(lib, name, &g_fns.field, sizeof g_fns.field)

static void load_once(void)
{
    void *lib = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        const char *e = dlerror();
        snprintf(g_why, sizeof g_why, "%s", e != NULL ? e : "?");
        return;
    }
    CURLcode (*global_init)(long flags) = NULL;
    int ok = lookup(lib, "curl_global_init", &global_init, sizeof global_init) &&
             LOOKUP(lib, "curl_easy_init", easy_init) && LOOKUP(lib, "curl_easy_setopt", easy_setopt) &&
             LOOKUP(lib, "curl_easy_perform", easy_perform) && LOOKUP(lib, "curl_easy_getinfo", easy_getinfo) &&
             LOOKUP(lib, "curl_easy_cleanup", easy_cleanup) && LOOKUP(lib, "curl_easy_strerror", easy_strerror) &&
             LOOKUP(lib, "curl_slist_append", slist_append) && LOOKUP(lib, "curl_slist_free_all", slist_free_all);
    if (!ok)
        return; /* g_why names the missing function; the library stays loaded, harmlessly */
    CURLcode cc = global_init(CURL_GLOBAL_DEFAULT);
    if (cc != CURLE_OK) {
        snprintf(g_why, sizeof g_why, "curl_global_init: %d", (int)cc);
        return;
    }
    /* Never unloaded: libcurl keeps global state (TLS back-end) until exit. */
    g_loaded = &g_fns;
}

const vbsig_curl_fns *vbsig_curl(void)
{
    pthread_once(&g_once, load_once);
    if (g_loaded == NULL)
        vbsig_fail(VBSIG_E_UNAVAILABLE, _("the network library %s cannot be used (%s)"), CURL_SONAME, g_why);
    return g_loaded;
}
