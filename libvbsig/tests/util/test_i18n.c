/* Where the "vbsig" text domain is bound. The order of the tests matters:
 * binding happens once per process. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <libintl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "vbsig/ctx.h"
#include "vbsig_config.h"

static const char *bound_dir(void)
{
    return bindtextdomain(VBSIG_TEXTDOMAIN, NULL);
}

static void test_env_then_explicit_then_back(void **state)
{
    (void)state;
    assert_int_equal(setenv("VBSIG_LOCALEDIR", "/nonexistent/from-env", 1), 0);
    vbsig_i18n_ensure();
    assert_string_equal(bound_dir(), "/nonexistent/from-env");
    assert_string_equal(bind_textdomain_codeset(VBSIG_TEXTDOMAIN, NULL), "UTF-8");

    /* Already bound: setting the directory rebinds at once. */
    vbsig_set_localedir("/nonexistent/explicit");
    assert_string_equal(bound_dir(), "/nonexistent/explicit");

    /* A second ensure() must not undo the explicit choice. */
    vbsig_i18n_ensure();
    assert_string_equal(bound_dir(), "/nonexistent/explicit");

    /* NULL returns to the environment, and without it to the default. */
    vbsig_set_localedir(NULL);
    assert_string_equal(bound_dir(), "/nonexistent/from-env");
    assert_int_equal(unsetenv("VBSIG_LOCALEDIR"), 0);
    vbsig_set_localedir("");
    assert_string_equal(bound_dir(), VBSIG_DEFAULT_LOCALEDIR);
}

static void test_overlong_dir_is_ignored(void **state)
{
    (void)state;
    vbsig_set_localedir("/nonexistent/kept");
    char *huge = malloc(PATH_MAX + 10);
    assert_non_null(huge);
    memset(huge, 'd', PATH_MAX + 9);
    huge[0] = '/';
    huge[PATH_MAX + 9] = '\0';
    vbsig_set_localedir(huge);
    free(huge);
    assert_string_equal(bound_dir(), "/nonexistent/kept");
}

static void test_untranslated_text_passes_through(void **state)
{
    (void)state;
    vbsig_i18n_ensure();
    assert_string_equal(_("a message no catalogue has"), "a message no catalogue has");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_env_then_explicit_then_back),
        cmocka_unit_test(test_overlong_dir_is_ignored),
        cmocka_unit_test(test_untranslated_text_passes_through),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
