/* Private view of validation: the context's trust material, the report
 * model every format fills in, path validation and revocation. */
#ifndef VBSIG_VALIDATE_H
#define VBSIG_VALIDATE_H

#include <time.h>

#include <openssl/x509.h>

#include "vbsig/ctx.h"
#include "vbsig/report.h"
#include "util/util.h"

#define VBSIG_LIMIT_COUNT 9

/* One URL rewrite rule for revocation sources: a URL starting with `from`
 * gets `to` instead. */
typedef struct vbsig_url_rule {
    char *from, *to;
    int low;           /* 1: from a config file, tried after the others */
} vbsig_url_rule;

/* The TSA's time bounds when neither vbsig_tsp_opts nor the context set
 * them: the context owns the network settings, and the TSA client below
 * the formats reads them from here. */
#define VBSIG_TSP_CONNECT_TIMEOUT_MS 10000L
#define VBSIG_TSP_TIMEOUT_MS 30000L

/* Where revocation data may come from (ctx_net.c). */
typedef struct vbsig_rev_net {
    vbsig_url_rule *rules;
    size_t rule_count;
    char *cache_dir;   /* NULL: no cache */
    int offline;       /* 1: never touch the network */
    /* EN 319 102-1 revocation freshness constraint ([policy]
     * revocation-freshness, seconds): a CRL must be issued (thisUpdate) no
     * longer than this before the time it is to prove the status at. 0:
     * none, a CRL current at that time (thisUpdate <= t < nextUpdate) will do. */
    long freshness;
    /* vbsig_ctx_set_network (ctx_network.c); 0 / NULL: the defaults. */
    long connect_timeout_ms, timeout_ms;         /* CRL, OCSP, AIA */
    long tsp_connect_timeout_ms, tsp_timeout_ms; /* TSA, unless vbsig_tsp_opts sets them */
    char *ca_file;                               /* https roots for every server */
    char *pkcs11_module;
    unsigned pkcs11_timeout_ms;
    /* CRLs and OCSP responses fetched, shared by the contexts of one
     * verification pool (rev_memcache.c); NULL: none. */
    struct vbsig_rev_memcache *mem;
} vbsig_rev_net;

/* Every trust anchor with the trust domain it came from (trust_domains.c);
 * the domain is "" for anchors given with --trust. Anchors of domains the
 * policy does not accept are kept only to explain a failure. */
typedef struct vbsig_anchor_ref {
    X509 *cert;
    char domain[64];
    int accepted;
} vbsig_anchor_ref;

struct vbsig_ctx {
    X509_STORE *trust;               /* anchors only */
    STACK_OF(X509) *intermediates;   /* path-building help, never trusted */
    size_t anchor_count;
    time_t validation_time;          /* 0 = claimed signing time, else now */
    vbsig_revocation_mode revocation;
    uint64_t limits[VBSIG_LIMIT_COUNT];
    vbsig_rev_net net;
    vbsig_anchor_ref *anchor_refs;   /* trust_domains.c */
    size_t anchor_ref_count;
    int aia;                         /* 1 (default): fetch caIssuers unless offline */
    int weak_fails;                  /* 1: a weak algorithm makes the signature INDETERMINATE */
    /* Revocation data the document being verified carries (PDF /DSS),
     * consulted first; set and cleared around one verification by its
     * owner (pades/pades_lt.c), NULL otherwise. */
    struct vbsig_rev_embedded *embedded;
    int allow_lower_level;           /* vbsig_ctx_set_allow_lower_level */
    char level_warning[600];         /* "" or the last level-fell-short warning */
    int keep_signed_content;         /* 1: XML verification keeps each Reference's canonical bytes */
    char **serve;                    /* the config file's [serve] settings, "key=value" (config.c) */
    size_t serve_count;
};
/* Frees the [serve] settings (config.c). */
void vbsig__ctx_serve_clear(vbsig_ctx *ctx);

/* ---- the report model (report.c) ---- */
typedef struct vbsig_signer_info {
    char *subject, *issuer, *serial, *key;
    /* Named fields of Vietnamese certificate subjects (NULL when absent). */
    char *common_name, *organization, *title, *tax_code, *id_number, *budget_code;
} vbsig_signer_info;

/* One piece of revocation evidence: "crl" or "ocsp" and its DER. */
typedef struct vbsig_rev_object {
    const char *type;
    uint8_t *der;
    size_t len;
} vbsig_rev_object;

