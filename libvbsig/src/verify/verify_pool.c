/* Many files, several threads. Workers take the next file in order, each
 * with its own copy of the context (validate/ctx_clone.c) and one shared
 * in-memory revocation store; results are handed to the caller on its own
 * thread in the order the files were added. A worker never runs more than
 * a window of files ahead of the caller, so memory stays bounded by the
 * window, not by the size of the inbox. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"
#include "validate/rev.h"
#include "validate/validate.h"
#include "vbsig/file.h"
#include "vbsig/verify.h"
#include "verify/verify_priv.h"

#define POOL_MAX_JOBS 64
#define POOL_MAX_FILES (16u << 20)
#define POOL_AHEAD_PER_JOB 4

typedef struct pool_slot {
    int done;
    int status;
    char *error;
    vbsig_report *report;
    int renewed;
    vbsig_renewal renewal;
} pool_slot;

struct vbsig_verify_pool {
    vbsig_ctx **ctxs; /* one per worker */
    unsigned jobs;
    char **paths;
    char **outs; /* parallel to paths: a renewal's output, NULL for verification only */
    size_t count, cap;
    int renew;   /* vbsig_verify_pool_set_renewal was called */
    vbsig_renew_opts renew_opts;
    /* One run's state, under lock. */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pool_slot *slots;
    size_t next;      /* the next file a worker takes */
    size_t delivered; /* files handed to the callback */
    int stop;
    int running;
};

typedef struct worker_arg {
    vbsig_verify_pool *pool;
    vbsig_ctx *ctx;
} worker_arg;

static unsigned default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > POOL_MAX_JOBS ? POOL_MAX_JOBS : (unsigned)n;
}

