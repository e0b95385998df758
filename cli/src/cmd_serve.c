/* vbsig serve: the local REST shim (options, config, start), and
 * `vbsig serve pairings list|remove ORIGIN`. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "serve/serve.h"

static int pairings_cmd(int argc, char **argv, const char *path)
{
    if (path == NULL)
        return cli_usage_error("serve", _("no pairing store: set XDG_CONFIG_HOME or HOME"));
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return serve_pairings_list(path, stdout) == 0 ? 0 : EXIT_NOINPUT;
    if (argc == 3 && strcmp(argv[1], "remove") == 0) {
        int rc = serve_pairings_remove(path, argv[2]);
        if (rc == 1) {
            fprintf(stderr, _("vbsig: serve: %s is not paired\n"), argv[2]);
            return EXIT_USAGE;
        }
        return rc == 0 ? 0 : EXIT_CANTCREAT;
    }
    return cli_usage_error("serve", _("usage: vbsig serve pairings list | remove ORIGIN"));
}

/* https://host[:port] (http only for loopback test pages), lower case, no path. */
static int origin_ok(const char *o)
{
    if (strncmp(o, "https://", 8) != 0 && strncmp(o, "http://localhost", 16) != 0 && strncmp(o, "http://127.0.0.1", 16) != 0)
        return 0;
    const char *host = strstr(o, "://") + 3;
    if (*host == '\0' || strchr(host, '/') != NULL || strchr(host, '*') != NULL)
        return 0;
    for (const char *p = o; *p; p++)
        if ((*p >= 'A' && *p <= 'Z') || *p <= ' ')
            return 0;
    return 1;
}

static int parse_listen(serve_cfg *cfg, const char *v)
{
    const char *colon = strrchr(v, ':');
    const char *port = colon != NULL ? colon + 1 : v;
    char *end = NULL;
    unsigned long p = strtoul(port, &end, 10);
    if (end == port || *end != '\0' || p > 65535)
        return -1;
    cfg->port = (unsigned short)p;
    if (colon == NULL || (colon - v == 9 && strncmp(v, "localhost", 9) == 0)) {
        cfg->want_v4 = cfg->want_v6 = 1;
    } else if (colon - v == 9 && strncmp(v, "127.0.0.1", 9) == 0) {
        cfg->want_v4 = 1;
        cfg->want_v6 = 0;
    } else if (colon - v == 5 && strncmp(v, "[::1]", 5) == 0) {
        cfg->want_v4 = 0;
        cfg->want_v6 = 1;
    } else {
        return -1; /* loopback only */
    }
    return 0;
}

static char *keep(serve_state *st, const char *s)
{
    if (st->owned_count >= sizeof st->owned / sizeof st->owned[0])
        return NULL;
    return st->owned[st->owned_count++] = strdup(s);
}

