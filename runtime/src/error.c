/* error.c - names of status codes and error-report helpers. */
#include <aero/error.h>

#include <ctype.h>
#include <string.h>

#include "internal.h"

AERO_API const char *aero_status_str(aero_status code) {
    switch (code) {
    case AERO_OK: return "OK";
    case AERO_ERR_SERVER: return "SERVER_ERROR";
    case AERO_ERR_KEY_NOT_FOUND: return "KEY_NOT_FOUND";
    case AERO_ERR_GENERATION: return "GENERATION_ERROR";
    case AERO_ERR_PARAMETER: return "PARAMETER_ERROR";
    case AERO_ERR_KEY_EXISTS: return "KEY_EXISTS";
    case AERO_ERR_BIN_EXISTS: return "BIN_EXISTS";
    case AERO_ERR_CLUSTER_KEY_MISMATCH: return "CLUSTER_KEY_MISMATCH";
    case AERO_ERR_SERVER_MEM: return "SERVER_MEM_ERROR";
    case AERO_ERR_TIMEOUT: return "TIMEOUT";
    case AERO_ERR_ALWAYS_FORBIDDEN: return "ALWAYS_FORBIDDEN";
    case AERO_ERR_PARTITION_UNAVAILABLE: return "PARTITION_UNAVAILABLE";
    case AERO_ERR_BIN_INCOMPATIBLE_TYPE: return "BIN_TYPE_ERROR";
    case AERO_ERR_RECORD_TOO_BIG: return "RECORD_TOO_BIG";
    case AERO_ERR_KEY_BUSY: return "KEY_BUSY";
    case AERO_ERR_SCAN_ABORT: return "SCAN_ABORT";
    case AERO_ERR_UNSUPPORTED_FEATURE: return "UNSUPPORTED_FEATURE";
    case AERO_ERR_BIN_NOT_FOUND: return "BIN_NOT_FOUND";
    case AERO_ERR_DEVICE_OVERLOAD: return "DEVICE_OVERLOAD";
    case AERO_ERR_KEY_MISMATCH: return "KEY_MISMATCH";
    case AERO_ERR_NAMESPACE_NOT_FOUND: return "INVALID_NAMESPACE";
    case AERO_ERR_BIN_NAME: return "BIN_NAME_TOO_LONG";
    case AERO_ERR_FORBIDDEN: return "FAIL_FORBIDDEN";
    case AERO_ERR_ELEMENT_NOT_FOUND: return "ELEMENT_NOT_FOUND";
    case AERO_ERR_ELEMENT_EXISTS: return "ELEMENT_EXISTS";
    case AERO_ERR_ENTERPRISE_ONLY: return "ENTERPRISE_ONLY";
    case AERO_ERR_OP_NOT_APPLICABLE: return "OP_NOT_APPLICABLE";
    case AERO_ERR_FILTERED_OUT: return "FILTERED_OUT";
    case AERO_ERR_LOST_CONFLICT: return "LOST_CONFLICT";
    case AERO_ERR_XDR_KEY_BUSY: return "XDR_KEY_BUSY";
    case AERO_ERR_QUERY_END: return "QUERY_END";
    case AERO_ERR_SECURITY_NOT_SUPPORTED: return "SECURITY_NOT_SUPPORTED";
    case AERO_ERR_SECURITY_NOT_ENABLED: return "SECURITY_NOT_ENABLED";
    case AERO_ERR_SECURITY_SCHEME_NOT_SUPPORTED: return "SECURITY_SCHEME_NOT_SUPPORTED";
    case AERO_ERR_INVALID_COMMAND: return "INVALID_COMMAND";
    case AERO_ERR_INVALID_FIELD: return "INVALID_FIELD";
    case AERO_ERR_ILLEGAL_STATE: return "ILLEGAL_STATE";
    case AERO_ERR_INVALID_USER: return "INVALID_USER";
    case AERO_ERR_USER_ALREADY_EXISTS: return "USER_ALREADY_EXISTS";
    case AERO_ERR_INVALID_PASSWORD: return "INVALID_PASSWORD";
    case AERO_ERR_EXPIRED_PASSWORD: return "EXPIRED_PASSWORD";
    case AERO_ERR_FORBIDDEN_PASSWORD: return "FORBIDDEN_PASSWORD";
    case AERO_ERR_INVALID_CREDENTIAL: return "INVALID_CREDENTIAL";
    case AERO_ERR_EXPIRED_SESSION: return "EXPIRED_SESSION";
    case AERO_ERR_INVALID_ROLE: return "INVALID_ROLE";
    case AERO_ERR_ROLE_ALREADY_EXISTS: return "ROLE_ALREADY_EXISTS";
    case AERO_ERR_INVALID_PRIVILEGE: return "INVALID_PRIVILEGE";
    case AERO_ERR_INVALID_WHITELIST: return "INVALID_WHITELIST";
    case AERO_ERR_QUOTAS_NOT_ENABLED: return "QUOTAS_NOT_ENABLED";
    case AERO_ERR_INVALID_QUOTA: return "INVALID_QUOTA";
    case AERO_ERR_NOT_AUTHENTICATED: return "NOT_AUTHENTICATED";
    case AERO_ERR_ROLE_VIOLATION: return "ROLE_VIOLATION";
    case AERO_ERR_NOT_WHITELISTED: return "NOT_WHITELISTED";
    case AERO_ERR_QUOTA_EXCEEDED: return "QUOTA_EXCEEDED";
    case AERO_ERR_UDF: return "UDF_ERROR";
    case AERO_ERR_MRT_BLOCKED: return "MRT_BLOCKED";
    case AERO_ERR_MRT_VERSION_MISMATCH: return "MRT_VERSION_MISMATCH";
    case AERO_ERR_MRT_EXPIRED: return "MRT_EXPIRED";
    case AERO_ERR_MRT_TOO_MANY_WRITES: return "MRT_TOO_MANY_WRITES";
    case AERO_ERR_MRT_COMMITTED: return "MRT_COMMITTED";
    case AERO_ERR_MRT_ABORTED: return "MRT_ABORTED";
    case AERO_ERR_MRT_ALREADY_LOCKED: return "MRT_ALREADY_LOCKED";
    case AERO_ERR_MRT_MONITOR_EXISTS: return "MRT_MONITOR_EXISTS";
    case AERO_ERR_BATCH_DISABLED: return "BATCH_DISABLED";
    case AERO_ERR_BATCH_MAX_REQUESTS: return "BATCH_MAX_REQUESTS_EXCEEDED";
    case AERO_ERR_BATCH_QUEUES_FULL: return "BATCH_QUEUES_FULL";
    case AERO_ERR_GEO_INVALID_GEOJSON: return "GEO_INVALID_GEOJSON";
    case AERO_ERR_INDEX_FOUND: return "INDEX_ALREADY_EXISTS";
    case AERO_ERR_INDEX_NOT_FOUND: return "INDEX_NOT_FOUND";
    case AERO_ERR_INDEX_OOM: return "INDEX_OOM";
    case AERO_ERR_INDEX_NOT_READABLE: return "INDEX_NOT_READABLE";
    case AERO_ERR_INDEX: return "INDEX_GENERIC";
    case AERO_ERR_INDEX_NAME_MAXLEN: return "INDEX_NAME_MAXLEN";
    case AERO_ERR_INDEX_MAXCOUNT: return "INDEX_MAXCOUNT";
    case AERO_ERR_QUERY_ABORTED: return "QUERY_ABORTED";
    case AERO_ERR_QUERY_QUEUE_FULL: return "QUERY_QUEUE_FULL";
    case AERO_ERR_QUERY_TIMEOUT: return "QUERY_TIMEOUT";
    case AERO_ERR_QUERY: return "QUERY_GENERIC";
    case AERO_ERR_CLIENT: return "CLIENT_ERROR";
    case AERO_ERR_PARAM: return "PARAMETER_INVALID";
    case AERO_ERR_NO_MORE_RECORDS: return "NO_MORE_RECORDS";
    case AERO_ERR_INVALID_HOST: return "INVALID_HOST";
    case AERO_ERR_ABORTED: return "ABORTED";
    case AERO_ERR_NO_MORE_CONNECTIONS: return "NO_MORE_CONNECTIONS";
    case AERO_ERR_INVALID_NODE: return "INVALID_NODE";
    case AERO_ERR_TLS: return "TLS_ERROR";
    case AERO_ERR_CONNECTION: return "CONNECTION_ERROR";
    case AERO_ERR_MAX_RETRIES: return "MAX_RETRIES_EXCEEDED";
    case AERO_ERR_MAX_ERROR_RATE: return "MAX_ERROR_RATE";
    case AERO_ERR_NO_RESPONSE: return "NO_RESPONSE";
    case AERO_ERR_BATCH_FAILED: return "BATCH_FAILED";
    case AERO_ERR_PROTOCOL: return "PROTOCOL_ERROR";
    case AERO_ERR_AEL: return "AEL_ERROR";
    case AERO_ERR_NO_MEMORY: return "NO_MEMORY";
    case AERO_ERR_SCHEMA_MISMATCH: return "SCHEMA_MISMATCH";
    default: return code > 0 ? "SERVER_ERROR_UNKNOWN_CODE" : "CLIENT_ERROR_UNKNOWN_CODE";
    }
}

