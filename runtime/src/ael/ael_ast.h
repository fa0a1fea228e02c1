/*
 * ael/ael_ast.h - AEL syntax tree and compile context, shared by the parser,
 * the type checker, the path lowering and the encoder, with the internal
 * functions each file of the front end offers the others. All nodes live in
 * one arena owned by the compile context, so error paths free everything at
 * once.
 */
#ifndef AERO_AEL_AST_H
#define AERO_AEL_AST_H

#include <aero/ael.h>
#include <aero/error.h>
#include <aero/value.h>

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ael/ael_typed.h"
#include "proto/arena.h"
#include "proto/buf.h"

/* Inference type: the wire exp types, plus DEFERRED (decided by context). */
#define AEL_T_DEFERRED 14
#define AEL_T_ANY      AERO_AEL_ANY

typedef enum ael_kind {
    N_INT,     /* v.i (or v.u when big) */
    N_FLOAT,   /* v.d */
    N_STR,     /* v.s */
    N_BOOL,    /* v.b */
    N_BLOB,    /* v.s (decoded bytes) */
    N_GEO,     /* v.s: geoJson('...') */
    N_LIST,    /* kids = elements (constants) */
    N_MAP,     /* kids = k0, v0, k1, v1, ... */
    N_PH,      /* placeholder: v.ph */
    N_BIN,     /* bare bin read: v.s = name */
    N_PATH,    /* CDT path: path */
    N_META,    /* metadata function: op (and kids[0] for digest_modulo) */
    N_CMP,     /* op EQ..LE, kids[2] */
    N_IN,      /* kids[0] in kids[1] */
    N_AND,     /* n-ary */
    N_OR,      /* n-ary */
    N_NOT,     /* kids[0] */
    N_EXCL,    /* n-ary, encoded left-nested binary */
    N_ARITH,   /* op ADD/SUB/MUL/DIV, binary; also unary minus (MUL x -1) */
    N_FLOATOP, /* op POW/LOG/FLOOR/CEIL: operands resolved as FLOAT */
    N_INTOP,   /* op MOD, INT_AND.., shifts, INT_NOT, INT_COUNT, LSCAN/RSCAN */
    N_ABS,     /* kids[0] */
    N_MINMAX,  /* op MIN/MAX, n-ary */
    N_TOINT,   /* to_int(kids[0]) */
    N_TOFLOAT, /* to_float(kids[0]) */
    N_GEOCMP,  /* kids[2] */
    N_LET,     /* kids = def0, def1, ..., body; names in v.names */
    N_VAR,     /* v.s = name */
    N_WHEN,    /* kids = c0, a0, c1, a1, ..., default */
    N_UNKNOWN,
    /* produced by the checker from paths: */
    N_SIZE,      /* list_size (op 16) / map_size (op 96) of kids[0]; v.i = op */
    N_BINEXISTS, /* bin_exists(v.s) */
    N_HLL,       /* HLL read op `op` on hll_bin(v.s), optional kids[0] */
} ael_kind;

/* Path parts. */
typedef enum ael_part_kind {
    P_LIST_INDEX,
    P_LIST_RANK,
    P_LIST_VALUE,
    P_LIST_INDEX_RANGE,
    P_LIST_VALUE_LIST,
    P_LIST_VALUE_RANGE,
    P_LIST_RANK_RANGE,
    P_LIST_RANK_REL,
    P_LIST_DESIG,
    P_MAP_KEY,
    P_MAP_INDEX,
    P_MAP_RANK,
    P_MAP_VALUE,
    P_MAP_KEY_RANGE,
    P_MAP_KEY_LIST,
    P_MAP_INDEX_RANGE,
    P_MAP_VALUE_LIST,
    P_MAP_VALUE_RANGE,
    P_MAP_RANK_RANGE,
    P_MAP_RANK_REL,
    P_MAP_KEY_REL,
    P_MAP_DESIG,
    P_FN, /* a path function: fn, get_type, get_return, a = argument */
} ael_part_kind;

typedef struct ael_node ael_node;

