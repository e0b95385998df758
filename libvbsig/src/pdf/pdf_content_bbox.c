/* Bounds where content streams paint (ISO 32000-1 §8-9): a small
 * interpreter that follows the current transformation pdf_matrix, paths, text
 * positioning and XObjects, and adds one box per painting operator to the
 * footprint. It never renders: a box covers at least what the operator
 * could paint, and whatever it cannot bound (sh, vertical text, unreadable
 * resources, malformed tokens, exhausted budgets) makes the footprint
 * unbounded, so an overlap check errs on the side of "covers".
 *
 * Deliberate choices, each erring wide or matching what viewers show:
 * - clipping is ignored (content is bounded as if unclipped, except form
 *   XObjects, whose /BBox always clips);
 * - a path left unpainted at the end of a stream counts as painted;
 * - text in render modes 3 (invisible) and 7 (clip only) paints nothing
 *   and is not counted: a widget over it hides nothing that is seen;
 * - marked content (BMC/BDC/EMC, MP/DP) paints nothing by itself; what it
 *   encloses is bounded like any other content, optional content
 *   included (counted even when hidden). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_content_bbox.h"
#include "pdf/pdf_content_scan.h"
#include "pdf/pdf_font_metrics.h"
#include "pdf/pdf_internal.h"

/* The bounding box of r's four corners through m. */
static vbsig_pdf_rect through(const pdf_matrix *m, const vbsig_pdf_rect *r)
{
    double xs[4], ys[4];
    pdf_matrix_apply(m, r->x0, r->y0, &xs[0], &ys[0]);
    pdf_matrix_apply(m, r->x1, r->y0, &xs[1], &ys[1]);
    pdf_matrix_apply(m, r->x0, r->y1, &xs[2], &ys[2]);
    pdf_matrix_apply(m, r->x1, r->y1, &xs[3], &ys[3]);
    vbsig_pdf_rect o = {xs[0], ys[0], xs[0], ys[0]};
    for (int i = 1; i < 4; i++) {
        o.x0 = pdf_dmin(o.x0, xs[i]);
        o.x1 = pdf_dmax(o.x1, xs[i]);
        o.y0 = pdf_dmin(o.y0, ys[i]);
        o.y1 = pdf_dmax(o.y1, ys[i]);
    }
    return o;
}

typedef struct gstate {
    pdf_matrix ctm;
    double lw, ml;
    int lj;
    /* text state (part of the graphics state) */
    double tc, tw, th, tl, ts, fs;
    int tr;
    const pdf_font_metrics *font;
} gstate;

/* What all content of one page shares, forms included. */
typedef struct page_run {
    vbsig_pdf_doc *doc;
    size_t rev;
    pdf_font_cache fonts;
    size_t ops;   /* operators interpreted */
    size_t bytes; /* form content decoded */
    const vbsig_pdf_obj *forms[VBSIG_PDF_FOOTPRINT_MAX_FORMS]; /* the forms being interpreted, outermost first */
    size_t nforms;
} page_run;

typedef struct interp {
    page_run *run;
    pdf_content_scan sc;
    const vbsig_pdf_obj *resources;
    vbsig_pdf_footprint *fp;
    gstate gs;
    gstate saved[VBSIG_PDF_FOOTPRINT_MAX_SAVES];
    size_t depth;
    int path_open;
    vbsig_pdf_rect path; /* device (default user) space */
    pdf_matrix tm, tlm;
    int stop;
    int rc; /* VBSIG_E_NOMEM only */
} interp;

static int interpret(interp *in);

static void unbounded(interp *in, const char *why)
{
    vbsig_pdf_footprint_set_unbounded(in->fp, why);
    in->stop = 1;
}

static const vbsig_pdf_obj *resolved(interp *in, const vbsig_pdf_obj *o)
{
    const vbsig_pdf_obj *r = NULL;
    if (o == NULL)
        return NULL;
    if (vbsig_pdf_resolve(in->run->doc, in->run->rev, o, &r) != VBSIG_OK) {
        vbsig_error_clear();
        return NULL;
    }
    return r != NULL && r->type != VBSIG_PDF_NULL ? r : NULL;
}

