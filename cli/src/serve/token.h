/* The token side of signing requests (ep_token.c). */
#ifndef VBSIG_SERVE_TOKEN_H
#define VBSIG_SERVE_TOKEN_H
#include "serve.h"

typedef struct serve_cert {
    char key_uri[512], subject[512], token[128];
} serve_cert;

/* The certificate the page names by id (GET /v1/certificates). */
int serve_token_find(serve_req *r, const char *id, serve_cert *out);
/* The consent dialog: origin, signer, every document's name and SHA-256. */
int serve_consent(serve_req *r, const serve_cert *c, const char *const *names, const char *const *digests, size_t n);
/* The signer; the PIN is asked through pinentry at login (or on the PIN pad). */
int serve_token_signer(serve_req *r, const serve_cert *c, vbsig_signer **out);
/* One signing operation per token; others wait up to the timeout. */
int serve_token_acquire(serve_req *r, const char *token);
void serve_token_release(const char *token);
#endif
