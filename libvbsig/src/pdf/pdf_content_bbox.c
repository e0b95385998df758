/* Bounds where content streams paint (ISO 32000-1 §8-9): a small
 * interpreter that follows the current transformation matrix, paths, text
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
#include "pdf/pdf_font_metrics.h"
#include "pdf/pdf_internal.h"

#define MAX_OPERANDS 16
#define MAX_SKIP_DEPTH 32        /* arrays and dictionaries inside operands */
#define INLINE_DICT_MAX_TOKENS 1024

typedef struct matrix {
    double a, b, c, d, e, f;
} matrix;

static const matrix identity = {1, 0, 0, 1, 0, 0};

/* x then y, in PDF's row-vector convention: [x] × [y]. */
static matrix mul(matrix x, matrix y)
{
    matrix r = {x.a * y.a + x.b * y.c, x.a * y.b + x.b * y.d, x.c * y.a + x.d * y.c,
                x.c * y.b + x.d * y.d, x.e * y.a + x.f * y.c + y.e, x.e * y.b + x.f * y.d + y.f};
    return r;
}

static void apply(const matrix *m, double x, double y, double *ox, double *oy)
{
    *ox = m->a * x + m->c * y + m->e;
    *oy = m->b * x + m->d * y + m->f;
}

/* The bounding box of r's four corners through m. */
static vbsig_pdf_rect through(const matrix *m, const vbsig_pdf_rect *r)
{
    double xs[4], ys[4];
    apply(m, r->x0, r->y0, &xs[0], &ys[0]);
    apply(m, r->x1, r->y0, &xs[1], &ys[1]);
    apply(m, r->x0, r->y1, &xs[2], &ys[2]);
    apply(m, r->x1, r->y1, &xs[3], &ys[3]);
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
    matrix ctm;
    double lw, ml;
    int lj;
    /* text state (part of the graphics state) */
    double tc, tw, th, tl, ts, fs;
    int tr;
    const pdf_font_metrics *font;
} gstate;

typedef enum opd_kind { OPD_NUM, OPD_NAME, OPD_STRING, OPD_ARRAY, OPD_OTHER } opd_kind;

typedef struct operand {
    opd_kind kind;
    double num;
    pdf_token tok; /* span in the content, for names, strings and arrays */
} operand;

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
    pdf_lexer lx;
    const vbsig_pdf_obj *resources;
    vbsig_pdf_footprint *fp;
    gstate gs;
    gstate saved[VBSIG_PDF_FOOTPRINT_MAX_SAVES];
    size_t depth;
    operand opd[MAX_OPERANDS];
    size_t nopd;
    int path_open;
    vbsig_pdf_rect path; /* device (default user) space */
    matrix tm, tlm;
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
    int rc = pdf_decode_name(&in->lx, name_tok, &name, &len);
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

/* The last n operands when they are all numbers. */
static int nums(interp *in, size_t n, double *out)
{
    if (in->nopd < n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const operand *o = &in->opd[in->nopd - n + i];
        if (o->kind != OPD_NUM)
            return 0;
        out[i] = o->num;
    }
    return 1;
}

static const operand *last(interp *in, opd_kind kind)
{
    return in->nopd > 0 && in->opd[in->nopd - 1].kind == kind ? &in->opd[in->nopd - 1] : NULL;
}

static void push(interp *in, opd_kind kind, double num, const pdf_token *tok)
{
    if (in->nopd == MAX_OPERANDS) {
        /* Only the newest operands matter to any operator read here. */
        memmove(in->opd, in->opd + 1, (MAX_OPERANDS - 1) * sizeof *in->opd);
        in->nopd--;
    }
    in->opd[in->nopd].kind = kind;
    in->opd[in->nopd].num = num;
    in->opd[in->nopd].tok = *tok;
    in->nopd++;
}

/* ---- paths ---- */

