/* Private view of the XML signature module (XMLDSig, XAdES B-B) on libxml2.
 * Documents are parsed once, safely; canonical forms go straight into a
 * digest; signatures are inserted into the original bytes. */
#ifndef VBSIG_XML_H
#define VBSIG_XML_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "vbsig/signer.h"
#include "vbsig/tsp.h"
#include "util/util.h"
#include "util/xml_dl.h" /* libxml2, loaded on first use */

#define VBSIG_NS_DS "http://www.w3.org/2000/09/xmldsig#"
#define VBSIG_NS_XADES "http://uri.etsi.org/01903/v1.3.2#"
#define VBSIG_NS_EXC_C14N "http://www.w3.org/2001/10/xml-exc-c14n#"
#define VBSIG_XADES_SIGNED_PROPS_TYPE "http://uri.etsi.org/01903#SignedProperties"
#define VBSIG_XML_ENVELOPED_URI "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

/* Limits of what a parsed document may hold (libxml2's own, without its
 * "huge" mode, caps depth at 256 and a text node at 10 MB). */
#define VBSIG_XML_MAX_NODES 20000000u
#define VBSIG_XML_MAX_IDS 1000000u
#define VBSIG_XML_MAX_REFERENCES 64u
#define VBSIG_XML_MAX_TRANSFORMS 4u

/* ---- parsing (xml_parse.c, xml_ids.c) ---- */
typedef struct vbsig_xml_doc {
    xmlDocPtr doc;
    void *ids;              /* xmlHashTablePtr: ID value -> the element carrying it */
    char *duplicate_id;     /* the first ID value found twice, or NULL */
    size_t node_count;
} vbsig_xml_doc;

/* Refuses a DOCTYPE before anything is parsed (VBSIG_E_REFUSED), then parses
 * without network, entity substitution or DTD loading, and registers the ID
 * attributes (Id, ID, xml:id). `what` names the input in messages. */
int vbsig_xml_parse(const uint8_t *p, size_t n, uint64_t max_len, const char *what,
                    vbsig_xml_doc *out);
void vbsig_xml_doc_clear(vbsig_xml_doc *d);
/* 1 when the prolog (before the root element) holds a DOCTYPE. */
int vbsig_xml_has_doctype(const uint8_t *p, size_t n);
/* Registers the IDs and counts the nodes into node_count (stopping past
 * VBSIG_XML_MAX_NODES). */
int vbsig_xml_ids_build(vbsig_xml_doc *d);
/* The element whose registered ID is `id`, or NULL. */
xmlNodePtr vbsig_xml_id_lookup(const vbsig_xml_doc *d, const char *id);

/* ---- tree helpers (xml_tree.c) ---- */
int vbsig_xml_is(const xmlNode *n, const char *ns, const char *name);
/* The next element sibling starting at n itself, or NULL. */
xmlNodePtr vbsig_xml_elem(xmlNodePtr n);
/* The only child element named ns:name; NULL when absent or repeated. */
xmlNodePtr vbsig_xml_only_child(xmlNodePtr parent, const char *ns, const char *name, int *count);
/* Attribute value without namespace (malloc'ed, or NULL). */
char *vbsig_xml_attr(xmlNodePtr n, const char *name);
/* The element's text content, whitespace trimmed (malloc'ed). */
char *vbsig_xml_text(xmlNodePtr n);
/* The node or one of its ancestors is `anc`. */
int vbsig_xml_within(const xmlNode *node, const xmlNode *anc);
/* The element's path from the root as a reader would write it, such as
 * /HDon/DLHDon or /a:List/a:Item[2] (a position only where siblings share
 * the name); "/" for the document node (malloc'ed, NULL without memory). */
char *vbsig_xml_path(const xmlNode *n);
/* The element's Id, ID or xml:id (malloc'ed), or NULL. */
char *vbsig_xml_id_of(xmlNodePtr n);
/* Both are elements with the same namespace URI and local name. */
int vbsig_xml_same_name(const xmlNode *a, const xmlNode *b);

