/* A fixed pool of signing workers fed by a bounded queue. A worker builds
 * the reply, hands the record to the journal writer and moves on; the job
 * is finished by the writer once the record is durable. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "tsa.h"

struct tsa_workers {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    tsa_job *head, *tail;
    unsigned queued, max_queue;
    int stopping;
    tsa_journal_writer *writer;
    unsigned n_threads;  /* started */
    unsigned n_issuers;  /* allocated slots */
    pthread_t *threads;
    tsa_issuer **issuers;
};

typedef struct worker_arg {
    tsa_workers *ws;
    tsa_issuer *issuer;
} worker_arg;

static void journal_done(tsa_record *rec, int status, void *arg)
{
    tsa_job *job = arg;
    (void)rec;
    if (status != VBSIG_OK) {
        /* No durable record, no token: the client gets a rejection instead. */
        vbsig_free(job->reply);
        vbsig_buf rejection = { 0 };
        (void)vbsig_tsp_reject(VBSIG_TSP_FAIL_SYSTEM_FAILURE, "journal unavailable", &rejection);
        job->reply = rejection.data; /* NULL when not even that could be made */
        job->reply_len = rejection.len;
        snprintf(job->rec.outcome, sizeof job->rec.outcome, "rejection");
        snprintf(job->rec.failure, sizeof job->rec.failure, "systemFailure");
    }
    tsa_progress_end();
    job->done(job);
}

static void *worker_main(void *p)
{
    worker_arg *arg = p;
    tsa_workers *ws = arg->ws;
    for (;;) {
        pthread_mutex_lock(&ws->lock);
        while (ws->head == NULL && !ws->stopping)
            pthread_cond_wait(&ws->wake, &ws->lock);
        if (ws->head == NULL) {
            pthread_mutex_unlock(&ws->lock);
            break;
        }
        tsa_job *job = ws->head;
        ws->head = job->next;
        if (ws->head == NULL)
            ws->tail = NULL;
        ws->queued--;
        pthread_mutex_unlock(&ws->lock);

        if (tsa_issue(arg->issuer, job->body, job->body_len, &job->received, &job->reply,
                      &job->reply_len, &job->rec) != VBSIG_OK) {
            /* Not even a rejection could be built (out of memory). */
            job->reply = NULL;
            job->reply_len = 0;
            tsa_progress_end();
            job->done(job);
            continue;
        }
        tsa_journal_writer_submit(ws->writer, &job->rec, journal_done, job);
    }
    free(arg);
    return NULL;
}

int tsa_workers_start(tsa_workers **out, const tsa_keys *k, const tsa_config *c,
                      tsa_journal_writer *w)
{
    tsa_workers *ws = calloc(1, sizeof *ws);
    if (ws == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    pthread_mutex_init(&ws->lock, NULL);
    pthread_cond_init(&ws->wake, NULL);
    ws->max_queue = c->max_queue;
    ws->writer = w;
    ws->threads = calloc(c->threads, sizeof *ws->threads);
    ws->issuers = calloc(c->threads, sizeof *ws->issuers);
    ws->n_issuers = ws->issuers != NULL ? c->threads : 0;
    int rc = ws->threads != NULL && ws->issuers != NULL
                 ? VBSIG_OK
                 : tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    for (unsigned i = 0; rc == VBSIG_OK && i < c->threads; i++) {
        rc = tsa_issuer_new(&ws->issuers[i], k, c);
        worker_arg *arg = rc == VBSIG_OK ? malloc(sizeof *arg) : NULL;
        if (rc == VBSIG_OK && arg == NULL)
            rc = tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
        if (rc != VBSIG_OK)
            break;
        arg->ws = ws;
        arg->issuer = ws->issuers[i];
        if (pthread_create(&ws->threads[i], NULL, worker_main, arg) != 0) {
            free(arg);
            rc = tsa_fail(VBSIG_E_NOMEM, _("cannot start a worker thread"));
            break;
        }
        ws->n_threads++;
    }
    if (rc != VBSIG_OK) {
        tsa_workers_stop(ws);
        return rc;
    }
    *out = ws;
    return VBSIG_OK;
}

int tsa_workers_submit(tsa_workers *ws, tsa_job *job)
{
    pthread_mutex_lock(&ws->lock);
    if (ws->queued >= ws->max_queue || ws->stopping) {
        pthread_mutex_unlock(&ws->lock);
        return VBSIG_E_LIMIT;
    }
    job->next = NULL;
    if (ws->tail != NULL)
        ws->tail->next = job;
    else
        ws->head = job;
    ws->tail = job;
    ws->queued++;
    tsa_progress_begin();
    pthread_cond_signal(&ws->wake);
    pthread_mutex_unlock(&ws->lock);
    return VBSIG_OK;
}

void tsa_workers_stop(tsa_workers *ws)
{
    if (ws == NULL)
        return;
    pthread_mutex_lock(&ws->lock);
    ws->stopping = 1;
    pthread_cond_broadcast(&ws->wake);
    pthread_mutex_unlock(&ws->lock);
    for (unsigned i = 0; i < ws->n_threads; i++)
        pthread_join(ws->threads[i], NULL);
    for (unsigned i = 0; i < ws->n_issuers; i++)
        tsa_issuer_free(ws->issuers[i]);
    free(ws->threads);
    free(ws->issuers);
    pthread_mutex_destroy(&ws->lock);
    pthread_cond_destroy(&ws->wake);
    free(ws);
}
