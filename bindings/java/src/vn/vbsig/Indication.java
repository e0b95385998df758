package vn.vbsig;

/** The verdict of a validation (ETSI EN 319 102-1). */
public enum Indication {
    TOTAL_PASSED, INDETERMINATE, TOTAL_FAILED;

    static Indication of(int c) {
        if (c < 0 || c >= values().length) {
            throw new VbsigException(Status.INTERNAL.code(), "unknown indication " + c);
        }
        return values()[c];
    }
}