AERO_API void aero_error_reset(aero_error *err) { aero_err__reset(err); }

aero_status aero_err__set(aero_error *err, aero_status code, const char *fmt, ...) {
    if (!err)
        return code;
    err->code = code;
    err->in_doubt = false;
    err->node[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n <= 0)
        snprintf(err->message, sizeof err->message, "%s", aero_status_str(code));
    return code;
}

aero_status aero_err__check_version(aero_error *err, const char *what, uint32_t version, uint32_t known) {
    if (version >= 1 && version <= known)
        return AERO_OK;
    char macro[64];
    size_t i = 0;
    for (; what[i] && i < sizeof macro - 1; i++)
        macro[i] = (char)toupper((unsigned char)what[i]);
    macro[i] = '\0';
    return aero_err__set(err, AERO_ERR_PARAM,
                         "%s version %u is not supported (this library knows 1 to %u); initialise it with %s_INIT or "
                         "%s_init()",
                         what, (unsigned)version, (unsigned)known, macro, what);
}

void aero_misuse__set(aero_misuse *m, aero_status code, const char *fmt, ...) {
    if (m->code != AERO_OK)
        return;
    m->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->msg, sizeof m->msg, fmt, ap);
    va_end(ap);
}

AERO_API bool aero_status_is_timeout(aero_status code) {
    return code == AERO_ERR_TIMEOUT || code == AERO_ERR_QUERY_TIMEOUT;
}

/* The command layer's retry loop (command.c) retries these; keep the two in step. */
AERO_API bool aero_status_is_retryable(aero_status code) {
    switch (code) {
    case AERO_ERR_TIMEOUT:
    case AERO_ERR_PARTITION_UNAVAILABLE:
    case AERO_ERR_KEY_BUSY:
    case AERO_ERR_DEVICE_OVERLOAD:
    case AERO_ERR_CONNECTION:
    case AERO_ERR_NO_MORE_CONNECTIONS:
    case AERO_ERR_MAX_ERROR_RATE: return true;
    default: return false;
    }
}

AERO_API bool aero_status_is_security(aero_status code) {
    return (code >= AERO_ERR_SECURITY_NOT_SUPPORTED && code <= AERO_ERR_ILLEGAL_STATE) ||
           (code >= AERO_ERR_INVALID_USER && code <= AERO_ERR_EXPIRED_SESSION) ||
           (code >= AERO_ERR_INVALID_ROLE && code <= AERO_ERR_INVALID_QUOTA) ||
           (code >= AERO_ERR_NOT_AUTHENTICATED && code <= AERO_ERR_NOT_WHITELISTED);
}

AERO_API bool aero_status_is_client_side(aero_status code) { return code < 0; }
