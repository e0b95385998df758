package vn.vbsig;

/** The baseline level a signature is made to (ETSI): the C enum's order. */
public enum Level {
    B_B("B-B"), B_T("B-T"), B_LT("B-LT"), B_LTA("B-LTA");

    private final String label;

    Level(String label) {
        this.label = label;
    }

    /** "B-LTA" and so on, as reports and the CLI write it. */
    public String label() {
        return label;
    }
}
