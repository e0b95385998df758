/* What every part of the server shares and the library does not offer:
 * formatted errors (kept in the library's thread-local message, so
 * vbsig_last_error() reads the server's and the library's alike), a
 * growing text buffer, small file reads, times for logs, base64 and the
 * message catalogue. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "tsa.h"

static int set_error(int status, const char *suffix, const char *fmt, va_list ap)
{
    char msg[1024];
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    if (n >= 0 && suffix != NULL && (size_t)n < sizeof msg - 1)
        snprintf(msg + n, sizeof msg - (size_t)n, ": %s", suffix);
    vbsig_set_error(status, msg);
    return status;
}

int tsa_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_error(status, NULL, fmt, ap);
    va_end(ap);
    return status;
}

int tsa_fail_ssl(int status, const char *fmt, ...)
{
    unsigned long e = ERR_get_error();
    char reason[256] = "";
    if (e != 0) {
        const char *r = ERR_reason_error_string(e);
        if (r != NULL)
            snprintf(reason, sizeof reason, "%s", r);
        else
            ERR_error_string_n(e, reason, sizeof reason);
    }
    ERR_clear_error();
    va_list ap;
    va_start(ap, fmt);
    set_error(status, reason[0] != '\0' ? reason : NULL, fmt, ap);
    va_end(ap);
    return status;
}

void tsa_error_clear(void) { vbsig_set_error(VBSIG_OK, ""); }

void tsa_text_init(tsa_text *b) { memset(b, 0, sizeof *b); }

void tsa_text_free(tsa_text *b)
{
    free(b->data);
    tsa_text_init(b);
}

static int reserve(tsa_text *b, size_t extra)
{
    if (extra > SIZE_MAX / 2 - b->len)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    size_t need = b->len + extra;
    if (need <= b->cap)
        return VBSIG_OK;
    size_t cap = b->cap != 0 ? b->cap : 512;
    while (cap < need)
        cap *= 2;
    uint8_t *p = realloc(b->data, cap);
    if (p == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    b->data = p;
    b->cap = cap;
    return VBSIG_OK;
}

int tsa_text_append(tsa_text *b, const void *p, size_t n)
{
    if (n == 0)
        return VBSIG_OK;
    int rc = reserve(b, n);
    if (rc != VBSIG_OK)
        return rc;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return VBSIG_OK;
}

int tsa_text_append_str(tsa_text *b, const char *s) { return tsa_text_append(b, s, strlen(s)); }

int tsa_text_printf(tsa_text *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return tsa_fail(VBSIG_E_INTERNAL, "tsa_text_printf: bad format");
    /* One more for vsnprintf's NUL, which is not counted in len. */
    int rc = reserve(b, (size_t)n + 1);
    if (rc != VBSIG_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return VBSIG_OK;
}

int tsa_read_file(const char *path, size_t max, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return tsa_fail(VBSIG_E_IO_READ, "%s: %s", path, strerror(errno));
    tsa_text b;
    tsa_text_init(&b);
    uint8_t chunk[8192];
    size_t n;
    int rc = VBSIG_OK;
    while (rc == VBSIG_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max)
            rc = tsa_fail(VBSIG_E_LIMIT, _("%s: larger than %zu bytes"), path, max);
        else
            rc = tsa_text_append(&b, chunk, n);
    }
    if (rc == VBSIG_OK && ferror(f))
        rc = tsa_fail(VBSIG_E_IO_READ, "%s: %s", path, strerror(errno));
    fclose(f);
    if (rc != VBSIG_OK) {
        tsa_text_free(&b);
        return rc;
    }
    *out = b.data;
    *len = b.len;
    return VBSIG_OK;
}

void tsa_time_utc(time_t t, char buf[32])
{
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        buf[0] = '\0';
}

int tsa_base64(const uint8_t *in, size_t n, char **out)
{
    *out = NULL;
    if (n > (size_t)INT32_MAX / 2)
        return tsa_fail(VBSIG_E_LIMIT, _("out of memory"));
    char *b = malloc(4 * ((n + 2) / 3) + 1);
    if (b == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    EVP_EncodeBlock((unsigned char *)b, in, (int)n);
    *out = b;
    return VBSIG_OK;
}

void tsa_i18n_init(void)
{
    /* The library binds the same catalogue on its first call; the server's
     * own messages may come before that. */
    const char *dir = getenv("VBSIG_LOCALEDIR");
    bindtextdomain("vbsig", dir != NULL && dir[0] != '\0' ? dir : TSA_LOCALEDIR);
    bind_textdomain_codeset("vbsig", "UTF-8");
}
