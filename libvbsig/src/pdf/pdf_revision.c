/* The chain of cross-reference sections, from the last startxref through
 * every /Prev (and each hybrid /XRefStm), and the revisions it makes. */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_internal.h"

/* A bound on sections independent of the file: each costs a parse, and no
 * real document has been updated this many times. */
#define PDF_MAX_SECTIONS 4096
/* Writers leave at most a few bytes between a trailer and its startxref;
 * garbage much longer than this is not an end-of-revision marker. */
#define PDF_TRAILER_GAP_MAX 4096

static int fail_at(const vbsig_pdf_doc *doc, size_t at, const char *what)
{
    return vbsig_fail(VBSIG_E_MALFORMED, _("%s: %s at offset %zu"), doc->name, what, at);
}

static int find_last(const vbsig_pdf_doc *doc, const char *needle, size_t *at)
{
    size_t n = strlen(needle);
    for (size_t i = doc->len; i >= n; i--) {
        if (memcmp(doc->data + i - n, needle, n) == 0) {
            *at = i - n;
            return 1;
        }
    }
    return 0;
}

static const uint8_t *find_bytes(const uint8_t *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (hay[i] == (uint8_t)needle[0] && memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

static int read_int_after(const vbsig_pdf_doc *doc, size_t pos, int64_t *value, size_t *end)
{
    pdf_lexer lx;
    pdf_lexer_init(&lx, doc->data, doc->len, pos, doc->name, 1);
    pdf_token t;
    int rc = pdf_lex_next(&lx, &t);
    if (rc != VBSIG_OK)
        return rc;
    if (t.kind != PDF_TOK_INT || t.integer < 0)
        return fail_at(doc, t.start, _("startxref is not followed by an offset"));
    *value = t.integer;
    *end = lx.pos;
    return VBSIG_OK;
}

static int last_startxref(const vbsig_pdf_doc *doc, size_t *offset)
{
    size_t at, end;
    int64_t v;
    if (!find_last(doc, "startxref", &at))
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: no startxref: the file is truncated or not a PDF"), doc->name);
    int rc = read_int_after(doc, at + 9, &v, &end);
    if (rc != VBSIG_OK)
        return rc;
    if ((uint64_t)v >= doc->len)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: startxref %lld at offset %zu points past the end of the file (%zu bytes)"),
                          doc->name, (long long)v, at, doc->len);
    *offset = (size_t)v;
    return VBSIG_OK;
}

/* Annex F: a linearized file's first object, within its first kilobyte,
 * is the linearization parameter dictionary (`/Linearized` before the
 * first endobj). */
static int starts_linearized(const vbsig_pdf_doc *doc)
{
    size_t n = doc->len < 1024 ? doc->len : 1024;
    const uint8_t *end = find_bytes(doc->data, n, "endobj");
    const uint8_t *obj = find_bytes(doc->data, n, " obj");
    if (end == NULL || obj == NULL || obj > end)
        return 0;
    const uint8_t *lin = find_bytes(obj, (size_t)(end - obj), "/Linearized");
    return lin != NULL;
}

/* After a section: `startxref N %%EOF` and an end-of-line. The revision
 * ends just after that end-of-line (or at the end of the file). */
static int find_eof_marker(const vbsig_pdf_doc *doc, pdf_section *sec)
{
    size_t p = sec->body_end, limit = doc->len - p > PDF_TRAILER_GAP_MAX ? p + PDF_TRAILER_GAP_MAX : doc->len;
    const uint8_t *hit = NULL;
    if (limit > p + 9)
        hit = find_bytes(doc->data + p, limit - p, "startxref");
    if (hit == NULL && sec->prev != UINT64_MAX && sec->prev > sec->offset && starts_linearized(doc)) {
        /* ISO 32000 Annex F: the first-page section of a linearized file
         * may end without its own startxref (writers of cross-reference
         * streams leave it out); the main section's trailer ends the
         * revision. */
        sec->startxref_value = 0;
        sec->eof_end = sec->body_end;
        return VBSIG_OK;
    }
    if (hit == NULL)
        return fail_at(doc, sec->offset, _("no startxref after the cross-reference section"));
    size_t sx = (size_t)(hit - doc->data), end;
    int64_t v;
    int rc = read_int_after(doc, sx + 9, &v, &end);
    if (rc != VBSIG_OK)
        return rc;
    sec->startxref_value = (uint64_t)v;
    /* Only whitespace may separate the number from %%EOF. */
    while (end < doc->len && pdf_is_space(doc->data[end]))
        end++;
    if (doc->len - end < 5 || memcmp(doc->data + end, "%%EOF", 5) != 0)
        return fail_at(doc, end, _("no %%EOF after startxref"));
    end += 5;
    if (end < doc->len && doc->data[end] == '\r')
        end++;
    if (end < doc->len && doc->data[end] == '\n')
        end++;
    sec->eof_end = end;
    return VBSIG_OK;
}

static int read_section(vbsig_pdf_doc *doc, size_t offset, pdf_section *sec)
{
    sec->offset = offset;
    sec->prev = UINT64_MAX;
    pdf_lexer lx;
    pdf_lexer_init(&lx, doc->data, doc->len, offset, doc->name, 1);
    pdf_skip_space(&lx);
    int rc;
    size_t hybrid_from;
    if (doc->len - lx.pos >= 4 && memcmp(doc->data + lx.pos, "xref", 4) == 0) {
        if ((rc = pdf_read_xref_table(doc, offset, sec)) != VBSIG_OK)
            return rc;
        hybrid_from = sec->count;
        const vbsig_pdf_obj *stm = vbsig_pdf_dict_get(sec->trailer, "XRefStm");
        if (stm != NULL) {
            int64_t at;
            if (vbsig_pdf_get_int(stm, &at) != VBSIG_OK || at < 0 || (uint64_t)at >= doc->len)
                return fail_at(doc, offset, _("the trailer's /XRefStm is not a valid offset"));
            size_t body_end = sec->body_end;
            if ((rc = pdf_read_xref_stream(doc, (size_t)at, sec, &sec->xref_stream)) != VBSIG_OK)
                return rc;
            sec->body_end = body_end;
            sec->hybrid = 1;
        }
    } else {
        if ((rc = pdf_read_xref_stream(doc, offset, sec, &sec->xref_stream)) != VBSIG_OK)
            return rc;
        sec->is_stream = 1;
        sec->trailer = sec->xref_stream->u.stream.dict;
        hybrid_from = sec->count;
    }
    if ((rc = pdf_section_finish(doc, sec, hybrid_from)) != VBSIG_OK)
        return rc;
    const vbsig_pdf_obj *prev = vbsig_pdf_dict_get(sec->trailer, "Prev");
    if (prev != NULL) {
        int64_t v;
        if (vbsig_pdf_get_int(prev, &v) != VBSIG_OK || v < 0 || (uint64_t)v >= doc->len)
            return fail_at(doc, offset, _("the trailer's /Prev is not an offset inside the file"));
        sec->prev = (uint64_t)v;
    }
    return find_eof_marker(doc, sec);
}

static int read_chain(vbsig_pdf_doc *doc, size_t offset)
{
    size_t cap = 0;
    for (;;) {
        for (size_t i = 0; i < doc->nsections; i++)
            if (doc->sections[i].offset == offset)
                return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the /Prev chain loops back to the section at offset %zu"),
                                  doc->name, offset);
        if (doc->nsections == PDF_MAX_SECTIONS)
            return vbsig_fail(VBSIG_E_LIMIT, _("%s: more than %d cross-reference sections"), doc->name, PDF_MAX_SECTIONS);
        if (doc->nsections == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            pdf_section *n = realloc(doc->sections, ncap * sizeof *n);
            if (n == NULL)
                return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
            doc->sections = n;
            cap = ncap;
        }
        pdf_section *sec = &doc->sections[doc->nsections++];
        memset(sec, 0, sizeof *sec);
        int rc = read_section(doc, offset, sec);
        if (rc != VBSIG_OK)
            return rc;
        if (sec->prev == UINT64_MAX)
            return VBSIG_OK;
        offset = (size_t)sec->prev;
    }
}