/* resources[category][name], resolved; NULL when absent. */
static const vbsig_pdf_obj *resource(interp *in, const char *category, const pdf_token *name_tok)
{
    char *name = NULL;
    size_t len;
    int rc = pdf_decode_name(&in->sc.lx, name_tok, &name, &len);
    if (rc != VBSIG_OK) {
        if (rc == VBSIG_E_NOMEM)
            in->rc = rc;
        else
            vbsig_error_clear();
        return NULL;
    }
    const vbsig_pdf_obj *cat = resolved(in, vbsig_pdf_dict_get(in->resources, category));
    const vbsig_pdf_obj *r = resolved(in, vbsig_pdf_dict_get(cat, name));
    free(name);
    return r;
}

static int nums(interp *in, size_t n, double *out)
{
    return pdf_content_nums(&in->sc, n, out);
}

static const pdf_operand *last(interp *in, pdf_opd_kind kind)
{
    return pdf_content_last(&in->sc, kind);
}

/* ---- paths ---- */

static void path_point(interp *in, double x, double y)
{
    double dx, dy;
    pdf_matrix_apply(&in->gs.ctm, x, y, &dx, &dy);
    if (!in->path_open) {
        in->path = (vbsig_pdf_rect){dx, dy, dx, dy};
        in->path_open = 1;
        return;
    }
    in->path.x0 = pdf_dmin(in->path.x0, dx);
    in->path.x1 = pdf_dmax(in->path.x1, dx);
    in->path.y0 = pdf_dmin(in->path.y0, dy);
    in->path.y1 = pdf_dmax(in->path.y1, dy);
}

/* Paints the current path: a stroke reaches half the line width beyond it,
 * more at miter joins (up to the miter limit) and projecting caps. */
static void paint(interp *in, int stroke)
{
    if (!in->path_open)
        return;
    vbsig_pdf_rect r = in->path;
    if (stroke) {
        double half = (in->gs.lw > 0 ? in->gs.lw : 1.0) / 2;
        double reach = half * (in->gs.lj == 0 ? pdf_dmax(in->gs.ml, 1.5) : 1.5);
        const pdf_matrix *m = &in->gs.ctm;
        /* |a|+|c| bounds the x reach of a unit vector (no libm's sqrt needed) */
        double px = reach * (pdf_dabs(m->a) + pdf_dabs(m->c)), py = reach * (pdf_dabs(m->b) + pdf_dabs(m->d));
        r.x0 -= px;
        r.x1 += px;
        r.y0 -= py;
        r.y1 += py;
    }
    vbsig_pdf_footprint_add(in->fp, &r, VBSIG_PDF_PAINT_GRAPHICS);
    in->path_open = 0;
}

/* ---- text ---- */

typedef struct text_run {
    double pen;        /* text space, along the baseline */
    double xmin, xmax; /* glyph extents along the baseline */
    int any;
} text_run;

static void glyph(interp *in, text_run *t, double w, int space)
{
    const gstate *g = &in->gs;
    const pdf_font_metrics *m = g->font;
    double k = g->fs * g->th / 1000.0;
    double a = t->pen + m->llx * k, b = t->pen + pdf_dmax(w, m->urx) * k;
    double lo = pdf_dmin(a, b), hi = pdf_dmax(a, b);
    if (!t->any || lo < t->xmin)
        t->xmin = lo;
    if (!t->any || hi > t->xmax)
        t->xmax = hi;
    t->any = 1;
    t->pen += (w / 1000.0 * g->fs + g->tc + (space ? g->tw : 0)) * g->th;
}

static int show_string(interp *in, text_run *t, const pdf_token *tok)
{
    uint8_t *s = NULL;
    size_t n = 0;
    int rc = tok->kind == PDF_TOK_STRING ? pdf_decode_literal(&in->sc.lx, tok, &s, &n) : pdf_decode_hex(&in->sc.lx, tok, &s, &n);
    if (rc != VBSIG_OK)
        return rc;
    const pdf_font_metrics *m = in->gs.font;
    if (m->codes == PDF_FONT_VERTICAL && n > 0) {
        unbounded(in, N_("vertical text"));
    } else if (m->codes == PDF_FONT_TWO_BYTE) {
        for (size_t i = 0; i < n; i += 2)
            glyph(in, t, pdf_font_width(m, i + 1 < n ? (uint32_t)s[i] << 8 | s[i + 1] : s[i]), 0);
    } else {
        for (size_t i = 0; i < n; i++)
            glyph(in, t, pdf_font_width(m, s[i]), s[i] == 32);
    }
    free(s);
    return VBSIG_OK;
}

