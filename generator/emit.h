/*
 * emit.h - C code generation from a checked schema.
 *
 * The emitter writes into memory; main.c writes the files only when both
 * are complete, so a failed run never leaves partial output.
 */
#ifndef AEROGEN_EMIT_H
#define AEROGEN_EMIT_H

#include "ast.h"

/** A growable text buffer. */
typedef struct ag_buf {
    char *p;
    size_t len, cap;
} ag_buf;

void ag_buf_free(ag_buf *b);

typedef struct ag_emit_opts {
    const char *source_name; /* schema file name printed in the stamp (basename) */
    const char *header_name; /* how the .c includes the header, e.g. "users.aero.h" */
    const char *version;     /* aerogen version */
} ag_emit_opts;

/** Generate the header and source text of `s` (which passed ag_sema without errors). */
void ag_emit(const ag_schema *s, const ag_emit_opts *o, ag_buf *h, ag_buf *c);

#endif
