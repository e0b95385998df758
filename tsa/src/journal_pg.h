/* Shared by the PostgreSQL journal writer and reader. */
#ifndef VBSIG_TSA_JOURNAL_PG_H
#define VBSIG_TSA_JOURNAL_PG_H

#include <libpq-fe.h>

/* The journal table; the same columns as the SQLite one. */
#define TSA_PG_SCHEMA                                                                              \
    "CREATE TABLE IF NOT EXISTS journal ("                                                         \
    " seq BIGINT PRIMARY KEY,"                                                                     \
    " received TEXT NOT NULL, outcome TEXT NOT NULL, failure TEXT NOT NULL,"                       \
    " serial TEXT UNIQUE, policy TEXT NOT NULL, hash_alg TEXT NOT NULL, imprint TEXT NOT NULL,"    \
    " nonce TEXT NOT NULL, peer TEXT NOT NULL, token BYTEA,"                                       \
    " prev_hash BYTEA NOT NULL, hash BYTEA NOT NULL)"

/* Connects (bounded by connect_timeout) or fails with VBSIG_E_UNAVAILABLE
 * and a message naming the journal without its password. */
int tsa_pg_connect(const char *uri, PGconn **out);
/* The server's message without its trailing newline. */
const char *tsa_pg_error(PGconn *conn, char *buf, size_t n);

#endif
