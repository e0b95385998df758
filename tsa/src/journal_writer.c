/* Group commit: workers hand records to one writer thread, which writes
 * everything that queued up while the previous fsync ran in a single
 * transaction. Concurrent requests thus share an fsync. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "tsa.h"

#define TSA_BATCH_MAX 512

typedef struct pending {
    tsa_record *rec;
    tsa_journal_done_fn done;
    void *arg;
    struct pending *next;
} pending;

struct tsa_journal_writer {
    tsa_journal *journal;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pending *head, *tail;
    int stopping;
    atomic_int healthy;
};

static void *writer_main(void *arg)
{
    tsa_journal_writer *w = arg;
    tsa_record *recs[TSA_BATCH_MAX];
    pending *batch[TSA_BATCH_MAX];
    for (;;) {
        pthread_mutex_lock(&w->lock);
        while (w->head == NULL && !w->stopping)
            pthread_cond_wait(&w->wake, &w->lock);
        if (w->head == NULL && w->stopping) {
            pthread_mutex_unlock(&w->lock);
            break;
        }
        size_t n = 0;
        while (w->head != NULL && n < TSA_BATCH_MAX) {
            batch[n] = w->head;
            recs[n] = w->head->rec;
            w->head = w->head->next;
            n++;
        }
        if (w->head == NULL)
            w->tail = NULL;
        pthread_mutex_unlock(&w->lock);

        int rc = tsa_journal_append(w->journal, recs, n);
        tsa_progress_note(); /* a failed commit came back too: not wedged */
        if (rc != VBSIG_OK)
            tsa_log("error", "journal-write-failed", "records=%zu reason=\"%s\"", n,
                    vbsig_last_error());
        int was = atomic_exchange(&w->healthy, rc == VBSIG_OK);
        if (was && rc != VBSIG_OK)
            tsa_log("error", "journal-unhealthy", NULL);
        else if (!was && rc == VBSIG_OK)
            tsa_log("info", "journal-healthy", NULL);
        for (size_t i = 0; i < n; i++) {
            batch[i]->done(batch[i]->rec, rc, batch[i]->arg);
            free(batch[i]);
        }
    }
    return NULL;
}

int tsa_journal_writer_start(tsa_journal_writer **out, tsa_journal *j)
{
    tsa_journal_writer *w = calloc(1, sizeof *w);
    if (w == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    w->journal = j;
    atomic_init(&w->healthy, 1);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->wake);
        free(w);
        return tsa_fail(VBSIG_E_NOMEM, _("cannot start the journal thread"));
    }
    *out = w;
    return VBSIG_OK;
}

void tsa_journal_writer_submit(tsa_journal_writer *w, tsa_record *rec, tsa_journal_done_fn done,
                               void *arg)
{
    pending *p = malloc(sizeof *p);
    if (p == NULL) {
        done(rec, VBSIG_E_NOMEM, arg);
        return;
    }
    p->rec = rec;
    p->done = done;
    p->arg = arg;
    p->next = NULL;
    pthread_mutex_lock(&w->lock);
    if (w->tail != NULL)
        w->tail->next = p;
    else
        w->head = p;
    w->tail = p;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

int tsa_journal_writer_healthy(tsa_journal_writer *w) { return atomic_load(&w->healthy); }

void tsa_journal_writer_stop(tsa_journal_writer *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    free(w);
}
