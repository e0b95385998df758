/* Where the leader's image and the seal go (Decree 30/2020 Appendix I),
 * in the page as displayed. Private to libvbsig (appearance_image.c). */
#ifndef VBSIG_APPEARANCE_IMAGE_PLACE_H
#define VBSIG_APPEARANCE_IMAGE_PLACE_H

#include "appearance/appearance.h"

/* The natural size of an image: its aspect (width / height) and, when the
 * PNG's pHYs says, its width in points (else 0). */
typedef struct vbsig__image_size {
    double aspect;
    double natural_w;
} vbsig__image_size;

/* The leader's image: in rect_mm (fitted, centred), or by the text anchor
 * in the gap between the title and the name line. */
int vbsig__place_leader(vbsig_pdf_doc *doc, const vbsig_pades_appearance *ap, const vbsig__image_size *is,
                        size_t *page, double disp[4]);
/* The seal: rect_mm, or over the left third of the latest visible
 * signature widget (or the field ap->over_field), vertically centred on it. */
int vbsig__place_seal(vbsig_pdf_doc *doc, const vbsig_pades_appearance *ap, const vbsig__image_size *is,
                      size_t *page, double disp[4]);

/* The box of the latest signed field's visible widget (or of the field
 * named field_name), its /Rect mapped to displayed space, and its page;
 * *found 0 when there is none. */
int vbsig__find_leader_widget(vbsig_pdf_doc *doc, const char *field_name, size_t *page, double disp[4], int *found);

/* The seal's box for a leader box (displayed space), a diameter (width) w
 * and the image aspect: its right edge one third of the leader's width in
 * from the leader's left edge, vertically centred on it. */
void vbsig__seal_box(const double leader[4], double w, double aspect, double out[4]);

#endif
