/* Private view of PAdES signing: serialising objects into an incremental
 * update, the cross-reference section that closes it, and the layout of the
 * signature's update. */
#ifndef VBSIG_PADES_PRIV_H
#define VBSIG_PADES_PRIV_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "pdf/pdf.h"
#include "util/util.h"
#include "vbsig/pades.h"

/* ---- serialising objects (pdf_writer.c) ---------------------------------- */
/* Any direct object (no stream); strings come out as hex strings of their
 * decoded bytes, so an unencrypted file's values survive exactly. */
int pdfw_obj(vbsig_bytes *b, const vbsig_pdf_obj *o);
/* " /Key value" for each item of dict whose key is not in skip (NULL-ended). */
int pdfw_dict_items(vbsig_bytes *b, const vbsig_pdf_obj *dict, const char *const *skip);
/* " value" for each item of an array. */
int pdfw_array_items(vbsig_bytes *b, const vbsig_pdf_obj *array);
int pdfw_name(vbsig_bytes *b, const char *name, size_t len);
/* A text string from UTF-8: a literal string when it is printable ASCII,
 * else UTF-16BE with a byte order mark, as hex. Bad UTF-8 gives
 * VBSIG_E_INVALID_ARG naming `what`. */
int pdfw_text_string(vbsig_bytes *b, const char *utf8, const char *what);
int pdfw_hex_string(vbsig_bytes *b, const uint8_t *p, size_t n);
/* "(D:YYYYMMDDHHmmSS+07'00')": PDF date in Vietnam time. */
int pdfw_date(vbsig_bytes *b, time_t t);

/* ---- the cross-reference section (pdf_incremental.c) --------------------- */
typedef struct pdfw_xref_entry {
    uint32_t num;
    uint16_t gen;
    size_t offset; /* in the output file */
} pdfw_xref_entry;

typedef struct pdfw_trailer {
    uint32_t size;               /* /Size: highest object number + 1, new objects included */
    const vbsig_pdf_obj *root;   /* copied as they are (references) */
    const vbsig_pdf_obj *info;   /* NULL when absent */
    const uint8_t *id0;          /* kept from the file, or new */
    size_t id0_len;
    uint8_t id1[16];             /* new for this revision */
    size_t prev;                 /* the input's last startxref */
} pdfw_trailer;

/* Appends a cross-reference table and trailer (stream = 0), or an xref
 * stream object numbered stream_num (stream = 1), then startxref and %%EOF.
 * base is the output offset of b->data[0]. entries is sorted here. */
int pdfw_xref_write(vbsig_bytes *b, size_t base, pdfw_xref_entry *entries, size_t count,
                    const pdfw_trailer *t, int stream, uint32_t stream_num);

/* A trailer key from the newest section that has it (a linearized file's
 * first-page trailer and its main one split the keys between them). */
const vbsig_pdf_obj *pdfw_newest_trailer_key(const vbsig_pdf_doc *doc, const char *key);
/* The first object number an update to doc may use: one past the highest
 * any section lists or declares in /Size. VBSIG_E_MALFORMED when there is
 * none, or when it exceeds the document limit or leaves fewer than headroom
 * numbers for the update's own objects. */
int pdfw_next_object_number(const vbsig_pdf_doc *doc, uint32_t headroom, uint32_t *out);
/* Raises *size above every object number o refers to (arrays and
 * dictionaries walked, references not followed). A reference to a number
 * the file never defined would otherwise start to point at a new object of
 * the update once it takes that number: a dangling /Fields entry would
 * turn into a second copy of the new signature field. */
int pdfw_number_above_refs(const vbsig_pdf_doc *doc, const vbsig_pdf_obj *o, uint32_t headroom, uint32_t *size);
/* The trailer of an update to doc with the given /Root: the newest /Info
 * when it is a reference, /Prev the last section, the first /ID half kept
 * (new when the file has none) and the second one new. t->size is left 0
 * for the caller. */
int pdfw_trailer_init(pdfw_trailer *t, const vbsig_pdf_doc *doc, const vbsig_pdf_obj *root);

/* ---- the signature's update (pades_layout.c) ----------------------------- */
typedef struct pades_update {
    vbsig_bytes bytes;       /* appended after the input */
    size_t base;             /* input length: the output offset of bytes.data[0] */
    size_t contents_at;      /* in bytes: the '<' of /Contents */
    size_t contents_len;     /* '<' hex digits '>' */
    size_t byterange_at;     /* in bytes: the first digit field of /ByteRange */
} pades_update;

