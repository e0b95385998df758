/* vbsig — status codes and the thread-local error message.
 *
 * Every public function returns VBSIG_OK (0) or a negative vbsig_status.
 * The numbers are part of the ABI: they are never renumbered or reused.
 * When a call fails, vbsig_last_error() describes what failed and where,
 * in the language of the current locale (English or Vietnamese).
 */
#ifndef VBSIG_STATUS_H
#define VBSIG_STATUS_H

#include "vbsig/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vbsig_status {
    VBSIG_OK = 0,
    VBSIG_E_INVALID_ARG = -1,    /* a bad argument or option from the caller */
    VBSIG_E_NOMEM = -2,          /* out of memory */
    VBSIG_E_IO_READ = -3,        /* an input file is missing or unreadable */
    VBSIG_E_IO_WRITE = -4,       /* an output could not be written */
    VBSIG_E_MALFORMED = -5,      /* input data is not well-formed (DER, PDF, XML …) */
    VBSIG_E_UNSUPPORTED = -6,    /* a well-formed input uses something we do not support */
    VBSIG_E_LIMIT = -7,          /* input exceeds a configured safety limit */
    VBSIG_E_CRYPTO = -8,         /* the cryptographic library failed unexpectedly */
    VBSIG_E_AUTH = -9,           /* wrong password or PIN */
    VBSIG_E_PIN_LOCKED = -10,    /* the PIN is locked after too many failures */
    VBSIG_E_KEY_UNUSABLE = -11,  /* key or certificate may not sign (expired, usage …) */
    VBSIG_E_UNAVAILABLE = -12,   /* a service or device is unavailable */
    VBSIG_E_KEY_NOT_FOUND = -13, /* no key or certificate matched what was asked */
    VBSIG_E_TOKEN_ABSENT = -14,  /* no token in the reader */
    VBSIG_E_TOKEN_REMOVED = -15, /* the token was removed during work */
    VBSIG_E_MODULE_LOAD = -16,   /* a PKCS#11 module could not be loaded */
    VBSIG_E_MECHANISM = -17,     /* the token does not support the mechanism */
    VBSIG_E_REFUSED = -18,       /* the document's own rules forbid the operation */
    VBSIG_E_INTERNAL = -19,      /* a bug in vbsig: please report it */
    VBSIG_E_TIMEOUT = -20,       /* a device or service did not answer in time */
    VBSIG_E_CANCELLED = -21      /* the user cancelled (PIN prompt, consent) */
} vbsig_status;

/* The message of the last failed call on this thread ("" if none). The pointer
 * stays valid until the next vbsig call on the same thread. */
VBSIG_API const char *vbsig_last_error(void);

/* A stable symbolic name such as "VBSIG_E_MALFORMED", for logs and bindings. */
VBSIG_API const char *vbsig_status_name(int status);

/* Version of the library as "MAJOR.MINOR.PATCH". */
VBSIG_API const char *vbsig_version(void);

#ifdef __cplusplus
}
#endif
#endif
