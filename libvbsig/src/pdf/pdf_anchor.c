/* The signature gap below a text anchor. Lines come from pdf_text_lines.c
 * grouped in rows (one baseline); an anchor may span several lines of one
 * row, because justified text spreads the words of "KT.   CHỦ   TỊCH" as
 * far apart as columns are. The column is the free span around the
 * anchor: up to the nearest text on its left and right (the "Nơi nhận:"
 * list of the block's other column) within the gap's height. */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_anchor.h"
#include "pdf/pdf_internal.h"
#include "pdf/pdf_text_lines.h"
#include "util/unicode_nfc.h"

/* An anchor spans at most this many lines of a row (each holds a word or
 * more): bounds the work on rows of hostile pages cut into many pieces. */
#define MAX_SPAN_LINES 12

/* Titles that make up a whole title line (Decree 30/2020 Appendix I; the
 * usual heads of state bodies, provinces, departments and offices). */
static const char *const titles[] = {
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC",
    "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
    "BỘ TRƯỞNG", "THỨ TRƯỞNG", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "TỔNG CỤC TRƯỞNG", "VỤ TRƯỞNG", "VIỆN TRƯỞNG",
    "HIỆU TRƯỞNG", "THỦ TRƯỞNG", "CHÁNH THANH TRA", "CHÁNH ÁN", "BÍ THƯ", "TRƯỞNG ĐOÀN", "THỦ TƯỚNG",
    "PHÓ THỦ TƯỚNG", "CHỦ NHIỆM", "TỔNG THƯ KÝ", "TRƯỞNG KHOA", "CHI CỤC TRƯỞNG",
};
/* Authority markers that open a line of the block: on behalf of (TM.),
 * deputy signing for (KT.), by order of (TL.), by authorisation (TUQ.),
 * acting (Q.). */
static const char *const markers[] = {"TM.", "KT.", "TL.", "TUQ.", "Q."};

