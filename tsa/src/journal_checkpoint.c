/* SQLite WAL checkpoints off the reply path. Left to SQLite, the commit
 * that crosses the auto-checkpoint threshold copies the WAL into the
 * database and fsyncs it before that batch's replies may leave; measured
 * under load that was 7–8 % of the server's CPU, all of it on the journal
 * writer's thread and in the latency of the batch that paid for it. Here a
 * thread with its own connection runs a PASSIVE checkpoint (it never
 * blocks the writer) a few times a second; the writer keeps a high
 * auto-checkpoint threshold only as a backstop. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <sqlite3.h>

#include "tsa.h"

#define TSA_CHECKPOINT_EVERY_MS 250

struct tsa_checkpointer {
    sqlite3 *db;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stopping;
};

static void *checkpoint_main(void *arg)
{
    tsa_checkpointer *c = arg;
    pthread_mutex_lock(&c->lock);
    while (!c->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += TSA_CHECKPOINT_EVERY_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        int w = 0;
        while (!c->stopping && w != ETIMEDOUT)
            w = pthread_cond_timedwait(&c->wake, &c->lock, &until);
        if (c->stopping)
            break;
        pthread_mutex_unlock(&c->lock);
        /* Busy (another process holds a lock) is fine: next time. */
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&c->lock);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

int tsa_checkpointer_start(tsa_checkpointer **out, const char *path)
{
    tsa_checkpointer *c = calloc(1, sizeof *c);
    if (c == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = tsa_fail(VBSIG_E_IO_WRITE, _("journal %s: cannot open: %s"), path,
                            c->db != NULL ? sqlite3_errmsg(c->db) : "?");
        sqlite3_close(c->db);
        free(c);
        return rc;
    }
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->wake, NULL);
    if (pthread_create(&c->thread, NULL, checkpoint_main, c) != 0) {
        pthread_mutex_destroy(&c->lock);
        pthread_cond_destroy(&c->wake);
        sqlite3_close(c->db);
        free(c);
        return tsa_fail(VBSIG_E_NOMEM, _("cannot start the journal thread"));
    }
    *out = c;
    return VBSIG_OK;
}

void tsa_checkpointer_stop(tsa_checkpointer *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->lock);
    c->stopping = 1;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->lock);
    pthread_join(c->thread, NULL);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->wake);
    sqlite3_close(c->db);
    free(c);
}
