/*
 * diag.h - compiler-style diagnostics for aerogen.
 *
 * Diagnostics are collected while the schema is lexed, parsed and checked,
 * then printed sorted by position, each as
 *
 *     schemas/users.aero:14:9: error: bin name 'last_login_timestamp' is 20 bytes, the limit is 15
 *        14 |     last_login_timestamp int;
 *           |     ^~~~~~~~~~~~~~~~~~~~
 *
 * followed by any notes attached to it. Nothing is printed until
 * ag_diag_flush(), so the order never depends on which pass found what.
 */
#ifndef AEROGEN_DIAG_H
#define AEROGEN_DIAG_H

#include "ast.h"

#include <stdio.h>

typedef enum ag_severity { AG_NOTE, AG_WARNING, AG_ERROR } ag_severity;

typedef struct ag_diags ag_diags;

/** `src` (len bytes) is the schema text, used to quote lines; it must outlive the set. */
ag_diags *ag_diags_new(const char *path, const char *src, size_t len);
void ag_diags_free(ag_diags *d);

/** Report at loc (loc.line 0 means "the whole file", printed without a caret). */
void ag_diag(ag_diags *d, ag_severity sev, ag_loc loc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define ag_error(d, loc, ...)   ag_diag((d), AG_ERROR, (loc), __VA_ARGS__)
#define ag_warning(d, loc, ...) ag_diag((d), AG_WARNING, (loc), __VA_ARGS__)
/** A note attached to the diagnostic reported just before. */
#define ag_note(d, loc, ...) ag_diag((d), AG_NOTE, (loc), __VA_ARGS__)

int ag_diags_errors(const ag_diags *d);
int ag_diags_warnings(const ag_diags *d);

/** Treat warnings as errors (-Werror): they count as errors and print as "error". */
void ag_diags_set_werror(ag_diags *d, bool on);
/** Do not report warnings at all (-w). */
void ag_diags_set_quiet(ag_diags *d, bool on);

/** Print everything collected, sorted by position, and forget it. */
void ag_diags_flush(ag_diags *d, FILE *out);

#endif
