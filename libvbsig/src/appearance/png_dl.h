/* libpng (the signature and seal images), loaded with dlopen when an
 * image is first decoded (png_dl.c): linked, it costs every process that
 * links libvbsig its relocation at start, while only visible signatures
 * with an image use it. Every file that calls libpng includes this header
 * instead of <png.h>; each function used becomes a call through the
 * loaded table (png_jmpbuf() too: it expands to png_set_longjmp_fn). A
 * libpng function newly used must be added to the list. */
#ifndef VBSIG_PNG_DL_H
#define VBSIG_PNG_DL_H

#include <png.h>

#define VBSIG_PNG_FUNCS(X) \
    X(png_create_info_struct) \
    X(png_create_read_struct) \
    X(png_destroy_read_struct) \
    X(png_error) \
    X(png_get_channels) \
    X(png_get_error_ptr) \
    X(png_get_image_height) \
    X(png_get_image_width) \
    X(png_get_io_ptr) \
    X(png_get_pHYs) \
    X(png_get_rowbytes) \
    X(png_set_longjmp_fn) \
    X(png_longjmp) \
    X(png_read_end) \
    X(png_read_image) \
    X(png_read_info) \
    X(png_read_update_info) \
    X(png_set_add_alpha) \
    X(png_set_chunk_malloc_max) \
    X(png_set_crc_action) \
    X(png_set_expand) \
    X(png_set_gray_to_rgb) \
    X(png_set_interlace_handling) \
    X(png_set_read_fn) \
    X(png_set_strip_16) \
    X(png_set_user_limits) \
    X(png_sig_cmp)

#define VBSIG_PNG_FIELD(name) __typeof__(&name) name;
typedef struct vbsig_png_fns {
    VBSIG_PNG_FUNCS(VBSIG_PNG_FIELD)
} vbsig_png_fns;
#undef VBSIG_PNG_FIELD

/* Loads libpng once per process (thread-safe) and checks its version.
 * VBSIG_OK, or VBSIG_E_UNAVAILABLE with a message naming the library and
 * the reason. vbsig__png_decode, the only way in, calls it first. */
int vbsig__png_require(void);
/* The loaded table; only valid after vbsig__png_require() succeeded. */
const vbsig_png_fns *vbsig__png(void);

#ifndef VBSIG_PNG_DL_NO_REDIRECT
#define png_create_info_struct (vbsig__png()->png_create_info_struct)
#define png_create_read_struct (vbsig__png()->png_create_read_struct)
#define png_destroy_read_struct (vbsig__png()->png_destroy_read_struct)
#define png_error (vbsig__png()->png_error)
#define png_get_channels (vbsig__png()->png_get_channels)
#define png_get_error_ptr (vbsig__png()->png_get_error_ptr)
#define png_get_image_height (vbsig__png()->png_get_image_height)
#define png_get_image_width (vbsig__png()->png_get_image_width)
#define png_get_io_ptr (vbsig__png()->png_get_io_ptr)
#define png_get_pHYs (vbsig__png()->png_get_pHYs)
#define png_get_rowbytes (vbsig__png()->png_get_rowbytes)
#define png_set_longjmp_fn (vbsig__png()->png_set_longjmp_fn)
#define png_longjmp (vbsig__png()->png_longjmp)
#define png_read_end (vbsig__png()->png_read_end)
#define png_read_image (vbsig__png()->png_read_image)
#define png_read_info (vbsig__png()->png_read_info)
#define png_read_update_info (vbsig__png()->png_read_update_info)
#define png_set_add_alpha (vbsig__png()->png_set_add_alpha)
#define png_set_chunk_malloc_max (vbsig__png()->png_set_chunk_malloc_max)
#define png_set_crc_action (vbsig__png()->png_set_crc_action)
#define png_set_expand (vbsig__png()->png_set_expand)
#define png_set_gray_to_rgb (vbsig__png()->png_set_gray_to_rgb)
#define png_set_interlace_handling (vbsig__png()->png_set_interlace_handling)
#define png_set_read_fn (vbsig__png()->png_set_read_fn)
#define png_set_strip_16 (vbsig__png()->png_set_strip_16)
#define png_set_user_limits (vbsig__png()->png_set_user_limits)
#define png_sig_cmp (vbsig__png()->png_sig_cmp)
#endif

#endif