/* ---- algorithms (xml_algs.c) ---- */
typedef struct vbsig_c14n_alg {
    int mode;          /* xmlC14NMode */
    int with_comments;
} vbsig_c14n_alg;
/* 0 and fills *out for a C14N family URI; -1 otherwise. */
int vbsig_xml_c14n_from_uri(const char *uri, vbsig_c14n_alg *out);
vbsig_digest_alg vbsig_xml_digest_from_uri(const char *uri);
const char *vbsig_xml_digest_uri(vbsig_digest_alg alg);
typedef struct vbsig_xml_sigalg {
    vbsig_key_type key;
    vbsig_digest_alg digest;
    vbsig_rsa_padding padding;
} vbsig_xml_sigalg;
int vbsig_xml_sigalg_from_uri(const char *uri, vbsig_xml_sigalg *out);
const char *vbsig_xml_sigalg_uri(const vbsig_xml_sigalg *a);

/* A CanonicalizationMethod or Transform element: the algorithm and, for
 * exclusive C14N, the InclusiveNamespaces PrefixList (free with
 * vbsig_xml_prefixes_free). -1 when not a C14N algorithm or malformed. */
int vbsig_xml_read_c14n(xmlNodePtr method, vbsig_c14n_alg *alg, char ***prefixes);
void vbsig_xml_prefixes_free(char **prefixes);

/* ---- canonicalization into a digest (xml_c14n.c) ----
 * Canonicalizes the subtree of `top` (the whole document when top is the
 * document node), leaving out the subtree of `exclude` (may be NULL), and
 * feeds the bytes to md. prefixes: exclusive C14N's InclusiveNamespaces
 * PrefixList (NULL-terminated) or NULL. */
int vbsig_xml_c14n_digest(xmlDocPtr doc, xmlNodePtr top, xmlNodePtr exclude,
                          const vbsig_c14n_alg *alg, char **prefixes, EVP_MD_CTX *md);
/* Exclusive C14N 1.0 without comments and without a PrefixList, written
 * from the tree to sink (0 = accepted) in chunks (xml_c14n_exc.c).
 * VBSIG_E_UNSUPPORTED, without a message, when the subtree holds what it
 * does not model (entity references, relative namespace URIs …): the
 * caller then uses libxml2. vbsig_xml_c14n_digest does that itself. */
typedef int (*vbsig_c14n_sink)(void *data, const uint8_t *p, size_t n);
int vbsig_xml_c14n_exclusive(xmlDocPtr doc, xmlNodePtr top, xmlNodePtr exclude, vbsig_c14n_sink sink,
                             void *sink_data);
/* The same into a digest value: out must hold EVP_MAX_MD_SIZE bytes. */
int vbsig_xml_c14n_hash(xmlDocPtr doc, xmlNodePtr top, xmlNodePtr exclude,
                        const vbsig_c14n_alg *alg, char **prefixes, vbsig_digest_alg dalg,
                        uint8_t *out, size_t *out_len);

/* The same, also counting the canonical bytes into *count and appending
 * them to keep (either may be NULL). */
int vbsig_xml_c14n_hash_ex(xmlDocPtr doc, xmlNodePtr top, xmlNodePtr exclude, const vbsig_c14n_alg *alg,
                           char **prefixes, vbsig_digest_alg dalg, uint8_t *out, size_t *out_len, size_t *count,
                           vbsig_bytes *keep);

/* ---- ECDSA value conversions (xml_ecdsa.c) ---- */
/* DER Ecdsa-Sig-Value -> raw r||s, each padded to field_len bytes. */
int vbsig_xml_ecdsa_der_to_raw(const uint8_t *der, size_t n, size_t field_len,
                               uint8_t *raw, size_t *raw_len);
int vbsig_xml_ecdsa_raw_to_der(const uint8_t *raw, size_t n, uint8_t **der, size_t *der_len);

