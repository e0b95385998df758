/* Glyphs of a content stream (ISO 32000-1 §9.2-9.4): the text state and
 * the graphics state's matrix followed through q/Q, cm, BT, Tf, Tc, Tw,
 * Tz, TL, Ts, Td, TD, Tm, T*, Tj, TJ, ' and ", gs with /Font, and form XObjects entered
 * (their /Matrix and /Resources). Each shown glyph is placed in default
 * user space with its Unicode text. Unreadable parts are skipped and the
 * page marked truncated: a text search then just finds less. */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_content_scan.h"
#include "pdf/pdf_internal.h"
#include "pdf/pdf_text_font.h"
#include "pdf/pdf_text_lines.h"

#define GLYPH_CPS 32 /* code points of one glyph ("ffi" is 3) */

typedef struct tstate {
    pdf_matrix ctm;
    double tc, tw, th, tl, ts, fs;
    const pdf_text_font *font;
} tstate;

typedef struct run_ctx {
    vbsig_pdf_doc *doc;
    size_t rev;
    vbsig_pdf_text_page *tp;
    pdf_text_font_cache fonts;
    size_t ops, bytes;
    const vbsig_pdf_obj *forms[VBSIG_PDF_TEXT_MAX_FORMS];
    size_t nforms;
} run_ctx;

typedef struct tinterp {
    run_ctx *run;
    pdf_content_scan sc;
    const vbsig_pdf_obj *resources;
    tstate gs;
    tstate saved[VBSIG_PDF_TEXT_MAX_SAVES];
    size_t depth;
    pdf_matrix tm, tlm;
} tinterp;

static int interpret(tinterp *in);

static const vbsig_pdf_obj *resource(tinterp *in, const char *category, const pdf_token *name_tok, int *rc)
{
    char *name = NULL;
    size_t len;
    int r = pdf_decode_name(&in->sc.lx, name_tok, &name, &len);
    if (r != VBSIG_OK) {
        if (r == VBSIG_E_NOMEM)
            *rc = r;
        else
            vbsig_error_clear();
        return NULL;
    }
    const vbsig_pdf_obj *cat = pdf_resolved_quiet(in->run->doc, in->run->rev, vbsig_pdf_dict_get(in->resources, category));
    const vbsig_pdf_obj *o = pdf_resolved_quiet(in->run->doc, in->run->rev, vbsig_pdf_dict_get(cat, name));
    free(name);
    return o;
}

/* ---- showing text ---- */

/* One glyph at the pen (text space x = pen), then the pen advances. */
static int glyph(tinterp *in, double *pen, const pdf_text_font *f, const uint8_t *s, size_t n, size_t *used)
{
    const tstate *g = &in->gs;
    uint32_t code, cps[GLYPH_CPS];
    size_t ncps;
    int word_space;
    *used = pdf_text_font_glyph(f, s, n, &code, cps, GLYPH_CPS, &ncps, &word_space);
    double w = pdf_font_width(f->metrics, code) / 1000.0;
    double adv = (w * g->fs + g->tc + (word_space ? g->tw : 0)) * g->th;
    double box_adv = (w * g->fs + g->tc) * g->th; /* poppler's edge: spacing of words left out */
    vbsig_pdf_text_page *tp = in->run->tp;
    pdf_matrix m = pdf_matrix_mul(in->tm, g->ctm);
    double ox, oy, ex, ey;
    pdf_matrix_apply(&m, *pen, g->ts, &ox, &oy);
    pdf_matrix_apply(&m, *pen + box_adv, g->ts, &ex, &ey);
    *pen += adv;
    /* the em horizontally and vertically in user space (a negative font
     * size with a flipped matrix is upright too) */
    double sx = g->fs * g->th * m.a, sy = g->fs * m.d;
    double size = sy;
    /* upright, left to right: the only text a signature block is laid out in */
    int upright = sx > 0 && sy > 0 && pdf_dabs(m.b) <= 1e-3 * pdf_dabs(m.a) && pdf_dabs(m.c) <= 1e-3 * pdf_dabs(m.d) &&
                  !f->vertical;
    if (!upright) {
        tp->skipped++;
        return VBSIG_OK;
    }
    if (tp->nglyphs >= VBSIG_PDF_TEXT_MAX_GLYPHS) {
        tp->truncated = 1;
        return VBSIG_OK;
    }
    pdf_text_glyph gl = {ox, ex, oy, size, f->ascent, f->descent, 0, 0};
    int rc = pdf_text_push_cps(tp, cps, ncps, &gl.first);
    gl.count = (uint32_t)ncps;
    return rc == VBSIG_OK ? pdf_text_push_glyph(tp, &gl) : rc;
}

