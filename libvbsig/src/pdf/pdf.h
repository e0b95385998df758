/* Private PDF object reader for untrusted files: the ground that PAdES
 * signing and verification stand on.
 *
 * The file is mapped, never copied. Opening reads only the cross-reference
 * structure (every section of the startxref / /Prev / /XRefStm chain);
 * objects are parsed when first asked for and then cached by the document,
 * so every pointer handed out stays valid until vbsig_pdf_close().
 *
 * Revisions are numbered from 0 (the original document) to count-1 (the
 * newest incremental update). Every lookup can be made "as of" a revision,
 * which is how a verifier compares what a signature covered with what came
 * after it. */
#ifndef VBSIG_PDF_H
#define VBSIG_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"
#include "vbsig/ctx.h"

/* ---- objects (pdf_object.c) --------------------------------------------- */
typedef enum vbsig_pdf_type {
    VBSIG_PDF_NULL,
    VBSIG_PDF_BOOL,
    VBSIG_PDF_INT,
    VBSIG_PDF_REAL,
    VBSIG_PDF_STRING,
    VBSIG_PDF_NAME,
    VBSIG_PDF_ARRAY,
    VBSIG_PDF_DICT,
    VBSIG_PDF_REF,
    VBSIG_PDF_STREAM
} vbsig_pdf_type;

typedef struct vbsig_pdf_obj vbsig_pdf_obj;

typedef struct vbsig_pdf_dict_item {
    char *key; /* the name without '/', #xx decoded, NUL-terminated */
    vbsig_pdf_obj *value;
} vbsig_pdf_dict_item;

struct vbsig_pdf_obj {
    vbsig_pdf_type type;
    union {
        int boolean;
        int64_t integer;
        double real;
        struct {
            uint8_t *data; /* decoded bytes (escapes, hex digits); NUL-terminated */
            size_t len;
            /* The token's span, '(' or '<' up to just after ')' or '>'.
             * File offsets when in_file, else offsets inside the decoded
             * object stream that held it. */
            size_t token_start, token_end;
            int hex;
            int in_file;
        } string;
        struct {
            char *text; /* without '/', #xx decoded */
            size_t len;
        } name;
        struct {
            vbsig_pdf_obj **items;
            size_t count;
        } array;
        struct {
            vbsig_pdf_dict_item *items; /* sorted by key, keys unique */
            size_t count;
        } dict;
        struct {
            uint32_t num;
            uint16_t gen;
        } ref;
        struct {
            vbsig_pdf_obj *dict;
            size_t data_offset; /* file offset of the first data byte */
            size_t data_len;    /* from /Length, checked against the file */
        } stream;
    } u;
};

void vbsig_pdf_obj_free(vbsig_pdf_obj *o);

/* Typed accessors. They look at the object itself and never follow
 * references: use vbsig_pdf_resolve() or vbsig_pdf_dict_resolve() for that.
 * Each returns VBSIG_OK, or VBSIG_E_MALFORMED when the type is wrong. */
int vbsig_pdf_get_int(const vbsig_pdf_obj *o, int64_t *out);
int vbsig_pdf_get_number(const vbsig_pdf_obj *o, double *out); /* int or real */
int vbsig_pdf_get_name(const vbsig_pdf_obj *o, const char **out);
int vbsig_pdf_get_string(const vbsig_pdf_obj *o, const uint8_t **data, size_t *len);
int vbsig_pdf_get_ref(const vbsig_pdf_obj *o, uint32_t *num, uint16_t *gen);
int vbsig_pdf_is_name(const vbsig_pdf_obj *o, const char *name);
/* A stream's dictionary when o is a stream, o itself when it is a
 * dictionary, else NULL. */
const vbsig_pdf_obj *vbsig_pdf_dict_of(const vbsig_pdf_obj *o);
/* The direct value of key in a dictionary (or stream dictionary), NULL when
 * absent or when o is no dictionary. */
const vbsig_pdf_obj *vbsig_pdf_dict_get(const vbsig_pdf_obj *o, const char *key);
size_t vbsig_pdf_array_count(const vbsig_pdf_obj *o);                 /* 0 if not an array */
const vbsig_pdf_obj *vbsig_pdf_array_get(const vbsig_pdf_obj *o, size_t i); /* NULL if out of range */

