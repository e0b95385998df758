/* Loads libxml2 on first use; xml_dl.h says why. */
#define VBSIG_XML_DL_NO_REDIRECT
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "xml/xml_dl.h"

/* libxml2's soname, unchanged since 2.0 (Debian 12 ships 2.9.14). */
#define LIBXML2_SONAME "libxml2.so.2"

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static vbsig_xml_fns g_fns;
static int g_loaded;
static char g_why[512];

/* dlsym returns void *; ISO C has no conversion to a function pointer, so
 * the bits are copied (POSIX guarantees they are the same). */
static int lookup(void *lib, const char *name, void *ptr, size_t size)
{
    void *sym = dlsym(lib, name);
    if (sym == NULL) {
        snprintf(g_why, sizeof g_why, "%s has no symbol %s", LIBXML2_SONAME, name);
        return 0;
    }
    memcpy(ptr, &sym, size);
    return 1;
}

static void load_once(void)
{
    /* RTLD_LOCAL: libxml2's symbols stay out of the global namespace, as
     * they were when it was a link-time dependency of libvbsig only. */
    void *lib = dlopen(LIBXML2_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        const char *e = dlerror();
        snprintf(g_why, sizeof g_why, "%s", e != NULL ? e : LIBXML2_SONAME);
        return;
    }
#define VBSIG_XML_LOOKUP(name) &&lookup(lib, #name, &g_fns.name, sizeof g_fns.name)
    int ok = 1 VBSIG_XML_FUNCS(VBSIG_XML_LOOKUP) && lookup(lib, "xmlFree", &g_fns.free_fn, sizeof g_fns.free_fn);
#undef VBSIG_XML_LOOKUP
    /* Never unloaded: libxml2 keeps global state until exit. */
    g_loaded = ok;
}

const vbsig_xml_fns *vbsig_xml(void)
{
    pthread_once(&g_once, load_once);
    if (!g_loaded) {
        /* Not reachable on an installed system (libxml2 is a package
         * dependency); every caller would need the table. */
        fprintf(stderr, _("libvbsig: cannot load the XML library: %s\n"), g_why);
        abort();
    }
    return &g_fns;
}
