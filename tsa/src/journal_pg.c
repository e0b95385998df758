/* The journal in PostgreSQL, for several instances sharing one chain.
 * Every batch is one transaction: it locks the table against other
 * appenders, reads the chain's head, inserts the records chained to it and
 * commits with synchronous_commit on, so COMMIT returns only once the
 * server has flushed its WAL: the records are durable before any reply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_pg.h"
#include "tsa.h"

struct tsa_journal_pg {
    PGconn *conn;
    char where[128]; /* the URI without its password */
};

const char *tsa_pg_error(PGconn *conn, char *buf, size_t n)
{
    snprintf(buf, n, "%s", conn != NULL ? PQerrorMessage(conn) : "?");
    size_t len = strlen(buf);
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
    return buf;
}

int tsa_pg_connect(const char *uri, PGconn **out)
{
    char where[128], why[512];
    tsa_journal_redact(uri, where, sizeof where);
    /* A bound on the connection attempt unless the URI sets its own
     * (entries before an expanded dbname are overridden by the URI). */
    const char *keys[] = { "connect_timeout", "dbname", NULL };
    const char *values[] = { "10", uri, NULL };
    PGconn *conn = PQconnectdbParams(keys, values, 1);
    if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
        int rc = tsa_fail(VBSIG_E_UNAVAILABLE, _("journal %s: cannot connect: %s"), where,
                            tsa_pg_error(conn, why, sizeof why));
        PQfinish(conn);
        return rc;
    }
    *out = conn;
    return VBSIG_OK;
}

static int pg_fail(tsa_journal_pg *j, const char *what)
{
    char why[512];
    return tsa_fail(VBSIG_E_IO_WRITE, _("journal %s: %s: %s"), j->where, what,
                      tsa_pg_error(j->conn, why, sizeof why));
}

static int exec_ok(tsa_journal_pg *j, const char *sql)
{
    PGresult *res = PQexec(j->conn, sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    return ok;
}

/* What every session needs: durable commits, the table, the head query. */
static int session_setup(tsa_journal_pg *j)
{
    if (!exec_ok(j, "SET synchronous_commit TO on"))
        return pg_fail(j, "synchronous_commit");
    /* Two instances starting together may race on CREATE TABLE: once more. */
    if (!exec_ok(j, TSA_PG_SCHEMA) && !exec_ok(j, TSA_PG_SCHEMA))
        return pg_fail(j, _("creating the table"));
    PGresult *a = PQprepare(j->conn, "head", "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
                            0, NULL);
    int ok = PQresultStatus(a) == PGRES_COMMAND_OK;
    PQclear(a);
    return ok ? VBSIG_OK : pg_fail(j, _("preparing statements"));
}

int tsa_journal_pg_open(tsa_journal_pg **out, const char *uri)
{
    tsa_journal_pg *j = calloc(1, sizeof *j);
    if (j == NULL)
        return tsa_fail(VBSIG_E_NOMEM, _("out of memory"));
    tsa_journal_redact(uri, j->where, sizeof j->where);
    int rc = tsa_pg_connect(uri, &j->conn);
    if (rc == VBSIG_OK)
        rc = session_setup(j);
    if (rc != VBSIG_OK) {
        tsa_journal_pg_close(j);
        return rc;
    }
    *out = j;
    return VBSIG_OK;
}

void tsa_journal_pg_close(tsa_journal_pg *j)
{
    if (j == NULL)
        return;
    PQfinish(j->conn);
    free(j);
}

static int read_head(tsa_journal_pg *j, int64_t *seq, uint8_t hash[32])
{
    *seq = 0;
    memset(hash, 0, 32);
    PGresult *res = PQexecPrepared(j->conn, "head", 0, NULL, NULL, NULL, 0);
    int rc = VBSIG_OK;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = pg_fail(j, _("reading the last record"));
    } else if (PQntuples(res) == 1) {
        *seq = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        size_t len = 0;
        unsigned char *h = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 1), &len);
        if (h == NULL || len != 32)
            rc = tsa_fail(VBSIG_E_IO_WRITE, _("journal %s: the last record's hash is not 32 bytes"),
                            j->where);
        else
            memcpy(hash, h, 32);
        PQfreemem(h);
    }
    PQclear(res);
    return rc;
}

#define PG_COLUMNS 13
#define PG_ROWS_PER_INSERT 64

