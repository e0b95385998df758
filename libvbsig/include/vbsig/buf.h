/* Byte buffers handed from the library to the caller. */
#ifndef VBSIG_BUF_H
#define VBSIG_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "vbsig/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Owned by the caller after a call fills it; release with vbsig_buf_free(). */
typedef struct vbsig_buf {
    uint8_t *data;
    size_t len;
} vbsig_buf;

VBSIG_API void vbsig_buf_free(vbsig_buf *buf);
/* Frees memory the library returned as a bare pointer (strings, arrays). */
VBSIG_API void vbsig_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
