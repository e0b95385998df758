/* vbsig PKCS#11 bridge: signers backed by USB tokens and HSMs.
 *
 * Link with libvbsig_pkcs11 (it links libvbsig). The bridge loads a
 * PKCS#11 module, finds a key by RFC 7512 URI, logs in once and signs
 * digests. One signer may be used by many threads at once: each signature
 * runs in a session of its own from a pool sharing the one login.
 *
 * Errors are vbsig_status codes with a message (vbsig_last_error):
 * VBSIG_E_AUTH (wrong PIN, with the tries left when the token says so),
 * VBSIG_E_PIN_LOCKED, VBSIG_E_TOKEN_ABSENT, VBSIG_E_TOKEN_REMOVED,
 * VBSIG_E_KEY_NOT_FOUND (naming what was searched), VBSIG_E_MECHANISM,
 * VBSIG_E_MODULE_LOAD, VBSIG_E_TIMEOUT (the module did not answer).
 */
#ifndef VBSIG_PKCS11_H
#define VBSIG_PKCS11_H

#include <stddef.h>

#include "vbsig/ctx.h"
#include "vbsig/export.h"
#include "vbsig/signer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Asks for a token's PIN: writes it NUL-terminated into pin (pin_size
 * bytes) and returns VBSIG_OK, or VBSIG_E_CANCELLED. The bridge wipes the
 * buffer as soon as the login is done. */
typedef int (*vbsig_pin_cb)(void *data, const char *token_label, char *pin, size_t pin_size);

typedef struct vbsig_pkcs11_opts {
    unsigned version;         /* 1 */
    const char *module;       /* module path; NULL: module-path= of the URI, else the context's
                                 (vbsig_ctx_set_network), else p11-kit's proxy */
    const char *pin_source;   /* "pass:…", "env:…", "file:…", "fd:…"; "" prompts on the terminal */
    vbsig_pin_cb pin_cb;      /* asked when pin_source is NULL */
    void *pin_cb_data;
    const char *cert_path;    /* the certificate from a file instead of the token (PEM or DER) */
    unsigned timeout_ms;      /* bound on login and token queries; 0: the context's (vbsig_ctx_set_network),
                                 else 30000. The bridge reads no environment variable. */
} vbsig_pkcs11_opts;

VBSIG_API void vbsig_pkcs11_opts_init(vbsig_pkcs11_opts *opts);

/* A signer for the private key the URI names (e.g.
 * "pkcs11:token=VNPT-CA;object=signer;type=private"); its certificate is the
 * token's certificate with the key's CKA_ID (else its label). The PIN comes
 * from pin_source, else pin_cb, else the PIN pad (protected authentication
 * path), else the terminal. ctx may be NULL. */
VBSIG_API int vbsig_signer_from_pkcs11(vbsig_signer **out, vbsig_ctx *ctx, const char *uri,
                                       const vbsig_pkcs11_opts *opts);

/* A slot and its token, as listed by vbsig_pkcs11_list_tokens. Strings are
 * UTF-8 without the padding PKCS#11 adds. New fields go at the end. */
typedef struct vbsig_pkcs11_token {
    unsigned long slot_id;
    char *slot_description;
    int token_present;
    char *label, *manufacturer, *model, *serial; /* NULL without a token */
    int login_required, pin_pad, pin_count_low, pin_final_try, pin_locked, initialized;
    char *uri; /* pkcs11:token=…;manufacturer=…;serial=…;model=… */
} vbsig_pkcs11_token;

/* Every slot of the module (NULL: the context's, else p11-kit's proxy).
 * ctx (may be NULL) gives the module and the time bound on token queries
 * (vbsig_ctx_set_network). */
VBSIG_API int vbsig_pkcs11_list_tokens(vbsig_ctx *ctx, const char *module, vbsig_pkcs11_token **out, size_t *count);
VBSIG_API void vbsig_pkcs11_tokens_free(vbsig_pkcs11_token *list, size_t count);

/* A certificate or key on a token. */
typedef struct vbsig_pkcs11_object {
    char *token_label;
    char *kind;        /* "cert", "private", "public" */
    char *label;
    char *id_hex;      /* lower-case hex of CKA_ID, "" if none */
    char *subject;     /* certificates: RFC 2253 subject; else NULL */
    char *key_type;    /* keys: "RSA", "EC"; else NULL */
    char *uri;         /* pkcs11:token=…;id=…;object=…;type=… */
} vbsig_pkcs11_object;

/* Certificates and keys visible on every present token matching uri
 * (NULL or "pkcs11:" = all). With pin_source, logs in first so private
 * keys show as well. */
VBSIG_API int vbsig_pkcs11_list_objects(vbsig_ctx *ctx, const char *module, const char *uri, const char *pin_source,
                                        vbsig_pkcs11_object **out, size_t *count);
VBSIG_API void vbsig_pkcs11_objects_free(vbsig_pkcs11_object *list, size_t count);

/* Reader and card events from pcsc-lite. */
typedef enum vbsig_reader_event_kind {
    VBSIG_READER_ADDED = 1,
    VBSIG_READER_REMOVED = 2,
    VBSIG_CARD_INSERTED = 3,
    VBSIG_CARD_REMOVED = 4
} vbsig_reader_event_kind;

/* Called for each event; returning non-zero stops the watch (with VBSIG_OK).
 * atr_hex is the card's ATR for insertions, else NULL. The first call
 * reports the readers and cards present when the watch starts. */
typedef int (*vbsig_reader_event_cb)(void *data, vbsig_reader_event_kind kind, const char *reader,
                                     const char *atr_hex);

/* Watches readers until cb stops it or timeout_ms passes (0: no limit; a
 * timeout returns VBSIG_OK). VBSIG_E_UNAVAILABLE when pcscd is not running. */
VBSIG_API int vbsig_pkcs11_watch_readers(vbsig_reader_event_cb cb, void *data, unsigned timeout_ms);

#ifdef __cplusplus
}
#endif
#endif
