/* Finding objects and reading their attributes. */
#include <stdlib.h>
#include <string.h>

#include "p11.h"

/* No attribute we read is anywhere near this; a module claiming more is broken. */
#define P11_ATTR_MAX (1u << 20)

int p11_attr_get(p11_module *m, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_TYPE type,
                 uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    CK_ATTRIBUTE a = {type, NULL, 0};
    CK_RV rv = m->f->C_GetAttributeValue(s, o, &a, 1);
    if (rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_SENSITIVE || a.ulValueLen == CK_UNAVAILABLE_INFORMATION)
        return VBSIG_OK;
    if (rv != CKR_OK)
        return p11_fail_rv(rv, _("cannot read an attribute of a token object"));
    if (a.ulValueLen > P11_ATTR_MAX)
        return p11_fail(VBSIG_E_LIMIT, _("a token object attribute is larger than %u bytes"), P11_ATTR_MAX);
    a.pValue = malloc(a.ulValueLen + 1);
    if (a.pValue == NULL)
        return p11_fail(VBSIG_E_NOMEM, _("out of memory"));
    CK_ULONG want = a.ulValueLen;
    rv = m->f->C_GetAttributeValue(s, o, &a, 1);
    if (rv != CKR_OK || a.ulValueLen > want) {
        free(a.pValue);
        return rv != CKR_OK ? p11_fail_rv(rv, _("cannot read an attribute of a token object"))
                            : p11_fail(VBSIG_E_UNAVAILABLE, _("the token changed an attribute while it was read"));
    }
    ((uint8_t *)a.pValue)[a.ulValueLen] = '\0';
    *out = a.pValue;
    *len = a.ulValueLen;
    return VBSIG_OK;
}

int p11_find_objects(p11_module *m, CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, const uint8_t *id, size_t id_len,
                     const char *label, CK_OBJECT_HANDLE *found, size_t max, size_t *count)
{
    CK_ATTRIBUTE tmpl[3];
    CK_ULONG n = 0;
    tmpl[n].type = CKA_CLASS;
    tmpl[n].pValue = &cls;
    tmpl[n++].ulValueLen = sizeof cls;
    if (id != NULL) {
        tmpl[n].type = CKA_ID;
        tmpl[n].pValue = (void *)id;
        tmpl[n++].ulValueLen = id_len;
    }
    if (label != NULL) {
        tmpl[n].type = CKA_LABEL;
        tmpl[n].pValue = (void *)label;
        tmpl[n++].ulValueLen = strlen(label);
    }
    *count = 0;
    CK_RV rv = m->f->C_FindObjectsInit(s, tmpl, n);
    if (rv != CKR_OK)
        return p11_fail_rv(rv, _("cannot search the token"));
    CK_ULONG got = 0;
    rv = m->f->C_FindObjects(s, found, max, &got);
    m->f->C_FindObjectsFinal(s);
    if (rv != CKR_OK)
        return p11_fail_rv(rv, _("cannot search the token"));
    *count = got;
    return VBSIG_OK;
}
