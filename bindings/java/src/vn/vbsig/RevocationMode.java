package vn.vbsig;

/** How a missing revocation answer counts: HARD fails, SOFT warns, OFF does not ask. */
public enum RevocationMode {
    HARD, SOFT, OFF
}
