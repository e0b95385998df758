package vn.vbsig;

import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Objects;

/** A prepared PDF signature waiting for its signature value (two-step signing). */
public final class Pending extends Handle {
    // The C handle points into these: they stay reachable, and closing
    // either gives an exception here instead of a use after free in C.
    private final Context ctx;
    private final Signer signer;
    private final NativeOpts opts;

    Pending(Pointer p, Context ctx, Signer signer, NativeOpts opts) {
        super(p, Lib.V::vbsig_pades_pending_free);
        this.ctx = ctx;
        this.signer = signer;
        this.opts = opts;
    }

    @Override
    Pointer ptr() {
        Pointer p = super.ptr();
        ctx.ptr();
        signer.ptr();
        return p;
    }

    private Structs.SignRequest request() {
        Pointer r = Lib.V.vbsig_pades_pending_request(ptr());
        if (r == null) {
            throw new VbsigException(Status.INTERNAL.code(), "no signing request");
        }
        return new Structs.SignRequest(r);
    }

    /** The digest to sign, as the outside signer must sign it (see {@link #digestAlgorithm}). */
    public byte[] digest() {
        try {
            Structs.SignRequest r = request();
            return r.digest.getByteArray(0, (int) r.digest_len.longValue());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** "sha256", "sha384", "sha512", "sha3-256" or "sha3-512". */
    public String digestAlgorithm() {
        try {
            switch (request().digest_alg) {
                case 1: return "sha256";
                case 2: return "sha384";
                case 3: return "sha512";
                case 4: return "sha3-256";
                case 5: return "sha3-512";
                default: return "unknown";
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Puts the signature value (PKCS#1 v1.5 or DER ECDSA over the digest) in and writes out. */
    public void finish(byte[] signature, Path out) {
        Objects.requireNonNull(signature, "signature");
        String o = Paths.of(out, "out");
        try {
            VbsigException.check(Lib.V.vbsig_pades_finish(ptr(), signature, new SizeT(signature.length), o));
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(opts);
        }
    }
}
