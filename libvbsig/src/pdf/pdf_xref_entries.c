/* The entries of one cross-reference section: collected in listing order,
 * then sorted by object number with duplicates settled and flagged. */
#include <stdlib.h>

#include "pdf/pdf_internal.h"

int pdf_entries_push(pdf_section *sec, size_t *cap, const pdf_entry *e)
{
    if (sec->count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        if (ncap > SIZE_MAX / sizeof *sec->entries)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        pdf_entry *n = realloc(sec->entries, ncap * sizeof *n);
        if (n == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        sec->entries = n;
        *cap = ncap;
    }
    sec->entries[sec->count] = *e;
    sec->entries[sec->count].seq = sec->count;
    sec->count++;
    return VBSIG_OK;
}

static int by_num_then_order(const void *a, const void *b)
{
    const pdf_entry *x = a, *y = b;
    if (x->num != y->num)
        return x->num < y->num ? -1 : 1;
    return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

static int same_place(const pdf_entry *a, const pdf_entry *b)
{
    return a->kind == b->kind && a->where == b->where && a->index == b->index && a->gen == b->gen;
}

/* Within a group of listings of one object number: the later listing of
 * each part wins (and a repeat is flagged); in a hybrid section the table's
 * in-use entry beats the stream's, while a table entry marked free gives
 * way to the stream, which is how hybrid files hide compressed objects
 * from old readers. */
static pdf_entry settle(pdf_section *sec, const pdf_entry *g, size_t n, size_t hybrid_from)
{
    const pdf_entry *table = NULL, *stream = NULL;
    size_t in_table = 0, in_stream = 0;
    for (size_t i = 0; i < n; i++) {
        if (g[i].seq < hybrid_from) {
            table = &g[i];
            in_table++;
        } else {
            stream = &g[i];
            in_stream++;
        }
    }
    if (in_table > 1 || in_stream > 1)
        sec->flags |= VBSIG_PDF_REV_DUPLICATE_OBJECT;
    if (table == NULL)
        return *stream;
    if (stream == NULL)
        return *table;
    if (table->kind != PDF_ENTRY_FREE && stream->kind != PDF_ENTRY_FREE && !same_place(table, stream))
        sec->flags |= VBSIG_PDF_REV_HYBRID_CONFLICT;
    return table->kind != PDF_ENTRY_FREE ? *table : *stream;
}

int pdf_section_finish(vbsig_pdf_doc *doc, pdf_section *sec, size_t hybrid_from)
{
    (void)doc;
    if (sec->count == 0)
        return VBSIG_OK;
    qsort(sec->entries, sec->count, sizeof *sec->entries, by_num_then_order);
    size_t out = 0;
    for (size_t i = 0; i < sec->count;) {
        size_t j = i + 1;
        while (j < sec->count && sec->entries[j].num == sec->entries[i].num)
            j++;
        pdf_entry kept = settle(sec, &sec->entries[i], j - i, hybrid_from);
        sec->entries[out++] = kept;
        i = j;
    }
    sec->count = out;
    return VBSIG_OK;
}
