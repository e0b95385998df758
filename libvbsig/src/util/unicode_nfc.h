/* Unicode Normalization Form C for Latin text (UAX #15): every Vietnamese
 * letter, written precomposed or as a base letter with combining marks in
 * any canonical order, comes out as its one precomposed code point, so text
 * compares by bytes. The compositions are those of U+00C0–U+024F and
 * U+1E00–U+1EFF (unicode_nfc_table.h); other scripts pass through
 * unchanged (canonical reordering of their marks included), which is all
 * NFC would do to them as long as they hold no precomposed letters from
 * outside these blocks. No dependency: the library links no ICU. */
#ifndef VBSIG_UNICODE_NFC_H
#define VBSIG_UNICODE_NFC_H

#include <stddef.h>
#include <stdint.h>

/* In place over code points; returns the new count (never more than n). */
size_t vbsig_nfc_cps(uint32_t *cps, size_t n);
/* UTF-8 in, UTF-8 out (malloc'ed, NUL-terminated); invalid bytes become
 * U+FFFD. NULL when out of memory. */
char *vbsig_nfc_utf8(const char *s, size_t len, size_t *out_len);
/* Code points to UTF-8 appended at out (which has room for 4 bytes per
 * code point); returns the bytes written. */
size_t vbsig_utf8_put(uint32_t cp, char *out);

#endif