/* Sections become revisions oldest first. A section whose /Prev points
 * forward is a linearized file's first-page table: it and the main table
 * it points to are one revision. */
static int build_revisions(vbsig_pdf_doc *doc)
{
    doc->revisions = calloc(doc->nsections, sizeof *doc->revisions);
    if (doc->revisions == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    int forward_seen = 0;
    for (size_t i = doc->nsections; i-- > 0;) {
        pdf_section *sec = &doc->sections[i];
        int forward = sec->prev != UINT64_MAX && sec->prev > sec->offset;
        pdf_revision *rev;
        if (forward) {
            if (forward_seen)
                return fail_at(doc, sec->offset, _("the /Prev chain jumps forward twice"));
            forward_seen = 1;
            rev = &doc->revisions[doc->nrevisions - 1];
            /* Linearized: the main table's startxref names the first-page
             * table, and the first-page table is followed by startxref 0. */
            pdf_section *main_sec = &doc->sections[rev->sections[0]];
            rev->flags &= ~(unsigned)VBSIG_PDF_REV_STARTXREF_MISMATCH;
            if (main_sec->startxref_value != sec->offset ||
                (sec->startxref_value != 0 && sec->startxref_value != sec->offset))
                rev->flags |= VBSIG_PDF_REV_STARTXREF_MISMATCH;
            rev->sections[1] = rev->sections[0];
            rev->sections[0] = i;
            rev->nsections = 2;
            rev->linearized = 1;
            if (sec->eof_end > rev->end)
                rev->end = sec->eof_end;
        } else {
            rev = &doc->revisions[doc->nrevisions++];
            rev->sections[0] = i;
            rev->nsections = 1;
            rev->end = sec->eof_end;
            if (sec->startxref_value != sec->offset)
                rev->flags |= VBSIG_PDF_REV_STARTXREF_MISMATCH;
        }
        rev->flags |= sec->flags;
        rev->object_count += sec->count;
    }
    for (size_t r = 0; r < doc->nrevisions; r++) {
        pdf_revision *rev = &doc->revisions[r];
        rev->start = r == 0 ? 0 : doc->revisions[r - 1].end;
        if (r > 0 && rev->end <= rev->start)
            return vbsig_fail(VBSIG_E_MALFORMED,
                              _("%s: revision %zu ends at offset %zu, not after the revision it updates"), doc->name,
                              r, rev->end);
    }
    return VBSIG_OK;
}

/* An update that brings an object back with a lower generation than it
 * had is a generation-number game: flag it for the verifier. */
static void flag_generation_drops(vbsig_pdf_doc *doc)
{
    for (size_t r = 1; r < doc->nrevisions; r++) {
        pdf_revision *rev = &doc->revisions[r];
        for (size_t s = 0; s < rev->nsections; s++) {
            const pdf_section *sec = &doc->sections[rev->sections[s]];
            for (size_t i = 0; i < sec->count; i++) {
                const pdf_entry *e = &sec->entries[i];
                size_t found;
                const pdf_entry *old = pdf_lookup(doc, r - 1, e->num, &found);
                if (e->kind == PDF_ENTRY_FILE && old != NULL && old->kind == PDF_ENTRY_FILE && e->gen < old->gen)
                    rev->flags |= VBSIG_PDF_REV_GENERATION_DROP;
            }
        }
    }
}

int pdf_read_revisions(vbsig_pdf_doc *doc)
{
    size_t offset = 0;
    int rc = last_startxref(doc, &offset);
    if (rc == VBSIG_OK)
        rc = read_chain(doc, offset);
    if (rc == VBSIG_OK)
        rc = build_revisions(doc);
    if (rc != VBSIG_OK)
        return rc;
    flag_generation_drops(doc);
    return VBSIG_OK;
}

size_t vbsig_pdf_revision_count(const vbsig_pdf_doc *doc)
{
    return doc->nrevisions;
}

int vbsig_pdf_revision_get(const vbsig_pdf_doc *doc, size_t rev, vbsig_pdf_revision_info *out)
{
    if (rev >= doc->nrevisions)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: there is no revision %zu"), doc->name, rev);
    const pdf_revision *r = &doc->revisions[rev];
    const pdf_section *newest = &doc->sections[r->sections[0]];
    memset(out, 0, sizeof *out);
    out->start = r->start;
    out->xref_offset = newest->offset;
    out->end = r->end;
    out->xref_is_stream = newest->is_stream;
    out->hybrid = newest->hybrid;
    out->linearized = r->linearized;
    out->flags = r->flags;
    out->object_count = r->object_count;
    out->trailer = newest->trailer;
    return VBSIG_OK;
}

int vbsig_pdf_revision_object(const vbsig_pdf_doc *doc, size_t rev, size_t i, uint32_t *num, uint16_t *gen,
                              int *in_use)
{
    if (rev >= doc->nrevisions || i >= doc->revisions[rev].object_count)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: no entry %zu in revision %zu"), doc->name, i, rev);
    const pdf_revision *r = &doc->revisions[rev];
    const pdf_section *sec = &doc->sections[r->sections[0]];
    if (i >= sec->count) {
        i -= sec->count;
        sec = &doc->sections[r->sections[1]];
    }
    *num = sec->entries[i].num;
    *gen = sec->entries[i].gen;
    *in_use = sec->entries[i].kind != PDF_ENTRY_FREE;
    return VBSIG_OK;
}
