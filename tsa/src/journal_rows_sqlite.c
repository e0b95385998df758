/* Reading an SQLite journal back, row by row, for journal verify|show. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "tsa.h"

static const char select_all[] =
    "SELECT seq, received, outcome, failure, serial, policy, hash_alg, imprint, nonce, peer,"
    " token, prev_hash, hash FROM journal";

static void copy_col(sqlite3_stmt *st, int i, char *buf, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(buf, n, "%s", t != NULL ? (const char *)t : "");
}

static char *dup_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return strdup(t != NULL ? (const char *)t : "");
}

/* Reads a row into rec; the stored hashes go to stored_prev/stored_hash. */
static int read_row(sqlite3_stmt *st, tsa_record *rec, uint8_t stored_prev[32],
                    uint8_t stored_hash[32])
{
    tsa_record_init(rec);
    rec->seq = sqlite3_column_int64(st, 0);
    copy_col(st, 1, rec->received, sizeof rec->received);
    copy_col(st, 2, rec->outcome, sizeof rec->outcome);
    copy_col(st, 3, rec->failure, sizeof rec->failure);
    copy_col(st, 4, rec->serial, sizeof rec->serial);
    copy_col(st, 5, rec->policy, sizeof rec->policy);
    copy_col(st, 6, rec->hash_alg, sizeof rec->hash_alg);
    rec->imprint = dup_col(st, 7);
    rec->nonce = dup_col(st, 8);
    copy_col(st, 9, rec->peer, sizeof rec->peer);
    int token_len = sqlite3_column_bytes(st, 10);
    if (token_len > 0) {
        rec->token = malloc((size_t)token_len);
        if (rec->token == NULL)
            return VBSIG_E_NOMEM;
        memcpy(rec->token, sqlite3_column_blob(st, 10), (size_t)token_len);
        rec->token_len = (size_t)token_len;
    }
    if (rec->imprint == NULL || rec->nonce == NULL)
        return VBSIG_E_NOMEM;
    if (sqlite3_column_bytes(st, 11) != 32 || sqlite3_column_bytes(st, 12) != 32)
        return VBSIG_E_MALFORMED;
    memcpy(stored_prev, sqlite3_column_blob(st, 11), 32);
    memcpy(stored_hash, sqlite3_column_blob(st, 12), 32);
    memcpy(rec->prev_hash, stored_prev, 32);
    return VBSIG_OK;
}

typedef struct sqlite_rows {
    sqlite3 *db;
    sqlite3_stmt *all;
    char *path;
} sqlite_rows;

static int rows_fail(sqlite_rows *r, int status)
{
    return tsa_fail(status, "%s: %s", r->path, sqlite3_errmsg(r->db));
}

static int sqlite_next(void *impl, tsa_record *rec, uint8_t prev[32], uint8_t hash[32], int *got)
{
    sqlite_rows *r = impl;
    *got = 0;
    int step = sqlite3_step(r->all);
    if (step == SQLITE_DONE)
        return VBSIG_OK;
    if (step != SQLITE_ROW)
        return rows_fail(r, VBSIG_E_MALFORMED);
    *got = 1;
    return read_row(r->all, rec, prev, hash);
}

static int sqlite_find(void *impl, const char *serial, tsa_record *rec, uint8_t prev[32],
                       uint8_t hash[32], int *got)
{
    sqlite_rows *r = impl;
    *got = 0;
    char sql[512];
    snprintf(sql, sizeof sql, "%s WHERE serial = ?1", select_all);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK)
        return tsa_fail(VBSIG_E_MALFORMED, "%s", _("not a vbsig-tsa journal"));
    sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
    int rc = VBSIG_OK;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *got = 1;
        rc = read_row(st, rec, prev, hash);
    }
    sqlite3_finalize(st);
    return rc;
}

static int sqlite_duplicate_serial(void *impl)
{
    sqlite_rows *r = impl;
    sqlite3_stmt *dup = NULL;
    int found = sqlite3_prepare_v2(r->db,
                                   "SELECT serial FROM journal WHERE serial IS NOT NULL"
                                   " GROUP BY serial HAVING COUNT(*) > 1 LIMIT 1",
                                   -1, &dup, NULL) == SQLITE_OK &&
                sqlite3_step(dup) == SQLITE_ROW;
    sqlite3_finalize(dup);
    return found;
}

static void sqlite_close(void *impl)
{
    sqlite_rows *r = impl;
    sqlite3_finalize(r->all);
    sqlite3_close(r->db);
    free(r->path);
    free(r);
}

int tsa_journal_sqlite_rows_open(tsa_journal_rows *rows, const char *path)
{
    sqlite_rows *r = calloc(1, sizeof *r);
    if (r == NULL || (r->path = strdup(path)) == NULL) {
        free(r);
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    /* Read-write without create: a missing file is an error, and SQLite may
     * need to replay a WAL left by a crashed server. */
    if (sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        int rc = rows_fail(r, VBSIG_E_IO_READ);
        sqlite_close(r);
        return rc;
    }
    sqlite3_busy_timeout(r->db, 5000);
    char sql[512];
    snprintf(sql, sizeof sql, "%s ORDER BY seq", select_all);
    if (sqlite3_prepare_v2(r->db, sql, -1, &r->all, NULL) != SQLITE_OK) {
        int rc = tsa_fail(VBSIG_E_MALFORMED, "%s: %s: %s", path, _("not a vbsig-tsa journal"),
                            sqlite3_errmsg(r->db));
        sqlite_close(r);
        return rc;
    }
    *rows = (tsa_journal_rows){ r, sqlite_next, sqlite_find, sqlite_duplicate_serial, sqlite_close };
    return VBSIG_OK;
}
