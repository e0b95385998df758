// A third XML signature implementation for the cross-producer tests:
// xml-crypto (npm), installed by scripts/install-deps.sh.
//   node xml_crypto_tool.js sign IN OUT KEY.pem CERT.pem [REF-ELEMENT PARENT-ELEMENT]
//     enveloped RSA-SHA256, exclusive C14N; without REF-ELEMENT over the whole
//     document (URI=""), appended to the root; with it over the element's Id
//     (#…), put in the first PARENT-ELEMENT
//   node xml_crypto_tool.js verify IN
//     every ds:Signature checked with the end-entity certificate of its own
//     KeyInfo (trust is the caller's business here); prints
//     "signature N: valid|invalid (…)", exit 0 only when all are valid
'use strict';
const fs = require('fs');
const { SignedXml } = require('xml-crypto');
const { DOMParser } = require('@xmldom/xmldom');
const xpath = require('xpath');
const { X509Certificate } = require('crypto');

// The signer's certificate from KeyInfo: the one that is not a CA's (a
// KeyInfo may carry the whole chain, as xmlsec1 writes it).
function signerCert(sigNode) {
  const certs = xpath.select(".//*[local-name(.)='X509Certificate']", sigNode);
  let first = null;
  for (const c of certs) {
    const b64 = c.textContent.replace(/\s+/g, '');
    const pem = '-----BEGIN CERTIFICATE-----\n' + b64.match(/.{1,64}/g).join('\n') + '\n-----END CERTIFICATE-----\n';
    if (first === null) first = pem;
    if (!new X509Certificate(pem).ca) return pem;
  }
  if (first === null) throw new Error('no X509Certificate in KeyInfo');
  return first;
}

const C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const byName = (n) => "//*[local-name(.)='" + n + "']";

function sign(a) {
  const xml = fs.readFileSync(a[1], 'utf8');
  const sx = new SignedXml({
    privateKey: fs.readFileSync(a[3]),
    publicCert: fs.readFileSync(a[4]),
    canonicalizationAlgorithm: C14N,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  const ref = a[5] !== undefined;
  sx.addReference({
    xpath: ref ? byName(a[5]) : '/*',
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: [ENVELOPED, C14N],
    isEmptyUri: !ref,
  });
  sx.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: ref ? byName(a[6]) : '/*', action: 'append' },
  });
  fs.writeFileSync(a[2], sx.getSignedXml());
}

function verify(a) {
  const xml = fs.readFileSync(a[1], 'utf8');
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const sigs = xpath.select(
    "//*[local-name(.)='Signature' and namespace-uri(.)='http://www.w3.org/2000/09/xmldsig#']", doc);
  if (sigs.length === 0) {
    console.log('no signature');
    return 1;
  }
  let bad = 0;
  sigs.forEach((node, i) => {
    let why;
    try {
      const sx = new SignedXml({ publicCert: signerCert(node) });
      sx.loadSignature(node);
      why = sx.checkSignature(xml) ? 'valid' : 'invalid';
    } catch (e) {
      why = 'invalid (' + e.message + ')';
    }
    if (why !== 'valid') bad++;
    console.log('signature ' + (i + 1) + ': ' + why);
  });
  return bad === 0 ? 0 : 1;
}

const a = process.argv.slice(2);
if (a[0] === 'sign' && a.length >= 5) sign(a);
else if (a[0] === 'verify' && a.length === 2) process.exit(verify(a));
else {
  console.error('usage: xml_crypto_tool.js sign IN OUT KEY CERT [REF PARENT] | verify IN');
  process.exit(64);
}
