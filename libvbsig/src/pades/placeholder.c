/* How many bytes to reserve in /Contents before the CMS exists. The trial
 * encoding already holds the certificates and the signed attributes; what
 * it cannot know is the timestamp token a TSA will return. */
#include "crypto/crypto.h"
#include "pades/pades.h"

/* A timestamp token with the TSA's certificate and a short chain is 3 to
 * 6 KiB in the field; more is left for a longer chain. */
#define PADES_TIMESTAMP_ALLOWANCE 12288
/* Room for DER length octets that grow and for a signature value a few
 * bytes longer than the trial's. */
#define PADES_MARGIN 512

size_t pades_placeholder_size(size_t trial_len, vbsig_level level)
{
    return trial_len + PADES_MARGIN + (level == VBSIG_LEVEL_B_T ? PADES_TIMESTAMP_ALLOWANCE : 0);
}

size_t pades_max_signature_len(const vbsig_signer *s)
{
    size_t bytes = ((size_t)vbsig_signer_key_bits(s) + 7) / 8;
    size_t n = vbsig_signer_key_type(s) == VBSIG_KEY_EC
                   ? 2 * (bytes + 3) + 3 /* SEQUENCE of two INTEGERs, each maybe with a leading zero */
                   : bytes;
    if (n == 0 || n > VBSIG_MAX_SIGNATURE)
        n = VBSIG_MAX_SIGNATURE;
    return n;
}
