/* dlopen/dlsym helpers for the lazily loaded libraries (p11_dl.h). */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "p11_dl.h"

void *p11_dl_open(const char *soname, char *why, size_t why_size)
{
    /* RTLD_LOCAL: their symbols stay out of the global namespace, where a
     * PKCS#11 module dlopen()ed later could otherwise bind to them. */
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        const char *e = dlerror();
        snprintf(why, why_size, "%s", e != NULL ? e : "?");
    }
    return lib;
}

int p11_dl_sym(void *lib, const char *name, void *fn_ptr, size_t size, char *why, size_t why_size)
{
    void *sym = dlsym(lib, name);
    if (sym == NULL) {
        snprintf(why, why_size, "%s", name);
        return 0;
    }
    memcpy(fn_ptr, &sym, size);
    return 1;
}
