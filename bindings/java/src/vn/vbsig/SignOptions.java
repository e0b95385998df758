package vn.vbsig;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** How {@link Context#sign(java.nio.file.Path, java.nio.file.Path, Signer, SignOptions)} signs. */
public final class SignOptions {
    private Level level = Level.B_B;
    private Format format = Format.AUTO;
    private final List<String> tsa = new ArrayList<>();
    private boolean detached = true;
    private String reason;
    private String location;

    public SignOptions level(Level l) {
        level = Objects.requireNonNull(l, "level");
        return this;
    }

    public SignOptions format(Format f) {
        format = Objects.requireNonNull(f, "format");
        return this;
    }

    /** A timestamp authority (RFC 3161 over HTTP); several are tried in order. B-T and up need one. */
    public SignOptions tsa(String url) {
        tsa.add(Paths.noNul(Objects.requireNonNull(url, "url"), "url"));
        return this;
    }

    /** CAdES: the signature apart from the data (default) or enveloping it. */
    public SignOptions detached(boolean d) {
        detached = d;
        return this;
    }

    /** PAdES: the /Reason of the signature dictionary. */
    public SignOptions reason(String r) {
        reason = r == null ? null : Paths.noNul(r, "reason");
        return this;
    }

    /** PAdES: the /Location. */
    public SignOptions location(String l) {
        location = l == null ? null : Paths.noNul(l, "location");
        return this;
    }

    Level level() {
        return level;
    }

    Format format() {
        return format;
    }

    List<String> tsa() {
        return tsa;
    }

    boolean detached() {
        return detached;
    }

    String reason() {
        return reason;
    }

    String location() {
        return location;
    }
}
