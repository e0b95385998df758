/* The /ByteRange rules (USF and SWA attacks): what a signature says it
 * signed must be exactly the file minus its own /Contents string, ending
 * at the end of a revision. Anything else is a format failure. */
#include <stdio.h>

#include "pades/pades_verify_priv.h"
#include "pdf/pdf_internal.h"

/* The entry of object num as of revision rev, NULL when free or absent. */
static pdf_entry *live_entry(vbsig_pdf_doc *doc, size_t rev, uint32_t num)
{
    size_t found_in;
    pdf_entry *e = pdf_lookup(doc, rev, num, &found_in);
    return e != NULL && e->kind != PDF_ENTRY_FREE ? e : NULL;
}

int vbsig_pades_check_byterange(vbsig_pdf_doc *doc, const vbsig_pdf_obj *sig, vbsig_pdf_objref holder,
                                uint64_t range[4], size_t *rev, char *why, size_t why_len)
{
    size_t len;
    vbsig_pdf_data(doc, &len);
    const vbsig_pdf_obj *br = vbsig_pdf_dict_get(sig, "ByteRange");
    if (br == NULL || br->type != VBSIG_PDF_ARRAY) {
        snprintf(why, why_len, "%s", _("the signature has no /ByteRange array (a direct array is required)"));
        return 0;
    }
    if (vbsig_pdf_array_count(br) != 4) {
        snprintf(why, why_len, _("/ByteRange holds %zu values, exactly 4 are required"), vbsig_pdf_array_count(br));
        return 0;
    }
    for (size_t i = 0; i < 4; i++) {
        int64_t v;
        if (vbsig_pdf_get_int(vbsig_pdf_array_get(br, i), &v) != VBSIG_OK || v < 0 || (uint64_t)v > len) {
            snprintf(why, why_len, _("/ByteRange value %zu is not an integer between 0 and the file size"), i + 1);
            return 0;
        }
        range[i] = (uint64_t)v;
    }
    uint64_t a = range[1], b = range[2], c = range[3];
    if (range[0] != 0 || a >= b || b + c > len) {
        snprintf(why, why_len,
                 _("/ByteRange [%llu %llu %llu %llu] is not of the form [0 a b c] with a < b inside the file"),
                 (unsigned long long)range[0], (unsigned long long)a, (unsigned long long)b,
                 (unsigned long long)c);
        return 0;
    }
    const vbsig_pdf_obj *contents = vbsig_pdf_dict_get(sig, "Contents");
    if (contents == NULL || contents->type != VBSIG_PDF_STRING || !contents->u.string.hex ||
        !contents->u.string.in_file) {
        snprintf(why, why_len, "%s",
                 _("/Contents is not a hexadecimal string written directly in the file"));
        return 0;
    }
    if (contents->u.string.token_start != a || contents->u.string.token_end != b) {
        snprintf(why, why_len,
                 _("the unsigned gap [%llu, %llu) is not this signature's /Contents string, which lies at [%zu, %zu)"),
                 (unsigned long long)a, (unsigned long long)b, contents->u.string.token_start,
                 contents->u.string.token_end);
        return 0;
    }
    size_t n = vbsig_pdf_revision_count(doc), covered = n;
    for (size_t i = 0; i < n; i++) {
        vbsig_pdf_revision_info info;
        if (vbsig_pdf_revision_get(doc, i, &info) == VBSIG_OK && info.end == b + c) {
            covered = i;
            break;
        }
    }
    if (covered == n) {
        snprintf(why, why_len, _("the signed bytes end at %llu, which is not the end of any revision (%%%%EOF)"),
                 (unsigned long long)(b + c));
        return 0;
    }
    /* The object holding the dictionary: signed (it starts before the gap)
     * and the very same entry the signed revision had, so a later
     * revision cannot swap in another dictionary around the same gap. */
    pdf_entry *now = live_entry(doc, VBSIG_PDF_NEWEST, holder.num);
    pdf_entry *then = live_entry(doc, covered, holder.num);
    if (now == NULL || now != then || now->kind != PDF_ENTRY_FILE || now->where >= a) {
        snprintf(why, why_len,
                 _("the signature dictionary (object %u) is not part of the signed bytes of revision %zu"),
                 holder.num, covered + 1);
        return 0;
    }
    *rev = covered;
    return 1;
}
