/* Loads pcsc-lite on first use; p11_dl.h says why. */
#include <pthread.h>

#include "p11.h"
#include "p11_dl.h"

/* pcsc-lite's client library, stable soname since 1.6. */
#define PCSC_SONAME "libpcsclite.so.1"

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static p11_pcsc_fns g_fns;
static const p11_pcsc_fns *g_loaded; /* NULL: loading failed */
static char g_why[256];

#define SYM(lib, name, field) p11_dl_sym(lib, name, &g_fns.field, sizeof g_fns.field, g_why, sizeof g_why)

static void load_once(void)
{
    void *lib = p11_dl_open(PCSC_SONAME, g_why, sizeof g_why);
    if (lib == NULL)
        return;
    if (SYM(lib, "SCardEstablishContext", establish_context) && SYM(lib, "SCardReleaseContext", release_context) &&
        SYM(lib, "SCardListReaders", list_readers) && SYM(lib, "SCardGetStatusChange", get_status_change) &&
        SYM(lib, "pcsc_stringify_error", stringify_error))
        g_loaded = &g_fns;
}

const p11_pcsc_fns *p11_pcsc(void)
{
    pthread_once(&g_once, load_once);
    if (g_loaded == NULL)
        p11_fail(VBSIG_E_UNAVAILABLE, _("the smart-card library %s cannot be used (%s)"), PCSC_SONAME, g_why);
    return g_loaded;
}
