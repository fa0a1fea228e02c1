/*
 * fuzz_schema.c - libFuzzer target for aerogen's front end: lexer, parser,
 * semantic checks, diagnostics printing (with source quotes) and, for
 * inputs without errors, the C emitter. Any crash, leak, out-of-bounds read
 * or undefined behaviour is a bug: aerogen must report bad input, never
 * misbehave on it.
 */
#include "ast.h"
#include "diag.h"
#include "emit.h"
#include "lexer.h"
#include "sema.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536)
        return 0;
    /* A private copy, so reads past the end are caught by ASan. */
    char *src = malloc(size ? size : 1);
    if (!src)
        return 0;
    memcpy(src, data, size);

    ag_arena *arena = ag_arena_new();
    ag_schema schema;
    ag_schema_init(&schema, "fuzz.aero", arena);
    ag_diags *diags = ag_diags_new("fuzz.aero", src, size);
    ag_parse(&schema, diags, src, size);
    ag_sema(&schema, diags);
    int errors = ag_diags_errors(diags);

    FILE *sink = fopen("/dev/null", "w");
    if (sink) {
        ag_diags_flush(diags, sink);
        fclose(sink);
    }
    if (errors == 0) {
        ag_emit_opts o = { "fuzz.aero", "fuzz.aero.h", "fuzz" };
        ag_buf h = { 0 }, c = { 0 };
        ag_emit(&schema, &o, &h, &c);
        ag_buf_free(&h);
        ag_buf_free(&c);
    }
    ag_diags_free(diags);
    ag_arena_free(arena);
    free(src);
    return 0;
}
