/* Loads libxml2 on first use; xml_dl.h says why. */
#define VBSIG_XML_DL_NO_REDIRECT
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/dl_lib.h"
#include "util/util.h"
#include "util/xml_dl.h"
#include "vbsig_config.h"

VBSIG_DL_NOTE(g_xml2_note, "xml", "XAdES and XMLDSig signatures, the ETSI XML validation report", "recommended",
              VBSIG_SONAME_XML2);

/* The soname of the libxml2 found at build time (cmake/VbsigSoname.cmake):
 * libxml2.so.2 up to 2.13, libxml2.so.16 from 2.14. */
static vbsig_dl_lib g_lib = {.soname = VBSIG_SONAME_XML2};
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static vbsig_xml_fns g_fns;
static int g_loaded;

/* libxml2 numbers its versions MMmmpp in decimal (LIBXML_VERSION, and the
 * string xmlParserVersion of the loaded library). */
static unsigned long decimal_version(unsigned long v)
{
    return VBSIG_DL_VERSION(v / 10000, v / 100 % 100, v % 100);
}

static int version_fits(void)
{
    const char *const *loaded = NULL;
    if (!vbsig_dl_sym(&g_lib, "xmlParserVersion", &loaded, sizeof loaded))
        return 0;
    unsigned long v = *loaded != NULL ? strtoul(*loaded, NULL, 10) : 0;
    return vbsig_dl_check_version(&g_lib, decimal_version(v), decimal_version(LIBXML_VERSION));
}

static void load_once(void)
{
#define VBSIG_XML_LOOKUP(name) &&vbsig_dl_sym(&g_lib, #name, &g_fns.name, sizeof g_fns.name)
    int ok = vbsig_dl_open(&g_lib) && version_fits() VBSIG_XML_FUNCS(VBSIG_XML_LOOKUP) &&
             vbsig_dl_sym(&g_lib, "xmlFree", &g_fns.free_fn, sizeof g_fns.free_fn);
#undef VBSIG_XML_LOOKUP
    /* Never unloaded: libxml2 keeps global state until exit. */
    g_loaded = ok;
}

int vbsig_xml_require(void)
{
    pthread_once(&g_once, load_once);
    if (!g_loaded)
        return vbsig_fail(VBSIG_E_UNAVAILABLE, _("the XML library %s cannot be used (%s)"), g_lib.soname, g_lib.why);
    return VBSIG_OK;
}

const vbsig_xml_fns *vbsig_xml(void)
{
    pthread_once(&g_once, load_once);
    if (!g_loaded) {
        /* Unreachable: every way into libxml2 (parsing a document, writing
         * the ETSI report) passes vbsig_xml_require() first, which returns
         * VBSIG_E_UNAVAILABLE to the caller. A new way in that forgets it
         * must fail loudly here rather than call through a NULL table. */
        fprintf(stderr, "libvbsig: internal error: libxml2 used before vbsig_xml_require(): %s\n", g_lib.why);
        abort();
    }
    return &g_fns;
}
