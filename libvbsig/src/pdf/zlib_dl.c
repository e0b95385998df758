/* Loads zlib with dlopen on first use; see zlib_dl.h for why. */
#include <pthread.h>

#include "pdf/zlib_dl.h"
#include "util/dl_lib.h"
#include "util/util.h"

/* The soname of zlib's stable ABI (unchanged since 1.1). */
static vbsig_dl_lib g_lib = {.soname = "libz.so.1"};
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static vbsig_zlib_fns g_fns;
static const vbsig_zlib_fns *g_loaded;

#define SYM(name, field) vbsig_dl_sym(&g_lib, name, &g_fns.field, sizeof g_fns.field)

static void load_once(void)
{
    if (vbsig_dl_open(&g_lib) && SYM("inflateInit_", inflate_init) && SYM("inflate", inflate) &&
        SYM("inflateEnd", inflate_end))
        g_loaded = &g_fns;
}

const vbsig_zlib_fns *vbsig_zlib(void)
{
    pthread_once(&g_once, load_once);
    if (g_loaded == NULL)
        vbsig_fail(VBSIG_E_UNAVAILABLE, _("the compression library %s cannot be used (%s)"), g_lib.soname, g_lib.why);
    return g_loaded;
}
