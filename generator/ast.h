/*
 * ast.h - the syntax tree of a schema file, and the arena it lives in.
 *
 * Every node and string of one parse is allocated from one arena and freed
 * at once with ag_arena_free(), so a syntax error in the middle of a rule
 * leaks nothing and the parser needs no destructors.
 */
#ifndef AEROGEN_AST_H
#define AEROGEN_AST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- arena ---- */

typedef struct ag_arena ag_arena;

ag_arena *ag_arena_new(void);
void ag_arena_free(ag_arena *a);
/** Zeroed storage; aborts the program when the machine is out of memory. */
void *ag_arena_alloc(ag_arena *a, size_t n);
/** A NUL-terminated copy of n bytes. */
char *ag_arena_strndup(ag_arena *a, const char *s, size_t n);
/** vprintf into a new malloc'd string, which the caller frees; aborts when out of memory. */
char *ag_vformat(const char *fmt, va_list ap);
/** printf into the arena: a NUL-terminated string that lives as long as the arena. */
char *ag_arena_printf(ag_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- locations ---- */

/** A span in the schema text: 1-based line and column, length in bytes on that line. */
typedef struct ag_loc {
    int line, col;
    int len;
} ag_loc;

/* ---- types ---- */

typedef enum ag_kind {
    AG_T_INVALID = 0, /* an unknown name: already reported */
    AG_T_INT,
    AG_T_DOUBLE,
    AG_T_BOOL,
    AG_T_STRING,
    AG_T_BLOB,
    AG_T_GEOJSON,
    AG_T_LIST,
    AG_T_MAP,
    AG_T_DOC, /* a document type of the schema (`type NAME { ... }`) */
    AG_T_HLL,
} ag_kind;

struct ag_doc;

/** A type as written: a name with 0..n type arguments (resolved by sema). */
typedef struct ag_type {
    const char *name;
    ag_loc loc;
    struct ag_type *args[2];
    int n_args;   /* as written, may exceed 2 (extra ones are dropped, counted) */
    ag_kind kind; /* set by sema */
    struct ag_doc *doc; /* AG_T_DOC: the document (set by sema) */
} ag_type;

/* ---- literals (default values) ---- */

typedef enum ag_lit_kind { AG_L_INT, AG_L_DOUBLE, AG_L_STRING, AG_L_BOOL } ag_lit_kind;

typedef struct ag_lit {
    ag_lit_kind kind;
    ag_loc loc;
    int64_t i;
    double d;
    bool b;
    const char *s; /* decoded bytes, NUL-terminated */
    size_t s_len;
    const char *text; /* the number as written */
} ag_lit;

/* ---- declarations ---- */

typedef struct ag_bin {
    const char *field; /* C field name */
    ag_loc loc;
    ag_type *type;
    const char *bin; /* bin name on the server (= field unless `bin "x"`) */
    ag_loc bin_loc;
    bool required, optional_kw;
    ag_loc required_loc;
    ag_lit *dflt;
    const char *doc; /* `///` comment lines before the bin, or NULL */
    struct ag_bin *next;
} ag_bin;

typedef struct ag_record {
    const char *name;
    ag_loc loc;
    const char *set; /* NULL: no set */
    ag_loc set_loc;
    ag_type *key; /* NULL until `key T;` */
    ag_loc key_loc;
    int n_keys;     /* `key` lines seen */
    bool had_error; /* a syntax error inside: skip "missing" checks */
    ag_bin *bins, **bins_tail;
    int n_bins;
    const char *doc;
    struct ag_record *next;
    /* sema results */
    ag_bin **order; /* bins in declaration order, n_bins entries */
    int *by_name;   /* indexes sorted by bin name (strcmp) */
} ag_record;

/* `type NAME { FIELD TYPE [required|optional] [= DEFAULT] [bin "KEY"]; ... }`: fields are ag_bins (bin = map key). */
typedef struct ag_doc {
    const char *name;
    ag_loc loc;
    ag_bin *fields, **fields_tail;
    int n_fields;
    bool had_error;
    const char *doc;
    struct ag_doc *next;
    /* sema results */
    ag_bin **order;  /* fields in declaration order */
    int *by_name;    /* indexes sorted by key (strcmp) */
    int state;       /* recursion check: 0 new, 1 on the path, 2 done */
    int depth;       /* nesting levels of its deepest field (0: not computed) */
    bool bad;        /* part of a cycle or an invalid field type */
    const void *ael_tree; /* its aero_ael_tnode for typing AEL paths (query.c) */
} ag_doc;

typedef struct ag_param {
    const char *name;
    ag_loc loc;
    ag_type *type;
    struct ag_param *next;
} ag_param;

typedef struct ag_query {
    const char *name;
    ag_loc loc;
    const char *record_name;
    ag_loc record_loc;
    ag_param *params, **params_tail;
    int n_params;
    char *where; /* AEL text (concatenated string pieces) */
    size_t where_len;
    ag_loc where_loc; /* first string piece */
    /* Where each byte of `where` came from, to map AEL positions back. */
    ag_loc *where_map; /* where_len + 1 entries (one per byte, then the end) */
    const char *doc;
    struct ag_query *next;
    /* sema results */
    ag_record *record;
    uint8_t *expr; /* template bytes */
    size_t expr_len;
    struct ag_slot {
        uint32_t offset;
        uint16_t param;
        uint8_t type;
    } * slots;
    size_t n_slots;
    /* The index part chosen among the declared indexes (query.c), NULL: none. */
    struct ag_index_use {
        const struct ag_index *index;
        uint8_t type;       /* aero_ael_type: INT, STRING or BLOB */
        int64_t begin, end; /* INT constant */
        uint8_t *value;     /* STRING / BLOB constant */
        size_t value_len;
        int param;    /* -1, or the placeholder whose value the filter takes */
        int cmp;      /* aero_schema_cmp with param */
        uint8_t *ctx; /* packed CDT context */
        size_t ctx_len;
        uint8_t *rest; /* template of the rest, rest_len 0: nothing remains */
        size_t rest_len;
        struct ag_slot *rest_slots;
        size_t n_rest_slots;
    } * use;
} ag_query;

/* Index type and collection kind; the values are aero_index_type / aero_index_collection (aero/index.h). */
typedef enum ag_index_type {
    AG_IX_INVALID = 0, /* unknown word: already reported */
    AG_IX_NUMERIC = 1,
    AG_IX_STRING = 2,
    AG_IX_BLOB = 3,
    AG_IX_GEO2DSPHERE = 4,
} ag_index_type;

typedef enum ag_index_coll {
    AG_IC_NONE = 0,
    AG_IC_LIST = 1,
    AG_IC_MAPKEYS = 2,
    AG_IC_MAPVALUES = 3,
    AG_IC_INVALID = 99, /* unknown word: already reported */
} ag_index_coll;

/* `index NAME on RECORD(FIELD) TYPE [COLLECTION] [context "PATH"];` */
typedef struct ag_index {
    const char *name; /* index name on the server */
    ag_loc loc;
    const char *record_name;
    ag_loc record_loc;
    const char *field; /* field (or bin) name */
    ag_loc field_loc;
    const char *type_word; /* numeric, string, blob, geo2dsphere */
    ag_loc type_loc;
    const char *coll_word; /* list, mapkeys, mapvalues; NULL: none */
    ag_loc coll_loc;
    char *ctx; /* AEL path of the CDT context, NULL: none */
    size_t ctx_len;
    ag_loc ctx_loc;
    ag_loc *ctx_map; /* ctx_len + 1 entries: each byte's source position */
    const char *doc;
    bool had_error; /* a syntax error in it: only its names are checked */
    struct ag_index *next;
    /* sema results */
    ag_record *record;
    ag_bin *bin;
    ag_index_type type;
    ag_index_coll coll;
} ag_index;

typedef struct ag_schema {
    const char *path; /* as given on the command line */
    const char *ns;
    ag_loc ns_loc;
    int n_ns;
    ag_record *records, **records_tail;
    int n_records;
    ag_query *queries, **queries_tail;
    int n_queries;
    ag_index *indexes, **indexes_tail;
    int n_indexes;
    ag_doc *docs, **docs_tail;
    int n_docs;
    /* The C stem of schema-level names (<stem>_create_indexes): prefix + the file's base name; set by sema. */
    const char *stem;
    ag_arena *arena;
    /* Prepended to every generated C name (--prefix); "" by default. Lower/mixed case as given for types and
     * functions, upper-cased for macros and constants. */
    const char *prefix;
} ag_schema;

void ag_schema_init(ag_schema *s, const char *path, ag_arena *a);

/** Name of a resolved type, e.g. "map<string, list<int>>" written into buf. */
void ag_type_format(const ag_type *t, char *buf, size_t size);

#endif
