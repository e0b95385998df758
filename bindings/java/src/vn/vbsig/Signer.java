package vn.vbsig;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.Objects;

/** Something that signs: a PKCS#12 file, a key file, a PKCS#11 token, or a certificate alone (two-step). */
public final class Signer extends Handle {
    private static volatile Lib.Pkcs11 pkcs11;

    private Signer(Pointer p) {
        super(p, Lib.V::vbsig_signer_free);
    }

    private static Signer made(int rc, PointerByReference out) {
        VbsigException.check(rc);
        return new Signer(out.getValue());
    }

    /** A PKCS#12 file and its password (null: none). The password goes to C as UTF-8 in a buffer wiped after the call. */
    public static Signer fromPkcs12(Path path, char[] password) {
        String p = Paths.of(path, "path");
        PointerByReference out = new PointerByReference();
        if (password == null) {
            return made(Lib.V.vbsig_signer_from_pkcs12(out, p, null), out);
        }
        try (Secret s = new Secret(password, "pass:")) {
            return made(Lib.V.vbsig_signer_from_pkcs12(out, p, s.source()), out);
        }
    }

    /** A private key file (PEM or DER, possibly encrypted: password, else null) and its certificate. */
    public static Signer fromKeyFile(Path key, Path certificate, char[] password) {
        String k = Paths.of(key, "key");
        String c = Paths.of(certificate, "certificate");
        PointerByReference out = new PointerByReference();
        try (Secret s = new Secret(password == null ? new char[0] : password, "pass:")) {
            return made(Lib.V.vbsig_signer_from_key_file(out, k, s.source(), c), out);
        }
    }

    /** A certificate without its key, for {@link Context#prepare} (the key is elsewhere). */
    public static Signer fromCertificate(Path certificate) {
        String c = Paths.of(certificate, "certificate");
        PointerByReference out = new PointerByReference();
        return made(Lib.V.vbsig_signer_from_cert_file(out, c), out);
    }

    /**
     * The key on a token an RFC 7512 URI names (e.g.
     * "pkcs11:token=vbsig-test;object=signer;type=private"). The PIN reaches
     * the bridge through its callback during this call only; module: the
     * PKCS#11 module (null: the URI's module-path, else p11-kit's proxy).
     */
    public static Signer fromPkcs11(String uri, char[] pin, Path module) {
        Objects.requireNonNull(uri, "uri");
        Paths.noNul(uri, "uri");
        Lib.Pkcs11 p11 = bridge();
        Structs.Pkcs11Opts opts = new Structs.Pkcs11Opts();
        p11.vbsig_pkcs11_opts_init(opts);
        opts.module = module == null ? null : Paths.of(module, "module");
        PointerByReference out = new PointerByReference();
        if (pin == null) {
            return made(p11.vbsig_signer_from_pkcs11(out, null, uri, opts), out);
        }
        try (Secret s = new Secret(pin, "")) {
            boolean[] open = {true};
            opts.pin_cb = (data, label, buf, size) ->
                open[0] && s.copyTo(buf, size.longValue()) ? 0 : Status.CANCELLED.code();
            try {
                return made(p11.vbsig_signer_from_pkcs11(out, null, uri, opts), out);
            } finally {
                open[0] = false; // the bridge never gets the PIN after this call
                Reference.reachabilityFence(opts);
            }
        }
    }

    private static Lib.Pkcs11 bridge() {
        Lib.Pkcs11 p = pkcs11;
        if (p == null) {
            synchronized (Signer.class) {
                if (pkcs11 == null) {
                    pkcs11 = Lib.Loader.load("vbsig_pkcs11", Lib.Pkcs11.class);
                }
                p = pkcs11;
            }
        }
        return p;
    }

    /** Adds the intermediate certificates of a PEM file (a key file or a token carries no chain). */
    public void addChain(Path path) {
        String p = Paths.of(path, "path");
        try {
            VbsigException.check(Lib.V.vbsig_signer_add_chain_file(ptr(), p));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The signer's certificate, DER. */
    public byte[] certificate() {
        try {
            SizeT.ByReference n = new SizeT.ByReference();
            Pointer der = Lib.V.vbsig_signer_cert_der(ptr(), n);
            return der == null ? new byte[0] : der.getByteArray(0, (int) n.value());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public int keyBits() {
        try {
            return Lib.V.vbsig_signer_key_bits(ptr());
        } finally {
            Reference.reachabilityFence(this);
        }
    }
}
