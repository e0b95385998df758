/* Loads jansson with dlopen on first use; see jansson_dl.h for why.
 * When it cannot be loaded, every constructor returns NULL (as jansson
 * does when out of memory) and the error names the library, so the JSON
 * report fails cleanly with that reason. */
#include <pthread.h>

#include "report/jansson_dl.h"
#include "util/dl_lib.h"
#include "util/util.h"

/* The soname of jansson 2.x's stable ABI. */
static vbsig_dl_lib g_lib = {.soname = "libjansson.so.4"};

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

#define SYM(name, field) vbsig_dl_sym(&g_lib, name, &g_fns.field, sizeof g_fns.field)

static void load_once(void)
{
    g_loaded = vbsig_dl_open(&g_lib) && SYM("json_object", object) && SYM("json_array", array) &&
               SYM("json_string", string) && SYM("json_integer", integer) && SYM("json_true", true_) &&
               SYM("json_false", false_) && SYM("json_null", null) && SYM("json_object_set_new", object_set_new) &&
               SYM("json_array_append_new", array_append_new) && SYM("json_dumps", dumps) &&
               SYM("json_delete", delete_);
}

static int loaded(void)
{
    pthread_once(&g_once, load_once);
    if (!g_loaded)
        vbsig_fail(VBSIG_E_UNAVAILABLE, _("the JSON library %s cannot be used (%s)"), g_lib.soname, g_lib.why);
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
