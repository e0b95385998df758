// Signs a PDF the way a PDFBox 2 document system does: an incremental
// update with a new signature field, adbe.pkcs7.detached (or
// ETSI.CAdES.detached), and a detached CMS made by Bouncy Castle.
// Usage: java PdfBoxSign IN OUT KEY.p12 PASSWORD [SUBFILTER]
// Written for vbsig's cross-producer tests; compiled at test time.
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Enumeration;
import java.util.List;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureInterface;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

public final class PdfBoxSign implements SignatureInterface {
    private final PrivateKey key;
    private final List<X509Certificate> chain = new ArrayList<>();

    private PdfBoxSign(String p12, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(p12)) {
            ks.load(in, password);
        }
        PrivateKey found = null;
        for (Enumeration<String> e = ks.aliases(); e.hasMoreElements();) {
            String alias = e.nextElement();
            if (!ks.isKeyEntry(alias))
                continue;
            found = (PrivateKey) ks.getKey(alias, password);
            for (Certificate c : ks.getCertificateChain(alias))
                chain.add((X509Certificate) c);
            break;
        }
        if (found == null)
            throw new IllegalArgumentException(p12 + ": no private key");
        key = found;
    }

    @Override
    public byte[] sign(InputStream content) throws java.io.IOException {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            content.transferTo(buf);
            String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            ContentSigner signer = new JcaContentSignerBuilder(alg).build(key);
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().build()).build(signer, chain.get(0)));
            gen.addCertificates(new JcaCertStore(chain));
            CMSSignedData data = gen.generate(new CMSProcessableByteArray(buf.toByteArray()), false);
            return data.getEncoded();
        } catch (Exception e) {
            throw new java.io.IOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: PdfBoxSign IN OUT KEY.p12 PASSWORD [SUBFILTER]");
            System.exit(64);
        }
        PdfBoxSign self = new PdfBoxSign(args[2], args[3].toCharArray());
        try (PDDocument doc = PDDocument.load(new File(args[0]));
             FileOutputStream out = new FileOutputStream(args[1])) {
            PDSignature sig = new PDSignature();
            sig.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
            sig.setSubFilter(args.length > 4 ? COSName.getPDFName(args[4]) : PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED);
            sig.setName("PDFBox signer");
            sig.setReason("Phê duyệt (PDFBox)");
            sig.setSignDate(Calendar.getInstance());
            SignatureOptions opts = new SignatureOptions();
            opts.setPreferredSignatureSize(16384);
            doc.addSignature(sig, self, opts);
            doc.saveIncremental(out);
            opts.close();
        }
    }
}
