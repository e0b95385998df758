/* Any format, many files: "verify this file whatever it is", and a pool
 * that verifies an inbox of files on several threads with trust material
 * set up once and revocation answers shared between the files — the road
 * `vbsig verify FILE… --jobs N`, the REST shim and the bindings share. */
#ifndef VBSIG_VERIFY_H
#define VBSIG_VERIFY_H

#include <stddef.h>
#include <time.h>

#include "vbsig/export.h"
#include "vbsig/ctx.h"
#include "vbsig/report.h"
#include "vbsig/tsp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Verifies the signed file at `path` in its own format: a PDF
 * (vbsig_pades_verify_file), an XML document (vbsig_xml_verify_file, or
 * vbsig_xml_verify_detached_file when data_path is given) or a CMS
 * signature (vbsig_cades_verify_file with data_path, which may be NULL).
 * An empty file, or one that is none of these, is VBSIG_E_MALFORMED naming
 * the path; data_path with a PDF is VBSIG_E_INVALID_ARG. */
VBSIG_API int vbsig_verify_file(vbsig_ctx *ctx, const char *path, const char *data_path, vbsig_report **out);

typedef struct vbsig_verify_pool vbsig_verify_pool;

/* A pool of `jobs` worker threads (0: one per online CPU, at most 64) that
 * verify with copies of ctx's settings as they are now (trust anchors,
 * intermediates, policy, limits, revocation sources). ctx is not used
 * after this call returns and may be freed. The copies share one
 * in-memory store of the CRLs and OCSP responses fetched, so a responder
 * is asked once per certificate while its answer is fresh; every answer is
 * still checked for each file exactly as a fresh download. */
/* A constructor: the new object comes first, as in every _new. */
VBSIG_API int vbsig_verify_pool_new(vbsig_verify_pool **out, const vbsig_ctx *ctx, unsigned jobs);
VBSIG_API void vbsig_verify_pool_free(vbsig_verify_pool *pool);

/* Queues one file (the path is copied). At most 16 Mi files per pool;
 * not while vbsig_verify_pool_run is running. */
VBSIG_API int vbsig_verify_pool_add(vbsig_verify_pool *pool, const char *path);
/* How many files are queued. */
VBSIG_API size_t vbsig_verify_pool_count(const vbsig_verify_pool *pool);

/* One file's outcome, handed to the callback: status is VBSIG_OK with a
 * report, or the error the file gave (error: its message) with report NULL.
 * The report belongs to the pool and is freed when the callback returns. */
typedef struct vbsig_verify_result {
    size_t index;        /* the order in which it was added, from 0 */
    const char *path;
    int status;
    const char *error;   /* "" when status is VBSIG_OK */
    const vbsig_report *report;
    /* Files queued with vbsig_verify_pool_add_renewal (else NULL / 0): */
    const char *out_path;
    int renewed;             /* 1: out_path was written and report is its verification;
                                0: the input was left alone and report is the input's */
    vbsig_renewal renewal;   /* the decision taken on the input (zeroed when it could not be verified) */
} vbsig_verify_result;
/* Return 0 to go on, anything else to stop: files not yet handed out are
 * skipped and vbsig_verify_pool_run returns VBSIG_E_CANCELLED. */
typedef int (*vbsig_verify_result_cb)(void *user, const vbsig_verify_result *result);

/* Verifies every queued file and calls cb once per file, on the calling
 * thread and in the order the files were added, while the workers go on
 * with later files (at most a few per worker are held ahead, so memory
 * stays bounded however many files there are). Returns VBSIG_OK when every
 * file was handed to cb (whatever its verdict or error); the pool can then
 * be run again on the same files, or freed. */
VBSIG_API int vbsig_verify_pool_run(vbsig_verify_pool *pool, vbsig_verify_result_cb cb, void *user);

/* ---- Archive renewal: the same pool, cache and reports ---- */
typedef struct vbsig_renew_opts {
    unsigned version;
    const vbsig_tsp_opts *tsp;  /* the TSAs of the new archive timestamps (required) */
    long long within_seconds;   /* renew what would expire within this long */
    time_t now;                 /* the moment the window starts; 0: the clock at each file */
} vbsig_renew_opts;
#define VBSIG_RENEW_OPTS_VERSION 1
VBSIG_API void vbsig_renew_opts_init(vbsig_renew_opts *opts);

/* Lets the pool renew archives: a file queued with
 * vbsig_verify_pool_add_renewal is verified, decided with
 * vbsig_report_renewal_due and, only when due, extended to B-LTA in its own
 * format (as vbsig_pades_extend_file, vbsig_cades_extend_file and
 * vbsig_xml_extend_file do) into out_path, which is then verified again; a
 * file not due is not touched and out_path is not written. opts is copied,
 * its tsp is not: it must stay valid until the pool is freed. Not while the
 * pool runs. */
VBSIG_API int vbsig_verify_pool_set_renewal(vbsig_verify_pool *pool, const vbsig_renew_opts *opts);
/* Queues a file to renew into out_path (both copied; out_path must not name
 * path: VBSIG_E_INVALID_ARG). Needs vbsig_verify_pool_set_renewal first. */
VBSIG_API int vbsig_verify_pool_add_renewal(vbsig_verify_pool *pool, const char *path, const char *out_path);

#ifdef __cplusplus
}
#endif
#endif
