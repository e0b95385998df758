/* Loads jansson with dlopen on first use; see jansson_dl.h for why.
 * When it cannot be loaded, every constructor returns NULL (as jansson
 * does when out of memory) and the error names the library, so the JSON
 * report fails cleanly with that reason. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "report/jansson_dl.h"
#include "util/util.h"

/* The soname of jansson 2.x's stable ABI. */
#define JANSSON_SONAME "libjansson.so.4"

static struct {
    json_t *(*object)(void);
    json_t *(*array)(void);
    json_t *(*string)(const char *value);
    json_t *(*integer)(json_int_t value);
    json_t *(*true_)(void);
    json_t *(*false_)(void);
    json_t *(*null)(void);
    int (*object_set_new)(json_t *object, const char *key, json_t *value);
    int (*array_append_new)(json_t *array, json_t *value);
    char *(*dumps)(const json_t *json, size_t flags);
    void (*delete_)(json_t *json);
} g_fns;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_loaded;
static char g_why[256];

static int lookup(void *lib, const char *name, void *fn_ptr, size_t size)
{
    void *sym = dlsym(lib, name);
    if (sym == NULL) {
        snprintf(g_why, sizeof g_why, "%s", name);
        return 0;
    }
    memcpy(fn_ptr, &sym, size); /* POSIX: object and function pointers have the same bits */
    return 1;
}
#define LOOKUP(lib, name, field) lookup(lib, name, &g_fns.field, sizeof g_fns.field)

static void load_once(void)
{
    void *lib = dlopen(JANSSON_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        const char *e = dlerror();
        snprintf(g_why, sizeof g_why, "%s", e != NULL ? e : "?");
        return;
    }
    g_loaded = LOOKUP(lib, "json_object", object) && LOOKUP(lib, "json_array", array) &&
               LOOKUP(lib, "json_string", string) && LOOKUP(lib, "json_integer", integer) &&
               LOOKUP(lib, "json_true", true_) && LOOKUP(lib, "json_false", false_) &&
               LOOKUP(lib, "json_null", null) && LOOKUP(lib, "json_object_set_new", object_set_new) &&
               LOOKUP(lib, "json_array_append_new", array_append_new) && LOOKUP(lib, "json_dumps", dumps) &&
               LOOKUP(lib, "json_delete", delete_);
}

static int loaded(void)
{
    pthread_once(&g_once, load_once);
    if (!g_loaded)
        vbsig_fail(VBSIG_E_UNAVAILABLE, _("the JSON library %s cannot be used (%s)"), JANSSON_SONAME, g_why);
    return g_loaded;
}

int vbsig_dl_json_available(void)
{
    return loaded();
}

json_t *vbsig_dl_json_object(void) { return loaded() ? g_fns.object() : NULL; }
json_t *vbsig_dl_json_array(void) { return loaded() ? g_fns.array() : NULL; }
json_t *vbsig_dl_json_string(const char *value) { return loaded() ? g_fns.string(value) : NULL; }
json_t *vbsig_dl_json_integer(json_int_t value) { return loaded() ? g_fns.integer(value) : NULL; }
json_t *vbsig_dl_json_true(void) { return loaded() ? g_fns.true_() : NULL; }
json_t *vbsig_dl_json_false(void) { return loaded() ? g_fns.false_() : NULL; }
json_t *vbsig_dl_json_null(void) { return loaded() ? g_fns.null() : NULL; }

int vbsig_dl_json_object_set_new(json_t *object, const char *key, json_t *value)
{
    if (loaded())
        return g_fns.object_set_new(object, key, value);
    return -1;
}

int vbsig_dl_json_array_append_new(json_t *array, json_t *value)
{
    if (loaded())
        return g_fns.array_append_new(array, value);
    return -1;
}

char *vbsig_dl_json_dumps(const json_t *json, size_t flags) { return loaded() ? g_fns.dumps(json, flags) : NULL; }

void vbsig_dl_json_delete(json_t *json)
{
    if (loaded())
        g_fns.delete_(json);
}
