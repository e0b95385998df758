/* The growable byte buffer and the public buffer release functions. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* Small first allocation: most buffers hold a line of text or one DER
 * object header, so starting tiny would just mean several reallocs. */
#define VBSIG_BYTES_MIN_CAP 64

void vbsig_bytes_init(vbsig_bytes *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

int vbsig_bytes_reserve(vbsig_bytes *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory: a buffer of more than %zu bytes was requested"),
                          (size_t)SIZE_MAX);
    size_t need = b->len + extra;
    if (need <= b->cap)
        return VBSIG_OK;
    size_t cap = b->cap ? b->cap : VBSIG_BYTES_MIN_CAP;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    uint8_t *p = realloc(b->data, cap);
    if (p == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory: cannot grow a buffer to %zu bytes"), cap);
    b->data = p;
    b->cap = cap;
    return VBSIG_OK;
}

/* Every append leaves a NUL after the bytes (never counted in len), so a
 * buffer built from text can be used as a C string without another copy. */
int vbsig_bytes_append(vbsig_bytes *b, const void *p, size_t n)
{
    if (n == SIZE_MAX)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory: a buffer of more than %zu bytes was requested"),
                          (size_t)SIZE_MAX);
    int rc = vbsig_bytes_reserve(b, n + 1);
    if (rc != VBSIG_OK)
        return rc;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return VBSIG_OK;
}

int vbsig_bytes_append_str(vbsig_bytes *b, const char *s)
{
    return vbsig_bytes_append(b, s, strlen(s));
}

int vbsig_bytes_printf(vbsig_bytes *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    size_t room = b->cap - b->len;
    int r = vsnprintf(room ? (char *)b->data + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (r < 0) {
        va_end(ap2);
        if (room > 0)
            b->data[b->len] = 0;
        return vbsig_fail(VBSIG_E_INTERNAL, _("cannot format text into a buffer"));
    }
    if ((size_t)r >= room) {
        /* The truncated attempt overwrote the terminator after len. */
        if (room > 0)
            b->data[b->len] = 0;
        int rc = vbsig_bytes_reserve(b, (size_t)r + 1);
        if (rc != VBSIG_OK) {
            va_end(ap2);
            return rc;
        }
        r = vsnprintf((char *)b->data + b->len, b->cap - b->len, fmt, ap2);
        if (r < 0) {
            va_end(ap2);
            b->data[b->len] = 0;
            return vbsig_fail(VBSIG_E_INTERNAL, _("cannot format text into a buffer"));
        }
    }
    va_end(ap2);
    b->len += (size_t)r;
    return VBSIG_OK;
}

void vbsig_bytes_free(vbsig_bytes *b)
{
    free(b->data);
    vbsig_bytes_init(b);
}

void vbsig_bytes_to_buf(vbsig_bytes *b, vbsig_buf *out)
{
    out->data = b->data;
    out->len = b->len;
    vbsig_bytes_init(b);
}

void vbsig_wipe(void *p, size_t n)
{
    if (p != NULL && n > 0)
        explicit_bzero(p, n);
}

void vbsig_buf_free(vbsig_buf *buf)
{
    if (buf == NULL)
        return;
    free(buf->data);
    buf->data = NULL;
    buf->len = 0;
}

void vbsig_free(void *p)
{
    free(p);
}
