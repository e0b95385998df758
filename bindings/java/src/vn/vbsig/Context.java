package vn.vbsig;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Trust, validation policy, and every operation: sign, verify, two-step,
 * batch. One context per thread at a time (like the C context); distinct
 * contexts in distinct threads are fine.
 */
public final class Context extends Handle {
    public Context() {
        super(create(), Lib.V::vbsig_ctx_free);
    }

    private static Pointer create() {
        PointerByReference out = new PointerByReference();
        VbsigException.check(Lib.V.vbsig_ctx_new(out));
        return out.getValue();
    }

    /** Trusts the root certificates of a PEM file (e.g. Vietnam's national root CA). */
    public Context addTrust(Path pem) {
        String p = Paths.of(pem, "pem");
        try {
            VbsigException.check(Lib.V.vbsig_ctx_add_trust(ptr(), p));
            return this;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Intermediate CA certificates to build chains with (not trusted by themselves). */
    public Context addIntermediates(Path pem) {
        String p = Paths.of(pem, "pem");
        try {
            VbsigException.check(Lib.V.vbsig_ctx_add_intermediates(ptr(), p));
            return this;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Offline: no OCSP, CRL, AIA or TSA requests; only what the file and the context hold. */
    public Context setOffline(boolean offline) {
        try {
            VbsigException.check(Lib.V.vbsig_ctx_set_offline(ptr(), offline ? 1 : 0));
            return this;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public Context setRevocationMode(RevocationMode mode) {
        Objects.requireNonNull(mode, "mode");
        try {
            VbsigException.check(Lib.V.vbsig_ctx_set_revocation_mode(ptr(), mode.ordinal()));
            return this;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Validates as of this moment instead of now (e.g. the day a document arrived). */
    public Context setValidationTime(java.time.Instant when) {
        Objects.requireNonNull(when, "when");
        try {
            VbsigException.check(Lib.V.vbsig_ctx_set_validation_time(ptr(), when.getEpochSecond()));
            return this;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Where fetched CRLs and OCSP answers are kept and reused while fresh (created if missing). */
    public Context setCacheDir(Path dir) {
        String d = Paths.of(dir, "dir");
        try {
            VbsigException.check(Lib.V.vbsig_ctx_set_cache_dir(ptr(), d));
            return this;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The language of messages and reports, process-wide: see {@link Language#set}. */
    public Context language(String lang) {
        ptr();
        Language.set(lang);
        return this;
    }

    /** Signs in the file's own format at B-B; returns the format used. */
    public Format sign(Path in, Path out, Signer signer) {
        return sign(in, out, signer, new SignOptions());
    }

    /** Signs in the chosen (or the file's own) format; out is written atomically. */
    public Format sign(Path in, Path out, Signer signer, SignOptions options) {
        String i = Paths.of(in, "in");
        String o = Paths.of(out, "out");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(options, "options");
        NativeOpts opts = new NativeOpts(options);
        IntByReference used = new IntByReference();
        try {
            VbsigException.check(Lib.V.vbsig_sign_file(ptr(), signer.ptr(), opts.sign, i, o, used));
            return Format.of(used.getValue());
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(signer);
            Reference.reachabilityFence(opts);
        }
    }

    /** Verifies a signed file in its own format (PDF, XML, attached CMS). */
    public Report verify(Path file) {
        return verify(file, null);
    }

    /** Verifies a file; data: the signed file of a detached CMS signature, else null. */
    public Report verify(Path file, Path data) {
        String f = Paths.of(file, "file");
        String d = data == null ? null : Paths.of(data, "data");
        PointerByReference out = new PointerByReference();
        try {
            VbsigException.check(Lib.V.vbsig_verify_file(ptr(), f, d, out));
            return new Report(out.getValue());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Verifies a PDF in memory; name is what the report calls it. */
    public Report verifyPdf(byte[] pdf, String name) {
        Objects.requireNonNull(pdf, "pdf");
        String n = Paths.noNul(name == null ? "(memory)" : name, "name");
        PointerByReference out = new PointerByReference();
        try {
            VbsigException.check(Lib.V.vbsig_pades_verify(ptr(), pdf, new SizeT(pdf.length), n, out));
            return new Report(out.getValue());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Lays out a PDF signature and gives the digest a key held elsewhere
     * must sign (the signer needs only a certificate: {@link Signer#fromCertificate}).
     */
    public Pending prepare(Path in, Signer signer, SignOptions options) {
        String i = Paths.of(in, "in");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(options, "options");
        NativeOpts opts = new NativeOpts(options);
        PointerByReference out = new PointerByReference();
        try {
            VbsigException.check(Lib.V.vbsig_pades_prepare(ptr(), signer.ptr(), opts.pades, i, out));
            return new Pending(out.getValue(), this, signer, opts);
        } finally {
            Reference.reachabilityFence(this);
            Reference.reachabilityFence(signer);
        }
    }

    /** Many files signed with one signer (one token login); add files, then run. */
    public Batch batch(Signer signer, Path outDir, SignOptions options) {
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(options, "options");
        return Batch.open(this, signer, outDir, new NativeOpts(options));
    }
}
