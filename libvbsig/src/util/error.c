/* The thread-local error message, status names and the version string. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "util/util.h"
#include "vbsig_config.h"

#define VBSIG_MSG_MAX 1024

static _Thread_local char g_msg[VBSIG_MSG_MAX];

/* A message cut at the buffer size may end inside a multi-byte UTF-8
 * sequence (Vietnamese text is full of them); drop the partial character so
 * the result is still valid UTF-8 for terminals and JSON reports. */
static void trim_partial_utf8(char *s, size_t len)
{
    size_t i = len;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need;
    if (lead < 0x80)
        return;
    else if ((lead & 0xE0) == 0xC0)
        need = 2;
    else if ((lead & 0xF0) == 0xE0)
        need = 3;
    else if ((lead & 0xF8) == 0xF0)
        need = 4;
    else
        need = 1;
    if (len - (i - 1) < need)
        s[i - 1] = '\0';
}

/* Formats into a scratch buffer first: callers often pass the current
 * message as an argument (to add context to it), and formatting straight
 * into g_msg would then read and write the same bytes. */
static void set_message(const char *fmt, va_list ap)
{
    char tmp[VBSIG_MSG_MAX];
    int r = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (r < 0) {
        tmp[0] = '\0';
    } else if ((size_t)r >= sizeof tmp) {
        trim_partial_utf8(tmp, sizeof tmp - 1);
    }
    memcpy(g_msg, tmp, sizeof g_msg);
}

int vbsig_null_arg(const char *func, const char *arg)
{
    vbsig_i18n_ensure();
    /* TRANSLATORS: the first %s is a function, the second one of its arguments. */
    return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), func, arg);
}

int vbsig_null_ctx_to_verify(const char *func)
{
    vbsig_i18n_ensure();
    return vbsig_fail(VBSIG_E_INVALID_ARG,
                      _("%s: the argument '%s' is NULL, and verify_after_sign needs a context (or turn verify_after_sign off)"),
                      func, "ctx");
}

int vbsig_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(fmt, ap);
    va_end(ap);
    return status;
}

int vbsig_fail_ssl(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_message(fmt, ap);
    va_end(ap);

    unsigned long e = ERR_get_error();
    if (e != 0) {
        char fallback[256];
        vbsig_ssl_strings_load();
        const char *reason = ERR_reason_error_string(e);
        if (reason == NULL) {
            ERR_error_string_n(e, fallback, sizeof fallback);
            reason = fallback;
        }
        size_t used = strlen(g_msg);
        if (used + 2 < sizeof g_msg) {
            int r = snprintf(g_msg + used, sizeof g_msg - used, ": %s", reason);
            if (r > 0 && (size_t)r >= sizeof g_msg - used)
                trim_partial_utf8(g_msg, sizeof g_msg - 1);
        }
    }
    ERR_clear_error();
    return status;
}

void vbsig_error_clear(void)
{
    g_msg[0] = '\0';
}

const char *vbsig_last_error(void)
{
    return g_msg;
}

const char *vbsig_status_name(int status)
{
    static const char *const names[] = {
        "VBSIG_OK",
        "VBSIG_E_INVALID_ARG",
        "VBSIG_E_NOMEM",
        "VBSIG_E_IO_READ",
        "VBSIG_E_IO_WRITE",
        "VBSIG_E_MALFORMED",
        "VBSIG_E_UNSUPPORTED",
        "VBSIG_E_LIMIT",
        "VBSIG_E_CRYPTO",
        "VBSIG_E_AUTH",
        "VBSIG_E_PIN_LOCKED",
        "VBSIG_E_KEY_UNUSABLE",
        "VBSIG_E_UNAVAILABLE",
        "VBSIG_E_KEY_NOT_FOUND",
        "VBSIG_E_TOKEN_ABSENT",
        "VBSIG_E_TOKEN_REMOVED",
        "VBSIG_E_MODULE_LOAD",
        "VBSIG_E_MECHANISM",
        "VBSIG_E_REFUSED",
        "VBSIG_E_INTERNAL",
        "VBSIG_E_TIMEOUT",
        "VBSIG_E_CANCELLED",
    };
    /* The codes are 0, -1, -2 … in order, so the table is indexed by the
     * negated code; the check below keeps that promise honest. */
    _Static_assert(sizeof names / sizeof names[0] == (size_t)(-VBSIG_E_CANCELLED) + 1,
                   "status name table out of step with status.h");
    if (status > 0 || status < VBSIG_E_CANCELLED)
        return "VBSIG_E_UNKNOWN";
    return names[-status];
}

const char *vbsig_version(void)
{
    return VBSIG_VERSION_STRING;
}