static int show_string(tinterp *in, double *pen, const pdf_token *tok)
{
    uint8_t *s = NULL;
    size_t n = 0;
    int rc = tok->kind == PDF_TOK_STRING ? pdf_decode_literal(&in->sc.lx, tok, &s, &n)
                                         : pdf_decode_hex(&in->sc.lx, tok, &s, &n);
    if (rc != VBSIG_OK)
        return rc;
    const pdf_text_font *f = in->gs.font;
    for (size_t i = 0; rc == VBSIG_OK && i < n;) {
        size_t used;
        rc = glyph(in, pen, f, s + i, n - i, &used);
        i += used;
    }
    free(s);
    return rc;
}

static int show(tinterp *in, const pdf_operand *o)
{
    double pen = 0;
    int rc = VBSIG_OK;
    if (o == NULL) {
        in->run->tp->truncated = 1;
        return VBSIG_OK;
    }
    if (o->kind == PDF_OPD_STRING) {
        rc = show_string(in, &pen, &o->tok);
    } else { /* TJ: strings and adjustments */
        pdf_lexer sub;
        pdf_token tok;
        pdf_lexer_init(&sub, in->sc.lx.data, o->tok.end, o->tok.start + 1, in->sc.lx.name, 0);
        while (rc == VBSIG_OK && pdf_lex_next(&sub, &tok) == VBSIG_OK && tok.kind != PDF_TOK_ARRAY_CLOSE &&
               tok.kind != PDF_TOK_EOF) {
            if (tok.kind == PDF_TOK_INT || tok.kind == PDF_TOK_REAL) {
                double v = tok.kind == PDF_TOK_INT ? (double)tok.integer : tok.real;
                pen -= v / 1000.0 * in->gs.fs * in->gs.th;
            } else if (tok.kind == PDF_TOK_STRING || tok.kind == PDF_TOK_HEXSTRING) {
                rc = show_string(in, &pen, &tok);
            }
        }
        vbsig_error_clear(); /* the span was lexed once already */
    }
    if (rc == VBSIG_E_MALFORMED) {
        vbsig_error_clear();
        rc = VBSIG_OK;
    }
    pdf_matrix step = {1, 0, 0, 1, pen, 0};
    in->tm = pdf_matrix_mul(step, in->tm);
    return rc;
}

static void text_move(tinterp *in, double tx, double ty)
{
    pdf_matrix step = {1, 0, 0, 1, tx, ty};
    in->tlm = pdf_matrix_mul(step, in->tlm);
    in->tm = in->tlm;
}

static int set_font(tinterp *in)
{
    double size;
    const pdf_content_scan *sc = &in->sc;
    if (!pdf_content_nums(sc, 1, &size) || sc->nopd < 2 || sc->opd[sc->nopd - 2].kind != PDF_OPD_NAME)
        return VBSIG_OK;
    int rc = VBSIG_OK;
    const vbsig_pdf_obj *font = resource(in, "Font", &sc->opd[sc->nopd - 2].tok, &rc);
    if (rc != VBSIG_OK)
        return rc;
    in->gs.fs = size;
    return pdf_text_font_get(&in->run->fonts, in->run->doc, in->run->rev, font, &in->gs.font);
}

