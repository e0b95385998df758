"""The Python binding against the test PKI, a SoftHSM2 token, a local TSA
and the CLI as the oracle (same file, same verdict)."""
import datetime
import gc
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time
import unittest

import vbsig

PKI = pathlib.Path(os.environ["PKI"])
SRC = pathlib.Path(os.environ["SRC"])
WORK = pathlib.Path(os.environ["WORK"])
VBSIG = os.environ["VBSIG"]
ROOT = PKI / "root/root.pem"
PDF = PKI / "documents/lo-directive-vinhlong.pdf"
PASS = b"vbsig-test"


def setUpModule():
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)


def ctx(**kw):
    kw.setdefault("revocation", "soft")
    return vbsig.Context(trust=[ROOT], **kw)


def p12(name="rsa2048"):
    return vbsig.Signer.from_pkcs12(PKI / "signers" / (name + ".p12"), password=bytearray(PASS))


class SignVerify(unittest.TestCase):
    def test_pdf_sign_verify_vietnamese_names(self):
        c, s = ctx(lang="vi"), p12()
        out = WORK / "signed.pdf"
        self.assertEqual(c.sign(PDF, out, s, level=vbsig.Level.B_B), "pades")
        r = c.verify(out)
        self.assertIs(r.status, vbsig.Indication.TOTAL_PASSED)
        sig = r.signatures[0]
        self.assertEqual(sig.signer.common_name, "Nguyễn Văn An")
        self.assertEqual(sig.signer.title, "Giám đốc")
        self.assertEqual(sig.signer.id_number, "086090001234")
        self.assertEqual(sig.level, "B-B")
        t = sig.claimed_time
        self.assertEqual(t.utcoffset(), datetime.timedelta(hours=7))
        self.assertLess(abs((t - datetime.datetime.now(datetime.timezone.utc)).total_seconds()), 300)
        self.assertIn("HỢP LỆ", r.text(lang="vi"))
        self.assertIn("Nguyễn Văn An", r.text(lang="vi"))
        self.assertIn("VALID", r.text(lang="en"))

    def test_tax_code(self):
        c = ctx()
        c.sign(PDF, WORK / "org.pdf", p12("rsa3072"))
        sg = c.verify(WORK / "org.pdf").signatures[0].signer
        self.assertEqual(sg.tax_code, "4400123456")
        self.assertEqual(sg.common_name, "Ủy ban nhân dân tỉnh Phú Yên")

    def test_verdict_matches_cli_json(self):
        c, out = ctx(), WORK / "cli.pdf"
        c.sign(PDF, out, p12("ecp256"))
        for f in (out, PKI / "samples/tampered-data.p7s"):
            data = PKI / "samples/cong-van-tampered.txt" if f.suffix == ".p7s" else None
            args = [VBSIG, "verify", str(f), "--trust", str(ROOT), "--revocation", "soft", "--json"]
            if data:
                args += ["--data", str(data)]
            cli = json.loads(subprocess.run(args, capture_output=True, text=True).stdout)
            mine = json.loads(c.verify(f, data=data).to_json())
            for d in (cli, mine):
                d.pop("file", None)
                for s in d.get("signatures", []):
                    s.pop("validation_time", None)
                    if isinstance(s.get("times"), dict):
                        s["times"].pop("validation", None)
            self.assertEqual(mine["status"], cli["status"])
            self.assertEqual(mine, cli)

    def test_cades_bytes_detached_and_attached(self):
        c, s = ctx(), p12()
        data = "Công văn số 12/UBND".encode()
        sig = c.sign_bytes(data, s, format="cades", detached=True)
        self.assertIs(c.verify_bytes(sig, data=data).status, vbsig.Indication.TOTAL_PASSED)
        self.assertIs(c.verify_bytes(sig, data=data + b"x").status, vbsig.Indication.TOTAL_FAILED)
        (WORK / "d.txt").write_bytes(data)
        (WORK / "d.p7s").write_bytes(sig)
        self.assertIs(c.verify(WORK / "d.p7s", data=WORK / "d.txt").status, vbsig.Indication.TOTAL_PASSED)
        self.assertIs(c.verify(WORK / "d.p7s", data=data).status, vbsig.Indication.TOTAL_PASSED)
        # openssl as the oracle
        subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(WORK / "d.p7s"),
                        "-content", str(WORK / "d.txt"), "-CAfile", str(ROOT), "-certfile", str(PKI / "chain.pem"),
                        "-purpose", "any", "-out", os.devnull], check=True, capture_output=True)
        att = c.sign_bytes(data, s, detached=False)
        self.assertIs(c.verify_bytes(att).status, vbsig.Indication.TOTAL_PASSED)

    def test_key_file_and_xml(self):
        s = vbsig.Signer.from_key_file(PKI / "signers/ecp256.key", PKI / "signers/ecp256.pem", password=PASS)
        s.add_chain(PKI / "chain.pem")  # a key file carries no chain (a PKCS#12 does)
        c = ctx()
        xml = PKI / "documents/edxml-chithi-05-phuyen.xml"
        self.assertEqual(c.sign(xml, WORK / "x.xml", s), "xades")
        r = c.verify_bytes((WORK / "x.xml").read_bytes())
        self.assertIs(r.status, vbsig.Indication.TOTAL_PASSED)
        self.assertEqual(r.signatures[0].signer.common_name, "Trần Thị Bích Ngọc")

    def test_batch_with_progress(self):
        c, s = ctx(), p12()
        d = WORK / "batch"
        d.mkdir()
        seen = []
        with c.batch(s, out_dir=d) as b:
            b.add(PDF)
            b.add(PKI / "documents/cong-van.txt")
            b.add(WORK / "missing.pdf")
            items = list(b.run(progress=lambda i, done, total: seen.append((done, total))))
        self.assertTrue(b.closed)
        self.assertEqual([i.ok for i in items], [True, True, False])
        self.assertEqual(items[0].format, "pades")
        self.assertIsInstance(items[2].error, vbsig.IOError)
        self.assertEqual(seen[-1][1], 3)
        self.assertIs(c.verify(items[0].output).status, vbsig.Indication.TOTAL_PASSED)
        self.assertIs(c.verify(items[1].output, data=PKI / "documents/cong-van.txt").status,
                      vbsig.Indication.TOTAL_PASSED)

    def test_two_step_pdf_signed_by_openssl(self):
        c = ctx()
        cert = vbsig.Signer.from_certificate(PKI / "signers/rsa2048.pem")
        cert.add_chain(PKI / "chain.pem")
        p = c.prepare(PDF, cert, format="pades")
        self.assertEqual(p.digest_algorithm, "sha256")
        self.assertEqual(len(p.digest), 32)
        (WORK / "dg.bin").write_bytes(p.digest)
        sig = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", str(PKI / "signers/rsa2048.key"),
                              "-passin", "pass:vbsig-test", "-pkeyopt", "digest:sha256", "-in",
                              str(WORK / "dg.bin")], check=True, capture_output=True).stdout
        p.finish(sig, WORK / "two-step.pdf")
        r = c.verify(WORK / "two-step.pdf")
        self.assertIs(r.status, vbsig.Indication.TOTAL_PASSED)
        self.assertEqual(r.signatures[0].signer.common_name, "Nguyễn Văn An")

    def test_b_t_with_local_tsa(self):
        d = WORK / "shim"
        d.mkdir()
        proc = subprocess.Popen([sys.executable, str(SRC / "tests/tsa-shim/tsa_shim.py"), "--pki", str(PKI),
                                 "--work", str(d), "--port-file", str(d / "port")], stderr=subprocess.DEVNULL)
        try:
            for _ in range(200):
                if (d / "port").exists() and (d / "port").read_text().strip():
                    break
                time.sleep(0.05)
            url = "http://127.0.0.1:%s/tsa" % (d / "port").read_text().strip()
            c = ctx()
            c.sign(PDF, WORK / "bt.pdf", p12(), level="B-T", tsa=[url])
            sig = c.verify(WORK / "bt.pdf").signatures[0]
            self.assertEqual(sig.level, "B-T")
            self.assertTrue(sig.has_timestamp)
            self.assertIn("vbsig Test TSA", sig.timestamp_tsa)
            self.assertEqual(sig.signing_time.utcoffset(), datetime.timedelta(hours=7))
        finally:
            proc.terminate()
            proc.wait()


