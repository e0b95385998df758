/* The systemd watchdog, fed only while the server gets work done. A ping
 * means "requests are answered", not "the process exists": when requests
 * wait and neither a worker nor the journal writer has finished anything for
 * a whole watchdog interval (a wedged token, a journal that never commits),
 * the pings stop and systemd restarts the service. An idle server always
 * pings: having nothing to do is progress. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsa.h"

static atomic_llong work_pending;   /* jobs given to the workers and not finished */
static atomic_ullong work_progress; /* jobs finished and journal batches written */

void tsa_progress_begin(void) { atomic_fetch_add(&work_pending, 1); }

/* A signature alone is not progress: with the journal stuck, workers would
 * go on signing requests that are never answered. */
void tsa_progress_end(void)
{
    atomic_fetch_sub(&work_pending, 1);
    atomic_fetch_add(&work_progress, 1);
}
void tsa_progress_note(void) { atomic_fetch_add(&work_progress, 1); }

struct tsa_watchdog {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* on CLOCK_MONOTONIC */
    int stopping;
    long long interval_us;
};

static long long mono_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void *watchdog_main(void *arg)
{
    tsa_watchdog *wd = arg;
    unsigned long long seen = atomic_load(&work_progress);
    long long last_progress = mono_us();
    int stalled = 0;
    pthread_mutex_lock(&wd->lock);
    for (;;) {
        /* Half the interval, as sd_watchdog_enabled(3) advises; the wait
         * comes first so that READY=1 precedes the first ping. */
        long long until_us = mono_us() + wd->interval_us / 2;
        struct timespec until = { (time_t)(until_us / 1000000), (long)(until_us % 1000000) * 1000 };
        while (!wd->stopping && pthread_cond_timedwait(&wd->wake, &wd->lock, &until) != ETIMEDOUT)
            ;
        if (wd->stopping)
            break;
        long long now = mono_us();
        unsigned long long progress = atomic_load(&work_progress);
        long long pending = atomic_load(&work_pending);
        if (pending <= 0 || progress != seen)
            last_progress = now;
        seen = progress;
        int stuck = now - last_progress > wd->interval_us;
        if (stuck && !stalled)
            tsa_log("error", "watchdog-stalled",
                    "pending=%lld idle_ms=%lld msg=\"%s\"", pending, (now - last_progress) / 1000,
                    _("requests are waiting and none was finished nor a journal batch written for a "
                      "whole watchdog interval: watchdog pings stop"));
        else if (!stuck && stalled)
            tsa_log("info", "watchdog-resumed", "pending=%lld", pending);
        stalled = stuck;
        if (!stuck)
            tsa_notify("WATCHDOG=1");
    }
    pthread_mutex_unlock(&wd->lock);
    return NULL;
}

/* $WATCHDOG_USEC in microseconds, 0 when this process is not watched. */
static long long watchdog_interval(void)
{
    const char *usec = getenv("WATCHDOG_USEC");
    const char *pid = getenv("WATCHDOG_PID");
    const char *sock = getenv("NOTIFY_SOCKET");
    if (usec == NULL || usec[0] == '\0' || sock == NULL || sock[0] == '\0')
        return 0;
    /* systemd names the process it watches; a child that inherited the
     * environment must not feed it. */
    if (pid != NULL && pid[0] != '\0' && strtoll(pid, NULL, 10) != (long long)getpid())
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(usec, &end, 10);
    if (errno != 0 || *end != '\0' || v <= 0)
        return -1;
    return v;
}

int tsa_watchdog_start(tsa_watchdog **out)
{
    *out = NULL;
    long long interval = watchdog_interval();
    if (interval < 0)
        return tsa_fail(VBSIG_E_INVALID_ARG, _("WATCHDOG_USEC: expected a positive number of "
                                               "microseconds, got '%s'"), getenv("WATCHDOG_USEC"));
    if (interval == 0)
        return VBSIG_OK;
    tsa_watchdog *wd = calloc(1, sizeof *wd);
    if (wd == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    wd->interval_us = interval;
    pthread_condattr_t attr;
    int ok = pthread_condattr_init(&attr) == 0;
    ok = ok && pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
         pthread_cond_init(&wd->wake, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (!ok) {
        free(wd);
        return tsa_fail(VBSIG_E_INTERNAL, _("cannot start the watchdog thread"));
    }
    pthread_mutex_init(&wd->lock, NULL);
    if (pthread_create(&wd->thread, NULL, watchdog_main, wd) != 0) {
        pthread_mutex_destroy(&wd->lock);
        pthread_cond_destroy(&wd->wake);
        free(wd);
        return tsa_fail(VBSIG_E_INTERNAL, _("cannot start the watchdog thread"));
    }
    tsa_log("info", "watchdog", "interval_ms=%lld", interval / 1000);
    *out = wd;
    return VBSIG_OK;
}

void tsa_watchdog_stop(tsa_watchdog *wd)
{
    if (wd == NULL)
        return;
    pthread_mutex_lock(&wd->lock);
    wd->stopping = 1;
    pthread_cond_signal(&wd->wake);
    pthread_mutex_unlock(&wd->lock);
    pthread_join(wd->thread, NULL);
    pthread_mutex_destroy(&wd->lock);
    pthread_cond_destroy(&wd->wake);
    free(wd);
}
