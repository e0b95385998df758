/* A rectangle from a PDF array [x0 y0 x1 y1] (ISO 32000-2 §7.9.5),
 * normalised so that x0 <= x1 and y0 <= y1. */
#include <math.h>

#include "pdf/pdf_content_bbox.h"
#include "pdf/pdf_internal.h"

int vbsig_pdf_rect_from_array(const vbsig_pdf_obj *arr, vbsig_pdf_rect *out)
{
    double v[4];
    if (vbsig_pdf_array_count(arr) != 4)
        return VBSIG_E_MALFORMED;
    for (size_t i = 0; i < 4; i++)
        if (vbsig_pdf_get_number(vbsig_pdf_array_get(arr, i), &v[i]) != VBSIG_OK || !isfinite(v[i]))
            return VBSIG_E_MALFORMED;
    out->x0 = pdf_dmin(v[0], v[2]);
    out->x1 = pdf_dmax(v[0], v[2]);
    out->y0 = pdf_dmin(v[1], v[3]);
    out->y1 = pdf_dmax(v[1], v[3]);
    return VBSIG_OK;
}
