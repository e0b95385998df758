package vn.vbsig;

/**
 * A failed vbsig call: {@link #status()} is the library's code,
 * {@link #kind()} its family, the message the library's own text
 * (vbsig_last_error(), in the language of the messages).
 */
public class VbsigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Status status;
    private final int code;

    VbsigException(int code, String message) {
        super(message == null || message.isEmpty() ? Status.of(code).cName() : message);
        this.code = code;
        this.status = Status.of(code);
    }

    public Status status() {
        return status;
    }

    public Status.Kind kind() {
        return status.kind();
    }

    /** The C value, also for a code this binding does not name. */
    public int code() {
        return code;
    }

    /**
     * Throws for a negative status. Must be called right after the C call,
     * on the same thread, before any other vbsig call replaces the text.
     */
    static int check(int rc) {
        if (rc < 0) {
            throw new VbsigException(rc, Lib.V.vbsig_last_error());
        }
        return rc;
    }
}
