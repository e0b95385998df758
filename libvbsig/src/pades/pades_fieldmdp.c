/* FieldMDP (ISO 32000-2 §12.8.2.4, §12.7.5.5): the form fields a signature
 * locks. A signature field's /Lock (a signature field lock dictionary) and
 * a FieldMDP entry in the signature dictionary's /Reference both name an
 * /Action: /All fields, those /Include lists, or all but those /Exclude
 * lists. A listed name locks that field and every field under it (a
 * non-terminal field stands for its subtree). Names are fully qualified:
 * the /T of the field and of each parent, joined by '.'. */
#include <stdio.h>
#include <string.h>

#include "pades/pades_verify_priv.h"

static const vbsig_pdf_obj *resolved(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *o)
{
    const vbsig_pdf_obj *r = NULL;
    if (o == NULL)
        return NULL;
    if (vbsig_pdf_resolve(doc, rev, o, &r) != VBSIG_OK) {
        vbsig_error_clear();
        return NULL;
    }
    return r != NULL && r->type != VBSIG_PDF_NULL ? r : NULL;
}

/* Appends UTF-8 for c; 0 when it does not fit. */
static int put_utf8(char *buf, size_t len, size_t *o, unsigned c)
{
    char t[4];
    size_t n;
    if (c < 0x20 || c == 0x7f)
        c = '?';
    if (c < 0x80) {
        t[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        t[0] = (char)(0xc0 | c >> 6);
        t[1] = (char)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        t[0] = (char)(0xe0 | c >> 12);
        t[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        t[2] = (char)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        t[0] = (char)(0xf0 | c >> 18);
        t[1] = (char)(0x80 | ((c >> 12) & 0x3f));
        t[2] = (char)(0x80 | ((c >> 6) & 0x3f));
        t[3] = (char)(0x80 | (c & 0x3f));
        n = 4;
    }
    if (*o + n >= len)
        return 0;
    memcpy(buf + *o, t, n);
    *o += n;
    buf[*o] = '\0';
    return 1;
}

/* A PDF text string (UTF-16BE with its BOM, UTF-8 with its BOM, or
 * PDFDocEncoding, read as Latin-1) appended as UTF-8; 0 when it does not
 * fit. */
static int text_utf8(const uint8_t *s, size_t n, char *buf, size_t len, size_t *o)
{
    if (n >= 2 && s[0] == 0xfe && s[1] == 0xff) {
        for (size_t i = 2; i + 1 < n; i += 2) {
            unsigned c = (unsigned)s[i] << 8 | s[i + 1];
            if (c >= 0xd800 && c < 0xdc00 && i + 3 < n) {
                unsigned lo = (unsigned)s[i + 2] << 8 | s[i + 3];
                if (lo >= 0xdc00 && lo < 0xe000) {
                    c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
                    i += 2;
                } else {
                    c = '?';
                }
            } else if (c >= 0xd800 && c < 0xe000) {
                c = '?';
            }
            if (!put_utf8(buf, len, o, c))
                return 0;
        }
        return 1;
    }
    size_t i = n >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf ? 3 : 0;
    if (i == 3) {
        if (*o + (n - 3) >= len)
            return 0;
        for (; i < n; i++)
            buf[(*o)++] = s[i] < 0x20 || s[i] == 0x7f ? '?' : (char)s[i];
        buf[*o] = '\0';
        return 1;
    }
    for (; i < n; i++)
        if (!put_utf8(buf, len, o, s[i]))
            return 0;
    return 1;
}

int vbsig_pades_field_name(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *d, char *buf, size_t len)
{
    const vbsig_pdf_obj *chain[32];
    size_t depth = 0;
    if (len == 0)
        return 0;
    buf[0] = '\0';
    for (; d != NULL && depth < sizeof chain / sizeof chain[0]; depth++) {
        chain[depth] = d;
        d = resolved(doc, rev, vbsig_pdf_dict_get(d, "Parent"));
    }
    if (d != NULL)
        return 0; /* deeper than any real form (or a /Parent loop) */
    size_t o = 0;
    for (size_t k = depth; k-- > 0;) {
        const uint8_t *t;
        size_t tn;
        if (vbsig_pdf_get_string(vbsig_pdf_dict_get(chain[k], "T"), &t, &tn) != VBSIG_OK)
            continue; /* a widget, or a field without a partial name */
        if (o > 0 && !put_utf8(buf, len, &o, '.'))
            return 0;
        if (!text_utf8(t, tn, buf, len, &o))
            return 0;
    }
    return o > 0;
}

static void add_lock(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *spec, int in_reference, vbsig_pades_locks *out)
{
    spec = resolved(doc, rev, spec);
    if (spec == NULL || vbsig_pdf_dict_of(spec) == NULL || out->count >= sizeof out->lock / sizeof out->lock[0])
        return;
    vbsig_pades_lock *l = &out->lock[out->count];
    const vbsig_pdf_obj *action = resolved(doc, rev, vbsig_pdf_dict_get(spec, "Action"));
    l->fields = resolved(doc, rev, vbsig_pdf_dict_get(spec, "Fields"));
    l->in_reference = in_reference;
    if (vbsig_pdf_is_name(action, "All"))
        l->action = VBSIG_PADES_LOCK_ALL;
    else if (vbsig_pdf_is_name(action, "Include"))
        l->action = VBSIG_PADES_LOCK_INCLUDE;
    else if (vbsig_pdf_is_name(action, "Exclude"))
        l->action = VBSIG_PADES_LOCK_EXCLUDE;
    else
        l->action = VBSIG_PADES_LOCK_ALL; /* an action we do not know is read as the strictest */
    if (l->action != VBSIG_PADES_LOCK_ALL && (l->fields == NULL || l->fields->type != VBSIG_PDF_ARRAY))
        l->action = VBSIG_PADES_LOCK_ALL; /* /Fields is required then: without it, nothing is known to be free */
    out->count++;
}

void vbsig_pades_read_locks(vbsig_pdf_doc *doc, size_t rev, vbsig_pdf_objref field_ref, const vbsig_pdf_obj *sig,
                            vbsig_pades_locks *out)
{
    memset(out, 0, sizeof *out);
    out->doc = doc;
    out->rev = rev;
    const vbsig_pdf_obj *field = NULL;
    if (field_ref.num != 0 && vbsig_pdf_get_object(doc, rev, field_ref.num, field_ref.gen, &field) != VBSIG_OK) {
        vbsig_error_clear();
        field = NULL;
    }
    if (field != NULL)
        add_lock(doc, rev, vbsig_pdf_dict_get(field, "Lock"), 0, out);
    const vbsig_pdf_obj *refs = resolved(doc, rev, vbsig_pdf_dict_get(sig, "Reference"));
    for (size_t i = 0; i < vbsig_pdf_array_count(refs); i++) {
        const vbsig_pdf_obj *ref = resolved(doc, rev, vbsig_pdf_array_get(refs, i));
        if (vbsig_pdf_is_name(resolved(doc, rev, vbsig_pdf_dict_get(ref, "TransformMethod")), "FieldMDP"))
            add_lock(doc, rev, vbsig_pdf_dict_get(ref, "TransformParams"), 1, out);
    }
}

/* name is listed, or lies under a listed field */
static int listed(const vbsig_pades_locks *locks, const vbsig_pdf_obj *fields, const char *name)
{
    for (size_t i = 0; i < vbsig_pdf_array_count(fields); i++) {
        const vbsig_pdf_obj *it = resolved(locks->doc, locks->rev, vbsig_pdf_array_get(fields, i));
        const uint8_t *s;
        size_t n, o = 0;
        char want[1024];
        if (vbsig_pdf_get_string(it, &s, &n) != VBSIG_OK || !text_utf8(s, n, want, sizeof want, &o) || o == 0)
            continue;
        if (strncmp(name, want, o) == 0 && (name[o] == '\0' || name[o] == '.'))
            return 1;
    }
    return 0;
}

const vbsig_pades_lock *vbsig_pades_locked(const vbsig_pades_locks *locks, const char *name)
{
    for (size_t i = 0; locks != NULL && i < locks->count; i++) {
        const vbsig_pades_lock *l = &locks->lock[i];
        if (l->action == VBSIG_PADES_LOCK_ALL || (name == NULL && l->action == VBSIG_PADES_LOCK_EXCLUDE))
            return l; /* a field without a name cannot be shown to be excluded */
        if (name == NULL)
            continue;
        int in = listed(locks, l->fields, name);
        if ((l->action == VBSIG_PADES_LOCK_INCLUDE && in) || (l->action == VBSIG_PADES_LOCK_EXCLUDE && !in))
            return l;
    }
    return NULL;
}
