/* Private: the long-term validation data a CMS SignedData needs (cms_lt_walk.c),
 * for every format that carries CMS (CAdES, PAdES, XAdES timestamp tokens). */
#ifndef VBSIG_CMS_LT_H
#define VBSIG_CMS_LT_H

#include "cms/cms.h"
#include "validate/lt_collect.h"

/* For a CMS SignedData (a CAdES signature or an RFC 3161 token): the data
 * of every SignerInfo's signer, then recursively (one level) of the tokens
 * in its signature-timestamp attributes. */
int vbsig_lt_collect_cms(vbsig_ctx *ctx, const uint8_t *der, size_t len, const char *what, vbsig_lt_data *d);

/* 1 when the attribute type (content octets of the OID) is id-aa-ets-archiveTimestampV3. */
int vbsig_cms_is_ats_v3(const uint8_t *oid, size_t len);

#endif
