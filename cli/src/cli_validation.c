/* The validation options that `verify` and `extend` share (--trust, --chain,
 * --url-rewrite, --cache-dir, --config, --no-config, --no-aia): one parser
 * and one place that turns them into context settings, so both commands
 * read the same flags the same way. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_valid_args_init(cli_valid_args *a, int argc)
{
    memset(a, 0, sizeof *a);
    a->trust = calloc((size_t)argc + 1, sizeof *a->trust);
    a->rewrites = calloc((size_t)argc + 1, sizeof *a->rewrites);
    if (a->trust == NULL || a->rewrites == NULL) {
        cli_valid_args_free(a);
        return -1;
    }
    return 0;
}

void cli_valid_args_free(cli_valid_args *a)
{
    free(a->trust);
    free(a->rewrites);
    a->trust = NULL;
    a->rewrites = NULL;
}

int cli_valid_option(cli_valid_args *a, int c, const char *arg, const char *cmd)
{
    switch (c) {
    case 't': a->trust[a->trust_count++] = arg; return 1;
    case 'C': a->chain = arg; return 1;
    case 'W':
        if (strchr(arg, '=') == NULL || arg[0] == '=') {
            cli_usage_error(cmd, _("--url-rewrite needs FROM=TO, got '%s'"), arg);
            return -1;
        }
        a->rewrites[a->rewrite_count++] = arg;
        return 1;
    case 'K': a->cache_dir = arg; return 1;
    case 'F': a->config = arg; return 1;
    case 'N': a->no_config = 1; return 1;
    case 'A': a->no_aia = 1; return 1;
    default: return 0;
    }
}

int cli_load_default_config(vbsig_ctx *ctx, const char *named)
{
    if (named != NULL)
        return vbsig_ctx_load_config(ctx, named);
    char *path = vbsig_config_default_path();
    int rc = path != NULL ? vbsig_ctx_load_config(ctx, path) : VBSIG_OK;
    vbsig_free(path);
    return rc;
}

/* FROM=TO; the first '=' splits, since URLs rarely hold one before the path. */
static int add_rewrite(vbsig_ctx *ctx, const char *rule)
{
    const char *eq = strchr(rule, '=');
    char *from = strdup(rule);
    if (from == NULL || eq == NULL) {
        free(from);
        return vbsig_set_error(VBSIG_E_NOMEM, _("out of memory"));
    }
    from[eq - rule] = '\0';
    int rc = vbsig_ctx_add_url_rewrite(ctx, from, eq + 1);
    free(from);
    return rc;
}

int cli_valid_apply(vbsig_ctx *ctx, const cli_valid_args *a)
{
    int rc = VBSIG_OK;
    /* The config file first: every option given on the command line wins. */
    if (!a->no_config)
        rc = cli_load_default_config(ctx, a->config);
    if (rc == VBSIG_OK && a->no_aia)
        rc = vbsig_ctx_set_aia(ctx, 0);
    if (rc == VBSIG_OK && a->cache_dir != NULL)
        rc = vbsig_ctx_set_cache_dir(ctx, a->cache_dir);
    for (int i = 0; rc == VBSIG_OK && i < a->rewrite_count; i++)
        rc = add_rewrite(ctx, a->rewrites[i]);
    for (int i = 0; rc == VBSIG_OK && i < a->trust_count; i++)
        rc = vbsig_ctx_add_trust(ctx, a->trust[i]);
    if (rc == VBSIG_OK && a->chain != NULL)
        rc = vbsig_ctx_add_intermediates(ctx, a->chain);
    return rc;
}
