/* The NULL-argument tests' one assertion (libvbsig/tests/api and
 * pkcs11-bridge/tests): the call fails with VBSIG_E_INVALID_ARG and its
 * message names `arg` in quotes. Include after <cmocka.h>, <string.h> and
 * <vbsig/status.h>. */
#ifndef VBSIG_TEST_EXPECT_NULL_ARG_H
#define VBSIG_TEST_EXPECT_NULL_ARG_H

#define EXPECT_NULL_ARG(call, arg)                                                        \
    do {                                                                                  \
        int rc_ = (call);                                                                 \
        if (rc_ != VBSIG_E_INVALID_ARG)                                                   \
            fail_msg("%s: status %s, expected VBSIG_E_INVALID_ARG (%s)", #call,           \
                     vbsig_status_name(rc_), vbsig_last_error());                         \
        if (strstr(vbsig_last_error(), "'" arg "'") == NULL)                              \
            fail_msg("%s: the message does not name '%s': %s", #call, arg,                \
                     vbsig_last_error());                                                 \
    } while (0)

#endif