/* ---- limits ---------------------------------------------------------------- */
typedef struct vbsig_pdf_limits {
    unsigned max_depth;     /* nesting of arrays and dictionaries */
    uint32_t max_objects;   /* highest object number + 1, and xref entries per section */
    size_t max_inflated;    /* bytes of one decoded stream */
    uint64_t max_file_size; /* 0 = no limit */
} vbsig_pdf_limits;
/* The limits of ctx (VBSIG_LIMIT_PDF_*, VBSIG_LIMIT_INFLATED_SIZE,
 * VBSIG_LIMIT_INPUT_SIZE); ctx NULL gives the library's defaults. */
int vbsig_pdf_limits_from_ctx(const vbsig_ctx *ctx, vbsig_pdf_limits *out);

/* ---- documents (pdf_doc.c) ------------------------------------------------ */
typedef struct vbsig_pdf_doc vbsig_pdf_doc;

/* Open flags. */
enum {
    /* When the cross-reference data cannot be read, rebuild it by scanning
     * the file for `num gen obj` (one revision, vbsig_pdf_is_repaired() = 1)
     * instead of failing. For showing or inspecting broken files; a signer
     * must refuse what had to be repaired. */
    VBSIG_PDF_OPEN_REPAIR = 1 << 0
};

/* Maps the file and reads its cross-reference chain and the newest
 * catalog. Errors: VBSIG_E_IO_READ, VBSIG_E_MALFORMED naming the offset or
 * object, VBSIG_E_LIMIT, VBSIG_E_NOMEM. */
int vbsig_pdf_open(vbsig_pdf_doc **out, const vbsig_ctx *ctx, const char *path, unsigned flags);
/* The same over bytes the caller keeps alive until vbsig_pdf_close() (used
 * by the fuzz harness and by code that already holds the file). `name`
 * appears in messages. */
int vbsig_pdf_open_memory(vbsig_pdf_doc **out, const vbsig_ctx *ctx, const uint8_t *data, size_t len,
                          const char *name, unsigned flags);
void vbsig_pdf_close(vbsig_pdf_doc *doc);

const uint8_t *vbsig_pdf_data(const vbsig_pdf_doc *doc, size_t *len);
/* 1 when the newest trailer has /Encrypt: strings and streams other than
 * cross-reference streams are then encrypted bytes, returned as they are;
 * vbsig_pdf_stream_decode() refuses them with VBSIG_E_UNSUPPORTED. */
int vbsig_pdf_is_encrypted(const vbsig_pdf_doc *doc);
/* 1 when the cross-reference data had to be rebuilt by scanning the file
 * (only with VBSIG_PDF_OPEN_REPAIR). A signer must refuse such a file. */
int vbsig_pdf_is_repaired(const vbsig_pdf_doc *doc);

/* ---- revisions (pdf_revision.c) ------------------------------------------ */
/* Things a verifier must treat as an attack or a forged update. */
enum {
    VBSIG_PDF_REV_DUPLICATE_OBJECT = 1 << 0,  /* one object number listed twice in this revision */
    VBSIG_PDF_REV_HYBRID_CONFLICT = 1 << 1,   /* table and /XRefStm place one object differently */
    VBSIG_PDF_REV_GENERATION_DROP = 1 << 2,   /* an object comes back with a lower generation */
    VBSIG_PDF_REV_STARTXREF_MISMATCH = 1 << 3 /* the startxref after this section points elsewhere */
};

typedef struct vbsig_pdf_revision_info {
    size_t start;          /* end of the previous revision (0 for revision 0) */
    size_t xref_offset;    /* where this revision's cross-reference section starts */
    size_t end;            /* just after this revision's %%EOF and its end-of-line */
    int xref_is_stream;    /* a /Type /XRef stream rather than a table */
    int hybrid;            /* a table whose trailer names an /XRefStm */
    int linearized;        /* first-page and main sections of a linearized file */
    unsigned flags;        /* VBSIG_PDF_REV_* */
    size_t object_count;   /* entries this revision lists (in use or free) */
    const vbsig_pdf_obj *trailer; /* the trailer dictionary (or xref stream dictionary) */
} vbsig_pdf_revision_info;

