/* libxml2, loaded with dlopen when XML is first handled (xml_dl.c).
 * libxml2 brings ICU (with its 30 MB data library), libstdc++ and liblzma:
 * mapping and relocating them cost ~0.75 ms of CPU at every start of a
 * process that links libvbsig (measured: bench/README.md, PAdES verify),
 * although only XAdES and the ETSI XML report use XML. Every file that
 * calls libxml2 includes this header (xml.h does); it includes the libxml2
 * headers the code uses, then turns each libxml2 function used into a call
 * through the loaded table, so the code reads as plain libxml2 calls.
 * libvbsig then needs libxml2's headers at build time but no link to it;
 * `nm -D --undefined-only libvbsig.so` must name no xml symbol
 * (tests/cli/test_lazy_libxml.sh checks it). A libxml2 function newly used
 * must be added to VBSIG_XML_FUNCS, or the library will not link lazily. */
#ifndef VBSIG_XML_DL_H
#define VBSIG_XML_DL_H

#include <libxml/c14n.h>
#include <libxml/globals.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>
#include <libxml/xpath.h>

/* The functions used (each X(name) is a function exported by libxml2). */
#define VBSIG_XML_FUNCS(X)                                                                                          \
    X(__xmlGenericError)                                                                                            \
    X(__xmlGenericErrorContext)                                                                                     \
    X(xmlBufferContent)                                                                                             \
    X(xmlBufferCreate)                                                                                              \
    X(xmlBufferFree)                                                                                                \
    X(xmlBufferLength)                                                                                              \
    X(xmlC14NExecute)                                                                                               \
    X(xmlCtxtGetLastError)                                                                                          \
    X(xmlCtxtReadIO)                                                                                                \
    X(xmlDocGetRootElement)                                                                                         \
    X(xmlFreeDoc)                                                                                                   \
    X(xmlFreeParserCtxt)                                                                                            \
    X(xmlFreeTextWriter)                                                                                            \
    X(xmlGetNoNsProp)                                                                                               \
    X(xmlHashAddEntry)                                                                                              \
    X(xmlHashCreate)                                                                                                \
    X(xmlHashFree)                                                                                                  \
    X(xmlHashLookup)                                                                                                \
    X(xmlNewParserCtxt)                                                                                             \
    X(xmlNewTextWriterMemory)                                                                                       \
    X(xmlNodeGetContent)                                                                                            \
    X(xmlOutputBufferClose)                                                                                         \
    X(xmlOutputBufferCreateIO)                                                                                      \
    X(xmlSetGenericErrorFunc)                                                                                       \
    X(xmlTextWriterEndDocument)                                                                                     \
    X(xmlTextWriterEndElement)                                                                                      \
    X(xmlTextWriterSetIndent)                                                                                       \
    X(xmlTextWriterStartDocument)                                                                                   \
    X(xmlTextWriterStartElementNS)                                                                                  \
    X(xmlTextWriterWriteAttribute)                                                                                  \
    X(xmlTextWriterWriteElementNS)                                                                                  \
    X(xmlXPathEvalExpression)                                                                                       \
    X(xmlXPathFreeContext)                                                                                          \
    X(xmlXPathFreeObject)                                                                                           \
    X(xmlXPathNewContext)

#define VBSIG_XML_FIELD(name) __typeof__(&name) name;
typedef struct vbsig_xml_fns {
    VBSIG_XML_FUNCS(VBSIG_XML_FIELD)
    xmlFreeFunc *free_fn; /* libxml2's variable xmlFree (its deallocator) */
} vbsig_xml_fns;
#undef VBSIG_XML_FIELD

/* Loads libxml2 once per process (thread-safe) and checks its version.
 * VBSIG_OK, or VBSIG_E_UNAVAILABLE with a message naming the library and
 * the reason (not installed, too old, a symbol missing). Every entry point
 * that goes on to call libxml2 calls this first: vbsig_xml_parse() and
 * vbsig_report_to_etsi_xml(); the rest of xml/ works on parsed documents. */
int vbsig_xml_require(void);

/* The loaded table, for the redirected calls below; only valid after
 * vbsig_xml_require() succeeded. */
const vbsig_xml_fns *vbsig_xml(void);

/* From here on a libxml2 call goes through the table. */
#ifndef VBSIG_XML_DL_NO_REDIRECT
#define __xmlGenericError (vbsig_xml()->__xmlGenericError)
#define __xmlGenericErrorContext (vbsig_xml()->__xmlGenericErrorContext)
#define xmlBufferContent (vbsig_xml()->xmlBufferContent)
#define xmlBufferCreate (vbsig_xml()->xmlBufferCreate)
#define xmlBufferFree (vbsig_xml()->xmlBufferFree)
#define xmlBufferLength (vbsig_xml()->xmlBufferLength)
#define xmlC14NExecute (vbsig_xml()->xmlC14NExecute)
#define xmlCtxtGetLastError (vbsig_xml()->xmlCtxtGetLastError)
#define xmlCtxtReadIO (vbsig_xml()->xmlCtxtReadIO)
#define xmlDocGetRootElement (vbsig_xml()->xmlDocGetRootElement)
#define xmlFreeDoc (vbsig_xml()->xmlFreeDoc)
#define xmlFreeParserCtxt (vbsig_xml()->xmlFreeParserCtxt)
#define xmlFreeTextWriter (vbsig_xml()->xmlFreeTextWriter)
#define xmlGetNoNsProp (vbsig_xml()->xmlGetNoNsProp)
#define xmlHashAddEntry (vbsig_xml()->xmlHashAddEntry)
#define xmlHashCreate (vbsig_xml()->xmlHashCreate)
#define xmlHashFree (vbsig_xml()->xmlHashFree)
#define xmlHashLookup (vbsig_xml()->xmlHashLookup)
#define xmlNewParserCtxt (vbsig_xml()->xmlNewParserCtxt)
#define xmlNewTextWriterMemory (vbsig_xml()->xmlNewTextWriterMemory)
#define xmlNodeGetContent (vbsig_xml()->xmlNodeGetContent)
#define xmlOutputBufferClose (vbsig_xml()->xmlOutputBufferClose)
#define xmlOutputBufferCreateIO (vbsig_xml()->xmlOutputBufferCreateIO)
#define xmlSetGenericErrorFunc (vbsig_xml()->xmlSetGenericErrorFunc)
#define xmlTextWriterEndDocument (vbsig_xml()->xmlTextWriterEndDocument)
#define xmlTextWriterEndElement (vbsig_xml()->xmlTextWriterEndElement)
#define xmlTextWriterSetIndent (vbsig_xml()->xmlTextWriterSetIndent)
#define xmlTextWriterStartDocument (vbsig_xml()->xmlTextWriterStartDocument)
#define xmlTextWriterStartElementNS (vbsig_xml()->xmlTextWriterStartElementNS)
#define xmlTextWriterWriteAttribute (vbsig_xml()->xmlTextWriterWriteAttribute)
#define xmlTextWriterWriteElementNS (vbsig_xml()->xmlTextWriterWriteElementNS)
#define xmlXPathEvalExpression (vbsig_xml()->xmlXPathEvalExpression)
#define xmlXPathFreeContext (vbsig_xml()->xmlXPathFreeContext)
#define xmlXPathFreeObject (vbsig_xml()->xmlXPathFreeObject)
#define xmlXPathNewContext (vbsig_xml()->xmlXPathNewContext)
#undef xmlFree
#define xmlFree (*vbsig_xml()->free_fn)
#endif

#endif
