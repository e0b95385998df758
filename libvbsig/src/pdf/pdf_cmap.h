/* ToUnicode CMaps (ISO 32000-1 §9.10.3; Adobe technical note 5411): which
 * Unicode text each character code of a font stands for. Only what text
 * extraction needs is read: codespace ranges (how bytes split into codes)
 * and bfchar / bfrange mappings. Private to the PDF module. */
#ifndef VBSIG_PDF_CMAP_H
#define VBSIG_PDF_CMAP_H

#include <stddef.h>
#include <stdint.h>

/* Bounds for hostile CMaps; real ones stay far below. */
#define PDF_CMAP_MAX_MAPS 100000u      /* bfchar entries and bfrange lines */
#define PDF_CMAP_MAX_UNITS 400000u     /* UTF-16 code units of all destinations */
#define PDF_CMAP_MAX_DEST_UNITS 32     /* of one destination ("ffi" is 3) */
#define PDF_CMAP_MAX_CODESPACES 64

typedef struct pdf_codespace {
    uint8_t nbytes;              /* 1 to 4 */
    uint8_t lo[4], hi[4];        /* per byte, as the ranges are defined */
} pdf_codespace;

typedef struct pdf_cmap_map {
    uint32_t lo, hi;   /* codes lo..hi of nbytes bytes */
    uint8_t nbytes;
    uint8_t count;     /* UTF-16 units of the destination */
    uint32_t units;    /* index of the first unit in the unit pool */
    uint32_t seq;      /* reading order: a later mapping wins */
    uint32_t reach;    /* the highest hi of this and the earlier maps of its byte length */
} pdf_cmap_map;

typedef struct pdf_cmap {
    pdf_codespace spaces[PDF_CMAP_MAX_CODESPACES];
    size_t nspaces;
    pdf_cmap_map *maps; /* sorted by nbytes, lo */
    size_t nmaps, maps_cap;
    uint16_t *units;    /* UTF-16 destinations, one after another */
    size_t nunits, units_cap;
} pdf_cmap;

void pdf_cmap_init(pdf_cmap *cm);
void pdf_cmap_free(pdf_cmap *cm);
/* Reads a CMap's decoded bytes into cm (which may hold mappings already:
 * the new ones win). What cannot be parsed is skipped; only running out of
 * memory fails (VBSIG_E_NOMEM). */
int pdf_cmap_parse(pdf_cmap *cm, const uint8_t *data, size_t len);

/* How many bytes the code at s[0..n) takes by the codespace ranges, or 0
 * when none matches (the caller picks its own default). */
size_t pdf_cmap_code_length(const pdf_cmap *cm, const uint8_t *s, size_t n);

/* The Unicode code points code (nbytes bytes long) stands for, at most
 * cap of them in cps (*ncps set); 1 when mapped, 0 when the CMap has no
 * mapping for it. A mapping for the same value with a different byte
 * length is taken when no exact one exists (producers disagree on the
 * width of codes in simple fonts). */
int pdf_cmap_lookup(const pdf_cmap *cm, uint32_t code, size_t nbytes, uint32_t *cps, size_t cap, size_t *ncps);

/* UTF-16 units to code points (surrogate pairs joined, lone surrogates
 * become U+FFFD); returns how many were written to cps (at most cap). */
size_t pdf_utf16_to_cps(const uint16_t *u, size_t n, uint32_t *cps, size_t cap);

#endif
