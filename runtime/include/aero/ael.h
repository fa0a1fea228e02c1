/*
 * aero/ael.h - compiled filter expressions and the AEL compiler.
 *
 * An aero_expr is a compiled server expression: the exact bytes Aerospike
 * evaluates. Build one from AEL text at run time with aero_ael_compile(), or
 * let aerogen compile it at build time (generated code passes static bytes
 * with the *_where_bytes() entry points, and nothing is parsed at run time).
 *
 *     aero_expr *e = aero_ael_compile("$.status == 'active' and $.age > 21", NULL, 0, &err);
 *     if (!e) fprintf(stderr, "%s\n", err.message);   // "1:27: ..." on bad input
 *
 * Ownership: aero_ael_compile() returns a new expression; free it with
 * aero_expr_free(). Builders that take an aero_expr copy its bytes.
 *
 * The language is the SDK's, described as aero implements it in docs/ael.md;
 * the bytes match the SDK's for the same text, including its type inference
 * (an untyped `$.x` takes its type from the other side of a comparison, INT
 * by default; docs/ael.md section 3). Deliberate choices where the SDK is
 * quirky (docs/ael.md section 10):
 *   - kept for byte compatibility: memorySize()/recordSize() compile to
 *     device_size(); `$.x.asInt()` reads x as a float bin; `$.m.count()`
 *     without `{}` is list_size; a CDT path right of `in` reads a STRING;
 *     `.get(return: RANK)` on a list falls back to VALUE;
 *   - mutation path functions (remove(), insert(), set(), ...) are rejected
 *     with an error instead of being silently ignored;
 *   - so are `.get(return: R)` for R = KEY, KEY_VALUE, NONE, REVERSE_INDEX
 *     and REVERSE_RANK, which the SDK accepts but ignores (it reads values);
 *   - open-ended value and key ranges (`[=5:]`, `{a-}`) omit the end
 *     argument (the server's "up to infinity"), as the Java and Rust clients
 *     encode them;
 *   - a multi-value read with return EXISTS (e.g. `in`) has result type BOOL.
 * Messages start with "line:col: "; syntax errors read "mismatched input 'x'"
 * (docs/ael.md section 9 lists what is refused).
 * Reentrant: no global state; safe to call from many threads.
 */
#ifndef AERO_AEL_H
#define AERO_AEL_H

#include <aero/error.h>
#include <aero/value.h>

AERO_BEGIN_DECLS

typedef struct aero_expr aero_expr;

/**
 * Parse, type-check and encode AEL `text`. Placeholders ?0..?N-1 take the
 * values in `args`, which may be NULL when n_args is 0 (docs/ael.md
 * section 8). Returns a new expression (free with aero_expr_free()); on
 * failure NULL, with err filled: AERO_ERR_AEL and a message
 * "line:col: what is wrong", or AERO_ERR_NO_MEMORY.
 */
AERO_API aero_expr *aero_ael_compile(const char *text, const aero_value *args, size_t n_args, aero_error *err);

/** The wire bytes of an expression (a msgpack value); `*len` receives the size. */
AERO_API const uint8_t *aero_expr_bytes(const aero_expr *expr, size_t *len);

/**
 * An expression over a copy of existing wire bytes (the caller's bytes are not
 * kept; free the result with aero_expr_free()). The bytes are not checked: the
 * server refuses a malformed expression. NULL with err filled: AERO_ERR_PARAM
 * for NULL bytes with a non-zero length, AERO_ERR_NO_MEMORY.
 */
AERO_API aero_expr *aero_expr_from_bytes(const uint8_t *bytes, size_t len, aero_error *err);

/** Free an expression. NULL is a no-op. */
AERO_API void aero_expr_free(aero_expr *expr);

/**
 * Parse a CDT path such as "$.listBin.[0].key" (docs/ael.md section 5.3)
 * into its bin name and CDT context: the msgpack array [ctx_type, value, ...]
 * that list and map operations put in front of their op. Parts map to
 * list_index 0x10, list_rank 0x11, list_value 0x13, map_index 0x20,
 * map_rank 0x21, map_key 0x22, map_value 0x23. `bin` receives the bin name
 * (NUL-terminated, truncated to bin_size - 1). On success *ctx is a malloc'd
 * buffer the caller frees with free(). Errors (AERO_ERR_AEL): "Path must not
 * be null or empty", "CDT context is not provided" (a bare bin), "Unsupported
 * input expression type 'EXPRESSION_CONTAINER'" (not a path), "Path function
 * is unsupported", "Unsupported CDT part type" (ranges and lists).
 */
AERO_API aero_status aero_ael_parse_ctx(const char *path, char *bin, size_t bin_size, uint8_t **ctx, size_t *ctx_len,
                                        aero_error *err);

/**
 * Types of AEL values and template slots: the server's expression result
 * types (docs/ael.md section 3), plus AERO_AEL_ANY for "not declared /
 * unknown".
 */
typedef enum aero_ael_type {
    AERO_AEL_NIL = 0,
    AERO_AEL_BOOL = 1,
    AERO_AEL_INT = 2,
    AERO_AEL_STRING = 3,
    AERO_AEL_LIST = 4,
    AERO_AEL_MAP = 5,
    AERO_AEL_BLOB = 6,
    AERO_AEL_FLOAT = 7,
    AERO_AEL_GEO = 8,
    AERO_AEL_HLL = 9,
    AERO_AEL_ANY = 15,
} aero_ael_type;

/**
 * One placeholder slot of a precompiled expression template (emitted by
 * aerogen): the encoding of parameter `param`, which must have type `type`,
 * goes at byte `offset` of the template's constant bytes.
 */
typedef struct aero_ael_slot {
    uint32_t offset;
    uint16_t param;
    uint8_t type; /**< an aero_ael_type */
} aero_ael_slot;

/**
 * Assemble an expression from a template: the constant `bytes` (len bytes)
 * with, at each slot (ascending offsets), the msgpack encoding of
 * args[slot.param]. Slot encodings: INT as a msgpack int, FLOAT as a double
 * (an AERO_INT argument is converted), STRING / BLOB / GEO as particle
 * strings (0x03 / 0x04 / 0x17), BOOL, LIST and MAP as msgpack (the QUOTE
 * wrapper of a list is part of the constant bytes). Returns a new expression
 * (free with aero_expr_free) or NULL with err filled: AERO_ERR_PARAM when an
 * argument is missing or of the wrong type ("placeholder ?1 expects int, got
 * str") or a slot is malformed, AERO_ERR_NO_MEMORY.
 */
AERO_API aero_expr *aero_ael_template_fill(const uint8_t *bytes, size_t len, const aero_ael_slot *slots, size_t n_slots,
                                           const aero_value *args, size_t n_args, aero_error *err);

AERO_END_DECLS

#endif
