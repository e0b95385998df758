/* Module calls with a deadline (p11_bounded.c). */
#ifndef VBSIG_P11_BOUNDED_H
#define VBSIG_P11_BOUNDED_H

#include "p11.h"

enum { P11_JOB_LOGIN = 1, P11_JOB_TOKEN_INFO = 2, P11_JOB_CALL = 3 };

typedef struct p11_job {
    pthread_mutex_t lock;
    pthread_cond_t cv;
    int refs, done, kind;
    p11_module *m;
    /* inputs */
    CK_SESSION_HANDLE session;
    CK_USER_TYPE who;
    CK_SLOT_ID slot;
    void (*call)(void *arg); /* P11_JOB_CALL: arg stays with the thread if it times out */
    void *call_arg;
    int use_pin;
    char pin[P11_PIN_MAX];
    size_t pin_len;
    /* outputs */
    CK_TOKEN_INFO ti;
    CK_RV rv;
} p11_job;

p11_job *p11_job_new(p11_module *m, int kind);
/* Runs the job; VBSIG_OK with *rv when the module answered in time (read
 * the outputs, then p11_job_free); on any failure the job is gone already:
 * VBSIG_E_TIMEOUT (module marked stuck) or a thread error. */
int p11_job_run(p11_job *job, unsigned timeout_ms, CK_RV *rv);
/* Drops the caller's reference (the job may live on in its thread). */
void p11_job_free(p11_job *job);

#endif
