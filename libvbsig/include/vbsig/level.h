/* The ETSI baseline levels every format signs and extends to. */
#ifndef VBSIG_LEVEL_H
#define VBSIG_LEVEL_H

#ifdef __cplusplus
extern "C" {
#endif

/* ETSI baseline levels. B-T adds a signature timestamp from a TSA. B-LT
 * and B-LTA add validation data (and an archive timestamp) to a B-T
 * signature: every format's signing options take every level (the library
 * signs at B-T, then extends as vbsig_cades_extend, vbsig_xml_extend and
 * vbsig_pades_extend_file do), and existing signatures are extended with
 * those calls. B-LT and B-LTA need a context with the trust anchors and
 * revocation sources, and a TSA. */
typedef enum vbsig_level {
    VBSIG_LEVEL_B_B = 0,
    VBSIG_LEVEL_B_T = 1,
    VBSIG_LEVEL_B_LT = 2,  /* + certificate and revocation values */
    VBSIG_LEVEL_B_LTA = 3  /* + an archive timestamp over all of it */
} vbsig_level;

#ifdef __cplusplus
}
#endif
#endif
