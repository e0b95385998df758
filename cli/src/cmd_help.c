/* Help texts, English and Vietnamese through the catalogue. */
#include <string.h>

#include "cli.h"

static void overview(FILE *out)
{
    fputs(_("Usage: vbsig COMMAND [OPTIONS]\n"
            "\n"
            "Sign and verify official documents (CAdES; PAdES and XAdES follow).\n"
            "\n"
            "Commands:\n"
            "  sign      sign a file, or several files with one login\n"
            "  verify    verify the signatures of a file and print a report\n"
            "  help      show help for a command\n"
            "\n"
            "  --version         print the version\n"
            "  --lang vi|en      language of messages and reports\n"
            "\n"
            "Run 'vbsig help COMMAND' for the options of a command.\n"), out);
}

static void sign_help(FILE *out)
{
    fputs(_("Usage: vbsig sign IN -o OUT --key KEYSPEC [OPTIONS]\n"
            "       vbsig sign IN... --out-dir DIR --key KEYSPEC [OPTIONS]\n"
            "\n"
            "Signs IN. OUT is written atomically; IN is never modified.\n"
            "\n"
            "  -o, --output FILE       where the signature goes\n"
            "      --out-dir DIR       batch mode: one output per input, in DIR\n"
            "  -k, --key KEYSPEC       a PEM/DER private key file or a PKCS#12 file (.p12, .pfx)\n"
            "      --cert FILE         the signer certificate (needed with a key file)\n"
            "      --chain FILE        intermediate certificates to embed\n"
            "      --pass SRC          password source: pass:TEXT, env:VAR, file:PATH, fd:N\n"
            "                          (without it vbsig asks on the terminal)\n"
            "      --pin SRC           the same, for tokens\n"
            "      --format FMT        auto (default), cades, pades, xades\n"
            "      --level LEVEL       B-B (default)\n"
            "      --detached          keep the data outside the signature (.p7s)\n"
            "      --digest ALG        sha256 (default), sha384, sha512, sha3-256, sha3-512\n"
            "      --rsa-padding PAD   pkcs1 (default) or pss\n"
            "      --trust PATH        check the signer's chain against these anchors before signing\n"
            "      --no-verify         do not re-verify the signature before writing it\n"
            "      --lang vi|en        language of messages\n"), out);
}

static void verify_help(FILE *out)
{
    fputs(_("Usage: vbsig verify IN [OPTIONS]\n"
            "\n"
            "Verifies every signature in IN and prints a report.\n"
            "Exit status: 0 all valid, 1 a signature failed (or none found),\n"
            "2 a signature could not be confirmed (INDETERMINATE).\n"
            "\n"
            "      --data FILE         the signed data of a detached signature\n"
            "      --trust PATH        trust anchors (file or directory; repeatable)\n"
            "      --chain FILE        extra intermediate certificates\n"
            "      --at ISO8601        validate at this time instead of the claimed signing time\n"
            "      --revocation MODE   hard (default), soft or off\n"
            "      --offline           use no network\n"
            "      --json              print the JSON report\n"
            "      --utc               show times in UTC instead of Vietnam time\n"
            "      --lang vi|en        language of the report\n"), out);
}

void cli_print_help(const char *command, FILE *out)
{
    if (command != NULL && strcmp(command, "sign") == 0)
        sign_help(out);
    else if (command != NULL && strcmp(command, "verify") == 0)
        verify_help(out);
    else
        overview(out);
}

int cmd_help(int argc, char **argv)
{
    const char *command = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0) {
            i++;
            continue;
        }
        if (strncmp(argv[i], "--lang=", 7) == 0)
            continue;
        command = argv[i];
        break;
    }
    cli_print_help(command, stdout);
    return 0;
}
