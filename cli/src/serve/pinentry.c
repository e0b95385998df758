/* The pinentry client: GnuPG's pinentry programs spoken to over Assuan,
 * so that consent and the PIN happen outside the browser. One dialog at a
 * time; the PIN lands in the caller's buffer and nowhere else. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <assuan.h>
#include <openssl/crypto.h>

#include "serve.h"

static pthread_mutex_t g_dialog = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t g_pid_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t g_pid;
static int g_stopping;

typedef struct pin_sink {
    char *pin;
    size_t size, len;
    int overflow;
} pin_sink;

static gpg_error_t on_data(void *opaque, const void *buf, size_t len)
{
    pin_sink *s = opaque;
    if (s == NULL)
        return 0;
    if (s->len + len + 1 > s->size) {
        s->overflow = 1;
        return 0;
    }
    memcpy(s->pin + s->len, buf, len);
    s->len += len;
    s->pin[s->len] = '\0';
    return 0;
}

/* "CMD escaped-text" */
static gpg_error_t say(assuan_context_t ctx, const char *cmd, const char *text)
{
    if (text == NULL)
        return 0;
    char *esc = serve_assuan_escape(text);
    if (esc == NULL)
        return gpg_error(GPG_ERR_ENOMEM);
    size_t n = strlen(cmd) + strlen(esc) + 2;
    char *line = malloc(n);
    gpg_error_t err = gpg_error(GPG_ERR_ENOMEM);
    if (line != NULL) {
        snprintf(line, n, "%s %s", cmd, esc);
        err = assuan_transact(ctx, line, NULL, NULL, NULL, NULL, NULL, NULL);
        free(line);
    }
    free(esc);
    return err;
}

static assuan_context_t open_pinentry(const serve_cfg *cfg)
{
    assuan_context_t ctx = NULL;
    if (assuan_new(&ctx) != 0)
        return NULL;
    const char *argv[] = {cfg->pinentry, NULL};
    assuan_fd_t keep[] = {STDERR_FILENO, ASSUAN_INVALID_FD};
    if (assuan_pipe_connect(ctx, cfg->pinentry, argv, keep, NULL, NULL, 0) != 0) {
        assuan_release(ctx);
        return NULL;
    }
    pthread_mutex_lock(&g_pid_lock);
    g_pid = assuan_get_pid(ctx);
    pthread_mutex_unlock(&g_pid_lock);
    /* Terminal pinentries need to know where to draw; graphical ones
     * read DISPLAY / WAYLAND_DISPLAY from the environment. */
    const char *tty = isatty(STDIN_FILENO) ? ttyname(STDIN_FILENO) : NULL;
    if (tty != NULL) {
        char line[512];
        snprintf(line, sizeof line, "OPTION ttyname=%s", tty);
        assuan_transact(ctx, line, NULL, NULL, NULL, NULL, NULL, NULL);
        const char *term = getenv("TERM");
        if (term != NULL) {
            snprintf(line, sizeof line, "OPTION ttytype=%s", term);
            assuan_transact(ctx, line, NULL, NULL, NULL, NULL, NULL, NULL);
        }
    }
    char line[64];
    snprintf(line, sizeof line, "SETTIMEOUT %u", cfg->timeout_s);
    assuan_transact(ctx, line, NULL, NULL, NULL, NULL, NULL, NULL);
    return ctx;
}

static void close_pinentry(assuan_context_t ctx)
{
    pthread_mutex_lock(&g_pid_lock);
    g_pid = 0;
    pthread_mutex_unlock(&g_pid_lock);
    assuan_release(ctx);
}

static pinentry_result result_of(gpg_error_t err)
{
    if (err == 0)
        return PINENTRY_OK;
    unsigned code = gpg_err_code(err);
    return code == GPG_ERR_CANCELED || code == GPG_ERR_NOT_CONFIRMED || code == GPG_ERR_TIMEOUT ? PINENTRY_CANCELLED
                                                                                                 : PINENTRY_FAILED;
}

pinentry_result serve_pinentry_confirm(const serve_cfg *cfg, const char *title, const char *desc, const char *ok,
                                       const char *cancel)
{
    pthread_mutex_lock(&g_dialog);
    pinentry_result res = PINENTRY_FAILED;
    assuan_context_t ctx = g_stopping ? NULL : open_pinentry(cfg);
    if (ctx != NULL) {
        gpg_error_t err = say(ctx, "SETTITLE", title);
        if (err == 0)
            err = say(ctx, "SETDESC", desc);
        if (err == 0)
            err = say(ctx, "SETOK", ok);
        if (err == 0)
            err = say(ctx, "SETCANCEL", cancel);
        if (err == 0)
            err = assuan_transact(ctx, "CONFIRM", NULL, NULL, NULL, NULL, NULL, NULL);
        res = result_of(err);
        close_pinentry(ctx);
    }
    pthread_mutex_unlock(&g_dialog);
    return res;
}

pinentry_result serve_pinentry_getpin(const serve_cfg *cfg, const char *title, const char *desc, const char *prompt,
                                      char *pin, size_t pin_size)
{
    pthread_mutex_lock(&g_dialog);
    pinentry_result res = PINENTRY_FAILED;
    pin_sink sink = {pin, pin_size, 0, 0};
    pin[0] = '\0';
    assuan_context_t ctx = g_stopping ? NULL : open_pinentry(cfg);
    if (ctx != NULL) {
        gpg_error_t err = say(ctx, "SETTITLE", title);
        if (err == 0)
            err = say(ctx, "SETDESC", desc);
        if (err == 0)
            err = say(ctx, "SETPROMPT", prompt);
        if (err == 0)
            err = assuan_transact(ctx, "GETPIN", on_data, &sink, NULL, NULL, NULL, NULL);
        res = result_of(err);
        if (res == PINENTRY_OK && (sink.overflow || sink.len == 0))
            res = sink.overflow ? PINENTRY_FAILED : PINENTRY_CANCELLED;
        close_pinentry(ctx);
    }
    if (res != PINENTRY_OK)
        OPENSSL_cleanse(pin, pin_size);
    pthread_mutex_unlock(&g_dialog);
    return res;
}

void serve_pinentry_abort_all(void)
{
    pthread_mutex_lock(&g_pid_lock);
    g_stopping = 1;
    if (g_pid > 0)
        kill(g_pid, SIGTERM); /* the pinentry we started, by its id */
    pthread_mutex_unlock(&g_pid_lock);
}
