/* Visible signatures, inside the library: how a layout (leader image,
 * seal, attachment or copy text stamp) hands the PAdES signer the
 * appearance of its widget.
 *
 * The split: the signer (pades_layout.c, through appearance_widget.c)
 * owns object numbers, the widget annotation, the page's /Annots and the
 * geometry of the page (/Rotate, CropBox). A layout only says where its
 * stamp goes *in the page as displayed* and what the form draws *upright
 * in its own box*; the signer turns that into the widget's /Rect in default
 * user space and the form's /BBox and counter-rotating /Matrix. Objects a
 * layout's resources refer to (image XObjects, fonts, font files, CMaps)
 * are written through the vbsig__ap_writer, which numbers them inside the
 * signature's own update (they are signed content of that revision). */
#ifndef VBSIG_APPEARANCE_H
#define VBSIG_APPEARANCE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "pdf/pdf.h"
#include "pdf/pdf_content_bbox.h"
#include "util/util.h"
#include "vbsig/pades.h"

/* ---- objects of the update ------------------------------------------------ */
/* Opaque: the update being laid out (pades_layout.c). */
typedef struct vbsig__ap_writer vbsig__ap_writer;

/* Most objects one appearance may add (form, images, soft masks, the five
 * objects of an embedded Type0 font). */
#define VBSIG__AP_MAX_OBJECTS 16

/* Writes one indirect object into the update and gives its number.
 * dict is the complete dictionary text ("<< /Type /XObject … >>") without
 * /Length and /Filter when data is given: then the object is a stream
 * whose /Length (and, with flate = 1, /Filter /FlateDecode after
 * compressing data) the writer adds. data NULL: a plain object (dict may
 * then be any direct object text). Errors: VBSIG_E_LIMIT past
 * VBSIG__AP_MAX_OBJECTS, VBSIG_E_NOMEM. */
int vbsig__ap_write_object(vbsig__ap_writer *w, const char *dict, size_t dict_len, const uint8_t *data,
                           size_t data_len, int flate, uint32_t *num);

/* ---- the page, as displayed ----------------------------------------------- */
typedef struct vbsig__page_geom {
    size_t page;             /* 0-based */
    vbsig_pdf_objref ref;    /* the page object */
    vbsig_pdf_rect box;      /* CropBox (else MediaBox) in default user space */
    int rotate;              /* /Rotate normalised to 0, 90, 180, 270 */
    double disp_w, disp_h;   /* the displayed page's width and height, points */
} vbsig__page_geom;

/* The geometry of page `page` (0-based) of the newest revision. */
int vbsig__page_geom_get(vbsig_pdf_doc *doc, size_t page, vbsig__page_geom *g);
/* A point in displayed coordinates (points from the displayed page's
 * top-left corner, y down) to default user space, and back. */
void vbsig__page_disp_to_user(const vbsig__page_geom *g, double dx, double dy, double *ux, double *uy);
void vbsig__page_user_to_disp(const vbsig__page_geom *g, double ux, double uy, double *dx, double *dy);

/* ---- a layout's input and output ------------------------------------------ */
typedef struct vbsig__appearance_ctx {
    vbsig_pdf_doc *doc;                  /* the input, newest revision */
    const vbsig_pades_appearance *ap;    /* the caller's options (checked: kind and its fields set) */
    time_t signing_time;                 /* the signature's /M: text stamps print it (Vietnam time) */
    size_t page_count;
} vbsig__appearance_ctx;

typedef struct vbsig__appearance_out {
    size_t page;          /* 0-based page of the widget */
    /* The stamp in the page as displayed: x, y (its top-left corner), w, h
     * in points from the top-left corner of the displayed page (CropBox).
     * The widget's /Rect is this box mapped to default user space. */
    double disp[4];
    /* The form's content stream, drawing upright in its own space with
     * /BBox [0 0 w h] (w, h = disp[2], disp[3]); not yet compressed. */
    vbsig_bytes content;
    /* The form's /Resources: a complete dictionary "<< … >>" whose
     * references name objects written with vbsig__ap_write_object. */
    vbsig_bytes resources;
} vbsig__appearance_out;

void vbsig__appearance_out_init(vbsig__appearance_out *out);
void vbsig__appearance_out_free(vbsig__appearance_out *out);

/* Builds the appearance for ac->ap->kind: dispatches to the layout below.
 * On failure the message is set and out is left empty. */
int vbsig__appearance_build(vbsig__ap_writer *w, const vbsig__appearance_ctx *ac, vbsig__appearance_out *out);

/* The layouts (one file each). Image: leader and seal (appearance_image.c).
 * Text: attachment and copy stamps (appearance_text.c; until it lands,
 * appearance_text_stub.c answers VBSIG_E_UNSUPPORTED). */
int vbsig__appearance_build_image(vbsig__ap_writer *w, const vbsig__appearance_ctx *ac, vbsig__appearance_out *out);
int vbsig__appearance_build_text(vbsig__ap_writer *w, const vbsig__appearance_ctx *ac, vbsig__appearance_out *out);

/* Without libm (the library does not link it). */
static inline double vbsig__dmin(double a, double b) { return a < b ? a : b; }
static inline double vbsig__dmax(double a, double b) { return a > b ? a : b; }

/* mm <-> PDF points. */
#define VBSIG__PT_PER_MM (72.0 / 25.4)

#endif