int vbsig__pdf_is_title_line(const char *text)
{
    for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
        if (strcmp(text, titles[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        size_t n = strlen(markers[i]);
        if (strncmp(text, markers[i], n) == 0 && (text[n] == 0 || text[n] == ' '))
            return 1;
    }
    return 0;
}

/* NFC, white space runs as one space, trimmed. NULL when out of memory. */
static char *normalise(const char *s)
{
    char *n = vbsig_nfc_utf8(s, strlen(s), NULL);
    if (n == NULL)
        return NULL;
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; n[i] != 0; i++) {
        unsigned char c = (unsigned char)n[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = o > 0;
            continue;
        }
        if (space)
            n[o++] = ' ';
        space = 0;
        n[o++] = (char)c;
    }
    n[o] = 0;
    return n;
}

typedef struct match {
    size_t first, last; /* lines of tp, one row */
    int found;
} match;

/* The text of lines first..last joined by spaces (malloc'ed). */
static char *joined(const vbsig_pdf_text_page *tp, size_t first, size_t last)
{
    size_t n = 1;
    for (size_t i = first; i <= last; i++)
        n += tp->lines[i].len + 1;
    char *s = malloc(n), *p = s;
    if (s == NULL)
        return NULL;
    for (size_t i = first; i <= last; i++) {
        if (i > first)
            *p++ = ' ';
        memcpy(p, tp->lines[i].text, tp->lines[i].len);
        p += tp->lines[i].len;
    }
    *p = 0;
    return s;
}

/* 1 when span first..last is what is looked for. */
static int span_matches(const char *text, const char *anchor)
{
    return anchor == NULL ? vbsig__pdf_is_title_line(text) : strstr(text, anchor) != NULL;
}

/* The lowest row holding the anchor; inside it the longest title (default)
 * or the shortest span holding the anchor (explicit), leftmost first. */
static int search(const vbsig_pdf_text_page *tp, const char *anchor, match *m)
{
    m->found = 0;
    for (size_t a = tp->count; a > 0;) {
        size_t b = a; /* the row is lines [a, b) */
        a--;
        while (a > 0 && tp->lines[a - 1].row == tp->lines[b - 1].row)
            a--;
        for (size_t i = a; i < b; i++)
            for (size_t j = i; j < b && j - i < MAX_SPAN_LINES; j++) {
                char *t = joined(tp, i, j);
                if (t == NULL)
                    return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
                int hit = span_matches(t, anchor);
                free(t);
                if (!hit)
                    continue;
                size_t len = j - i, best = m->last - m->first;
                if (!m->found || (anchor == NULL ? len > best : len < best)) {
                    m->first = i;
                    m->last = j;
                    m->found = 1;
                }
                if (anchor != NULL)
                    break; /* longer spans from i only hold it again */
            }
        if (m->found)
            return VBSIG_OK;
    }
    return VBSIG_OK;
}

static int overlaps_x(const vbsig_pdf_rect *r, double x0, double x1)
{
    return r->x0 < x1 && x0 < r->x1;
}

static void unite(vbsig_pdf_rect *u, const vbsig_pdf_rect *r)
{
    u->x0 = pdf_dmin(u->x0, r->x0);
    u->y0 = pdf_dmin(u->y0, r->y0);
    u->x1 = pdf_dmax(u->x1, r->x1);
    u->y1 = pdf_dmax(u->y1, r->y1);
}

/* The gap on tp for the match m. */
static int fill_gap(const vbsig_pdf_text_page *tp, const match *m, vbsig_pdf_signature_gap *g)
{
    const vbsig_pdf_text_line *first = &tp->lines[m->first];
    vbsig_pdf_rect anchor = first->box;
    double em = first->size, baseline = first->baseline;
    for (size_t i = m->first + 1; i <= m->last; i++) {
        unite(&anchor, &tp->lines[i].box);
        em = pdf_dmax(em, tp->lines[i].size);
    }
    /* downwards: the first row with a line in the anchor's own extent; its
     * lines that overlap the anchor make the next line */
    g->has_next = 0;
    size_t next_row = 0;
    for (size_t i = m->last + 1; i < tp->count && !g->has_next; i++) {
        const vbsig_pdf_text_line *l = &tp->lines[i];
        if (l->row == first->row || !overlaps_x(&l->box, anchor.x0, anchor.x1) || l->baseline > baseline - 0.5 * em)
            continue;
        next_row = l->row;
        size_t last = i;
        g->next = l->box;
        for (size_t k = i + 1; k < tp->count && tp->lines[k].row == next_row; k++)
            if (overlaps_x(&tp->lines[k].box, anchor.x0, anchor.x1)) {
                unite(&g->next, &tp->lines[k].box);
                last = k;
            }
        g->next_text = joined(tp, i, last);
        if (g->next_text == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        g->has_next = 1;
    }
    g->anchor = anchor;
    g->anchor_text = joined(tp, m->first, m->last);
    if (g->anchor_text == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    double bottom = g->has_next ? g->next.y1 : pdf_dmax(tp->page.y0, anchor.y0 - VBSIG_PDF_GAP_DEFAULT_EMS * em);
    bottom = pdf_dmin(bottom, anchor.y0);
    /* the column: the free span around the anchor, from the text nearest
     * to its left and right that rises into the band between the gap's
     * bottom and the anchor's top, within the page box */
    double cx0 = tp->page.x0, cx1 = tp->page.x1;
    for (size_t i = 0; i < tp->count; i++) {
        const vbsig_pdf_text_line *l = &tp->lines[i];
        if ((i >= m->first && i <= m->last) || (g->has_next && l->row == next_row) || l->box.y1 <= bottom ||
            l->box.y0 >= anchor.y1)
            continue;
        if (l->box.x1 <= anchor.x0)
            cx0 = pdf_dmax(cx0, l->box.x1);
        else if (l->box.x0 >= anchor.x1)
            cx1 = pdf_dmin(cx1, l->box.x0);
    }
    g->gap = (vbsig_pdf_rect){pdf_dmin(cx0, anchor.x0), bottom, pdf_dmax(cx1, anchor.x1), anchor.y0};
    g->page_box = tp->page;
    return VBSIG_OK;
}

void vbsig__pdf_signature_gap_free(vbsig_pdf_signature_gap *gap)
{
    if (gap == NULL)
        return;
    free(gap->anchor_text);
    free(gap->next_text);
    memset(gap, 0, sizeof *gap);
}

/* Searches page i; *found set. */
static int search_page(vbsig_pdf_doc *doc, size_t rev, size_t i, const char *anchor, vbsig_pdf_signature_gap *out,
                       int *found)
{
    const vbsig_pdf_obj *page;
    int rc = vbsig_pdf_page(doc, rev, i, &page);
    if (rc != VBSIG_OK)
        return rc;
    vbsig_pdf_text_page tp;
    rc = vbsig_pdf_page_text(doc, rev, page, &tp);
    if (rc != VBSIG_OK)
        return rc;
    match m;
    rc = search(&tp, anchor, &m);
    *found = rc == VBSIG_OK && m.found;
    if (*found) {
        out->page = i;
        rc = fill_gap(&tp, &m, out);
    }
    vbsig_pdf_text_page_free(&tp);
    return rc;
}

int vbsig__pdf_find_signature_gap(vbsig_pdf_doc *doc, size_t rev, const char *anchor_utf8, int page,
                                  vbsig_pdf_signature_gap *out)
{
    if (out == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig__pdf_find_signature_gap", "out");
    memset(out, 0, sizeof *out);
    if (doc == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig__pdf_find_signature_gap", "doc");
    memset(out, 0, sizeof *out);
    size_t count;
    int rc = vbsig_pdf_page_count(doc, rev, &count);
    if (rc != VBSIG_OK)
        return rc;
    if (page < -1 || (page >= 0 && (size_t)page >= count))
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("page %d is not in the document (it has %zu pages)"), page + 1, count);
    if (vbsig_pdf_is_encrypted(doc))
        return vbsig_fail(VBSIG_E_UNSUPPORTED, _("%s: the document is encrypted: its text cannot be searched for an anchor"),
                          doc->name);
    char *anchor = NULL;
    if (anchor_utf8 != NULL) {
        if (!vbsig_utf8_valid(anchor_utf8))
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("the text anchor is not UTF-8"));
        anchor = normalise(anchor_utf8);
        if (anchor == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        if (anchor[0] == 0) {
            free(anchor);
            return vbsig_fail(VBSIG_E_INVALID_ARG, _("the text anchor is empty"));
        }
    }
    int found = 0;
    for (size_t k = 0; rc == VBSIG_OK && !found && k < count && k < VBSIG_PDF_ANCHOR_MAX_PAGES; k++) {
        size_t i = page >= 0 ? (size_t)page : count - 1 - k;
        rc = search_page(doc, rev, i, anchor, out, &found);
        if (page >= 0)
            break;
    }
    if (rc == VBSIG_OK && !found) {
        if (anchor == NULL)
            rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: no signature block title (such as %s) is written on any page"),
                            doc->name, "\"CHỦ TỊCH\", \"GIÁM ĐỐC\"");
        else if (page >= 0)
            rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the text anchor \"%s\" is not written on page %d"), doc->name, anchor,
                            page + 1);
        else
            rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the text anchor \"%s\" is not written on any page"), doc->name, anchor);
    }
    free(anchor);
    if (rc != VBSIG_OK)
        vbsig__pdf_signature_gap_free(out);
    return rc;
}
