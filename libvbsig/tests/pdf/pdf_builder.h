/* Builds small PDFs in memory for the structure tests: objects, classic
 * cross-reference sections (one subsection per entry, in the order given)
 * and trailers, so each test states exactly the structure it attacks. */
#ifndef VBSIG_PDF_BUILDER_H
#define VBSIG_PDF_BUILDER_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/util.h"

#define PDFB_MAX_OBJECTS 256

typedef struct pdfb {
    vbsig_bytes b;
    size_t off[PDFB_MAX_OBJECTS]; /* where each object was last written */
} pdfb;

static inline void pdfb_begin(pdfb *p)
{
    memset(p, 0, sizeof *p);
    vbsig_bytes_init(&p->b);
    vbsig_bytes_append_str(&p->b, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
}

static inline void pdfb_raw(pdfb *p, const void *data, size_t n)
{
    vbsig_bytes_append(&p->b, data, n);
}

static inline void pdfb_printf(pdfb *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void pdfb_printf(pdfb *p, const char *fmt, ...)
{
    char tmp[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        vbsig_bytes_append(&p->b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static inline void pdfb_obj(pdfb *p, unsigned num, unsigned gen, const char *body)
{
    p->off[num] = p->b.len;
    pdfb_printf(p, "%u %u obj\n%s\nendobj\n", num, gen, body);
}

/* entries: {num, gen, in_use} triples ending with num 0 (object 0, the
 * free-list head, is always written first). Returns the section's offset. */
static inline size_t pdfb_xref(pdfb *p, const unsigned (*entries)[3], const char *trailer)
{
    size_t at = p->b.len;
    pdfb_printf(p, "xref\n0 1\n0000000000 65535 f \n");
    for (size_t i = 0; entries[i][0] != 0; i++)
        pdfb_printf(p, "%u 1\n%010zu %05u %c \n", entries[i][0], entries[i][2] ? p->off[entries[i][0]] : 0,
                    entries[i][1], entries[i][2] ? 'n' : 'f');
    pdfb_printf(p, "trailer\n<< %s >>\nstartxref\n%zu\n%%%%EOF\n", trailer, at);
    return at;
}

static inline void pdfb_free(pdfb *p)
{
    vbsig_bytes_free(&p->b);
}

#endif
