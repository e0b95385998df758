/* Shared inside the PDF module only: the lexer, the parser, and the
 * document's cross-reference model. */
#ifndef VBSIG_PDF_INTERNAL_H
#define VBSIG_PDF_INTERNAL_H

#include "pdf/pdf.h"
#include "util/util.h"

/* ---- lexer (pdf_lexer.c) --------------------------------------------------- */
typedef enum pdf_tok_kind {
    PDF_TOK_EOF,
    PDF_TOK_INT,
    PDF_TOK_REAL,
    PDF_TOK_STRING,     /* ( … ) */
    PDF_TOK_HEXSTRING,  /* < … > */
    PDF_TOK_NAME,       /* /… */
    PDF_TOK_KEYWORD,    /* true, obj, R, stream … */
    PDF_TOK_ARRAY_OPEN,
    PDF_TOK_ARRAY_CLOSE,
    PDF_TOK_DICT_OPEN,
    PDF_TOK_DICT_CLOSE
} pdf_tok_kind;

typedef struct pdf_token {
    pdf_tok_kind kind;
    size_t start, end; /* span in the lexer's data */
    int64_t integer;
    double real;
} pdf_token;

typedef struct pdf_lexer {
    const uint8_t *data;
    size_t len;
    size_t pos;
    const char *name; /* names the input in messages: "file.pdf" or "file.pdf, object stream 5" */
    int in_file;      /* offsets are file offsets */
} pdf_lexer;

void pdf_lexer_init(pdf_lexer *lx, const uint8_t *data, size_t len, size_t pos, const char *name, int in_file);
int pdf_is_space(uint8_t c);
int pdf_is_delim(uint8_t c);
void pdf_skip_space(pdf_lexer *lx);
/* Reads one token. Malformed tokens (unterminated string, bad hex digit,
 * number overflow) give VBSIG_E_MALFORMED naming the offset. */
int pdf_lex_next(pdf_lexer *lx, pdf_token *tok);
int pdf_lex_peek(pdf_lexer *lx, pdf_token *tok);
int pdf_tok_is_keyword(const pdf_lexer *lx, const pdf_token *tok, const char *kw);

/* Token decoders; outputs are malloc'ed and NUL-terminated. */
int pdf_decode_literal(const pdf_lexer *lx, const pdf_token *tok, uint8_t **out, size_t *len);
int pdf_decode_hex(const pdf_lexer *lx, const pdf_token *tok, uint8_t **out, size_t *len);
int pdf_decode_name(const pdf_lexer *lx, const pdf_token *tok, char **out, size_t *len);

/* ---- parser (pdf_parse.c) -------------------------------------------------- */
/* One direct object, references included; the next token must start it. */
int pdf_parse_object(pdf_lexer *lx, unsigned max_depth, vbsig_pdf_obj **out);
vbsig_pdf_obj *pdf_obj_new(vbsig_pdf_type type);

/* ---- the document's cross-reference model ---------------------------------- */
enum { PDF_ENTRY_FREE, PDF_ENTRY_FILE, PDF_ENTRY_COMPRESSED };

typedef struct pdf_objstm {
    uint8_t *data; /* decoded */
    size_t len;
    size_t first;  /* /First */
    uint32_t count;
    uint32_t *nums;
    size_t *offsets; /* relative to first */
    char *label;     /* "file.pdf, object stream N" for messages */
} pdf_objstm;

/* What one entry parses to can depend on another object: the object
 * stream that holds it, or the indirect /Length of a stream. As of
 * different revisions that other object may differ, so parses are cached
 * per dependency (usually there is one). */
struct pdf_entry;
typedef struct pdf_variant {
    const struct pdf_entry *dep; /* the dependency's entry as of the revision asked for (may be NULL) */
    vbsig_pdf_obj *obj;
    pdf_objstm *objstm;          /* decoded when obj is an object stream */
    struct pdf_variant *next;
} pdf_variant;

typedef struct pdf_entry {
    uint32_t num;
    uint16_t gen;
    uint8_t kind;
    uint8_t busy;      /* being parsed: catches objects that need themselves */
    uint8_t has_dep;   /* dep_num is meaningful (known after the first parse) */
    uint32_t dep_num;
    uint64_t where;    /* FILE: byte offset; COMPRESSED: the object stream's number */
    uint32_t index;    /* COMPRESSED: index inside the object stream */
    pdf_variant *variants; /* parses, on first use */
    size_t seq;        /* listing order inside its section, while sorting */
} pdf_entry;

typedef struct pdf_section {
    size_t offset;     /* startxref / /Prev value that led here */
    int is_stream;
    int hybrid;
    vbsig_pdf_obj *trailer;  /* owned; for a stream section, its dictionary */
    vbsig_pdf_obj *xref_stream; /* owned: the parsed xref stream object, if any */
    pdf_entry *entries;      /* sorted by num, unique */
    size_t count;
    size_t body_end;   /* just after the trailer dictionary or the xref stream's endobj */
    size_t eof_end;
    uint64_t startxref_value; /* the number after the startxref that ends this section */
    unsigned flags;
    uint64_t prev;           /* /Prev, or UINT64_MAX */
} pdf_section;

