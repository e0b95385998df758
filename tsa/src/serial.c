/* Token serial numbers: 127 random bits, so they stay unique across
 * restarts and across instances without any shared state. (OpenSSL's
 * default serial callback answers 1 every time.) */
#include <openssl/bn.h>
#include <openssl/rand.h>

#include "tsa.h"

ASN1_INTEGER *tsa_serial_new(void)
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return NULL;
    bytes[0] &= 0x7f; /* positive */
    bytes[0] |= 0x40; /* always 16 bytes long: easy to read in logs */
    BIGNUM *bn = BN_bin2bn(bytes, sizeof bytes, NULL);
    ASN1_INTEGER *serial = bn != NULL ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
    BN_free(bn);
    return serial;
}
