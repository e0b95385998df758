// A second XML signature implementation for the cross-producer tests: the
// JDK's javax.xml.crypto (JSR 105).
//   XmlSigTool sign IN OUT P12 PASSWORD [REF-ID PARENT-ELEMENT]
//     enveloped RSA-SHA256 signature, exclusive C14N; without REF-ID over the
//     whole document (URI="") appended to the root, with it over #REF-ID and
//     put in the first element named PARENT-ELEMENT
//   XmlSigTool verify IN
//     prints "signature N: valid" or "signature N: invalid (…)" for every
//     ds:Signature, exit 0 only when all are valid; the key is the
//     certificate in KeyInfo (trust is the caller's business here).
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import javax.xml.crypto.AlgorithmMethod;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.KeySelectorException;
import javax.xml.crypto.KeySelectorResult;
import javax.xml.crypto.XMLCryptoContext;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.keyinfo.X509Data;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class XmlSigTool {
    private static final String DSIG = XMLSignature.XMLNS;

    private static Document parse(String path) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (FileInputStream in = new FileInputStream(path)) {
            return f.newDocumentBuilder().parse(in);
        }
    }

    // Ids the documents use (the JDK resolves #id only on registered attributes).
    private static void registerIds(Document doc) {
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            for (String a : new String[] {"Id", "ID", "id"})
                if (e.hasAttribute(a))
                    e.setIdAttribute(a, true);
        }
    }

    private static void sign(String[] a) throws Exception {
        Document doc = parse(a[1]);
        registerIds(doc);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(a[3])) {
            ks.load(in, a[4].toCharArray());
        }
        String alias = ks.aliases().nextElement();
        PrivateKey key = (PrivateKey) ks.getKey(alias, a[4].toCharArray());
        X509Certificate cert = (X509Certificate) ks.getCertificate(alias);
        XMLSignatureFactory f = XMLSignatureFactory.getInstance("DOM");
        String uri = a.length > 5 ? "#" + a[5] : "";
        List<Transform> transforms = List.of(
            f.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
            f.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null));
        Reference ref = f.newReference(uri, f.newDigestMethod(DigestMethod.SHA256, null), transforms, null, null);
        SignedInfo si = f.newSignedInfo(
            f.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE, (C14NMethodParameterSpec) null),
            f.newSignatureMethod("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", null), Collections.singletonList(ref));
        KeyInfoFactory kif = f.getKeyInfoFactory();
        X509Data xd = kif.newX509Data(Collections.singletonList(cert));
        KeyInfo ki = kif.newKeyInfo(Collections.singletonList(xd));
        Element parent = doc.getDocumentElement();
        if (a.length > 6) {
            NodeList p = doc.getElementsByTagName(a[6]);
            if (p.getLength() == 0)
                throw new IllegalArgumentException("no element " + a[6]);
            parent = (Element) p.item(0);
        }
        DOMSignContext ctx = new DOMSignContext(key, parent);
        ctx.setDefaultNamespacePrefix("ds");
        f.newXMLSignature(si, ki).sign(ctx);
        try (FileOutputStream out = new FileOutputStream(a[2])) {
            TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(out));
        }
    }

    private static final class CertKeySelector extends KeySelector {
        public KeySelectorResult select(KeyInfo ki, Purpose p, AlgorithmMethod m, XMLCryptoContext ctx)
                throws KeySelectorException {
            // KeyInfo may carry the whole chain (xmlsec1 does): the signer's
            // is the one certificate that is not a CA's.
            X509Certificate first = null;
            if (ki != null)
                for (Object o : ki.getContent())
                    if (o instanceof X509Data)
                        for (Object x : ((X509Data) o).getContent())
                            if (x instanceof X509Certificate) {
                                X509Certificate c = (X509Certificate) x;
                                if (c.getBasicConstraints() < 0) {
                                    final Key k = c.getPublicKey();
                                    return () -> k;
                                }
                                if (first == null)
                                    first = c;
                            }
            if (first == null)
                throw new KeySelectorException("no X509Certificate in KeyInfo");
            final Key k = first.getPublicKey();
            return () -> k;
        }
    }

    private static int verify(String path) throws Exception {
        Document doc = parse(path);
        registerIds(doc);
        NodeList sigs = doc.getElementsByTagNameNS(DSIG, "Signature");
        if (sigs.getLength() == 0) {
            System.out.println("no signature");
            return 1;
        }
        XMLSignatureFactory f = XMLSignatureFactory.getInstance("DOM");
        int bad = 0;
        for (int i = 0; i < sigs.getLength(); i++) {
            DOMValidateContext ctx = new DOMValidateContext(new CertKeySelector(), sigs.item(i));
            String why;
            try {
                XMLSignature s = f.unmarshalXMLSignature(ctx);
                boolean ok = s.validate(ctx);
                why = ok ? "valid" : "invalid (" + (s.getSignatureValue().validate(ctx) ? "a reference digest" : "the signature value") + ")";
            } catch (Exception e) {
                why = "invalid (" + e.getMessage() + ")";
            }
            if (!why.equals("valid"))
                bad++;
            System.out.println("signature " + (i + 1) + ": " + why);
        }
        return bad == 0 ? 0 : 1;
    }

    public static void main(String[] a) throws Exception {
        if (a.length >= 5 && a[0].equals("sign")) {
            sign(a);
            return;
        }
        if (a.length == 2 && a[0].equals("verify"))
            System.exit(verify(a[1]));
        System.err.println("usage: XmlSigTool sign IN OUT P12 PASSWORD [REF-ID PARENT] | verify IN");
        System.exit(64);
    }
}
