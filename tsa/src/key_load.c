/* The TSA's key, certificate and chain: a PEM or DER private key with
 * --cert, a PKCS#12 file, or a pkcs11: URI (one login; the bridge's session
 * pool serves the worker threads). Each ends up as a vbsig_signer holding
 * its certificate and chain, made by the library's constructors. */
#include <stdlib.h>
#include <string.h>

#include "tsa.h"
#include "vbsig/pkcs11.h"

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* A key on a token: the certificate from --cert if given (the bridge
 * checks it belongs to the key), else the token's certificate with the
 * key's CKA_ID. The PIN is asked for once; a wrong one ends here. */
static int load_pkcs11(tsa_keys *k, const tsa_config *c)
{
    vbsig_pkcs11_opts opts;
    vbsig_pkcs11_opts_init(&opts);
    opts.module = c->module;
    /* The environment as the server's defaults, as for the vbsig command
     * (the bridge itself reads none). */
    const char *env_module = getenv("VBSIG_PKCS11_MODULE");
    if (opts.module == NULL && env_module != NULL && env_module[0] != '\0' && strstr(c->key, "module-path=") == NULL)
        opts.module = env_module;
    const char *env_ms = getenv("VBSIG_PKCS11_TIMEOUT_MS");
    unsigned long ms = env_ms != NULL ? strtoul(env_ms, NULL, 10) : 0;
    if (ms > 0 && ms <= 3600000)
        opts.timeout_ms = (unsigned)ms;
    opts.pin_source = c->pin;
    opts.cert_path = c->cert;
    return vbsig_signer_from_pkcs11(&k->signer, NULL, c->key, &opts);
}

/* A PKCS#12 file (by its name, or when no --cert is given, as the vbsig
 * command decides), else a private key file with --cert. */
static int load_key_file(tsa_keys *k, const tsa_config *c)
{
    if (has_suffix(c->key, ".p12") || has_suffix(c->key, ".pfx") || c->cert == NULL) {
        int rc = vbsig_signer_from_pkcs12(&k->signer, c->key, c->pass);
        if (rc == VBSIG_E_MALFORMED && c->cert == NULL)
            return tsa_fail(VBSIG_E_INVALID_ARG, _("%s: no certificate: give --cert FILE"), c->key);
        return rc;
    }
    return vbsig_signer_from_key_file(&k->signer, c->key, c->pass, c->cert);
}

int tsa_keys_load(tsa_keys *k, const tsa_config *c)
{
    memset(k, 0, sizeof *k);
    int rc = strncmp(c->key, "pkcs11:", 7) == 0 ? load_pkcs11(k, c) : load_key_file(k, c);
    /* The issuer leaves self-signed roots out of the tokens it ships. */
    if (rc == VBSIG_OK && c->chain != NULL)
        rc = vbsig_signer_add_chain_file(k->signer, c->chain);
    if (rc == VBSIG_OK)
        rc = vbsig_signer_validity(k->signer, &k->not_before, &k->not_after);
    if (rc != VBSIG_OK)
        tsa_keys_free(k);
    return rc;
}

void tsa_keys_free(tsa_keys *k)
{
    vbsig_signer_free(k->signer);
    memset(k, 0, sizeof *k);
}
