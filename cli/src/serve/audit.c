/* The audit log: one line per request — time, origin, method, path,
 * HTTP status, outcome. Never a PIN, a token or document content. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "serve.h"

static FILE *g_log;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

static void mkdirs(char *path)
{
    for (char *p = path + 1; *p != '\0'; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
}

int serve_audit_open(const serve_cfg *cfg)
{
    if (strcmp(cfg->audit_path, "-") == 0) {
        g_log = stderr;
        return 0;
    }
    char *copy = strdup(cfg->audit_path);
    if (copy == NULL)
        return -1;
    mkdirs(copy);
    free(copy);
    int fd = open(cfg->audit_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0 || (g_log = fdopen(fd, "a")) == NULL) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    setvbuf(g_log, NULL, _IOLBF, 0);
    return 0;
}

/* The page chooses the path and the origin: keep only printable ASCII
 * without spaces, so that a line stays one line and one field. */
static void clean(const char *s, char *out, size_t size)
{
    size_t o = 0;
    for (; s != NULL && *s != '\0' && o + 1 < size; s++)
        out[o++] = (*s > 0x20 && *s < 0x7f) ? *s : '?';
    if (o == 0 && size > 1)
        out[o++] = '-';
    out[o] = '\0';
}

void serve_audit(const serve_req *r)
{
    if (g_log == NULL)
        return;
    char when[32], origin[256], path[256], method[16];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const char *o = r->origin != NULL ? r->origin : MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
    clean(o, origin, sizeof origin);
    clean(r->path, path, sizeof path);
    clean(r->method, method, sizeof method);
    pthread_mutex_lock(&g_lock);
    fprintf(g_log, "%s origin=%s %s %s status=%u outcome=%s\n", when, origin, method, path, r->status,
            r->outcome != NULL ? r->outcome : "ok");
    fflush(g_log);
    pthread_mutex_unlock(&g_lock);
}

void serve_audit_close(void)
{
    if (g_log != NULL && g_log != stderr)
        fclose(g_log);
    g_log = NULL;
}
