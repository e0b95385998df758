/* Calls into a module that may never return (a reader waiting for an
 * absent card, a wedged HSM) run on a helper thread; we wait with a
 * deadline. On timeout the helper is detached and keeps the job (and its copy of the PIN,
 * wiped when the call finally returns) and the module is marked stuck. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "p11.h"
#include "p11_bounded.h"

static void job_release(p11_job *job)
{
    pthread_mutex_lock(&job->lock);
    int last = --job->refs == 0;
    pthread_mutex_unlock(&job->lock);
    if (!last)
        return;
    pthread_mutex_destroy(&job->lock);
    pthread_cond_destroy(&job->cv);
    p11_wipe(job, sizeof *job);
    free(job);
}

static void *job_run(void *arg)
{
    p11_job *job = arg;
    CK_FUNCTION_LIST_PTR f = job->m->f;
    CK_RV rv;
    if (job->kind == P11_JOB_LOGIN) {
        rv = f->C_Login(job->session, job->who, job->use_pin ? (CK_UTF8CHAR_PTR)job->pin : NULL,
                        job->use_pin ? (CK_ULONG)job->pin_len : 0);
    } else if (job->kind == P11_JOB_CALL) {
        job->call(job->call_arg);
        rv = CKR_OK;
    } else {
        rv = f->C_GetTokenInfo(job->slot, &job->ti);
    }
    p11_wipe(job->pin, sizeof job->pin);
    pthread_mutex_lock(&job->lock);
    job->rv = rv;
    job->done = 1;
    pthread_cond_signal(&job->cv);
    pthread_mutex_unlock(&job->lock);
    job_release(job);
    return NULL;
}

p11_job *p11_job_new(p11_module *m, int kind)
{
    p11_job *job = calloc(1, sizeof *job);
    if (job == NULL)
        return NULL;
    pthread_mutex_init(&job->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&job->cv, &ca);
    pthread_condattr_destroy(&ca);
    job->m = m;
    job->kind = kind;
    job->refs = 1;
    return job;
}

int p11_job_run(p11_job *job, unsigned timeout_ms, CK_RV *rv)
{
    /* 0: the default. Operators of slow HSMs tune it through the context's
     * network settings (the CLI: $VBSIG_PKCS11_TIMEOUT_MS). */
    if (timeout_ms == 0)
        timeout_ms = P11_DEFAULT_TIMEOUT_MS;
    pthread_t t;
    job->refs = 2;
    int err = pthread_create(&t, NULL, job_run, job);
    if (err != 0) {
        job->refs = 1;
        job_release(job);
        return p11_fail(VBSIG_E_UNAVAILABLE, _("cannot start a thread for the token: %s"), strerror(err));
    }
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&job->lock);
    int timed_out = 0;
    while (!job->done && !timed_out)
        timed_out = pthread_cond_timedwait(&job->cv, &job->lock, &deadline) == ETIMEDOUT;
    int done = job->done;
    *rv = job->rv;
    pthread_mutex_unlock(&job->lock);
    if (!done) {
        pthread_detach(t);
        p11_module_mark_stuck(job->m);
        job_release(job);
        return p11_fail(VBSIG_E_TIMEOUT,
                        _("the token did not answer within %u ms (is it inserted and working?)"), timeout_ms);
    }
    /* Joined, not detached: the module may have left per-thread state (an
     * OpenSSL error queue, say) that is freed only when the thread ends. */
    pthread_join(t, NULL);
    return VBSIG_OK;
}

void p11_job_free(p11_job *job)
{
    if (job != NULL)
        job_release(job);
}
