/* The context: trust anchors, validation policy and limits for untrusted
 * input. One context may serve many operations; use it from one thread at a
 * time. */
#ifndef VBSIG_CTX_H
#define VBSIG_CTX_H

#include <stdint.h>
#include <time.h>

#include "vbsig/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vbsig_ctx vbsig_ctx;

VBSIG_API int vbsig_ctx_new(vbsig_ctx **out);
VBSIG_API void vbsig_ctx_free(vbsig_ctx *ctx);

/* Adds trust anchors from a PEM or DER certificate file, or from every
 * .pem/.crt/.cer/.der file in a directory. Anchors are loaded once and serve
 * every later verification with this context. */
VBSIG_API int vbsig_ctx_add_trust(vbsig_ctx *ctx, const char *path);
/* Adds intermediate certificates (PEM bundle or DER) used to build paths but
 * never trusted on their own. */
VBSIG_API int vbsig_ctx_add_intermediates(vbsig_ctx *ctx, const char *path);

/* Validation time: 0 (the default) means "the signing time a timestamp
 * proves, else now" (ETSI EN 319 102-1: the time a signature claims proves
 * nothing). Any other value pins the time (verify --at). */
VBSIG_API int vbsig_ctx_set_validation_time(vbsig_ctx *ctx, time_t t);

/* Parses an ISO 8601 time ("2026-11-22", "2026-11-22T09:30:00+07:00", "…Z");
 * without an offset the time is Vietnam time (+07:00). */
VBSIG_API int vbsig_parse_time(const char *iso8601, time_t *out);

typedef enum vbsig_revocation_mode {
    VBSIG_REVOCATION_HARD = 0, /* unavailable status makes the signature INDETERMINATE */
    VBSIG_REVOCATION_SOFT = 1, /* unavailable status is a warning */
    VBSIG_REVOCATION_OFF = 2   /* not checked, and the report says so */
} vbsig_revocation_mode;
VBSIG_API int vbsig_ctx_set_revocation_mode(vbsig_ctx *ctx, vbsig_revocation_mode mode);

/* Revocation sources. A CRL or OCSP URL that starts with `from` is fetched
 * from `to` + the rest instead (some certificates name an internal host);
 * the first matching rule wins. Only http:// and https:// targets. */
VBSIG_API int vbsig_ctx_add_url_rewrite(vbsig_ctx *ctx, const char *from, const char *to);
/* A directory where fetched CRLs and OCSP responses are kept, keyed by the
 * URL the certificate names, and reused while still fresh (before their
 * nextUpdate). NULL: no cache (the default). The directory is created. */
VBSIG_API int vbsig_ctx_set_cache_dir(vbsig_ctx *ctx, const char *dir);
/* 1: make no network requests; only fresh cache entries are used. */
VBSIG_API int vbsig_ctx_set_offline(vbsig_ctx *ctx, int offline);

/* Network settings, in one place: every fetch the library makes (CRL,
 * OCSP, AIA caIssuers, timestamp authorities) and the PKCS#11 bridge take
 * them from the context. 0 and NULL mean the default written beside each
 * field. Environment variables (VBSIG_PKCS11_TIMEOUT_MS, …) are read by the
 * command-line tool only, which sets them here. */
typedef struct vbsig_network_opts {
    unsigned version;             /* set by _init */
    long connect_timeout_ms;      /* CRL, OCSP, AIA: 5 000 */
    long timeout_ms;              /* one whole CRL, OCSP or AIA fetch: 15 000 */
    long tsp_connect_timeout_ms;  /* TSA, when vbsig_tsp_opts leaves it 0: 10 000 */
    long tsp_timeout_ms;          /* one whole TSA attempt, likewise: 30 000 */
    const char *ca_file;          /* https: PEM roots for every server; NULL: the system's store */
    const char *pkcs11_module;    /* when vbsig_pkcs11_opts gives none: NULL, p11-kit's proxy */
    unsigned pkcs11_timeout_ms;   /* bound on login and token queries, likewise: 30 000 */
} vbsig_network_opts;
#define VBSIG_NETWORK_OPTS_VERSION 1
VBSIG_API void vbsig_network_opts_init(vbsig_network_opts *opts);
/* Replaces the context's network settings (strings copied). Timeouts run
 * from 0 to 600 000 ms (PKCS#11: to 3 600 000). */
VBSIG_API int vbsig_ctx_set_network(vbsig_ctx *ctx, const vbsig_network_opts *opts);
/* The settings in force, defaults filled in (pkcs11_module stays NULL for
 * the proxy); strings valid until the next set or vbsig_ctx_free. */
VBSIG_API int vbsig_ctx_get_network(const vbsig_ctx *ctx, vbsig_network_opts *out);
/* 1: XML verification keeps the canonical bytes of every Reference in the
 * report (vbsig_report_reference, vbsig_report_write_signed_content);
 * default 0, as they may be as large as the document. */
VBSIG_API int vbsig_ctx_set_keep_signed_content(vbsig_ctx *ctx, int on);