/* One signature timestamp as judged (tsp_tally.c): a signature may carry
 * several, and the entry's timestamp_* fields describe only the one that
 * proves the signing time (or the first failure). */
typedef struct vbsig_ts_seen {
    time_t time;                    /* genTime, 0 when unreadable */
    vbsig_indication indication;
    const char *subindication;      /* static ETSI name or NULL */
    char *tsa;                      /* TSA certificate subject or NULL */
    const char *revocation_status;  /* as in vbsig_sig_entry, NULL = not checked */
    const char *revocation_source, *revocation_reason;
    time_t revoked_at;
} vbsig_ts_seen;

/* One Reference of an XML signature as checked (xml/xml_verify_refs.c):
 * what it points at, so that a caller can read only what was signed. */
typedef struct vbsig_signed_ref {
    char *uri;          /* as written */
    char *path;         /* the target's path such as /HDon/DLHDon[1]; "/" for the
                           document; the data file's name for detached data */
    char *id;           /* the target's Id/ID/xml:id, NULL when none */
    const char *kind;   /* static: "content", "signed-properties", "detached" */
    size_t bytes;       /* canonical bytes digested (the data's size when detached) */
    int digest_ok;      /* the digest matched */
    uint8_t *content;   /* those bytes, kept only when the context asks */
    size_t content_len;
} vbsig_signed_ref;

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
    int covers_enveloped;           /* XML: a ds:Object of the signature itself is signed (enveloping) */
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
    /* That timestamp's TSA certificate revocation status (tsp_revocation.c):
     * static "good", "revoked", … or NULL when it was not checked. */
    const char *timestamp_revocation_status;
    const char *timestamp_revocation_reason; /* static RFC 5280 name or NULL */
    time_t timestamp_revoked_at;    /* 0 unless "revoked" */
    const char *timestamp_revocation_source; /* static "ocsp", "crl" or NULL */
    vbsig_ts_seen *ts_seen;         /* every signature timestamp judged */
    size_t ts_seen_count;
    /* Archive timestamps over this signature (tsp_tally.c): how many, and
     * of the newest its genTime, its TSA certificate's notAfter, its
     * verdict and whether an algorithm or key in it is weak. A PDF
     * document timestamp's entry counts its own token. */
    size_t archive_count;
    time_t archive_time, archive_tsa_not_after;
    vbsig_indication archive_indication;
    int archive_weak;
    char trust_domain[64];          /* where the chain ended: a domain name,
                                       "command-line" (--trust), "" = no chain */
    /* For the ETSI report (report_etsi.c): the chain's certificates in DER
     * (leaf first, as built), and the SHA-256 of the signature value. */
    uint8_t **chain_der;
    size_t *chain_der_len;
    size_t chain_der_count;
    uint8_t sig_digest[32];
    int has_sig_digest;
    /* The CRLs and OCSP responses revocation checking relied on. */
    struct vbsig_rev_object *rev_objects;
    size_t rev_object_count;
    /* PDF signatures only (pades/); pdf = 0 for other formats. */
    int pdf;
    char *subfilter;                /* /SubFilter as written, NULL if absent */
    int document_timestamp;         /* 1: an ETSI.RFC3161 document timestamp */
    size_t revision, revision_count; /* covers revision `revision` (1-based) of revision_count; 0 = none */
    const char *modifications;      /* static "none", "allowed", "disallowed"; NULL = not analysed */
    char **mod_reasons;             /* why: one line per change found (allowed or not) */
    size_t mod_reason_count;
    int certification;              /* DocMDP P (1..3) when this is a certification signature, else 0 */
    /* Where the signature shows: its widget's page (1-based) and /Rect in
     * mm from the top-left of the page as displayed; visible 0 = invisible. */
    int appearance_visible;
    size_t appearance_page;
    double appearance_rect_mm[4];
    int has_trailing;               /* bytes other than padding follow the last revision: */
    size_t trailing_offset, trailing_size, trailing_objects; /* where, how many, `obj` definitions among them */
    /* The path vbsig_path_validate built (leaf first, references held) and
     * the time it was built for: revocation checking of the same leaf walks
     * it instead of building it again. */
    STACK_OF(X509) *built_path;
    time_t built_path_time;
    /* XML signatures only: every Reference, in SignedInfo's order. */
    vbsig_signed_ref *refs;
    size_t ref_count;
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
/* Records the SHA-256 of the signature value (CMS SignerInfo signature,
 * ds:SignatureValue, the PDF /Contents signature), which identifies the
 * signature in the ETSI report. */
