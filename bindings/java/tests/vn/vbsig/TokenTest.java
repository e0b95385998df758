package vn.vbsig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A SoftHSM2 token made by test-vectors/make-softhsm.sh (the ctest fixture
 * of bindings/java/CMakeLists.txt; SOFTHSM2_CONF in the environment).
 */
class TokenTest {
    private static Path module() throws Exception {
        return Path.of(Files.readString(Path.of(System.getenv("HSM")).resolve("module.txt")).trim());
    }

    private static String uri(String key) {
        return "pkcs11:token=vbsig-test;object=" + key + ";type=private";
    }

    @Test
    void signWithToken() throws Exception {
        Path out = Env.work("token.pdf");
        try (Context c = Env.ctx(); Signer s = Signer.fromPkcs11(uri("rsa2048"), "1234".toCharArray(), module())) {
            s.addChain(Env.PKI.resolve("chain.pem"));
            c.sign(Env.PDF, out, s);
            try (Report r = c.verify(out)) {
                assertEquals(Indication.TOTAL_PASSED, r.status());
                assertEquals("Nguyễn Văn An", r.signatures().get(0).signer().commonName());
            }
        }
    }

    @Test
    void wrongPin() throws Exception {
        VbsigException e = assertThrows(VbsigException.class,
            () -> Signer.fromPkcs11(uri("ecp256"), "0000".toCharArray(), module()));
        assertEquals(Status.Kind.AUTHENTICATION, e.kind());
        assertEquals(Status.AUTH, e.status());
        assertTrue(e.getMessage().contains("PIN"), e.getMessage());
    }

    @Test
    void missingKeyAndModule() throws Exception {
        VbsigException k = assertThrows(VbsigException.class,
            () -> Signer.fromPkcs11(uri("giamdoc"), "1234".toCharArray(), module()));
        assertEquals(Status.Kind.KEY, k.kind());
        VbsigException m = assertThrows(VbsigException.class,
            () -> Signer.fromPkcs11(uri("rsa2048"), "1234".toCharArray(), Env.work("no-module.so")));
        assertEquals(Status.Kind.TOKEN, m.kind());
    }

    /** The README's example, compiled and run as a user would (java Example.java). */
    @Test
    void readmeExample() throws Exception {
        String text = Files.readString(Env.SRC.resolve("bindings/java/README.md"));
        String code = text.split("```java\n", 2)[1].split("```", 2)[0];
        Path d = Env.work("readme");
        Files.createDirectories(d);
        Files.writeString(d.resolve("Example.java"), code);
        Files.copy(Env.ROOT, d.resolve("root.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Env.PKI.resolve("chain.pem"), d.resolve("chain.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Env.PDF, d.resolve("cong-van.pdf"), StandardCopyOption.REPLACE_EXISTING);
        try (Context c = Env.ctx(); Signer s = Env.p12("rsa3072")) {
            c.sign(Env.PDF, d.resolve("incoming.pdf"), s);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dvbsig.libdir=" + System.getProperty("vbsig.libdir"), "-Dfile.encoding=UTF-8",
            "-cp", System.getProperty("java.class.path"), "Example.java"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(d.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("TOKEN_PIN", "1234");
        pb.environment().put("PKCS11_MODULE", module().toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("HỢP LỆ"), out);
        assertTrue(out.contains("Ủy ban nhân dân tỉnh Phú Yên 4400123456 "), out);
        assertTrue(out.contains("+07:00"), out);
        try (Context c = Env.ctx(); Report r = c.verify(d.resolve("cong-van-da-ky.pdf"))) {
            assertEquals(Indication.TOTAL_PASSED, r.status());
        }
    }
}
