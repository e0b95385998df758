/* The cross-reference section that closes an incremental update, of the
 * same kind as the file's last one: a table (with a trailer) after a table
 * or a hybrid file's table, an xref stream after an xref stream. Only the
 * update's own objects are listed; /Prev chains to the earlier sections. */
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "pades/pades.h"
#include "pdf/pdf_internal.h"

static int by_num(const void *a, const void *b)
{
    const pdfw_xref_entry *x = a, *y = b;
    return x->num < y->num ? -1 : x->num > y->num;
}

static int trailer_items(vbsig_bytes *b, const pdfw_trailer *t)
{
    int rc = vbsig_bytes_printf(b, " /Size %u /Root ", (unsigned)t->size);
    if (rc == VBSIG_OK)
        rc = pdfw_obj(b, t->root);
    if (rc == VBSIG_OK && t->info != NULL) {
        rc = vbsig_bytes_append_str(b, " /Info ");
        if (rc == VBSIG_OK)
            rc = pdfw_obj(b, t->info);
    }
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, " /ID [");
    if (rc == VBSIG_OK)
        rc = pdfw_hex_string(b, t->id0, t->id0_len);
    if (rc == VBSIG_OK)
        rc = pdfw_hex_string(b, t->id1, sizeof t->id1);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(b, "] /Prev %zu", t->prev);
    return rc;
}

/* Subsections of consecutive numbers: "first count" runs. */
static size_t run_length(const pdfw_xref_entry *e, size_t count, size_t i)
{
    size_t k = 1;
    while (i + k < count && e[i + k].num == e[i].num + k)
        k++;
    return k;
}

static int write_table(vbsig_bytes *b, size_t base, const pdfw_xref_entry *e, size_t count, const pdfw_trailer *t)
{
    size_t at = base + b->len;
    int rc = vbsig_bytes_append_str(b, "xref\n");
    for (size_t i = 0; rc == VBSIG_OK && i < count;) {
        size_t k = run_length(e, count, i);
        rc = vbsig_bytes_printf(b, "%u %zu\n", (unsigned)e[i].num, k);
        for (size_t j = i; rc == VBSIG_OK && j < i + k; j++) {
            if (e[j].offset > 9999999999u)
                return vbsig_fail(VBSIG_E_LIMIT, _("an offset past 10 GB does not fit a cross-reference table"));
            rc = vbsig_bytes_printf(b, "%010zu %05u n\r\n", e[j].offset, (unsigned)e[j].gen);
        }
        i += k;
    }
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, "trailer\n<<");
    if (rc == VBSIG_OK)
        rc = trailer_items(b, t);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(b, " >>\nstartxref\n%zu\n%%%%EOF\n", at);
    return rc;
}

static unsigned bytes_for(size_t v)
{
    unsigned n = 1;
    while (n < sizeof v && (v >> (8 * n)) != 0)
        n++;
    return n;
}