typedef struct ael_part {
    uint8_t kind; /* ael_part_kind */
    bool inverted;
    bool has_count; /* ranges: an end was given (count = end - start) */
    int line, col;
    ael_node *a;         /* index / rank / value / key / range start / begin */
    ael_node *b;         /* range end (value and key ranges: end value) */
    ael_node *rel;       /* relative anchor (value for rank-rel, key for key-rel) */
    ael_node *list;      /* N_LIST of values / keys for list selectors */
    int64_t count;       /* index and rank ranges: end - start */
    uint8_t fn;          /* P_FN: ael_pfn */
    uint8_t get_type;    /* P_FN get: type or AEL_T_DEFERRED */
    int32_t get_return;  /* P_FN get: return type or -1 */
    const char *fn_name; /* P_FN mutation: its name */
} ael_part;

/* Path functions (at most one, last). */
typedef enum ael_pfn {
    PF_NONE,
    PF_GET,
    PF_ASINT,
    PF_ASFLOAT,
    PF_EXISTS,
    PF_COUNT,
    PF_HLL_COUNT,
    PF_HLL_DESCRIBE,
    PF_HLL_MAY_CONTAIN,
    PF_HLL_UNION,
    PF_HLL_UNION_COUNT,
    PF_HLL_INTERSECT_COUNT,
    PF_HLL_SIMILARITY,
    PF_MUTATE,
} ael_pfn;

typedef struct ael_path {
    const char *bin;
    size_t bin_len;
    ael_part *parts; /* arena array */
    uint32_t n_parts;
    uint8_t fn;         /* ael_pfn */
    uint8_t get_type;   /* .get(type:) or AEL_T_DEFERRED */
    int32_t get_return; /* .get(return:) as a CDT return type, or -1 */
    ael_node *fn_arg;   /* hll argument */
    uint32_t cap_parts;
    /* Filled by the checker: */
    uint8_t vtype; /* value type of a singular CDT read */
    uint8_t base;  /* AERO_AEL_LIST or AERO_AEL_MAP */
    bool singular; /* last part is index/rank/key */
    int32_t rt;    /* CDT return type */
    uint32_t last; /* index of the part that makes the operation */
    const char *desc; /* typed by a bin's type tree: "home.zip", for messages (NULL otherwise) */
} ael_path;

typedef struct ael_ph {
    uint16_t index;
    uint8_t enc; /* slot encoding type (aero_ael_type) */
} ael_ph;

struct ael_node {
    uint8_t kind;       /* ael_kind */
    uint8_t op;         /* wire opcode where meaningful */
    uint8_t type;       /* inference type */
    bool paren;         /* came from ( ... ): stops and/or flattening */
    bool explicit_type; /* type fixed by .get(type:) or the environment */
    bool from_env;      /* type from the bin environment */
    bool big;           /* N_INT above INT64_MAX: v.u */
    int line, col;
    uint32_t n;
    ael_node **kids;
    union {
        int64_t i;
        uint64_t u;
        double d;
        bool b;
        struct {
            const char *p;
            size_t len;
        } s;
        ael_ph ph;
        ael_path *path;
        const char **names; /* N_LET */
    } v;
    size_t *name_lens;       /* N_LET */
    const aero_value *value; /* N_LIST / N_MAP from a placeholder value */
};

/* One entry of the let-variable scope stack. */
typedef struct ael_scope {
    const char *name;
    size_t len;
    uint8_t type;
} ael_scope;

#define AEL_MAX_SCOPE 64

/* Per-placeholder information known at compile time. */
typedef struct ael_param {
    uint8_t infer; /* type used for inference (AEL_T_DEFERRED: infer) */
    uint8_t enc;   /* slot encoding (AERO_AEL_ANY: decided by inference) */
    uint8_t elem;  /* for a LIST: element type hint, or AEL_T_DEFERRED */
} ael_param;

/* The compile context (parser extra, checker and encoder state). */
typedef struct ael_ctx {
    aero_arena *arena;
    const char *text;
    ael_node *root;
    /* error (first one wins) */
    bool failed;
    aero_status code;
    int err_line, err_col;
    char msg[AERO_ERROR_MESSAGE_SIZE];
    /* placeholders */
    const ael_param *params;
    size_t n_params;
    bool values_mode; /* aero_ael_compile(): ?N needs a value */
    size_t n_values;
    int max_param; /* highest index used, -1 when none */
    /* environment */
    const aero_ael_env *env;
    /* let scopes during checking */
    ael_scope scope[AEL_MAX_SCOPE];
    int n_scope;
    int depth;
    /* lexer position (1-based line and column, byte offset) */
    int lline, lcol;
    size_t loff;
    int pline, pcol; /* before the last token, for rewinds */
    size_t poff;
    jmp_buf lex_fatal; /* flex's fatal errors (out of memory) land here */
} ael_ctx;

