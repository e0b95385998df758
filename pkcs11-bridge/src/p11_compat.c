/* The core's private error and wiping helpers that the bridge's sources use
 * through util/util.h, rebuilt here over the public API (the core's own
 * copies are hidden inside libvbsig). Weak, so a program that links the
 * static bridge with the static core, where the core's own copies are
 * visible, takes those instead of failing on a duplicate definition. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/util.h"
#include "vbsig/signer.h"

__attribute__((weak)) int vbsig_fail(int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return vbsig_set_error(status, msg);
}

__attribute__((weak)) void vbsig_wipe(void *p, size_t n)
{
    if (p != NULL)
        explicit_bzero(p, n);
}