typedef struct pdf_revision {
    size_t sections[2]; /* indices into doc->sections, newest first */
    size_t nsections;
    size_t start, end;
    int linearized;
    unsigned flags;
    size_t object_count;
} pdf_revision;

struct vbsig_pdf_doc {
    vbsig_file_map map;
    const uint8_t *data;
    size_t len;
    char *name;
    vbsig_pdf_limits lim;
    pdf_section *sections;    /* chain order: newest first */
    size_t nsections;
    pdf_revision *revisions;  /* oldest first */
    size_t nrevisions;
    int encrypted;
    int repaired;
};

/* pdf_xref_table.c: a classic `xref` table and its trailer at offset. */
int pdf_read_xref_table(vbsig_pdf_doc *doc, size_t offset, pdf_section *sec);
/* pdf_xref_stream.c: a /Type /XRef stream object at offset; entries are
 * appended to sec (which may already hold a hybrid table's entries). */
int pdf_read_xref_stream(vbsig_pdf_doc *doc, size_t offset, pdf_section *sec, vbsig_pdf_obj **stream_obj);
/* pdf_xref_entries.c: sorts sec's entries and settles duplicates:
 * hybrid_from is the index where a hybrid section's stream entries begin
 * (sec->count when none). */
int pdf_section_finish(vbsig_pdf_doc *doc, pdf_section *sec, size_t hybrid_from);
int pdf_entries_push(pdf_section *sec, size_t *cap, const pdf_entry *e);
/* pdf_revision.c: walks startxref and the /Prev chain, builds revisions. */
int pdf_read_revisions(vbsig_pdf_doc *doc);
/* pdf_repair.c: one revision rebuilt by scanning for `num gen obj`;
 * doc->sections and doc->revisions must be empty. */
int pdf_repair(vbsig_pdf_doc *doc);
/* pdf_indirect.c: `num gen obj … endobj` at offset (stream data located,
 * not read). rev is used to resolve an indirect /Length. */
#define PDF_ANY_OBJECT UINT32_MAX
int pdf_parse_indirect(vbsig_pdf_doc *doc, size_t rev, size_t offset, uint32_t num, uint16_t gen,
                       vbsig_pdf_obj **out, size_t *end);
/* pdf_resolve.c: the entry for num as of revision rev (NULL when never
 * listed); *found_in is the revision that lists it. */
pdf_entry *pdf_lookup(vbsig_pdf_doc *doc, size_t rev, uint32_t num, size_t *found_in);
/* The parse of object num as of revision rev (NULL for a null object). */
int pdf_get_variant(vbsig_pdf_doc *doc, size_t rev, uint32_t num, uint16_t gen, pdf_variant **out);
/* pdf_objstm.c: a compressed entry's object, from its object stream as of rev. */
int pdf_objstm_get(vbsig_pdf_doc *doc, size_t rev, pdf_entry *e, vbsig_pdf_obj **out);
void pdf_objstm_free(pdf_objstm *s);
/* pdf_filter.c: decodes raw bytes with the filters named by a stream dict. */
int pdf_filters_apply(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *dict, const uint8_t *raw, size_t raw_len,
                      vbsig_bytes *out);
int pdf_flate_decode(const uint8_t *in, size_t n, size_t max_out, vbsig_bytes *out, const char *what);
int pdf_predictor_decode(vbsig_bytes *data, int64_t predictor, int64_t colors, int64_t bpc, int64_t columns,
                         const char *what);

/* pdf_objset.c: a set of object numbers, for loop detection in trees. */
typedef struct pdf_objset {
    uint32_t *slots; /* num + 1; 0 = empty */
    size_t cap, count;
} pdf_objset;
/* 1 when added, 0 when already present, negative status on failure. */
int pdf_objset_add(pdf_objset *s, uint32_t num);
void pdf_objset_free(pdf_objset *s);
/* o resolved in revision rev; NULL for a missing, null or unreadable
 * object, with the error cleared (footprint estimation: what cannot be
 * read is judged, not reported). pdf_footprint.c. */
const vbsig_pdf_obj *pdf_resolved_quiet(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *o);

/* pdf_page_content.c: a page attribute from the page or the nearest
 * ancestor that has it (NULL when none); a page box (key "CropBox",
 * "MediaBox") normalised, 1 when it is four finite numbers; the page's
 * content streams decoded and joined by newlines (a token may not span two
 * streams, but operands may precede an operator in the next one), within
 * the decoded-size limit. out is initialised by pdf_page_contents. */
struct vbsig_pdf_rect;
const vbsig_pdf_obj *pdf_page_inherited(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *page, const char *key);
int pdf_page_box(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *page, const char *key, struct vbsig_pdf_rect *out);
int pdf_page_contents(vbsig_pdf_doc *doc, size_t rev, const vbsig_pdf_obj *page, vbsig_bytes *out);

#endif
