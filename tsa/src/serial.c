/* Token serial numbers: 127 random bits, so they stay unique across
 * restarts and across instances without any shared state. (OpenSSL's
 * default serial callback answers 1 every time.) */
#include <openssl/rand.h>

#include "tsa.h"

int tsa_serial_bytes(uint8_t out[16])
{
    if (RAND_bytes(out, 16) != 1)
        return vbsig_fail_ssl(VBSIG_E_CRYPTO, _("no random bytes for a serial number"));
    out[0] &= 0x7f; /* positive */
    out[0] |= 0x40; /* always 16 bytes long: easy to read in logs */
    return VBSIG_OK;
}
