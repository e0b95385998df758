/* Opening a library on first use and reading its functions (dl_lib.h). */
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
