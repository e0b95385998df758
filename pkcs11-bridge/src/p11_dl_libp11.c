/* Loads libp11 on first use; p11_dl.h says why. */
#include <pthread.h>

#include "p11.h"
#include "p11_dl.h"
#include "util/dl_lib.h"

/* The soname of the library found at build time (pkcs11-bridge/CMakeLists.txt).
 * It reports no version at run time: the soname is its ABI check. */
VBSIG_DL_NOTE(g_note, "pkcs11-list", "listing the slots, tokens, keys and certificates of PKCS#11 modules", "recommended", VBSIG_SONAME_P11);

static vbsig_dl_lib g_lib = {.soname = VBSIG_SONAME_P11};

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static p11_libp11_fns g_fns;
static const p11_libp11_fns *g_loaded; /* NULL: loading failed */

#define SYM(name, field) vbsig_dl_sym(&g_lib, name, &g_fns.field, sizeof g_fns.field)

static void load_once(void)
{
    if (!vbsig_dl_open(&g_lib))
        return;
    if (SYM("PKCS11_CTX_new", ctx_new) && SYM("PKCS11_CTX_load", ctx_load) &&
        SYM("PKCS11_CTX_unload", ctx_unload) && SYM("PKCS11_CTX_free", ctx_free) &&
        SYM("PKCS11_enumerate_slots", enumerate_slots) &&
        SYM("PKCS11_release_all_slots", release_all_slots) &&
        SYM("PKCS11_get_slotid_from_slot", get_slotid_from_slot) &&
        SYM("PKCS11_enumerate_certs", enumerate_certs) && SYM("PKCS11_enumerate_keys", enumerate_keys) &&
        SYM("PKCS11_enumerate_public_keys", enumerate_public_keys) &&
        SYM("PKCS11_get_key_type", get_key_type))
        g_loaded = &g_fns;
}

const p11_libp11_fns *p11_libp11(void)
{
    pthread_once(&g_once, load_once);
    if (g_loaded == NULL)
        p11_fail(VBSIG_E_UNAVAILABLE, _("the token listing library %s cannot be used (%s)"), g_lib.soname, g_lib.why);
    return g_loaded;
}
