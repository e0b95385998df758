package vn.vbsig;

import java.lang.ref.Reference;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** One signature of a {@link Report}; valid while the report is open. */
public final class Signature {
    /** Vietnam's time, in which reports state times. */
    public static final ZoneOffset VN = ZoneOffset.ofHours(7);
    private static final int TIME_SIGNING = 0;
    private static final int TIME_CLAIMED = 1;
    private static final int TIME_VALIDATION = 2;

    private final Report report;
    private final SizeT index;

    Signature(Report report, long index) {
        this.report = report;
        this.index = new SizeT(index);
    }

    public Indication status() {
        try {
            return Indication.of(Lib.V.vbsig_report_signature_indication(report.ptr(), index));
        } finally {
            Reference.reachabilityFence(report);
        }
    }

    /** ETSI's subindication (e.g. "HASH_FAILURE"), null when TOTAL_PASSED. */
    public String subindication() {
        try {
            return Lib.V.vbsig_report_signature_subindication(report.ptr(), index);
        } finally {
            Reference.reachabilityFence(report);
        }
    }

    /** The level reached, e.g. "B-LTA". */
    public String level() {
        try {
            return Lib.V.vbsig_report_signature_level(report.ptr(), index);
        } finally {
            Reference.reachabilityFence(report);
        }
    }

    public String digestAlgorithm() {
        try {
            return Lib.V.vbsig_report_signature_digest_algorithm(report.ptr(), index);
        } finally {
            Reference.reachabilityFence(report);
        }
    }

    public SignerInfo signer() {
        report.ptr();
        return new SignerInfo(report, index);
    }

    /** The time a timestamp proves, at +07:00; null without a timestamp. */
    public OffsetDateTime signingTime() {
        return time(TIME_SIGNING);
    }

    /** The time the signature claims (its signer's clock: it proves nothing), at +07:00. */
    public OffsetDateTime claimedTime() {
        return time(TIME_CLAIMED);
    }

    /** When the validation was made for. */
    public OffsetDateTime validationTime() {
        return time(TIME_VALIDATION);
    }

    public boolean hasTimestamp() {
        try {
            return Lib.V.vbsig_report_signature_has_timestamp(report.ptr(), index) == 1;
        } finally {
            Reference.reachabilityFence(report);
        }
    }

    /** What a person reads about this signature, in the messages' language. */
    public List<String> messages() {
        try {
            long n = Lib.V.vbsig_report_signature_message_count(report.ptr(), index).longValue();
            List<String> out = new ArrayList<>();
            for (long j = 0; j < n; j++) {
                out.add(Lib.V.vbsig_report_signature_message(report.ptr(), index, new SizeT(j)));
            }
            return out;
        } finally {
            Reference.reachabilityFence(report);
        }
    }

    private OffsetDateTime time(int which) {
        try {
            long t = Lib.V.vbsig_report_signature_time(report.ptr(), index, which);
            return t == 0 ? null : Instant.ofEpochSecond(t).atOffset(VN);
        } finally {
            Reference.reachabilityFence(report);
        }
    }
}
