/*
 * ael/ael_typed.h - INTERNAL compile API of the AEL front end for aerogen.
 *
 * aerogen knows each bin's type from the schema, so it compiles AEL with a
 * bin-type environment and typed placeholders, and emits the result as a
 * TEMPLATE: constant byte segments with slots where the encoded values of the
 * placeholders go. Generated code stores the template as static data and calls
 * the public aero_ael_template_fill() (aero/ael.h) at run time; nothing is
 * parsed at run time.
 *
 *     static const aero_ael_bin bins[] = {
 *         { "status", AERO_AEL_STRING, NULL }, { "age", AERO_AEL_INT, NULL },
 *     };
 *     aero_ael_env env = { bins, 2 };
 *     aero_ael_template t;
 *     aero_ael_diag d;
 *     if (aero_ael__compile_typed("$.status == ?0 and $.age > ?1", &env, NULL, 0, &t, &d) != AERO_OK)
 *         report(file_line + d.line - 1, d.col, d.message);  // "bin 'age' is int, compared with string"
 *     // t.bytes[0..t.len) are the constant bytes, t.slots[i] says "insert the
 *     // encoding of parameter t.slots[i].param (type t.slots[i].type) at byte
 *     // offset t.slots[i].offset of t.bytes". Emit them, then:
 *     aero_ael__template_free(&t);
 *
 * BIN ENVIRONMENT. When env != NULL:
 *   - `$.age` where age has type INT reads as int_bin("age") whatever the
 *     context (no inference); a CDT path `$.m.k` on a MAP bin keeps the usual
 *     inference for the element type, but the base must agree: a list part on a
 *     MAP bin (or a map part on a LIST bin) is an error
 *     "bin 'm' is map, used as list".
 *   - comparing a typed bin with an incompatible type is an error
 *     "bin 'age' is int, compared with string" (INT and FLOAT are compatible;
 *     BLOB accepts a base64 string literal like in plain AEL).
 *   - an unknown bin name is an error "unknown bin 'agee'".
 *   - an explicit `.get(type: T)` that contradicts the schema is an error.
 *   - bin type AERO_AEL_ANY in the table means "no declared type": plain AEL
 *     inference applies to that bin.
 *   - a bin with a type tree (aero_ael_bin.tree) types the singular parts of
 *     a path into it (index, rank, key): `$.home.zip` is the type of field
 *     zip, a missing field is "document 'address' (bin 'home') has no field
 *     'nope'", a list part on a map (or a scalar) "'home.zip' is int, used
 *     as list", a key of the wrong type "map keys of 'prefs' are string, not
 *     int", and a comparison with another type "'home.zip' is int, compared
 *     with string". A read whose type the tree does not know (NULL item)
 *     is inferred from its context as without a tree.
 * With env == NULL the compiler behaves exactly like aero_ael_compile().
 *
 * TYPED PLACEHOLDERS (decision: a declared type array, no new syntax). The
 * AEL text stays standard (`?0`, `?1`, ...). `param_types[i]` declares the
 * type of ?i. An entry AERO_AEL_ANY (or i >= n_params, or param_types NULL)
 * asks the compiler to infer the type from the context, e.g. in
 * `$.age > ?0` with age INT, ?0 is INT; if it cannot be inferred the error is
 * "cannot infer the type of placeholder ?0; declare it". The type finally
 * used for every slot is reported in aero_ael_slot.type, so the generator can
 * type its C parameters from it. A placeholder may occur several times; each
 * occurrence is its own slot with the same param index. Declared param types
 * take part in inference exactly as compile-time values of that type would
 * (an INT ?0 next to a deferred bin makes the bin int_bin, and so on).
 * An undeclared placeholder inferred with two different types is an error
 * "placeholder ?0 is used both as int and as string; declare its type".
 *
 * SLOT ENCODING (what aero_ael_template_fill() writes into a slot):
 *   INT    int64, minimal msgpack int           (value AERO_INT)
 *   FLOAT  cb + 8 bytes                         (AERO_DOUBLE; AERO_INT is converted)
 *   STRING particle string 0x03                 (AERO_STR)
 *   BOOL   c2 / c3                              (AERO_BOOL)
 *   BLOB   particle string 0x04                 (AERO_BLOB)
 *   GEO    particle string 0x17                 (AERO_GEOJSON or AERO_STR)
 *   LIST   the msgpack list; the [126, ...] QUOTE wrapper is in the constant
 *          bytes, not in the slot               (AERO_LIST)
 *   MAP    the msgpack map                      (AERO_MAP)
 * A value of another type is refused with AERO_ERR_PARAM
 * "placeholder ?1 expects int, got str".
 *
 * LOCATIONS. diag.line / diag.col are 1-based and relative to the AEL text
 * (the generator adds the position of the string in its file). diag.message
 * has no "L:C:" prefix; the public API adds one.
 *
 * Thread safety: every function here is reentrant; no global state.
 */
