package vn.vbsig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signing and verifying against the test PKI, the CLI and openssl as oracles. */
class SignVerifyTest {
    @Test
    void pdfSignVerifyVietnameseNames() throws Exception {
        Path out = Env.work("signed.pdf");
        try (Context c = Env.ctx(); Signer s = Env.p12("rsa2048")) {
            assertEquals(Format.PADES, c.sign(Env.PDF, out, s));
            try (Report r = c.verify(out)) {
                assertEquals(Indication.TOTAL_PASSED, r.status());
                assertEquals("pades", r.format());
                Signature sig = r.signatures().get(0);
                assertEquals(1, r.signatures().size());
                assertNull(sig.subindication());
                assertEquals("B-B", sig.level());
                SignerInfo who = sig.signer();
                assertEquals("Nguyễn Văn An", who.commonName());
                assertEquals("Giám đốc", who.title());
                assertEquals("086090001234", who.idNumber());
                assertNull(sig.signingTime(), "B-B: no timestamp proves a time");
                OffsetDateTime t = sig.claimedTime();
                assertEquals(ZoneOffset.ofHours(7), t.getOffset());
                assertTrue(Duration.between(t, OffsetDateTime.now()).abs().getSeconds() < 300);
                String vi = r.text("vi");
                assertTrue(vi.contains("HỢP LỆ"), vi);
                assertTrue(vi.contains("Nguyễn Văn An"), vi);
                String en = r.text("en");
                assertTrue(en.contains("VALID"), en);
                assertEquals("TOTAL-PASSED", status(r.toJson()));
            }
        }
    }

