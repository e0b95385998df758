/* The ETSI TS 119 102-2 (v1.2.1) XML validation report: one
 * SignatureValidationReport per signature, and the certificates the
 * verdicts rest on as validation objects. Written with libxml2's text
 * writer (which escapes everything it is given) into memory, then to the
 * file atomically. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "util/util.h"
#include "validate/validate.h"
#include "util/xml_dl.h" /* libxml2, loaded on first use */

#define NS_VR "http://uri.etsi.org/19102/v1.2.1#"
#define NS_DS "http://www.w3.org/2000/09/xmldsig#"
#define SHA256_URI "http://www.w3.org/2001/04/xmlenc#sha256"

typedef struct writer {
    xmlTextWriterPtr w;
    int bad; /* any libxml2 call failed */
} writer;

static void chk(writer *x, int rc)
{
    if (rc < 0)
        x->bad = 1;
}

static void start(writer *x, const char *name)
{
    chk(x, xmlTextWriterStartElementNS(x->w, BAD_CAST "vr", BAD_CAST name, NULL));
}

static void end(writer *x)
{
    chk(x, xmlTextWriterEndElement(x->w));
}

static void text_el(writer *x, const char *prefix, const char *name, const char *text)
{
    chk(x, xmlTextWriterWriteElementNS(x->w, BAD_CAST prefix, BAD_CAST name, NULL, BAD_CAST text));
}

static void attr(writer *x, const char *name, const char *value)
{
    chk(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value));
}

static void time_el(writer *x, const char *name, time_t t)
{
    char buf[32];
    vbsig_time_format(t, 0, buf);
    text_el(x, "vr", name, buf);
}

static void base64_el(writer *x, const char *prefix, const char *name, const uint8_t *p, size_t n)
{
    char *b64 = NULL;
    size_t len = 0;
    if (vbsig_base64_encode(p, n, &b64, &len) != VBSIG_OK) {
        x->bad = 1;
        return;
    }
    text_el(x, prefix, name, b64);
    free(b64);
}

/* A certificate's object id: "C-" and the first 16 bytes of its SHA-256,
 * so one certificate used by several signatures is one object. */
static void cert_id(const uint8_t *der, size_t len, char out[40])
{
    uint8_t md[32];
    unsigned mdlen = 0;
    strcpy(out, "C-unknown");
    if (!EVP_Digest(der, len, md, &mdlen, EVP_sha256(), NULL))
        return;
    out[0] = 'C';
    out[1] = '-';
    for (unsigned i = 0; i < 16; i++)
        snprintf(out + 2 + 2 * i, 3, "%02X", md[i]);
}

static const char *main_uri(vbsig_indication ind)
{
    switch (ind) {
    case VBSIG_TOTAL_PASSED: return "urn:etsi:019102:mainindication:total-passed";
    case VBSIG_INDETERMINATE: return "urn:etsi:019102:mainindication:indeterminate";
    default: return "urn:etsi:019102:mainindication:total-failed";
    }
}

static void signature_report(writer *x, const vbsig_sig_entry *e, size_t index)
{
    start(x, "SignatureValidationReport");

    start(x, "SignatureIdentifier");
    char id[48];
    snprintf(id, sizeof id, "S-%zu", index + 1);
    attr(x, "id", id);
    if (e->has_sig_digest) {
        start(x, "DigestAlgAndValue");
        chk(x, xmlTextWriterStartElementNS(x->w, BAD_CAST "ds", BAD_CAST "DigestMethod", NULL));
        attr(x, "Algorithm", SHA256_URI);
        end(x);
        base64_el(x, "ds", "DigestValue", e->sig_digest, sizeof e->sig_digest);
        end(x);
    }
    text_el(x, "vr", "HashOnly", "false");
    text_el(x, "vr", "DocHashOnly", "false");
    if (e->id != NULL)
        text_el(x, "vr", "DAIdentifier", e->id);
    end(x);

    start(x, "ValidationTimeInfo");
    time_el(x, "ValidationTime", e->validation_time != 0 ? e->validation_time : time(NULL));
    /* The best proof of existence: the timestamp's time, else the time of
     * validation itself (the signature certainly exists now). */
    start(x, "BestSignatureTime");
    time_el(x, "POETime", e->signing_time != 0 ? e->signing_time
                          : e->validation_time != 0 ? e->validation_time : time(NULL));
    text_el(x, "vr", "TypeOfProof", "urn:etsi:019102:poetype:validation");
    end(x);
    end(x);

    if (e->claimed_signing_time != 0 || e->has_timestamp) {
        start(x, "SignatureAttributes");
        if (e->claimed_signing_time != 0) {
            start(x, "SigningTime");
            attr(x, "Signed", "true");
            time_el(x, "Time", e->claimed_signing_time);
            end(x);
        }
        if (e->has_timestamp && e->timestamp_time != 0) {
            start(x, "SignatureTimeStamp");
            attr(x, "Signed", "false");
            time_el(x, "TimeStampValue", e->timestamp_time);
            end(x);
        }
        end(x);
    }

    if (e->has_signer || e->chain_der_count > 0) {
        start(x, "SignerInformation");
        attr(x, "Pseudonym", "false"); /* attributes before any child */
        if (e->chain_der_count > 0) {
            char cid[40];
            cert_id(e->chain_der[0], e->chain_der_len[0], cid);
            start(x, "SignerCertificate");
            attr(x, "VOReference", cid);
            end(x);
        }
        if (e->has_signer && e->signer.subject != NULL)
            text_el(x, "vr", "Signer", e->signer.subject);
        end(x);
    }

    start(x, "SignatureValidationStatus");
    text_el(x, "vr", "MainIndication", main_uri(e->indication));
    if (e->subindication != NULL) {
        char sub[128];
        snprintf(sub, sizeof sub, "urn:etsi:019102:subindication:%s", e->subindication);
        text_el(x, "vr", "SubIndication", sub);
    }
    end(x);

    end(x);
}