#ifndef AERO_AEL_TYPED_H
#define AERO_AEL_TYPED_H

#include <aero/ael.h>
#include <aero/error.h>

#include <stddef.h>
#include <stdint.h>

/*
 * aero_ael_type, aero_ael_slot and aero_ael_template_fill() are public (they
 * are used by generated code) and live in aero/ael.h. The values of
 * aero_ael_type are the server's expression result types (protocol.md 8.1),
 * plus AERO_AEL_ANY for "not declared / infer".
 */

struct aero_ael_tfield;

/**
 * The declared shape of a list, map or document value (a type tree), for
 * typing CDT paths into a bin: `$.tags.[0]` of a list<string> is a string,
 * `$.prefs.k` of a map<string, int> an int, `$.home.zip` of a document with
 * an int field `zip` an int, and `$.home.nope` is an error naming the
 * document and the missing field. A document is a MAP keyed by field name.
 */
typedef struct aero_ael_tnode {
    aero_ael_type type;                 /**< a scalar, AERO_AEL_LIST or AERO_AEL_MAP (documents too) */
    const struct aero_ael_tnode *item;  /**< LIST: the element; MAP: the value; NULL: unknown (ANY) */
    const struct aero_ael_tnode *key;   /**< MAP: the key (INT, STRING or BLOB); NULL: unknown */
    const char *doc;                    /**< a document: its name (for messages); NULL otherwise */
    const struct aero_ael_tfield *fields; /**< a document: its fields (map keys), any order */
    size_t n_fields;
} aero_ael_tnode;

/** One field of a document: its map key and its type. */
typedef struct aero_ael_tfield {
    const char *name;           /**< the map key (what a path names) */
    const aero_ael_tnode *type;
    const char *field;          /**< its name in the schema when it differs from the key (for messages), or NULL */
} aero_ael_tfield;

/** One bin of the environment. `name` is NUL-terminated. */
typedef struct aero_ael_bin {
    const char *name;
    aero_ael_type type; /**< AERO_AEL_ANY: declared without a type */
    /**
     * LIST / MAP bins: the shape of the value, or NULL (element types
     * unknown: CDT reads are inferred from their context as in plain AEL).
     */
    const aero_ael_tnode *tree;
} aero_ael_bin;

/** The bins of a set, as the schema declares them. Lookup is linear. */
typedef struct aero_ael_env {
    const aero_ael_bin *bins;
    size_t n_bins;
} aero_ael_env;

/** A compiled template. Owns `bytes` and `slots` (free with aero_ael__template_free). */
typedef struct aero_ael_template {
    uint8_t *bytes; /**< constant bytes, placeholders cut out */
    size_t len;
    aero_ael_slot *slots; /**< ascending offsets; NULL when n_slots == 0 */
    size_t n_slots;
    uint16_t n_params;    /**< 1 + highest placeholder index used (0: none) */
    aero_ael_type result; /**< type of the whole expression (BOOL for a filter) */
} aero_ael_template;

/** Where and why a compile failed. */
typedef struct aero_ael_diag {
    int line; /**< 1-based, relative to the AEL text */
    int col;  /**< 1-based, in bytes */
    char message[AERO_ERROR_MESSAGE_SIZE];
} aero_ael_diag;

/**
 * Compile NUL-terminated AEL `text` with an optional bin environment and
 * declared placeholder types into a template. `param_types` may be NULL.
 * Returns AERO_OK and fills *out (caller frees with aero_ael__template_free),
 * or AERO_ERR_AEL (bad text, type error) / AERO_ERR_NO_MEMORY with *diag
 * filled (diag may be NULL) and *out zeroed. Never allocates on failure paths
 * that it does not also free.
 */
aero_status aero_ael__compile_typed(const char *text, const aero_ael_env *env, const aero_ael_type *param_types,
                                    size_t n_params, aero_ael_template *out, aero_ael_diag *diag);

/** Free a template's storage and zero it. NULL is a no-op. */
void aero_ael__template_free(aero_ael_template *t);

/** Lower-case name of a type ("int", "string", "float", ...). Static storage. */
const char *aero_ael__type_name(aero_ael_type t);

#endif
