/* What every library loaded on first use needs (curl_dl.c, xml_dl.c,
 * zlib_dl.c, jansson_dl.c): open it by soname and copy out its functions,
 * keeping a one-line reason when either fails. */
#ifndef VBSIG_DL_LIB_H
#define VBSIG_DL_LIB_H

#include <stddef.h>

typedef struct vbsig_dl_lib {
    const char *soname;
    void *handle;   /* never closed: the libraries keep global state */
    char why[256];  /* the reason of the last failure, "" if none */
} vbsig_dl_lib;

/* dlopen(soname, RTLD_NOW | RTLD_LOCAL): the library's symbols stay out of
 * the global namespace, as they were when it was linked to libvbsig only.
 * 1 on success, else 0 with lib->why set. */
int vbsig_dl_open(vbsig_dl_lib *lib);

/* Copies the address of `name` into the function pointer at fn_ptr (of
 * size bytes): ISO C has no conversion from dlsym's void * to a function
 * pointer, and POSIX guarantees the bits are the same. 1, or 0 with
 * lib->why naming the missing symbol. */
int vbsig_dl_sym(vbsig_dl_lib *lib, const char *name, void *fn_ptr, size_t size);

#endif
