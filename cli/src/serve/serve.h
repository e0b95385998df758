/* vbsig serve: the local REST shim. Shared types of its parts; each part
 * has one job (listener, request gate, pairing store, pinentry client,
 * endpoints, audit log, problem+json). No signature logic lives here: the
 * endpoints call the public API. */
#ifndef VBSIG_SERVE_H
#define VBSIG_SERVE_H

#include <locale.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <microhttpd.h>

#include <vbsig/vbsig.h>

/* A message to translate later, in the language of the request. */
#define N_(s) s

#define SERVE_DEFAULT_PORT 8632
#define SERVE_DEFAULT_MAX_BODY (64u * 1024u * 1024u)
#define SERVE_MAX_ORIGINS 64
#define SERVE_MAX_TSA 8

typedef struct serve_cfg {
    unsigned short port;        /* 0 before binding: a random port */
    int want_v4, want_v6;       /* which loopback addresses to bind */
    const char *origins[SERVE_MAX_ORIGINS];
    size_t origin_count;
    const char *tsa[SERVE_MAX_TSA]; /* the TSAs a page may ask for (never its own URL) */
    size_t tsa_count;
    const char *pinentry;       /* program; default "pinentry" */
    const char *module;         /* PKCS#11 module; NULL: the context's */
    const char *pairings_path;  /* default $XDG_CONFIG_HOME/vbsig/pairings */
    const char *audit_path;     /* default $XDG_STATE_HOME/vbsig/serve-audit.log; "-": stderr */
    const char *config;         /* --config FILE */
    int no_config;
    const char **trust;         /* --trust PATH, for verify */
    size_t trust_count;
    uint64_t max_body;          /* bytes */
    unsigned timeout_s;         /* request (and dialog, and token wait) timeout */
    int user_vi;                /* the user's own language (dialogs) is Vietnamese */
} serve_cfg;

typedef struct serve_state {
    serve_cfg cfg;
    vbsig_ctx *ctx;             /* read-only after start (verify, signing options) */
    locale_t loc_en, loc_vi;    /* per-thread message language */
    char *owned[SERVE_MAX_ORIGINS + SERVE_MAX_TSA + 4]; /* strings the config gave */
    size_t owned_count;
} serve_state;

/* ---- one request ---- */
typedef struct serve_req {
    serve_state *st;
    struct MHD_Connection *conn;
    const char *method, *path;
    const char *origin;         /* checked: on the allowlist */
    int vi;                     /* Accept-Language asks for Vietnamese */
    const struct serve_route *route;
    char *body;
    size_t len, cap;
    int overflow;               /* more than max_body arrived: refused */
    const char *outcome;        /* for the audit line: "ok", "signed", "refused-origin" … */
    unsigned status;
} serve_req;

typedef struct serve_reply {
    unsigned status;
    json_t *json;               /* owned; NULL: no body */
    const char *content_type;   /* NULL: application/json */
} serve_reply;

typedef void (*serve_handler)(serve_req *r, json_t *in, serve_reply *out);
typedef struct serve_route {
    const char *method, *path;
    serve_handler run;
    int open;                   /* 1: no Content-Type / Bearer needed (POST /v1/pair) */
} serve_route;

/* gate.c: the checks made on the headers before anything else. Returns 0
 * to go on, or the status of the refusal with *why (a msgid) and the
 * audit outcome set. */
int serve_gate_host(const serve_req *r, const char **why);
int serve_gate_origin(serve_req *r, const char **why);
int serve_gate_call(serve_req *r, const char **why, const char **outcome);
/* The preflight answer for an allowed origin (OPTIONS). */
struct MHD_Response *serve_preflight(serve_req *r, unsigned *status);
/* Access-Control-Allow-Origin and the rest, for allowed origins only. */
void serve_cors_headers(const serve_req *r, struct MHD_Response *resp);

/* problem.c: RFC 9457 bodies, translated. */
void serve_problem(serve_req *r, serve_reply *out, unsigned status, const char *type, const char *title_msgid,
                   const char *detail);
/* The problem for a vbsig_status from the library, with its message. */
void serve_problem_status(serve_req *r, serve_reply *out, int rc);
/* dgettext in the request's language (the thread's locale decides). */
const char *serve_tr(const char *msgid);
void serve_lang_enter(serve_state *st, int vi);

/* audit.c */
int serve_audit_open(const serve_cfg *cfg);
void serve_audit(const serve_req *r);
void serve_audit_close(void);

/* pairings.c: origin → SHA-256 of the token, in a 0600 file. */
char *serve_pairings_default_path(void);
/* Stores a new token for origin (replacing any); writes it (base64url,
 * 43 characters) into token_out. */
int serve_pairings_add(const char *path, const char *origin, char *token_out, size_t token_size);
/* 1: the token is the origin's; 0: not; -1: the store cannot be read. */
int serve_pairings_check(const char *path, const char *origin, const char *token);
int serve_pairings_remove(const char *path, const char *origin);
int serve_pairings_list(const char *path, FILE *out);

/* pinentry.c: the user's dialogs, outside the browser. */
typedef enum { PINENTRY_OK = 0, PINENTRY_CANCELLED = 1, PINENTRY_FAILED = 2 } pinentry_result;
/* A confirm dialog: title, description (several lines), OK and Cancel labels. */
pinentry_result serve_pinentry_confirm(const serve_cfg *cfg, const char *title, const char *desc, const char *ok,
                                       const char *cancel);
/* Asks for a PIN into pin (wiped by the caller after use). */
pinentry_result serve_pinentry_getpin(const serve_cfg *cfg, const char *title, const char *desc, const char *prompt,
                                      char *pin, size_t pin_size);
/* Ends the dialogs in progress (shutdown). */
void serve_pinentry_abort_all(void);

/* listen.c */
int serve_run(serve_state *st);

/* endpoints */
void ep_info(serve_req *r, json_t *in, serve_reply *out);
void ep_openapi(serve_req *r, json_t *in, serve_reply *out);
void ep_pair(serve_req *r, json_t *in, serve_reply *out);
void ep_certificates(serve_req *r, json_t *in, serve_reply *out);
void ep_sign(serve_req *r, json_t *in, serve_reply *out);
void ep_sign_batch(serve_req *r, json_t *in, serve_reply *out);
void ep_sign_digest(serve_req *r, json_t *in, serve_reply *out);
void ep_verify(serve_req *r, json_t *in, serve_reply *out);

/* router.c */
const serve_route *serve_route_find(const char *method, const char *path, int *path_known);
enum MHD_Result serve_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                             const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls);
void serve_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe);

/* util.c */
char *serve_b64_encode(const uint8_t *data, size_t len);
/* NULL for input that is not base64. */
uint8_t *serve_b64_decode(const char *text, size_t *len);
void serve_hex(const uint8_t *data, size_t len, char *out); /* out: 2*len+1 */
void serve_sha256_hex(const uint8_t *data, size_t len, char out[65]);
/* Percent-escapes for Assuan lines (%, CR, LF and control characters). */
char *serve_assuan_escape(const char *s);

#endif
