/* Binding the "vbsig" gettext domain to its catalogue directory. */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libintl.h>

#include "util/util.h"
#include "vbsig/ctx.h"
#include "vbsig_config.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
/* Guards g_dir and g_bound: an application may call vbsig_set_localedir()
 * from one thread while another thread's first vbsig call binds. */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static char g_dir[PATH_MAX];
static int g_dir_set;
static int g_bound;

/* Caller holds g_lock. */
static void bind_locked(void)
{
    const char *dir;
    if (g_dir_set) {
        dir = g_dir;
    } else {
        const char *env = getenv("VBSIG_LOCALEDIR");
        dir = (env != NULL && env[0] != '\0') ? env : VBSIG_DEFAULT_LOCALEDIR;
    }
    /* Both calls copy their arguments, so g_dir may change afterwards. */
    bindtextdomain(VBSIG_TEXTDOMAIN, dir);
    bind_textdomain_codeset(VBSIG_TEXTDOMAIN, "UTF-8");
    g_bound = 1;
}

static void bind_once(void)
{
    pthread_mutex_lock(&g_lock);
    bind_locked();
    pthread_mutex_unlock(&g_lock);
}

void vbsig_i18n_ensure(void)
{
    pthread_once(&g_once, bind_once);
}

void vbsig_set_localedir(const char *dir)
{
    pthread_mutex_lock(&g_lock);
    if (dir == NULL || dir[0] == '\0') {
        /* Back to the environment variable or the built-in default. */
        g_dir_set = 0;
        g_dir[0] = '\0';
    } else {
        size_t len = strlen(dir);
        /* A truncated directory would silently point somewhere else;
         * keeping the previous choice is the lesser surprise. */
        if (len >= sizeof g_dir) {
            pthread_mutex_unlock(&g_lock);
            return;
        }
        memcpy(g_dir, dir, len + 1);
        g_dir_set = 1;
    }
    if (g_bound)
        bind_locked();
    pthread_mutex_unlock(&g_lock);
}
