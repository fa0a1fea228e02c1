/*
 * main.c - aerogen command line.
 *
 *   aerogen [options] SCHEMA.aero
 *     -o, --output-dir DIR   write DIR/SCHEMA.aero.h and DIR/SCHEMA.aero.c
 *     --header PATH          write the header here (with --source)
 *     --source PATH          write the C source here
 *     --include NAME         how the source includes the header (default: header's file name)
 *     --check                check the schema only, write nothing
 *     -Werror                treat warnings as errors;  -w  no warnings
 *     --version, --help
 *
 * Exit status: 0 success, 1 errors in the schema, 2 bad usage, 3 I/O error.
 * Files are written to a temporary name and renamed, and only when the
 * whole schema is free of errors, so a failed run leaves no partial output.
 */
#include "ast.h"
#include "diag.h"
#include "emit.h"
#include "lexer.h"
#include "sema.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef AEROGEN_VERSION
#define AEROGEN_VERSION "0.0.0"
#endif

static const char usage[] = "usage: aerogen [options] SCHEMA.aero\n"
                            "  -o, --output-dir DIR   write DIR/NAME.h and DIR/NAME.c (NAME = schema file name)\n"
                            "  --header PATH          header to write (use with --source)\n"
                            "  --source PATH          C source to write\n"
                            "  --include NAME         name the source uses to include the header\n"
                            "  --check                check the schema only\n"
                            "  -Werror                treat warnings as errors\n"
                            "  -w                     do not report warnings\n"
                            "  --version              print the version\n";

static const char *base_name(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
            }
            break;
        }
        cap *= 2;
        char *nb = realloc(buf, cap + 1);
        if (!nb)
            free(buf);
        buf = nb;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* Write to PATH.tmp then rename, so readers never see half a file. */
static bool write_tmp(const char *path, const ag_buf *b, char **tmp_out) {
    size_t n = strlen(path) + 8;
    char *tmp = malloc(n);
    if (!tmp)
        return false;
    snprintf(tmp, n, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    bool ok = f != NULL;
    if (f) {
        ok = fwrite(b->p, 1, b->len, f) == b->len;
        ok = (fclose(f) == 0) && ok;
    }
    if (!ok) {
        fprintf(stderr, "aerogen: cannot write %s: %s\n", tmp, strerror(errno));
        remove(tmp);
        free(tmp);
        return false;
    }
    *tmp_out = tmp;
    return true;
}

int main(int argc, char **argv) {
    const char *input = NULL, *outdir = NULL, *hpath = NULL, *cpath = NULL, *include = NULL;
    bool check = false, werror = false, quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **target = NULL;
        if (strcmp(a, "--version") == 0) {
            printf("aerogen %s (schema ABI 1)\n", AEROGEN_VERSION);
            return 0;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--check") == 0) {
            check = true;
        } else if (strcmp(a, "-Werror") == 0) {
            werror = true;
        } else if (strcmp(a, "-w") == 0) {
            quiet = true;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output-dir") == 0) {
            target = &outdir;
        } else if (strcmp(a, "--header") == 0) {
            target = &hpath;
        } else if (strcmp(a, "--source") == 0) {
            target = &cpath;
        } else if (strcmp(a, "--include") == 0) {
            target = &include;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "aerogen: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (input) {
            fprintf(stderr, "aerogen: one schema per run ('%s' and '%s')\n", input, a);
            return 2;
        } else {
            input = a;
        }
        if (target) {
            if (i + 1 >= argc) {
                fprintf(stderr, "aerogen: option '%s' needs a value\n", a);
                return 2;
            }
            *target = argv[++i];
        }
    }
    if (!input) {
        fputs(usage, stderr);
        return 2;
    }
    if (!check && !outdir && !(hpath && cpath)) {
        fprintf(stderr, "aerogen: say where to write: -o DIR, or --header H --source C (or --check)\n");
        return 2;
    }
    if (outdir && (hpath || cpath)) {
        fprintf(stderr, "aerogen: -o cannot be combined with --header/--source\n");
        return 2;
    }

    size_t len = 0;
    char *src = read_file(input, &len);
    if (!src) {
        fprintf(stderr, "aerogen: cannot read %s: %s\n", input, strerror(errno));
        return 3;
    }

    /* A UTF-8 byte order mark is not part of the text (columns start after it). */
    const char *text = src;
    if (len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }

    ag_arena *arena = ag_arena_new();
    ag_schema schema;
    ag_schema_init(&schema, input, arena);
    ag_diags *diags = ag_diags_new(input, text, len);
    ag_diags_set_werror(diags, werror);
    ag_diags_set_quiet(diags, quiet);

    ag_parse(&schema, diags, text, len);
    /* Semantic checks run even after syntax errors: what parsed is still checked. */
    ag_sema(&schema, diags);
    int errors = ag_diags_errors(diags);
    ag_diags_flush(diags, stderr);

    int rc = errors ? 1 : 0;
    if (errors) {
        fprintf(stderr, "aerogen: %d error%s, nothing written\n", errors, errors == 1 ? "" : "s");
    } else if (!check) {
        char *hbuf = NULL, *cbuf = NULL;
        if (outdir) {
            const char *b = base_name(input);
            size_t n = strlen(outdir) + strlen(b) + 4;
            hbuf = malloc(n);
            cbuf = malloc(n);
            if (!hbuf || !cbuf) {
                fputs("aerogen: out of memory\n", stderr);
                return 70;
            }
            snprintf(hbuf, n, "%s/%s.h", outdir, b);
            snprintf(cbuf, n, "%s/%s.c", outdir, b);
            hpath = hbuf;
            cpath = cbuf;
        }
        ag_emit_opts o = { base_name(input), include ? include : base_name(hpath), AEROGEN_VERSION };
        ag_buf h = { 0 }, c = { 0 };
        ag_emit(&schema, &o, &h, &c);
        char *ht = NULL, *ct = NULL;
        if (!write_tmp(hpath, &h, &ht) || !write_tmp(cpath, &c, &ct)) {
            rc = 3;
        } else if (rename(ht, hpath) != 0 || rename(ct, cpath) != 0) {
            fprintf(stderr, "aerogen: cannot rename into %s: %s\n", hpath, strerror(errno));
            rc = 3;
        }
        if (rc != 0) {
            if (ht)
                remove(ht);
            if (ct)
                remove(ct);
        }
        free(ht);
        free(ct);
        ag_buf_free(&h);
        ag_buf_free(&c);
        free(hbuf);
        free(cbuf);
    }
    ag_diags_free(diags);
    ag_arena_free(arena);
    free(src);
    return rc;
}
