package vn.vbsig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What ctest hands the tests (bindings/java/CMakeLists.txt) and small helpers. */
final class Env {
    static final Path PKI = Path.of(System.getenv("PKI"));
    static final Path SRC = Path.of(System.getenv("SRC"));
    static final Path WORK = Path.of(System.getenv("WORK"));
    static final String VBSIG = System.getenv("VBSIG");
    static final Path ROOT = PKI.resolve("root/root.pem");
    static final Path PDF = PKI.resolve("documents/lo-directive-vinhlong.pdf");
    static final char[] PASS = "vbsig-test".toCharArray();

    private Env() {
    }

    static Context ctx() {
        return new Context().addTrust(ROOT).setRevocationMode(RevocationMode.SOFT);
    }

    static Signer p12(String name) {
        return Signer.fromPkcs12(PKI.resolve("signers/" + name + ".p12"), PASS.clone());
    }

    static Path work(String name) throws IOException {
        Files.createDirectories(WORK);
        return WORK.resolve(name);
    }

    /** Runs a program; its stdout (UTF-8). Fails the test on a non-zero exit unless allowed. */
    static String run(Path dir, List<String> args, boolean mustSucceed) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(args)).redirectErrorStream(false);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (mustSucceed && rc != 0) {
            throw new AssertionError(args + " exited with " + rc + ":\n" + out);
        }
        return out;
    }
}
