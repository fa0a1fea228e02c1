/*
 * aero/schema.h - the generic entry points that aerogen-generated code calls.
 *
 * aerogen turns a schema (a .aero file) into a plain C struct per record
 * plus a const descriptor (aero_schema_record) that says, for every bin, its
 * name, its type and where its field lives in the struct (offsetof). The
 * generated functions are one-liners over the functions below, so every bit
 * of logic lives here and a runtime fix never needs regenerating.
 *
 * You normally call the generated functions (user_upsert(), user_get(), ...),
 * not these.
 *
 * FIELDS. Per bin type the struct holds:
 *   int      int64_t              double   double
 *   bool     bool                 string   const char * (NUL-terminated)
 *   geojson  const char *         blob     aero_bytes { ptr, len }
 *   hll      aero_bytes (the raw HLL particle)
 *   list<T>, map<K,V> (any nesting), documents: see TYPED COLLECTIONS below
 * Optional bins have a `bool has_<field>` presence flag; required bins don't.
 *
 * WRITES (aero_schema_write). Every required bin is written (a NULL string of
 * a required bin is AERO_ERR_PARAM); an optional bin is written only when its
 * has_ flag is set. Lists, maps and documents are C types, so the compiler
 * checks their elements; what it cannot (a NULL string or items array, a
 * required document field left NULL) is refused before anything is sent
 * (AERO_ERR_PARAM names the bin and the path, e.g. "user.past[1].street").
 * The verbs mean what they mean in aero/write.h:
 *   UPSERT             create or merge
 *   INSERT             create; AERO_ERR_KEY_EXISTS if the record exists
 *   UPDATE             merge; AERO_ERR_KEY_NOT_FOUND if it does not exist
 *   REPLACE            create or replace all bins (bins not written are gone)
 *   REPLACE_IF_EXISTS  replace; AERO_ERR_KEY_NOT_FOUND if it does not exist
 *
 * READS (aero_schema_get / aero_schema_decode). The struct is first reset to
 * the record's INIT value (defaults, no has_ flag set), then every bin the
 * server returned is stored in its field and its has_ flag set (of several
 * results for one bin, from an operate, the last, as aero_record_get()). Bins the
 * schema does not know are ignored. A bin of another type than declared is
 * AERO_ERR_BIN_INCOMPATIBLE_TYPE (an int 0/1 is accepted for a bool bin, and
 * an int for a double bin). A required bin that is missing is
 * AERO_ERR_BIN_NOT_FOUND unless the schema gives it a default.
 *
 * OWNERSHIP - the one rule. Nothing is copied and nothing is allocated per
 * bin: strings, geojson, blobs, lists and maps in the struct point into the
 * aero_record they were decoded from - the `holder` you pass to a get, or the
 * stream row you pass to <record>_from_record(). They stay valid until that
 * record is reused for another read or disposed (for a stream row: until the
 * next aero_stream_next() or the stream is closed). Copy what must live
 * longer. After a get, the holder carries the result, generation and TTL
 * and owns the answer's bytes; its bins are not filled (the struct is:
 * that is what makes a typed get cheaper than a generic one). A holder reused across gets keeps its buffers, so a read loop stops
 * allocating once warm:
 *
 *     aero_record holder;
 *     aero_record_init(&holder);
 *     user u;
 *     if (user_get(session, "user-1", &u, &holder, &err) == AERO_OK)
 *         printf("%s\n", u.name);             // points into holder
 *     aero_record_dispose(&holder);            // u.name is dangling now
 *
 * For writes the struct's pointers are only read during the call.
 *
 * BATCHES. Typed rows join any batch of aero/batch.h (the generated
 * <record>_batch_upsert() ... call aero_schema_batch_write()), so one batch
 * can mix records of several types with untyped rows; a row read this way
 * decodes with aero_schema_decode() (<record>_from_record()). The many-key
 * verbs (<record>_upsert_many(), _delete_many(), _exists_many() ...) run
 * one batch of n rows and write each row's outcome into the caller's
 * arrays: results[i] (always), in_doubt[i] (a write row sent but not
 * answered: it may have been applied), and for delete/touch/exists a bool
 * per row. They allocate nothing per row beyond what a batch does.
 * A struct the checks of WRITES refuse (a NULL required string, a list of
 * the wrong type) fails the batch at execute with AERO_ERR_PARAM naming
 * the row, and nothing is sent.
 *
 * THREADS. Descriptors are const data and every function here is reentrant:
 * any number of threads may use the same record type at once (each with its
 * own struct and holder).
 *
 * VERSIONS. The descriptor records the AERO_SCHEMA_ABI and AERO_VERSION_NUMBER
 * the generated code was compiled with. Generated files refuse to compile
 * against headers of another schema ABI, and every entry point here returns
 * AERO_ERR_SCHEMA_MISMATCH for a descriptor of another ABI (a stale generated
 * object linked with a newer library).
 */
