/* HarfBuzz (shaping and subsetting the fonts of text stamps), loaded with
 * dlopen when a text stamp is first made (hb_dl.c). Linked, HarfBuzz and
 * what it brings (GLib, FreeType, Graphite, Brotli, PCRE2) cost 1.1
 * million instructions of relocation at every start of every process that
 * links libvbsig (bench/bench_api_regression.sh; bench/README.md), while
 * only signatures with a visible text line use it. Every file that calls
 * HarfBuzz includes this header instead of <hb.h>; it turns each function
 * used into a call through the loaded table, so the code reads as plain
 * HarfBuzz. A HarfBuzz function newly used must be added to the lists,
 * or libvbsig links HarfBuzz again (tests/cli/test_lazy_appearance.sh
 * checks `nm -D --undefined-only`). */
#ifndef VBSIG_HB_DL_H
#define VBSIG_HB_DL_H

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>

/* Functions of libharfbuzz, then of libharfbuzz-subset. */
#define VBSIG_HB_FUNCS(X) \
    X(hb_blob_create_or_fail) \
    X(hb_blob_destroy) \
    X(hb_blob_get_data) \
    X(hb_blob_get_length) \
    X(hb_buffer_add_utf8) \
    X(hb_buffer_allocation_successful) \
    X(hb_buffer_create) \
    X(hb_buffer_destroy) \
    X(hb_buffer_get_glyph_infos) \
    X(hb_buffer_get_glyph_positions) \
    X(hb_buffer_guess_segment_properties) \
    X(hb_buffer_set_direction) \
    X(hb_face_count) \
    X(hb_face_create) \
    X(hb_face_destroy) \
    X(hb_face_get_glyph_count) \
    X(hb_face_get_upem) \
    X(hb_face_make_immutable) \
    X(hb_face_reference_blob) \
    X(hb_face_reference_table) \
    X(hb_font_create) \
    X(hb_font_destroy) \
    X(hb_font_get_empty) \
    X(hb_font_get_glyph_h_advance) \
    X(hb_font_get_h_extents) \
    X(hb_map_get) \
    X(hb_ot_metrics_get_position) \
    X(hb_ot_name_get_utf8) \
    X(hb_set_add) \
    X(hb_shape) \
    X(hb_tag_to_string)

#define VBSIG_HB_SUBSET_FUNCS(X) \
    X(hb_subset_input_create_or_fail) \
    X(hb_subset_input_destroy) \
    X(hb_subset_input_glyph_set) \
    X(hb_subset_input_set) \
    X(hb_subset_input_set_flags) \
    X(hb_subset_input_unicode_set) \
    X(hb_subset_plan_create_or_fail) \
    X(hb_subset_plan_destroy) \
    X(hb_subset_plan_execute_or_fail) \
    X(hb_subset_plan_new_to_old_glyph_mapping)

#define VBSIG_HB_FIELD(name) __typeof__(&name) name;
typedef struct vbsig_hb_fns {
    VBSIG_HB_FUNCS(VBSIG_HB_FIELD)
    VBSIG_HB_SUBSET_FUNCS(VBSIG_HB_FIELD)
} vbsig_hb_fns;
#undef VBSIG_HB_FIELD

/* Loads both libraries once per process (thread-safe) and checks their
 * version. VBSIG_OK, or VBSIG_E_UNAVAILABLE with a message naming the
 * library and the reason. Every way in calls it first: a font is made only
 * by vbsig__text_font_from_mem, and everything else takes a font. */
int vbsig__hb_require(void);
/* The loaded table; only valid after vbsig__hb_require() succeeded. */
const vbsig_hb_fns *vbsig__hb(void);

#ifndef VBSIG_HB_DL_NO_REDIRECT
#define hb_blob_create_or_fail (vbsig__hb()->hb_blob_create_or_fail)
#define hb_blob_destroy (vbsig__hb()->hb_blob_destroy)
#define hb_blob_get_data (vbsig__hb()->hb_blob_get_data)
#define hb_blob_get_length (vbsig__hb()->hb_blob_get_length)
#define hb_buffer_add_utf8 (vbsig__hb()->hb_buffer_add_utf8)
#define hb_buffer_allocation_successful (vbsig__hb()->hb_buffer_allocation_successful)
#define hb_buffer_create (vbsig__hb()->hb_buffer_create)
#define hb_buffer_destroy (vbsig__hb()->hb_buffer_destroy)
#define hb_buffer_get_glyph_infos (vbsig__hb()->hb_buffer_get_glyph_infos)
#define hb_buffer_get_glyph_positions (vbsig__hb()->hb_buffer_get_glyph_positions)
#define hb_buffer_guess_segment_properties (vbsig__hb()->hb_buffer_guess_segment_properties)
#define hb_buffer_set_direction (vbsig__hb()->hb_buffer_set_direction)
#define hb_face_count (vbsig__hb()->hb_face_count)
#define hb_face_create (vbsig__hb()->hb_face_create)
#define hb_face_destroy (vbsig__hb()->hb_face_destroy)
#define hb_face_get_glyph_count (vbsig__hb()->hb_face_get_glyph_count)
#define hb_face_get_upem (vbsig__hb()->hb_face_get_upem)
#define hb_face_make_immutable (vbsig__hb()->hb_face_make_immutable)
#define hb_face_reference_blob (vbsig__hb()->hb_face_reference_blob)
#define hb_face_reference_table (vbsig__hb()->hb_face_reference_table)
#define hb_font_create (vbsig__hb()->hb_font_create)
#define hb_font_destroy (vbsig__hb()->hb_font_destroy)
#define hb_font_get_empty (vbsig__hb()->hb_font_get_empty)
#define hb_font_get_glyph_h_advance (vbsig__hb()->hb_font_get_glyph_h_advance)
#define hb_font_get_h_extents (vbsig__hb()->hb_font_get_h_extents)
#define hb_map_get (vbsig__hb()->hb_map_get)
#define hb_ot_metrics_get_position (vbsig__hb()->hb_ot_metrics_get_position)
#define hb_ot_name_get_utf8 (vbsig__hb()->hb_ot_name_get_utf8)
#define hb_set_add (vbsig__hb()->hb_set_add)
#define hb_shape (vbsig__hb()->hb_shape)
#define hb_tag_to_string (vbsig__hb()->hb_tag_to_string)
#define hb_subset_input_create_or_fail (vbsig__hb()->hb_subset_input_create_or_fail)
#define hb_subset_input_destroy (vbsig__hb()->hb_subset_input_destroy)
#define hb_subset_input_glyph_set (vbsig__hb()->hb_subset_input_glyph_set)
#define hb_subset_input_set (vbsig__hb()->hb_subset_input_set)
#define hb_subset_input_set_flags (vbsig__hb()->hb_subset_input_set_flags)
#define hb_subset_input_unicode_set (vbsig__hb()->hb_subset_input_unicode_set)
#define hb_subset_plan_create_or_fail (vbsig__hb()->hb_subset_plan_create_or_fail)
#define hb_subset_plan_destroy (vbsig__hb()->hb_subset_plan_destroy)
#define hb_subset_plan_execute_or_fail (vbsig__hb()->hb_subset_plan_execute_or_fail)
#define hb_subset_plan_new_to_old_glyph_mapping (vbsig__hb()->hb_subset_plan_new_to_old_glyph_mapping)
#endif

#endif
