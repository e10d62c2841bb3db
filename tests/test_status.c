/* SPDX-License-Identifier: MIT
 *
 * test_status.c - status descriptions and the version string.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <hailsham/hailsham.h>

static void every_status_has_a_message(void **state)
{
    (void)state;
    const int codes[] = {HS_OK, HS_EINVAL, HS_ENOMEM, HS_ESTATE, HS_ENOTFOUND,
                         HS_ERANGE, HS_EIO, HS_EPARSE};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *m = hs_strerror(codes[i]);
        assert_non_null(m);
        assert_true(strlen(m) > 3);
        assert_string_not_equal(m, "unknown status");
    }
    assert_string_equal(hs_strerror(12345), "unknown status");
}

static void version_matches_header(void **state)
{
    (void)state;
    assert_string_equal(hs_version(), HS_VERSION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_status_has_a_message),
        cmocka_unit_test(version_matches_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
