/* Verifying PDF signatures (PAdES, ETSI EN 319 142-1) with the attack
 * checklist: ByteRange rules, the CMS over the signed ranges, which
 * revision each signature covers and what changed after it. */
#ifndef VBSIG_PADES_VERIFY_H
#define VBSIG_PADES_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "vbsig/export.h"
#include "vbsig/ctx.h"
#include "vbsig/report.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Verifies every signed signature field of the PDF at path (the file is
 * mapped, never copied; the byte ranges are hashed from the mapping).
 * *out gets one report entry per signature (format "pades"), in the
 * order of the AcroForm's /Fields, each with the subfilter, the revision
 * it covers, whether it covers the whole file, the modifications found
 * after it (none / allowed / disallowed, with reasons) and the DocMDP
 * level of a certification signature. A signature followed by
 * disallowed changes is TOTAL-FAILED (sub-indication FORMAT_FAILURE, the
 * reason naming the object). A file without signatures gives a report
 * with no entries (its status is TOTAL-FAILED).
 * Errors: VBSIG_E_IO_READ, VBSIG_E_MALFORMED (the PDF itself cannot be
 * read; the message names the offset or object), VBSIG_E_LIMIT,
 * VBSIG_E_NOMEM. */
VBSIG_API int vbsig_pades_verify_file(vbsig_ctx *ctx, const char *path, vbsig_report **out);

/* The same over a PDF in memory, which must stay alive during the call.
 * `name` appears in messages and as the report's file. */
VBSIG_API int vbsig_pades_verify(vbsig_ctx *ctx, const uint8_t *pdf, size_t len, const char *name,
                                 vbsig_report **out);

#ifdef __cplusplus
}
#endif
#endif
