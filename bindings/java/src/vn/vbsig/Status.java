package vn.vbsig;

/** The library's status codes (vbsig/status.h) and the family each belongs to. */
public enum Status {
    INVALID_ARG(-1, Kind.INVALID_ARGUMENT),
    NOMEM(-2, Kind.NO_MEMORY),
    IO_READ(-3, Kind.IO),
    IO_WRITE(-4, Kind.IO),
    MALFORMED(-5, Kind.MALFORMED_INPUT),
    UNSUPPORTED(-6, Kind.MALFORMED_INPUT),
    LIMIT(-7, Kind.MALFORMED_INPUT),
    CRYPTO(-8, Kind.CRYPTO),
    AUTH(-9, Kind.AUTHENTICATION),
    PIN_LOCKED(-10, Kind.PIN_LOCKED),
    KEY_UNUSABLE(-11, Kind.KEY),
    UNAVAILABLE(-12, Kind.UNAVAILABLE),
    KEY_NOT_FOUND(-13, Kind.KEY),
    TOKEN_ABSENT(-14, Kind.TOKEN_ABSENT),
    TOKEN_REMOVED(-15, Kind.TOKEN_REMOVED),
    MODULE_LOAD(-16, Kind.TOKEN),
    MECHANISM(-17, Kind.TOKEN),
    REFUSED(-18, Kind.REFUSED),
    INTERNAL(-19, Kind.INTERNAL),
    TIMEOUT(-20, Kind.UNAVAILABLE),
    CANCELLED(-21, Kind.CANCELLED),
    /** A code this version of the binding does not know (a newer library). */
    UNKNOWN(Integer.MIN_VALUE, Kind.INTERNAL);

    /** What a caller does about a failure: the families of status codes. */
    public enum Kind {
        INVALID_ARGUMENT, NO_MEMORY, IO, MALFORMED_INPUT, CRYPTO,
        /** Wrong password or PIN. */
        AUTHENTICATION,
        /** The PIN is locked after too many wrong tries. */
        PIN_LOCKED,
        /** The key or certificate may not sign, or none matched. */
        KEY,
        /** No token in the reader. */
        TOKEN_ABSENT,
        /** The token was pulled out during the work. */
        TOKEN_REMOVED,
        /** The PKCS#11 module could not be loaded or lacks the mechanism. */
        TOKEN,
        /** The document's own rules forbid the operation. */
        REFUSED,
        /** A service or device did not answer (or not in time). */
        UNAVAILABLE, CANCELLED, INTERNAL
    }

    private final int code;
    private final Kind kind;

    Status(int code, Kind kind) {
        this.code = code;
        this.kind = kind;
    }

    /** The C value (negative). */
    public int code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    /** The C name, e.g. "VBSIG_E_MALFORMED". */
    public String cName() {
        return "VBSIG_E_" + name();
    }

    static Status of(int code) {
        for (Status s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
