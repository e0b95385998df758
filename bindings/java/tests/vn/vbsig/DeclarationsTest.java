package vn.vbsig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Structure;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JNA declarations against the library's ABI lists and against the
 * Python binding's C declarations (bindings/python/vbsig/_decls.py, which
 * the ctest python/decls checks against the headers after the
 * preprocessor): a renamed function, a reordered struct or a renumbered
 * enum fails here instead of crashing a JVM.
 */
class DeclarationsTest {
    private static final String DECLS = read("bindings/python/vbsig/_decls.py");

    private static String read(String rel) {
        try {
            return Files.readString(Env.SRC.resolve(rel));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<String> symbols(String rel) {
        Set<String> s = new HashSet<>();
        for (String line : read(rel).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                s.add(line.trim());
            }
        }
        return s;
    }

    /** name → number of parameters, from the C text of _decls.py. */
    private static Map<String, Integer> cFunctions() {
        Map<String, Integer> m = new HashMap<>();
        Matcher f = Pattern.compile("(vbsig_\\w+)\\(([^)]*)\\);").matcher(DECLS);
        while (f.find()) {
            String params = f.group(2).trim();
            m.put(f.group(1), params.equals("void") ? 0 : params.split(",").length);
        }
        return m;
    }

    private static void checkFunctions(Class<?> lib, Set<String> abi, Map<String, Integer> c) {
        for (Method m : lib.getDeclaredMethods()) {
            if (m.isSynthetic() || !m.getName().startsWith("vbsig_")) {
                continue;
            }
            assertTrue(abi.contains(m.getName()), m.getName() + " is not exported by the library");
            Integer n = c.get(m.getName());
            assertTrue(n != null, m.getName() + " is not in _decls.py (add it there: python/decls checks it)");
            assertEquals(n.intValue(), m.getParameterCount(), m.getName() + ": parameter count");
        }
    }

    @Test
    void everyFunctionIsExportedWithItsArity() {
        Map<String, Integer> c = cFunctions();
        checkFunctions(Lib.class, symbols("libvbsig/abi/libvbsig.symbols"), c);
        checkFunctions(Lib.Pkcs11.class, symbols("pkcs11-bridge/abi/libvbsig_pkcs11.symbols"), c);
    }

    @Test
    void structFieldsInTheHeadersOrder() {
        Map<String, List<String>> c = new HashMap<>();
        Matcher s = Pattern.compile("struct (\\w+) \\{(.*?)\\};", Pattern.DOTALL).matcher(DECLS);
        while (s.find()) {
            List<String> fields = new ArrayList<>();
            Matcher f = Pattern.compile("(\\w+);").matcher(s.group(2));
            while (f.find()) {
                fields.add(f.group(1));
            }
            c.put(s.group(1), fields);
        }
        Map<Class<?>, String> mine = Map.of(
            Structs.Buf.class, "vbsig_buf", Structs.SignRequest.class, "vbsig_sign_request",
            Structs.TspOpts.class, "vbsig_tsp_opts", Structs.CadesSignOpts.class, "vbsig_cades_sign_opts",
            Structs.PadesSignOpts.class, "vbsig_pades_sign_opts", Structs.XmlSignOpts.class, "vbsig_xml_sign_opts",
            Structs.SignOpts.class, "vbsig_sign_opts", Structs.BatchOpts.class, "vbsig_batch_opts",
            Structs.RenderOpts.class, "vbsig_report_render_opts", Structs.Pkcs11Opts.class, "vbsig_pkcs11_opts");
        for (Map.Entry<Class<?>, String> e : mine.entrySet()) {
            Structure.FieldOrder order = e.getKey().getAnnotation(Structure.FieldOrder.class);
            assertEquals(c.get(e.getValue()), Arrays.asList(order.value()), e.getValue());
        }
    }

    private static Map<String, Integer> cEnum(String name) {
        Matcher block = Pattern.compile("\"" + name + "\": \\{(.*?)\\}", Pattern.DOTALL).matcher(DECLS);
        assertTrue(block.find(), name);
        Map<String, Integer> m = new HashMap<>();
        Matcher kv = Pattern.compile("\"(\\w+)\": (-?\\d+)").matcher(block.group(1));
        while (kv.find()) {
            m.put(kv.group(1), Integer.parseInt(kv.group(2)));
        }
        return m;
    }

    private static <E extends Enum<E>> void sameOrdinals(String cName, String prefix, Class<E> type) {
        Map<String, Integer> c = cEnum(cName);
        assertEquals(c.size(), type.getEnumConstants().length, cName);
        for (Map.Entry<String, Integer> e : c.entrySet()) {
            assertEquals(e.getValue().intValue(), Enum.valueOf(type, e.getKey().substring(prefix.length())).ordinal(),
                e.getKey());
        }
    }

    @Test
    void enumsNumberedAsInC() {
        sameOrdinals("vbsig_level", "VBSIG_LEVEL_", Level.class);
        sameOrdinals("vbsig_format", "VBSIG_FORMAT_", Format.class);
        sameOrdinals("vbsig_indication", "VBSIG_", Indication.class);
        sameOrdinals("vbsig_revocation_mode", "VBSIG_REVOCATION_", RevocationMode.class);
        Map<String, Integer> st = cEnum("vbsig_status");
        assertEquals(st.size() - 1, Status.values().length - 1, "every C status (but OK) has a Status, plus UNKNOWN");
        for (Map.Entry<String, Integer> e : st.entrySet()) {
            if (!e.getKey().equals("VBSIG_OK")) {
                assertEquals(e.getValue().intValue(), Status.valueOf(e.getKey().substring(8)).code(), e.getKey());
            }
        }
    }
}
