/* Batch signing of CAdES files with one login, pipelined (sign_batch.c). */
#ifndef VBSIG_CLI_SIGN_BATCH_H
#define VBSIG_CLI_SIGN_BATCH_H

#include <vbsig/vbsig.h>

#include "cli.h"
#include "sign_pdf.h"

typedef struct cli_batch cli_batch;

/* A pipeline for signing inputs[0..count) into out_dir, or NULL when the
 * batch is better signed file by file (one file, level B-T, XML only, no
 * memory). format is --format ("auto", "cades", …); pdf the PDF options
 * (NULL: PDFs file by file). ctx, signer, opts, pdf and inputs must
 * outlive the batch. */
cli_batch *cli_batch_new(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_cades_sign_opts *opts, const char *format,
                         const cli_pdf_args *pdf, char **inputs, int count, const char *out_dir);
/* cli_detect_format for inputs[i], from the bytes read ahead (the file is
 * opened once). Files are taken in order: i never goes back. */
int cli_batch_detect(cli_batch *b, int i, cli_format *out);
/* Signs inputs[i] as CAdES into out. The token has made the signature when
 * this returns VBSIG_OK (a token removed now fails this very file and
 * writes nothing); encoding and writing the file go on in the background,
 * and their failures are reported by cli_batch_end. */
int cli_batch_sign_cades(cli_batch *b, int i, const char *out);
/* The same for a PDF (PAdES, as cli_sign_pdf would sign it). */
int cli_batch_sign_pdf(cli_batch *b, int i, const char *out);
/* Waits for every file, flushes the output directory once, reports each
 * file that failed late ("cannot sign …", like the loop does), sets
 * *first_error if it is 0, frees b, and returns the number of files that
 * failed. NULL b: 0. */
int cli_batch_end(cli_batch *b, int *first_error);

#endif