/* "<prefix>-" and the first 16 bytes of the SHA-256 of the object. */
static void object_id(char prefix, const uint8_t *der, size_t len, char out[40])
{
    cert_id(der, len, out);
    out[0] = prefix;
}

static void one_object(writer *x, const char *id, const char *type, const uint8_t *der, size_t len)
{
    start(x, "ValidationObject");
    attr(x, "id", id);
    text_el(x, "vr", "ObjectType", type);
    start(x, "ValidationObjectRepresentation");
    base64_el(x, "vr", "base64", der, len);
    end(x);
    end(x);
}

/* Every certificate of every chain and every CRL and OCSP response relied
 * on, once each. */
static void validation_objects(writer *x, const vbsig_report *r)
{
    size_t total = 0;
    for (size_t i = 0; i < r->count; i++)
        total += r->sigs[i].chain_der_count + r->sigs[i].rev_object_count;
    if (total == 0)
        return;
    char (*seen)[40] = calloc(total, sizeof *seen);
    if (seen == NULL) {
        x->bad = 1;
        return;
    }
    size_t nseen = 0;
    start(x, "SignatureValidationObjects");
    for (size_t i = 0; i < r->count; i++) {
        const vbsig_sig_entry *e = &r->sigs[i];
        for (size_t j = 0; j < e->chain_der_count; j++) {
            char cid[40];
            cert_id(e->chain_der[j], e->chain_der_len[j], cid);
            int dup = 0;
            for (size_t k = 0; k < nseen && !dup; k++)
                dup = strcmp(seen[k], cid) == 0;
            if (dup)
                continue;
            memcpy(seen[nseen++], cid, sizeof cid);
            one_object(x, cid, "urn:etsi:019102:validationObject:certificate", e->chain_der[j], e->chain_der_len[j]);
        }
        for (size_t j = 0; j < e->rev_object_count; j++) {
            const vbsig_rev_object *o = &e->rev_objects[j];
            char rid[40];
            int crl = strcmp(o->type, "crl") == 0;
            object_id(crl ? 'L' : 'O', o->der, o->len, rid);
            int dup = 0;
            for (size_t k = 0; k < nseen && !dup; k++)
                dup = strcmp(seen[k], rid) == 0;
            if (dup)
                continue;
            memcpy(seen[nseen++], rid, sizeof rid);
            one_object(x, rid, crl ? "urn:etsi:019102:validationObject:CRL" : "urn:etsi:019102:validationObject:OCSPResponse",
                       o->der, o->len);
        }
    }
    end(x);
    free(seen);
}

int vbsig_report_to_etsi_xml(const vbsig_report *r, vbsig_buf *out)
{
    VBSIG_REQUIRE(r, "r");
    VBSIG_REQUIRE(out, "out");
    if (r == NULL || out == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("writing an ETSI report needs a report and an output"));
    out->data = NULL;
    out->len = 0;
    int loaded = vbsig_xml_require();
    if (loaded != VBSIG_OK)
        return loaded;
    xmlBufferPtr buf = xmlBufferCreate();
    writer x = {buf != NULL ? xmlNewTextWriterMemory(buf, 0) : NULL, 0};
    if (x.w == NULL) {
        xmlBufferFree(buf);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    chk(&x, xmlTextWriterSetIndent(x.w, 1));
    chk(&x, xmlTextWriterStartDocument(x.w, "1.0", "UTF-8", NULL));
    chk(&x, xmlTextWriterStartElementNS(x.w, BAD_CAST "vr", BAD_CAST "ValidationReport", BAD_CAST NS_VR));
    chk(&x, xmlTextWriterWriteAttribute(x.w, BAD_CAST "xmlns:ds", BAD_CAST NS_DS));
    for (size_t i = 0; i < r->count; i++)
        signature_report(&x, &r->sigs[i], i);
    validation_objects(&x, r);
    end(&x);
    chk(&x, xmlTextWriterEndDocument(x.w));
    xmlFreeTextWriter(x.w);
    int rc = VBSIG_OK;
    if (x.bad) {
        rc = vbsig_fail(VBSIG_E_INTERNAL, _("the ETSI validation report could not be written"));
    } else {
        size_t n = (size_t)xmlBufferLength(buf);
        out->data = malloc(n > 0 ? n : 1);
        if (out->data == NULL)
            rc = vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
        else {
            memcpy(out->data, xmlBufferContent(buf), n);
            out->len = n;
        }
    }
    xmlBufferFree(buf);
    return rc;
}

int vbsig_report_write_etsi(const vbsig_report *r, const char *path)
{
    VBSIG_REQUIRE(r, "r");
    VBSIG_REQUIRE(path, "path");
    vbsig_buf b = {0};
    int rc = vbsig_report_to_etsi_xml(r, &b);
    if (rc == VBSIG_OK)
        rc = vbsig_write_file_atomic(path, b.data, b.len);
    vbsig_buf_free(&b);
    return rc;
}