/* Adds what a text run painted and moves the text pdf_matrix past it. */
static void finish_text(interp *in, const text_run *t)
{
    const gstate *g = &in->gs;
    if (t->any && g->tr != 3 && g->tr != 7) {
        double k = g->fs / 1000.0;
        double ya = g->ts + g->font->lly * k, yb = g->ts + g->font->ury * k;
        vbsig_pdf_rect r = {t->xmin, pdf_dmin(ya, yb), t->xmax, pdf_dmax(ya, yb)};
        pdf_matrix trm = pdf_matrix_mul(in->tm, g->ctm);
        r = through(&trm, &r);
        vbsig_pdf_footprint_add(in->fp, &r, VBSIG_PDF_PAINT_TEXT);
    }
    pdf_matrix step = {1, 0, 0, 1, t->pen, 0};
    in->tm = pdf_matrix_mul(step, in->tm);
}

static void text_move(interp *in, double tx, double ty)
{
    pdf_matrix step = {1, 0, 0, 1, tx, ty};
    in->tlm = pdf_matrix_mul(step, in->tlm);
    in->tm = in->tlm;
}

static int show(interp *in, const pdf_operand *o)
{
    text_run t = {0};
    if (o == NULL) {
        unbounded(in, N_("a text operator without its string"));
        return VBSIG_OK;
    }
    if (o->kind == PDF_OPD_STRING) {
        int rc = show_string(in, &t, &o->tok);
        if (rc != VBSIG_OK)
            return rc;
    } else { /* TJ: strings and adjustments */
        pdf_lexer sub;
        pdf_token tok;
        pdf_lexer_init(&sub, in->sc.lx.data, o->tok.end, o->tok.start + 1, in->sc.lx.name, in->sc.lx.in_file);
        while (pdf_lex_next(&sub, &tok) == VBSIG_OK && tok.kind != PDF_TOK_ARRAY_CLOSE && tok.kind != PDF_TOK_EOF) {
            if (tok.kind == PDF_TOK_INT || tok.kind == PDF_TOK_REAL) {
                double v = tok.kind == PDF_TOK_INT ? (double)tok.integer : tok.real;
                t.pen -= v / 1000.0 * in->gs.fs * in->gs.th;
            } else if (tok.kind == PDF_TOK_STRING || tok.kind == PDF_TOK_HEXSTRING) {
                int rc = show_string(in, &t, &tok);
                if (rc != VBSIG_OK)
                    return rc;
            } else {
                unbounded(in, N_("a TJ array holds something other than strings and numbers"));
                return VBSIG_OK;
            }
        }
        vbsig_error_clear(); /* the span was lexed once already */
    }
    finish_text(in, &t);
    return VBSIG_OK;
}

static int set_font(interp *in)
{
    double size;
    if (!nums(in, 1, &size) || in->sc.nopd < 2 || in->sc.opd[in->sc.nopd - 2].kind != PDF_OPD_NAME) {
        unbounded(in, N_("a Tf operator with wrong operands"));
        return VBSIG_OK;
    }
    in->gs.fs = size;
    return pdf_font_metrics_get(&in->run->fonts, in->run->doc, in->run->rev,
                                resource(in, "Font", &in->sc.opd[in->sc.nopd - 2].tok), &in->gs.font);
}

static void ext_gstate(interp *in)
{
    const pdf_operand *o = last(in, PDF_OPD_NAME);
    if (o == NULL)
        return;
    const vbsig_pdf_obj *g = resource(in, "ExtGState", &o->tok);
    double v;
    if (vbsig_pdf_get_number(resolved(in, vbsig_pdf_dict_get(g, "LW")), &v) == VBSIG_OK)
        in->gs.lw = pdf_dabs(v);
    if (vbsig_pdf_get_number(resolved(in, vbsig_pdf_dict_get(g, "ML")), &v) == VBSIG_OK)
        in->gs.ml = pdf_dabs(v);
    if (vbsig_pdf_get_number(resolved(in, vbsig_pdf_dict_get(g, "LJ")), &v) == VBSIG_OK)
        in->gs.lj = (int)pdf_dmin(pdf_dmax(v, 0), 2);
    if (vbsig_pdf_dict_get(g, "Font") != NULL) {
        const vbsig_pdf_obj *f = resolved(in, vbsig_pdf_dict_get(g, "Font"));
        double size;
        in->gs.font = &in->run->fonts.generous; /* rare: not read, counted wide */
        if (vbsig_pdf_get_number(resolved(in, vbsig_pdf_array_get(f, 1)), &size) == VBSIG_OK)
            in->gs.fs = size;
    }
}

/* ---- XObjects ---- */

