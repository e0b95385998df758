/* vbsig-tsa journal verify|show: read the journal back. verify walks the
 * chain from the first record and stops at the first break. */
#include <ctype.h>
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

static int open_existing(const char *path, sqlite3 **db)
{
    if (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0) {
        fprintf(stderr, "vbsig-tsa: %s\n", _("PostgreSQL journals are not available yet"));
        return TSA_EXIT_UNAVAILABLE;
    }
    /* Read-write without create: a missing file is an error, and SQLite may
     * need to replay a WAL left by a crashed server. */
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "vbsig-tsa: %s: %s\n", path, sqlite3_errmsg(*db));
        sqlite3_close(*db);
        *db = NULL;
        return TSA_EXIT_NOINPUT;
    }
    sqlite3_busy_timeout(*db, 5000);
    return TSA_EXIT_OK;
}

static void hex32(const uint8_t h[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static int verify(const char *path)
{
    sqlite3 *db;
    int code = open_existing(path, &db);
    if (code != TSA_EXIT_OK)
        return code;
    char sql[512];
    snprintf(sql, sizeof sql, "%s ORDER BY seq", select_all);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "vbsig-tsa: %s: %s: %s\n", path, _("not a vbsig-tsa journal"),
                sqlite3_errmsg(db));
        sqlite3_close(db);
        return TSA_EXIT_DATAERR;
    }
    uint8_t last[32] = { 0 };
    int64_t expect = 1, granted = 0, rejected = 0;
    const char *broken = NULL;
    int64_t broken_at = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        tsa_record rec;
        uint8_t prev[32], stored[32], computed[32];
        int rc = read_row(st, &rec, prev, stored);
        broken_at = rec.seq;
        if (rc == VBSIG_E_NOMEM) {
            tsa_record_clear(&rec);
            fprintf(stderr, "vbsig-tsa: %s\n", _("out of memory"));
            code = TSA_EXIT_UNAVAILABLE;
            break;
        }
        if (rc != VBSIG_OK)
            broken = _("a stored hash is not 32 bytes");
        else if (rec.seq != expect)
            broken = rec.seq > expect ? _("records are missing before this one")
                                      : _("sequence number out of order");
        else if (memcmp(prev, last, 32) != 0)
            broken = _("it does not point to the previous record's hash");
        else if (tsa_record_hash(&rec, computed) != VBSIG_OK || memcmp(computed, stored, 32) != 0)
            broken = _("its content does not match its hash (altered)");
        else if (strcmp(rec.outcome, "granted") == 0 && (rec.serial[0] == '\0' || rec.token_len == 0))
            broken = _("a granted record without serial or token");
        if (broken == NULL) {
            memcpy(last, stored, 32);
            expect++;
            if (strcmp(rec.outcome, "granted") == 0)
                granted++;
            else
                rejected++;
        }
        tsa_record_clear(&rec);
        if (broken != NULL)
            break;
    }
    if (broken == NULL && code == TSA_EXIT_OK && step != SQLITE_DONE) {
        fprintf(stderr, "vbsig-tsa: %s: %s\n", path, sqlite3_errmsg(db));
        code = TSA_EXIT_DATAERR;
    }
    sqlite3_finalize(st);
    if (broken == NULL && code == TSA_EXIT_OK) {
        /* The unique index makes duplicates impossible unless it was removed. */
        sqlite3_stmt *dup = NULL;
        if (sqlite3_prepare_v2(db,
                               "SELECT serial FROM journal WHERE serial IS NOT NULL"
                               " GROUP BY serial HAVING COUNT(*) > 1 LIMIT 1",
                               -1, &dup, NULL) == SQLITE_OK &&
            sqlite3_step(dup) == SQLITE_ROW) {
            broken = _("a serial number appears twice");
            broken_at = 0;
        }
        sqlite3_finalize(dup);
    }
    sqlite3_close(db);
    if (code != TSA_EXIT_OK)
        return code;
    if (broken != NULL) {
        fprintf(stderr, "vbsig-tsa: %s: %s %lld: %s\n", path, _("journal chain broken at record"),
                (long long)broken_at, broken);
        return TSA_EXIT_BROKEN;
    }
    char head[65] = "none";
    if (expect > 1)
        hex32(last, head);
    printf(_("journal OK: %lld records (%lld granted, %lld rejections), head %s\n"),
           (long long)(expect - 1), (long long)granted, (long long)rejected, head);
    return TSA_EXIT_OK;
}

