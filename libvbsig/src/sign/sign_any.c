/* vbsig_sign_file: the format's own signing call, chosen by content. */
#include <stddef.h>
#include <string.h>

#include "util/util.h"
#include "vbsig/sign.h"

void vbsig_sign_opts_init(vbsig_sign_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->version = VBSIG_SIGN_OPTS_VERSION;
    opts->format = VBSIG_FORMAT_AUTO;
    opts->level = VBSIG_LEVEL_B_B;
}

int vbsig_sign_file(vbsig_ctx *ctx, vbsig_signer *signer, const vbsig_sign_opts *opts, const char *in_path,
                    const char *out_path, vbsig_format *format_out)
{
    vbsig_i18n_ensure();
    if (signer == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_sign_file", "signer");
    if (opts == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_sign_file", "opts");
    if (in_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_sign_file", "in_path");
    if (out_path == NULL)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: the argument '%s' is NULL"), "vbsig_sign_file", "out_path");
    if (opts->version != VBSIG_SIGN_OPTS_VERSION)
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: options must be set up with %s"), "vbsig_sign_file",
                          "vbsig_sign_opts_init");
    vbsig_format fmt = opts->format;
    int rc = VBSIG_OK;
    if (fmt == VBSIG_FORMAT_AUTO)
        rc = vbsig_detect_format_file(in_path, &fmt);
    if (rc != VBSIG_OK)
        return rc;
    const vbsig_tsp_opts *tsp = opts->level != VBSIG_LEVEL_B_B ? opts->tsp : NULL;
    switch (fmt) {
    case VBSIG_FORMAT_PADES: {
        vbsig_pades_sign_opts po;
        if (opts->pades != NULL)
            po = *opts->pades;
        else
            vbsig_pades_sign_opts_init(&po);
        po.level = opts->level;
        po.tsp = tsp;
        rc = vbsig_pades_sign_file(ctx, signer, &po, in_path, out_path);
        break;
    }
    case VBSIG_FORMAT_XADES: {
        vbsig_xml_sign_opts xo;
        vbsig_xml_sign_opts_init(&xo);
        if (opts->xml != NULL) {
            if (opts->xml->version != 1 && opts->xml->version != VBSIG_XML_SIGN_OPTS_VERSION)
                return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: options must be set up with %s"), "vbsig_sign_file",
                                  "vbsig_xml_sign_opts_init");
            memcpy(&xo, opts->xml, opts->xml->version == 1 ? offsetof(vbsig_xml_sign_opts, level) : sizeof xo);
            xo.version = VBSIG_XML_SIGN_OPTS_VERSION;
        }
        xo.level = opts->level;
        xo.tsp = tsp;
        rc = vbsig_xml_sign_file(ctx, signer, &xo, in_path, out_path);
        break;
    }
    case VBSIG_FORMAT_CADES: {
        vbsig_cades_sign_opts co;
        vbsig_cades_sign_opts_init(&co);
        if (opts->cades != NULL) {
            if (opts->cades->version != 1 && opts->cades->version != VBSIG_CADES_SIGN_OPTS_VERSION)
                return vbsig_fail(VBSIG_E_INVALID_ARG, _("%s: options must be set up with %s"), "vbsig_sign_file",
                                  "vbsig_cades_sign_opts_init");
            memcpy(&co, opts->cades,
                   opts->cades->version == 1 ? offsetof(vbsig_cades_sign_opts, level) : sizeof co);
            co.version = VBSIG_CADES_SIGN_OPTS_VERSION;
        }
        co.level = opts->level;
        co.tsp = tsp;
        rc = vbsig_cades_sign_file(ctx, signer, &co, in_path, out_path);
        break;
    }
    default:
        return vbsig_fail(VBSIG_E_INVALID_ARG, _("unknown document format %d"), (int)fmt);
    }
    if (rc == VBSIG_OK && format_out != NULL)
        *format_out = fmt;
    return rc;
}
