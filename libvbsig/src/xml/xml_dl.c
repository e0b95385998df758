/* Loads libxml2 on first use; xml_dl.h says why. */
#define VBSIG_XML_DL_NO_REDIRECT
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/dl_lib.h"
#include "util/util.h"
#include "xml/xml_dl.h"

/* libxml2's soname, unchanged since 2.0 (Debian 12 ships 2.9.14). */
static vbsig_dl_lib g_lib = {.soname = "libxml2.so.2"};
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static vbsig_xml_fns g_fns;
static int g_loaded;

static void load_once(void)
{
#define VBSIG_XML_LOOKUP(name) &&vbsig_dl_sym(&g_lib, #name, &g_fns.name, sizeof g_fns.name)
    int ok = vbsig_dl_open(&g_lib) VBSIG_XML_FUNCS(VBSIG_XML_LOOKUP) &&
             vbsig_dl_sym(&g_lib, "xmlFree", &g_fns.free_fn, sizeof g_fns.free_fn);
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
        fprintf(stderr, _("libvbsig: cannot load the XML library: %s\n"), g_lib.why);
        abort();
    }
    return &g_fns;
}
