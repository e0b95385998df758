/* An open-addressing hash set of object numbers: cycle detection for page
 * trees and form-field trees without sizing anything by object numbers. */
#include <stdlib.h>

#include "pdf/pdf_internal.h"

static size_t slot_of(uint32_t num, size_t cap)
{
    return (size_t)(num * 2654435761u) & (cap - 1);
}

static int rehash(pdf_objset *s)
{
    size_t ncap = s->cap ? s->cap * 2 : 64;
    uint32_t *n = calloc(ncap, sizeof *n);
    if (n == NULL)
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    for (size_t i = 0; i < s->cap; i++) {
        if (s->slots[i] == 0)
            continue;
        size_t j = slot_of(s->slots[i] - 1, ncap);
        while (n[j] != 0)
            j = (j + 1) & (ncap - 1);
        n[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = n;
    s->cap = ncap;
    return VBSIG_OK;
}

int pdf_objset_add(pdf_objset *s, uint32_t num)
{
    if ((s->count + 1) * 2 > s->cap) {
        int rc = rehash(s);
        if (rc != VBSIG_OK)
            return rc;
    }
    uint32_t key = num + 1; /* object numbers stay below UINT32_MAX: the object limit says so */
    size_t j = slot_of(num, s->cap);
    while (s->slots[j] != 0) {
        if (s->slots[j] == key)
            return 0;
        j = (j + 1) & (s->cap - 1);
    }
    s->slots[j] = key;
    s->count++;
    return 1;
}

void pdf_objset_free(pdf_objset *s)
{
    free(s->slots);
    s->slots = NULL;
    s->cap = s->count = 0;
}
