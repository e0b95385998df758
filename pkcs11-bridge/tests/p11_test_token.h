/* Real SoftHSM2 tokens for the bridge's tests, made by test-vectors/make-softhsm.sh. */
#ifndef VBSIG_P11_TEST_TOKEN_H
#define VBSIG_P11_TEST_TOKEN_H

/* Makes a fresh token in $VBSIG_TEST_TMP/NAME, points SOFTHSM2_CONF at it and
 * returns the SoftHSM2 module path (static storage), or NULL on failure. */
const char *p11_test_token(const char *name);
/* The fault-injecting module (forwarding to the token made last), or NULL. */
const char *p11_test_faulty_module(void);
/* "<VBSIG_TEST_PKI>/<rel>" (static storage, one slot). */
const char *p11_test_pki(const char *rel);

#endif
