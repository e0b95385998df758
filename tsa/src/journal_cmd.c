/* vbsig-tsa journal verify|show: read the journal back, from SQLite or
 * PostgreSQL. verify walks the chain from the first record and stops at
 * the first break. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsa.h"

static void hex32(const uint8_t h[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static int open_rows(const char *spec, tsa_journal_rows *rows)
{
    int rc = tsa_journal_is_pg(spec) ? tsa_journal_pg_rows_open(rows, spec)
                                     : tsa_journal_sqlite_rows_open(rows, spec);
    if (rc != VBSIG_OK) {
        fprintf(stderr, "vbsig-tsa: %s\n", vbsig_last_error());
        return tsa_exit_for_status(rc);
    }
    return TSA_EXIT_OK;
}

static int verify(const char *path)
{
    tsa_journal_rows rows;
    int code = open_rows(path, &rows);
    if (code != TSA_EXIT_OK)
        return code;
    char where[128];
    tsa_journal_redact(path, where, sizeof where);
    uint8_t last[32] = { 0 };
    int64_t expect = 1, granted = 0, rejected = 0;
    const char *broken = NULL;
    int64_t broken_at = 0;
    for (;;) {
        tsa_record rec;
        uint8_t prev[32], stored[32], computed[32];
        int got = 0;
        int rc = rows.next(rows.impl, &rec, prev, stored, &got);
        if (!got) {
            if (rc != VBSIG_OK) {
                fprintf(stderr, "vbsig-tsa: %s: %s\n", where, vbsig_last_error());
                code = rc == VBSIG_E_NOMEM ? TSA_EXIT_UNAVAILABLE : TSA_EXIT_DATAERR;
            }
            break;
        }
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
    /* The unique index makes duplicates impossible unless it was removed. */
    if (broken == NULL && code == TSA_EXIT_OK && rows.duplicate_serial(rows.impl)) {
        broken = _("a serial number appears twice");
        broken_at = 0;
    }
    rows.close(rows.impl);
    if (code != TSA_EXIT_OK)
        return code;
    if (broken != NULL) {
        fprintf(stderr, "vbsig-tsa: %s: %s %lld: %s\n", where, _("journal chain broken at record"),
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
    tsa_journal_rows rows;
    int code = open_rows(path, &rows);
    if (code != TSA_EXIT_OK)
        return code;
    char where[128];
    tsa_journal_redact(path, where, sizeof where);
    tsa_record rec;
    uint8_t prev[32], hash[32];
    int got = 0;
    int rc = rows.find(rows.impl, serial, &rec, prev, hash, &got);
    if (!got && rc != VBSIG_OK) {
        fprintf(stderr, "vbsig-tsa: %s: %s\n", where, vbsig_last_error());
        code = TSA_EXIT_DATAERR;
    } else if (!got) {
        fprintf(stderr, "vbsig-tsa: %s: %s %s\n", where, _("no record with serial"), serial);
        code = TSA_EXIT_BROKEN;
    } else {
        if (rc != VBSIG_OK) {
            fprintf(stderr, "vbsig-tsa: %s: %s\n", where, _("unreadable record"));
            code = TSA_EXIT_DATAERR;
        } else {
            char prev_hex[65], hash_hex[65], *token_b64 = NULL;
            hex32(prev, prev_hex);
            hex32(hash, hash_hex);
            if (tsa_base64(rec.token, rec.token_len, &token_b64) != VBSIG_OK)
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
    rows.close(rows.impl);
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
