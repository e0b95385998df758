/* The journal in SQLite: WAL, synchronous=FULL, one transaction per batch.
 * Each batch reads the chain's head inside its write transaction, so
 * several processes appending to one file still form a single chain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "tsa.h"

struct tsa_journal {
    tsa_journal_pg *pg; /* set for a PostgreSQL journal; the rest is SQLite's */
    sqlite3 *db;
    sqlite3_stmt *head;
    sqlite3_stmt *insert;
    tsa_checkpointer *checkpointer;
};

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS journal ("
    " seq INTEGER PRIMARY KEY,"
    " received TEXT NOT NULL, outcome TEXT NOT NULL, failure TEXT NOT NULL,"
    " serial TEXT, policy TEXT NOT NULL, hash_alg TEXT NOT NULL, imprint TEXT NOT NULL,"
    " nonce TEXT NOT NULL, peer TEXT NOT NULL, token BLOB,"
    " prev_hash BLOB NOT NULL, hash BLOB NOT NULL);"
    "CREATE UNIQUE INDEX IF NOT EXISTS journal_serial ON journal(serial);";

int tsa_journal_is_pg(const char *spec)
{
    return strncmp(spec, "postgresql://", 13) == 0 || strncmp(spec, "postgres://", 11) == 0;
}

void tsa_journal_redact(const char *spec, char *out, size_t n)
{
    snprintf(out, n, "%s", spec);
    if (!tsa_journal_is_pg(spec))
        return;
    /* scheme://user:password@host… → scheme://user:***@host… */
    const char *auth = strstr(spec, "://") + 3;
    const char *at = strchr(auth, '@'), *colon = strchr(auth, ':');
    if (at != NULL && colon != NULL && colon < at)
        snprintf(out, n, "%.*s***%s", (int)(colon + 1 - spec), spec, at);
    /* A password among the parameters: the parameters are left out. */
    char *query = strchr(out, '?');
    if (query != NULL && strstr(query, "password") != NULL)
        snprintf(query, n - (size_t)(query - out), "?***");
}

static int db_fail(sqlite3 *db, int status, const char *what)
{
    return tsa_fail(status, _("journal: %s: %s"), what, db != NULL ? sqlite3_errmsg(db) : "?");
}

int tsa_journal_open(tsa_journal **out, const char *spec)
{
    tsa_journal *j = calloc(1, sizeof *j);
    if (j == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = VBSIG_OK;
    if (tsa_journal_is_pg(spec)) {
        rc = tsa_journal_pg_open(&j->pg, spec);
        goto out;
    }
    if (sqlite3_open_v2(spec, &j->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = tsa_fail(VBSIG_E_IO_WRITE, _("journal %s: cannot open: %s"), spec,
                        j->db != NULL ? sqlite3_errmsg(j->db) : "?");
        goto out;
    }
    sqlite3_busy_timeout(j->db, 5000);
    /* Checkpoints are journal_checkpoint.c's; the writer's own threshold
     * (pages) is only a backstop should that thread fall behind. */
    if (sqlite3_exec(j->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                            " PRAGMA wal_autocheckpoint=16384;",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(j->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_fail(j->db, VBSIG_E_IO_WRITE, spec);
        goto out;
    }
    if (sqlite3_prepare_v2(j->db, "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1", -1,
                           &j->head, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(j->db,
                           "INSERT INTO journal (seq, received, outcome, failure, serial, policy,"
                           " hash_alg, imprint, nonce, peer, token, prev_hash, hash)"
                           " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
                           -1, &j->insert, NULL) != SQLITE_OK)
        rc = db_fail(j->db, VBSIG_E_IO_WRITE, spec);
    if (rc == VBSIG_OK)
        rc = tsa_checkpointer_start(&j->checkpointer, spec);
out:
    if (rc != VBSIG_OK) {
        tsa_journal_close(j);
        return rc;
    }
    *out = j;
    return VBSIG_OK;
}

void tsa_journal_close(tsa_journal *j)
{
    if (j == NULL)
        return;
    tsa_journal_pg_close(j->pg);
    tsa_checkpointer_stop(j->checkpointer);
    sqlite3_finalize(j->head);
    sqlite3_finalize(j->insert);
    sqlite3_close(j->db);
    free(j);
}

static int read_head(tsa_journal *j, int64_t *seq, uint8_t hash[32])
{
    *seq = 0;
    memset(hash, 0, 32);
    sqlite3_reset(j->head);
    int step = sqlite3_step(j->head);
    if (step == SQLITE_DONE)
        return VBSIG_OK;
    if (step != SQLITE_ROW || sqlite3_column_bytes(j->head, 1) != 32)
        return db_fail(j->db, VBSIG_E_IO_WRITE, "reading the last record");
    *seq = sqlite3_column_int64(j->head, 0);
    memcpy(hash, sqlite3_column_blob(j->head, 1), 32);
    sqlite3_reset(j->head);
    return VBSIG_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s != NULL ? s : "", -1, SQLITE_STATIC);
}

static int insert(tsa_journal *j, const tsa_record *r)
{
    sqlite3_stmt *st = j->insert;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, r->seq);
    bind_text(st, 2, r->received);
    bind_text(st, 3, r->outcome);
    bind_text(st, 4, r->failure);
    if (r->serial[0] != '\0')
        bind_text(st, 5, r->serial);
    bind_text(st, 6, r->policy);
    bind_text(st, 7, r->hash_alg);
    bind_text(st, 8, r->imprint);
    bind_text(st, 9, r->nonce);
    bind_text(st, 10, r->peer);
    if (r->token_len > 0)
        sqlite3_bind_blob(st, 11, r->token, (int)r->token_len, SQLITE_STATIC);
    sqlite3_bind_blob(st, 12, r->prev_hash, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 13, r->hash, 32, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_reset(st);
    return step == SQLITE_DONE ? VBSIG_OK : db_fail(j->db, VBSIG_E_IO_WRITE, "writing a record");
}

int tsa_journal_append(tsa_journal *j, tsa_record **recs, size_t n)
{
    if (j->pg != NULL)
        return tsa_journal_pg_append(j->pg, recs, n);
    if (sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(j->db, VBSIG_E_IO_WRITE, "starting a transaction");
    int64_t seq;
    uint8_t prev[32];
    int rc = read_head(j, &seq, prev);
    for (size_t i = 0; rc == VBSIG_OK && i < n; i++) {
        tsa_record *r = recs[i];
        r->seq = ++seq;
        memcpy(r->prev_hash, prev, 32);
        rc = tsa_record_hash(r, r->hash);
        if (rc == VBSIG_OK)
            rc = insert(j, r);
        memcpy(prev, r->hash, 32);
    }
    /* COMMIT is where SQLite fsyncs the WAL: the batch is durable after it. */
    if (rc == VBSIG_OK && sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = db_fail(j->db, VBSIG_E_IO_WRITE, "committing");
    if (rc != VBSIG_OK)
        sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}
