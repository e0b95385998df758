/* A private key on a token, as a vbsig signer implementation. */
#ifndef VBSIG_P11_KEY_H
#define VBSIG_P11_KEY_H

#include "p11.h"

/* Idle sessions kept for reuse; threads beyond this open and close their own. */
#define P11_POOL_MAX 64

typedef struct p11_key {
    p11_module *m;
    CK_SLOT_ID slot;
    char *token_label;
    CK_SESSION_HANDLE login_session; /* held open: the login lives as long as it does */
    CK_OBJECT_HANDLE key;
    CK_KEY_TYPE key_type;
    int always_auth;
    p11_pin_source pins; /* where to ask again (always-authenticate keys, re-insertion); never a PIN */
    p11_uri uri;         /* what to find again after the token comes back */
    uint8_t *cert;       /* the signer's certificate: a re-inserted token must hold its key */
    size_t cert_len;
    pthread_mutex_t recover_lock; /* one thread at a time finds the token again */
    pthread_mutex_t lock; /* guards the pool and `removed` */
    CK_SESSION_HANDLE idle[P11_POOL_MAX];
    size_t idle_n;
    int removed;
} p11_key;

int p11_key_sign(void *impl, const vbsig_sign_request *req, uint8_t *sig, size_t *sig_len);
/* After a removal: finds the token again, logs in again, finds the key
 * again (the recovery libp11 0.4.12 lacks). VBSIG_E_TOKEN_REMOVED while the
 * token is still away. */
int p11_key_recover(p11_key *k);
void p11_key_free(void *impl);

#endif