size_t vbsig_pdf_revision_count(const vbsig_pdf_doc *doc);
int vbsig_pdf_revision_get(const vbsig_pdf_doc *doc, size_t rev, vbsig_pdf_revision_info *out);
/* Entry i (0 ≤ i < object_count) of what revision rev lists, in object
 * number order. in_use is 0 for a free entry. */
int vbsig_pdf_revision_object(const vbsig_pdf_doc *doc, size_t rev, size_t i, uint32_t *num, uint16_t *gen,
                              int *in_use);

/* ---- resolving (pdf_resolve.c) ------------------------------------------- */
#define VBSIG_PDF_NEWEST ((size_t)-1)
/* Object num as of revision rev (VBSIG_PDF_NEWEST for the latest). A free
 * or never-defined object gives a null object, as ISO 32000 says; a wrong
 * generation gives null too. *out is owned by doc. */
int vbsig_pdf_get_object(vbsig_pdf_doc *doc, size_t rev, uint32_t num, uint16_t gen, const vbsig_pdf_obj **out);
/* o itself, or what it refers to (following chains of references). */
int vbsig_pdf_resolve(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *o, const vbsig_pdf_obj **out);
/* dict[key] resolved; a missing key gives a null object. */
int vbsig_pdf_dict_resolve(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *dict, const char *key,
                           const vbsig_pdf_obj **out);
/* The trailer's /Root of revision rev, checked to be a dictionary. */
int vbsig_pdf_catalog(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj **out);

/* ---- streams (pdf_stream.c, pdf_filter.c) --------------------------------- */
/* The undecoded bytes of a stream object, inside the mapped file. */
int vbsig_pdf_stream_raw(const vbsig_pdf_doc *doc, const vbsig_pdf_obj *stream, const uint8_t **data,
                         size_t *len);
/* Applies the stream's filters (FlateDecode with PNG predictors,
 * ASCIIHexDecode); the result never exceeds the inflated-size limit
 * (VBSIG_E_LIMIT). Unknown filters give VBSIG_E_UNSUPPORTED. out is
 * initialised here; free it with vbsig_bytes_free. */
int vbsig_pdf_stream_decode(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *stream, vbsig_bytes *out);

/* ---- pages and form fields (pdf_pages.c, pdf_acroform.c) ------------------ */
typedef struct vbsig_pdf_objref {
    uint32_t num;
    uint16_t gen;
} vbsig_pdf_objref;

/* The leaves of the page tree as of revision rev, in document order. A page
 * tree that loops, nests deeper than the depth limit or holds a non-page
 * node gives VBSIG_E_MALFORMED. *pages is malloc'ed (free()). */
int vbsig_pdf_pages(vbsig_pdf_doc *doc, size_t rev, vbsig_pdf_objref **pages, size_t *count);
int vbsig_pdf_page_count(vbsig_pdf_doc *doc, size_t rev, size_t *count);
/* Page i (0-based) as of revision rev. */
int vbsig_pdf_page(vbsig_pdf_doc *doc, size_t rev, size_t i, const vbsig_pdf_obj **page);

typedef struct vbsig_pdf_sig_field {
    vbsig_pdf_objref field;        /* the terminal field (often also its widget) */
    char *name;                    /* fully qualified name: the /T strings joined by '.', raw bytes */
    size_t name_len;               /* /T may be UTF-16BE, so name may hold NUL bytes */
    const vbsig_pdf_obj *value;    /* the /V signature dictionary, NULL when unsigned */
    vbsig_pdf_objref value_ref;    /* where /V points ({0,0} when direct or absent) */
} vbsig_pdf_sig_field;

/* The /Sig fields of the catalog's /AcroForm as of revision rev, in the
 * order of /Fields. Loops and over-deep trees give VBSIG_E_MALFORMED. */
int vbsig_pdf_sig_fields(vbsig_pdf_doc *doc, size_t rev, vbsig_pdf_sig_field **fields, size_t *count);
void vbsig_pdf_sig_fields_free(vbsig_pdf_sig_field *fields, size_t count);

#endif
