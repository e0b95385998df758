/* Loads pcsc-lite on first use; p11_dl.h says why. */
#include <pthread.h>

#include "p11.h"
#include "p11_dl.h"
#include "util/dl_lib.h"

/* The soname of the library found at build time (pkcs11-bridge/CMakeLists.txt).
 * It reports no version at run time: the soname is its ABI check. */
VBSIG_DL_NOTE(g_note, "smartcard-readers", "watching smart-card readers for token insertion and removal", "recommended", VBSIG_SONAME_PCSC);

static vbsig_dl_lib g_lib = {.soname = VBSIG_SONAME_PCSC};

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static p11_pcsc_fns g_fns;
static const p11_pcsc_fns *g_loaded; /* NULL: loading failed */

#define SYM(name, field) vbsig_dl_sym(&g_lib, name, &g_fns.field, sizeof g_fns.field)

static void load_once(void)
{
    if (!vbsig_dl_open(&g_lib))
        return;
    if (SYM("SCardEstablishContext", establish_context) && SYM("SCardReleaseContext", release_context) &&
        SYM("SCardListReaders", list_readers) && SYM("SCardGetStatusChange", get_status_change) &&
        SYM("pcsc_stringify_error", stringify_error))
        g_loaded = &g_fns;
}

const p11_pcsc_fns *p11_pcsc(void)
{
    pthread_once(&g_once, load_once);
    if (g_loaded == NULL)
        p11_fail(VBSIG_E_UNAVAILABLE, _("the smart-card library %s cannot be used (%s)"), g_lib.soname, g_lib.why);
    return g_loaded;
}