class Threads(unittest.TestCase):
    def test_one_handle_per_thread(self):
        import threading
        c = ctx()
        c.sign(PDF, WORK / "th.pdf", p12())
        results, errors = [], []

        def work(k):
            try:
                mine = ctx()  # one context per thread
                for _ in range(10):
                    results.append(mine.verify(WORK / "th.pdf").status)
                with self.assertRaises(vbsig.IOError) as e:
                    mine.verify(WORK / ("absent-%d.pdf" % k))
                # the thread-local message is this thread's own failure
                self.assertIn("absent-%d.pdf" % k, e.exception.message)
            except BaseException as e:  # reported below
                errors.append(e)

        ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(results, [vbsig.Indication.TOTAL_PASSED] * 40)


class Errors(unittest.TestCase):
    def test_wrong_password(self):
        pw = bytearray(b"wrong")
        with self.assertRaises(vbsig.AuthenticationError) as e:
            vbsig.Signer.from_pkcs12(PKI / "signers/rsa2048.p12", password=pw)
        self.assertEqual(e.exception.status, -9)
        self.assertEqual(pw, bytearray(5), "the bytearray is wiped")
        self.assertTrue(e.exception.message)

    def test_malformed_pdf(self):
        bad = WORK / "bad.pdf"
        bad.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage\n")
        with self.assertRaises(vbsig.MalformedInputError) as e:
            ctx().verify(bad)
        self.assertIsInstance(e.exception, ValueError)
        self.assertEqual(e.exception.name, "VBSIG_E_MALFORMED")
        with self.assertRaises(vbsig.MalformedInputError):
            ctx().verify_bytes(bad.read_bytes())

    def test_missing_file_is_io(self):
        with self.assertRaises(vbsig.IOError) as e:
            ctx().verify(WORK / "nope.pdf")
        self.assertIn("nope.pdf", str(e.exception))

    def test_bad_arguments(self):
        c, s = ctx(), p12()
        with self.assertRaises(TypeError):
            c.verify(None)
        with self.assertRaises(TypeError):
            c.verify(42)
        with self.assertRaises(TypeError):
            c.sign(PDF, WORK / "o.pdf", "not a signer")
        with self.assertRaises(TypeError):
            c.sign_bytes("text, not bytes", s)
        with self.assertRaises(TypeError):
            vbsig.Signer.from_pkcs12(PKI / "signers/rsa2048.p12", password="str")
        with self.assertRaises(ValueError):
            c.sign(PDF, WORK / "o.pdf", s, level="B-X")
        with self.assertRaises(ValueError):
            vbsig.Context(revocation="maybe")
        with self.assertRaises(TypeError):
            vbsig.Signer()

    def test_closed_handles(self):
        c, s = ctx(), p12()
        c.sign(PDF, WORK / "c.pdf", s)
        r = c.verify(WORK / "c.pdf")
        sig = r.signatures[0]
        r.close()
        with self.assertRaises(ValueError):
            r.status
        with self.assertRaises(ValueError):
            sig.signer.common_name
        s.close()
        s.close()  # twice is fine
        with self.assertRaises(ValueError):
            c.sign(PDF, WORK / "c2.pdf", s)
        with c:
            pass
        with self.assertRaises(ValueError):
            c.verify(WORK / "c.pdf")

    def test_dependents_of_closed_handles(self):
        c = ctx()
        cert = vbsig.Signer.from_certificate(PKI / "signers/rsa2048.pem")
        p = c.prepare(PDF, cert)
        cert.close()
        with self.assertRaises(ValueError):
            p.finish(b"x" * 256, WORK / "never.pdf")
        s = p12()
        b = c.batch(s, out_dir=WORK)
        b.add(PDF, WORK / "never2.pdf")
        c.close()
        with self.assertRaises(ValueError):
            b.run()
        self.assertFalse((WORK / "never.pdf").exists() or (WORK / "never2.pdf").exists())

    def test_gc_frees(self):
        for _ in range(200):
            ctx().verify_bytes(ctx().sign_bytes(b"x", p12()), data=b"x")
        gc.collect()


