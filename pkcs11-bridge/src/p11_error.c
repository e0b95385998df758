/* PKCS#11 return values as vbsig statuses and messages people understand. */
#include <stdarg.h>
#include <stdio.h>

#include "p11.h"

int p11_fail(int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return vbsig_set_error(status, msg);
}

int p11_rv_is_removal(CK_RV rv)
{
    return rv == CKR_DEVICE_REMOVED || rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_SESSION_HANDLE_INVALID ||
           rv == CKR_SESSION_CLOSED || rv == CKR_SLOT_ID_INVALID || rv == CKR_TOKEN_NOT_RECOGNIZED;
}

int p11_status_for_rv(CK_RV rv)
{
    switch (rv) {
    case CKR_OK: return VBSIG_OK;
    case CKR_PIN_INCORRECT:
    case CKR_PIN_INVALID:
    case CKR_PIN_LEN_RANGE:
    case CKR_PIN_EXPIRED:
    case CKR_USER_PIN_NOT_INITIALIZED:
    case CKR_USER_NOT_LOGGED_IN: return VBSIG_E_AUTH;
    case CKR_PIN_LOCKED: return VBSIG_E_PIN_LOCKED;
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_TOKEN_NOT_RECOGNIZED: return VBSIG_E_TOKEN_ABSENT;
    case CKR_DEVICE_REMOVED:
    case CKR_SESSION_HANDLE_INVALID:
    case CKR_SESSION_CLOSED:
    case CKR_SLOT_ID_INVALID: return VBSIG_E_TOKEN_REMOVED;
    case CKR_MECHANISM_INVALID:
    case CKR_MECHANISM_PARAM_INVALID:
    case CKR_KEY_TYPE_INCONSISTENT:
    case CKR_KEY_FUNCTION_NOT_PERMITTED:
    case CKR_KEY_SIZE_RANGE:
    case CKR_DATA_LEN_RANGE: return VBSIG_E_MECHANISM;
    case CKR_HOST_MEMORY: return VBSIG_E_NOMEM;
    case CKR_FUNCTION_CANCELED: return VBSIG_E_CANCELLED;
    default: return VBSIG_E_UNAVAILABLE;
    }
}

static const char *rv_name(CK_RV rv)
{
    switch (rv) {
    case CKR_PIN_INCORRECT: return "CKR_PIN_INCORRECT";
    case CKR_PIN_INVALID: return "CKR_PIN_INVALID";
    case CKR_PIN_LEN_RANGE: return "CKR_PIN_LEN_RANGE";
    case CKR_PIN_EXPIRED: return "CKR_PIN_EXPIRED";
    case CKR_PIN_LOCKED: return "CKR_PIN_LOCKED";
    case CKR_USER_PIN_NOT_INITIALIZED: return "CKR_USER_PIN_NOT_INITIALIZED";
    case CKR_USER_NOT_LOGGED_IN: return "CKR_USER_NOT_LOGGED_IN";
    case CKR_TOKEN_NOT_PRESENT: return "CKR_TOKEN_NOT_PRESENT";
    case CKR_TOKEN_NOT_RECOGNIZED: return "CKR_TOKEN_NOT_RECOGNIZED";
    case CKR_DEVICE_REMOVED: return "CKR_DEVICE_REMOVED";
    case CKR_DEVICE_ERROR: return "CKR_DEVICE_ERROR";
    case CKR_SESSION_HANDLE_INVALID: return "CKR_SESSION_HANDLE_INVALID";
    case CKR_SESSION_CLOSED: return "CKR_SESSION_CLOSED";
    case CKR_SLOT_ID_INVALID: return "CKR_SLOT_ID_INVALID";
    case CKR_MECHANISM_INVALID: return "CKR_MECHANISM_INVALID";
    case CKR_MECHANISM_PARAM_INVALID: return "CKR_MECHANISM_PARAM_INVALID";
    case CKR_KEY_TYPE_INCONSISTENT: return "CKR_KEY_TYPE_INCONSISTENT";
    case CKR_KEY_FUNCTION_NOT_PERMITTED: return "CKR_KEY_FUNCTION_NOT_PERMITTED";
    case CKR_KEY_SIZE_RANGE: return "CKR_KEY_SIZE_RANGE";
    case CKR_DATA_LEN_RANGE: return "CKR_DATA_LEN_RANGE";
    case CKR_HOST_MEMORY: return "CKR_HOST_MEMORY";
    case CKR_FUNCTION_CANCELED: return "CKR_FUNCTION_CANCELED";
    case CKR_GENERAL_ERROR: return "CKR_GENERAL_ERROR";
    case CKR_FUNCTION_FAILED: return "CKR_FUNCTION_FAILED";
    case CKR_ARGUMENTS_BAD: return "CKR_ARGUMENTS_BAD";
    case CKR_CRYPTOKI_NOT_INITIALIZED: return "CKR_CRYPTOKI_NOT_INITIALIZED";
    default: return NULL;
    }
}

static const char *rv_reason(int status)
{
    switch (status) {
    case VBSIG_E_AUTH: return _("the PIN is wrong or not accepted");
    case VBSIG_E_PIN_LOCKED: return _("the PIN is locked after too many wrong tries");
    case VBSIG_E_TOKEN_ABSENT: return _("no token is in the reader");
    case VBSIG_E_TOKEN_REMOVED: return _("the token was removed");
    case VBSIG_E_MECHANISM: return _("the token does not support this signature mechanism for this key");
    case VBSIG_E_NOMEM: return _("out of memory");
    case VBSIG_E_CANCELLED: return _("cancelled");
    default: return _("the token or its module failed");
    }
}

int p11_fail_rv(CK_RV rv, const char *what)
{
    int status = p11_status_for_rv(rv);
    const char *name = rv_name(rv);
    if (name != NULL)
        return p11_fail(status, "%s: %s (%s)", what, rv_reason(status), name);
    return p11_fail(status, "%s: %s (CKR 0x%lx)", what, rv_reason(status), (unsigned long)rv);
}