/* ---- IssuerSerialV2 (xml_issuer_serial.c) ---- */
/* DER of IssuerSerial { GeneralNames (directoryName issuer), serial } (malloc'ed). */
int vbsig_xml_issuer_serial_der(X509 *cert, uint8_t **out, size_t *out_len);

/* ---- the Signature element as text (xml_template.c) ---- */
#define VBSIG_XML_MAX_KEYINFO_CERTS 8
typedef struct vbsig_xml_template {
    const char *id;               /* the Signature's Id; others derive from it */
    const char *sigalg_uri, *digest_uri;
    const char *c14n_uri;         /* CanonicalizationMethod and the C14N transforms */
    const char *ref_uri;          /* "" or "#id" */
    int enveloped;                /* the Signature sits inside what ref_uri names */
    const char *doc_digest;       /* base64 */
    const char *props_digest;     /* base64, "" until known (XAdES only) */
    const char *signature_value;  /* base64, "" until known */
    const char *certs[VBSIG_XML_MAX_KEYINFO_CERTS]; /* base64 DER, signer first */
    size_t cert_count;
    int xades;
    const char *signing_time;     /* ISO 8601 */
    const char *cert_digest;      /* base64 SHA-256 of the signer certificate */
    const char *issuer_serial;    /* base64 IssuerSerial DER */
    int external;                 /* detached: no Transforms, ref_uri names the data */
    const uint8_t *object;        /* enveloping: the document's root element, */
    size_t object_len;            /* written into ds:Object Id="<id>-object" */
    const char *mime_type;        /* DataObjectFormat; NULL: text/xml */
    const char *timestamp;        /* base64 token for SignatureTimeStamp, NULL: B-B */
} vbsig_xml_template;
/* Ids derived from the Signature's: "<id>-ref0", "<id>-signedprops",
 * "<id>-object" (enveloping). */
int vbsig_xml_template_write(const vbsig_xml_template *t, vbsig_bytes *out);

/* Where the Signature goes in the original bytes: before the end tag of
 * the element that is the element_index-th start tag (0 = the root), or,
 * for an empty-element tag, at its "/>" (empty = 1; name is the tag's
 * qualified name as written, to write the end tag). */
typedef struct vbsig_xml_insertion {
    size_t offset;
    int empty;
    const char *name;
    size_t name_len;
} vbsig_xml_insertion;
int vbsig_xml_insertion_point(const uint8_t *p, size_t n, size_t element_index, vbsig_xml_insertion *out);
/* The node after cur in document order inside root's subtree (entering
 * elements' children), or NULL after the last one: one iterative walk, so
 * deep documents cost no C stack. */
xmlNodePtr vbsig_xml_next_in_subtree(xmlNodePtr cur, xmlNodePtr root);
/* The position of el among the document's elements in document order. */
size_t vbsig_xml_element_index(xmlDocPtr doc, xmlNodePtr el);

/* ---- detached data (xml_detached.c) ---- */
typedef struct vbsig_xml_detached {
    const uint8_t *data;
    size_t len;
    const char *name;   /* the base name a Reference URI must equal */
    int used;           /* a Reference of the signature being checked digested it */
} vbsig_xml_detached;
/* A bare file name as a URI: every byte outside [A-Za-z0-9-._~] as %XX
 * (malloc'ed). VBSIG_E_INVALID_ARG for "", ".", ".." or a name with '/'. */
int vbsig_xml_uri_from_name(const char *name, char **out);
/* 1 when uri is a relative reference to exactly this file name: no scheme,
 * no directory, no query or fragment, percent-decoding to name. */
int vbsig_xml_uri_names_file(const char *uri, const char *name);
/* 1 when uri is a relative reference that can only be a file beside the
 * signature: not empty, no scheme, directory, query or fragment. */
int vbsig_xml_uri_is_bare_name(const char *uri);

/* ---- enveloping: the root element's bytes (xml_insert.c) ---- */
int vbsig_xml_root_span(const uint8_t *p, size_t n, size_t *start, size_t *end);

