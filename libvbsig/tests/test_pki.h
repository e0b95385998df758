/* Paths into the test PKI that test-vectors/gen-pki.sh makes (the ctest
 * fixture "pki"), for unit tests that need real keys and certificates. */
#ifndef VBSIG_TEST_PKI_H
#define VBSIG_TEST_PKI_H

#include <stdio.h>
#include <stdlib.h>

/* Returns a static path "<VBSIG_TEST_PKI>/<rel>"; each call overwrites the
 * one before it unless a different slot is used. */
static inline const char *pki_path_slot(int slot, const char *rel)
{
    static char buf[4][4096];
    const char *root = getenv("VBSIG_TEST_PKI");
    snprintf(buf[slot & 3], sizeof buf[0], "%s/%s", root != NULL ? root : "test-pki", rel);
    return buf[slot & 3];
}
#define pki_path(rel) pki_path_slot(0, rel)
#define pki_path2(rel) pki_path_slot(1, rel)

#endif