/* "0x00AbC1" → "ABC1", as BN_bn2hex writes serials. */
static int normalise_serial(const char *in, char *out, size_t n)
{
    if (strncmp(in, "0x", 2) == 0 || strncmp(in, "0X", 2) == 0)
        in += 2;
    while (*in == '0' && in[1] != '\0')
        in++;
    size_t i = 0;
    for (; in[i] != '\0'; i++) {
        if (!isxdigit((unsigned char)in[i]) || i + 1 >= n)
            return -1;
        out[i] = (char)toupper((unsigned char)in[i]);
    }
    out[i] = '\0';
    return i > 0 ? 0 : -1;
}

static int show(const char *path, const char *serial_arg)
{
    char serial[80];
    if (normalise_serial(serial_arg, serial, sizeof serial) != 0) {
        fprintf(stderr, "vbsig-tsa: --serial: %s '%s'\n", _("not a hexadecimal serial number"),
                serial_arg);
        return TSA_EXIT_USAGE;
    }
    sqlite3 *db;
    int code = open_existing(path, &db);
    if (code != TSA_EXIT_OK)
        return code;
    char sql[512];
    snprintf(sql, sizeof sql, "%s WHERE serial = ?1", select_all);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "vbsig-tsa: %s: %s\n", path, _("not a vbsig-tsa journal"));
        sqlite3_close(db);
        return TSA_EXIT_DATAERR;
    }
    sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        fprintf(stderr, "vbsig-tsa: %s: %s %s\n", path, _("no record with serial"), serial);
        code = TSA_EXIT_BROKEN;
    } else {
        tsa_record rec;
        uint8_t prev[32], hash[32];
        if (read_row(st, &rec, prev, hash) != VBSIG_OK) {
            fprintf(stderr, "vbsig-tsa: %s: %s\n", path, _("unreadable record"));
            code = TSA_EXIT_DATAERR;
        } else {
            char prev_hex[65], hash_hex[65], *token_b64 = NULL;
            hex32(prev, prev_hex);
            hex32(hash, hash_hex);
            size_t b64_len;
            if (vbsig_base64_encode(rec.token, rec.token_len, &token_b64, &b64_len) != VBSIG_OK)
                token_b64 = NULL;
            printf("seq: %lld\nreceived: %s\noutcome: %s\nserial: %s\npolicy: %s\n"
                   "hash_alg: %s\nimprint: %s\nnonce: %s\npeer: %s\nprev_hash: %s\nhash: %s\n"
                   "token: %s\n",
                   (long long)rec.seq, rec.received, rec.outcome, rec.serial, rec.policy,
                   rec.hash_alg, rec.imprint, rec.nonce, rec.peer, prev_hex, hash_hex,
                   token_b64 != NULL ? token_b64 : "");
            free(token_b64);
        }
        tsa_record_clear(&rec);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return code;
}

int tsa_journal_command(int argc, char **argv)
{
    const char *journal = NULL, *serial = NULL, *action = argc > 1 ? argv[1] : NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--journal") == 0 && i + 1 < argc)
            journal = argv[++i];
        else if (strcmp(argv[i], "--serial") == 0 && i + 1 < argc)
            serial = argv[++i];
        else {
            fprintf(stderr, "vbsig-tsa: journal: %s '%s'\n", _("unexpected argument"), argv[i]);
            return TSA_EXIT_USAGE;
        }
    }
    if (action == NULL || journal == NULL) {
        fprintf(stderr, "vbsig-tsa: %s\n",
                _("usage: vbsig-tsa journal verify --journal PATH | journal show --journal PATH "
                  "--serial HEX"));
        return TSA_EXIT_USAGE;
    }
    if (strcmp(action, "verify") == 0 && serial == NULL)
        return verify(journal);
    if (strcmp(action, "show") == 0 && serial != NULL)
        return show(journal, serial);
    fprintf(stderr, "vbsig-tsa: %s\n",
            _("usage: vbsig-tsa journal verify --journal PATH | journal show --journal PATH "
              "--serial HEX"));
    return TSA_EXIT_USAGE;
}