class Appearances(unittest.TestCase):
    """Visible signatures through the binding, judged by the library's own
    report (the CLI's JSON) and by poppler's pdftotext."""
    IMAGE = SRC / "test-vectors/corpus/images/chu-ky-lanh-dao-xanh.png"

    def appearance_of(self, path):
        r = ctx().verify(path)
        self.assertIs(r.status, vbsig.Indication.TOTAL_PASSED)
        return json.loads(r.to_json())["signatures"][0]["appearance"]

    def test_leader_by_anchor_and_by_rectangle(self):
        ctx().sign(PDF, WORK / "leader.pdf", p12(), appearance=vbsig.Leader(self.IMAGE))
        ap = self.appearance_of(WORK / "leader.pdf")
        self.assertTrue(ap["visible"])
        self.assertGreater(ap["rect_mm"][2], 10)
        ctx().sign(PDF, WORK / "leader-rect.pdf", p12(),
                   appearance=vbsig.Leader(self.IMAGE, page=1, rect_mm=(20, 30, 40, 20)))
        ap = self.appearance_of(WORK / "leader-rect.pdf")
        self.assertEqual(ap["page"], 1)
        x, y, w, h = ap["rect_mm"]
        self.assertTrue(20 - 0.5 <= x and x + w <= 60 + 0.5 and 30 - 0.5 <= y and y + h <= 50 + 0.5, ap)
        self.assertIsNone(self.appearance_of(self.invisible()))  # invisible: no appearance

    def invisible(self):
        ctx().sign(PDF, WORK / "invisible.pdf", p12())
        return WORK / "invisible.pdf"

    def test_text_stamps(self):
        ctx().sign(PDF, WORK / "att.pdf", p12(), appearance=vbsig.Attachment("15/QĐ-UBND"))
        self.assertTrue(self.appearance_of(WORK / "att.pdf")["visible"])
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(WORK / "att.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        self.assertIn("15/QĐ-UBND", text)
        ctx().sign(PDF, WORK / "copy.pdf", p12(), appearance=vbsig.Copy("SAO Y", "VĂN PHÒNG UBND TỈNH"))
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(WORK / "copy.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        self.assertIn("SAO Y", text)
        self.assertIn("VĂN PHÒNG UBND TỈNH", text)

    def test_bad_appearances(self):
        with self.assertRaises(TypeError):
            ctx().sign(PDF, WORK / "x.pdf", p12(), appearance="leader")
        with self.assertRaises(ValueError):
            vbsig.Leader(self.IMAGE, rect_mm=(1, 2, 3))
        with self.assertRaises(ValueError):
            vbsig.Leader(self.IMAGE, page=-1)
        with self.assertRaises(TypeError):
            vbsig.Attachment(None)
        with self.assertRaises(vbsig.Error):
            ctx().sign(PDF, WORK / "y.pdf", p12(), appearance=vbsig.Leader(WORK / "no-such.png"))
        self.assertFalse((WORK / "y.pdf").exists())


class Token(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        hsm = WORK / "hsm"
        subprocess.run(["bash", str(SRC / "test-vectors/make-softhsm.sh"), str(hsm), str(PKI)], check=True)
        os.environ["SOFTHSM2_CONF"] = str(hsm / "softhsm2.conf")
        cls.module = (hsm / "module.txt").read_text().strip()

    def uri(self, key):
        return "pkcs11:token=vbsig-test;object=%s;type=private" % key

    def test_sign_with_token(self):
        pin = bytearray(b"1234")
        s = vbsig.Signer.from_pkcs11(self.uri("rsa2048"), pin=pin, module=self.module)
        self.assertEqual(pin, bytearray(4))
        s.add_chain(PKI / "chain.pem")
        c = ctx()
        c.sign(PDF, WORK / "token.pdf", s)
        r = c.verify(WORK / "token.pdf")
        self.assertIs(r.status, vbsig.Indication.TOTAL_PASSED)
        self.assertEqual(r.signatures[0].signer.common_name, "Nguyễn Văn An")
        s.close()

    def test_readme_example(self):
        text = (SRC / "bindings/python/README.md").read_text()
        code = text.split("```python\n", 1)[1].split("```", 1)[0]
        d = WORK / "readme"
        d.mkdir()
        for f in ("root/root.pem", "chain.pem"):
            shutil.copy(PKI / f, d)
        shutil.copy(PDF, d / "cong-van.pdf")
        ctx().sign(PDF, d / "incoming.pdf", p12("rsa3072"))
        env = dict(os.environ, TOKEN_PIN="1234", PKCS11_MODULE=self.module)
        run = subprocess.run([sys.executable, "-c", code], cwd=d, env=env, capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("HỢP LỆ", run.stdout)
        self.assertIn("Ủy ban nhân dân tỉnh Phú Yên 4400123456 ", run.stdout)
        self.assertIn("+07:00", run.stdout)
        self.assertIs(ctx().verify(d / "cong-van-da-ky.pdf").status, vbsig.Indication.TOTAL_PASSED)

    def test_list_tokens_and_objects(self):
        tokens = vbsig.list_tokens(self.module)
        mine = [t for t in tokens if t.label == "vbsig-test"]
        self.assertEqual(len(mine), 1, tokens)
        t = mine[0]
        self.assertTrue(t.present and t.initialized and t.login_required)
        self.assertFalse(t.pin_locked)
        self.assertTrue(t.uri.startswith("pkcs11:") and "token=vbsig-test" in t.uri, t.uri)
        self.assertIsInstance(t.slot_id, int)
        objs = vbsig.list_token_objects(self.module, "pkcs11:token=vbsig-test")
        certs = {o.label: o for o in objs if o.kind == "cert"}
        self.assertIn("rsa2048", certs, objs)
        c = certs["rsa2048"]
        self.assertEqual(c.token_label, "vbsig-test")
        self.assertIn("Nguyễn Văn An", c.subject)
        self.assertRegex(c.id_hex, r"^[0-9a-f]+$")
        self.assertIn("type=cert", c.uri)
        # The CLI lists the same certificates, field for field.
        run = subprocess.run([str(VBSIG), "token", "certs", "--module", self.module, "--json"],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        cli = {(o["token"], o["label"], o["id"], o["subject"], o["uri"])
               for o in json.loads(run.stdout)["objects"] if o["type"] == "cert"}
        ours = {(o.token_label, o.label, o.id_hex, o.subject, o.uri) for o in objs if o.kind == "cert"}
        self.assertEqual(ours, cli)
        self.assertEqual(vbsig.list_token_objects(self.module, "pkcs11:token=no-such-token"), [])
        with self.assertRaises(TypeError):
            vbsig.list_token_objects(self.module, 42)
        with self.assertRaises(vbsig.Error):
            vbsig.list_tokens(str(WORK / "no-module.so"))

    def test_wrong_pin(self):
        with self.assertRaises(vbsig.AuthenticationError) as e:
            vbsig.Signer.from_pkcs11(self.uri("ecp256"), pin=b"0000", module=self.module)
        self.assertNotIsInstance(e.exception, vbsig.PinLockedError)
        self.assertIn("PIN", e.exception.message)

    def test_missing_key_and_module(self):
        with self.assertRaises(vbsig.KeyUnusableError):
            vbsig.Signer.from_pkcs11(self.uri("giamdoc"), pin=b"1234", module=self.module)
        with self.assertRaises(vbsig.TokenError):
            vbsig.Signer.from_pkcs11(self.uri("rsa2048"), pin=b"1234", module=str(WORK / "no-module.so"))


if __name__ == "__main__":
    unittest.main()
