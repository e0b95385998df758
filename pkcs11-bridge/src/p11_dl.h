/* libp11 and pcsc-lite, loaded with dlopen when first needed
 * (p11_dl_libp11.c, p11_dl_pcsc.c).
 * The CLI links this bridge, so linking both libraries made every vbsig
 * process map and relocate them, although only token listing (libp11) and
 * reader watching (pcsc-lite) use them; verifying a PDF never does. Their
 * headers are still used for types and constants; the functions are looked
 * up at run time with libvbsig's loader helper (util/dl_lib.c, compiled
 * into the bridge too), the same way as libcurl and libxml2 in libvbsig. */
#ifndef VBSIG_P11_DL_H
#define VBSIG_P11_DL_H

#include <libp11.h>
#include <PCSC/winscard.h>

typedef struct p11_libp11_fns {
    PKCS11_CTX *(*ctx_new)(void);
    int (*ctx_load)(PKCS11_CTX *ctx, const char *ident);
    void (*ctx_unload)(PKCS11_CTX *ctx);
    void (*ctx_free)(PKCS11_CTX *ctx);
    int (*enumerate_slots)(PKCS11_CTX *ctx, PKCS11_SLOT **slots, unsigned int *nslots);
    void (*release_all_slots)(PKCS11_CTX *ctx, PKCS11_SLOT *slots, unsigned int nslots);
    unsigned long (*get_slotid_from_slot)(PKCS11_SLOT *slot);
    int (*enumerate_certs)(PKCS11_TOKEN *token, PKCS11_CERT **certs, unsigned int *ncerts);
    int (*enumerate_keys)(PKCS11_TOKEN *token, PKCS11_KEY **keys, unsigned int *nkeys);
    int (*enumerate_public_keys)(PKCS11_TOKEN *token, PKCS11_KEY **keys, unsigned int *nkeys);
    int (*get_key_type)(PKCS11_KEY *key);
} p11_libp11_fns;

/* libp11's functions, loaded once per process (thread-safe). NULL when the
 * library cannot be loaded, with the error set (VBSIG_E_UNAVAILABLE, naming
 * the library and the reason). */
const p11_libp11_fns *p11_libp11(void);

typedef struct p11_pcsc_fns {
    LONG (*establish_context)(DWORD scope, LPCVOID reserved1, LPCVOID reserved2, LPSCARDCONTEXT ctx);
    LONG (*release_context)(SCARDCONTEXT ctx);
    LONG (*list_readers)(SCARDCONTEXT ctx, LPCSTR groups, LPSTR readers, LPDWORD len);
    LONG (*get_status_change)(SCARDCONTEXT ctx, DWORD timeout, SCARD_READERSTATE *states, DWORD n);
    const char *(*stringify_error)(const LONG rv);
} p11_pcsc_fns;

/* pcsc-lite's functions, as p11_libp11 for libp11. */
const p11_pcsc_fns *p11_pcsc(void);

#endif
