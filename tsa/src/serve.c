/* Starting and stopping the server: check everything that can be checked
 * before the first request, then run until SIGTERM or SIGINT, or drain
 * (SIGUSR1, --drain-file) and stop. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsa.h"

static int drain_file_present(const tsa_config *c)
{
    return c->drain_file != NULL && access(c->drain_file, F_OK) == 0;
}

/* Draining: the node leaves the load balancer's pool (/health 503) and
 * takes no new request, while those accepted finish; then the normal stop.
 * VBSIG_E_TIMEOUT when they did not finish within drain-timeout. */
static int drain(const tsa_config *c, const sigset_t *signals, tsa_http *http, const char *why)
{
    tsa_http_drain(http);
    tsa_log("info", "draining", "trigger=%s in_flight=%u timeout_s=%u", why, tsa_http_in_flight(http),
            c->drain_timeout_s);
    tsa_notify("STOPPING=1\nSTATUS=draining");
    struct timespec tick = { 0, 20 * 1000 * 1000 };
    for (unsigned waited_ms = 0; tsa_http_in_flight(http) > 0; waited_ms += 20) {
        if (waited_ms >= c->drain_timeout_s * 1000u) {
            tsa_log("error", "drain-timeout", "in_flight=%u msg=\"%s\"", tsa_http_in_flight(http),
                    _("requests accepted before the drain did not finish in time: exiting without "
                      "them"));
            return VBSIG_E_TIMEOUT;
        }
        int sig = sigtimedwait(signals, NULL, &tick);
        if (sig == SIGTERM || sig == SIGINT) {
            tsa_log("info", "stopping", "signal=%d in_flight=%u", sig, tsa_http_in_flight(http));
            return VBSIG_OK;
        }
    }
    tsa_log("info", "drained", NULL);
    return VBSIG_OK;
}

/* Until SIGTERM/SIGINT (stop: in-flight requests finish), or SIGUSR1 or
 * the drain file (drain first). The file is looked for four times a second. */
static int wait_for_stop(const tsa_config *c, const sigset_t *signals, tsa_http *http)
{
    for (;;) {
        struct timespec tick = { 0, 250 * 1000 * 1000 };
        int sig = sigtimedwait(signals, NULL, &tick);
        if (sig == SIGTERM || sig == SIGINT) {
            tsa_log("info", "stopping", "signal=%d", sig);
            tsa_notify("STOPPING=1");
            return VBSIG_OK;
        }
        if (sig == SIGUSR1)
            return drain(c, signals, http, "SIGUSR1");
        if (drain_file_present(c))
            return drain(c, signals, http, "drain-file");
    }
}

int tsa_serve(int argc, char **argv)
{
    tsa_config cfg;
    tsa_keys keys = { 0 };
    tsa_journal *journal = NULL;
    tsa_journal_writer *writer = NULL;
    tsa_workers *workers = NULL;
    tsa_http *http = NULL;
    tsa_key_health *key_health = NULL;
    tsa_watchdog *watchdog = NULL;

    tsa_config_init(&cfg);
    int rc = tsa_config_load(&cfg, argc, argv);
    if (rc == VBSIG_OK)
        rc = tsa_config_check(&cfg);
    if (rc == VBSIG_OK)
        tsa_config_settle(&cfg);
    if (rc == VBSIG_OK)
        rc = tsa_keys_load(&keys, &cfg);
    if (rc == VBSIG_OK)
        rc = vbsig_tsp_check_signer(keys.signer, 0);
    /* A drain file left behind would make the node leave the pool again at
     * once: the operator removes it to bring the node back. */
    if (rc == VBSIG_OK && drain_file_present(&cfg))
        rc = tsa_fail(VBSIG_E_UNAVAILABLE, _("drain file %s exists: remove it to start"),
                      cfg.drain_file);
    if (rc == VBSIG_OK) {
        /* Policies and digests are checked before anything is created. */
        tsa_issuer *probe = NULL;
        rc = tsa_issuer_new(&probe, &keys, &cfg);
        tsa_issuer_free(probe);
    }

    /* Signals are taken by sigtimedwait() in this thread only: every thread
     * started below inherits the blocked mask. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGUSR1); /* drain */
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (rc == VBSIG_OK) {
        tsa_clock_init(cfg.max_clock_error_ms, cfg.allow_unsynced_clock);
        if (cfg.allow_unsynced_clock)
            tsa_log("warning", "allow-unsynced-clock",
                    "msg=\"%s\"", _("tokens will be issued even if the kernel says the clock is not "
                                    "synchronised: for labs and tests only, never in production"));
        tsa_clock_check(NULL); /* logs the starting state */
        rc = tsa_journal_open(&journal, cfg.journal);
    }
    if (rc == VBSIG_OK)
        rc = tsa_journal_writer_start(&writer, journal);
    /* Before the workers: their issuers report every signature to it. */
    if (rc == VBSIG_OK)
        rc = tsa_key_health_start(&key_health, &keys, cfg.health_interval_s);
    keys.health = key_health;
    if (rc == VBSIG_OK)
        rc = tsa_workers_start(&workers, &keys, &cfg, writer);
    if (rc == VBSIG_OK) {
        tsa_health health = { .writer = writer, .journal_path = cfg.journal, .key = key_health };
        rc = tsa_http_start(&http, &cfg, workers, &health);
    }
    /* Its first ping comes half an interval later, after READY=1. */
    if (rc == VBSIG_OK)
        rc = tsa_watchdog_start(&watchdog);
    int code = TSA_EXIT_OK;
    if (rc != VBSIG_OK) {
        fprintf(stderr, "vbsig-tsa: %s\n", vbsig_last_error());
        code = tsa_exit_for_status(rc);
    } else {
        char *subject = vbsig_signer_subject(keys.signer);
        char journal_name[128];
        tsa_journal_redact(cfg.journal, journal_name, sizeof journal_name);
        tsa_log("info", "started",
                "listen=%s policy=%s accuracy_ms=%u max_clock_error_ms=%u threads=%u "
                "health_interval_s=%u journal=%s cert=\"%s\" pid=%ld",
                cfg.listen, cfg.policy, cfg.accuracy_ms, cfg.max_clock_error_ms, cfg.threads,
                cfg.health_interval_s, journal_name, subject != NULL ? subject : "?",
                (long)getpid());
        vbsig_free(subject);
        /* Only now: the key has signed (vbsig_tsp_check_signer), the clock was
         * read and the journal is open, so systemd's "started" means the
         * server can answer. */
        tsa_notify("READY=1");
    }
    if (rc == VBSIG_OK && wait_for_stop(&cfg, &stop_signals, http) != VBSIG_OK) {
        /* Requests still hang on a wedged token or journal: their records
         * are durable or absent, as after a crash, and a restart is what
         * the node needs. The workers cannot be joined, so nothing is freed. */
        tsa_notify("STOPPING=1");
        _exit(TSA_EXIT_SOFTWARE);
    }
    /* Order matters: no new requests, in-flight ones finish through the
     * workers and the journal, then the journal is flushed and closed. */
    tsa_http_stop(http);
    tsa_workers_stop(workers);
    /* Fed until here: a shutdown stuck on a wedged worker stops feeding it. */
    tsa_watchdog_stop(watchdog);
    tsa_key_health_stop(key_health); /* after the workers, who report to it */
    tsa_journal_writer_stop(writer);
    tsa_journal_close(journal);
    if (rc == VBSIG_OK)
        tsa_log("info", "stopped", NULL);
    tsa_keys_free(&keys);
    tsa_config_free(&cfg);
    return code;
}
