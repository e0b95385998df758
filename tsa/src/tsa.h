/* vbsig-tsa: the pieces of the timestamp server and how they meet.
 *
 * A request travels: http (body collected, connection suspended) → workers
 * (issuer checks it and writes the TSTInfo, token signs it through the
 * vbsig_signer of any kind of key) → journal writer (group commit,
 * hash chain) → http (connection resumed, reply sent). A reply therefore
 * never leaves before its journal record is durable. */
#ifndef VBSIG_TSA_H
#define VBSIG_TSA_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <libintl.h>

#include "vbsig/status.h"
#include "vbsig/signer.h"
#include "vbsig/tsp_issue.h"

/* ---- shared helpers (tsa_util.c) ----
 * The server uses the library only through its public API; these are the
 * few general helpers it needs beside it. Messages use the library's
 * "vbsig" catalogue, so one po/vi.po translates both. */
#define _(s) dgettext("vbsig", s)
#define N_(s) (s)
void tsa_i18n_init(void);
/* Sets the thread's message (vbsig_last_error) and returns status. */
int tsa_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same, with ": <first OpenSSL error reason>" appended; clears OpenSSL's queue. */
int tsa_fail_ssl(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tsa_error_clear(void);
/* A growing byte buffer for replies and texts; data is not NUL-terminated. */
typedef struct tsa_text {
    uint8_t *data;
    size_t len, cap;
} tsa_text;
void tsa_text_init(tsa_text *b);
void tsa_text_free(tsa_text *b);
int tsa_text_append(tsa_text *b, const void *p, size_t n);
int tsa_text_append_str(tsa_text *b, const char *s);
int tsa_text_printf(tsa_text *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A whole file (at most max bytes) into *out (malloc'ed). */
int tsa_read_file(const char *path, size_t max, uint8_t **out, size_t *len);
/* ISO 8601 UTC with seconds ("2026-12-07T10:00:00Z"); "" if it cannot be shown. */
void tsa_time_utc(time_t t, char buf[32]);
/* Standard base64 of in, NUL-terminated, malloc'ed. */
int tsa_base64(const uint8_t *in, size_t n, char **out);

/* Largest request body accepted: a TimeStampReq with a SHA-512 imprint, a
 * 160-bit nonce and a policy is well under 200 bytes. */
#define TSA_MAX_BODY 4096
/* Bodies beyond this are not even read to the end: the connection is closed. */
#define TSA_DISCARD_LIMIT (64 * 1024)

/* Exit codes shared with the vbsig CLI (cli-contract.md). */
enum { TSA_EXIT_OK = 0, TSA_EXIT_BROKEN = 1, TSA_EXIT_USAGE = 64, TSA_EXIT_DATAERR = 65,
       TSA_EXIT_NOINPUT = 66, TSA_EXIT_UNAVAILABLE = 69, TSA_EXIT_SOFTWARE = 70,
       TSA_EXIT_CANTCREAT = 74,
       TSA_EXIT_NOPERM = 77 };
int tsa_exit_for_status(int status);

/* ---- configuration (config.c) ---- */
typedef struct tsa_config {
    char *listen;             /* "ADDR:PORT" or "[V6ADDR]:PORT" */
    char *key;                /* key file, PKCS#12 file or pkcs11: URI */
    char *pass;               /* secret source for a key file or PKCS#12 */
    char *pin;                /* secret source for a PKCS#11 token */
    char *module;             /* PKCS#11 module path (else the URI's module-path=, else p11-kit) */
    char *cert;
    char *chain;
    char *policy;             /* default policy OID */
    char **accept_policies;   /* further policies a request may ask for */
    size_t n_accept_policies;
    unsigned accuracy_ms;     /* declared accuracy */
    unsigned max_clock_error_ms; /* bound on the kernel's esterror/maxerror; 0: the accuracy */
    char *journal;
    char *hashes;             /* comma-separated imprint algorithms accepted */
    unsigned threads;         /* signing workers */
    int allow_unsynced_clock;
    unsigned max_connections; /* open connections beyond this get 503 */
    unsigned max_queue;       /* requests in flight (queued, signing, journaling) beyond this get 503 */
    unsigned timeout_s;       /* idle connection timeout */
    unsigned health_interval_s; /* seconds between the key prober's test signatures */
    char *drain_file;         /* its appearing starts a drain, like SIGUSR1 */
    unsigned drain_timeout_s; /* a drain waiting longer for requests in flight gives up */
} tsa_config;

void tsa_config_init(tsa_config *c);
void tsa_config_free(tsa_config *c);
/* Reads --config FILE (if given) then the command line over it. */
int tsa_config_load(tsa_config *c, int argc, char **argv);
/* Checks that what a server needs is present and consistent. */
int tsa_config_check(const tsa_config *c);
/* Fills the defaults that follow other settings (after a successful check). */
void tsa_config_settle(tsa_config *c);

/* ---- key material (key_load.c) ---- */
typedef struct tsa_key_health tsa_key_health;
typedef struct tsa_keys {
    /* A key file, PKCS#12 file or PKCS#11 token key, with its certificate
     * and chain (shipped with tokens on certReq). */
    vbsig_signer *signer;
    time_t not_before, not_after;
    tsa_key_health *health; /* told every request's signing outcome; NULL: nobody listens */
} tsa_keys;
int tsa_keys_load(tsa_keys *k, const tsa_config *c);
void tsa_keys_free(tsa_keys *k);

/* ---- is the key still signing? (key_health.c) ---- */
typedef enum tsa_key_state {
    TSA_KEY_OK = 0,
    TSA_KEY_CERT_NOT_VALID,  /* outside the certificate's validity period */
    TSA_KEY_SIGNING_FAILED,  /* the last signature (test or request) failed */
    TSA_KEY_NOT_RESPONDING   /* a test signature has been running past its deadline */
} tsa_key_state;
typedef struct tsa_key_report {
    tsa_key_state state;
    char error[256];         /* why not ok; "" when ok */
    char checked_at[32];     /* ISO 8601 UTC: the last signature that came back */
    char failing_since[32];  /* ISO 8601 UTC; "" when ok or only the certificate is wrong */
    unsigned long long probes, failed_probes;
} tsa_key_report;
/* Starts the prober thread: a test signature (tsa_key_probe) every
 * interval_s seconds (vbsig_signer_probe); a probe running longer than
 * 2 × interval_s + 10 s makes the key "not-responding". k's signer must
 * outlive it. */
int tsa_key_health_start(tsa_key_health **out, const tsa_keys *k, unsigned interval_s);
/* Stops and joins the prober (waiting for a probe in progress to return). */
void tsa_key_health_stop(tsa_key_health *kh);
/* A request's signing outcome (status of vbsig_signer_sign_digest, its
 * message still in vbsig_last_error()): a failure marks the key failing at
 * once, a success marks it ok. kh may be NULL. */
void tsa_key_health_note(tsa_key_health *kh, int status);
/* The state now; logs key-unhealthy / key-healthy when it changed. */
void tsa_key_health_read(tsa_key_health *kh, tsa_key_report *out);
const char *tsa_key_state_name(tsa_key_state s);

/* ---- the clock (clock.c) ---- */
typedef enum tsa_clock_state {
    TSA_CLOCK_SYNCED = 0,
    TSA_CLOCK_UNSYNCED,     /* the kernel says it is not synchronised */
    TSA_CLOCK_INACCURATE,   /* synchronised, but esterror or maxerror above the bound */
    TSA_CLOCK_LEAP          /* inside a leap second: the time is ambiguous */
} tsa_clock_state;
/* One ntp_adjtime() reading. */
typedef struct tsa_clock_reading {
    int rc;          /* TIME_OK … TIME_ERROR, or -1 */
    int status;      /* STA_* */
    long maxerror_us, esterror_us, offset_us;
} tsa_clock_reading;
/* max_error_ms: the bound on the kernel's esterror and maxerror
 * (--max-clock-error, never above the declared accuracy). */
void tsa_clock_init(unsigned max_error_ms, int allow_unsynced);
unsigned tsa_clock_bound_ms(void);
/* Asks the kernel; logs every change of state. out may be NULL. */
tsa_clock_state tsa_clock_check(tsa_clock_reading *out);
/* The state a reading means, given the bound (clock_judge.c). */
tsa_clock_state tsa_clock_judge(const tsa_clock_reading *r, long bound_us);
/* Whether tokens may be issued in this state (allow_unsynced lifts
 * UNSYNCED and INACCURATE, never LEAP). */
int tsa_clock_usable(tsa_clock_state s);
const char *tsa_clock_state_name(tsa_clock_state s);

/* ---- journal records (journal_record.c) ---- */
typedef struct tsa_record {
    int64_t seq;
    char received[40];   /* the request's time, ISO 8601 UTC with milliseconds */
    char outcome[16];    /* "granted" | "rejection" */
    char failure[64];    /* PKIFailureInfo name(s); "" when granted */
    char serial[80];     /* upper-case hex; "" on rejection */
    char policy[80];
    char hash_alg[24];
    char *imprint;       /* hex; malloc'ed */
    char *nonce;         /* hex; malloc'ed; "" without a nonce */
    char peer[64];
    uint8_t *token;      /* DER TimeStampToken when granted; malloc'ed */
    size_t token_len;
    uint8_t prev_hash[32];
    uint8_t hash[32];
} tsa_record;
void tsa_record_init(tsa_record *r);
void tsa_record_clear(tsa_record *r);
/* hash = SHA-256 over every field, seq and prev_hash (length-prefixed). */
int tsa_record_hash(const tsa_record *r, uint8_t out[32]);

/* ---- the journal (journal.c, journal_writer.c, journal_cmd.c) ---- */
typedef struct tsa_journal tsa_journal;
/* PATH of an SQLite file (created if missing) or a postgresql:// URI. */
int tsa_journal_open(tsa_journal **out, const char *spec);
void tsa_journal_close(tsa_journal *j);
/* Appends records in one transaction (one fsync), chaining each to the
 * last record in the file. Sets seq/prev_hash/hash. */
int tsa_journal_append(tsa_journal *j, tsa_record **recs, size_t n);

/* Background WAL checkpoints of an SQLite journal (journal_checkpoint.c). */
typedef struct tsa_checkpointer tsa_checkpointer;
int tsa_checkpointer_start(tsa_checkpointer **out, const char *path);
void tsa_checkpointer_stop(tsa_checkpointer *c);

typedef void (*tsa_journal_done_fn)(tsa_record *rec, int status, void *arg);
typedef struct tsa_journal_writer tsa_journal_writer;
int tsa_journal_writer_start(tsa_journal_writer **out, tsa_journal *j);
/* Queues a record; done() runs on the writer thread once it is durable
 * (status VBSIG_OK) or could not be written. */
void tsa_journal_writer_submit(tsa_journal_writer *w, tsa_record *rec, tsa_journal_done_fn done,
                               void *arg);
/* 1 while the last commit succeeded. */
int tsa_journal_writer_healthy(tsa_journal_writer *w);
/* Writes what is queued, then stops the thread. */
void tsa_journal_writer_stop(tsa_journal_writer *w);

int tsa_journal_command(int argc, char **argv);

/* 1 for a postgresql:// or postgres:// connection URI. */
int tsa_journal_is_pg(const char *spec);
/* The spec for logs and messages, a password in a URI replaced by ***. */
void tsa_journal_redact(const char *spec, char *out, size_t n);

/* Reading a journal back (journal_rows_sqlite.c, journal_pg_rows.c). next()
 * and find() set *got when a row was read into rec (then VBSIG_E_MALFORMED
 * means its stored hashes are not 32 bytes); without a row, a status other
 * than VBSIG_OK is a database error with its message set. */
typedef struct tsa_journal_rows {
    void *impl;
    int (*next)(void *impl, tsa_record *rec, uint8_t prev[32], uint8_t hash[32], int *got);
    int (*find)(void *impl, const char *serial, tsa_record *rec, uint8_t prev[32],
                uint8_t hash[32], int *got);
    int (*duplicate_serial)(void *impl);
    void (*close)(void *impl);
} tsa_journal_rows;
int tsa_journal_sqlite_rows_open(tsa_journal_rows *rows, const char *path);
int tsa_journal_pg_rows_open(tsa_journal_rows *rows, const char *uri);

/* The PostgreSQL journal (journal_pg.c): the same table, chain and group
 * commit as SQLite, with synchronous_commit on. */
typedef struct tsa_journal_pg tsa_journal_pg;
int tsa_journal_pg_open(tsa_journal_pg **out, const char *uri);
int tsa_journal_pg_append(tsa_journal_pg *j, tsa_record **recs, size_t n);
void tsa_journal_pg_close(tsa_journal_pg *j);

/* ---- issuing (issue.c) ----
 * The library's issuer (vbsig/tsp_issue.h) does the RFC 3161 work; this
 * fills the journal record around it. */
typedef struct tsa_issuer tsa_issuer;
int tsa_issuer_new(tsa_issuer **out, const tsa_keys *k, const tsa_config *c);
void tsa_issuer_free(tsa_issuer *is);
/* Answers one request body: a granted token or a rejection, always a DER
 * TimeStampResp in *reply (free with vbsig_free), and fills rec for the
 * journal. */
int tsa_issue(tsa_issuer *is, const uint8_t *req, size_t req_len, const struct timespec *received,
              uint8_t **reply, size_t *reply_len, tsa_record *rec);

/* ---- metrics (metrics.c) ---- */
typedef enum tsa_outcome {
    TSA_OUT_GRANTED = 0, TSA_OUT_REJECTED, TSA_OUT_OVERLOAD, TSA_OUT_BAD_HTTP, TSA_OUT_COUNT
} tsa_outcome;
void tsa_metrics_count(tsa_outcome o, double seconds);
void tsa_metrics_failure(const char *failure);
/* Prometheus text exposition; malloc'ed. key (may be NULL) adds the key's health. */
char *tsa_metrics_render(const tsa_key_report *key, unsigned in_flight, int draining);

/* ---- logging (log.c) ---- */
/* One line on stderr: "ts=… level=… event=…" followed by key=value pairs
 * formatted from fmt (may be NULL). */
void tsa_log(const char *level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- systemd notification (notify.c) ---- */
/* Sends state ("READY=1", "STOPPING=1", ...) to $NOTIFY_SOCKET; 0 when sent
 * or when there is no such socket, -1 when sending failed. */
int tsa_notify(const char *state);

/* ---- the systemd watchdog (watchdog.c) ----
 * Work in progress is counted where it happens: a job handed to the workers
 * begins, its reply being ready ends it; a job ended or a journal batch
 * written (even a failed one: it came back) is progress. */
void tsa_progress_begin(void);
void tsa_progress_end(void);
void tsa_progress_note(void);
typedef struct tsa_watchdog tsa_watchdog;
/* With $WATCHDOG_USEC (and $WATCHDOG_PID, if set, naming this process),
 * starts a thread sending WATCHDOG=1 every half interval while the server
 * makes progress; otherwise *out = NULL and nothing runs. */
int tsa_watchdog_start(tsa_watchdog **out);
void tsa_watchdog_stop(tsa_watchdog *wd);

/* ---- the server (workers.c, http.c, serve.c) ---- */
typedef struct tsa_job tsa_job;
typedef struct tsa_workers tsa_workers;
typedef void (*tsa_job_done_fn)(tsa_job *job);
struct tsa_job {
    const uint8_t *body;
    size_t body_len;
    struct timespec received;
    uint8_t *reply;
    size_t reply_len;
    tsa_record rec;
    tsa_job_done_fn done; /* runs once the reply may be sent */
    void *owner;
    tsa_job *next;
};
int tsa_workers_start(tsa_workers **out, const tsa_keys *k, const tsa_config *c,
                      tsa_journal_writer *w);
/* Queues a job; VBSIG_E_LIMIT when the queue is full (caller answers 503). */
int tsa_workers_submit(tsa_workers *ws, tsa_job *job);
void tsa_workers_stop(tsa_workers *ws);

typedef struct tsa_http tsa_http;
typedef struct tsa_health {
    tsa_journal_writer *writer;
    const char *journal_path;
    tsa_key_health *key; /* the key's state, certificate validity included */
} tsa_health;
int tsa_http_start(tsa_http **out, const tsa_config *c, tsa_workers *ws, const tsa_health *h);
/* Stops accepting, waits (bounded) for requests in flight, stops. */
void tsa_http_stop(tsa_http *h);
/* Draining for a rolling restart: /health says 503 "draining" (the load
 * balancer takes the node out) and new requests get 503, while requests
 * already accepted finish. */
void tsa_http_drain(tsa_http *h);
/* Requests accepted whose reply has not gone out yet. */
unsigned tsa_http_in_flight(tsa_http *h);

int tsa_serve(int argc, char **argv);

#endif
