/* Reading a PostgreSQL journal back for journal verify|show. The walk
 * streams rows in single-row mode, so a long journal is never held in
 * memory at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_pg.h"
#include "tsa.h"

#define SELECT_ALL                                                                                 \
    "SELECT seq, received, outcome, failure, serial, policy, hash_alg, imprint, nonce, peer,"     \
    " token, prev_hash, hash FROM journal"

typedef struct pg_rows {
    PGconn *conn;
    int streaming; /* the ordered walk has been sent */
    int done;
} pg_rows;

static int query_fail(pg_rows *r, int status)
{
    char why[512];
    return tsa_fail(status, "%s: %s", _("not a vbsig-tsa journal"),
                      tsa_pg_error(r->conn, why, sizeof why));
}

static void copy_text(const PGresult *res, int col, char *buf, size_t n)
{
    snprintf(buf, n, "%s", PQgetisnull(res, 0, col) ? "" : PQgetvalue(res, 0, col));
}

/* A bytea column into *out (malloc'ed), its length into *len. */
static int copy_bytes(const PGresult *res, int col, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (PQgetisnull(res, 0, col))
        return VBSIG_OK;
    size_t n = 0;
    unsigned char *p = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, col), &n);
    if (p == NULL)
        return VBSIG_E_NOMEM;
    if (n > 0 && (*out = malloc(n)) == NULL) {
        PQfreemem(p);
        return VBSIG_E_NOMEM;
    }
    if (n > 0)
        memcpy(*out, p, n);
    *len = n;
    PQfreemem(p);
    return VBSIG_OK;
}

static int read_row(const PGresult *res, tsa_record *rec, uint8_t prev[32], uint8_t hash[32])
{
    tsa_record_init(rec);
    rec->seq = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    copy_text(res, 1, rec->received, sizeof rec->received);
    copy_text(res, 2, rec->outcome, sizeof rec->outcome);
    copy_text(res, 3, rec->failure, sizeof rec->failure);
    copy_text(res, 4, rec->serial, sizeof rec->serial);
    copy_text(res, 5, rec->policy, sizeof rec->policy);
    copy_text(res, 6, rec->hash_alg, sizeof rec->hash_alg);
    rec->imprint = strdup(PQgetvalue(res, 0, 7));
    rec->nonce = strdup(PQgetvalue(res, 0, 8));
    copy_text(res, 9, rec->peer, sizeof rec->peer);
    if (rec->imprint == NULL || rec->nonce == NULL)
        return VBSIG_E_NOMEM;
    uint8_t *p = NULL, *h = NULL;
    size_t plen = 0, hlen = 0;
    int rc = copy_bytes(res, 10, &rec->token, &rec->token_len);
    if (rc == VBSIG_OK)
        rc = copy_bytes(res, 11, &p, &plen);
    if (rc == VBSIG_OK)
        rc = copy_bytes(res, 12, &h, &hlen);
    if (rc == VBSIG_OK && (plen != 32 || hlen != 32))
        rc = VBSIG_E_MALFORMED;
    if (rc == VBSIG_OK) {
        memcpy(prev, p, 32);
        memcpy(hash, h, 32);
        memcpy(rec->prev_hash, p, 32);
    }
    free(p);
    free(h);
    return rc;
}

static void drain(pg_rows *r)
{
    PGresult *res;
    while ((res = PQgetResult(r->conn)) != NULL)
        PQclear(res);
}

static int pg_next(void *impl, tsa_record *rec, uint8_t prev[32], uint8_t hash[32], int *got)
{
    pg_rows *r = impl;
    *got = 0;
    if (r->done)
        return VBSIG_OK;
    if (!r->streaming) {
        if (!PQsendQuery(r->conn, SELECT_ALL " ORDER BY seq") || !PQsetSingleRowMode(r->conn))
            return query_fail(r, VBSIG_E_MALFORMED);
        r->streaming = 1;
    }
    PGresult *res = PQgetResult(r->conn);
    ExecStatusType st = PQresultStatus(res);
    int rc = VBSIG_OK;
    if (st == PGRES_SINGLE_TUPLE) {
        *got = 1;
        rc = read_row(res, rec, prev, hash);
    } else {
        r->done = 1;
        if (st != PGRES_TUPLES_OK)
            rc = query_fail(r, VBSIG_E_MALFORMED);
    }
    PQclear(res);
    if (r->done)
        drain(r);
    return rc;
}

static int pg_find(void *impl, const char *serial, tsa_record *rec, uint8_t prev[32],
                   uint8_t hash[32], int *got)
{
    pg_rows *r = impl;
    *got = 0;
    const char *values[1] = { serial };
    PGresult *res = PQexecParams(r->conn, SELECT_ALL " WHERE serial = $1", 1, NULL, values, NULL,
                                 NULL, 0);
    int rc = VBSIG_OK;
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        rc = query_fail(r, VBSIG_E_MALFORMED);
    else if (PQntuples(res) == 1) {
        *got = 1;
        rc = read_row(res, rec, prev, hash);
    }
    PQclear(res);
    return rc;
}

static int pg_duplicate_serial(void *impl)
{
    pg_rows *r = impl;
    PGresult *res = PQexec(r->conn, "SELECT serial FROM journal WHERE serial IS NOT NULL"
                                    " GROUP BY serial HAVING COUNT(*) > 1 LIMIT 1");
    int found = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0;
    PQclear(res);
    return found;
}

static void pg_close(void *impl)
{
    pg_rows *r = impl;
    PQfinish(r->conn);
    free(r);
}

int tsa_journal_pg_rows_open(tsa_journal_rows *rows, const char *uri)
{
    pg_rows *r = calloc(1, sizeof *r);
    if (r == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    int rc = tsa_pg_connect(uri, &r->conn);
    if (rc != VBSIG_OK) {
        free(r);
        return rc;
    }
    /* A database without the table is not a journal (and is not created). */
    PGresult *res = PQexec(r->conn, SELECT_ALL " LIMIT 0");
    int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    PQclear(res);
    if (!ok) {
        rc = query_fail(r, VBSIG_E_MALFORMED);
        pg_close(r);
        return rc;
    }
    *rows = (tsa_journal_rows){ r, pg_next, pg_find, pg_duplicate_serial, pg_close };
    return VBSIG_OK;
}