static int form_footprint(interp *in, const vbsig_pdf_obj *form, const pdf_matrix *m, const vbsig_pdf_rect *clip)
{
    page_run *run = in->run;
    for (size_t i = 0; i < run->nforms; i++)
        if (run->forms[i] == form)
            return 0; /* a form drawing itself: its /BBox stands for it */
    if (run->nforms == VBSIG_PDF_FOOTPRINT_MAX_FORMS)
        return 0;
    vbsig_bytes content;
    int rc = vbsig_pdf_stream_decode(run->doc, run->rev, form, &content);
    if (rc == VBSIG_OK && run->bytes + content.len > run->doc->lim.max_inflated)
        rc = VBSIG_E_LIMIT;
    if (rc != VBSIG_OK) {
        vbsig_bytes_free(&content);
        vbsig_error_clear();
        return rc == VBSIG_E_NOMEM ? rc : 0;
    }
    run->bytes += content.len;
    interp *sub = calloc(1, sizeof *sub);
    vbsig_pdf_footprint *fp = calloc(1, sizeof *fp);
    if (sub == NULL || fp == NULL) {
        free(sub);
        free(fp);
        vbsig_bytes_free(&content);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    vbsig_pdf_footprint_reset(fp, clip);
    sub->run = run;
    sub->fp = fp;
    sub->gs = in->gs;
    sub->gs.ctm = *m;
    sub->tm = sub->tlm = PDF_MATRIX_IDENTITY;
    const vbsig_pdf_obj *res = resolved(in, vbsig_pdf_dict_get(form, "Resources"));
    sub->resources = res != NULL ? res : in->resources; /* PDF 1.1 forms share the page's */
    pdf_content_scan_init(&sub->sc, content.data, content.len, in->sc.lx.name);
    run->forms[run->nforms++] = form;
    rc = interpret(sub);
    run->nforms--;
    int done = 0;
    if (rc == VBSIG_OK && !fp->unbounded) {
        for (size_t i = 0; i < fp->count; i++) {
            vbsig_pdf_rect r = {pdf_dmax(fp->boxes[i].x0, clip->x0), pdf_dmax(fp->boxes[i].y0, clip->y0),
                                pdf_dmin(fp->boxes[i].x1, clip->x1), pdf_dmin(fp->boxes[i].y1, clip->y1)};
            if (r.x0 <= r.x1 && r.y0 <= r.y1)
                vbsig_pdf_footprint_add(in->fp, &r, fp->kinds[i]);
        }
        done = 1;
    }
    free(sub);
    free(fp);
    vbsig_bytes_free(&content);
    return rc != VBSIG_OK ? rc : done;
}

static int draw_xobject(interp *in)
{
    const pdf_operand *o = last(in, PDF_OPD_NAME);
    const vbsig_pdf_obj *x = o != NULL ? resource(in, "XObject", &o->tok) : NULL;
    if (x == NULL || x->type != VBSIG_PDF_STREAM) {
        unbounded(in, N_("an XObject that cannot be read"));
        return VBSIG_OK;
    }
    const char *subtype = "";
    vbsig_pdf_get_name(vbsig_pdf_dict_get(x, "Subtype"), &subtype);
    if (strcmp(subtype, "Image") == 0) {
        vbsig_pdf_rect unit = {0, 0, 1, 1};
        vbsig_pdf_rect r = through(&in->gs.ctm, &unit);
        vbsig_pdf_footprint_add(in->fp, &r, VBSIG_PDF_PAINT_IMAGE);
        return VBSIG_OK;
    }
    vbsig_pdf_rect bbox;
    if (strcmp(subtype, "Form") != 0 || vbsig_pdf_rect_from_array(resolved(in, vbsig_pdf_dict_get(x, "BBox")), &bbox) != VBSIG_OK) {
        unbounded(in, N_("an XObject that cannot be read"));
        return VBSIG_OK;
    }
    pdf_matrix fm = PDF_MATRIX_IDENTITY;
    const vbsig_pdf_obj *ma = resolved(in, vbsig_pdf_dict_get(x, "Matrix"));
    if (ma != NULL) {
        double v[6];
        for (size_t i = 0; i < 6; i++)
            if (vbsig_pdf_array_count(ma) != 6 || vbsig_pdf_get_number(vbsig_pdf_array_get(ma, i), &v[i]) != VBSIG_OK) {
                unbounded(in, N_("an XObject that cannot be read"));
                return VBSIG_OK;
            }
        fm = (pdf_matrix){v[0], v[1], v[2], v[3], v[4], v[5]};
    }
    pdf_matrix m = pdf_matrix_mul(fm, in->gs.ctm);
    vbsig_pdf_rect clip = through(&m, &bbox);
    int r = form_footprint(in, x, &m, &clip);
    if (r < 0)
        return r;
    if (r == 0) /* not looked into: all of its box */
        vbsig_pdf_footprint_add(in->fp, &clip, VBSIG_PDF_PAINT_FORM);
    return VBSIG_OK;
}

/* ---- inline images ---- */

static void inline_image(interp *in)
{
    if (!pdf_content_skip_inline_image(&in->sc, NULL)) {
        unbounded(in, N_("an inline image cannot be read"));
        return;
    }
    vbsig_pdf_rect unit = {0, 0, 1, 1};
    vbsig_pdf_rect r = through(&in->gs.ctm, &unit);
    vbsig_pdf_footprint_add(in->fp, &r, VBSIG_PDF_PAINT_IMAGE);
}

/* ---- operators ---- */

/* Operators that change where later content lands or that paint, with the
 * number of numeric operands they need. */
static int op(interp *in, const char *o)
{
    double v[6];
    gstate *g = &in->gs;
    int rc = VBSIG_OK;
#define NEED(n)                                                                  \
    do {                                                                         \
        if (!nums(in, n, v)) {                                                   \
            unbounded(in, N_("an operator with missing or wrong operands"));     \
            return VBSIG_OK;                                                     \
        }                                                                        \
    } while (0)
    switch (o[0]) {
    case 'q':
        if (o[1] == 0) {
            if (in->depth == VBSIG_PDF_FOOTPRINT_MAX_SAVES) {
                unbounded(in, N_("graphics states nested too deep"));
                return VBSIG_OK;
            }
            in->saved[in->depth++] = *g;
        }
        return VBSIG_OK;
    case 'Q':
        if (o[1] == 0 && in->depth > 0)
            *g = in->saved[--in->depth];
        return VBSIG_OK;
    default: break;
    }
    if (strcmp(o, "cm") == 0) {
        NEED(6);
        g->ctm = pdf_matrix_mul((pdf_matrix){v[0], v[1], v[2], v[3], v[4], v[5]}, g->ctm);
    } else if (strcmp(o, "w") == 0) {
        NEED(1);
        g->lw = pdf_dabs(v[0]);
    } else if (strcmp(o, "j") == 0) {
        NEED(1);
        g->lj = (int)pdf_dmin(pdf_dmax(v[0], 0), 2);
    } else if (strcmp(o, "M") == 0) {
        NEED(1);
        g->ml = pdf_dabs(v[0]);
    } else if (strcmp(o, "gs") == 0) {
        ext_gstate(in);
    } else if (strcmp(o, "m") == 0 || strcmp(o, "l") == 0) {
        NEED(2);
        path_point(in, v[0], v[1]);
    } else if (strcmp(o, "c") == 0) {
        NEED(6); /* a Bézier curve stays inside its control points' hull */
        path_point(in, v[0], v[1]);
        path_point(in, v[2], v[3]);
        path_point(in, v[4], v[5]);
    } else if (strcmp(o, "v") == 0 || strcmp(o, "y") == 0) {
        NEED(4);
        path_point(in, v[0], v[1]);
        path_point(in, v[2], v[3]);
    } else if (strcmp(o, "re") == 0) {
        NEED(4);
        path_point(in, v[0], v[1]);
        path_point(in, v[0] + v[2], v[1]);
        path_point(in, v[0], v[1] + v[3]);
        path_point(in, v[0] + v[2], v[1] + v[3]);
    } else if (strcmp(o, "S") == 0 || strcmp(o, "s") == 0) {
        paint(in, 1);
    } else if (strcmp(o, "f") == 0 || strcmp(o, "F") == 0 || strcmp(o, "f*") == 0) {
        paint(in, 0);
    } else if (strcmp(o, "B") == 0 || strcmp(o, "B*") == 0 || strcmp(o, "b") == 0 || strcmp(o, "b*") == 0) {
        paint(in, 1);
    } else if (strcmp(o, "n") == 0) {
        in->path_open = 0;
    } else if (strcmp(o, "BT") == 0) {
        in->tm = in->tlm = PDF_MATRIX_IDENTITY;
    } else if (strcmp(o, "Tc") == 0) {
        NEED(1);
        g->tc = v[0];
    } else if (strcmp(o, "Tw") == 0) {
        NEED(1);
        g->tw = v[0];
    } else if (strcmp(o, "Tz") == 0) {
        NEED(1);
        g->th = v[0] / 100.0;
    } else if (strcmp(o, "TL") == 0) {
        NEED(1);
        g->tl = v[0];
    } else if (strcmp(o, "Ts") == 0) {
        NEED(1);
        g->ts = v[0];
    } else if (strcmp(o, "Tr") == 0) {
        NEED(1);
        g->tr = v[0] >= 0 && v[0] <= 7 ? (int)v[0] : 0; /* an unknown mode counts as painting */
    } else if (strcmp(o, "Tf") == 0) {
        rc = set_font(in);
    } else if (strcmp(o, "Td") == 0) {
        NEED(2);
        text_move(in, v[0], v[1]);
    } else if (strcmp(o, "TD") == 0) {
        NEED(2);
        g->tl = -v[1];
        text_move(in, v[0], v[1]);
    } else if (strcmp(o, "Tm") == 0) {
        NEED(6);
        in->tm = in->tlm = (pdf_matrix){v[0], v[1], v[2], v[3], v[4], v[5]};
    } else if (strcmp(o, "T*") == 0) {
        text_move(in, 0, -g->tl);
    } else if (strcmp(o, "Tj") == 0) {
        rc = show(in, last(in, PDF_OPD_STRING));
    } else if (strcmp(o, "TJ") == 0) {
        rc = show(in, last(in, PDF_OPD_ARRAY));
    } else if (strcmp(o, "'") == 0) {
        text_move(in, 0, -g->tl);
        rc = show(in, last(in, PDF_OPD_STRING));
    } else if (strcmp(o, "\"") == 0) {
        const pdf_operand *s = last(in, PDF_OPD_STRING);
        in->sc.nopd -= s != NULL;
        NEED(2);
        g->tw = v[0];
        g->tc = v[1];
        text_move(in, 0, -g->tl);
        rc = show(in, s);
    } else if (strcmp(o, "Do") == 0) {
        rc = draw_xobject(in);
    } else if (strcmp(o, "BI") == 0) {
        inline_image(in);
    } else if (strcmp(o, "sh") == 0) {
        unbounded(in, N_("a shading (sh) paints its whole clipping region"));
    }
    /* Everything else (colour, dash, flatness, rendering intent, marked
     * content, compatibility sections, Type3 d0/d1, clipping W/W*, ET)
     * moves or paints nothing. */
    return rc;
#undef NEED
}

static int interpret(interp *in)
{
    page_run *run = in->run;
    while (!in->stop && in->rc == VBSIG_OK) {
        switch (pdf_content_scan_next(&in->sc)) {
        case PDF_SCAN_END:
            paint(in, 1); /* a path never painted or ended: counted, as some viewers draw it */
            return in->rc;
        case PDF_SCAN_BROKEN: unbounded(in, N_("the content cannot be parsed")); break;
        case PDF_SCAN_OP:
            if (++run->ops > VBSIG_PDF_FOOTPRINT_MAX_OPS) {
                unbounded(in, N_("more operators than the limit"));
                break;
            }
            if (in->sc.op[0] != 0) {
                int rc = op(in, in->sc.op);
                if (rc != VBSIG_OK)
                    in->rc = rc;
            }
            break;
        }
    }
    return in->rc;
}

int vbsig_pdf_content_footprint(vbsig_pdf_doc *doc, size_t rev, const uint8_t *data, size_t len,
                                const vbsig_pdf_obj *resources, const vbsig_pdf_rect *page_box,
                                vbsig_pdf_footprint *fp)
{
    vbsig_pdf_footprint_reset(fp, page_box);
    page_run run;
    memset(&run, 0, sizeof run);
    run.doc = doc;
    run.rev = rev;
    pdf_font_cache_init(&run.fonts);
    interp *in = calloc(1, sizeof *in);
    if (in == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    in->run = &run;
    in->fp = fp;
    in->resources = vbsig_pdf_dict_of(resources);
    in->gs.ctm = PDF_MATRIX_IDENTITY;
    in->gs.lw = 1;
    in->gs.ml = 10;
    in->gs.th = 1;
    in->gs.font = &run.fonts.generous;
    in->tm = in->tlm = PDF_MATRIX_IDENTITY;
    pdf_content_scan_init(&in->sc, data, len, doc->name);
    int rc = interpret(in);
    free(in);
    pdf_font_cache_free(&run.fonts);
    return rc;
}
