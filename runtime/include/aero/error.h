/*
 * aero/error.h - status codes and the error report every fallible call fills.
 *
 * Every fallible call returns an aero_status: 0 is success, positive values
 * are the server's result codes with their Aerospike numbers, negative values
 * are raised by the client itself. The same call fills a caller-owned
 * aero_error with the code, a human readable message, whether a write may
 * have been applied anyway (in_doubt) and the node that answered.
 *
 *     aero_error err;
 *     if (aero_write_execute(w, NULL, &err) != AERO_OK)
 *         fprintf(stderr, "%s (%s)\n", err.message, aero_status_str(err.code));
 */
#ifndef AERO_ERROR_H
#define AERO_ERROR_H

#include <aero/common.h>

AERO_BEGIN_DECLS

typedef int aero_status;

enum {
    AERO_OK = 0,

    /* Server result codes (the numbers are Aerospike's). */
    AERO_ERR_SERVER = 1,        /**< unknown server error */
    AERO_ERR_KEY_NOT_FOUND = 2, /**< record does not exist */
    AERO_ERR_GENERATION = 3,    /**< generation mismatch */
    AERO_ERR_PARAMETER = 4,     /**< request invalid (server side) */
    AERO_ERR_KEY_EXISTS = 5,    /**< record exists (insert) */
    AERO_ERR_BIN_EXISTS = 6,
    AERO_ERR_CLUSTER_KEY_MISMATCH = 7,
    AERO_ERR_SERVER_MEM = 8, /**< out of space */
    AERO_ERR_TIMEOUT = 9,    /**< server or client timeout */
    AERO_ERR_ALWAYS_FORBIDDEN = 10,
    AERO_ERR_PARTITION_UNAVAILABLE = 11,
    AERO_ERR_BIN_INCOMPATIBLE_TYPE = 12,
    AERO_ERR_RECORD_TOO_BIG = 13,
    AERO_ERR_KEY_BUSY = 14,
    AERO_ERR_SCAN_ABORT = 15,
    AERO_ERR_UNSUPPORTED_FEATURE = 16,
    AERO_ERR_BIN_NOT_FOUND = 17,
    AERO_ERR_DEVICE_OVERLOAD = 18,
    AERO_ERR_KEY_MISMATCH = 19,
    AERO_ERR_NAMESPACE_NOT_FOUND = 20,
    AERO_ERR_BIN_NAME = 21,
    AERO_ERR_FORBIDDEN = 22,
    AERO_ERR_ELEMENT_NOT_FOUND = 23,
    AERO_ERR_ELEMENT_EXISTS = 24,
    AERO_ERR_ENTERPRISE_ONLY = 25,
    AERO_ERR_OP_NOT_APPLICABLE = 26,
    AERO_ERR_FILTERED_OUT = 27,
    AERO_ERR_LOST_CONFLICT = 28,
    AERO_ERR_XDR_KEY_BUSY = 32,
    AERO_ERR_QUERY_END = 50,
    AERO_ERR_SECURITY_NOT_SUPPORTED = 51,
    AERO_ERR_SECURITY_NOT_ENABLED = 52,
    AERO_ERR_SECURITY_SCHEME_NOT_SUPPORTED = 53,
    AERO_ERR_INVALID_COMMAND = 54,
    AERO_ERR_INVALID_FIELD = 55,
    AERO_ERR_ILLEGAL_STATE = 56,
    AERO_ERR_INVALID_USER = 60,
    AERO_ERR_USER_ALREADY_EXISTS = 61,
    AERO_ERR_INVALID_PASSWORD = 62,
    AERO_ERR_EXPIRED_PASSWORD = 63,
    AERO_ERR_FORBIDDEN_PASSWORD = 64,
    AERO_ERR_INVALID_CREDENTIAL = 65,
    AERO_ERR_EXPIRED_SESSION = 66,
    AERO_ERR_INVALID_ROLE = 70,
    AERO_ERR_ROLE_ALREADY_EXISTS = 71,
    AERO_ERR_INVALID_PRIVILEGE = 72,
    AERO_ERR_INVALID_WHITELIST = 73,
    AERO_ERR_QUOTAS_NOT_ENABLED = 74,
    AERO_ERR_INVALID_QUOTA = 75,
    AERO_ERR_NOT_AUTHENTICATED = 80,
    AERO_ERR_ROLE_VIOLATION = 81,
    AERO_ERR_NOT_WHITELISTED = 82,
    AERO_ERR_QUOTA_EXCEEDED = 83,
    AERO_ERR_UDF = 100,
    AERO_ERR_MRT_BLOCKED = 120,
    AERO_ERR_MRT_VERSION_MISMATCH = 121,
    AERO_ERR_MRT_EXPIRED = 122,
    AERO_ERR_MRT_TOO_MANY_WRITES = 123,
    AERO_ERR_MRT_COMMITTED = 124,
    AERO_ERR_MRT_ABORTED = 125,
    AERO_ERR_MRT_ALREADY_LOCKED = 126,
    AERO_ERR_MRT_MONITOR_EXISTS = 127,
    AERO_ERR_BATCH_DISABLED = 150,
    AERO_ERR_BATCH_MAX_REQUESTS = 151,
    AERO_ERR_BATCH_QUEUES_FULL = 152,
    AERO_ERR_GEO_INVALID_GEOJSON = 160,
    AERO_ERR_INDEX_FOUND = 200,
    AERO_ERR_INDEX_NOT_FOUND = 201,
    AERO_ERR_INDEX_OOM = 202,
    AERO_ERR_INDEX_NOT_READABLE = 203,
    AERO_ERR_INDEX = 204,
    AERO_ERR_INDEX_NAME_MAXLEN = 205,
    AERO_ERR_INDEX_MAXCOUNT = 206,
    AERO_ERR_QUERY_ABORTED = 210,
    AERO_ERR_QUERY_QUEUE_FULL = 211,
    AERO_ERR_QUERY_TIMEOUT = 212,
    AERO_ERR_QUERY = 213,

