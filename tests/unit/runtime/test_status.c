/*
 * test_status.c - the status categories of error.h, checked for every code
 * the header defines, and the table below checked to be that complete list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <aero/error.h>
#include <string.h>

/* T timeout, R retryable, S security, C client-side. */
enum { T = 1, R = 2, S = 4, C = 8 };

static const struct {
    aero_status code;
    unsigned cats;
} codes[] = {
    { AERO_OK, 0 },
    { AERO_ERR_SERVER, 0 },
    { AERO_ERR_KEY_NOT_FOUND, 0 },
    { AERO_ERR_GENERATION, 0 },
    { AERO_ERR_PARAMETER, 0 },
    { AERO_ERR_KEY_EXISTS, 0 },
    { AERO_ERR_BIN_EXISTS, 0 },
    { AERO_ERR_CLUSTER_KEY_MISMATCH, 0 },
    { AERO_ERR_SERVER_MEM, 0 },
    { AERO_ERR_TIMEOUT, T | R },
    { AERO_ERR_ALWAYS_FORBIDDEN, 0 },
    { AERO_ERR_PARTITION_UNAVAILABLE, R },
    { AERO_ERR_BIN_INCOMPATIBLE_TYPE, 0 },
    { AERO_ERR_RECORD_TOO_BIG, 0 },
    { AERO_ERR_KEY_BUSY, R },
    { AERO_ERR_SCAN_ABORT, 0 },
    { AERO_ERR_UNSUPPORTED_FEATURE, 0 },
    { AERO_ERR_BIN_NOT_FOUND, 0 },
    { AERO_ERR_DEVICE_OVERLOAD, R },
    { AERO_ERR_KEY_MISMATCH, 0 },
    { AERO_ERR_NAMESPACE_NOT_FOUND, 0 },
    { AERO_ERR_BIN_NAME, 0 },
    { AERO_ERR_FORBIDDEN, 0 },
    { AERO_ERR_ELEMENT_NOT_FOUND, 0 },
    { AERO_ERR_ELEMENT_EXISTS, 0 },
    { AERO_ERR_ENTERPRISE_ONLY, 0 },
    { AERO_ERR_OP_NOT_APPLICABLE, 0 },
    { AERO_ERR_FILTERED_OUT, 0 },
    { AERO_ERR_LOST_CONFLICT, 0 },
    { AERO_ERR_XDR_KEY_BUSY, 0 },
    { AERO_ERR_QUERY_END, 0 },
    { AERO_ERR_SECURITY_NOT_SUPPORTED, S },
    { AERO_ERR_SECURITY_NOT_ENABLED, S },
    { AERO_ERR_SECURITY_SCHEME_NOT_SUPPORTED, S },
    { AERO_ERR_INVALID_COMMAND, S },
    { AERO_ERR_INVALID_FIELD, S },
    { AERO_ERR_ILLEGAL_STATE, S },
    { AERO_ERR_INVALID_USER, S },
    { AERO_ERR_USER_ALREADY_EXISTS, S },
    { AERO_ERR_INVALID_PASSWORD, S },
    { AERO_ERR_EXPIRED_PASSWORD, S },
    { AERO_ERR_FORBIDDEN_PASSWORD, S },
    { AERO_ERR_INVALID_CREDENTIAL, S },
    { AERO_ERR_EXPIRED_SESSION, S },
    { AERO_ERR_INVALID_ROLE, S },
    { AERO_ERR_ROLE_ALREADY_EXISTS, S },
    { AERO_ERR_INVALID_PRIVILEGE, S },
    { AERO_ERR_INVALID_WHITELIST, S },
    { AERO_ERR_QUOTAS_NOT_ENABLED, S },
    { AERO_ERR_INVALID_QUOTA, S },
    { AERO_ERR_NOT_AUTHENTICATED, S },
    { AERO_ERR_ROLE_VIOLATION, S },
    { AERO_ERR_NOT_WHITELISTED, S },
    { AERO_ERR_QUOTA_EXCEEDED, 0 },
    { AERO_ERR_UDF, 0 },
    { AERO_ERR_MRT_BLOCKED, 0 },
    { AERO_ERR_MRT_VERSION_MISMATCH, 0 },
    { AERO_ERR_MRT_EXPIRED, 0 },
    { AERO_ERR_MRT_TOO_MANY_WRITES, 0 },
    { AERO_ERR_MRT_COMMITTED, 0 },
    { AERO_ERR_MRT_ABORTED, 0 },
    { AERO_ERR_MRT_ALREADY_LOCKED, 0 },
    { AERO_ERR_MRT_MONITOR_EXISTS, 0 },
    { AERO_ERR_BATCH_DISABLED, 0 },
    { AERO_ERR_BATCH_MAX_REQUESTS, 0 },
    { AERO_ERR_BATCH_QUEUES_FULL, 0 },
    { AERO_ERR_GEO_INVALID_GEOJSON, 0 },
    { AERO_ERR_INDEX_FOUND, 0 },
    { AERO_ERR_INDEX_NOT_FOUND, 0 },
    { AERO_ERR_INDEX_OOM, 0 },
    { AERO_ERR_INDEX_NOT_READABLE, 0 },
    { AERO_ERR_INDEX, 0 },
    { AERO_ERR_INDEX_NAME_MAXLEN, 0 },
    { AERO_ERR_INDEX_MAXCOUNT, 0 },
    { AERO_ERR_QUERY_ABORTED, 0 },
    { AERO_ERR_QUERY_QUEUE_FULL, 0 },
    { AERO_ERR_QUERY_TIMEOUT, T },
    { AERO_ERR_QUERY, 0 },
    { AERO_ERR_CLIENT, C },
    { AERO_ERR_PARAM, C },
    { AERO_ERR_NO_MORE_RECORDS, C },
    { AERO_ERR_INVALID_HOST, C },
    { AERO_ERR_ABORTED, C },
    { AERO_ERR_NO_MORE_CONNECTIONS, C | R },
    { AERO_ERR_INVALID_NODE, C },
    { AERO_ERR_TLS, C },
    { AERO_ERR_CONNECTION, C | R },
    { AERO_ERR_MAX_RETRIES, C },
    { AERO_ERR_MAX_ERROR_RATE, C | R },
    { AERO_ERR_NO_RESPONSE, C },
    { AERO_ERR_BATCH_FAILED, C },
    { AERO_ERR_PROTOCOL, C },
    { AERO_ERR_AEL, C },
    { AERO_ERR_NO_MEMORY, C },
    { AERO_ERR_SCHEMA_MISMATCH, C },
};
#define N_CODES (sizeof codes / sizeof codes[0])