/* ---- ael_ast.c: the compile context, tree nodes, type names, BLOB literals ---- */

/* Reset c for compiling `text` (c->arena is the caller's to set). */
void ael__ctx_init(ael_ctx *c, const char *text);
/* Report c's first error into err (AERO_ERR_AEL with "line:col: message", or out of memory). */
void ael__ctx_to_error(const ael_ctx *c, aero_error *err);

/* Errors: record the first error at (line, col). Returns false for chaining. */
bool ael__error(ael_ctx *c, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
bool ael__oom(ael_ctx *c);

/* Arena helpers (NULL and ctx failed on OOM). */
ael_node *ael__node(ael_ctx *c, ael_kind kind, int line, int col);
bool ael__add_kid(ael_ctx *c, ael_node *parent, ael_node *kid);
void *ael__alloc(ael_ctx *c, size_t n);

/* Upper-case name of a type ("INT", ...), as the SDK's messages spell it. Static storage. */
const char *ael__type_upper(uint8_t t);
/* Lower-case name of a type ("int", ...): aero_ael__type_name. Static storage. */
static inline const char *ael__type_lower(uint8_t t) { return aero_ael__type_name((aero_ael_type)t); }
static inline bool ael__is_num(uint8_t t) { return t == AERO_AEL_INT || t == AERO_AEL_FLOAT; }
/* Neither DEFERRED nor ANY. */
static inline bool ael__is_known(uint8_t t) { return t != AEL_T_DEFERRED && t != AEL_T_ANY; }

/* Base64 decode (standard alphabet, '=' padding optional) into the arena. false if invalid. */
bool ael__b64_decode(ael_ctx *c, const char *s, size_t n, const char **out, size_t *out_len);

/* ---- ael.c: the compile driver ---- */

/* Placeholder types of aero_ael_compile() taken from its values (ael.md 2.8); false on error. */
bool ael__setup_values(ael_ctx *c, const aero_value *args, size_t n_args);
/* Declared placeholder types of the typed compile (ael_typed.h); false on error. */
bool ael__setup_param_types(ael_ctx *c, const aero_ael_type *param_types, size_t n_params);
struct aero_ael_diag;
/* The context's error (or none) as a typed-compile diagnostic; diag may be NULL. */
void ael__ctx_to_diag(const ael_ctx *c, struct aero_ael_diag *diag);

/* ---- ael_parser.y (with the scanner of ael_lexer.l) ---- */

/* Parse text into c->root. false on error (c->msg filled). */
bool ael__parse(ael_ctx *c);

/* ---- ael_check.c, ael_lower.c, ael_infer.c: typing ---- */

/* Type-check and resolve c->root (paths lowered). false on error. */
bool ael__check(ael_ctx *c);
/* Lower the N_PATH node n to what it reads as (ael_lower.c); NULL on error (c failed). */
ael_node *ael__lower_path(ael_ctx *c, ael_node *n);
/* Push type t into the deferred parts of n (DEFERRED or ANY: INT). */
void ael__resolve(ael_ctx *c, ael_node *n, uint8_t t);

/* ---- ael_encode.c: encoding into a template ---- */

typedef struct ael_out {
    aero_buf *buf;
    const aero_value *values; /* values mode: placeholders are packed inline */
    size_t n_values;
    aero_ael_slot *slots;
    size_t n_slots, cap_slots;
    bool oom;
} ael_out;
bool ael__encode(ael_ctx *c, ael_out *o);
struct aero_ael_template;
/* The encoded output (c->root's) as a template: takes o's slots; false when out of memory. */
bool ael__template_of(ael_ctx *c, ael_out *o, struct aero_ael_template *out);

/* ---- ael_template.c: the expression object, template fill ---- */

/* Pack a placeholder value for a slot type (type-checked). */
aero_status ael__pack_slot(aero_buf *b, uint8_t type, const aero_value *v, uint16_t idx, aero_error *err);

#endif
