/*
 * sema.h - semantic checks of a parsed schema.
 *
 * ag_sema() resolves type names, checks every rule of the language (names,
 * lengths, duplicates, defaults, keys, queries) and the C names the emitter
 * will produce, and reports everything it finds. The emitter only runs on
 * a schema with no errors, and may rely on what sema filled in.
 */
#ifndef AEROGEN_SEMA_H
#define AEROGEN_SEMA_H

#include "ast.h"
#include "diag.h"

/** Check `s`; returns the number of errors in `d` afterwards. */
int ag_sema(ag_schema *s, ag_diags *d);

/** Compact signature of a list/map type for the runtime, e.g. "lms" ("list<map<string,...>>"). */
void ag_type_sig(const ag_type *t, char *buf, size_t size);

/** Element name of a resolved type (int, str, address, list_int, map_str_list_blob ...): the C type names. */
const char *ag_type_ename(ag_arena *a, const ag_type *t);
/** A list or map of scalars only: a runtime type (aero_list_<E>, aero_map_<K>_<V>). */
bool ag_type_is_runtime(const ag_type *t);
/** Not a list, map or document. */
bool ag_type_is_scalar(ag_kind k);

/** The C identifier in upper case (for macros). Arena copy. */
char *ag_upper(ag_arena *a, const char *s);

/** Check the named queries (AEL). Implemented in query.c. */
void ag_check_queries(ag_schema *s, ag_diags *d);

/** Check the index declarations (records, bins, types, contexts, duplicates). Implemented in index.c. */
void ag_check_indexes(ag_schema *s, ag_diags *d);
/* After both checks: choose each named query's index part among the declared indexes (query.c). */
void ag_choose_query_indexes(ag_schema *s, ag_diags *d);

/** Edit distance of two short words, for "did you mean" (99 for long words). */
size_t ag_distance(const char *a, const char *b);

/** A C or C++ keyword (or a name the generated code cannot use at file scope)? */
bool ag_is_reserved(const char *s);

#endif
