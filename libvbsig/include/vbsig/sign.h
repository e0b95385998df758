/* Any format: what a document is, and "sign this file in whatever format
 * it is" — the road the CLI's --format auto, the REST shim and the
 * bindings share. Batch signing (many files, one signer) is here too. */
#ifndef VBSIG_SIGN_H
#define VBSIG_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "vbsig/export.h"
#include "vbsig/cades.h"
#include "vbsig/ctx.h"
#include "vbsig/pades.h"
#include "vbsig/signer.h"
#include "vbsig/tsp.h"
#include "vbsig/xades.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vbsig_format {
    VBSIG_FORMAT_AUTO = 0,  /* detect from the content */
    VBSIG_FORMAT_CADES = 1, /* a CMS signature, or any data to sign as CAdES */
    VBSIG_FORMAT_PADES = 2, /* a PDF document */
    VBSIG_FORMAT_XADES = 3  /* an XML document (XAdES, XMLDSig) */
} vbsig_format;

/* "auto", "cades", "pades", "xades"; NULL for an unknown value. */
VBSIG_API const char *vbsig_format_name(vbsig_format f);

/* What the first bytes (at most 1 KiB are looked at) say the document is:
 * DER or PEM ("-----BEGIN ") is CMS (VBSIG_FORMAT_CADES: an attached
 * signature may carry a PDF or XML document a few bytes in); "%PDF-" in
 * the first KiB is PDF; '<' after an optional UTF-8 BOM and white space is
 * XML; anything else is data to sign as CAdES. Never VBSIG_FORMAT_AUTO. */
VBSIG_API int vbsig_detect_format(const uint8_t *data, size_t len, vbsig_format *out);
/* The same from a file's first bytes. VBSIG_E_IO_READ names the path. */
VBSIG_API int vbsig_detect_format_file(const char *path, vbsig_format *out);

/* Options of vbsig_sign_file. The format's own options give what is
 * particular to it (NULL: its defaults from _init); level and tsp apply to
 * whichever format the file is. */
typedef struct vbsig_sign_opts {
    unsigned version;                   /* set by _init */
    vbsig_format format;                /* default AUTO: detected (vbsig_detect_format_file) */
    vbsig_level level;                  /* default B-B; B-T and above need tsp */
    const vbsig_tsp_opts *tsp;
    const vbsig_cades_sign_opts *cades; /* for CMS and other data */
    const vbsig_pades_sign_opts *pades; /* for PDF */
    const vbsig_xml_sign_opts *xml;     /* for XML (xades = 0: plain XMLDSig) */
} vbsig_sign_opts;
#define VBSIG_SIGN_OPTS_VERSION 1
VBSIG_API void vbsig_sign_opts_init(vbsig_sign_opts *opts);

/* Signs in_path into out_path (written atomically) in its own format:
 * vbsig_pades_sign_file, vbsig_xml_sign_file or vbsig_cades_sign_file
 * with the chosen options. *format_out (may be NULL) receives the format
 * used. */
VBSIG_API int vbsig_sign_file(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_sign_opts *opts,
                              const char *in_path, const char *out_path, vbsig_format *format_out);

#ifdef __cplusplus
}
#endif
#endif
