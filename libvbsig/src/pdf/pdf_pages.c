/* The page tree (ISO 32000-1 §7.7.3): its leaves in document order. The
 * walk keeps its own stack, bounded by the depth limit, and refuses a node
 * seen twice, so a looping or shared tree cannot hang or double-count. */
#include <stdlib.h>

#include "pdf/pdf_internal.h"

typedef struct walk_frame {
    const vbsig_pdf_obj *kids;
    size_t next;
} walk_frame;

typedef struct page_list {
    vbsig_pdf_objref *items;
    size_t count, cap;
} page_list;

static int fail_node(const vbsig_pdf_doc *doc, uint32_t num, const char *what)
{
    return vbsig_fail(VBSIG_E_MALFORMED, _("%s: page tree object %u: %s"), doc->name, num, what);
}

static int push_page(page_list *l, uint32_t num, uint16_t gen)
{
    if (l->count == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 32;
        vbsig_pdf_objref *n = realloc(l->items, ncap * sizeof *n);
        if (n == NULL)
            return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        l->items = n;
        l->cap = ncap;
    }
    l->items[l->count].num = num;
    l->items[l->count].gen = gen;
    l->count++;
    return VBSIG_OK;
}

/* A node without /Type is judged by /Kids, as tolerant readers do. */
static int is_intermediate(const vbsig_pdf_obj *node)
{
    const vbsig_pdf_obj *type = vbsig_pdf_dict_get(node, "Type");
    if (type != NULL)
        return vbsig_pdf_is_name(type, "Pages");
    return vbsig_pdf_dict_get(node, "Kids") != NULL;
}

static int visit(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *ref, pdf_objset *seen, walk_frame *stack,
                 size_t *depth, page_list *pages)
{
    if (ref == NULL || ref->type != VBSIG_PDF_REF)
        return vbsig_fail(VBSIG_E_MALFORMED, _("%s: a page tree node is not an indirect reference"), doc->name);
    uint32_t num = ref->u.ref.num;
    int added = pdf_objset_add(seen, num);
    if (added < 0)
        return added;
    if (added == 0)
        return fail_node(doc, num, _("reached twice (the page tree loops or shares a node)"));
    const vbsig_pdf_obj *node;
    int rc = vbsig_pdf_resolve(doc, rev, ref, &node);
    if (rc != VBSIG_OK)
        return rc;
    if (node->type != VBSIG_PDF_DICT)
        return fail_node(doc, num, _("not a dictionary"));
    if (!is_intermediate(node)) {
        if (pages->count >= doc->lim.max_objects)
            return vbsig_fail(VBSIG_E_LIMIT, _("%s: more pages than the object limit"), doc->name);
        return push_page(pages, num, ref->u.ref.gen);
    }
    const vbsig_pdf_obj *kids;
    if ((rc = vbsig_pdf_dict_resolve(doc, rev, node, "Kids", &kids)) != VBSIG_OK)
        return rc;
    if (kids->type != VBSIG_PDF_ARRAY)
        return fail_node(doc, num, _("/Kids is not an array"));
    if (*depth == doc->lim.max_depth)
        return vbsig_fail(VBSIG_E_LIMIT, _("%s: the page tree nests deeper than %u levels at object %u"), doc->name,
                          doc->lim.max_depth, num);
    stack[*depth].kids = kids;
    stack[*depth].next = 0;
    (*depth)++;
    return VBSIG_OK;
}

int vbsig_pdf_pages(vbsig_pdf_doc *doc, size_t rev, vbsig_pdf_objref **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    const vbsig_pdf_obj *catalog;
    int rc = vbsig_pdf_catalog(doc, rev, &catalog);
    if (rc != VBSIG_OK)
        return rc;
    walk_frame *stack = calloc(doc->lim.max_depth + 1, sizeof *stack);
    if (stack == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    pdf_objset seen = {0};
    page_list pages = {0};
    size_t depth = 0;
    rc = visit(doc, rev, vbsig_pdf_dict_get(catalog, "Pages"), &seen, stack, &depth, &pages);
    if (rc == VBSIG_OK && depth == 0)
        rc = vbsig_fail(VBSIG_E_MALFORMED, _("%s: the catalog's /Pages is not a page tree node"), doc->name);
    while (rc == VBSIG_OK && depth > 0) {
        walk_frame *top = &stack[depth - 1];
        if (top->next == vbsig_pdf_array_count(top->kids)) {
            depth--;
            continue;
        }
        rc = visit(doc, rev, vbsig_pdf_array_get(top->kids, top->next++), &seen, stack, &depth, &pages);
    }
    free(stack);
    pdf_objset_free(&seen);
    if (rc != VBSIG_OK) {
        free(pages.items);
        return rc;
    }
    *out = pages.items;
    *count = pages.count;
    return VBSIG_OK;
}

int vbsig_pdf_page_count(vbsig_pdf_doc *doc, size_t rev, size_t *count)
{
    vbsig_pdf_objref *pages;
    int rc = vbsig_pdf_pages(doc, rev, &pages, count);
    free(pages);
    return rc;
}

int vbsig_pdf_page(vbsig_pdf_doc *doc, size_t rev, size_t i, const vbsig_pdf_obj **page)
{
    vbsig_pdf_objref *pages;
    size_t count;
    int rc = vbsig_pdf_pages(doc, rev, &pages, &count);
    if (rc != VBSIG_OK)
        return rc;
    if (i >= count)
        rc = vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: there is no page %zu (the document has %zu)"), doc->name, i + 1,
                        count);
    else
        rc = vbsig_pdf_get_object(doc, rev, pages[i].num, pages[i].gen, page);
    free(pages);
    return rc;
}