/* Lays out the update for doc: signature dictionary with a placeholder of
 * `reserved` bytes, field/widget, the page, AcroForm and catalog versions
 * it needs, the cross-reference section. Checks the document's own rules
 * first (encryption, DocMDP). The /ByteRange is filled in. */
int pades_layout(vbsig_pdf_doc *doc, const vbsig_pades_sign_opts *opts, time_t when, size_t reserved,
                 pades_update *out);
void pades_update_free(pades_update *u);
/* The same for a document timestamp: /Type /DocTimeStamp, /SubFilter
 * ETSI.RFC3161, no /M; allowed even under a DocMDP P=1 certification. */
int pades_layout_doc_timestamp(vbsig_pdf_doc *doc, size_t reserved, pades_update *out);

/* ---- document timestamps and validation data (pades_doc_timestamp.c,
 * pades_dss_write.c, pades_extend.c) --------------------------------------- */
/* The update that adds a document timestamp to doc: a token over the
 * byte ranges, in a reservation grown until it fits. out->bytes follow the
 * document's bytes. VBSIG_E_UNAVAILABLE when no TSA answers. */
int pades_doc_timestamp_update(vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, vbsig_pdf_doc *doc, pades_update *out);
/* The validation data of a /DSS: pools of DER items (certificates, OCSP
 * responses, CRLs) and the /VRI entries that point into them. */
#define PADES_DSS_KINDS 3
enum { PADES_DSS_CERT = 0, PADES_DSS_OCSP = 1, PADES_DSS_CRL = 2 };
typedef struct pades_dss_item {
    uint8_t *der;
    size_t len;
    uint32_t num; /* the stream object holding it; 0 = not written yet */
} pades_dss_item;
typedef struct pades_dss_pool {
    pades_dss_item *items;
    size_t count, cap;
} pades_dss_pool;
typedef struct pades_dss_vri_entry {
    char key[41];                    /* upper-case hex SHA-1 of the signature's /Contents */
    size_t *idx[PADES_DSS_KINDS];    /* indices into the pools */
    size_t count[PADES_DSS_KINDS];
} pades_dss_vri_entry;
typedef struct pades_dss {
    pades_dss_pool pool[PADES_DSS_KINDS];
    pades_dss_vri_entry *vri;
    size_t vri_count;
} pades_dss;

void pades_dss_init(pades_dss *d);
void pades_dss_free(pades_dss *d);
/* Reads the newest /DSS of doc (if any) into d. */
int pades_dss_load(vbsig_pdf_doc *doc, pades_dss *d);
int pades_dss_add(pades_dss *d, int kind, const uint8_t *der, size_t len, uint32_t num, size_t *index);
int pades_dss_vri(pades_dss *d, const char *key, pades_dss_vri_entry **out);
int pades_dss_vri_link(pades_dss_vri_entry *v, int kind, size_t index);
/* The incremental update writing d as doc's /DSS (new items as streams, a
 * new DSS dictionary, a new catalog version); out is initialised here. */
int pades_dss_update(vbsig_pdf_doc *doc, pades_dss *d, vbsig_bytes *out);

/* Writes in (in_len bytes) followed by each of the n updates to path,
 * atomically. */
int pades_write_parts(const char *path, const uint8_t *in, size_t in_len, const vbsig_bytes *const *updates,
                      size_t n);
/* Opens the PDF an update is appended to. Never with repair: a file whose
 * structure had to be guessed cannot be extended safely, and the reader's
 * error says where it broke. out_path, when given, must not name the input
 * (compared by device and inode, so links and other spellings count):
 * writing the output would destroy the input it is read from. */
int pades_open_input(vbsig_ctx *ctx, const char *in_path, const char *out_path, vbsig_pdf_doc **doc);

/* vbsig_pades_finish for a batch that pays for durability once per group
 * (sign/batch_commit.c): the signed PDF is left in f's temporary file next
 * to out_path, closed but not flushed; the caller flushes and renames it
 * (util.h's grouped durability) or aborts it. B-B without
 * verify_after_sign only. */
int vbsig__pades_finish_staged(vbsig_pades_pending *p, const uint8_t *sig, size_t sig_len, const char *out_path,
                               vbsig_atomic_file *f);

/* Width of each /ByteRange number field: room for any 64-bit offset. */
#define PADES_BYTERANGE_WIDTH 20

/* ---- placeholder sizing (placeholder.c) ---------------------------------- */
/* Bytes to reserve for a CMS whose trial encoding is trial_len: margin,
 * plus the allowance for a signature timestamp at B-T. */
size_t pades_placeholder_size(size_t trial_len, vbsig_level level);
/* Largest signature value the signer's key can produce. */
size_t pades_max_signature_len(const vbsig_signer *s);

#endif
