/* Loading PKCS#11 modules: one instance per path, shared and counted,
 * because C_Initialize/C_Finalize act on the whole process. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "p11.h"

static pthread_mutex_t g_modules_lock = PTHREAD_MUTEX_INITIALIZER;
/* Signalled when a module held exclusively (p11_module_open_exclusive) is let go. */
static pthread_cond_t g_modules_cv = PTHREAD_COND_INITIALIZER;
static p11_module *g_modules;

/* The environment is the front doors' business (the CLI puts
 * $VBSIG_PKCS11_MODULE into the context's network settings). */
const char *p11_default_module(void)
{
    return "p11-kit-proxy.so";
}

static int load(const char *path, p11_module **out)
{
    void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (dl == NULL)
        return p11_fail(VBSIG_E_MODULE_LOAD, _("cannot load the PKCS#11 module %s: %s"), path, dlerror());
    CK_C_GetFunctionList get = NULL;
    /* dlsym returns void *; POSIX guarantees the conversion to a function pointer. */
    *(void **)&get = dlsym(dl, "C_GetFunctionList");
    CK_FUNCTION_LIST_PTR f = NULL;
    if (get == NULL || get(&f) != CKR_OK || f == NULL) {
        dlclose(dl);
        return p11_fail(VBSIG_E_MODULE_LOAD, _("%s is not a PKCS#11 module (no usable C_GetFunctionList)"), path);
    }
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof args);
    args.flags = CKF_OS_LOCKING_OK; /* we sign from many threads */
    CK_RV rv = f->C_Initialize(&args);
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        dlclose(dl);
        char what[600];
        snprintf(what, sizeof what, _("cannot initialise the PKCS#11 module %s"), path);
        p11_fail_rv(rv, what);
        return VBSIG_E_MODULE_LOAD;
    }
    p11_module *m = calloc(1, sizeof *m);
    if (m == NULL || (m->path = strdup(path)) == NULL) {
        if (rv == CKR_OK)
            f->C_Finalize(NULL);
        dlclose(dl);
        free(m);
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    m->dl = dl;
    m->f = f;
    m->refs = 1;
    m->we_initialized = rv == CKR_OK;
    *out = m;
    return VBSIG_OK;
}

int p11_module_open(const char *path, p11_module **out)
{
    if (path == NULL || path[0] == '\0')
        path = p11_default_module();
    pthread_mutex_lock(&g_modules_lock);
again:
    for (p11_module *m = g_modules; m != NULL; m = m->next) {
        if (strcmp(m->path, path) == 0) {
            if (m->exclusive) {
                /* A libp11 listing owns it for a bounded time (p11_libp11.c). */
                pthread_cond_wait(&g_modules_cv, &g_modules_lock);
                goto again;
            }
            m->refs++;
            *out = m;
            pthread_mutex_unlock(&g_modules_lock);
            return VBSIG_OK;
        }
    }
    int rc = load(path, out);
    if (rc == VBSIG_OK) {
        (*out)->next = g_modules;
        g_modules = *out;
    }
    pthread_mutex_unlock(&g_modules_lock);
    return rc;
}

int p11_module_open_exclusive(const char *path, p11_module **out)
{
    if (path == NULL || path[0] == '\0')
        path = p11_default_module();
    pthread_mutex_lock(&g_modules_lock);
    for (p11_module *m = g_modules; m != NULL; m = m->next) {
        if (strcmp(m->path, path) == 0) {
            pthread_mutex_unlock(&g_modules_lock);
            *out = NULL;
            return P11_MODULE_IN_USE;
        }
    }
    int rc = load(path, out);
    if (rc == VBSIG_OK) {
        (*out)->exclusive = 1;
        (*out)->next = g_modules;
        g_modules = *out;
    }
    pthread_mutex_unlock(&g_modules_lock);
    return rc;
}

void p11_module_close(p11_module *m)
{
    if (m == NULL)
        return;
    pthread_mutex_lock(&g_modules_lock);
    if (m->exclusive) {
        m->exclusive = 0;
        pthread_cond_broadcast(&g_modules_cv);
    }
    if (--m->refs > 0 || m->stuck) {
        /* A stuck module keeps a thread inside it: unloading would pull the
         * code out from under that thread, so it stays for the process. */
        pthread_mutex_unlock(&g_modules_lock);
        return;
    }
    for (p11_module **p = &g_modules; *p != NULL; p = &(*p)->next) {
        if (*p == m) {
            *p = m->next;
            break;
        }
    }
    pthread_mutex_unlock(&g_modules_lock);
    if (m->we_initialized)
        m->f->C_Finalize(NULL);
    dlclose(m->dl);
    free(m->path);
    free(m);
}

void p11_module_mark_stuck(p11_module *m)
{
    pthread_mutex_lock(&g_modules_lock);
    m->stuck = 1;
    pthread_mutex_unlock(&g_modules_lock);
}

int p11_module_is_stuck(p11_module *m)
{
    pthread_mutex_lock(&g_modules_lock);
    int stuck = m->stuck;
    pthread_mutex_unlock(&g_modules_lock);
    return stuck;
}