static void path_point(interp *in, double x, double y)
{
    double dx, dy;
    apply(&in->gs.ctm, x, y, &dx, &dy);
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
        const matrix *m = &in->gs.ctm;
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
    int rc = tok->kind == PDF_TOK_STRING ? pdf_decode_literal(&in->lx, tok, &s, &n) : pdf_decode_hex(&in->lx, tok, &s, &n);
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

/* Adds what a text run painted and moves the text matrix past it. */
static void finish_text(interp *in, const text_run *t)
{
    const gstate *g = &in->gs;
    if (t->any && g->tr != 3 && g->tr != 7) {
        double k = g->fs / 1000.0;
        double ya = g->ts + g->font->lly * k, yb = g->ts + g->font->ury * k;
        vbsig_pdf_rect r = {t->xmin, pdf_dmin(ya, yb), t->xmax, pdf_dmax(ya, yb)};
        matrix trm = mul(in->tm, g->ctm);
        r = through(&trm, &r);
        vbsig_pdf_footprint_add(in->fp, &r, VBSIG_PDF_PAINT_TEXT);
    }
    matrix step = {1, 0, 0, 1, t->pen, 0};
    in->tm = mul(step, in->tm);
}

static void text_move(interp *in, double tx, double ty)
{
    matrix step = {1, 0, 0, 1, tx, ty};
    in->tlm = mul(step, in->tlm);
    in->tm = in->tlm;
}

static int show(interp *in, const operand *o)
{
    text_run t = {0};
    if (o == NULL) {
        unbounded(in, N_("a text operator without its string"));
        return VBSIG_OK;
    }
    if (o->kind == OPD_STRING) {
        int rc = show_string(in, &t, &o->tok);
        if (rc != VBSIG_OK)
            return rc;
    } else { /* TJ: strings and adjustments */
        pdf_lexer sub;
        pdf_token tok;
        pdf_lexer_init(&sub, in->lx.data, o->tok.end, o->tok.start + 1, in->lx.name, in->lx.in_file);
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
    if (!nums(in, 1, &size) || in->nopd < 2 || in->opd[in->nopd - 2].kind != OPD_NAME) {
        unbounded(in, N_("a Tf operator with wrong operands"));
        return VBSIG_OK;
    }
    in->gs.fs = size;
    return pdf_font_metrics_get(&in->run->fonts, in->run->doc, in->run->rev,
                                resource(in, "Font", &in->opd[in->nopd - 2].tok), &in->gs.font);
}

static void ext_gstate(interp *in)
{
    const operand *o = last(in, OPD_NAME);
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

static int form_footprint(interp *in, const vbsig_pdf_obj *form, const matrix *m, const vbsig_pdf_rect *clip)
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
    sub->tm = sub->tlm = identity;
    const vbsig_pdf_obj *res = resolved(in, vbsig_pdf_dict_get(form, "Resources"));
    sub->resources = res != NULL ? res : in->resources; /* PDF 1.1 forms share the page's */
    pdf_lexer_init(&sub->lx, content.data, content.len, 0, in->lx.name, 0);
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
    const operand *o = last(in, OPD_NAME);
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
    matrix fm = identity;
    const vbsig_pdf_obj *ma = resolved(in, vbsig_pdf_dict_get(x, "Matrix"));
    if (ma != NULL) {
        double v[6];
        for (size_t i = 0; i < 6; i++)
            if (vbsig_pdf_array_count(ma) != 6 || vbsig_pdf_get_number(vbsig_pdf_array_get(ma, i), &v[i]) != VBSIG_OK) {
                unbounded(in, N_("an XObject that cannot be read"));
                return VBSIG_OK;
            }
        fm = (matrix){v[0], v[1], v[2], v[3], v[4], v[5]};
    }
    matrix m = mul(fm, in->gs.ctm);
    vbsig_pdf_rect clip = through(&m, &bbox);
    int r = form_footprint(in, x, &m, &clip);
    if (r < 0)
        return r;
    if (r == 0) /* not looked into: all of its box */
        vbsig_pdf_footprint_add(in->fp, &clip, VBSIG_PDF_PAINT_FORM);
    return VBSIG_OK;
}

/* ---- inline images: BI <dict> ID <data> EI ---- */

static int token_is(const pdf_lexer *lx, const pdf_token *t, const char *a, const char *b)
{
    size_t n = t->end - t->start;
    const char *s = (const char *)lx->data + t->start + 1;
    return t->kind == PDF_TOK_NAME && ((strlen(a) == n - 1 && memcmp(s, a, n - 1) == 0) ||
                                       (strlen(b) == n - 1 && memcmp(s, b, n - 1) == 0));
}

/* The data length an unfiltered image needs, 0 when it cannot be told. */
static size_t image_bytes(double w, double h, double bpc, double comps)
{
    if (!(w > 0 && h > 0 && bpc > 0 && comps > 0) || w > 1e6 || h > 1e6 || bpc > 16 || comps > 32)
        return 0;
    size_t row = ((size_t)w * (size_t)comps * (size_t)bpc + 7) / 8;
    return row * (size_t)h;
}

static int delimited_ei(const pdf_lexer *lx, size_t p)
{
    return p + 1 < lx->len && lx->data[p] == 'E' && lx->data[p + 1] == 'I' &&
           (p + 2 == lx->len || pdf_is_space(lx->data[p + 2]) || pdf_is_delim(lx->data[p + 2]));
}

static void inline_image(interp *in)
{
    pdf_lexer *lx = &in->lx;
    pdf_token key, val;
    double w = 0, h = 0, bpc = 0, comps = 0, length = -1;
    int filtered = 0, found_id = 0;
    for (int i = 0; i < INLINE_DICT_MAX_TOKENS && !found_id; i++) {
        if (pdf_lex_next(lx, &key) != VBSIG_OK || key.kind == PDF_TOK_EOF)
            break;
        if (pdf_tok_is_keyword(lx, &key, "ID")) {
            found_id = 1;
            break;
        }
        if (key.kind != PDF_TOK_NAME || pdf_lex_next(lx, &val) != VBSIG_OK)
            break;
        double v = val.kind == PDF_TOK_INT ? (double)val.integer : val.kind == PDF_TOK_REAL ? val.real : -1;
        if (token_is(lx, &key, "W", "Width"))
            w = v;
        else if (token_is(lx, &key, "H", "Height"))
            h = v;
        else if (token_is(lx, &key, "BPC", "BitsPerComponent"))
            bpc = v;
        else if (token_is(lx, &key, "L", "Length"))
            length = v;
        else if (token_is(lx, &key, "F", "Filter"))
            filtered = 1;
        else if (token_is(lx, &key, "IM", "ImageMask") && pdf_tok_is_keyword(lx, &val, "true")) {
            comps = 1;
            bpc = 1;
        }
        else if (token_is(lx, &key, "CS", "ColorSpace"))
            comps = token_is(lx, &val, "G", "DeviceGray") ? 1 : token_is(lx, &val, "RGB", "DeviceRGB") ? 3
                    : token_is(lx, &val, "CMYK", "DeviceCMYK") ? 4 : 0;
        if (val.kind == PDF_TOK_ARRAY_OPEN || val.kind == PDF_TOK_DICT_OPEN) {
            /* /D [1 0], /DP << … >>: skipped, balanced and bounded */
            int depth = 1;
            pdf_token t;
            while (depth > 0 && depth < MAX_SKIP_DEPTH && pdf_lex_next(lx, &t) == VBSIG_OK && t.kind != PDF_TOK_EOF)
                depth += (t.kind == PDF_TOK_ARRAY_OPEN || t.kind == PDF_TOK_DICT_OPEN) -
                         (t.kind == PDF_TOK_ARRAY_CLOSE || t.kind == PDF_TOK_DICT_CLOSE);
            if (depth != 0)
                break;
        }
    }
    vbsig_error_clear();
    if (!found_id) {
        unbounded(in, N_("an inline image cannot be read"));
        return;
    }
    size_t start = lx->pos + 1, end = 0; /* one white-space byte follows ID */
    size_t known = length >= 0 && length < 1e15 ? (size_t)length : filtered ? 0 : image_bytes(w, h, bpc, comps);
    if (known > 0 && start + known <= lx->len) {
        size_t p = start + known;
        while (p < lx->len && pdf_is_space(lx->data[p]))
            p++;
        if (delimited_ei(lx, p))
            end = p;
    }
    for (size_t p = start; end == 0 && p + 1 < lx->len; p++)
        if (p > start && pdf_is_space(lx->data[p - 1]) && delimited_ei(lx, p))
            end = p;
    if (end == 0) {
        unbounded(in, N_("an inline image cannot be read"));
        return;
    }
    lx->pos = end + 2;
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
        g->ctm = mul((matrix){v[0], v[1], v[2], v[3], v[4], v[5]}, g->ctm);
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
        in->tm = in->tlm = identity;
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
        in->tm = in->tlm = (matrix){v[0], v[1], v[2], v[3], v[4], v[5]};
    } else if (strcmp(o, "T*") == 0) {
        text_move(in, 0, -g->tl);
    } else if (strcmp(o, "Tj") == 0) {
        rc = show(in, last(in, OPD_STRING));
    } else if (strcmp(o, "TJ") == 0) {
        rc = show(in, last(in, OPD_ARRAY));
    } else if (strcmp(o, "'") == 0) {
        text_move(in, 0, -g->tl);
        rc = show(in, last(in, OPD_STRING));
    } else if (strcmp(o, "\"") == 0) {
        const operand *s = last(in, OPD_STRING);
        in->nopd -= s != NULL;
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

/* Skips a balanced array or dictionary operand whose opening token was
 * just read. */
static int skip_balanced(interp *in)
{
    int depth = 1;
    pdf_token t;
    while (depth > 0) {
        if (depth > MAX_SKIP_DEPTH || pdf_lex_next(&in->lx, &t) != VBSIG_OK || t.kind == PDF_TOK_EOF)
            return 0;
        if (t.kind == PDF_TOK_ARRAY_OPEN || t.kind == PDF_TOK_DICT_OPEN)
            depth++;
        else if (t.kind == PDF_TOK_ARRAY_CLOSE || t.kind == PDF_TOK_DICT_CLOSE)
            depth--;
    }
    return 1;
}

static int interpret(interp *in)
{
    pdf_token t;
    page_run *run = in->run;
    while (!in->stop && in->rc == VBSIG_OK) {
        if (pdf_lex_next(&in->lx, &t) != VBSIG_OK) {
            vbsig_error_clear();
            unbounded(in, N_("the content cannot be parsed"));
            break;
        }
        switch (t.kind) {
        case PDF_TOK_EOF:
            paint(in, 1); /* a path never painted or ended: counted, as some viewers draw it */
            return in->rc;
        case PDF_TOK_INT: push(in, OPD_NUM, (double)t.integer, &t); break;
        case PDF_TOK_REAL: push(in, OPD_NUM, t.real, &t); break;
        case PDF_TOK_STRING:
        case PDF_TOK_HEXSTRING: push(in, OPD_STRING, 0, &t); break;
        case PDF_TOK_NAME: push(in, OPD_NAME, 0, &t); break;
        case PDF_TOK_ARRAY_OPEN:
        case PDF_TOK_DICT_OPEN:
            if (!skip_balanced(in)) {
                vbsig_error_clear();
                unbounded(in, N_("the content cannot be parsed"));
                break;
            }
            t.end = in->lx.pos;
            push(in, t.kind == PDF_TOK_ARRAY_OPEN ? OPD_ARRAY : OPD_OTHER, 0, &t);
            break;
        case PDF_TOK_ARRAY_CLOSE:
        case PDF_TOK_DICT_CLOSE: unbounded(in, N_("the content cannot be parsed")); break;
        case PDF_TOK_KEYWORD: {
            size_t n = t.end - t.start;
            if (pdf_tok_is_keyword(&in->lx, &t, "true") || pdf_tok_is_keyword(&in->lx, &t, "false") ||
                pdf_tok_is_keyword(&in->lx, &t, "null")) {
                push(in, OPD_OTHER, 0, &t);
                break;
            }
            if (++run->ops > VBSIG_PDF_FOOTPRINT_MAX_OPS) {
                unbounded(in, N_("more operators than the limit"));
                break;
            }
            char name[4] = {0};
            if (n < sizeof name) {
                memcpy(name, in->lx.data + t.start, n);
                int rc = op(in, name);
                if (rc != VBSIG_OK)
                    in->rc = rc;
            }
            in->nopd = 0;
            break;
        }
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
    in->gs.ctm = identity;
    in->gs.lw = 1;
    in->gs.ml = 10;
    in->gs.th = 1;
    in->gs.font = &run.fonts.generous;
    in->tm = in->tlm = identity;
    pdf_lexer_init(&in->lx, data, len, 0, doc->name, 0);
    int rc = interpret(in);
    free(in);
    pdf_font_cache_free(&run.fonts);
    return rc;
}
