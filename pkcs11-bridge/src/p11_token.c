/* Finding the token a URI names, and saying clearly when it is not there. */
#include <stdlib.h>
#include <string.h>

#include "p11.h"

#define P11_MAX_SLOTS 256

int p11_find_token(p11_module *m, const p11_uri *u, unsigned timeout_ms, CK_SLOT_ID *slot, CK_TOKEN_INFO *ti)
{
    CK_SLOT_ID slots[P11_MAX_SLOTS];
    CK_ULONG n = P11_MAX_SLOTS;
    CK_RV rv = m->f->C_GetSlotList(CK_FALSE, slots, &n);
    if (rv == CKR_BUFFER_TOO_SMALL)
        n = P11_MAX_SLOTS; /* more readers than anyone has: look at the first ones */
    else if (rv != CKR_OK)
        return p11_fail_rv(rv, _("cannot list the slots of the PKCS#11 module"));
    size_t empty = 0, other = 0;
    for (CK_ULONG i = 0; i < n; i++) {
        CK_SLOT_INFO si;
        if (m->f->C_GetSlotInfo(slots[i], &si) != CKR_OK)
            continue;
        if (!(si.flags & CKF_TOKEN_PRESENT)) {
            empty++;
            continue;
        }
        /* A reader that lost its card may block here: bounded like the login. */
        CK_TOKEN_INFO info;
        int rc = p11_token_info_bounded(m, slots[i], &info, timeout_ms);
        if (rc == VBSIG_E_TIMEOUT)
            return rc;
        if (rc != VBSIG_OK) {
            empty++;
            continue;
        }
        if (!(info.flags & CKF_TOKEN_INITIALIZED)) {
            other++;
            continue;
        }
        if (p11_uri_matches_token(u, slots[i], &si, &info)) {
            *slot = slots[i];
            *ti = info;
            return VBSIG_OK;
        }
        other++;
    }
    char *what = p11_uri_describe(u);
    int status = p11_fail(VBSIG_E_TOKEN_ABSENT,
                          _("no token matching %s is present (%zu other token(s), %zu empty slot(s)); insert the token and try again"),
                          what != NULL ? what : "?", other, empty);
    free(what);
    return status;
}
