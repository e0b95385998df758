package vn.vbsig;

/** The signature format (AUTO: the document's own: PDF → PAdES, XML → XAdES, else CAdES). */
public enum Format {
    AUTO, CADES, PADES, XADES;

    static Format of(int c) {
        return c >= 0 && c < values().length ? values()[c] : AUTO;
    }
}