    @Test
    void organisationTaxCode() throws Exception {
        Path out = Env.work("org.pdf");
        try (Context c = Env.ctx(); Signer s = Env.p12("rsa3072")) {
            c.sign(Env.PDF, out, s, new SignOptions().reason("Phê duyệt").location("Tuy Hòa"));
            try (Report r = c.verify(out)) {
                SignerInfo who = r.signatures().get(0).signer();
                assertEquals("4400123456", who.taxCode());
                assertEquals("Ủy ban nhân dân tỉnh Phú Yên", who.commonName());
            }
        }
        String pdf = new String(Files.readAllBytes(out), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(pdf.contains("/Reason"), "the reason is in the signature dictionary");
    }

    /** The CLI's JSON for the same file, without the fields that differ by when and how it was called. */
    private static String comparable(String json) {
        StringBuilder b = new StringBuilder();
        for (String line : json.split("\n")) {
            String t = line.trim();
            if (!t.startsWith("\"file\"") && !t.startsWith("\"validation_time\"") && !t.startsWith("\"validation\"")) {
                b.append(t.endsWith(",") ? t.substring(0, t.length() - 1) : t).append('\n');
            }
        }
        return b.toString();
    }

    /** The document's verdict in a report's JSON (its first "status"). */
    private static String status(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"status\": \"([A-Z-]+)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    @Test
    void verdictMatchesCliJson() throws Exception {
        Path out = Env.work("cli.pdf");
        Path p7s = Env.PKI.resolve("samples/tampered-data.p7s");
        Path data = Env.PKI.resolve("samples/cong-van-tampered.txt");
        try (Context c = Env.ctx(); Signer s = Env.p12("ecp256")) {
            c.sign(Env.PDF, out, s);
            String cliPdf = Env.run(null, List.of(Env.VBSIG, "verify", out.toString(), "--trust", Env.ROOT.toString(),
                "--revocation", "soft", "--json"), false);
            String cliP7s = Env.run(null, List.of(Env.VBSIG, "verify", p7s.toString(), "--data", data.toString(),
                "--trust", Env.ROOT.toString(), "--revocation", "soft", "--json"), false);
            try (Report a = c.verify(out); Report b = c.verify(p7s, data)) {
                assertEquals(Indication.TOTAL_PASSED, a.status());
                assertEquals(Indication.TOTAL_FAILED, b.status());
                assertEquals("TOTAL-PASSED", status(cliPdf));
                assertEquals("TOTAL-FAILED", status(cliP7s));
                assertEquals(status(cliPdf), status(a.toJson()));
                assertEquals(status(cliP7s), status(b.toJson()));
                assertEquals(comparable(cliPdf), comparable(a.toJson()));
                assertEquals(comparable(cliP7s), comparable(b.toJson()));
            }
        }
    }

    @Test
    void keyFileXmlAndCades() throws Exception {
        Path xml = Env.PKI.resolve("documents/edxml-chithi-05-phuyen.xml");
        Path txt = Env.PKI.resolve("documents/cong-van.txt");
        Path x = Env.work("x.xml");
        Path p7s = Env.work("cong-van.p7s");
        try (Context c = Env.ctx();
             Signer s = Signer.fromKeyFile(Env.PKI.resolve("signers/ecp256.key"), Env.PKI.resolve("signers/ecp256.pem"),
                                           Env.PASS.clone())) {
            s.addChain(Env.PKI.resolve("chain.pem")); // a key file carries no chain
            assertEquals(Format.XADES, c.sign(xml, x, s));
            try (Report r = c.verify(x)) {
                assertEquals(Indication.TOTAL_PASSED, r.status());
                assertEquals("Trần Thị Bích Ngọc", r.signatures().get(0).signer().commonName());
            }
            assertEquals(Format.CADES, c.sign(txt, p7s, s, new SignOptions().format(Format.CADES)));
            try (Report r = c.verify(p7s, txt)) {
                assertEquals(Indication.TOTAL_PASSED, r.status());
            }
        }
        Env.run(null, List.of("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s.toString(),
            "-content", txt.toString(), "-CAfile", Env.ROOT.toString(), "-certfile", Env.PKI.resolve("chain.pem").toString(),
            "-purpose", "any", "-out", "/dev/null"), true);
    }

    @Test
    void levelBtWithLocalTsa() throws Exception {
        Path d = Env.work("shim");
        Files.createDirectories(d);
        Path portFile = d.resolve("port");
        Files.deleteIfExists(portFile);
        Process shim = new ProcessBuilder("python3", Env.SRC.resolve("tests/tsa-shim/tsa_shim.py").toString(),
            "--pki", Env.PKI.toString(), "--work", d.toString(), "--port-file", portFile.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String port = "";
            for (int i = 0; i < 200 && port.isEmpty(); i++) {
                if (Files.exists(portFile)) {
                    port = Files.readString(portFile).trim();
                }
                if (port.isEmpty()) {
                    Thread.sleep(50);
                }
            }
            Path out = Env.work("bt.pdf");
            try (Context c = Env.ctx(); Signer s = Env.p12("rsa2048")) {
                c.sign(Env.PDF, out, s, new SignOptions().level(Level.B_T).tsa("http://127.0.0.1:" + port + "/tsa"));
                try (Report r = c.verify(out)) {
                    Signature sig = r.signatures().get(0);
                    assertEquals("B-T", sig.level());
                    assertTrue(sig.hasTimestamp());
                    OffsetDateTime t = sig.signingTime();
                    assertEquals(ZoneOffset.ofHours(7), t.getOffset());
                    assertTrue(Duration.between(t, OffsetDateTime.now()).abs().getSeconds() < 300);
                }
            }
        } finally {
            shim.destroy();
            shim.waitFor();
        }
    }

    @Test
    void batchWithProgress() throws Exception {
        Path d = Env.work("batch");
        Files.createDirectories(d);
        List<long[]> seen = new ArrayList<>();
        Path txt = Env.PKI.resolve("documents/cong-van.txt");
        try (Context c = Env.ctx(); Signer s = Env.p12("rsa2048")) {
            List<Batch.Item> items;
            try (Batch b = c.batch(s, d, new SignOptions())) {
                b.add(Env.PDF, null);
                b.add(txt, null);
                b.add(Env.work("missing.pdf"), null);
                items = b.run((i, done, total) -> seen.add(new long[] {done, total}));
            }
            assertTrue(items.get(0).ok());
            assertTrue(items.get(1).ok());
            assertFalse(items.get(2).ok());
            assertEquals(Status.Kind.IO, items.get(2).error.kind());
            assertEquals(Format.PADES, items.get(0).format);
            assertEquals(3, seen.get(seen.size() - 1)[1]);
            try (Report r = c.verify(Path.of(items.get(0).output))) {
                assertEquals(Indication.TOTAL_PASSED, r.status());
            }
            try (Report r = c.verify(Path.of(items.get(1).output), txt)) {
                assertEquals(Indication.TOTAL_PASSED, r.status());
            }
        }
    }

    @Test
    void twoStepSignedByOpenssl() throws Exception {
        Path dg = Env.work("dg.bin");
        Path sigFile = Env.work("dg.sig");
        Path out = Env.work("two-step.pdf");
        try (Context c = Env.ctx(); Signer cert = Signer.fromCertificate(Env.PKI.resolve("signers/rsa2048.pem"))) {
            cert.addChain(Env.PKI.resolve("chain.pem"));
            try (Pending p = c.prepare(Env.PDF, cert, new SignOptions())) {
                assertEquals("sha256", p.digestAlgorithm());
                assertEquals(32, p.digest().length);
                Files.write(dg, p.digest());
                Env.run(null, List.of("openssl", "pkeyutl", "-sign", "-inkey", Env.PKI.resolve("signers/rsa2048.key").toString(),
                    "-passin", "pass:vbsig-test", "-pkeyopt", "digest:sha256", "-in", dg.toString(),
                    "-out", sigFile.toString()), true);
                p.finish(Files.readAllBytes(sigFile), out);
            }
            try (Report r = c.verify(out)) {
                assertEquals(Indication.TOTAL_PASSED, r.status());
                assertEquals("Nguyễn Văn An", r.signatures().get(0).signer().commonName());
            }
        }
    }

    @Test
    void validationTimeBeforeTheCertificates() throws Exception {
        Path out = Env.work("vt.pdf");
        try (Context c = Env.ctx(); Signer s = Env.p12("rsa2048")) {
            c.sign(Env.PDF, out, s);
            c.setValidationTime(java.time.Instant.parse("2001-01-01T00:00:00Z"));
            try (Report r = c.verify(out)) {
                assertTrue(r.status() != Indication.TOTAL_PASSED, "the test PKI's certificates are not valid in 2001");
                assertEquals(java.time.OffsetDateTime.parse("2001-01-01T07:00:00+07:00"),
                    r.signatures().get(0).validationTime());
            }
        }
    }

    @Test
    void signerCertificateIsThePkcs12s() throws Exception {
        java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
        byte[] expected;
        try (java.io.InputStream in = Files.newInputStream(Env.PKI.resolve("signers/rsa2048.pem"))) {
            expected = cf.generateCertificate(in).getEncoded();
        }
        try (Signer s = Env.p12("rsa2048")) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, s.certificate());
            assertEquals(2048, s.keyBits());
        }
    }

    @Test
    void pdfInMemory() throws Exception {
        Path out = Env.work("mem.pdf");
        try (Context c = Env.ctx(); Signer s = Env.p12("rsa2048")) {
            c.sign(Env.PDF, out, s);
            try (Report r = c.verifyPdf(Files.readAllBytes(out), "mem.pdf")) {
                assertEquals(Indication.TOTAL_PASSED, r.status());
            }
        }
    }
}
