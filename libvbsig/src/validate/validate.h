/* Private view of validation: the context's trust material, the report
 * model every format fills in, path validation and revocation. */
#ifndef VBSIG_VALIDATE_H
#define VBSIG_VALIDATE_H

#include <time.h>

#include <openssl/x509.h>

#include "vbsig/ctx.h"
#include "vbsig/report.h"

#define VBSIG_LIMIT_COUNT 9

/* One URL rewrite rule for revocation sources: a URL starting with `from`
 * gets `to` instead. */
typedef struct vbsig_url_rule {
    char *from, *to;
} vbsig_url_rule;

/* Where revocation data may come from (ctx_net.c). */
typedef struct vbsig_rev_net {
    vbsig_url_rule *rules;
    size_t rule_count;
    char *cache_dir;   /* NULL: no cache */
    int offline;       /* 1: never touch the network */
} vbsig_rev_net;

struct vbsig_ctx {
    X509_STORE *trust;               /* anchors only */
    STACK_OF(X509) *intermediates;   /* path-building help, never trusted */
    size_t anchor_count;
    time_t validation_time;          /* 0 = claimed signing time, else now */
    vbsig_revocation_mode revocation;
    uint64_t limits[VBSIG_LIMIT_COUNT];
    vbsig_rev_net net;
};

/* ---- the report model (report.c) ---- */
typedef struct vbsig_signer_info {
    char *subject, *issuer, *serial, *key;
    /* Named fields of Vietnamese certificate subjects (NULL when absent). */
    char *common_name, *organization, *title, *tax_code, *id_number, *budget_code;
} vbsig_signer_info;

typedef struct vbsig_sig_entry {
    char *id;
    vbsig_indication indication;
    const char *subindication;      /* static ETSI name or NULL */
    const char *level;              /* static "B-B" … or NULL */
    int has_signer;
    vbsig_signer_info signer;
    const char *digest_algorithm;   /* static label */
    time_t signing_time;            /* proven by a timestamp; 0 = none */
    time_t claimed_signing_time;    /* 0 = none claimed */
    time_t validation_time;         /* the time the path was validated at */
    int whole_document;             /* 1/0, or -1 when not applicable */
    char **chain;
    size_t chain_len;
    const char *revocation_status;  /* static: good, revoked, unknown, unchecked, unavailable */
    const char *revocation_source;  /* static or NULL */
    time_t revocation_produced_at;  /* OCSP producedAt or CRL thisUpdate; 0 = none */
    time_t revoked_at;              /* when revocation_status is "revoked" */
    const char *revocation_reason;  /* static RFC 5280 reason name or NULL */
    char **messages;
    size_t message_count;
    int weak;                       /* a weak algorithm or key was accepted */
    /* The signature timestamp that proves signing_time (or, when none
     * passed, the first one that failed); has_timestamp = 0: none. */
    int has_timestamp;
    vbsig_indication timestamp_indication;
    const char *timestamp_subindication; /* static ETSI name or NULL */
    time_t timestamp_time;
    char timestamp_tsa[256];        /* the TSA certificate's subject, "" if unknown */
} vbsig_sig_entry;

struct vbsig_report {
    char *file;
    const char *format;             /* "cades", "pades", "xades" */
    vbsig_sig_entry *sigs;
    size_t count, cap;
};

int vbsig_report_create(const char *format, vbsig_report **out);
/* A new entry with status TOTAL-PASSED until something worsens it. The
 * pointer is valid until the next vbsig_report_add_entry. */
int vbsig_report_add_entry(vbsig_report *r, vbsig_sig_entry **out);
/* Worsens the entry's status: a worse indication replaces the current one;
 * an equal one keeps the first sub-indication (the first reason found). */
void vbsig_entry_worsen(vbsig_sig_entry *e, vbsig_indication ind, const char *sub);
/* Appends a message already translated by the caller. */
int vbsig_entry_note(vbsig_sig_entry *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vbsig_entry_set_signer(vbsig_sig_entry *e, X509 *cert);
int vbsig_entry_set_id(vbsig_sig_entry *e, const char *id);

/* ---- names (cert_names.c) ---- */
int vbsig_signer_info_fill(vbsig_signer_info *info, X509 *cert);
void vbsig_signer_info_clear(vbsig_signer_info *info);

/* ---- path validation (cert_path.c) ----
 * Validates leaf at time `at` against the context's anchors, using
 * `untrusted` (certificates the signature carries) and the context's
 * intermediates; records the chain, the status and the reasons in e. */
void vbsig_path_validate(vbsig_ctx *ctx, X509 *leaf, STACK_OF(X509) *untrusted, time_t at,
                         vbsig_sig_entry *e);

/* ---- revocation (revocation.c) ---- */
void vbsig_revocation_assess(vbsig_ctx *ctx, X509 *leaf, STACK_OF(X509) *untrusted,
                             vbsig_sig_entry *e);

#endif
