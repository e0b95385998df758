package vn.vbsig;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Objects;

/**
 * The language of the library's messages and text reports, "vi" or "en".
 * gettext reads it from the process (LANGUAGE, LC_MESSAGES), so it is
 * process-wide, not per context: choose it before starting threads that
 * use vbsig. System.getenv() does not see these changes; the C library does.
 */
public final class Language {
    private static final int LC_MESSAGES = 5; // glibc's value

    private Language() {
    }

    /** Makes later messages and reports Vietnamese ("vi") or English ("en"). */
    public static synchronized void set(String lang) {
        Objects.requireNonNull(lang, "lang");
        if (!lang.equals("vi") && !lang.equals("en")) {
            throw new IllegalArgumentException("lang must be \"vi\" or \"en\", not \"" + lang + "\"");
        }
        Lib.LibC.C.setenv("LANGUAGE", lang, 1);
        // gettext ignores LANGUAGE under the "C" locale (the JVM's under
        // LANG=C); C.UTF-8 is always there and changes nothing else.
        String cur = Lib.LibC.C.setlocale(LC_MESSAGES, null);
        if (cur == null || cur.equals("C") || cur.equals("POSIX")) {
            Lib.LibC.C.setlocale(LC_MESSAGES, "C.UTF-8");
        }
        changed();
    }

    /**
     * glibc caches translations by locale name, not by LANGUAGE: a program
     * that changes LANGUAGE bumps _nl_msg_cat_cntr (libintl.h) so the cache
     * is not used for the old language.
     */
    private static void changed() {
        try {
            Pointer cntr = NativeLibrary.getInstance("c").getGlobalVariableAddress("_nl_msg_cat_cntr");
            cntr.setInt(0, cntr.getInt(0) + 1);
        } catch (UnsatisfiedLinkError e) {
            // a C library without gettext's cache (not glibc) has nothing to invalidate
        }
    }

    static synchronized String current() {
        return Lib.LibC.C.getenv("LANGUAGE");
    }

    static synchronized void restore(String before) {
        if (before == null) {
            Lib.LibC.C.unsetenv("LANGUAGE");
        } else {
            Lib.LibC.C.setenv("LANGUAGE", before, 1);
        }
        changed();
    }
}
