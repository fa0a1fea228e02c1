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
    AERO_OK = 0, /**< success */

    /* Server result codes (the numbers are Aerospike's). */
    AERO_ERR_SERVER = 1,                  /**< the server failed in a way it does not name */
    AERO_ERR_KEY_NOT_FOUND = 2,           /**< the record does not exist */
    AERO_ERR_GENERATION = 3,              /**< generation mismatch: the record changed since it was read */
    AERO_ERR_PARAMETER = 4,               /**< the server refused a request as invalid */
    AERO_ERR_KEY_EXISTS = 5,              /**< the record already exists (insert) */
    AERO_ERR_BIN_EXISTS = 6,              /**< the bin already exists (a create-only bin write) */
    AERO_ERR_CLUSTER_KEY_MISMATCH = 7,    /**< the cluster changed during a scan or query that required it not to */
    AERO_ERR_SERVER_MEM = 8,              /**< the server is out of memory or storage space */
    AERO_ERR_TIMEOUT = 9,                 /**< a server or client timeout (the client's deadlines report this too) */
    AERO_ERR_ALWAYS_FORBIDDEN = 10,       /**< the operation is never allowed in the namespace's configuration */
    AERO_ERR_PARTITION_UNAVAILABLE = 11,  /**< the partition is not available (the cluster is changing) */
    AERO_ERR_BIN_INCOMPATIBLE_TYPE = 12,  /**< the operation does not apply to the bin's type */
    AERO_ERR_RECORD_TOO_BIG = 13,         /**< the record is larger than the server allows */
    AERO_ERR_KEY_BUSY = 14,               /**< too many concurrent commands on this record (hot key) */
    AERO_ERR_SCAN_ABORT = 15,             /**< the server aborted the scan */
    AERO_ERR_UNSUPPORTED_FEATURE = 16,    /**< the server (or this client) does not support the feature */
    AERO_ERR_BIN_NOT_FOUND = 17,          /**< the bin does not exist (an update-only bin op, a typed getter) */
    AERO_ERR_DEVICE_OVERLOAD = 18,        /**< the server's storage device cannot keep up */
    AERO_ERR_KEY_MISMATCH = 19,           /**< the stored user key differs from the one sent */
    AERO_ERR_NAMESPACE_NOT_FOUND = 20,    /**< the namespace does not exist */
    AERO_ERR_BIN_NAME = 21,               /**< a bin name is too long, or there are too many bin names */
    AERO_ERR_FORBIDDEN = 22,              /**< the operation is not allowed right now (e.g. during a truncate) */
    AERO_ERR_ELEMENT_NOT_FOUND = 23,      /**< a list or map element does not exist */
    AERO_ERR_ELEMENT_EXISTS = 24,         /**< a list or map element already exists (a create-only CDT write) */
    AERO_ERR_ENTERPRISE_ONLY = 25,        /**< the feature needs Aerospike Enterprise Edition */
    AERO_ERR_OP_NOT_APPLICABLE = 26,      /**< a list or map operation does not apply to the value */
    AERO_ERR_FILTERED_OUT = 27,           /**< the record did not match the command's filter expression */
    AERO_ERR_LOST_CONFLICT = 28,          /**< the write lost cross-datacenter conflict resolution */
    AERO_ERR_XDR_KEY_BUSY = 32,           /**< cross-datacenter replication is writing the record; retry later */
    AERO_ERR_QUERY_END = 50,              /**< the query has no more records (end marker) */
    AERO_ERR_SECURITY_NOT_SUPPORTED = 51, /**< the server has no security support (Community Edition: login, admin) */
    AERO_ERR_SECURITY_NOT_ENABLED = 52,   /**< security is not enabled on the server */
    AERO_ERR_SECURITY_SCHEME_NOT_SUPPORTED = 53, /**< the authentication scheme is not supported */
    AERO_ERR_INVALID_COMMAND = 54,               /**< unknown administration command */
    AERO_ERR_INVALID_FIELD = 55,                 /**< invalid field in an administration command */
    AERO_ERR_ILLEGAL_STATE = 56,                 /**< the security protocol was not followed */
    AERO_ERR_INVALID_USER = 60,                  /**< unknown or invalid user name */
    AERO_ERR_USER_ALREADY_EXISTS = 61,           /**< the user already exists */
    AERO_ERR_INVALID_PASSWORD = 62,              /**< wrong or invalid password */
    AERO_ERR_EXPIRED_PASSWORD = 63,              /**< the password has expired */
    AERO_ERR_FORBIDDEN_PASSWORD = 64,            /**< the password is not allowed (e.g. used recently) */
    AERO_ERR_INVALID_CREDENTIAL = 65,            /**< the security credential is invalid */
    AERO_ERR_EXPIRED_SESSION = 66,               /**< the login session has expired (the client logs in anew) */
    AERO_ERR_INVALID_ROLE = 70,                  /**< unknown or invalid role */
    AERO_ERR_ROLE_ALREADY_EXISTS = 71,           /**< the role already exists */
    AERO_ERR_INVALID_PRIVILEGE = 72,             /**< invalid privilege */
    AERO_ERR_INVALID_WHITELIST = 73,             /**< invalid address allowlist */
    AERO_ERR_QUOTAS_NOT_ENABLED = 74,            /**< quotas are not enabled on the server */
    AERO_ERR_INVALID_QUOTA = 75,                 /**< invalid quota value */
    AERO_ERR_NOT_AUTHENTICATED = 80,             /**< the connection has not authenticated */
    AERO_ERR_ROLE_VIOLATION = 81,                /**< the user lacks the privilege for the command */
    AERO_ERR_NOT_WHITELISTED = 82,               /**< the client's address is not in the allowlist */
    AERO_ERR_QUOTA_EXCEEDED = 83,                /**< the user's rate quota is exceeded */
    AERO_ERR_UDF = 100,                          /**< a user-defined function failed */
    AERO_ERR_MRT_BLOCKED = 120,                  /**< the record is locked by another transaction */
    AERO_ERR_MRT_VERSION_MISMATCH = 121,         /**< the record changed outside the transaction */
    AERO_ERR_MRT_EXPIRED = 122,                  /**< the transaction's deadline has passed */
    AERO_ERR_MRT_TOO_MANY_WRITES = 123,          /**< the transaction wrote too many records */
    AERO_ERR_MRT_COMMITTED = 124,                /**< the transaction is already committed */
    AERO_ERR_MRT_ABORTED = 125,                  /**< the transaction is already aborted */
    AERO_ERR_MRT_ALREADY_LOCKED = 126,           /**< the record is already locked by this transaction */
    AERO_ERR_MRT_MONITOR_EXISTS = 127,           /**< the transaction has already started */
    AERO_ERR_BATCH_DISABLED = 150,               /**< batch commands are disabled on the server */
    AERO_ERR_BATCH_MAX_REQUESTS = 151,           /**< the batch has more keys than the server allows */
    AERO_ERR_BATCH_QUEUES_FULL = 152,            /**< every batch queue of the server is full */
    AERO_ERR_GEO_INVALID_GEOJSON = 160,          /**< invalid GeoJSON value */
    AERO_ERR_INDEX_FOUND = 200,                  /**< the secondary index already exists */
    AERO_ERR_INDEX_NOT_FOUND = 201,              /**< the secondary index does not exist */
    AERO_ERR_INDEX_OOM = 202,                    /**< the secondary index is out of memory */
    AERO_ERR_INDEX_NOT_READABLE = 203,           /**< the secondary index is not ready yet (being built) */
    AERO_ERR_INDEX = 204,                        /**< a secondary index error the server does not name */
    AERO_ERR_INDEX_NAME_MAXLEN = 205,            /**< the index name is too long */
    AERO_ERR_INDEX_MAXCOUNT = 206,               /**< too many secondary indexes */
    AERO_ERR_QUERY_ABORTED = 210,                /**< the query was aborted */
    AERO_ERR_QUERY_QUEUE_FULL = 211,             /**< the server's query queue is full */
    AERO_ERR_QUERY_TIMEOUT = 212,                /**< the query timed out on the server */
    AERO_ERR_QUERY = 213,                        /**< a query error the server does not name */

    /* Client-side codes (never on the wire). */
    AERO_ERR_CLIENT = -1,              /**< a client error without a more precise code */
    AERO_ERR_PARAM = -2,               /**< bad input refused before sending (the message names it) */
    AERO_ERR_NO_MORE_RECORDS = -3,     /**< empty stream where a record was required */
    AERO_ERR_INVALID_HOST = -4,        /**< seed string or host could not be used */
    AERO_ERR_ABORTED = -5,             /**< stream closed or command aborted (reserved: not raised yet) */
    AERO_ERR_NO_MORE_CONNECTIONS = -7, /**< the node's connection pool is exhausted */
    AERO_ERR_INVALID_NODE = -8,        /**< no node serves the partition, or no node is known */
    AERO_ERR_TLS = -9,                 /**< TLS setup or handshake failed (the message says what: untrusted certificate, name mismatch, timeout...) */
    AERO_ERR_CONNECTION = -10,         /**< connect, send or receive failed */
    AERO_ERR_MAX_RETRIES = -12,        /**< retries exhausted (reserved: the last attempt's code is returned) */
    AERO_ERR_MAX_ERROR_RATE = -14,     /**< the node's circuit breaker is open (max_error_rate), not sent */
    AERO_ERR_NO_RESPONSE = -15,        /**< a batch row got no answer from its node */
    AERO_ERR_BATCH_FAILED = -16,       /**< a batch failed as a whole (reserved: rows carry their codes) */
    AERO_ERR_PROTOCOL = -21,           /**< malformed or hostile response */
    AERO_ERR_AEL = -22,                /**< AEL text did not parse or type-check */
    AERO_ERR_NO_MEMORY = -23,          /**< allocation failed */
    AERO_ERR_SCHEMA_MISMATCH = -24,    /**< generated code built for another runtime */
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

