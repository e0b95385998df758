/* Whether the signing key can still sign. A certificate inside its validity
 * period says nothing about a token that was pulled out, an HSM that stopped
 * answering or a key that errors at run time: only a signature does. A
 * thread makes a test signature every --health-interval seconds
 * (vbsig_signer_probe: random digest, verified with the certificate), and every
 * request's signature reports its outcome too, so a failure shows at once.
 *
 * The probe runs outside the lock: a wedged token blocks only the prober,
 * never /health, which notices that the probe in progress is older than
 * its deadline and says "not-responding". Both signers the TSA uses are
 * safe to call from several threads at once (the soft key's context pool,
 * the PKCS#11 bridge's session pool and its one-at-a-time re-login), so the
 * prober shares the workers' signer. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"

struct tsa_key_health {
    vbsig_signer *signer; /* the workers' signer: not owned */
    time_t not_before, not_after;
    unsigned interval_s;
    unsigned deadline_s;  /* a probe running longer than this: "not-responding" */

    pthread_t thread;
    int started;
    pthread_mutex_t lock;
    pthread_cond_t wake;  /* on CLOCK_MONOTONIC: the pause between probes */

    /* Guarded by lock. */
    int stopping;
    int failing;            /* the last signature (probe or request) failed */
    char error[256];        /* its message */
    time_t failing_since;   /* wall clock: when failing (or the stuck probe) began */
    time_t checked_at;      /* wall clock: the last signature that came back */
    int probing;
    struct timespec probe_started; /* monotonic */
    time_t probe_started_wall;
    struct timespec last_ok;       /* monotonic: the last signature that succeeded */
    tsa_key_state reported;        /* the state last logged */
    char reported_error[256];      /* and its reason */
    unsigned long long probes, failed_probes;
};

static const char *const state_names[] = { "ok", "certificate-not-valid-now", "signing-failed",
                                           "not-responding" };

const char *tsa_key_state_name(tsa_key_state s)
{
    return (unsigned)s < sizeof state_names / sizeof state_names[0] ? state_names[s] : "?";
}

static struct timespec mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t;
}

/* a < b */
static int mono_before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static int cert_valid_now(const tsa_key_health *kh)
{
    time_t now = time(NULL);
    return now < kh->not_after && now > kh->not_before;
}

/* The state as of now, with its message; lock held. */
static tsa_key_state judge(const tsa_key_health *kh, char *error, size_t n, time_t *since)
{
    error[0] = '\0';
    *since = 0;
    if (!cert_valid_now(kh)) {
        snprintf(error, n, "%s", _("the TSA certificate is not valid at this time"));
        return TSA_KEY_CERT_NOT_VALID;
    }
    if (kh->probing) {
        /* A request's signature that came back since the probe began shows
         * the key answers: only the probe is slow. */
        struct timespec now = mono_now();
        long long running_ms = (long long)(now.tv_sec - kh->probe_started.tv_sec) * 1000 +
                               (now.tv_nsec - kh->probe_started.tv_nsec) / 1000000;
        if (running_ms >= (long long)kh->deadline_s * 1000 &&
            mono_before(&kh->last_ok, &kh->probe_started)) {
            snprintf(error, n, _("a test signature has not come back for %lld s"),
                     running_ms / 1000);
            *since = kh->failing ? kh->failing_since : kh->probe_started_wall;
            return TSA_KEY_NOT_RESPONDING;
        }
    }
    if (kh->failing) {
        snprintf(error, n, "%s", kh->error);
        *since = kh->failing_since;
        return TSA_KEY_SIGNING_FAILED;
    }
    return TSA_KEY_OK;
}

/* Logs a change of state (lock held), like journal-unhealthy/-healthy, and
 * with reasons_too a new reason for failing (a pulled token's "removed"
 * becoming "needs a PIN" once it is back): the prober and /health ask for
 * that, not every request, whose messages may alternate under load. A stuck
 * probe's reason counts seconds: not logged again. */
static void log_transition(tsa_key_health *kh, tsa_key_state now, const char *error, int reasons_too)
{
    int new_reason = reasons_too && now == TSA_KEY_SIGNING_FAILED &&
                     strcmp(error, kh->reported_error) != 0;
    if (now == kh->reported && !new_reason)
        return;
    if (now == TSA_KEY_OK)
        tsa_log("info", "key-healthy", "was=%s", tsa_key_state_name(kh->reported));
    else
        tsa_log("error", "key-unhealthy", "state=%s reason=\"%s\"", tsa_key_state_name(now), error);
    kh->reported = now;
    snprintf(kh->reported_error, sizeof kh->reported_error, "%s", error);
}