int vbsig_verify_pool_new(vbsig_verify_pool **out, const vbsig_ctx *ctx, unsigned jobs)
{
    VBSIG_REQUIRE(out, "out");
    *out = NULL;
    VBSIG_REQUIRE(ctx, "ctx");
    vbsig_i18n_ensure();
    if (jobs > POOL_MAX_JOBS)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("at most %d parallel jobs"), POOL_MAX_JOBS);
    vbsig_verify_pool *p = calloc(1, sizeof *p);
    if (p == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    p->jobs = jobs == 0 ? default_jobs() : jobs;
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    if (pthread_cond_init(&p->changed, NULL) != 0) {
        pthread_mutex_destroy(&p->lock);
        free(p);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    vbsig_rev_memcache *mem = vbsig_rev_memcache_new();
    p->ctxs = calloc(p->jobs, sizeof *p->ctxs);
    int rc = mem != NULL && p->ctxs != NULL ? VBSIG_OK : vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    for (unsigned i = 0; rc == VBSIG_OK && i < p->jobs; i++) {
        rc = vbsig_ctx_clone(ctx, &p->ctxs[i]);
        if (rc == VBSIG_OK) {
            vbsig_rev_memcache_unref(p->ctxs[i]->net.mem); /* the template's own, if any */
            p->ctxs[i]->net.mem = vbsig_rev_memcache_ref(mem);
        }
    }
    vbsig_rev_memcache_unref(mem);
    if (rc != VBSIG_OK) {
        vbsig_verify_pool_free(p);
        return rc;
    }
    *out = p;
    return VBSIG_OK;
}

void vbsig_verify_pool_free(vbsig_verify_pool *pool)
{
    if (pool == NULL)
        return;
    for (unsigned i = 0; pool->ctxs != NULL && i < pool->jobs; i++)
        vbsig_ctx_free(pool->ctxs[i]);
    free(pool->ctxs);
    for (size_t i = 0; i < pool->count; i++) {
        free(pool->paths[i]);
        free(pool->outs[i]);
    }
    free(pool->paths);
    free(pool->outs);
    pthread_cond_destroy(&pool->changed);
    pthread_mutex_destroy(&pool->lock);
    free(pool);
}

static int queue(vbsig_verify_pool *pool, const char *path, const char *out_path)
{
    if (pool->running)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("files cannot be added while the pool runs"));
    if (pool->count >= POOL_MAX_FILES)
        return vbsig_fail(VBSIG_E_LIMIT, _("more than %u files in one verification pool"), POOL_MAX_FILES);
    if (pool->count == pool->cap) {
        size_t cap = pool->cap ? pool->cap * 2 : 64;
        char **n = realloc(pool->paths, cap * sizeof *n);
        if (n == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        pool->paths = n;
        char **o = realloc(pool->outs, cap * sizeof *o);
        if (o == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        pool->outs = o;
        pool->cap = cap;
    }
    char *p = strdup(path), *o = out_path != NULL ? strdup(out_path) : NULL;
    if (p == NULL || (out_path != NULL && o == NULL)) {
        free(p);
        free(o);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    pool->paths[pool->count] = p;
    pool->outs[pool->count] = o;
    pool->count++;
    return VBSIG_OK;
}

int vbsig_verify_pool_add(vbsig_verify_pool *pool, const char *path)
{
    VBSIG_REQUIRE(pool, "pool");
    VBSIG_REQUIRE(path, "path");
    return queue(pool, path, NULL);
}

void vbsig_renew_opts_init(vbsig_renew_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = VBSIG_RENEW_OPTS_VERSION;
}

int vbsig_verify_pool_set_renewal(vbsig_verify_pool *pool, const vbsig_renew_opts *opts)
{
    VBSIG_REQUIRE(pool, "pool");
    VBSIG_REQUIRE(opts, "opts");
    if (opts->version != VBSIG_RENEW_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("vbsig_renew_opts not set up by vbsig_renew_opts_init"));
    if (opts->tsp == NULL || opts->tsp->url_count == 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("archive renewal needs a timestamp authority (--tsa URL)"));
    if (opts->within_seconds < 0)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the renewal window cannot be negative"));
    if (pool->running)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the pool is already running"));
    pool->renew_opts = *opts;
    pool->renew = 1;
    return VBSIG_OK;
}

int vbsig_verify_pool_add_renewal(vbsig_verify_pool *pool, const char *path, const char *out_path)
{
    VBSIG_REQUIRE(pool, "pool");
    VBSIG_REQUIRE(path, "path");
    VBSIG_REQUIRE(out_path, "out_path");
    if (!pool->renew)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("call vbsig_verify_pool_set_renewal before queueing renewals"));
    if (strcmp(path, out_path) == 0 || vbsig_same_file(path, out_path))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: a renewal never replaces its input; give another output"),
                          out_path);
    return queue(pool, path, out_path);
}

size_t vbsig_verify_pool_count(const vbsig_verify_pool *pool)
{
    return pool != NULL ? pool->count : 0;
}

static void *worker(void *arg)
{
    worker_arg *w = arg;
    vbsig_verify_pool *p = w->pool;
    size_t window = (size_t)p->jobs * POOL_AHEAD_PER_JOB;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && p->next < p->count && p->next >= p->delivered + window)
            pthread_cond_wait(&p->changed, &p->lock);
        if (p->stop || p->next >= p->count)
            break;
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        vbsig_report *r = NULL;
        vbsig_renewal decision;
        memset(&decision, 0, sizeof decision);
        int renewed = 0;
        int rc = p->outs[i] == NULL ? vbsig_verify_file(w->ctx, p->paths[i], NULL, &r)
                                    : vbsig__renew_file(w->ctx, &p->renew_opts, p->paths[i], p->outs[i], &r,
                                                        &decision, &renewed);
        char *err = rc != VBSIG_OK ? strdup(vbsig_last_error()) : NULL;
        vbsig_error_clear();
        pthread_mutex_lock(&p->lock);
        p->slots[i].status = rc;
        p->slots[i].error = err;
        p->slots[i].report = r;
        p->slots[i].renewed = renewed;
        p->slots[i].renewal = decision;
        p->slots[i].done = 1;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Hands results to the callback in order until every file is delivered or
 * the callback asks to stop. */
static int deliver(vbsig_verify_pool *p, vbsig_verify_result_cb cb, void *user)
{
    int rc = VBSIG_OK;
    pthread_mutex_lock(&p->lock);
    while (p->delivered < p->count) {
        size_t i = p->delivered;
        while (!p->slots[i].done)
            pthread_cond_wait(&p->changed, &p->lock);
        pool_slot s = p->slots[i];
        p->slots[i].report = NULL;
        p->slots[i].error = NULL;
        pthread_mutex_unlock(&p->lock);
        vbsig_verify_result res = {i,        p->paths[i], s.status,  s.error != NULL ? s.error : "",
                                   s.report, p->outs[i],  s.renewed, s.renewal};
        int go_on = cb(user, &res) == 0;
        vbsig_report_free(s.report);
        free(s.error);
        pthread_mutex_lock(&p->lock);
        p->delivered++;
        if (!go_on) {
            p->stop = 1;
            rc = vbsig_fail(VBSIG_E_CANCELLED, _("verification stopped by the caller after %zu of %zu files"),
                            p->delivered, p->count);
        }
        pthread_cond_broadcast(&p->changed);
        if (!go_on)
            break;
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

int vbsig_verify_pool_run(vbsig_verify_pool *pool, vbsig_verify_result_cb cb, void *user)
{
    VBSIG_REQUIRE(pool, "pool");
    VBSIG_REQUIRE(cb, "cb");
    if (pool->running)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("the pool is already running"));
    if (pool->count == 0)
        return VBSIG_OK;
    pool->slots = calloc(pool->count, sizeof *pool->slots);
    pthread_t *threads = calloc(pool->jobs, sizeof *threads);
    worker_arg *args = calloc(pool->jobs, sizeof *args);
    if (pool->slots == NULL || threads == NULL || args == NULL) {
        free(pool->slots);
        pool->slots = NULL;
        free(threads);
        free(args);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    pool->next = pool->delivered = 0;
    pool->stop = 0;
    pool->running = 1;
    unsigned started = 0;
    int rc = VBSIG_OK;
    for (unsigned i = 0; i < pool->jobs && i < pool->count; i++) {
        args[i] = (worker_arg){pool, pool->ctxs[i]};
        if (pthread_create(&threads[i], NULL, worker, &args[i]) != 0)
            break;
        started++;
    }
    if (started == 0) {
        rc = vbsig_fail(VBSIG_E_NOMEM, _("cannot start a verification thread"));
        pthread_mutex_lock(&pool->lock);
        pool->stop = 1;
        pthread_mutex_unlock(&pool->lock);
    } else {
        rc = deliver(pool, cb, user);
    }
    pthread_mutex_lock(&pool->lock);
    pool->stop = 1;
    pthread_cond_broadcast(&pool->changed);
    pthread_mutex_unlock(&pool->lock);
    for (unsigned i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    /* Results of files verified but never delivered (a stop). */
    for (size_t i = 0; i < pool->count; i++) {
        vbsig_report_free(pool->slots[i].report);
        free(pool->slots[i].error);
    }
    free(pool->slots);
    pool->slots = NULL;
    free(threads);
    free(args);
    pool->running = 0;
    return rc;
}
