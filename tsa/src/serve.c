/* Starting and stopping the server: check everything that can be checked
 * before the first request, then run until SIGTERM or SIGINT. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsa.h"

int tsa_serve(int argc, char **argv)
{
    tsa_config cfg;
    tsa_keys keys = { 0 };
    tsa_journal *journal = NULL;
    tsa_journal_writer *writer = NULL;
    tsa_workers *workers = NULL;
    tsa_http *http = NULL;
    tsa_key_health *key_health = NULL;

    tsa_config_init(&cfg);
    int rc = tsa_config_load(&cfg, argc, argv);
    if (rc == VBSIG_OK)
        rc = tsa_config_check(&cfg);
    if (rc == VBSIG_OK)
        rc = tsa_keys_load(&keys, &cfg);
    if (rc == VBSIG_OK)
        rc = vbsig_tsp_check_signer(keys.signer, 0);
    if (rc == VBSIG_OK) {
        /* Policies and digests are checked before anything is created. */
        tsa_issuer *probe = NULL;
        rc = tsa_issuer_new(&probe, &keys, &cfg);
        tsa_issuer_free(probe);
    }

    /* Signals are taken by sigwait() in this thread only: every thread
     * started below inherits the blocked mask. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (rc == VBSIG_OK) {
        tsa_clock_init(cfg.accuracy_ms, cfg.allow_unsynced_clock);
        if (cfg.allow_unsynced_clock)
            tsa_log("warning", "allow-unsynced-clock",
                    "msg=\"%s\"", _("tokens will be issued even if the kernel says the clock is not "
                                    "synchronised: for labs and tests only, never in production"));
        tsa_clock_check(NULL, NULL); /* logs the starting state */
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
    int code = TSA_EXIT_OK;
    if (rc != VBSIG_OK) {
        fprintf(stderr, "vbsig-tsa: %s\n", vbsig_last_error());
        code = tsa_exit_for_status(rc);
    } else {
        char *subject = vbsig_signer_subject(keys.signer);
        char journal_name[128];
        tsa_journal_redact(cfg.journal, journal_name, sizeof journal_name);
        tsa_log("info", "started",
                "listen=%s policy=%s accuracy_ms=%u threads=%u health_interval_s=%u journal=%s "
                "cert=\"%s\" pid=%ld",
                cfg.listen, cfg.policy, cfg.accuracy_ms, cfg.threads, cfg.health_interval_s, journal_name,
                subject != NULL ? subject : "?", (long)getpid());
        vbsig_free(subject);
        /* Only now: the key has signed (vbsig_tsp_check_signer), the clock was
         * read and the journal is open, so systemd's "started" means the
         * server can answer. */
        tsa_notify("READY=1");
        int sig = 0;
        sigwait(&stop_signals, &sig);
        tsa_log("info", "stopping", "signal=%d", sig);
        tsa_notify("STOPPING=1");
    }
    /* Order matters: no new requests, in-flight ones finish through the
     * workers and the journal, then the journal is flushed and closed. */
    tsa_http_stop(http);
    tsa_workers_stop(workers);
    tsa_key_health_stop(key_health); /* after the workers, who report to it */
    tsa_journal_writer_stop(writer);
    tsa_journal_close(journal);
    if (rc == VBSIG_OK)
        tsa_log("info", "stopped", NULL);
    tsa_keys_free(&keys);
    tsa_config_free(&cfg);
    return code;
}