/* gs with a /Font [font size] entry: the same as Tf. */
static int ext_gstate_font(tinterp *in)
{
    const pdf_operand *o = pdf_content_last(&in->sc, PDF_OPD_NAME);
    int rc = VBSIG_OK;
    const vbsig_pdf_obj *g = o != NULL ? resource(in, "ExtGState", &o->tok, &rc) : NULL;
    const vbsig_pdf_obj *f = pdf_resolved_quiet(in->run->doc, in->run->rev, vbsig_pdf_dict_get(g, "Font"));
    double size;
    if (rc != VBSIG_OK || vbsig_pdf_array_count(f) != 2 ||
        vbsig_pdf_get_number(pdf_resolved_quiet(in->run->doc, in->run->rev, vbsig_pdf_array_get(f, 1)), &size) != VBSIG_OK)
        return rc;
    in->gs.fs = size;
    return pdf_text_font_get(&in->run->fonts, in->run->doc, in->run->rev,
                             pdf_resolved_quiet(in->run->doc, in->run->rev, vbsig_pdf_array_get(f, 0)), &in->gs.font);
}

/* ---- form XObjects ---- */

static int draw_form(tinterp *in, const vbsig_pdf_obj *x)
{
    run_ctx *run = in->run;
    for (size_t i = 0; i < run->nforms; i++)
        if (run->forms[i] == x)
            return VBSIG_OK; /* a form drawing itself */
    if (run->nforms == VBSIG_PDF_TEXT_MAX_FORMS) {
        run->tp->truncated = 1;
        return VBSIG_OK;
    }
    pdf_matrix fm = PDF_MATRIX_IDENTITY;
    const vbsig_pdf_obj *ma = pdf_resolved_quiet(run->doc, run->rev, vbsig_pdf_dict_get(x, "Matrix"));
    if (ma != NULL) {
        double v[6];
        for (size_t i = 0; i < 6; i++)
            if (vbsig_pdf_array_count(ma) != 6 ||
                vbsig_pdf_get_number(pdf_resolved_quiet(run->doc, run->rev, vbsig_pdf_array_get(ma, i)), &v[i]) != VBSIG_OK)
                return VBSIG_OK;
        fm = (pdf_matrix){v[0], v[1], v[2], v[3], v[4], v[5]};
    }
    vbsig_bytes content;
    int rc = vbsig_pdf_stream_decode(run->doc, run->rev, x, &content);
    if (rc == VBSIG_OK && run->bytes + content.len > run->doc->lim.max_inflated)
        rc = VBSIG_E_LIMIT;
    if (rc != VBSIG_OK) {
        vbsig_bytes_free(&content);
        vbsig_error_clear();
        run->tp->truncated = 1;
        return rc == VBSIG_E_NOMEM ? rc : VBSIG_OK;
    }
    run->bytes += content.len;
    tinterp *sub = calloc(1, sizeof *sub);
    if (sub == NULL) {
        vbsig_bytes_free(&content);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    sub->run = run;
    sub->gs = in->gs;
    sub->gs.ctm = pdf_matrix_mul(fm, in->gs.ctm);
    sub->tm = sub->tlm = PDF_MATRIX_IDENTITY;
    const vbsig_pdf_obj *res = pdf_resolved_quiet(run->doc, run->rev, vbsig_pdf_dict_get(x, "Resources"));
    sub->resources = res != NULL ? vbsig_pdf_dict_of(res) : in->resources; /* PDF 1.1 forms share the page's */
    pdf_content_scan_init(&sub->sc, content.data, content.len, in->sc.lx.name);
    run->forms[run->nforms++] = x;
    rc = interpret(sub);
    run->nforms--;
    free(sub);
    vbsig_bytes_free(&content);
    return rc;
}

static int draw_xobject(tinterp *in)
{
    const pdf_operand *o = pdf_content_last(&in->sc, PDF_OPD_NAME);
    int rc = VBSIG_OK;
    const vbsig_pdf_obj *x = o != NULL ? resource(in, "XObject", &o->tok, &rc) : NULL;
    if (rc != VBSIG_OK || x == NULL || x->type != VBSIG_PDF_STREAM || !vbsig_pdf_is_name(vbsig_pdf_dict_get(x, "Subtype"), "Form"))
        return rc;
    return draw_form(in, x);
}

/* ---- operators ---- */

static int op(tinterp *in, const char *o)
{
    double v[6];
    tstate *g = &in->gs;
    const pdf_content_scan *sc = &in->sc;
#define NEED(n)                           \
    do {                                  \
        if (!pdf_content_nums(sc, n, v))  \
            return VBSIG_OK;              \
    } while (0)
    if (strcmp(o, "q") == 0) {
        if (in->depth == VBSIG_PDF_TEXT_MAX_SAVES)
            in->run->tp->truncated = 1;
        else
            in->saved[in->depth++] = *g;
    } else if (strcmp(o, "Q") == 0) {
        if (in->depth > 0)
            *g = in->saved[--in->depth];
    } else if (strcmp(o, "cm") == 0) {
        NEED(6);
        g->ctm = pdf_matrix_mul((pdf_matrix){v[0], v[1], v[2], v[3], v[4], v[5]}, g->ctm);
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
    } else if (strcmp(o, "Tf") == 0) {
        return set_font(in);
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
        return show(in, pdf_content_last(sc, PDF_OPD_STRING));
    } else if (strcmp(o, "TJ") == 0) {
        return show(in, pdf_content_last(sc, PDF_OPD_ARRAY));
    } else if (strcmp(o, "'") == 0) {
        text_move(in, 0, -g->tl);
        return show(in, pdf_content_last(sc, PDF_OPD_STRING));
    } else if (strcmp(o, "\"") == 0) {
        const pdf_operand *s = pdf_content_last(sc, PDF_OPD_STRING);
        if (s == NULL || sc->nopd < 3 || sc->opd[sc->nopd - 3].kind != PDF_OPD_NUM ||
            sc->opd[sc->nopd - 2].kind != PDF_OPD_NUM)
            return VBSIG_OK;
        g->tw = sc->opd[sc->nopd - 3].num;
        g->tc = sc->opd[sc->nopd - 2].num;
        text_move(in, 0, -g->tl);
        return show(in, s);
    } else if (strcmp(o, "gs") == 0) {
        return ext_gstate_font(in);
    } else if (strcmp(o, "Do") == 0) {
        return draw_xobject(in);
    } else if (strcmp(o, "BI") == 0) {
        if (!pdf_content_skip_inline_image(&in->sc, NULL)) {
            in->run->tp->truncated = 1;
            in->sc.lx.pos = in->sc.lx.len;
        }
    }
    /* Everything else paints or sets what text placement does not need. */
    return VBSIG_OK;
#undef NEED
}

static int interpret(tinterp *in)
{
    for (;;) {
        switch (pdf_content_scan_next(&in->sc)) {
        case PDF_SCAN_END: return VBSIG_OK;
        case PDF_SCAN_BROKEN: in->run->tp->truncated = 1; return VBSIG_OK;
        case PDF_SCAN_OP:
            if (++in->run->ops > VBSIG_PDF_TEXT_MAX_OPS) {
                in->run->tp->truncated = 1;
                return VBSIG_OK;
            }
            if (in->sc.op[0] != 0) {
                int rc = op(in, in->sc.op);
                if (rc != VBSIG_OK)
                    return rc;
            }
            break;
        }
    }
}

int pdf_text_extract(vbsig_pdf_doc *doc, size_t rev, const uint8_t *data, size_t len, const vbsig_pdf_obj *resources,
                     vbsig_pdf_text_page *tp)
{
    run_ctx run;
    memset(&run, 0, sizeof run);
    run.doc = doc;
    run.rev = rev;
    run.tp = tp;
    pdf_text_font_cache_init(&run.fonts);
    tinterp *in = calloc(1, sizeof *in);
    if (in == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    in->run = &run;
    in->resources = vbsig_pdf_dict_of(resources);
    in->gs.ctm = PDF_MATRIX_IDENTITY;
    in->gs.th = 1;
    in->gs.font = &run.fonts.fallback;
    in->tm = in->tlm = PDF_MATRIX_IDENTITY;
    pdf_content_scan_init(&in->sc, data, len, doc->name);
    int rc = interpret(in);
    free(in);
    pdf_text_font_cache_free(&run.fonts);
    return rc;
}
