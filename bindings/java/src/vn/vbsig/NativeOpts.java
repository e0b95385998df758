package vn.vbsig;

import com.sun.jna.StringArray;

/**
 * The C option structs for one call and everything they point to, kept
 * reachable together until the call returns.
 */
final class NativeOpts {
    final Structs.SignOpts sign = new Structs.SignOpts();
    final Structs.CadesSignOpts cades = new Structs.CadesSignOpts();
    final Structs.PadesSignOpts pades = new Structs.PadesSignOpts();
    final Structs.XmlSignOpts xml = new Structs.XmlSignOpts();
    private Structs.TspOpts tsp;
    private StringArray urls;

    NativeOpts(SignOptions o) {
        int level = o.level().ordinal();
        if (!o.tsa().isEmpty()) {
            tsp = new Structs.TspOpts();
            Lib.V.vbsig_tsp_opts_init(tsp);
            urls = new StringArray(o.tsa().toArray(new String[0]), Lib.ENCODING);
            tsp.urls = urls;
            tsp.url_count = new SizeT(o.tsa().size());
            tsp.write();
        }
        com.sun.jna.Pointer t = tsp == null ? null : tsp.getPointer();
        Lib.V.vbsig_cades_sign_opts_init(cades);
        cades.detached = o.detached() ? 1 : 0;
        cades.level = level;
        cades.tsp = t;
        cades.write();
        Lib.V.vbsig_pades_sign_opts_init(pades);
        pades.level = level;
        pades.tsp = t;
        pades.reason = o.reason();
        pades.location = o.location();
        pades.write();
        Lib.V.vbsig_xml_sign_opts_init(xml);
        xml.level = level;
        xml.tsp = t;
        xml.write();
        Lib.V.vbsig_sign_opts_init(sign);
        sign.format = o.format().ordinal();
        sign.level = level;
        sign.tsp = t;
        sign.cades = cades.getPointer();
        sign.pades = pades.getPointer();
        sign.xml = xml.getPointer();
        sign.write();
    }
}
