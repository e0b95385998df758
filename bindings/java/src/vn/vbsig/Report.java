package vn.vbsig;

import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** One document's validation outcome; its accessors read the C report, so they fail once it is closed. */
public final class Report extends Handle {
    Report(Pointer p) {
        super(p, Lib.V::vbsig_report_free);
    }

    /** The document's verdict (the worst of its signatures'). */
    public Indication status() {
        try {
            return Indication.of(Lib.V.vbsig_report_indication(ptr()));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** "pades", "cades" or "xades". */
    public String format() {
        try {
            return Lib.V.vbsig_report_format(ptr());
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    public List<Signature> signatures() {
        try {
            long n = Lib.V.vbsig_report_signature_count(ptr()).longValue();
            List<Signature> list = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                list.add(new Signature(this, i));
            }
            return Collections.unmodifiableList(list);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The JSON of the CLI's contract (vbsig verify --json); times at +07:00 unless utc. */
    public String toJson(boolean pretty, boolean utc) {
        return render(true, pretty, utc);
    }

    public String toJson() {
        return toJson(true, false);
    }

    /** The report for people, in Vietnamese ("vi") or English ("en"). */
    public String text(String lang) {
        Objects.requireNonNull(lang, "lang");
        synchronized (Language.class) {
            String before = Language.current();
            Language.set(lang);
            try {
                return render(false, false, false);
            } finally {
                Language.restore(before);
            }
        }
    }

    private String render(boolean json, boolean pretty, boolean utc) {
        Structs.RenderOpts opts = new Structs.RenderOpts();
        Lib.V.vbsig_report_render_opts_init(opts);
        opts.pretty = pretty ? 1 : 0;
        opts.utc = utc ? 1 : 0;
        Structs.Buf buf = new Structs.Buf();
        try {
            Pointer r = ptr();
            VbsigException.check(json ? Lib.V.vbsig_report_to_json(r, opts, buf)
                                      : Lib.V.vbsig_report_to_text(r, opts, buf));
            return new String(buf.bytes(), StandardCharsets.UTF_8);
        } finally {
            Lib.V.vbsig_buf_free(buf);
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public String toString() {
        return isClosed() ? "Report(closed)" : "Report(" + status() + ")";
    }
}
