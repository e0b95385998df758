/* libFuzzer harness: the DER/BER structure walker that every untrusted
 * input meets first, in both modes. Besides memory errors it checks two
 * promises the walker makes to its callers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int strict = vbsig_der_check(data, size, 1, 64, "fuzz");
    int lax = vbsig_der_check(data, size, 0, 64, "fuzz");
    /* Lax mode only lifts DER's restrictions, so DER it accepts must stay
     * acceptable; otherwise a signature would pass or fail on the mode. */
    if (strict == VBSIG_OK && lax != VBSIG_OK)
        abort();
    /* The frame stack is sized so it cannot overflow; the INTERNAL status
     * is the walker admitting that sizing was wrong. */
    if (strict == VBSIG_E_INTERNAL || lax == VBSIG_E_INTERNAL)
        abort();
    return 0;
}
