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
#define AERO_SCHEMA_ABI 1

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