static bool named(aero_status c) {
    const char *n = aero_status_str(c);
    return strcmp(n, "SERVER_ERROR_UNKNOWN_CODE") != 0 && strcmp(n, "CLIENT_ERROR_UNKNOWN_CODE") != 0;
}

static bool listed(aero_status c) {
    for (size_t i = 0; i < N_CODES; i++)
        if (codes[i].code == c)
            return true;
    return false;
}

/* The table is every code aero_status_str() names, and nothing else. */
static void test_table_lists_every_named_code(void **state) {
    (void)state;
    for (aero_status c = -100; c <= 1000; c++) {
        if (named(c) != listed(c))
            fail_msg("code %d (%s): named %d, listed %d", c, aero_status_str(c), named(c), listed(c));
    }
}

static void test_every_code_is_in_its_categories(void **state) {
    (void)state;
    for (size_t i = 0; i < N_CODES; i++) {
        aero_status c = codes[i].code;
        unsigned want = codes[i].cats;
        unsigned got = (aero_status_is_timeout(c) ? T : 0) | (aero_status_is_retryable(c) ? R : 0) |
                       (aero_status_is_security(c) ? S : 0) | (aero_status_is_client_side(c) ? C : 0);
        if (got != want)
            fail_msg("%s (%d): categories %#x, expected %#x", aero_status_str(c), c, got, want);
    }
}

/* Codes the header does not define: only the sign says anything. */
static void test_unknown_codes_are_in_no_category_but_client_side(void **state) {
    (void)state;
    const aero_status unknown[] = { 29, 99, 999, 12345, -6, -99, -12345 };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        aero_status c = unknown[i];
        assert_false(aero_status_is_timeout(c));
        assert_false(aero_status_is_retryable(c));
        assert_false(aero_status_is_security(c));
        assert_int_equal(aero_status_is_client_side(c), c < 0);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_lists_every_named_code),
        cmocka_unit_test(test_every_code_is_in_its_categories),
        cmocka_unit_test(test_unknown_codes_are_in_no_category_but_client_side),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