/* ---- verification of one Signature (xml_verify_*.c) ---- */
struct vbsig_sig_entry;
struct vbsig_ctx;
/* What one Reference covered, for the signature-wrapping checks. */
typedef struct vbsig_xml_cover {
    xmlNodePtr top;       /* the referenced element or the document node */
    xmlNodePtr exclude;   /* the Signature the enveloped transform removed, or NULL */
    int content;          /* 0: SignedProperties or detached data */
    int ok;               /* the digest matched */
} vbsig_xml_cover;
typedef struct vbsig_xml_sig_cover {
    vbsig_xml_cover refs[VBSIG_XML_MAX_REFERENCES];
    size_t count;
    int valid;            /* every reference matched and SignatureValue verified */
} vbsig_xml_sig_cover;

typedef struct vbsig_xml_sig {
    const vbsig_xml_doc *d;
    xmlNodePtr sig, signed_info, signature_value, key_info, qualifying;
    struct vbsig_sig_entry *e;
    X509 *cert;                 /* the certificate whose key verified SignatureValue */
    STACK_OF(X509) *certs;      /* every certificate in KeyInfo */
    int covers_root;            /* a reference covers the whole document */
    xmlNodePtr props_referenced; /* the element the SignedProperties reference digested */
    vbsig_xml_detached *detached; /* the --data file of a detached signature, or NULL */
    int keep_content;           /* keep each Reference's canonical bytes in the report */
    vbsig_xml_sig_cover *cover; /* filled by vbsig_xml_check_references */
    size_t external_refs;       /* References that are not same-document */
} vbsig_xml_sig;
/* Structure: one SignedInfo, one SignatureValue, KeyInfo, Objects. 0 when
 * sound, else the entry is failed with the reason. */
int vbsig_xml_check_structure(vbsig_xml_sig *s);
/* Every Reference: allowed URIs and transforms, digests recomputed. */
int vbsig_xml_check_references(vbsig_xml_sig *s);
/* Signature wrapping (XSW) across the document's signatures: an element
 * with the name of a signed element that no valid signature covers fails
 * the signatures that signed its twin, naming both (xml_wrapping.c).
 * entries[i] (an array) belongs to sigs[i]. */
void vbsig_xml_check_wrapping(const vbsig_xml_doc *d, xmlNodePtr *sigs, const vbsig_xml_sig_cover *covers,
                              size_t count, struct vbsig_sig_entry *entries);
/* SignedInfo canonicalized and the SignatureValue checked with the key of
 * a certificate from KeyInfo (never a bare KeyValue). */
int vbsig_xml_check_signature_value(vbsig_xml_sig *s, size_t max_certs);
/* 1 when sig (raw r||s for ECDSA) verifies over the digest md with cert's
 * key under alg; the key type must be the algorithm's. */
int vbsig_xml_key_verifies(X509 *cert, const vbsig_xml_sigalg *alg, const uint8_t *md, size_t mdlen,
                           const uint8_t *sig, size_t siglen);
/* XAdES: Target, SignedProperties binding, SigningCertificate(V2),
 * SigningTime; sets the level. */
int vbsig_xml_check_xades(vbsig_xml_sig *s);
/* XAdES B-T: every SignatureTimeStamp (a bounded number) verified over the
 * canonical ds:SignatureValue; the earliest valid one becomes the entry's
 * proven signing time and the level becomes B-T. */
void vbsig_xml_check_timestamps(struct vbsig_ctx *ctx, vbsig_xml_sig *s);

/* ---- signing helpers (xml_sign_timestamp.c) ---- */
/* A SignatureTimeStamp token over the exclusive canonical form of
 * <ds:SignatureValue>value_b64</ds:SignatureValue>; token is malloc'ed. */
int vbsig_xml_signature_timestamp(struct vbsig_ctx *ctx, const vbsig_tsp_opts *tsp, const char *value_b64,
                                  vbsig_buf *token);

#endif
