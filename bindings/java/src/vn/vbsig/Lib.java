package vn.vbsig;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The C functions the binding calls (libvbsig/include/vbsig/*.h), with
 * JNA's interface mapping. Calls run on the caller's thread, so the
 * thread-local vbsig_last_error() read right after a failing call is that
 * call's message.
 */
interface Lib extends Library {
    String ENCODING = "UTF-8";

    Lib V = Loader.load("vbsig", Lib.class);

    String vbsig_last_error();
    String vbsig_status_name(int status);
    String vbsig_version();
    void vbsig_buf_free(Structs.Buf buf);
    void vbsig_set_localedir(String dir);

    int vbsig_ctx_new(PointerByReference out);
    void vbsig_ctx_free(Pointer ctx);
    int vbsig_ctx_add_trust(Pointer ctx, String path);
    int vbsig_ctx_add_intermediates(Pointer ctx, String path);
    int vbsig_ctx_set_validation_time(Pointer ctx, long t);
    int vbsig_ctx_set_revocation_mode(Pointer ctx, int mode);
    int vbsig_ctx_set_offline(Pointer ctx, int offline);
    int vbsig_ctx_set_cache_dir(Pointer ctx, String dir);

    int vbsig_signer_from_key_file(PointerByReference out, String keyPath, Pointer passSource, String certPath);
    int vbsig_signer_from_pkcs12(PointerByReference out, String path, Pointer passSource);
    int vbsig_signer_from_cert_file(PointerByReference out, String certPath);
    void vbsig_signer_free(Pointer s);
    int vbsig_signer_add_chain_file(Pointer s, String path);
    Pointer vbsig_signer_cert_der(Pointer s, SizeT.ByReference len);
    int vbsig_signer_key_bits(Pointer s);

    void vbsig_tsp_opts_init(Structs.TspOpts opts);
    void vbsig_cades_sign_opts_init(Structs.CadesSignOpts opts);
    void vbsig_pades_sign_opts_init(Structs.PadesSignOpts opts);
    void vbsig_xml_sign_opts_init(Structs.XmlSignOpts opts);
    void vbsig_sign_opts_init(Structs.SignOpts opts);
    int vbsig_sign_file(Pointer ctx, Pointer signer, Structs.SignOpts opts, String inPath, String outPath,
                        IntByReference formatOut);

    int vbsig_pades_prepare(Pointer ctx, Pointer signer, Structs.PadesSignOpts opts, String inPath,
                            PointerByReference out);
    Pointer vbsig_pades_pending_request(Pointer p);
    int vbsig_pades_finish(Pointer p, byte[] sig, SizeT sigLen, String outPath);
    void vbsig_pades_pending_free(Pointer p);

    int vbsig_verify_file(Pointer ctx, String path, String dataPath, PointerByReference out);
    int vbsig_pades_verify(Pointer ctx, byte[] pdf, SizeT len, String name, PointerByReference out);

    int vbsig_report_indication(Pointer r);
    SizeT vbsig_report_signature_count(Pointer r);
    int vbsig_report_signature_indication(Pointer r, SizeT i);
    String vbsig_report_signature_subindication(Pointer r, SizeT i);
    String vbsig_report_signature_level(Pointer r, SizeT i);
    String vbsig_report_format(Pointer r);
    String vbsig_report_signature_id(Pointer r, SizeT i);
    String vbsig_report_signer_field(Pointer r, SizeT i, int field);
    long vbsig_report_signature_time(Pointer r, SizeT i, int which);
    int vbsig_report_signature_has_timestamp(Pointer r, SizeT i);
    String vbsig_report_signature_digest_algorithm(Pointer r, SizeT i);
    SizeT vbsig_report_signature_message_count(Pointer r, SizeT i);
    String vbsig_report_signature_message(Pointer r, SizeT i, SizeT j);
    void vbsig_report_render_opts_init(Structs.RenderOpts opts);
    int vbsig_report_to_json(Pointer r, Structs.RenderOpts opts, Structs.Buf out);
    int vbsig_report_to_text(Pointer r, Structs.RenderOpts opts, Structs.Buf out);
    void vbsig_report_free(Pointer r);

    void vbsig_batch_opts_init(Structs.BatchOpts opts);
    int vbsig_batch_new(PointerByReference out, Pointer ctx, Pointer signer, Structs.BatchOpts opts);
    int vbsig_batch_add(Pointer batch, String inPath, String outPath);
    int vbsig_batch_run(Pointer batch, Structs.BatchProgress progress, Pointer user);
    SizeT vbsig_batch_count(Pointer batch);
    int vbsig_batch_item_status(Pointer batch, SizeT index);
    String vbsig_batch_item_message(Pointer batch, SizeT index);
    String vbsig_batch_item_input(Pointer batch, SizeT index);
    String vbsig_batch_item_output(Pointer batch, SizeT index);
    int vbsig_batch_item_format(Pointer batch, SizeT index);
    void vbsig_batch_free(Pointer batch);

    /** libvbsig_pkcs11 (pkcs11-bridge/include/vbsig/pkcs11.h), loaded on first use. */
    interface Pkcs11 extends Library {
        void vbsig_pkcs11_opts_init(Structs.Pkcs11Opts opts);
        int vbsig_signer_from_pkcs11(PointerByReference out, Pointer ctx, String uri, Structs.Pkcs11Opts opts);
    }

    /** The few libc calls that choose the language of gettext's messages. */
    interface LibC extends Library {
        LibC C = Native.load("c", LibC.class, Map.of(Library.OPTION_STRING_ENCODING, ENCODING));

        int setenv(String name, String value, int overwrite);
        int unsetenv(String name);
        String getenv(String name);
        String setlocale(int category, String locale);
    }

    /**
     * Where a library is found: the system property vbsig.libdir, else
     * $VBSIG_LIBDIR, else the libdir recorded in the jar at build time,
     * else the dynamic loader's search. By its soname (libvbsig.so.2, as
     * recorded at build time in vn/vbsig/libs.properties): the runtime
     * package has that file, only the development package has libvbsig.so.
     */
    final class Loader {
        private static final Properties BUILT = built();

        private Loader() {
        }

        static <T extends Library> T load(String name, Class<T> type) {
            String soname = BUILT.getProperty(name, "lib" + name + ".so");
            List<String> tried = new ArrayList<>();
            for (String dir : dirs()) {
                File f = new File(dir, soname);
                if (f.exists()) {
                    return Native.load(f.getAbsolutePath(), type, options());
                }
                tried.add(f.getPath());
            }
            try {
                return Native.load(soname, type, options());
            } catch (UnsatisfiedLinkError e) {
                throw new UnsatisfiedLinkError("vbsig: cannot load " + soname + " (tried " + tried
                    + " and the system's search path: " + e.getMessage() + "); set -Dvbsig.libdir or VBSIG_LIBDIR");
            }
        }

        private static Map<String, Object> options() {
            return Map.of(Library.OPTION_STRING_ENCODING, ENCODING);
        }

        private static Properties built() {
            Properties p = new Properties();
            try (InputStream in = Lib.class.getResourceAsStream("libs.properties")) {
                if (in != null) {
                    p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // without it: the unversioned names and the loader's search
            }
            return p;
        }

        private static List<String> dirs() {
            List<String> dirs = new ArrayList<>();
            for (String d : new String[] {System.getProperty("vbsig.libdir"), System.getenv("VBSIG_LIBDIR"),
                                          BUILT.getProperty("libdir")}) {
                if (d != null && !d.isEmpty()) {
                    dirs.add(d);
                }
            }
            return dirs;
        }
    }
}
