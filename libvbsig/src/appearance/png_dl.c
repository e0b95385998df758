/* Loads libpng on first use; png_dl.h says why. */
#define VBSIG_PNG_DL_NO_REDIRECT
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "appearance/png_dl.h"
#include "util/dl_lib.h"
#include "util/util.h"
#include "vbsig_config.h"

VBSIG_DL_NOTE(g_png_note, "images", "the signature and seal images of visible signatures", "recommended",
              VBSIG_SONAME_PNG);

static vbsig_dl_lib g_lib = {.soname = VBSIG_SONAME_PNG};
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static vbsig_png_fns g_fns;
static int g_loaded;

/* libpng numbers its versions MMmmpp in decimal (PNG_LIBPNG_VER, and
 * png_access_version_number() of the loaded library). */
static unsigned long decimal_version(unsigned long v)
{
    return VBSIG_DL_VERSION(v / 10000, v / 100 % 100, v % 100);
}

static int version_fits(void)
{
    png_uint_32 (*version)(void) = NULL;
    if (!vbsig_dl_sym(&g_lib, "png_access_version_number", &version, sizeof version))
        return 0;
    return vbsig_dl_check_version(&g_lib, decimal_version(version()), decimal_version(PNG_LIBPNG_VER));
}

static void load_once(void)
{
#define VBSIG_PNG_LOOKUP(name) &&vbsig_dl_sym(&g_lib, #name, &g_fns.name, sizeof g_fns.name)
    g_loaded = vbsig_dl_open(&g_lib) && version_fits() VBSIG_PNG_FUNCS(VBSIG_PNG_LOOKUP);
#undef VBSIG_PNG_LOOKUP
}

int vbsig__png_require(void)
{
    pthread_once(&g_once, load_once);
    if (!g_loaded)
        return vbsig_fail(VBSIG_E_UNAVAILABLE, _("the PNG library %s cannot be used (%s)"), g_lib.soname, g_lib.why);
    return VBSIG_OK;
}

const vbsig_png_fns *vbsig__png(void)
{
    pthread_once(&g_once, load_once);
    if (!g_loaded) {
        /* Unreachable: vbsig__png_decode, the only way in, asks
         * vbsig__png_require() first. */
        fprintf(stderr, "libvbsig: internal error: libpng used before vbsig__png_require(): %s\n", g_lib.why);
        abort();
    }
    return &g_fns;
}
