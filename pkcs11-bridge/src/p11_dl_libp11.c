/* Loads libp11 on first use; p11_dl.h says why. */
#include <pthread.h>

#include "p11.h"
#include "p11_dl.h"

/* libp11 0.4's soname (the ABI p11_libp11.c is written against). */
#define LIBP11_SONAME "libp11.so.3"

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static p11_libp11_fns g_fns;
static const p11_libp11_fns *g_loaded; /* NULL: loading failed */
static char g_why[256];

#define SYM(lib, name, field) p11_dl_sym(lib, name, &g_fns.field, sizeof g_fns.field, g_why, sizeof g_why)

static void load_once(void)
{
    void *lib = p11_dl_open(LIBP11_SONAME, g_why, sizeof g_why);
    if (lib == NULL)
        return;
    if (SYM(lib, "PKCS11_CTX_new", ctx_new) && SYM(lib, "PKCS11_CTX_load", ctx_load) &&
        SYM(lib, "PKCS11_CTX_unload", ctx_unload) && SYM(lib, "PKCS11_CTX_free", ctx_free) &&
        SYM(lib, "PKCS11_enumerate_slots", enumerate_slots) &&
        SYM(lib, "PKCS11_release_all_slots", release_all_slots) &&
        SYM(lib, "PKCS11_get_slotid_from_slot", get_slotid_from_slot) &&
        SYM(lib, "PKCS11_enumerate_certs", enumerate_certs) && SYM(lib, "PKCS11_enumerate_keys", enumerate_keys) &&
        SYM(lib, "PKCS11_enumerate_public_keys", enumerate_public_keys) &&
        SYM(lib, "PKCS11_get_key_type", get_key_type))
        g_loaded = &g_fns;
}

const p11_libp11_fns *p11_libp11(void)
{
    pthread_once(&g_once, load_once);
    if (g_loaded == NULL)
        p11_fail(VBSIG_E_UNAVAILABLE, _("the token listing library %s cannot be used (%s)"), LIBP11_SONAME, g_why);
    return g_loaded;
}
