/* Reading certificate names the way Vietnamese certificates fill them:
 * identity numbers sit in UID with a prefix (CCCD:, CMND:, MST:, MNS:),
 * the title in T. */
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/x509.h>

#include "crypto/crypto.h"
#include "util/util.h"
#include "validate/validate.h"

static char *entry_utf8(const X509_NAME_ENTRY *ne)
{
    unsigned char *utf8 = NULL;
    int n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(ne));
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s != NULL) {
        memcpy(s, utf8, (size_t)n);
        s[n] = '\0';
    }
    OPENSSL_free(utf8);
    return s;
}

static void take_first(char **slot, char *value)
{
    if (*slot == NULL)
        *slot = value;
    else
        free(value);
}

/* "MST:0101234567" → tax_code "0101234567"; the prefix decides the slot. */
static void classify_uid(vbsig_signer_info *info, char *uid)
{
    static const struct { const char *prefix; size_t offset; } slots[] = {
        {"MST:", offsetof(vbsig_signer_info, tax_code)},
        {"CCCD:", offsetof(vbsig_signer_info, id_number)},
        {"CMND:", offsetof(vbsig_signer_info, id_number)},
        {"HC:", offsetof(vbsig_signer_info, id_number)},
        {"MNS:", offsetof(vbsig_signer_info, budget_code)},
    };
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
        size_t plen = strlen(slots[i].prefix);
        if (strncmp(uid, slots[i].prefix, plen) == 0) {
            char *value = strdup(uid + plen);
            free(uid);
            if (value != NULL)
                take_first((char **)((char *)info + slots[i].offset), value);
            return;
        }
    }
    free(uid);
}

int vbsig_signer_info_fill(vbsig_signer_info *info, X509 *cert)
{
    const X509_NAME *subject = X509_get_subject_name(cert);
    info->subject = vbsig_name_text(subject);
    info->issuer = vbsig_name_text(X509_get_issuer_name(cert));
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
    char *hex = bn != NULL ? BN_bn2hex(bn) : NULL;
    info->serial = hex != NULL ? strdup(hex) : NULL;
    OPENSSL_free(hex);
    BN_free(bn);
    char key[64] = "unknown";
    EVP_PKEY *pub = X509_get0_pubkey(cert);
    if (pub != NULL)
        vbsig_key_describe(pub, key, sizeof key);
    info->key = strdup(key);
    for (int i = 0; i < X509_NAME_entry_count(subject); i++) {
        const X509_NAME_ENTRY *ne = X509_NAME_get_entry(subject, i);
        int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(ne));
        char *v = entry_utf8(ne);
        if (v == NULL)
            continue;
        switch (nid) {
        case NID_commonName: take_first(&info->common_name, v); break;
        case NID_organizationName: take_first(&info->organization, v); break;
        case NID_title: take_first(&info->title, v); break;
        case NID_userId: classify_uid(info, v); break;
        default: free(v);
        }
    }
    if (info->subject == NULL || info->issuer == NULL || info->key == NULL) {
        vbsig_signer_info_clear(info);
        return vbsig_fail(VBSIG_E_NOMEM, _("out of memory"));
    }
    return VBSIG_OK;
}

void vbsig_signer_info_clear(vbsig_signer_info *info)
{
    free(info->subject);
    free(info->issuer);
    free(info->serial);
    free(info->key);
    free(info->common_name);
    free(info->organization);
    free(info->title);
    free(info->tax_code);
    free(info->id_number);
    free(info->budget_code);
    memset(info, 0, sizeof *info);
}
