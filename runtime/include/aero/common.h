/*
 * aero/common.h - export macro, version and small shared definitions.
 *
 * Every public symbol of libaero is marked AERO_API; everything else in the
 * library is built with hidden visibility and is not part of the ABI.
 */
#ifndef AERO_COMMON_H
#define AERO_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define AERO_API __attribute__((visibility("default")))
#else
#define AERO_API
#endif

#ifdef __cplusplus
#define AERO_BEGIN_DECLS extern "C" {
#define AERO_END_DECLS   }
#else
#define AERO_BEGIN_DECLS
#define AERO_END_DECLS
#endif

/** A cast that is also clean C++ (-Wold-style-cast) when a header is compiled as C++. */
#ifdef __cplusplus
#define AERO_CAST(T, x) (static_cast<T>(x))
#else
#define AERO_CAST(T, x) ((T)(x))
#endif

/** Version of the headers. Generated code checks it against aero_version_number(). */
#define AERO_VERSION_MAJOR  0
#define AERO_VERSION_MINOR  1
#define AERO_VERSION_PATCH  0
#define AERO_VERSION_NUMBER (AERO_VERSION_MAJOR * 10000 + AERO_VERSION_MINOR * 100 + AERO_VERSION_PATCH)

/** ABI level of the typed (generated-code) entry points; bumped on any change to schema.h. */
#define AERO_SCHEMA_ABI 2

/*
 * VERSIONED STRUCTS - how a struct the caller allocates can grow without
 * breaking callers compiled against older headers (libgit2's rule).
 *
 * It applies to every options or results struct that lives in caller storage
 * and that a library call reads or fills: aero_client_config, aero_behavior,
 * aero_policy, aero_cluster_stats (and, in tools/testserver,
 * aero_testserver_config). For a struct aero_foo:
 *
 *   1. Its first member is `uint32_t version`.
 *   2. Beside it: `#define AERO_FOO_VERSION 1` and `#define AERO_FOO_INIT
 *      { AERO_FOO_VERSION, <every other member, in order> }` - positional,
 *      with every member listed, so it is valid C99 and C++11 and quiet
 *      under -Wextra.
 *   3. `aero_foo_init(aero_foo *f)` is a static inline function in the
 *      header that copies AERO_FOO_INIT into *f. It is compiled into the
 *      caller, so it writes exactly the caller's idea of the struct; the
 *      library never writes a whole struct it did not get the version of.
 *   4. Members are only ever appended. Appending one bumps AERO_FOO_VERSION;
 *      nothing is removed, reordered or retyped.
 *   5. Every call that takes the struct reads `version` first and reads (or
 *      writes) only the members that version has. A version it does not know
 *      (0, or newer than the library) is refused with AERO_ERR_PARAM and a
 *      message naming the struct and both versions:
 *        "aero_foo version 7 is not supported (this library knows 1 to 1);
 *         initialise it with AERO_FOO_INIT or aero_foo_init()"
 *
 * Value structs that are part of the data model (aero_key, aero_dataset,
 * aero_value, aero_record, aero_error, ...) are not versioned: their layout
 * is part of the ABI and changes only with the library's major version.
 */

AERO_BEGIN_DECLS

/** Version of the library actually linked, as AERO_VERSION_NUMBER. */
AERO_API int aero_version_number(void);
/** Version string of the linked library, e.g. "0.1.0". Static storage. */
AERO_API const char *aero_version_string(void);

/* Protocol limits, checked before anything is sent. */
#define AERO_NAMESPACE_MAX 31   /**< bytes in a namespace name */
#define AERO_SET_MAX       63   /**< bytes in a set name */
#define AERO_BIN_NAME_MAX  15   /**< bytes in a bin name */
#define AERO_DIGEST_SIZE   20   /**< RIPEMD-160 digest of a key */
#define AERO_PARTITIONS    4096 /**< partitions per namespace */

AERO_END_DECLS

#endif