static void put_be(uint8_t *p, size_t v, unsigned width)
{
    for (unsigned i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
}

static int write_stream(vbsig_bytes *b, size_t base, pdfw_xref_entry *e, size_t count, const pdfw_trailer *t)
{
    /* The stream lists itself: its entry is the last one given. */
    size_t at = base + b->len;
    e[count - 1].offset = at;
    qsort(e, count, sizeof *e, by_num);
    size_t max_off = 0;
    for (size_t i = 0; i < count; i++)
        if (e[i].offset > max_off)
            max_off = e[i].offset;
    unsigned w2 = bytes_for(max_off), row = 1 + w2 + 2;
    uint32_t self = 0;
    for (size_t i = 0; i < count; i++)
        if (e[i].offset == at)
            self = e[i].num;
    int rc = vbsig_bytes_printf(b, "%u 0 obj\n<< /Type /XRef /W [1 %u 2] /Index [", (unsigned)self, w2);
    for (size_t i = 0; rc == VBSIG_OK && i < count;) {
        size_t k = run_length(e, count, i);
        rc = vbsig_bytes_printf(b, "%s%u %zu", i == 0 ? "" : " ", (unsigned)e[i].num, k);
        i += k;
    }
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_append_str(b, "]");
    if (rc == VBSIG_OK)
        rc = trailer_items(b, t);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(b, " /Length %zu >>\nstream\n", count * row);
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_reserve(b, count * row);
    for (size_t i = 0; rc == VBSIG_OK && i < count; i++) {
        uint8_t *p = b->data + b->len;
        p[0] = 1;
        put_be(p + 1, e[i].offset, w2);
        put_be(p + 1 + w2, e[i].gen, 2);
        b->len += row;
    }
    if (rc == VBSIG_OK)
        rc = vbsig_bytes_printf(b, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", at);
    return rc;
}

int pdfw_xref_write(vbsig_bytes *b, size_t base, pdfw_xref_entry *entries, size_t count, const pdfw_trailer *t,
                    int stream, uint32_t stream_num)
{
    if (count == 0)
        return vbsig_fail(VBSIG_E_INTERNAL, _("an incremental update without objects"));
    if (stream) {
        /* The caller reserved the last slot for the stream itself. */
        entries[count - 1].num = stream_num;
        entries[count - 1].gen = 0;
        return write_stream(b, base, entries, count, t);
    }
    qsort(entries, count, sizeof *entries, by_num);
    return write_table(b, base, entries, count, t);
}

const vbsig_pdf_obj *pdfw_newest_trailer_key(const vbsig_pdf_doc *doc, const char *key)
{
    for (size_t i = 0; i < doc->nsections; i++) {
        const vbsig_pdf_obj *v = vbsig_pdf_dict_get(doc->sections[i].trailer, key);
        if (v != NULL)
            return v;
    }
    return NULL;
}

int pdfw_next_object_number(const vbsig_pdf_doc *doc, uint32_t headroom, uint32_t *out)
{
    int64_t size = 0;
    for (size_t i = 0; i < doc->nsections; i++) {
        const vbsig_pdf_obj *s = vbsig_pdf_dict_get(doc->sections[i].trailer, "Size");
        if (s != NULL && s->type == VBSIG_PDF_INT && s->u.integer > size)
            size = s->u.integer;
        const pdf_section *sec = &doc->sections[i];
        if (sec->count > 0 && (int64_t)sec->entries[sec->count - 1].num >= size)
            size = (int64_t)sec->entries[sec->count - 1].num + 1;
    }
    if (size <= 0 || size > (int64_t)doc->lim.max_objects || size > (int64_t)UINT32_MAX - headroom)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: the trailer's /Size is missing or out of range"), doc->name);
    *out = (uint32_t)size;
    return VBSIG_OK;
}

/* The highest object number o refers to directly (its arrays and
 * dictionaries walked, references not followed). */
static uint32_t max_ref_in(const vbsig_pdf_obj *o, unsigned depth)
{
    uint32_t m = 0;
    if (o == NULL || depth > 64)
        return 0;
    if (o->type == VBSIG_PDF_REF)
        return o->u.ref.num;
    if (o->type == VBSIG_PDF_ARRAY)
        for (size_t i = 0; i < o->u.array.count; i++) {
            uint32_t k = max_ref_in(o->u.array.items[i], depth + 1);
            m = k > m ? k : m;
        }
    const vbsig_pdf_obj *d = vbsig_pdf_dict_of(o);
    if (d != NULL)
        for (size_t i = 0; i < d->u.dict.count; i++) {
            uint32_t k = max_ref_in(d->u.dict.items[i].value, depth + 1);
            m = k > m ? k : m;
        }
    return m;
}

int pdfw_number_above_refs(const vbsig_pdf_doc *doc, const vbsig_pdf_obj *o, uint32_t headroom, uint32_t *size)
{
    uint32_t k = max_ref_in(o, 0);
    if (k < *size)
        return VBSIG_OK;
    if ((uint64_t)k + 1 > doc->lim.max_objects || k >= UINT32_MAX - headroom)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: a reference to object %u lies beyond any object number the file can have"),
                          doc->name, (unsigned)k);
    *size = k + 1;
    return VBSIG_OK;
}

int pdfw_trailer_init(pdfw_trailer *t, const vbsig_pdf_doc *doc, const vbsig_pdf_obj *root)
{
    memset(t, 0, sizeof *t);
    t->root = root;
    t->info = pdfw_newest_trailer_key(doc, "Info");
    if (t->info != NULL && t->info->type != VBSIG_PDF_REF)
        t->info = NULL;
    t->prev = doc->sections[0].offset;
    const vbsig_pdf_obj *id0 = vbsig_pdf_array_get(pdfw_newest_trailer_key(doc, "ID"), 0);
    if (RAND_bytes(t->id1, sizeof t->id1) != 1)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("no random bytes for the document ID"));
    if (id0 != NULL && id0->type == VBSIG_PDF_STRING && id0->u.string.len > 0) {
        t->id0 = id0->u.string.data;
        t->id0_len = id0->u.string.len;
    } else {
        t->id0 = t->id1; /* a document without ID gets one: both halves new */
        t->id0_len = sizeof t->id1;
    }
    return VBSIG_OK;
}
