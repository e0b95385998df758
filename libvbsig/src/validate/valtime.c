/* Which time a signature's certificates are judged at. A signer can write
 * any signing time it likes, so without a proof of existence (a timestamp)
 * the only honest answer is "now": an expired or revoked certificate then
 * makes the signature INDETERMINATE rather than trusting the claim. */
#include <time.h>

#include "validate/validate.h"

time_t vbsig_validation_time_for(const vbsig_ctx *ctx, const vbsig_sig_entry *e)
{
    if (ctx->validation_time != 0)
        return ctx->validation_time;
    if (e->signing_time != 0)
        return e->signing_time;
    return time(NULL);
}