#ifndef AERO_SCHEMA_H
#define AERO_SCHEMA_H

#include <aero/ael.h>
#include <aero/session.h>
#include <aero/key.h>
#include <aero/record.h>
#include <aero/query.h>
#include <aero/stream.h>

AERO_BEGIN_DECLS

/** Bytes of a blob field: not owned (see OWNERSHIP above). */
typedef struct aero_bytes {
    const uint8_t *ptr;
    size_t len;
} aero_bytes;

/** Declared type of a bin. */
typedef enum aero_schema_type {
    AERO_SCHEMA_INT = 1,
    AERO_SCHEMA_DOUBLE = 2,
    AERO_SCHEMA_BOOL = 3,
    AERO_SCHEMA_STR = 4,
    AERO_SCHEMA_BLOB = 5,
    AERO_SCHEMA_GEOJSON = 6,
    AERO_SCHEMA_LIST = 7,
    AERO_SCHEMA_MAP = 8,
    AERO_SCHEMA_DOC = 9, /**< a document type of the schema (`type NAME { ... }`), stored as a map keyed by field name */
    AERO_SCHEMA_HLL = 10, /**< a HyperLogLog bin: an aero_bytes field holding the raw HLL particle */
} aero_schema_type;

/*
 * TYPED COLLECTIONS AND DOCUMENTS (schema ABI 2). A list, map or document
 * bin is a plain C value in the struct:
 *
 *   list<T>     struct { const T *items; size_t count; }
 *   map<K, V>   struct { const E *entries; size_t count; }  with E = struct { K key; V value; }
 *   document D  the generated struct D: one field per document field, with
 *               has_<field> flags for optional ones, as for a record's bins
 *
 * where an element T is int64_t, double, bool, const char * (string,
 * geojson), aero_bytes (blob), a nested list or map struct or a document
 * struct, held by value. `items` (`entries`) NULL means no value: an optional
 * bin with has_<field> set and items NULL removes the bin; a non-NULL items with
 * count 0 is the empty list. Read values point into the holder record (its
 * buffer and arena: nothing is allocated per element, and a holder reused
 * across reads stops allocating once warm); for writes the arrays are only
 * read during the call.
 *
 * The runtime names the collections of scalars (below); aerogen names nested
 * ones and documents in the generated header.
 */

/** How a list, map or document value is laid out in C (generated, const). */
typedef struct aero_schema_tdesc {
    uint8_t type;                          /**< aero_schema_type of the value */
    uint32_t size;                         /**< sizeof its C representation */
    const struct aero_schema_tdesc *item;  /**< LIST: the element; MAP: the value; NULL for scalars */
    const struct aero_schema_tdesc *key;   /**< MAP: the key (INT, STR or BLOB) */
    uint32_t entry_size;                   /**< MAP: sizeof the entry struct (key at offset 0) */
    uint32_t value_offset;                 /**< MAP: offsetof the entry's value */
    const struct aero_schema_doc *doc;     /**< DOC: the document's fields */
} aero_schema_tdesc;

struct aero_schema_bin;

/** A document type: its fields are laid out as a record's bins (name = map key). */
typedef struct aero_schema_doc {
    const char *name;                   /**< type name in the schema */
    size_t size;                        /**< sizeof the struct */
    const void *init;                   /**< its INIT value (defaults, no has_ flag set) */
    const struct aero_schema_bin *fields;
    uint32_t n_fields;
    const uint32_t *by_name;            /**< field indexes sorted by name (strcmp order) */
} aero_schema_doc;

