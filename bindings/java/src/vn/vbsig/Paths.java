package vn.vbsig;

import java.nio.file.Path;
import java.util.Objects;

/** Paths and strings checked before they reach C (which would read a NUL as the end). */
final class Paths {
    private Paths() {
    }

    static String of(Path p, String what) {
        Objects.requireNonNull(p, what);
        return noNul(p.toString(), what);
    }

    static String noNul(String s, String what) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character");
        }
        return s;
    }
}
