/* Loads HarfBuzz on first use; hb_dl.h says why. */
#define VBSIG_HB_DL_NO_REDIRECT
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "appearance/hb_dl.h"
#include "util/dl_lib.h"
#include "util/util.h"
#include "vbsig_config.h"

VBSIG_DL_NOTE(g_hb_note, "text-stamps", "shaping the text lines of visible signatures", "recommended",
              VBSIG_SONAME_HARFBUZZ);
VBSIG_DL_NOTE(g_hb_subset_note, "text-stamps", "embedding subsets of the fonts of visible signatures",
              "recommended", VBSIG_SONAME_HARFBUZZ_SUBSET);

static vbsig_dl_lib g_hb = {.soname = VBSIG_SONAME_HARFBUZZ};
static vbsig_dl_lib g_subset = {.soname = VBSIG_SONAME_HARFBUZZ_SUBSET};
static vbsig_dl_lib *g_failed;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static vbsig_hb_fns g_fns;
static int g_loaded;

static int version_fits(void)
{
    void (*version)(unsigned *, unsigned *, unsigned *) = NULL;
    if (!vbsig_dl_sym(&g_hb, "hb_version", &version, sizeof version))
        return 0;
    unsigned major = 0, minor = 0, micro = 0;
    version(&major, &minor, &micro);
    return vbsig_dl_check_version(&g_hb, VBSIG_DL_VERSION(major, minor, micro),
                                  VBSIG_DL_VERSION(HB_VERSION_MAJOR, HB_VERSION_MINOR, HB_VERSION_MICRO));
}

static void load_once(void)
{
#define VBSIG_HB_LOOKUP(name) &&vbsig_dl_sym(&g_hb, #name, &g_fns.name, sizeof g_fns.name)
#define VBSIG_HB_SUBSET_LOOKUP(name) &&vbsig_dl_sym(&g_subset, #name, &g_fns.name, sizeof g_fns.name)
    int ok = vbsig_dl_open(&g_hb) && version_fits() VBSIG_HB_FUNCS(VBSIG_HB_LOOKUP);
    if (!ok) {
        g_failed = &g_hb;
        return;
    }
    ok = vbsig_dl_open(&g_subset) VBSIG_HB_SUBSET_FUNCS(VBSIG_HB_SUBSET_LOOKUP);
#undef VBSIG_HB_LOOKUP
#undef VBSIG_HB_SUBSET_LOOKUP
    if (!ok)
        g_failed = &g_subset;
    /* Never unloaded: HarfBuzz keeps global state (its empty objects,
     * lazily made tables) until exit. */
    g_loaded = ok;
}

int vbsig__hb_require(void)
{
    pthread_once(&g_once, load_once);
    if (!g_loaded)
        return vbsig_fail(VBSIG_E_UNAVAILABLE, _("the font library %s cannot be used (%s)"), g_failed->soname,
                          g_failed->why);
    return VBSIG_OK;
}

const vbsig_hb_fns *vbsig__hb(void)
{
    pthread_once(&g_once, load_once);
    if (!g_loaded) {
        /* Unreachable: no font exists unless vbsig__hb_require() succeeded
         * first. A new way in that forgets it must fail loudly here rather
         * than call through a NULL table. */
        fprintf(stderr, "libvbsig: internal error: HarfBuzz used before vbsig__hb_require(): %s\n",
                g_failed != NULL ? g_failed->why : "");
        abort();
    }
    return &g_fns;
}