/* Trust domains: named groups of anchors (the national root for public CAs,
 * the Government CA root …, which do not chain to each other). Adds the
 * anchors in `path` (file or directory, as vbsig_ctx_add_trust) to the
 * domain `name` (1-63 of A-Z a-z 0-9 - _ .). Anchors of an accepted domain
 * validate paths, and the report names the domain a chain ended in; those
 * of a domain not accepted only explain why a chain was refused. Anchors
 * from vbsig_ctx_add_trust form the domain "command-line". */
VBSIG_API int vbsig_ctx_add_trust_domain(vbsig_ctx *ctx, const char *name, const char *path, int accepted);

/* Reads a verifier configuration file (format: README, "Configuration
 * file"): trust domains and the accepted ones, revocation mode, offline,
 * cache directory, URL rewrites. Call it first: settings made later through
 * the calls above override the file, and the file's URL rewrites are tried
 * after any added with vbsig_ctx_add_url_rewrite. */
VBSIG_API int vbsig_ctx_load_config(vbsig_ctx *ctx, const char *path);
/* The configuration file to use when none is named, or NULL: $VBSIG_CONFIG
 * (empty: none), else $XDG_CONFIG_HOME/vbsig/vbsig.conf (or
 * ~/.config/vbsig/vbsig.conf), else /etc/vbsig/vbsig.conf — the first that
 * exists. Free it with vbsig_free. */
VBSIG_API char *vbsig_config_default_path(void);
/* The configuration file's [serve] section is read by the local REST shim
 * (`vbsig serve`), not by the library: its settings allow-origin
 * (repeatable), listen, pinentry, module, max-body and timeout are checked
 * by name and kept. This returns the index-th value (0 first, in file
 * order) given to key by the last file loaded with a [serve] section, or
 * NULL past the last one or for a NULL argument. Owned by the context. */
VBSIG_API const char *vbsig_ctx_config_serve(const vbsig_ctx *ctx, const char *key, size_t index);

/* Fetching missing intermediate certificates from the caIssuers URLs of
 * the Authority Information Access extension: on (1) by default, never
 * when offline. Fetched certificates are kept under the cache directory's
 * certs/ and used from there, also offline. URL rewrites apply. */
VBSIG_API int vbsig_ctx_set_aia(vbsig_ctx *ctx, int on);

/* Extending to B-LT / B-LTA (every format): when the signer's certificate
 * path names no CRL or OCSP source, no revocation data can be embedded and
 * the level cannot be reached. By default (0) that is an error
 * (VBSIG_E_UNAVAILABLE naming the certificate, nothing written); with 1 the
 * signature is written at the level it does reach (B-T, as verification
 * reports it) and vbsig_ctx_level_warning says so. */
VBSIG_API int vbsig_ctx_set_allow_lower_level(vbsig_ctx *ctx, int on);
/* The warning of the last extension that fell short of the level asked
 * for under allow-lower-level, or NULL. Owned by the context. */
VBSIG_API const char *vbsig_ctx_level_warning(const vbsig_ctx *ctx);

/* Algorithm policy for verification. MD2, MD4 and MD5 are always refused.
 * SHA-1 (signature digests, certificate signatures, ESS v1 certificate
 * hashes) and RSA keys below 2048 bits are "weak": with VBSIG_WEAK_WARN (the
 * default) the report flags them (weak_algorithm, a message) and they do not
 * change the verdict, so old documents still validate; with VBSIG_WEAK_FAIL
 * they make the signature INDETERMINATE (CRYPTO_CONSTRAINTS_FAILURE_NO_POE).
 * Signing never produces them (vbsig sign refuses RSA < 2048 and SHA-1). */
typedef enum vbsig_weak_policy { VBSIG_WEAK_WARN = 0, VBSIG_WEAK_FAIL = 1 } vbsig_weak_policy;
VBSIG_API int vbsig_ctx_set_weak_policy(vbsig_ctx *ctx, vbsig_weak_policy policy);

/* Limits for untrusted input; every one has a safe default. */
typedef enum vbsig_limit {
    VBSIG_LIMIT_DER_LENGTH = 1,   /* bytes of one signature (attached content included): 1 GiB */
    VBSIG_LIMIT_DER_DEPTH = 2,    /* nesting of DER structures: 64 */
    VBSIG_LIMIT_INPUT_SIZE = 3,   /* bytes of a document read for signing or verifying: 64 GiB */
    VBSIG_LIMIT_SIGNERS = 4,      /* signatures examined in one document: 64 */
    VBSIG_LIMIT_CERTS = 5,        /* certificates taken from one signature: 64 */
    VBSIG_LIMIT_PDF_DEPTH = 6,    /* nesting of PDF arrays and dictionaries: 64 */
    VBSIG_LIMIT_PDF_OBJECTS = 7,  /* object numbers in one PDF cross-reference structure: 4 Mi */
    VBSIG_LIMIT_INFLATED_SIZE = 8 /* bytes of one decompressed stream: 256 MiB */
} vbsig_limit;
VBSIG_API int vbsig_ctx_set_limit(vbsig_ctx *ctx, vbsig_limit which, uint64_t value);
VBSIG_API uint64_t vbsig_ctx_get_limit(const vbsig_ctx *ctx, vbsig_limit which);

/* Where the gettext catalogues live (default: the install prefix's
 * share/locale). Call before the first vbsig call that produces text. */
VBSIG_API void vbsig_set_localedir(const char *dir);

#ifdef __cplusplus
}
#endif
#endif
