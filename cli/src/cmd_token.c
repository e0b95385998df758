/* vbsig token list | certs | watch: what the PKCS#11 module and the card
 * readers show, as text for people or JSON for scripts. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <vbsig/pkcs11.h>

#include "cli.h"

typedef struct token_args {
    const char *module, *pin, *uri;
    int json;
    long count;          /* watch: stop after this many events (0 = no limit) */
    unsigned timeout_ms; /* watch: stop after this long (0 = no limit) */
} token_args;

/* A JSON string literal (token labels and subjects are UTF-8 from the token,
 * so control characters are escaped and everything else passes). */
static void json_str(FILE *out, const char *s)
{
    if (s == NULL) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

/* ,"key":"value" — one member after the first of a JSON object. */
static void json_member(FILE *out, const char *key, const char *value)
{
    fprintf(out, ",\"%s\":", key);
    json_str(out, value);
}

static const char *yes(int b)
{
    return b ? "true" : "false";
}

/* A context holding the environment's PKCS#11 defaults (module, time bound). */
static vbsig_ctx *token_ctx(void)
{
    vbsig_ctx *ctx = NULL;
    if (vbsig_ctx_new(&ctx) == VBSIG_OK && cli_network_defaults(ctx) == VBSIG_OK)
        return ctx;
    vbsig_ctx_free(ctx);
    return NULL;
}

static int token_list(const token_args *a)
{
    vbsig_pkcs11_token *list = NULL;
    size_t n = 0;
    vbsig_ctx *ctx = token_ctx();
    int rc = vbsig_pkcs11_list_tokens(ctx, a->module, &list, &n);
    vbsig_ctx_free(ctx);
    if (rc != VBSIG_OK)
        return cli_fail(rc, _("token list"));
    if (a->json) {
        printf("{\"tokens\":[");
        for (size_t i = 0; i < n; i++) {
            const vbsig_pkcs11_token *t = &list[i];
            printf("%s{\"slot\":%lu,\"slot_description\":", i ? "," : "", t->slot_id);
            json_str(stdout, t->slot_description);
            printf(",\"present\":%s", yes(t->token_present));
            if (t->token_present) {
                json_member(stdout, "label", t->label);
                json_member(stdout, "manufacturer", t->manufacturer);
                json_member(stdout, "model", t->model);
                json_member(stdout, "serial", t->serial);
                json_member(stdout, "uri", t->uri);
                printf(",\"flags\":{\"initialized\":%s,\"login_required\":%s,\"pin_pad\":%s,\"pin_count_low\":%s,"
                       "\"pin_final_try\":%s,\"pin_locked\":%s}",
                       yes(t->initialized), yes(t->login_required), yes(t->pin_pad), yes(t->pin_count_low),
                       yes(t->pin_final_try), yes(t->pin_locked));
            }
            printf("}");
        }
        printf("]}\n");
    } else {
        for (size_t i = 0; i < n; i++) {
            const vbsig_pkcs11_token *t = &list[i];
            printf(_("Slot %lu: %s\n"), t->slot_id, t->slot_description);
            if (!t->token_present) {
                printf(_("  no token\n"));
                continue;
            }
            if (!t->initialized) {
                printf(_("  a token that is not initialised\n"));
                continue;
            }
            printf(_("  Token:        %s\n  Manufacturer: %s\n  Model:        %s\n  Serial:       %s\n"), t->label,
                   t->manufacturer, t->model, t->serial);
            printf(_("  PIN:          %s%s%s%s%s\n"), t->login_required ? _("required") : _("not required"),
                   t->pin_pad ? _(", PIN pad") : "", t->pin_count_low ? _(", few tries left") : "",
                   t->pin_final_try ? _(", final try") : "", t->pin_locked ? _(", LOCKED") : "");
            printf("  URI:          %s\n", t->uri);
        }
    }
    vbsig_pkcs11_tokens_free(list, n);
    return 0;
}

static int token_certs(const token_args *a)
{
    vbsig_pkcs11_object *list = NULL;
    size_t n = 0;
    vbsig_ctx *ctx = token_ctx();
    int rc = vbsig_pkcs11_list_objects(ctx, a->module, a->uri, a->pin, &list, &n);
    vbsig_ctx_free(ctx);
    if (rc != VBSIG_OK)
        return cli_fail(rc, _("token certs"));
    if (a->json) {
        printf("{\"objects\":[");
        for (size_t i = 0; i < n; i++) {
            const vbsig_pkcs11_object *o = &list[i];
            printf("%s{\"token\":", i ? "," : "");
            json_str(stdout, o->token_label);
            json_member(stdout, "type", o->kind);
            json_member(stdout, "label", o->label);
            json_member(stdout, "id", o->id_hex);
            json_member(stdout, "subject", o->subject);
            json_member(stdout, "key_type", o->key_type);
            json_member(stdout, "uri", o->uri);
            printf("}");
        }
        printf("]}\n");
    } else {
        for (size_t i = 0; i < n; i++) {
            const vbsig_pkcs11_object *o = &list[i];
            printf("%-8s %-20s id=%s %s\n  %s\n", o->kind, o->label, o->id_hex,
                   o->subject != NULL ? o->subject : o->key_type != NULL ? o->key_type : "", o->uri);
        }
    }
    vbsig_pkcs11_objects_free(list, n);
    return 0;
}

typedef struct watch_run {
    const token_args *a;
    long seen;
} watch_run;

static int on_event(void *data, vbsig_reader_event_kind kind, const char *reader, const char *atr)
{
    watch_run *w = data;
    static const char *const names[] = {"", "reader-added", "reader-removed", "card-inserted", "card-removed"};
    const char *name = kind >= 1 && kind <= 4 ? names[kind] : "unknown";
    if (w->a->json) {
        printf("{\"event\":\"%s\",\"reader\":", name);
        json_str(stdout, reader);
        json_member(stdout, "atr", atr);
        printf("}\n");
    } else {
        printf("%-15s %s%s%s\n", name, reader, atr != NULL ? "  ATR " : "", atr != NULL ? atr : "");
    }
    fflush(stdout);
    w->seen++;
    return w->a->count > 0 && w->seen >= w->a->count;
}

static int token_watch(const token_args *a)
{
    watch_run w = {a, 0};
    int rc = vbsig_pkcs11_watch_readers(on_event, &w, a->timeout_ms);
    return rc == VBSIG_OK ? 0 : cli_fail(rc, _("token watch"));
}

int cmd_token(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"module", required_argument, NULL, 'M'}, {"pin", required_argument, NULL, 'P'},
        {"json", no_argument, NULL, 'j'},         {"count", required_argument, NULL, 'n'},
        {"timeout", required_argument, NULL, 't'}, {"lang", required_argument, NULL, 'L'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cli_print_help("token", argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "list") != 0 && strcmp(sub, "certs") != 0 && strcmp(sub, "watch") != 0)
        return cli_usage_error("token", _("unknown subcommand '%s' (list, certs, watch)"), sub);
    token_args a = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc - 1, argv + 1, "h", longopts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'M': a.module = optarg; break;
        case 'P': a.pin = optarg; break;
        case 'j': a.json = 1; break;
        case 'n':
            a.count = strtol(optarg, &end, 10);
            if (*end != '\0' || a.count < 1)
                return cli_usage_error("token", _("--count needs a positive number"));
            break;
        case 't': {
            long s = strtol(optarg, &end, 10);
            if (*end != '\0' || s < 1 || s > 86400)
                return cli_usage_error("token", _("--timeout needs a number of seconds (1-86400)"));
            a.timeout_ms = (unsigned)s * 1000u;
            break;
        }
        case 'L': break;
        case 'h': cli_print_help("token", stdout); return 0;
        default: return cli_usage_error("token", _("unknown or incomplete option '%s'"), argv[optind]);
        }
    }
    int rest = argc - 1 - optind;
    if (rest > 0 && strcmp(sub, "certs") == 0 && rest == 1)
        a.uri = argv[1 + optind];
    else if (rest > 0)
        return cli_usage_error("token", _("unexpected argument '%s'"), argv[1 + optind]);
    if (strcmp(sub, "watch") != 0 && (a.count != 0 || a.timeout_ms != 0))
        return cli_usage_error("token", _("--count and --timeout apply to 'token watch'"));
    if (strcmp(sub, "certs") != 0 && a.pin != NULL)
        return cli_usage_error("token", _("--pin applies to 'token certs'"));
    if (strcmp(sub, "watch") == 0 && a.module != NULL)
        return cli_usage_error("token", _("'token watch' reads the card readers, not a module; drop --module"));
    if (strcmp(sub, "list") == 0)
        return token_list(&a);
    if (strcmp(sub, "certs") == 0)
        return token_certs(&a);
    return token_watch(&a);
}