/*
 * Categories. Each predicate answers for any code, known or not (unknown
 * codes are in no category except, when negative, client-side). They follow
 * the error types of the Aerospike Developer SDK, so code that catches, say,
 * the SDK's TimeoutError has a C counterpart.
 */

/**
 * The command ran out of time: AERO_ERR_TIMEOUT (a server timeout or one of
 * the client's deadlines) or AERO_ERR_QUERY_TIMEOUT. The SDK's TimeoutError.
 * A timed-out write may have been applied: look at aero_error.in_doubt.
 */
AERO_API bool aero_status_is_timeout(aero_status code);

/**
 * The condition is transient and the same command may succeed if tried
 * again: exactly the codes the library itself retries within a behavior's
 * max_retries (AERO_ERR_TIMEOUT, AERO_ERR_PARTITION_UNAVAILABLE,
 * AERO_ERR_KEY_BUSY, AERO_ERR_DEVICE_OVERLOAD, AERO_ERR_CONNECTION,
 * AERO_ERR_NO_MORE_CONNECTIONS, AERO_ERR_MAX_ERROR_RATE). So a true answer
 * after a call means the retries it was allowed did not suffice. Retrying a
 * write whose error is in_doubt may apply it twice.
 */
AERO_API bool aero_status_is_retryable(aero_status code);

/**
 * Authentication, authorization and security administration: codes 51-56,
 * 60-66, 70-75 and 80-82 (the SDK's SecurityError with AuthenticationError
 * and AuthorizationError; aero counts every code of that family, where the
 * SDK maps only some of them). AERO_ERR_QUOTA_EXCEEDED (83) is a rate limit,
 * not counted here.
 */
AERO_API bool aero_status_is_security(aero_status code);

/**
 * Raised by the client, never sent by a server: every negative code. Note
 * that the client's own deadlines report AERO_ERR_TIMEOUT (a server code
 * number), so a client-side timeout is not client-side by this test; use
 * aero_status_is_timeout().
 */
AERO_API bool aero_status_is_client_side(aero_status code);

AERO_END_DECLS

#endif
