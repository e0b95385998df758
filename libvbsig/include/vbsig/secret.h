/* Passwords and PINs from the sources every vbsig front door accepts. */
#ifndef VBSIG_SECRET_H
#define VBSIG_SECRET_H

#include "vbsig/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads a secret from an OpenSSL-style source: "pass:TEXT", "env:VAR",
 * "file:PATH" (first line, without its end-of-line) or "fd:N" (first line).
 * NULL or "" prompts on the controlling terminal with echo off, showing
 * `prompt`; without a terminal that is VBSIG_E_INVALID_ARG. Lines longer
 * than 1 KiB are refused (VBSIG_E_LIMIT). The result is malloc'ed: wipe and
 * free it with vbsig_secret_free() as soon as it has been used. */
VBSIG_API int vbsig_secret_read(const char *source, const char *prompt, char **out);
VBSIG_API void vbsig_secret_free(char *secret);

#ifdef __cplusplus
}
#endif
#endif
