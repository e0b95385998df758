package vn.vbsig;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * The option structs the binding fills in, every field in the headers'
 * order (DeclarationsTest compares them with bindings/python/vbsig/_decls.py,
 * which python/decls checks against the headers after the preprocessor).
 * Enums are int, time_t is long (LP64 Linux); structs pointed to are
 * Pointer fields, so the caller writes them before the call.
 */
final class Structs {
    private Structs() {
    }

    /** String fields in UTF-8, whatever the platform charset. */
    public abstract static class Utf8Struct extends Structure {
        Utf8Struct() {
            setStringEncoding(Lib.ENCODING);
        }

        Utf8Struct(Pointer p) {
            super(p);
            setStringEncoding(Lib.ENCODING);
        }
    }

    @FieldOrder({"data", "len"})
    public static final class Buf extends Utf8Struct {
        public Pointer data;
        public SizeT len;

        byte[] bytes() {
            read();
            return data == null ? new byte[0] : data.getByteArray(0, (int) len.longValue());
        }
    }

    @FieldOrder({"digest_alg", "padding", "digest", "digest_len"})
    public static final class SignRequest extends Utf8Struct {
        public int digest_alg;
        public int padding;
        public Pointer digest;
        public SizeT digest_len;

        public SignRequest() {
        }

        SignRequest(Pointer p) {
            super(p);
            read();
        }
    }

    @FieldOrder({"version", "urls", "url_count", "digest", "policy", "username", "password_source",
                 "connect_timeout_ms", "timeout_ms", "retries", "retry_delay_ms", "ca_file"})
    public static final class TspOpts extends Utf8Struct {
        public int version;
        public Pointer urls;
        public SizeT url_count;
        public int digest;
        public String policy;
        public String username;
        public String password_source;
        public com.sun.jna.NativeLong connect_timeout_ms;
        public com.sun.jna.NativeLong timeout_ms;
        public int retries;
        public com.sun.jna.NativeLong retry_delay_ms;
        public String ca_file;
    }

    @FieldOrder({"version", "detached", "digest", "include_chain", "signing_time", "verify_after_sign",
                 "level", "tsp"})
    public static final class CadesSignOpts extends Utf8Struct {
        public int version;
        public int detached;
        public int digest;
        public int include_chain;
        public long signing_time;
        public int verify_after_sign;
        public int level;
        public Pointer tsp;
    }

    @FieldOrder({"version", "digest", "level", "tsp", "include_chain", "reason", "location", "contact_info",
                 "name", "certify", "field_name", "signing_time", "contents_size", "verify_after_sign",
                 "appearance"})
    public static final class PadesSignOpts extends Utf8Struct {
        public int version;
        public int digest;
        public int level;
        public Pointer tsp;
        public int include_chain;
        public String reason;
        public String location;
        public String contact_info;
        public String name;
        public int certify;
        public String field_name;
        public long signing_time;
        public SizeT contents_size;
        public int verify_after_sign;
        public Pointer appearance;
    }

    @FieldOrder({"version", "xades", "digest", "include_chain", "signing_time", "verify_after_sign",
                 "reference", "parent_xpath", "c14n", "mode", "detached_name", "tsp", "level"})
    public static final class XmlSignOpts extends Utf8Struct {
        public int version;
        public int xades;
        public int digest;
        public int include_chain;
        public long signing_time;
        public int verify_after_sign;
        public String reference;
        public String parent_xpath;
        public int c14n;
        public int mode;
        public String detached_name;
        public Pointer tsp;
        public int level;
    }

    @FieldOrder({"version", "format", "level", "tsp", "cades", "pades", "xml"})
    public static class SignOpts extends Utf8Struct {
        public int version;
        public int format;
        public int level;
        public Pointer tsp;
        public Pointer cades;
        public Pointer pades;
        public Pointer xml;
    }

    /** Called after each file of a batch leaves the token. */
    public interface BatchProgress extends Callback {
        void invoke(Pointer user, Pointer batch, SizeT index, SizeT done, SizeT total);
    }

    /** The batch's per-file check; the binding passes none. */
    public interface BatchCheck extends Callback {
        int invoke(Pointer user, Pointer batch, SizeT index, int format);
    }

    @FieldOrder({"version", "sign", "out_dir", "verify_every", "check", "check_user"})
    public static final class BatchOpts extends Utf8Struct {
        public int version;
        public SignOpts sign = new SignOpts();
        public String out_dir;
        public int verify_every;
        public BatchCheck check;
        public Pointer check_user;
    }

    @FieldOrder({"version", "utc", "pretty"})
    public static final class RenderOpts extends Utf8Struct {
        public int version;
        public int utc;
        public int pretty;
    }

    /** Gives the PIN to the bridge at login. */
    public interface PinCallback extends Callback {
        int invoke(Pointer data, String tokenLabel, Pointer pin, SizeT pinSize);
    }

    @FieldOrder({"version", "module", "pin_source", "pin_cb", "pin_cb_data", "cert_path", "timeout_ms"})
    public static final class Pkcs11Opts extends Utf8Struct {
        public int version;
        public String module;
        public String pin_source;
        public PinCallback pin_cb;
        public Pointer pin_cb_data;
        public String cert_path;
        public int timeout_ms;
    }
}
