/*
 * main.c - aerogen command line.
 *
 *   aerogen [options] SCHEMA.aero
 *     -o, --output-dir DIR   write DIR/SCHEMA.aero.h and DIR/SCHEMA.aero.c
 *     --header PATH          write the header here (with --source)
 *     --source PATH          write the C source here
 *     --include NAME         how the source includes the header (default: header's file name)
 *     --prefix PREFIX        start every generated C name with PREFIX (macros: upper-cased)
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

#include <ctype.h>
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
                            "  --prefix PREFIX        start every generated name with PREFIX: --prefix app_ gives\n"
                            "                         app_user, app_user_get(), APP_USER_INIT (default: none)\n"
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

/* The command line. */
typedef struct options {
    const char *input, *outdir, *hpath, *cpath, *include, *prefix;
    bool check, werror, quiet;
} options;

/*
 * A prefix is the start of a C identifier that is not reserved: not for the C implementation (file-scope names
 * starting with '_'), not for aero. Empty is no prefix.
 */
static bool prefix_ok(const char *p) {
    if (!*p)
        return true;
    if (strlen(p) > 32 || (p[0] >= '0' && p[0] <= '9') || p[0] == '_')
        return false;
    for (const char *c = p; *c; c++)
        if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
            return false;
    static const char aero[] = "aero_";
    for (size_t i = 0; i < 5; i++)
        if (tolower((unsigned char)p[i]) != aero[i]) /* also stops at the end of p */
            return true;
    return false;
}

/* Parse argv into *o: -1 to go on, else the exit status (help, version, bad usage). */
static int parse_args(int argc, char **argv, options *o) {
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
            o->check = true;
        } else if (strcmp(a, "-Werror") == 0) {
            o->werror = true;
        } else if (strcmp(a, "-w") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output-dir") == 0) {
            target = &o->outdir;
        } else if (strcmp(a, "--header") == 0) {
            target = &o->hpath;
        } else if (strcmp(a, "--source") == 0) {
            target = &o->cpath;
        } else if (strcmp(a, "--include") == 0) {
            target = &o->include;
        } else if (strcmp(a, "--prefix") == 0) {
            target = &o->prefix;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "aerogen: unknown option '%s'\n%s", a, usage);
            return 2;
        } else if (o->input) {
            fprintf(stderr, "aerogen: one schema per run ('%s' and '%s')\n", o->input, a);
            return 2;
        } else {
            o->input = a;
        }
        if (target) {
            if (i + 1 >= argc) {
                fprintf(stderr, "aerogen: option '%s' needs a value\n", a);
                return 2;
            }
            *target = argv[++i];
        }
    }
    if (!o->input) {
        fputs(usage, stderr);
        return 2;
    }
    if (!o->check && !o->outdir && !(o->hpath && o->cpath)) {
        fprintf(stderr, "aerogen: say where to write: -o DIR, or --header H --source C (or --check)\n");
        return 2;
    }
    if (o->outdir && (o->hpath || o->cpath)) {
        fprintf(stderr, "aerogen: -o cannot be combined with --header/--source\n");
        return 2;
    }
    if (o->prefix && !prefix_ok(o->prefix)) {
        fprintf(stderr,
                "aerogen: prefix '%s' is not the start of a C identifier (letters, digits, '_'; at most 32 bytes; not "
                "starting with a digit, '_' or 'aero_')\n",
                o->prefix);
        return 2;
    }
    return -1;
}

/* Emit the checked schema and write both files (temporary names, then renamed): 0, or 3 on an I/O error. */
static int write_output(const ag_schema *schema, const options *opt) {
    const char *hpath = opt->hpath, *cpath = opt->cpath;
    char *hbuf = NULL, *cbuf = NULL;
    if (opt->outdir) {
        const char *b = base_name(opt->input);
        size_t n = strlen(opt->outdir) + strlen(b) + 4;
        hbuf = malloc(n);
        cbuf = malloc(n);
        if (!hbuf || !cbuf) {
            fputs("aerogen: out of memory\n", stderr);
            exit(70);
        }
        snprintf(hbuf, n, "%s/%s.h", opt->outdir, b);
        snprintf(cbuf, n, "%s/%s.c", opt->outdir, b);
        hpath = hbuf;
        cpath = cbuf;
    }
    ag_emit_opts o = { base_name(opt->input), opt->include ? opt->include : base_name(hpath), AEROGEN_VERSION };
    ag_buf h = { 0 }, c = { 0 };
    ag_emit(schema, &o, &h, &c);
    int rc = 0;
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
    return rc;
}

int main(int argc, char **argv) {
    options opt = { 0 };
    int status = parse_args(argc, argv, &opt);
    if (status >= 0)
        return status;

    size_t len = 0;
    char *src = read_file(opt.input, &len);
    if (!src) {
        fprintf(stderr, "aerogen: cannot read %s: %s\n", opt.input, strerror(errno));
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
    ag_schema_init(&schema, opt.input, arena);
    if (opt.prefix)
        schema.prefix = opt.prefix;
    ag_diags *diags = ag_diags_new(opt.input, text, len);
    ag_diags_set_werror(diags, opt.werror);
    ag_diags_set_quiet(diags, opt.quiet);

    ag_parse(&schema, diags, text, len);
    /* Semantic checks run even after syntax errors: what parsed is still checked. */
    ag_sema(&schema, diags);
    int errors = ag_diags_errors(diags);
    ag_diags_flush(diags, stderr);

    int rc = errors ? 1 : 0;
    if (errors)
        fprintf(stderr, "aerogen: %d error%s, nothing written\n", errors, errors == 1 ? "" : "s");
    else if (!opt.check)
        rc = write_output(&schema, &opt);
    ag_diags_free(diags);
    ag_arena_free(arena);
    free(src);
    return rc;
}
