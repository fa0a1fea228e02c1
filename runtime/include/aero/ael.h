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
 */
#ifndef AERO_AEL_H
#define AERO_AEL_H

#include <aero/error.h>
#include <aero/value.h>

AERO_BEGIN_DECLS

typedef struct aero_expr aero_expr;

/**
 * Parse, type-check and encode AEL `text`. Placeholders ?0..?N-1 take the
 * values in `args` (may be NULL when n_args is 0). On failure returns NULL and
 * fills err with AERO_ERR_AEL and a message "line:col: what is wrong".
 */
AERO_API aero_expr *aero_ael_compile(const char *text, const aero_value *args, size_t n_args, aero_error *err);

/** The wire bytes of an expression (a msgpack value); `*len` receives the size. */
AERO_API const uint8_t *aero_expr_bytes(const aero_expr *expr, size_t *len);

/** An expression over a copy of existing wire bytes. NULL when out of memory. */
AERO_API aero_expr *aero_expr_from_bytes(const uint8_t *bytes, size_t len);

/** Free an expression. NULL is a no-op. */
AERO_API void aero_expr_free(aero_expr *expr);

AERO_END_DECLS

#endif
