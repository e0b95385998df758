/* Batch signing: many files, one signer (one login), every format.
 *
 *   vbsig_batch *b;
 *   vbsig_batch_new(&b, ctx, signer, &opts);
 *   vbsig_batch_add(b, "a.pdf", NULL);          // named in opts.out_dir
 *   vbsig_batch_add(b, "b.txt", "/tmp/b.p7s");  // or given
 *   vbsig_batch_run(b, progress, user);
 *   for (size_t i = 0; i < vbsig_batch_count(b); i++)
 *       vbsig_batch_item_status(b, i) ...
 *   vbsig_batch_free(b);
 *
 * At level B-B, CAdES files and PDFs go through a pipeline that hides the
 * host's work behind the token's: inputs are read and prepared (digest,
 * signed attributes; PDFs laid out and hashed) a few files ahead; the
 * token signs one file at a time, in order, in the thread that called
 * vbsig_batch_run; signatures are embedded, their values checked against
 * the certificate on the bytes produced, and the files written atomically
 * by writer threads. Other levels and XML documents are signed file by
 * file (vbsig_sign_file). Re-verification: when the format's options ask
 * for verify_after_sign, the first file of each format is signed the
 * one-file way (full verification of what was written); after it, every
 * signature value is still checked with the certificate's key, but the full
 * re-parse and report, identical for every file of one signer, are not
 * repeated (set verify_every to repeat them). Durability: the pipeline's
 * outputs are written under temporary names (NAME.tmp-XXXXXX next to NAME)
 * and made durable a group at a time (up to 64 files, or what a twentieth
 * of a second gathers): one flush of the group's data (syncfs, or an fsync
 * of each file where syncfs is missing), then the renames, then one flush
 * of each directory. A crash never leaves a final name on a partial or
 * unflushed file; it may leave the temporary files of the groups not yet
 * committed. A file's status is VBSIG_OK after the run only once its name
 * is on disk; a file that fails any step of its group fails alone. */
#ifndef VBSIG_BATCH_H
#define VBSIG_BATCH_H

#include <stddef.h>

#include "vbsig/export.h"
#include "vbsig/ctx.h"
#include "vbsig/sign.h"
#include "vbsig/signer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vbsig_batch vbsig_batch;

/* Called in vbsig_batch_run's thread once the format of file index is
 * known, before it is signed. Anything but VBSIG_OK (after
 * vbsig_set_error) fails that file with this status and message; the
 * batch goes on with the next. */
typedef int (*vbsig_batch_check_cb)(void *user, vbsig_batch *batch, size_t index, vbsig_format format);

/* Called in vbsig_batch_run's thread after file index has left the token
 * (done files of total so far, in order). vbsig_batch_item_status is then
 * the signing step's outcome: VBSIG_OK may still turn into a failure of the
 * writing behind, known when vbsig_batch_run returns. */
typedef void (*vbsig_batch_progress_cb)(void *user, vbsig_batch *batch, size_t index, size_t done, size_t total);

typedef struct vbsig_batch_opts {
    unsigned version;        /* set by _init */
    /* Format (AUTO: detected per file), level, TSA and each format's own
     * options, as for vbsig_sign_file. The structures they point to must
     * outlive the batch. */
    vbsig_sign_opts sign;
    /* Where files added without an output path are written: a PDF and an
     * enveloped or enveloping XML document keep their name; a detached XML
     * signature is NAME.sig.xml; CAdES is NAME.p7s (detached) or NAME.p7m. */
    const char *out_dir;
    int verify_every;        /* 1: full verification of every file, not only the first of each format */
    vbsig_batch_check_cb check; /* NULL: every format accepted */
    void *check_user;
} vbsig_batch_opts;
#define VBSIG_BATCH_OPTS_VERSION 1
VBSIG_API void vbsig_batch_opts_init(vbsig_batch_opts *opts);

/* A batch for signer, which must outlive it (and so must ctx, which may be
 * NULL for B-B without verify_after_sign). opts is copied. */
VBSIG_API int vbsig_batch_new(vbsig_batch **out, vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_batch_opts *opts);
/* Adds a file; out_path NULL: named in opts.out_dir once its format is
 * known. Both strings are copied. Not after vbsig_batch_run. */
VBSIG_API int vbsig_batch_add(vbsig_batch *batch, const char *in_path, const char *out_path);
/* Signs every file, once. A file that fails does not stop the others and
 * does not make this fail: its status says so (an output directory that
 * cannot be flushed fails the files written into it). Returns VBSIG_OK, or
 * an error of the batch itself (bad arguments, run twice, out of memory). */
VBSIG_API int vbsig_batch_run(vbsig_batch *batch, vbsig_batch_progress_cb progress, void *user);

VBSIG_API size_t vbsig_batch_count(const vbsig_batch *batch);
/* Files whose status is not VBSIG_OK after the run. */
VBSIG_API size_t vbsig_batch_failed(const vbsig_batch *batch);
/* VBSIG_OK, a vbsig_status, or VBSIG_E_INVALID_ARG for a bad index. */
VBSIG_API int vbsig_batch_item_status(const vbsig_batch *batch, size_t index);
/* The failure's message ("" when none); valid as long as the batch. */
VBSIG_API const char *vbsig_batch_item_message(const vbsig_batch *batch, size_t index);
VBSIG_API const char *vbsig_batch_item_input(const vbsig_batch *batch, size_t index);
/* The output path (NULL until named); valid as long as the batch. */
VBSIG_API const char *vbsig_batch_item_output(const vbsig_batch *batch, size_t index);
/* The format the file was signed in (AUTO before it was detected). */
VBSIG_API vbsig_format vbsig_batch_item_format(const vbsig_batch *batch, size_t index);
/* NULL: nothing. */
VBSIG_API void vbsig_batch_free(vbsig_batch *batch);

#ifdef __cplusplus
}
#endif
#endif