/* One signature's outcome (lock held); from_probe: the prober's. */
static void record(tsa_key_health *kh, int status, const char *message, int from_probe)
{
    struct timespec mono = mono_now();
    time_t wall = time(NULL);
    kh->checked_at = wall;
    if (status == VBSIG_OK) {
        int was_failing = kh->failing;
        kh->failing = 0;
        kh->error[0] = '\0';
        kh->last_ok = mono;
        /* The common case, once per request: nothing changed, nothing to log. */
        if (!was_failing && kh->reported == TSA_KEY_OK)
            return;
    } else {
        if (!kh->failing)
            kh->failing_since = wall;
        kh->failing = 1;
        if (message != NULL && message[0] != '\0')
            snprintf(kh->error, sizeof kh->error, "%s", message);
        else
            snprintf(kh->error, sizeof kh->error, _("the signer failed (%s)"),
                     vbsig_status_name(status));
    }
    char error[sizeof kh->error];
    time_t since;
    log_transition(kh, judge(kh, error, sizeof error, &since), error, from_probe);
}

static void *prober_main(void *arg)
{
    tsa_key_health *kh = arg;
    pthread_mutex_lock(&kh->lock);
    while (!kh->stopping) {
        kh->probing = 1;
        kh->probe_started = mono_now();
        kh->probe_started_wall = time(NULL);
        pthread_mutex_unlock(&kh->lock);

        tsa_error_clear();
        int rc = vbsig_signer_probe(kh->signer);
        char message[256];
        snprintf(message, sizeof message, "%s", rc == VBSIG_OK ? "" : vbsig_last_error());

        pthread_mutex_lock(&kh->lock);
        kh->probing = 0;
        kh->probes++;
        if (rc != VBSIG_OK)
            kh->failed_probes++;
        record(kh, rc, message, 1);
        struct timespec until = mono_now();
        until.tv_sec += kh->interval_s;
        while (!kh->stopping && pthread_cond_timedwait(&kh->wake, &kh->lock, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&kh->lock);
    return NULL;
}

int tsa_key_health_start(tsa_key_health **out, const tsa_keys *k, unsigned interval_s)
{
    tsa_key_health *kh = calloc(1, sizeof *kh);
    if (kh == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    kh->signer = k->signer;
    kh->not_before = k->not_before;
    kh->not_after = k->not_after;
    kh->interval_s = interval_s;
    /* Two missed rounds and some slack for a slow but working token. */
    kh->deadline_s = 2 * interval_s + 10;
    /* The server started only after a test signature succeeded. */
    kh->checked_at = time(NULL);
    kh->last_ok = mono_now();
    kh->reported = TSA_KEY_OK;
    pthread_condattr_t attr;
    int ok = pthread_condattr_init(&attr) == 0;
    ok = ok && pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
         pthread_cond_init(&kh->wake, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (!ok) {
        free(kh);
        return tsa_fail(VBSIG_E_INTERNAL, _("cannot start the key prober thread"));
    }
    pthread_mutex_init(&kh->lock, NULL);
    if (pthread_create(&kh->thread, NULL, prober_main, kh) != 0) {
        tsa_key_health_stop(kh);
        return tsa_fail(VBSIG_E_INTERNAL, _("cannot start the key prober thread"));
    }
    kh->started = 1;
    *out = kh;
    return VBSIG_OK;
}

void tsa_key_health_stop(tsa_key_health *kh)
{
    if (kh == NULL)
        return;
    if (kh->started) {
        pthread_mutex_lock(&kh->lock);
        kh->stopping = 1;
        int probing = kh->probing;
        pthread_cond_signal(&kh->wake);
        pthread_mutex_unlock(&kh->lock);
        /* A probe stuck in a wedged token ends when the token answers; the
         * signer cannot be freed under it, so the stop waits like the
         * workers' signatures do. */
        if (probing)
            tsa_log("info", "key-probe-waiting", NULL);
        pthread_join(kh->thread, NULL);
    }
    pthread_mutex_destroy(&kh->lock);
    pthread_cond_destroy(&kh->wake);
    free(kh);
}

void tsa_key_health_note(tsa_key_health *kh, int status)
{
    if (kh == NULL)
        return;
    /* The message is the signer's, set on this thread just now. */
    const char *message = status == VBSIG_OK ? "" : vbsig_last_error();
    pthread_mutex_lock(&kh->lock);
    record(kh, status, message, 0);
    pthread_mutex_unlock(&kh->lock);
}

void tsa_key_health_read(tsa_key_health *kh, tsa_key_report *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&kh->lock);
    time_t since = 0;
    out->state = judge(kh, out->error, sizeof out->error, &since);
    log_transition(kh, out->state, out->error, 1);
    time_t checked = kh->checked_at;
    out->probes = kh->probes;
    out->failed_probes = kh->failed_probes;
    pthread_mutex_unlock(&kh->lock);
    tsa_time_utc(checked, out->checked_at);
    if (since != 0)
        tsa_time_utc(since, out->failing_since);
}