void vbsig_entry_set_signature_value(vbsig_sig_entry *e, const uint8_t *p, size_t n);
/* Moves revocation evidence (type "crl" or "ocsp") into e; empty bytes or a
 * NULL type add nothing. At most 64 per entry. */
void vbsig_entry_add_rev_object(vbsig_sig_entry *e, const char *type, vbsig_bytes *der);
/* Appends a Reference record to e (strings copied; NULL allowed for id);
 * the new record, or NULL when memory ran out. content is taken over. */
vbsig_signed_ref *vbsig_entry_add_ref(vbsig_sig_entry *e, const char *uri, const char *path, const char *id,
                                      const char *kind);
/* Appends a modification-analysis reason (already translated) to e. */
int vbsig_entry_mod_reason(vbsig_sig_entry *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- names (cert_names.c) ---- */
int vbsig_signer_info_fill(vbsig_signer_info *info, X509 *cert);
void vbsig_signer_info_clear(vbsig_signer_info *info);

/* ---- path validation (cert_path.c) ----
 * Validates leaf at time `at` against the context's anchors, using
 * `untrusted` (certificates the signature carries) and the context's
 * intermediates; records the chain, the status and the reasons in e.
 * Certificates the document carries elsewhere (PDF /DSS /Certs, XAdES
 * CertificateValues) belong in `untrusted` too: put them in the same stack
 * and pass it to vbsig_revocation_assess as well. Missing issuers are then
 * looked up in the cache and by AIA (aia.c); e gets the trust domain and
 * the algorithm policy's verdict. */
void vbsig_path_validate(vbsig_ctx *ctx, X509 *leaf, STACK_OF(X509) *untrusted, time_t at,
                         vbsig_sig_entry *e);

/* ---- algorithm policy (algo_policy.c) ----
 * Checks the CA certificates of the validated chain (MD2/MD4/MD5 signatures
 * broken; SHA-1 signatures and RSA keys under 2048 bits weak) and applies the
 * context's policy to e->weak. Called by vbsig_path_validate. */
void vbsig_algo_policy_apply(const vbsig_ctx *ctx, STACK_OF(X509) *chain, vbsig_sig_entry *e);

/* ---- path completion (aia.c) ----
 * Adds to `pool` (and to the context's intermediates) the issuers missing
 * between leaf and an accepted anchor: from the cache directory's certs/,
 * else from the caIssuers URLs (unless offline or AIA is off). Never fails:
 * what cannot be found leaves the path short for cert_path.c to report. */
void vbsig_aia_complete(vbsig_ctx *ctx, X509 *leaf, STACK_OF(X509) *pool);

/* ---- the time to validate at (valtime.c) ----
 * ETSI EN 319 102-1: the context's pinned time (verify --at) when set, else
 * the proven signing time (a timestamp, e->signing_time), else now. The time
 * the signature claims is never trusted on its own. */
time_t vbsig_validation_time_for(const vbsig_ctx *ctx, const vbsig_sig_entry *e);

/* ---- trust domains (trust_domains.c) ---- */
/* Adds the anchors in a file, or in every certificate file of a directory,
 * to the domain ("" = --trust) and, when accepted, to the store paths are
 * validated against. */
int vbsig_trust_add_path(vbsig_ctx *ctx, const char *path, const char *domain, int accepted);
void vbsig_trust_refs_clear(vbsig_ctx *ctx);
/* A new context with the settings of `from` (ctx_clone.c): trust store
 * shared, certificates referenced, strings copied, no per-verification
 * state. For one worker thread of a pool. */
int vbsig_ctx_clone(const vbsig_ctx *from, vbsig_ctx **out);
/* After validation: names the domain the chain's anchor belongs to, or
 * explains that a chain ends at an anchor of a domain not accepted. */
void vbsig_trust_note_domain(const vbsig_ctx *ctx, STACK_OF(X509) *chain, int valid, vbsig_sig_entry *e);

/* ---- revocation (revocation.c) ---- */
void vbsig_revocation_assess(vbsig_ctx *ctx, X509 *leaf, STACK_OF(X509) *untrusted,
                             vbsig_sig_entry *e);

#endif
