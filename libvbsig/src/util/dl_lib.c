/* Opening a library on first use, reading its functions and checking its
 * version (dl_lib.h). */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "util/dl_lib.h"

int vbsig_dl_open(vbsig_dl_lib *lib)
{
    lib->handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (lib->handle == NULL) {
        const char *e = dlerror();
        snprintf(lib->why, sizeof lib->why, "%s", e != NULL ? e : lib->soname);
        return 0;
    }
    return 1;
}

int vbsig_dl_sym(vbsig_dl_lib *lib, const char *name, void *fn_ptr, size_t size)
{
    void *sym = dlsym(lib->handle, name);
    if (sym == NULL) {
        snprintf(lib->why, sizeof lib->why, "%s has no symbol %s", lib->soname, name);
        return 0;
    }
    memcpy(fn_ptr, &sym, size);
    return 1;
}

static void version_text(unsigned long v, char *buf, size_t size)
{
    snprintf(buf, size, "%lu.%lu.%lu", v / 1000000UL, v / 1000UL % 1000UL, v % 1000UL);
}

int vbsig_dl_check_version(vbsig_dl_lib *lib, unsigned long loaded, unsigned long built)
{
    if (loaded / 1000000UL == built / 1000000UL && loaded >= built)
        return 1;
    char have[32], want[32];
    version_text(loaded, have, sizeof have);
    version_text(built, want, sizeof want);
    snprintf(lib->why, sizeof lib->why, "%s is version %s; this build needs %s or a later %lu.x", lib->soname, have,
             want, built / 1000000UL);
    return 0;
}
