package vn.vbsig;

import java.lang.ref.Reference;

/** Fields of a signer's certificate as Vietnamese CAs write them (CN, O, title, MST:, CCCD:). */
public final class SignerInfo {
    private final Report report;
    private final SizeT index;

    SignerInfo(Report report, SizeT index) {
        this.report = report;
        this.index = index;
    }

    private String field(int f) {
        try {
            return Lib.V.vbsig_report_signer_field(report.ptr(), index, f);
        } finally {
            Reference.reachabilityFence(report);
        }
    }

    /** The subject as one RFC 4514 string. */
    public String subject() {
        return field(0);
    }

    public String issuer() {
        return field(1);
    }

    public String serial() {
        return field(2);
    }

    public String commonName() {
        return field(4);
    }

    public String organization() {
        return field(5);
    }

    public String title() {
        return field(6);
    }

    /** Mã số thuế (the organisation's tax code, "MST:"). */
    public String taxCode() {
        return field(7);
    }

    /** Căn cước (the person's identity number, "CCCD:"). */
    public String idNumber() {
        return field(8);
    }

    /** Mã quan hệ ngân sách ("MNS:"). */
    public String budgetCode() {
        return field(9);
    }

    @Override
    public String toString() {
        return "SignerInfo(" + subject() + ")";
    }
}