/* Records [0, n) in one multi-row INSERT (n ≤ PG_ROWS_PER_INSERT): one
 * round trip to the server instead of one per record. */
static int insert_rows(tsa_journal_pg *j, tsa_record **recs, size_t n)
{
    const char *values[PG_COLUMNS * PG_ROWS_PER_INSERT];
    int lengths[PG_COLUMNS * PG_ROWS_PER_INSERT] = { 0 };
    int formats[PG_COLUMNS * PG_ROWS_PER_INSERT] = { 0 };
    char seqs[PG_ROWS_PER_INSERT][24];
    char sql[256 + PG_ROWS_PER_INSERT * 96];
    size_t used = (size_t)snprintf(sql, sizeof sql,
                                   "INSERT INTO journal (seq, received, outcome, failure, serial,"
                                   " policy, hash_alg, imprint, nonce, peer, token, prev_hash, hash)"
                                   " VALUES ");
    for (size_t i = 0; i < n; i++) {
        const tsa_record *r = recs[i];
        const char **v = values + PG_COLUMNS * i;
        int *len = lengths + PG_COLUMNS * i, *fmt = formats + PG_COLUMNS * i;
        snprintf(seqs[i], sizeof seqs[i], "%lld", (long long)r->seq);
        v[0] = seqs[i];
        v[1] = r->received;
        v[2] = r->outcome;
        v[3] = r->failure;
        v[4] = r->serial[0] != '\0' ? r->serial : NULL;
        v[5] = r->policy;
        v[6] = r->hash_alg;
        v[7] = r->imprint != NULL ? r->imprint : "";
        v[8] = r->nonce != NULL ? r->nonce : "";
        v[9] = r->peer;
        v[10] = r->token_len > 0 ? (const char *)r->token : NULL;
        v[11] = (const char *)r->prev_hash;
        v[12] = (const char *)r->hash;
        len[10] = (int)r->token_len;
        len[11] = len[12] = 32;
        fmt[10] = fmt[11] = fmt[12] = 1; /* bytea in binary */
        int p = (int)(PG_COLUMNS * i);
        used += (size_t)snprintf(sql + used, sizeof sql - used,
                                 "%s($%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d)",
                                 i > 0 ? "," : "", p + 1, p + 2, p + 3, p + 4, p + 5, p + 6,
                                 p + 7, p + 8, p + 9, p + 10, p + 11, p + 12, p + 13);
    }
    PGresult *res = PQexecParams(j->conn, sql, (int)(PG_COLUMNS * n), NULL, values, lengths,
                                 formats, 0);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    return ok ? VBSIG_OK : pg_fail(j, _("writing a record"));
}

int tsa_journal_pg_append(tsa_journal_pg *j, tsa_record **recs, size_t n)
{
    if (PQstatus(j->conn) != CONNECTION_OK) {
        /* The server restarted or the link broke: one new session. */
        PQreset(j->conn);
        if (PQstatus(j->conn) != CONNECTION_OK)
            return pg_fail(j, _("reconnecting"));
        int rc = session_setup(j);
        if (rc != VBSIG_OK)
            return rc;
    }
    /* Appenders take turns, so instances sharing the table form one chain;
     * readers are not blocked. One round trip for both statements. */
    int rc = exec_ok(j, "BEGIN; LOCK TABLE journal IN SHARE ROW EXCLUSIVE MODE")
                 ? VBSIG_OK
                 : pg_fail(j, _("locking the table"));
    int64_t seq = 0;
    uint8_t prev[32];
    if (rc == VBSIG_OK)
        rc = read_head(j, &seq, prev);
    for (size_t i = 0; rc == VBSIG_OK && i < n; i++) {
        tsa_record *r = recs[i];
        r->seq = ++seq;
        memcpy(r->prev_hash, prev, 32);
        rc = tsa_record_hash(r, r->hash);
        memcpy(prev, r->hash, 32);
    }
    for (size_t at = 0; rc == VBSIG_OK && at < n; at += PG_ROWS_PER_INSERT)
        rc = insert_rows(j, recs + at, n - at < PG_ROWS_PER_INSERT ? n - at : PG_ROWS_PER_INSERT);
    /* With synchronous_commit on, COMMIT returns once the WAL is flushed. */
    if (rc == VBSIG_OK && !exec_ok(j, "COMMIT"))
        rc = pg_fail(j, _("committing"));
    if (rc != VBSIG_OK)
        exec_ok(j, "ROLLBACK");
    return rc;
}
