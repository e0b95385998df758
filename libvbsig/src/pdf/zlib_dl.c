/* Loads zlib with dlopen on first use; see zlib_dl.h for why. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "pdf/zlib_dl.h"
#include "util/util.h"

/* The soname of zlib's stable ABI (unchanged since 1.1). */
#define ZLIB_SONAME "libz.so.1"

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static vbsig_zlib_fns g_fns;
static const vbsig_zlib_fns *g_loaded;
static char g_why[256];

static int lookup(void *lib, const char *name, void *fn_ptr, size_t size)
{
    void *sym = dlsym(lib, name);
    if (sym == NULL) {
        snprintf(g_why, sizeof g_why, "%s", name);
        return 0;
    }
    memcpy(fn_ptr, &sym, size); /* POSIX: object and function pointers have the same bits */
    return 1;
}

static void load_once(void)
{
    void *lib = dlopen(ZLIB_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        const char *e = dlerror();
        snprintf(g_why, sizeof g_why, "%s", e != NULL ? e : "?");
        return;
    }
    if (lookup(lib, "inflateInit_", &g_fns.inflate_init, sizeof g_fns.inflate_init) &&
        lookup(lib, "inflate", &g_fns.inflate, sizeof g_fns.inflate) &&
        lookup(lib, "inflateEnd", &g_fns.inflate_end, sizeof g_fns.inflate_end))
        g_loaded = &g_fns;
}

const vbsig_zlib_fns *vbsig_zlib(void)
{
    pthread_once(&g_once, load_once);
    if (g_loaded == NULL)
        vbsig_fail(VBSIG_E_UNAVAILABLE, _("the compression library %s cannot be used (%s)"), ZLIB_SONAME, g_why);
    return g_loaded;
}
