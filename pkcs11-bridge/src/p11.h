/* Private parts of the PKCS#11 bridge. Signing goes straight to the
 * module's function list: libp11 0.4.12 hangs in login without a token,
 * keeps stale sessions, sends PSS as raw RSA and is not thread-safe, so
 * timeouts, recovery and threading are ours (see reference/pkcs11.md).
 * Read-only listings use libp11 (p11_libp11.c; README.md has the split). */
#ifndef VBSIG_P11_H
#define VBSIG_P11_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <openssl/types.h>
#include <p11-kit/pkcs11.h>

#include "vbsig/pkcs11.h"
#include "vbsig/status.h"

#include <libintl.h>
#ifndef _ /* util.h, when included first, has the same definition */
#define _(s) dgettext("vbsig", s)
#endif

/* PKCS#11 3.0 names p11-kit 0.24 does not have yet. */
#ifndef CKM_SHA3_256
#define CKM_SHA3_256 0x2B0UL
#define CKM_SHA3_512 0x2D0UL
#endif
#ifndef CKG_MGF1_SHA3_256
#define CKG_MGF1_SHA3_256 0x7UL
#define CKG_MGF1_SHA3_512 0x9UL
#endif

#define P11_DEFAULT_TIMEOUT_MS 30000u
#define P11_PIN_MAX 256

/* ---- errors (p11_error.c) ---- */
/* Formats the message and sets it with vbsig_set_error. */
int p11_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Maps a PKCS#11 return value to a status and sets "<what>: <reason> (CKR_…)". */
int p11_fail_rv(CK_RV rv, const char *what);
int p11_status_for_rv(CK_RV rv);
/* Return values that mean the token went away under us. */
int p11_rv_is_removal(CK_RV rv);

/* ---- modules (p11_module.c) ----
 * One loaded module per path per process, reference counted: C_Initialize
 * and C_Finalize are process-wide, so two signers on one module share it. */
typedef struct p11_module {
    char *path;
    void *dl;
    CK_FUNCTION_LIST_PTR f;
    int refs;
    int we_initialized;
    int stuck; /* a call never returned: never finalize or unload */
    int exclusive; /* held by one user alone; others wait (p11_module_open_exclusive) */
    struct p11_module *next;
} p11_module;
/* path NULL: p11-kit's proxy module. VBSIG_E_MODULE_LOAD naming the path. */
int p11_module_open(const char *path, p11_module **out);
void p11_module_close(p11_module *m);
/* Like p11_module_open, but only when nobody in the process has the module
 * open (else P11_MODULE_IN_USE and *out NULL); until p11_module_close,
 * other openers of the path wait. For libp11, whose slot release and unload
 * close every session of the process on the module and finalise it. */
#define P11_MODULE_IN_USE 1
int p11_module_open_exclusive(const char *path, p11_module **out);
const char *p11_default_module(void);
/* A call into the module timed out and its thread is still inside. */
void p11_module_mark_stuck(p11_module *m);
int p11_module_is_stuck(p11_module *m);

/* ---- text (p11_text.c) ---- */
/* A blank-padded PKCS#11 string as a NUL-terminated malloc'ed copy. */
char *p11_text_unpad(const CK_UTF8CHAR *p, size_t n);
/* Compares a padded field with a plain string. */
int p11_text_equal(const CK_UTF8CHAR *p, size_t n, const char *s);
void p11_wipe(void *p, size_t n);

/* ---- URIs (p11_uri.c), RFC 7512 ---- */
typedef struct p11_uri {
    char *token, *manufacturer, *serial, *model, *object, *type, *module_path, *slot_description;
    uint8_t *id;
    size_t id_len;
    int has_id, has_slot_id;
    unsigned long slot_id;
} p11_uri;
int p11_uri_parse(const char *text, p11_uri *u);
void p11_uri_free(p11_uri *u);
int p11_uri_matches_token(const p11_uri *u, CK_SLOT_ID slot, const CK_SLOT_INFO *si, const CK_TOKEN_INFO *ti);
/* Appends ";name=value" (or "name=value" first) percent-encoded to a stream. */
void p11_uri_put(FILE *s, int *first, const char *name, const uint8_t *value, size_t len);
/* "what was searched", for messages: "token=X;object=Y". */
char *p11_uri_describe(const p11_uri *u);

/* The same test on the unpadded strings libp11 gives (NULL: no such field). */
int p11_uri_matches_names(const p11_uri *u, unsigned long slot, const char *slot_description, const char *label,
                          const char *manufacturer, const char *serial, const char *model);

/* ---- listing (p11_list.c: direct calls; p11_libp11.c: through libp11) ---- */
char *p11_token_uri(const char *label, const char *manufacturer, const char *serial, const char *model);
char *p11_object_uri(const char *token_label, const uint8_t *id, size_t id_len, const char *label, const char *kind);
char *p11_hex(const uint8_t *p, size_t n);

char *p11_subject_text(X509 *x);
int p11_list_tokens_direct(const char *module, unsigned timeout_ms, vbsig_pkcs11_token **out, size_t *count);
int p11_list_objects_direct(const char *module, unsigned timeout_ms, const char *uri, const char *pin_source,
                            vbsig_pkcs11_object **out, size_t *count);

/* ---- tokens (p11_token.c) ---- */
/* The first slot with a present token matching u. VBSIG_E_TOKEN_ABSENT
 * names what was searched and what is there. */
int p11_find_token(p11_module *m, const p11_uri *u, unsigned timeout_ms, CK_SLOT_ID *slot, CK_TOKEN_INFO *ti);

/* ---- login (p11_login.c) ---- */
typedef struct p11_pin_source {
    char *source; /* copied from the options; NULL = none */
    int has_source;
    vbsig_pin_cb cb;
    void *cb_data;
    unsigned timeout_ms;
} p11_pin_source;
/* Logs in as `who` (CKU_USER or CKU_CONTEXT_SPECIFIC), bounded in time; the
 * PIN lives only for the call. */
int p11_login(p11_module *m, CK_SESSION_HANDLE s, CK_SLOT_ID slot, CK_USER_TYPE who, const p11_pin_source *pins);
/* Token info with a deadline: a module waiting on an absent device must not hang us. */
int p11_token_info_bounded(p11_module *m, CK_SLOT_ID slot, CK_TOKEN_INFO *ti, unsigned timeout_ms);

/* ---- objects (p11_object.c) ---- */
/* Reads one attribute into a malloc'ed buffer (NULL, 0 when absent). */
int p11_attr_get(p11_module *m, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type,
                 uint8_t **out, size_t *len);
/* Finds up to max objects of class cls with the given id and/or label. */
int p11_find_objects(p11_module *m, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, const uint8_t *id, size_t id_len,
                     const char *label, CK_OBJECT_HANDLE *found, size_t max, size_t *count);

/* ---- ECDSA (p11_ecdsa.c) ---- */
/* Raw r||s from CKM_ECDSA to the DER Ecdsa-Sig-Value CMS needs. */
int p11_ecdsa_raw_to_der(const uint8_t *raw, size_t raw_len, uint8_t *der, size_t *der_len);

#endif
