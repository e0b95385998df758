package vn.vbsig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Failures: the library's status mapped to a kind, the caller's mistakes as Java exceptions, never a crash. */
class ErrorsTest {
    @Test
    void wrongPasswordIsAuthentication() {
        char[] pw = "wrong".toCharArray();
        VbsigException e = assertThrows(VbsigException.class,
            () -> Signer.fromPkcs12(Env.PKI.resolve("signers/rsa2048.p12"), pw));
        assertEquals(Status.AUTH, e.status());
        assertEquals(Status.Kind.AUTHENTICATION, e.kind());
        assertEquals(-9, e.code());
        assertFalse(e.getMessage().isEmpty());
        assertFalse(e.getMessage().equals("VBSIG_E_AUTH"), "the library's own text, not the code's name");
    }

    @Test
    void malformedPdf() throws Exception {
        Path bad = Env.work("bad.pdf");
        byte[] junk = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(bad, junk);
        try (Context c = Env.ctx()) {
            VbsigException e = assertThrows(VbsigException.class, () -> c.verify(bad));
            assertEquals(Status.Kind.MALFORMED_INPUT, e.kind());
            assertEquals(Status.MALFORMED, e.status());
            VbsigException m = assertThrows(VbsigException.class, () -> c.verifyPdf(junk, "bad.pdf"));
            assertEquals(Status.Kind.MALFORMED_INPUT, m.kind());
        }
    }

    @Test
    void missingFileIsIo() throws Exception {
        Path nope = Env.work("nope.pdf");
        try (Context c = Env.ctx()) {
            VbsigException e = assertThrows(VbsigException.class, () -> c.verify(nope));
            assertEquals(Status.Kind.IO, e.kind());
            assertTrue(e.getMessage().contains("nope.pdf"), e.getMessage());
        }
    }

    @Test
    void nullAndBadArguments() throws Exception {
        Path out = Env.work("o.pdf");
        try (Context c = Env.ctx(); Signer s = Env.p12("rsa2048")) {
            assertThrows(NullPointerException.class, () -> c.verify(null));
            assertThrows(NullPointerException.class, () -> c.sign(Env.PDF, out, null));
            assertThrows(NullPointerException.class, () -> c.sign(null, out, s));
            assertThrows(NullPointerException.class, () -> c.sign(Env.PDF, out, s, null));
            assertThrows(NullPointerException.class, () -> c.addTrust(null));
            assertThrows(NullPointerException.class, () -> c.setRevocationMode(null));
            assertThrows(NullPointerException.class, () -> c.verifyPdf(null, "x"));
            assertThrows(NullPointerException.class, () -> Signer.fromPkcs12(null, Env.PASS.clone()));
            assertThrows(NullPointerException.class, () -> Signer.fromPkcs11(null, null, null));
            assertThrows(NullPointerException.class, () -> new SignOptions().level(null));
            assertThrows(IllegalArgumentException.class, () -> c.language("fr"));
            assertThrows(IllegalArgumentException.class,
                () -> Signer.fromPkcs12(Env.PKI.resolve("signers/rsa2048.p12"), "a\0b".toCharArray()));
            assertThrows(IllegalArgumentException.class, () -> c.verify(Path.of("x"), Path.of("y\0z")));
            assertThrows(IllegalArgumentException.class, () -> new SignOptions().tsa("http://x/\0"));
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void closedHandles() throws Exception {
        Path out = Env.work("c.pdf");
        Context c = Env.ctx();
        Signer s = Env.p12("rsa2048");
        c.sign(Env.PDF, out, s);
        Report r = c.verify(out);
        Signature sig = r.signatures().get(0);
        SignerInfo who = sig.signer();
        r.close();
        assertTrue(r.isClosed());
        assertThrows(IllegalStateException.class, r::status);
        assertThrows(IllegalStateException.class, r::toJson);
        assertThrows(IllegalStateException.class, sig::level);
        assertThrows(IllegalStateException.class, who::commonName);
        s.close();
        s.close(); // twice is harmless
        assertThrows(IllegalStateException.class, () -> c.sign(Env.PDF, Env.work("c2.pdf"), s));
        assertThrows(IllegalStateException.class, s::certificate);
        c.close();
        assertThrows(IllegalStateException.class, () -> c.verify(out));
        assertThrows(IllegalStateException.class, () -> c.addTrust(Env.ROOT));
        assertFalse(Files.exists(Env.work("c2.pdf")));
    }

    @Test
    void dependentsOfClosedHandles() throws Exception {
        Path never = Env.work("never.pdf");
        Path never2 = Env.work("never2.pdf");
        try (Context c = Env.ctx()) {
            Signer cert = Signer.fromCertificate(Env.PKI.resolve("signers/rsa2048.pem"));
            Pending p = c.prepare(Env.PDF, cert, new SignOptions());
            cert.close();
            assertThrows(IllegalStateException.class, () -> p.finish(new byte[256], never));
            assertThrows(IllegalStateException.class, p::digest);
            p.close();
        }
        Context c = Env.ctx();
        Signer s = Env.p12("rsa2048");
        Batch b = c.batch(s, Env.WORK, new SignOptions());
        b.add(Env.PDF, never2);
        c.close();
        assertThrows(IllegalStateException.class, () -> b.run(null));
        b.close();
        s.close();
        assertFalse(Files.exists(never) || Files.exists(never2));
    }

    @Test
    void cleanerFreesForgottenHandles() throws Exception {
        Path out = Env.work("gc.pdf");
        try (Context c = Env.ctx(); Signer s = Env.p12("rsa2048")) {
            c.sign(Env.PDF, out, s);
        }
        // never closed: only the Cleaner frees these (ASan builds would see a double free or use after free)
        for (int i = 0; i < 200; i++) {
            Context c = Env.ctx();
            assertEquals(Indication.TOTAL_PASSED, c.verify(out).status());
        }
        System.gc();
        Thread.sleep(200);
        try (Context c = Env.ctx(); Report r = c.verify(out)) {
            assertEquals(Indication.TOTAL_PASSED, r.status());
        }
    }

    @Test
    void oneHandlePerThread() throws Exception {
        Path out = Env.work("th.pdf");
        try (Context c = Env.ctx(); Signer s = Env.p12("rsa2048")) {
            c.sign(Env.PDF, out, s);
        }
        int n = 4;
        Thread[] ts = new Thread[n];
        Throwable[] failed = new Throwable[n];
        for (int k = 0; k < n; k++) {
            final int me = k;
            ts[k] = new Thread(() -> {
                try (Context mine = Env.ctx()) {
                    for (int i = 0; i < 10; i++) {
                        try (Report r = mine.verify(out)) {
                            assertEquals(Indication.TOTAL_PASSED, r.status());
                        }
                        // each thread reads its own last error, not another's
                        Path absent = Env.work("absent-" + me + ".pdf");
                        VbsigException e = assertThrows(VbsigException.class, () -> mine.verify(absent));
                        assertTrue(e.getMessage().contains("absent-" + me + ".pdf"), e.getMessage());
                    }
                } catch (Throwable t) {
                    failed[me] = t;
                }
            });
            ts[k].start();
        }
        for (int k = 0; k < n; k++) {
            ts[k].join();
            if (failed[k] != null) {
                throw new AssertionError("thread " + k, failed[k]);
            }
        }
    }
}
