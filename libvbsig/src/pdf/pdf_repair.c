/* Rebuilding the cross-reference data by scanning the file for
 * `num gen obj`, as tolerant readers do when the tables are broken. Only on
 * request, and the document says so afterwards: objects found this way are
 * guesses (a stream's bytes can hold a fake object), so a signer refuses
 * repaired files and a verifier reports them. */
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_internal.h"

/* Tries at most this many candidates when looking for a trailer or a
 * catalog: each try parses an object, and hostile files can make
 * candidates overlap so that every try reads most of the file. */
#define REPAIR_TRIES_MAX 256

/* Digits at p, then the end of them; 0 when there are none or too many. */
static size_t digits(const vbsig_pdf_doc *doc, size_t p, uint64_t *value)
{
    size_t i = p;
    uint64_t v = 0;
    while (i < doc->len && doc->data[i] >= '0' && doc->data[i] <= '9' && i - p < 10)
        v = v * 10 + (uint64_t)(doc->data[i++] - '0');
    if (i == p || (i < doc->len && doc->data[i] >= '0' && doc->data[i] <= '9'))
        return 0;
    *value = v;
    return i;
}

static size_t spaces(const vbsig_pdf_doc *doc, size_t p)
{
    size_t i = p;
    while (i < doc->len && pdf_is_space(doc->data[i]))
        i++;
    return i > p ? i : 0;
}

/* `num gen obj` at p, matched byte by byte: running the lexer here could
 * scan far ahead (an unterminated string) from every line of the file. */
static int object_header_at(const vbsig_pdf_doc *doc, size_t p, uint32_t *num, uint16_t *gen)
{
    uint64_t n, g;
    size_t i = digits(doc, p, &n);
    if (i == 0 || (i = spaces(doc, i)) == 0 || (i = digits(doc, i, &g)) == 0 || (i = spaces(doc, i)) == 0)
        return 0;
    if (doc->len - i < 3 || memcmp(doc->data + i, "obj", 3) != 0 ||
        (i + 3 < doc->len && !pdf_is_space(doc->data[i + 3]) && !pdf_is_delim(doc->data[i + 3])))
        return 0;
    if (n < 1 || n >= doc->lim.max_objects || g > 65535)
        return 0;
    *num = (uint32_t)n;
    *gen = (uint16_t)g;
    return 1;
}

static int scan_objects(vbsig_pdf_doc *doc, pdf_section *sec)
{
    size_t cap = 0;
    for (size_t p = 0; p < doc->len; p++) {
        if (p > 0 && doc->data[p - 1] != '\n' && doc->data[p - 1] != '\r')
            continue;
        uint32_t num;
        uint16_t gen;
        if (!object_header_at(doc, p, &num, &gen))
            continue;
        if (sec->count >= doc->lim.max_objects)
            return vbsig_fail(VBSIG_E_LIMIT, _("%s: repair found more objects than the limit of %u"), doc->name,
                              doc->lim.max_objects);
        pdf_entry e = {.num = num, .gen = gen, .kind = PDF_ENTRY_FILE, .where = p};
        int rc = pdf_entries_push(sec, &cap, &e);
        if (rc != VBSIG_OK)
            return rc;
    }
    /* The last definition of a number wins, as in an update. */
    return pdf_section_finish(doc, sec, sec->count);
}

/* The last `trailer` dictionary in the file, else one made up around the
 * last object that is a /Type /Catalog. */
static int find_trailer(vbsig_pdf_doc *doc, pdf_section *sec)
{
    size_t tries = 0;
    for (size_t p = doc->len; p-- > 0 && tries < REPAIR_TRIES_MAX;) {
        if (doc->data[p] != 't' || doc->len - p < 7 || memcmp(doc->data + p, "trailer", 7) != 0)
            continue;
        tries++;
        pdf_lexer lx;
        pdf_lexer_init(&lx, doc->data, doc->len, p + 7, doc->name, 1);
        vbsig_pdf_obj *t = NULL;
        if (pdf_parse_object(&lx, doc->lim.max_depth, &t) == VBSIG_OK && t->type == VBSIG_PDF_DICT &&
            vbsig_pdf_dict_get(t, "Root") != NULL) {
            sec->trailer = t;
            return VBSIG_OK;
        }
        vbsig_pdf_obj_free(t);
    }
    tries = 0;
    for (size_t i = sec->count; i-- > 0 && tries++ < REPAIR_TRIES_MAX;) {
        vbsig_pdf_obj *o = NULL;
        pdf_entry *e = &sec->entries[i];
        if (pdf_parse_indirect(doc, 0, (size_t)e->where, e->num, e->gen, &o, NULL) == VBSIG_OK &&
            vbsig_pdf_is_name(vbsig_pdf_dict_get(o, "Type"), "Catalog")) {
            vbsig_pdf_obj_free(o);
            vbsig_pdf_obj *t = pdf_obj_new(VBSIG_PDF_DICT), *ref = pdf_obj_new(VBSIG_PDF_REF);
            vbsig_pdf_dict_item *item = calloc(1, sizeof *item);
            char *key = strdup("Root");
            if (t == NULL || ref == NULL || item == NULL || key == NULL) {
                vbsig_pdf_obj_free(t);
                vbsig_pdf_obj_free(ref);
                free(item);
                free(key);
                return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
            }
            ref->u.ref.num = e->num;
            ref->u.ref.gen = e->gen;
            item->key = key;
            item->value = ref;
            t->u.dict.items = item;
            t->u.dict.count = 1;
            sec->trailer = t;
            return VBSIG_OK;
        }
        vbsig_pdf_obj_free(o);
    }
    return vbsig_fail(VBSIG_E_MALFORMED, _("%s: repair found neither a trailer nor a catalog"), doc->name);
}

int pdf_repair(vbsig_pdf_doc *doc)
{
    pdf_section *sec = calloc(1, sizeof *sec);
    pdf_revision *rev = calloc(1, sizeof *rev);
    if (sec == NULL || rev == NULL) {
        free(sec);
        free(rev);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    doc->sections = sec;
    doc->nsections = 1;
    doc->revisions = rev;
    sec->prev = UINT64_MAX;
    sec->eof_end = doc->len;
    int rc = scan_objects(doc, sec);
    if (rc == VBSIG_OK && sec->count == 0)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: repair found no objects"), doc->name);
    if (rc == VBSIG_OK)
        rc = find_trailer(doc, sec);
    if (rc != VBSIG_OK)
        return rc;
    /* Entries for what a trailer's old tables would have said are gone:
     * only the scanned objects count. */
    rev->sections[0] = 0;
    rev->nsections = 1;
    rev->end = doc->len;
    rev->object_count = sec->count;
    doc->nrevisions = 1;
    doc->repaired = 1;
    return VBSIG_OK;
}