static int add_origin(serve_state *st, const char *o)
{
    if (!origin_ok(o))
        return cli_usage_error("serve", _("'%s' is not an origin vbsig serve accepts (https://host[:port]; never *, null or a path)"), o);
    if (st->cfg.origin_count >= SERVE_MAX_ORIGINS)
        return cli_usage_error("serve", _("too many allowed origins"));
    st->cfg.origins[st->cfg.origin_count++] = o;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    char *pairings = serve_pairings_default_path();
    if (argc >= 2 && strcmp(argv[1], "pairings") == 0) {
        const char *p = getenv("VBSIG_PAIRINGS");
        int code = pairings_cmd(argc - 1, argv + 1, p != NULL ? p : pairings);
        free(pairings);
        return code;
    }
    static const struct option longopts[] = {
        {"listen", required_argument, NULL, 'l'}, {"allow-origin", required_argument, NULL, 'o'},
        {"pinentry", required_argument, NULL, 'p'}, {"module", required_argument, NULL, 'M'},
        {"config", required_argument, NULL, 'F'}, {"no-config", no_argument, NULL, 'N'},
        {"trust", required_argument, NULL, 't'}, {"tsa", required_argument, NULL, 'T'},
        {"max-body", required_argument, NULL, 'b'}, {"timeout", required_argument, NULL, 'w'},
        {"audit-log", required_argument, NULL, 'a'}, {"pairings", required_argument, NULL, 'P'},
        {"lang", required_argument, NULL, 'L'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    static serve_state st;
    memset(&st, 0, sizeof st);
    serve_cfg *cfg = &st.cfg;
    cfg->port = SERVE_DEFAULT_PORT;
    cfg->want_v4 = cfg->want_v6 = 1;
    cfg->pinentry = "pinentry";
    cfg->max_body = SERVE_DEFAULT_MAX_BODY;
    cfg->timeout_s = 120;
    cfg->pairings_path = pairings;
    cfg->trust = calloc((size_t)argc + 1, sizeof *cfg->trust);
    const char *listen = NULL, *pinentry = NULL, *module = NULL, *max_body = NULL, *timeout = NULL;
    int c, code = 0;
    optind = 1;
    opterr = 0;
    while (code == 0 && (c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l': listen = optarg; break;
        case 'o': code = add_origin(&st, optarg); break;
        case 'p': pinentry = optarg; break;
        case 'M': module = optarg; break;
        case 'F': cfg->config = optarg; break;
        case 'N': cfg->no_config = 1; break;
        case 't': cfg->trust[cfg->trust_count++] = optarg; break;
        case 'T':
            if (cfg->tsa_count < SERVE_MAX_TSA)
                cfg->tsa[cfg->tsa_count++] = optarg;
            break;
        case 'b': max_body = optarg; break;
        case 'w': timeout = optarg; break;
        case 'a': cfg->audit_path = optarg; break;
        case 'P': cfg->pairings_path = optarg; break;
        case 'L': break;
        case 'h': cli_print_help("serve", stdout); free(cfg->trust); free(pairings); return 0;
        default: code = cli_usage_error("serve", _("unknown or incomplete option '%s'"), argv[optind - 1]);
        }
    }
    if (code == 0 && optind < argc)
        code = cli_usage_error("serve", _("unexpected argument '%s'"), argv[optind]);
    int rc = code == 0 ? vbsig_ctx_new(&st.ctx) : VBSIG_OK;
    if (code == 0 && rc == VBSIG_OK)
        rc = cli_network_defaults(st.ctx);
    if (code == 0 && rc == VBSIG_OK && !cfg->no_config)
        rc = cli_load_default_config(st.ctx, cfg->config);
    for (size_t i = 0; code == 0 && rc == VBSIG_OK && i < cfg->trust_count; i++)
        rc = vbsig_ctx_add_trust(st.ctx, cfg->trust[i]);
    if (code == 0 && rc != VBSIG_OK)
        code = cli_fail(rc, "serve");
    /* The command line wins over the config file's [serve] section;
     * allowed origins add up. */
    const char *v;
    for (size_t i = 0; code == 0 && (v = vbsig_ctx_config_serve(st.ctx, "allow-origin", i)) != NULL; i++)
        code = add_origin(&st, keep(&st, v));
    if (code == 0 && listen == NULL && (v = vbsig_ctx_config_serve(st.ctx, "listen", 0)) != NULL)
        listen = keep(&st, v);
    if (code == 0 && pinentry == NULL && (v = vbsig_ctx_config_serve(st.ctx, "pinentry", 0)) != NULL)
        pinentry = keep(&st, v);
    if (code == 0 && module == NULL && (v = vbsig_ctx_config_serve(st.ctx, "module", 0)) != NULL)
        module = keep(&st, v);
    if (code == 0 && max_body == NULL && (v = vbsig_ctx_config_serve(st.ctx, "max-body", 0)) != NULL)
        max_body = keep(&st, v);
    if (code == 0 && timeout == NULL && (v = vbsig_ctx_config_serve(st.ctx, "timeout", 0)) != NULL)
        timeout = keep(&st, v);
    if (code == 0 && listen != NULL && parse_listen(cfg, listen) != 0)
        code = cli_usage_error("serve", _("--listen takes PORT, 127.0.0.1:PORT, [::1]:PORT or localhost:PORT (loopback only)"));
    if (pinentry != NULL)
        cfg->pinentry = pinentry;
    cfg->module = module;
    if (code == 0 && max_body != NULL) {
        char *end = NULL;
        unsigned long long b = strtoull(max_body, &end, 10);
        if (end == max_body || (*end != '\0' && strcasecmp(end, "M") != 0) || b == 0)
            code = cli_usage_error("serve", _("--max-body takes a number of bytes (or of MiB with M)"));
        cfg->max_body = *end != '\0' ? b * 1024 * 1024 : b;
    }
    if (code == 0 && timeout != NULL) {
        long t = strtol(timeout, NULL, 10);
        if (t < 1 || t > 3600)
            code = cli_usage_error("serve", _("--timeout takes 1 to 3600 seconds"));
        cfg->timeout_s = (unsigned)t;
    }
    if (code == 0 && cfg->origin_count == 0)
        code = cli_usage_error("serve", _("no allowed origin: give --allow-origin ORIGIN or allow-origin in [serve]"));
    if (code == 0 && cfg->pairings_path == NULL)
        code = cli_usage_error("serve", _("no pairing store: set XDG_CONFIG_HOME or HOME"));
    char audit_default[4096];
    if (code == 0 && cfg->audit_path == NULL) {
        const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
        if (state != NULL && state[0] == '/')
            snprintf(audit_default, sizeof audit_default, "%s/vbsig/serve-audit.log", state);
        else
            snprintf(audit_default, sizeof audit_default, "%s/.local/state/vbsig/serve-audit.log", home ? home : "/tmp");
        cfg->audit_path = audit_default;
    }
    if (code == 0 && serve_audit_open(cfg) != 0) {
        fprintf(stderr, _("vbsig: serve: cannot open the audit log %s\n"), cfg->audit_path);
        code = EXIT_CANTCREAT;
    }
    if (code == 0) {
        /* Per-request language (problem.c): the catalogue is Vietnamese for
         * a thread under C.UTF-8 and English under C. */
        const char *lang = getenv("LANGUAGE");
        cfg->user_vi = lang != NULL && strncmp(lang, "vi", 2) == 0;
        setenv("LANGUAGE", "vi", 1);
        st.loc_en = newlocale(LC_ALL_MASK, "C", (locale_t)0);
        st.loc_vi = newlocale(LC_ALL_MASK, "C.UTF-8", (locale_t)0);
        if (st.loc_vi == (locale_t)0)
            st.loc_vi = newlocale(LC_ALL_MASK, "C.utf8", (locale_t)0);
        if (st.loc_en == (locale_t)0 || st.loc_vi == (locale_t)0) {
            fprintf(stderr, "vbsig: serve: no C.UTF-8 locale\n");
            code = EXIT_SOFTWARE;
        }
    }
    if (code == 0) {
        serve_lang_enter(&st, cfg->user_vi);
        code = serve_run(&st);
        uselocale(LC_GLOBAL_LOCALE);
        serve_audit_close();
    }
    if (st.loc_en != (locale_t)0)
        freelocale(st.loc_en);
    if (st.loc_vi != (locale_t)0)
        freelocale(st.loc_vi);
    vbsig_ctx_free(st.ctx);
    for (size_t i = 0; i < st.owned_count; i++)
        free(st.owned[i]);
    free(cfg->trust);
    free(pairings);
    return code;
}