    /* Client-side codes (never on the wire). */
    AERO_ERR_CLIENT = -1,              /**< generic client error */
    AERO_ERR_PARAM = -2,               /**< bad input refused before sending */
    AERO_ERR_NO_MORE_RECORDS = -3,     /**< empty stream where a record was required */
    AERO_ERR_INVALID_HOST = -4,        /**< seed string or host could not be used */
    AERO_ERR_ABORTED = -5,             /**< stream closed or command aborted */
    AERO_ERR_NO_MORE_CONNECTIONS = -7, /**< connection pool exhausted */
    AERO_ERR_INVALID_NODE = -8,        /**< no node serves the partition */
    AERO_ERR_TLS = -9,
    AERO_ERR_CONNECTION = -10,     /**< connect, send or receive failed */
    AERO_ERR_MAX_RETRIES = -12,    /**< retries exhausted */
    AERO_ERR_MAX_ERROR_RATE = -14, /**< node circuit breaker open */
    AERO_ERR_NO_RESPONSE = -15,
    AERO_ERR_BATCH_FAILED = -16,
    AERO_ERR_PROTOCOL = -21,        /**< malformed or hostile response */
    AERO_ERR_AEL = -22,             /**< AEL text did not parse or type-check */
    AERO_ERR_NO_MEMORY = -23,       /**< allocation failed */
    AERO_ERR_SCHEMA_MISMATCH = -24, /**< generated code built for another runtime */
};

/** Room for a message in aero_error, including the terminating NUL. */
#define AERO_ERROR_MESSAGE_SIZE 256

/**
 * The error report. Caller-owned storage, typically on the stack; calls
 * overwrite it completely on failure and set code = AERO_OK on success.
 */
typedef struct aero_error {
    aero_status code;                      /**< same value the call returned */
    bool in_doubt;                         /**< a write may have been applied */
    char node[40];                         /**< node name or address, "" if none */
    char message[AERO_ERROR_MESSAGE_SIZE]; /**< never empty on failure */
} aero_error;

/** Name of a status code, e.g. "KEY_NOT_FOUND". Never NULL; static storage. */
AERO_API const char *aero_status_str(aero_status code);

/** Reset an error report to AERO_OK with empty strings. NULL is allowed. */
AERO_API void aero_error_reset(aero_error *err);

AERO_END_DECLS

#endif