/* Collections of scalars, shared by every schema. */
#define AERO_SCHEMA_LIST_OF(NAME, T) typedef struct NAME { const T *items; size_t count; } NAME
#define AERO_SCHEMA_MAP_OF(NAME, K, V)                  \
    typedef struct NAME##_entry { K key; V value; } NAME##_entry; \
    typedef struct NAME { const NAME##_entry *entries; size_t count; } NAME
AERO_SCHEMA_LIST_OF(aero_list_int, int64_t);
AERO_SCHEMA_LIST_OF(aero_list_double, double);
AERO_SCHEMA_LIST_OF(aero_list_bool, bool);
AERO_SCHEMA_LIST_OF(aero_list_str, char *const);
AERO_SCHEMA_LIST_OF(aero_list_geo, char *const);
AERO_SCHEMA_LIST_OF(aero_list_blob, aero_bytes);
AERO_SCHEMA_MAP_OF(aero_map_int_int, int64_t, int64_t);
AERO_SCHEMA_MAP_OF(aero_map_int_double, int64_t, double);
AERO_SCHEMA_MAP_OF(aero_map_int_bool, int64_t, bool);
AERO_SCHEMA_MAP_OF(aero_map_int_str, int64_t, const char *);
AERO_SCHEMA_MAP_OF(aero_map_int_geo, int64_t, const char *);
AERO_SCHEMA_MAP_OF(aero_map_int_blob, int64_t, aero_bytes);
AERO_SCHEMA_MAP_OF(aero_map_str_int, const char *, int64_t);
AERO_SCHEMA_MAP_OF(aero_map_str_double, const char *, double);
AERO_SCHEMA_MAP_OF(aero_map_str_bool, const char *, bool);
AERO_SCHEMA_MAP_OF(aero_map_str_str, const char *, const char *);
AERO_SCHEMA_MAP_OF(aero_map_str_geo, const char *, const char *);
AERO_SCHEMA_MAP_OF(aero_map_str_blob, const char *, aero_bytes);
AERO_SCHEMA_MAP_OF(aero_map_blob_int, aero_bytes, int64_t);
AERO_SCHEMA_MAP_OF(aero_map_blob_double, aero_bytes, double);
AERO_SCHEMA_MAP_OF(aero_map_blob_bool, aero_bytes, bool);
AERO_SCHEMA_MAP_OF(aero_map_blob_str, aero_bytes, const char *);
AERO_SCHEMA_MAP_OF(aero_map_blob_geo, aero_bytes, const char *);
AERO_SCHEMA_MAP_OF(aero_map_blob_blob, aero_bytes, aero_bytes);

/* Descriptors of the scalars and of the collections of scalars above (generated code points at them). */

AERO_API extern const aero_schema_tdesc aero_schema_tdesc_int;    /**< int64_t */
AERO_API extern const aero_schema_tdesc aero_schema_tdesc_double; /**< double */
AERO_API extern const aero_schema_tdesc aero_schema_tdesc_bool;   /**< bool */
AERO_API extern const aero_schema_tdesc aero_schema_tdesc_str;    /**< const char * (NUL-terminated) */
AERO_API extern const aero_schema_tdesc aero_schema_tdesc_geo;    /**< const char * (GeoJSON text) */
AERO_API extern const aero_schema_tdesc aero_schema_tdesc_blob;   /**< aero_bytes */
AERO_API extern const aero_schema_tdesc aero_schema_tdesc_hll;    /**< aero_bytes (the raw HLL particle) */
/* aero_list_<E> and aero_map_<K>_<V> of aero/schema.h: aero_schema_tdesc_list_int ... aero_schema_tdesc_map_blob_blob. */
AERO_API extern const aero_schema_tdesc aero_schema_tdesc_list_int, aero_schema_tdesc_list_double,
    aero_schema_tdesc_list_bool, aero_schema_tdesc_list_str, aero_schema_tdesc_list_geo, aero_schema_tdesc_list_blob;
AERO_API extern const aero_schema_tdesc aero_schema_tdesc_map_int_int, aero_schema_tdesc_map_int_double,
    aero_schema_tdesc_map_int_bool, aero_schema_tdesc_map_int_str, aero_schema_tdesc_map_int_geo,
    aero_schema_tdesc_map_int_blob;
AERO_API extern const aero_schema_tdesc aero_schema_tdesc_map_str_int, aero_schema_tdesc_map_str_double,
    aero_schema_tdesc_map_str_bool, aero_schema_tdesc_map_str_str, aero_schema_tdesc_map_str_geo,
    aero_schema_tdesc_map_str_blob;
AERO_API extern const aero_schema_tdesc aero_schema_tdesc_map_blob_int, aero_schema_tdesc_map_blob_double,
    aero_schema_tdesc_map_blob_bool, aero_schema_tdesc_map_blob_str, aero_schema_tdesc_map_blob_geo,
    aero_schema_tdesc_map_blob_blob;

/** aero_schema_bin.flags */
#define AERO_SCHEMA_REQUIRED    0x01u /**< no presence flag; always written */
#define AERO_SCHEMA_HAS_DEFAULT 0x02u /**< INIT holds a default used when the bin is absent */
/** aero_schema_bin.has_offset of a required bin. */
#define AERO_SCHEMA_NO_FLAG UINT32_MAX

/** One bin of a record (one row of the generated const table). */
typedef struct aero_schema_bin {
    const char *name;    /**< bin name on the server (<= 15 bytes) */
    const char *field;   /**< C field name, for messages */
    uint32_t offset;     /**< offsetof the field */
    uint32_t has_offset; /**< offsetof the bool presence flag, or AERO_SCHEMA_NO_FLAG */
    uint8_t type;        /**< aero_schema_type */
    uint8_t flags;       /**< AERO_SCHEMA_REQUIRED, AERO_SCHEMA_HAS_DEFAULT */
    uint8_t name_len;    /**< strlen(name) (a typed get compares wire names by length first); 0 if over 255 */
    /**
     * The name again, zero-padded to 16 bytes, so a typed get compares a wire
     * name with one or two word loads; all zero for a name over 15 bytes (a
     * document field: those are map keys, not bin names).
     */
    char name16[16];
    /**
     * Element types of a list or map, "o" for a document bin, "h" for an hll
     * bin, NULL otherwise: one letter per type, prefix order: i int, d double,
     * b bool, s string, y blob, g geojson, l<T> list, m<K><V> map, o a document
     * (its fields are in tdesc). "ls" is list<string>, "msli" map<string,
     * list<int>>, "lo" a list of documents.
     */
    const char *sig;
    /** LIST, MAP and DOC bins: the C shape of the value (aerogen generates it); NULL otherwise. */
    const aero_schema_tdesc *tdesc;
} aero_schema_bin;

/** A record type: what aerogen emits as <record>_schema. */
typedef struct aero_schema_record {
    uint32_t abi;     /**< AERO_SCHEMA_ABI of the generated code */
    uint32_t version; /**< AERO_VERSION_NUMBER it was compiled with */
    const char *name; /**< record name in the schema */
    const char *ns;
    const char *set; /**< "" for no set */
    aero_key_type key_type;
    size_t size;      /**< sizeof the struct */
    const void *init; /**< the INIT value (size bytes) */
    const aero_schema_bin *bins;
    uint32_t n_bins;
    const uint32_t *by_name; /**< bin indexes sorted by name (strcmp order) */
    /** Bit i (i < 64): bin i is AERO_SCHEMA_REQUIRED without AERO_SCHEMA_HAS_DEFAULT (a get's presence check). */
    uint64_t required;
} aero_schema_record;

/** Write verbs, see WRITES above. */
typedef enum aero_schema_op {
    AERO_SCHEMA_UPSERT = 0,
    AERO_SCHEMA_INSERT = 1,
    AERO_SCHEMA_UPDATE = 2,
    AERO_SCHEMA_REPLACE = 3,
    AERO_SCHEMA_REPLACE_IF_EXISTS = 4,
} aero_schema_op;

/* Keys in the record's namespace and set (string and blob bytes are not copied). */
AERO_API aero_key aero_schema_key_str(const aero_schema_record *r, const char *key);
AERO_API aero_key aero_schema_key_int(const aero_schema_record *r, int64_t key);
AERO_API aero_key aero_schema_key_blob(const aero_schema_record *r, const void *key, size_t len);

/**
 * Write the struct at `obj` with verb `op`. Errors: AERO_ERR_PARAM (a NULL
 * required string, a list or map that does not match its declared type, a
 * bad key), AERO_ERR_SCHEMA_MISMATCH, and whatever the write returns.
 */
AERO_API aero_status aero_schema_write(aero_session *s, const aero_schema_record *r, aero_schema_op op,
                                       const aero_key *key, const void *obj, aero_error *err);

/**
 * Read the record into the struct at `obj`, through `holder` (an initialised
 * aero_record; see OWNERSHIP). `fields` lists field numbers (the generated
 * <RECORD>_F_* constants) to read only those bins; NULL/0 reads every bin.
 * A missing record is AERO_ERR_KEY_NOT_FOUND; field numbers out of range are
 * AERO_ERR_PARAM.
 */
AERO_API aero_status aero_schema_get(aero_session *s, const aero_schema_record *r, const aero_key *key,
                                     const unsigned *fields, size_t n_fields, void *obj, aero_record *holder,
                                     aero_error *err);

/**
 * Batch read of n keys (one round trip per node). `keys` is what the
 * generated <record>_get_many() passes for the record's key type: for
 * AERO_KEY_STR a `const char *const *`, for AERO_KEY_INT a `const int64_t *`,
 * for AERO_KEY_BLOB a `const void *const *` with `key_lens[i]` bytes each
 * (key_lens is NULL otherwise). For each i, results[i] is AERO_OK with the
 * struct at objs + i * r->size filled from holders[i] (n initialised records
 * that own what the struct points to), AERO_ERR_KEY_NOT_FOUND (struct reset to
 * INIT), or the key's error or decode error. Returns AERO_OK when the batch
 * ran (look at results), else the error that stopped it.
 */
AERO_API aero_status aero_schema_get_many(aero_session *s, const aero_schema_record *r, const void *keys,
                                          const size_t *key_lens, size_t n, void *objs, aero_status *results,
                                          aero_record *holders, aero_error *err);

/**
 * Fill the struct at `obj` from a record already read (e.g. a stream row);
 * pointers go into `rec`, and the arrays of typed lists, maps and documents
 * into rec's arena (so a record you filled yourself needs
 * aero_record_dispose() afterwards, which frees only what the library added).
 */
AERO_API aero_status aero_schema_decode(const aero_schema_record *r, const aero_record *rec, void *obj,
                                        aero_error *err);

/** Delete the record; *existed (may be NULL) tells whether it was there. */
AERO_API aero_status aero_schema_delete(aero_session *s, const aero_schema_record *r, const aero_key *key,
                                        bool *existed, aero_error *err);
/** Reset the record's TTL; *existed (may be NULL) tells whether it was there. */
AERO_API aero_status aero_schema_touch(aero_session *s, const aero_schema_record *r, const aero_key *key, bool *existed,
                                       aero_error *err);
/** Does the record exist? (*exists must not be NULL; a missing record is AERO_OK.) */
AERO_API aero_status aero_schema_exists(aero_session *s, const aero_schema_record *r, const aero_key *key, bool *exists,
                                        aero_error *err);

/* ---- batches (see BATCHES above) ---- */

/**
 * Add a row to batch `b` that writes the struct at `obj` to `key` with verb
 * `op`, as aero_schema_write() would. Returns the row's write builder
 * (batch.h: valid until the next verb on the batch; settings such as TTL,
 * generation or where() apply to this row), or NULL when b is NULL or the
 * batch could not add the row (the batch reports why at execute). A bad
 * descriptor or struct is reported by execute, naming the row. The
 * struct's values are encoded now; a string or blob key's bytes must stay
 * valid until execute (batch.h).
 */
AERO_API aero_write *aero_schema_batch_write(aero_batch *b, const aero_schema_record *r, aero_schema_op op,
                                             const aero_key *key, const void *obj);

/**
 * Write n structs (objs, r->size bytes apart) to n keys with verb `op`, in
 * one batch (one request per node). `keys` / `key_lens` as for
 * aero_schema_get_many(). For each i: results[i] is AERO_OK or the row's
 * error (AERO_ERR_KEY_EXISTS for an insert, AERO_ERR_KEY_NOT_FOUND for an
 * update, a node's error ...; AERO_ERR_NO_RESPONSE while the row got no
 * answer, e.g. when the batch failed as a whole), in_doubt[i] (may be NULL)
 * whether a failed row may have been applied. Returns AERO_OK when the
 * batch ran (look at results), else the error that stopped it: a NULL
 * argument or a struct refused by the checks of WRITES (AERO_ERR_PARAM,
 * nothing sent), or a failure of the whole batch. n = 0 is AERO_OK.
 */
AERO_API aero_status aero_schema_write_many(aero_session *s, const aero_schema_record *r, aero_schema_op op,
                                            const void *keys, const size_t *key_lens, size_t n, const void *objs,
                                            aero_status *results, bool *in_doubt, aero_error *err);

/**
 * Delete n records in one batch. results[i] is AERO_OK whether or not the
 * record existed (existed[i], may be NULL, tells which), else the row's
 * error with in_doubt[i] (may be NULL). Return value as
 * aero_schema_write_many().
 */
AERO_API aero_status aero_schema_delete_many(aero_session *s, const aero_schema_record *r, const void *keys,
                                             const size_t *key_lens, size_t n, bool *existed, aero_status *results,
                                             bool *in_doubt, aero_error *err);

/** Reset the TTL of n records in one batch; outcomes as aero_schema_delete_many(). */
AERO_API aero_status aero_schema_touch_many(aero_session *s, const aero_schema_record *r, const void *keys,
                                            const size_t *key_lens, size_t n, bool *existed, aero_status *results,
                                            bool *in_doubt, aero_error *err);

/**
 * Do n records exist? One batch. exists[i] (must not be NULL) tells; results[i]
 * is AERO_OK when the answer is known (a missing record included), else the
 * row's error (exists[i] false). Return value as aero_schema_write_many().
 */
AERO_API aero_status aero_schema_exists_many(aero_session *s, const aero_schema_record *r, const void *keys,
                                             const size_t *key_lens, size_t n, bool *exists, aero_status *results,
                                             aero_error *err);

/**
 * Run a named query: every record of r's set matching the precompiled filter
 * template (bytes + slots, see aero_ael_template_fill()) with `args` put into
 * its slots. A template without slots is sent as is (no copy: the bytes must
 * be static). Returns a stream (rows decode with aero_schema_decode()), or
 * NULL with err filled.
 */
AERO_API aero_stream *aero_schema_query(aero_session *s, const aero_schema_record *r, const uint8_t *bytes, size_t len,
                                        const aero_ael_slot *slots, size_t n_slots, const aero_value *args,
                                        size_t n_args, aero_error *err);

/**
 * The filter of a named query as a new expression (free with aero_expr_free),
 * for a query with other settings or a write's where. NULL with err filled on
 * a bad argument (AERO_ERR_PARAM) or out of memory.
 */
AERO_API aero_expr *aero_schema_filter(const uint8_t *bytes, size_t len, const aero_ael_slot *slots, size_t n_slots,
                                       const aero_value *args, size_t n_args, aero_error *err);

/** How the index filter of a named query compares the indexed bin with a parameter (aero_schema_index_use). */
typedef enum aero_schema_cmp {
    AERO_SCHEMA_CMP_NONE = 0, /**< the filter's value is a constant of the schema */
    AERO_SCHEMA_CMP_EQ,       /**< bin == ?N */
    AERO_SCHEMA_CMP_GT,       /**< bin > ?N */
    AERO_SCHEMA_CMP_GE,       /**< bin >= ?N */
    AERO_SCHEMA_CMP_LT,       /**< bin < ?N */
    AERO_SCHEMA_CMP_LE        /**< bin <= ?N */
} aero_schema_cmp;

#define AERO_SCHEMA_INDEX_USE_VERSION 1u

/**
 * The index part aerogen chose for a named query among the indexes the
 * schema declares (same rules as the automatic choice of aero/query.h: one
 * comparison of the filter, reachable through `and` only, that the index
 * answers exactly). Generated as static const data; nothing is owned.
 * The index filter plus `rest` select exactly the rows of the full filter.
 */
typedef struct aero_schema_index_use {
    uint32_t version;   /**< AERO_SCHEMA_INDEX_USE_VERSION */
    const char *index;  /**< index name (as declared) */
    const char *bin;    /**< indexed bin */
    aero_ael_type type; /**< AERO_AEL_INT (numeric), AERO_AEL_STRING or AERO_AEL_BLOB */
    int64_t begin, end; /**< AERO_AEL_INT with param < 0: the inclusive range */
    const uint8_t *value; /**< STRING / BLOB with param < 0: the value (value_len bytes) */
    size_t value_len;
    int param;           /**< >= 0: the value is placeholder ?param, compared as `cmp`; -1: the constant above */
    aero_schema_cmp cmp; /**< with param >= 0 */
    const uint8_t *ctx;  /**< packed CDT context of the index, NULL if none */
    size_t ctx_len;
    const uint8_t *rest; /**< template of what the index does not answer (NULL, 0: nothing) */
    size_t rest_len;
    const aero_ael_slot *rest_slots; /**< its slots (see aero_ael_template_fill()) */
    size_t n_rest_slots;
} aero_schema_index_use;

/**
 * Run a named query that aerogen found an index for: as aero_schema_query()
 * (same arguments, same rows), but when the client's discovered index list
 * (aero/query.h, automatic choice) has `use->index` on `use->bin` with the
 * same type and context, readable on every node, the query sends the index
 * filter and only `use->rest` as the expression. Otherwise (index unknown,
 * being built, of another definition, or a parameter value the index cannot
 * answer such as a double) the full filter is sent exactly as by
 * aero_schema_query(). If a node answers that the index is not found or not
 * readable before any row arrived, the query runs again as a scan with the
 * full filter. `use` NULL is aero_schema_query(). NULL with err filled on
 * failure (AERO_ERR_PARAM for a bad `use` or missing argument).
 */
AERO_API aero_stream *aero_schema_query_indexed(aero_session *s, const aero_schema_record *r, const uint8_t *bytes,
                                                size_t len, const aero_ael_slot *slots, size_t n_slots,
                                                const aero_schema_index_use *use, const aero_value *args,
                                                size_t n_args, aero_error *err);

/**
 * What aero_schema_query_indexed() would send for these arguments, without
 * running it: plan->uses_index and the index, bin and condition when the
 * index would be used, plan->reason says why or why not (plan->automatic is
 * true when the index is used: aerogen chose it). `use` may be NULL (a named
 * query without an index part). plan must be initialised with
 * AERO_QUERY_PLAN_INIT. Errors: AERO_ERR_PARAM (NULL arguments, plan
 * version, bad `use`).
 */
AERO_API aero_status aero_schema_query_explain(aero_session *s, const aero_schema_record *r,
                                               const aero_schema_index_use *use, const aero_value *args,
                                               size_t n_args, aero_query_plan *plan, aero_error *err);

/*
 * TYPED STREAMS. The rows of a named query (or of a scan of the record's
 * set) decode straight into the record's struct as they arrive:
 *
 *     aero_schema_query_opts o = AERO_SCHEMA_QUERY_OPTS_INIT;
 *     unsigned f[] = { USER_F_NAME };
 *     o.fields = f; o.n_fields = 1; o.max_records = 100;
 *     aero_stream *st = user_adults_with(session, 18, &o, &err);
 *     user u;
 *     while (st && user_stream_next(st, &u, &err))
 *         printf("%s\n", u.name);          // points into the stream's row
 *     aero_stream_close(st);
 *
 * QUERY OPTIONS (aero_schema_query_opts, versioned: start from
 * AERO_SCHEMA_QUERY_OPTS_INIT or aero_schema_query_opts_init(); all zero
 * means "no limit" / "every bin" / "every partition"):
 *   fields, n_fields     the bins to return, as field numbers (<RECORD>_F_*);
 *                        only those fields are decoded (the others keep their
 *                        INIT value), and only those of them that are required
 *                        must be present in a row
 *   max_records          cap on the rows of the whole query
 *   records_per_second   server-side throttle
 *   chunk_size           at most this many rows per chunk: stream_next returns
 *                        false (err AERO_OK) at the end of a chunk, and while
 *                        aero_stream_has_more_chunks(st) is true, calling it
 *                        again resumes exactly where the chunk stopped (every
 *                        record once across the chunks, none repeated)
 *   partition_begin,     only partitions begin .. begin + count - 1 (of 4096);
 *   partition_count      count 0 is every partition (begin must then be 0).
 *                        Disjoint ranges give disjoint rows whose union is the
 *                        whole set: split a scan over workers this way
 *   no_index             never use the index aerogen chose for a named query
 *                        (the full filter is sent as an expression)
 * A named query that aerogen found a declared index for uses it with options
 * too (same rule as aero_schema_query_indexed()).
 */

#define AERO_SCHEMA_QUERY_OPTS_VERSION 1u

/** Options of a typed query or scan (see TYPED STREAMS above). Caller storage; read during the call only. */
typedef struct aero_schema_query_opts {
    uint32_t version;          /**< AERO_SCHEMA_QUERY_OPTS_VERSION */
    const unsigned *fields;    /**< bins to return, as <RECORD>_F_* field numbers; NULL/0: every bin */
    size_t n_fields;
    uint64_t max_records;      /**< 0: no limit */
    uint32_t records_per_second; /**< 0: no throttle */
    uint32_t chunk_size;       /**< 0: one chunk */
    uint32_t partition_begin;  /**< first partition (0 .. 4095) */
    uint32_t partition_count;  /**< number of partitions from partition_begin; 0: all */
    bool no_index;             /**< never use a declared index */
} aero_schema_query_opts;
#define AERO_SCHEMA_QUERY_OPTS_INIT { AERO_SCHEMA_QUERY_OPTS_VERSION, NULL, 0, 0, 0, 0, 0, 0, false }
/** Set *o to AERO_SCHEMA_QUERY_OPTS_INIT. */
static inline void aero_schema_query_opts_init(aero_schema_query_opts *o) {
    aero_schema_query_opts init = AERO_SCHEMA_QUERY_OPTS_INIT;
    *o = init;
}

/**
 * A named query with options: as aero_schema_query_indexed() (use may be
 * NULL: no declared index answers the filter), with `opts` applied (NULL:
 * none). bytes NULL and len 0 is no filter: every record of r's set (that is
 * aero_schema_scan()). NULL with err filled on failure: AERO_ERR_PARAM for an
 * unknown opts version, a field number out of range, a partition range past
 * 4096, or what aero_schema_query_indexed() refuses.
 */
AERO_API aero_stream *aero_schema_query_with(aero_session *s, const aero_schema_record *r, const uint8_t *bytes,
                                             size_t len, const aero_ael_slot *slots, size_t n_slots,
                                             const aero_schema_index_use *use, const aero_value *args, size_t n_args,
                                             const aero_schema_query_opts *opts, aero_error *err);

/** Every record of r's set (the generated <record>_scan()), with `opts` (NULL: none). */
AERO_API aero_stream *aero_schema_scan(aero_session *s, const aero_schema_record *r, const aero_schema_query_opts *opts,
                                       aero_error *err);

/**
 * The next row of `st` decoded into the struct at `obj` (the generated
 * <record>_stream_next()). True with the row in *obj: strings, blobs, lists
 * and maps point into the stream's current row and stay valid until the next
 * call on the stream or its close (copy what must live longer). Nothing is
 * allocated per row (the stream's row buffers are reused once warm).
 *
 * False at the end of the stream or of a chunk (err->code AERO_OK; see
 * aero_stream_has_more_chunks()), or on an error, err telling which:
 *   - the stream failed (a node's error, a timeout...): the stream is over;
 *   - the row does not decode (AERO_ERR_BIN_INCOMPATIBLE_TYPE: a bin of
 *     another type than declared; AERO_ERR_BIN_NOT_FOUND: a required bin
 *     that was asked for is missing; a row's own error code). *obj is reset
 *     to INIT and the stream stays usable: calling again goes on with the
 *     next row, so a caller can skip such rows (stop, or log and continue).
 * A decode failure is always one of AERO_ERR_BIN_INCOMPATIBLE_TYPE,
 * AERO_ERR_BIN_NOT_FOUND or the row's own code; calling again after any
 * error is safe (after a stream failure it returns false with AERO_OK).
 * Errors: AERO_ERR_PARAM for a NULL stream or struct, AERO_ERR_SCHEMA_MISMATCH.
 */
AERO_API bool aero_schema_stream_next(aero_stream *st, const aero_schema_record *r, void *obj, aero_error *err);

/**
 * Same as aero_schema_query(), from AEL text compiled at run time (aerogen precompiles every named
 * query, so generated code never calls this).
 */
AERO_API aero_stream *aero_schema_query_ael(aero_session *s, const aero_schema_record *r, const char *ael,
                                            const aero_value *args, size_t n_args, aero_error *err);

/**
 * Check `v` against a type signature (see aero_schema_bin.sig). On a mismatch
 * returns false and writes a description such as "[2]: expected string, got int"
 * into why (may be NULL).
 */
AERO_API bool aero_schema_value_matches(const aero_value *v, const char *sig, char *why, size_t why_size);

AERO_END_DECLS

/* Typed operations and typed write options (<record>_operate(), <record>_upsert_with() ...). */
#include <aero/schema_ops.h>

#endif
