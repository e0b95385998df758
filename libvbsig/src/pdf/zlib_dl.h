/* zlib, loaded when a PDF stream is first inflated (zlib_dl.c). Many PDFs
 * can be verified without inflating anything (classic cross-reference
 * tables, uncompressed object dictionaries), and a linked zlib is one more
 * shared object to map and bind at every start of the command (~0.05 ms of
 * a 3.5 ms verification). <zlib.h> still gives the types and constants. */
#ifndef VBSIG_ZLIB_DL_H
#define VBSIG_ZLIB_DL_H

#include <zlib.h>

typedef struct vbsig_zlib_fns {
    int (*inflate_init)(z_streamp strm, const char *version, int stream_size); /* inflateInit_ */
    int (*inflate)(z_streamp strm, int flush);
    int (*inflate_end)(z_streamp strm);
} vbsig_zlib_fns;

/* zlib's functions (thread-safe, loaded once); NULL when it cannot be
 * loaded, with the error set (VBSIG_E_UNAVAILABLE, naming the library). */
const vbsig_zlib_fns *vbsig_zlib(void);

#endif
