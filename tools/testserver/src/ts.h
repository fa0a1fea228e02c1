/*
 * ts.h - aero-testserver internals shared by its source files.
 *
 * Layout: server.c (public life cycle, config, clock API), node.c (sockets
 * and threads), cluster.c (live nodes, partition owners, rebalance),
 * fault.c (fault injection), control.c (control commands), clock.c (real
 * or virtual time), seed.c (in-process store API), error.c (aero_error),
 * dispatch.c (the only place that knows every request kind), msg.c (AS_MSG
 * parser), resp.c (answer builders), store.c (records in memory), info.c
 * (info protocol answers), kv.c (single-record commands), batch.c (batch
 * index), scan.c (partition scans, queries, background jobs), sindex.c
 * (secondary indexes), exp.c / exp_ops.c (expression evaluator and
 * expression ops), mp.c (msgpack), cdt.c / cdt_modify.c (list and map ops).
 */
#ifndef AERO_TS_H
#define AERO_TS_H

#include <aero/testserver.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/wire.h"

#define TS_PARTITIONS 4096
#define TS_MAX_NODES  64
#define TS_MAX_NS     32 /* namespaces (Enterprise Edition's limit) */
#define TS_BUILD      "8.1.2.0"

/* ---------------- records and store ---------------- */

typedef struct ts_bin {
    char name[16];
    uint8_t name_len;
    uint8_t ptype;
    uint8_t *data; /* malloc'd, may be NULL when len == 0 */
    uint32_t len;
} ts_bin;

typedef struct ts_record {
    uint8_t digest[20];
    char set[64];
    uint8_t set_len;
    bool has_key;
    uint8_t key_type;
    uint8_t *key;
    uint32_t key_len;
    uint32_t generation;
    uint32_t void_time;      /* seconds since 2010-01-01, 0 = never */
    uint64_t last_update_ns; /* ns since the Unix epoch */
    ts_bin *bins;
    uint32_t n_bins, cap_bins;
} ts_record;

typedef struct ts_partition {
    ts_record **recs; /* sorted by digest (memcmp) */
    uint32_t n, cap;
} ts_partition;

typedef struct ts_namespace {
    char name[32];
    ts_partition parts[TS_PARTITIONS];
} ts_namespace;

/** Limits in force (aero_testserver_limits with the defaults filled in). */
typedef struct ts_limits {
    unsigned max_namespaces;
    unsigned max_sindexes; /* per namespace */
    uint32_t max_record_size;
    unsigned max_connections;    /* per node */
    uint32_t max_batch_requests; /* 0 = no limit */
} ts_limits;

typedef struct ts_store {
    pthread_mutex_t mu;
    ts_namespace *ns[TS_MAX_NS];
    unsigned n_ns;
    uint32_t default_ttl;
    uint32_t default_read_touch_pct; /* default-read-touch-ttl-pct, 0 = no touch */
    const ts_limits *limits;
} ts_store;

/** Create the namespaces of a ";"-separated list (NULL/"" = "test"); -1 if bad or over the limit. */
int ts_store_init(ts_store *s, const char *namespaces, uint32_t default_ttl, const ts_limits *limits);
void ts_store_dispose(ts_store *s);
/** Namespace by name (len bytes), NULL if unknown. */
ts_namespace *ts_store_ns(ts_store *s, const char *name, size_t len);
/** Live record (expired ones are removed on the way); caller holds s->mu. */
ts_record *ts_store_get(ts_store *s, ts_namespace *ns, const uint8_t digest[20], uint32_t now2010);
/**
 * Insert or replace: 0 and takes ownership of rec (frees the old one), or a
 * result code and rec stays the caller's: 13 (RECORD_TOO_BIG) over the
 * max_record_size limit, 1 out of memory. Caller holds s->mu.
 */
int ts_store_put(ts_store *s, ts_namespace *ns, ts_record *rec);
/** Remove and free; caller holds s->mu. */
void ts_store_remove(ts_store *s, ts_namespace *ns, const uint8_t digest[20]);
/** Count live records (optionally only in set). Caller holds s->mu. */
uint64_t ts_store_count(ts_store *s, ts_namespace *ns, const char *set, size_t set_len, uint32_t now2010);
/** Remove every record expired at `now` (what nsup does). Caller holds s->mu. */
void ts_store_expire(ts_store *s, uint32_t now2010);
/** Delete all records (of a set if set_len > 0). Caller holds s->mu. */
void ts_store_truncate(ts_store *s, ts_namespace *ns, const char *set, size_t set_len);
/** Same, only records last updated before before_ns (ns since the Unix epoch; 0 = all). */
void ts_store_truncate_before(ts_store *s, ts_namespace *ns, const char *set, size_t set_len, uint64_t before_ns);

/**
 * Void time of a record written at `now` with the wire TTL `ttl` (0 the
 * namespace default, -1 never, -2 keep old's, else seconds); old may be NULL.
 */
uint32_t ts_store_void_time(const ts_store *s, uint32_t ttl, const ts_record *old, uint32_t now2010);

/** Generation after a write of a record at generation g (wraps from 65535 to 1). */
uint32_t ts_record_next_generation(uint32_t g);
ts_record *ts_record_new(void);
ts_record *ts_record_clone(const ts_record *r);
void ts_record_free(ts_record *r);
ts_bin *ts_record_bin(ts_record *r, const char *name, size_t len);
/** Set (create or overwrite) a bin with a copy of data; false on OOM. */
bool ts_record_set_bin(ts_record *r, const char *name, size_t len, uint8_t ptype, const void *data, uint32_t dlen);
void ts_record_remove_bin(ts_record *r, const char *name, size_t len);
void ts_record_clear_bins(ts_record *r);
/** In-memory size estimate (record_size / device_size expressions). */
uint64_t ts_record_size(const ts_record *r);

/* ---------------- time (clock.c) ---------------- */

/** A server's clock: real time, or stopped (virtual), plus what tests advanced. */
typedef struct ts_clock {
    _Atomic bool stopped;
    _Atomic uint64_t stopped_at_ns; /* ns since the Unix epoch */
    _Atomic uint64_t advanced_ns;
} ts_clock;

/** Start a clock on real time, or stopped at the current (whole) second. */
void ts_clock_init(ts_clock *c, bool stopped);
/** Move the clock forward by `ns`. */
void ts_clock_advance(ts_clock *c, uint64_t ns);
/** Server time of `c` in ns since the Unix epoch. */
uint64_t ts_clock_now_ns(const ts_clock *c);
/** Make `c` the clock the calling thread reads (NULL: real time); returns the previous one. */
const ts_clock *ts_clock_bind(const ts_clock *c);

/** Now on the calling thread's clock: ns since the Unix epoch. */
uint64_t ts_now_ns(void);
/** Now on the calling thread's clock: seconds since 2010-01-01 (void times). */
uint32_t ts_now2010(void);
/** A stored void time as an answer carries it: moved onto the client's (real) clock. */
uint32_t ts_clock_wire_void_time(uint32_t void_time);
/** A time a client sent (ns since the Unix epoch, its real clock) moved onto the server's clock. */
uint64_t ts_clock_from_client_ns(uint64_t client_ns);

/* ---------------- errors (error.c) ---------------- */

/** Fill `err` (may be NULL) with `code` and a printf-style message; returns `code`. */
aero_status ts_err(aero_error *err, aero_status code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** Reset `err` (may be NULL) to AERO_OK; returns AERO_OK. */
aero_status ts_ok(aero_error *err);

/* ---------------- access control (security.c) ---------------- */

typedef struct ts_security ts_security;
struct ts_msg;

/** Who a connection has logged in as. */
typedef struct ts_sec_conn {
    bool authed;
    char user[64];
    char cert_user[64]; /* CN of the verified client certificate of a TLS connection (PKI login), "" if none */
} ts_sec_conn;

/** Users, roles and sessions; `enabled` false answers like Community Edition. NULL on OOM. */
ts_security *ts_security_new(bool enabled, uint32_t session_ttl);
void ts_security_free(ts_security *s);
/** Make c the identity the calling (connection) thread's commands are checked against. */
void ts_security_bind(ts_sec_conn *c);
/** The connection closed: forget its login. */
void ts_security_conn_end(ts_security *s, ts_sec_conn *c);
/** Answer one security (type 2) request into out (complete frames). */
void ts_security_admin(ts_security *s, ts_sec_conn *c, const uint8_t *body, size_t len, aero_buf *out);
/** 0, or 80 when security is on and the bound connection has not logged in. */
int ts_security_check_authed(ts_security *s);
/** 0, 80 or 81 (ROLE_VIOLATION) for a record command on the bound connection. */
int ts_security_check(ts_security *s, const struct ts_msg *m, bool is_write);
/** An "ERROR:80:..." / "ERROR:81:..." answer for an info command the bound connection may not run, else NULL. */
const char *ts_security_info_denied(ts_security *s, const char *cmd);
/** Run a "security..." control command; false when cmd is not one (out, *st and e as aero_testserver_control). */
bool ts_security_control(ts_security *s, const char *cmd, char *out, size_t cap, aero_status *st, aero_error *e);

/* ---------------- server ---------------- */

typedef struct ts_conn {
    int fd;
    void *ssl; /* SSL* of a connection to the TLS port (tls.c), NULL for clear text */
    bool tls;  /* accepted on the TLS port: the handshake runs on the connection's thread */
    pthread_t thread;
    _Atomic bool done;
    struct ts_node *node;
    struct ts_conn *next;
} ts_conn;

typedef struct ts_node {
    struct aero_testserver *ts;
    unsigned index;
    uint16_t port;
    uint64_t id;
    char name[24];
    bool live; /* protected by ts->mu */
    int listen_fd;
    int tls_listen_fd; /* -1 without TLS */
    uint16_t tls_port; /* kept across a node stop/start */
    pthread_t accept_thread;
    _Atomic bool accept_running;
    pthread_mutex_t conn_mu;
    ts_conn *conns;   /* protected by conn_mu */
    unsigned n_conns; /* protected by conn_mu */
    /* fault injection, protected by ts->mu */
    int fault;
    uint32_t fault_arg;
    uint32_t fault_count;  /* 0 = unlimited */
    uint32_t fault_epoch;  /* bumped by every inject: releases stalled requests */
    uint32_t rack;         /* rack-id (when ts->racks) */
    uint64_t detect_at_ns; /* killed (aero_testserver_node_kill): dropped from the cluster at this time */
    /* access addresses (control command "access"), protected by ts->mu: when set, service-clear-std /
     * service-tls-std answer this text instead of the node's own 127.0.0.1 port */
    bool access_clear_set, access_tls_set;
    char access_clear[256];
    char access_tls[256];
} ts_node;

/** A secondary index definition (the data itself is not indexed: queries test each record). */
typedef struct ts_sindex {
    char ns[32], set[64], name[64], bin[16];
    uint8_t ptype;      /* 1 numeric, 3 string, 4 blob, 23 geo2dsphere */
    uint8_t itype;      /* 0 default, 1 list, 2 mapkeys, 3 mapvalues */
    char ctx_b64[1024]; /* context= as given ("" none) */
    char exp_b64[2048]; /* exp= as given ("" none: a bin index) */
} ts_sindex;

struct aero_testserver {
    pthread_mutex_t mu; /* cluster state: live flags, generations, faults, seeds */
    ts_store store;
    ts_node nodes[TS_MAX_NODES];
    unsigned n_nodes;
    unsigned rf;
    char cluster_name[64];
    char build[32]; /* info `build` answer, TS_BUILD unless configured */
    bool racks;     /* nodes have rack ids (an Enterprise rack-aware cluster) */
    uint32_t partition_gen;
    uint32_t peers_gen;
    _Atomic bool stopping;
    char seeds[TS_MAX_NODES * 24];
    uint64_t trid_seen[64]; /* recently used task ids */
    unsigned trid_node[64]; /* ... and the node each was used on */
    unsigned trid_pos;
    struct ts_udf_state *udf; /* UDF modules (udf.c), protected by mu */
    struct ts_jobs *jobs;     /* background jobs (udf_job.c), protected by mu */
    ts_sindex *sindex;        /* protected by mu */
    unsigned n_sindex, cap_sindex;
    ts_limits limits;
    ts_clock clock;
    ts_security *security; /* access control (security.c), its own lock */
    void *tls_ctx;         /* SSL_CTX* of the TLS listeners (tls.c), NULL without TLS */
    char tls_name[256];    /* announced in peers-tls-std */
    char tls_seeds[TS_MAX_NODES * 300];
    bool compression;                     /* Enterprise compression (type 4) */
    _Atomic uint64_t bytes_in, bytes_out; /* aero_testserver_wire_bytes() */
};

/* ---------------- TLS and compression (tls.c) ---------------- */

/** Load the TLS settings of cfg (version 2 and later) into ts; AERO_OK when there are none. */
aero_status ts_tls_init(aero_testserver *ts, const aero_testserver_config *cfg, aero_error *err);
void ts_tls_free(aero_testserver *ts);
/** Server handshake on a connection of the TLS port (blocking, bounded); false: close it. */
bool ts_tls_accept(ts_conn *c);
/** The common name of c's client certificate when the handshake verified one; "" otherwise. */
void ts_tls_peer_cn(const ts_conn *c, char *out, size_t cap);
/** recv()/send() of a connection, through TLS when c->ssl is set: > 0 bytes, 0 closed, < 0 error (errno). */
long ts_conn_recv(ts_conn *c, void *p, size_t n);
long ts_conn_send(ts_conn *c, const void *p, size_t n);
/** Bytes TLS has buffered and not yet returned (poll() cannot see them). */
bool ts_conn_pending(ts_conn *c);
void ts_conn_tls_free(ts_conn *c);
/**
 * Inflate a compressed (type 4) request body into *raw (malloc'd, the whole
 * type-3 message it must hold, header included). 0, or the result code to
 * answer: AERO_ERR_PARAMETER for a malformed one, 25 without zlib.
 */
int ts_inflate_request(const uint8_t *body, size_t len, uint8_t **raw, size_t *raw_len);
/** Compress every frame of `out` over 128 bytes into a type-4 message (in place). */
void ts_compress_frames(aero_buf *out);

/* ---------------- nodes (node.c) ---------------- */

/** Bind node n to 127.0.0.1:port (0 = any free port); 0 or -1. */
int ts_node_bind(ts_node *n, uint16_t port);
/** Start the accept thread of a bound node; 0 or -1. */
int ts_node_run(ts_node *n);
/** Stop accepting, cut and join every connection of node n. */
void ts_node_halt(ts_node *n);
/** Join and free finished connections (all of them when `all`), never the calling thread. */
void ts_node_reap(ts_node *n, bool all);
/** False once the node or the server is stopping. */
static inline bool ts_node_running(const ts_node *n) { return n->accept_running && !n->ts->stopping; }
/** Sleep ms milliseconds, less if the node stops. */
void ts_node_sleep_ms(const ts_node *n, uint32_t ms);

/* ---------------- faults (fault.c) ---------------- */

/** Take one use of node n's fault: the fault, its argument and the fault epoch. */
int ts_fault_take(ts_node *n, uint32_t *arg, uint32_t *epoch);
/** Current fault epoch of n (bumped by every inject). */
uint32_t ts_fault_epoch(ts_node *n);
/** Append n (0 = 32, at most 65536) random non-protocol bytes. */
void ts_fault_garbage(aero_buf *out, uint32_t n, uint64_t *seed);

/* ---------------- cluster view (cluster.c) ---------------- */

/** Rebuild ts->seeds from the live nodes; caller holds ts->mu (or is starting). */
void ts_cluster_rebuild_seeds(aero_testserver *ts);
/** Effective replication factor (min(rf, live nodes)); caller holds ts->mu. */
unsigned ts_cluster_rf(const aero_testserver *ts);
/** Drop killed nodes whose detection time has come (a rebalance); caller holds ts->mu. */
void ts_cluster_tick(aero_testserver *ts);
/** Node index holding replica `k` of partition `pid`, -1 if none; caller holds ts->mu. */
int ts_cluster_owner(const aero_testserver *ts, unsigned pid, unsigned k);

/* ---------------- protocol handlers ---------------- */

/**
 * Value of key=... in a ";"-separated parameter list, copied NUL-terminated
 * into val: 1 found, -1 found but cut short to cap - 1 bytes, 0 absent.
 */
int ts_info_param(const char *params, const char *key, char *val, size_t cap);

/** Answer an info request body into out (a complete type-1 frame). */
void ts_info_answer(aero_testserver *ts, ts_node *node, const uint8_t *body, size_t len, aero_buf *out);

/** Parsed AS_MSG request. */
typedef struct ts_field {
    uint8_t type;
    const uint8_t *data;
    uint32_t len;
} ts_field;

typedef struct ts_op {
    uint8_t op, ptype, name_len;
    const char *name;
    const uint8_t *value;
    uint32_t value_len;
} ts_op;

typedef struct ts_msg {
    uint8_t info1, info2, info3, info4;
    uint32_t generation, record_ttl, transaction_ttl;
    uint16_t n_fields, n_ops;
    const ts_field *fields_by_type[256]; /* last field of each type, NULL if absent */
    ts_op *ops;                          /* n_ops entries (malloc'd by ts_msg_parse) */
} ts_msg;

/**
 * Parse one AS_MSG (header + fields + ops) from p..p+len; fields are kept in
 * `fields` (cap entries). Returns 0, or a result code (4) when malformed.
 * `used` receives the bytes consumed. Free m->ops with free().
 */
int ts_msg_parse(const uint8_t *p, size_t len, ts_msg *m, ts_field *fields, size_t cap, size_t *used);
/**
 * The fields and ops part of ts_msg_parse(), from p + off, for m->n_fields
 * and m->n_ops already set (batch rows have their own header). m->ops is
 * NULL unless it returns 0.
 */
int ts_msg_parse_body(const uint8_t *p, size_t len, size_t off, ts_msg *m, ts_field *fields, size_t cap, size_t *used);

/** Begin a response AS_MSG inside an existing frame (no proto header); returns its offset. */
size_t ts_resp_begin(aero_buf *b);
/** Finish the header at `off`. */
void ts_resp_end(aero_buf *b, size_t off, uint8_t info1, uint8_t info3, uint8_t result, uint32_t gen,
                 uint32_t void_time, uint32_t txn_ttl, uint16_t n_fields, uint16_t n_ops);
void ts_resp_field(aero_buf *b, uint8_t type, const void *data, size_t len);
void ts_resp_op(aero_buf *b, uint8_t op, uint8_t ptype, const char *name, size_t name_len, const void *v, size_t vlen);
/** Append a full frame holding one header-only message with `result`. */
void ts_resp_simple(aero_buf *b, uint8_t result, uint32_t gen, uint32_t void_time);
/** Begin / end a type-3 proto frame. */
size_t ts_frame_begin(aero_buf *b);
void ts_frame_end(aero_buf *b, size_t off);

/* ---------------- dispatch (dispatch.c) ---------------- */

/** What the connection does after a request. */
typedef enum ts_action {
    TS_SEND,       /* send out, read the next request */
    TS_SEND_CLOSE, /* send out, then close */
    TS_CLOSE,      /* close without answering */
    TS_STALL,      /* never answer: wait until the fault epoch moves past req->stall_epoch */
} ts_action;

/** Per-connection state the dispatcher keeps between requests. */
typedef struct ts_request {
    uint64_t seed;        /* garbage fault bytes */
    uint32_t stall_epoch; /* fault epoch of a stalled request */
    ts_sec_conn sec;      /* the connection's login (security.c) */
} ts_request;

/** Is `type` a proto type the server answers (else the connection closes before the body is read)? */
bool ts_dispatch_knows(uint8_t type);
/** Answer one request of proto type `type` into out (complete frames), applying the node's fault. */
ts_action ts_dispatch(ts_node *node, uint8_t type, const uint8_t *body, size_t len, ts_request *req, aero_buf *out);

/** Handle one AS_MSG request body; appends complete frames to out. */
void ts_handle_msg(aero_testserver *ts, ts_node *node, const uint8_t *body, size_t len, aero_buf *out);

/* single record (kv.c) */
void ts_kv_execute(aero_testserver *ts, const ts_msg *m, aero_buf *out);
/**
 * Execute a single-record command against the store and append one response
 * message (no frame) to out. `txn_ttl` goes into the response's
 * transaction_ttl (batch row index). Returns the result code.
 */
int ts_kv_row(aero_testserver *ts, const ts_msg *m, uint32_t txn_ttl, aero_buf *out);

/* scans and queries (scan.c) */
void ts_scan_execute(aero_testserver *ts, ts_node *node, const ts_msg *m, aero_buf *out);
/* batch (batch.c) */
void ts_batch_execute(aero_testserver *ts, const ts_msg *m, aero_buf *out);

/* ---------------- expressions (exp.c) ---------------- */

/** Filter result. */
enum { TS_EXP_FALSE = 0, TS_EXP_TRUE = 1, TS_EXP_UNKNOWN = 2, TS_EXP_ERROR = 3 };

/**
 * Evaluate a filter expression (msgpack bytes) against a record (NULL for no
 * record). Returns TS_EXP_TRUE/FALSE/UNKNOWN, or TS_EXP_ERROR when the
 * expression is malformed (the server answers 4).
 */
int ts_exp_filter(const uint8_t *exp, size_t len, const ts_record *r, const char *ns);
/** False when the expression's result type is known and not boolean (a filter the server refuses: 4). */
bool ts_exp_may_be_bool(const uint8_t *exp, size_t len);

/**
 * Evaluate an exp op value `[<exp>, flags]` against r: 0 with *flags and a
 * malloc'd particle (*unknown set, no particle, when the value is unknown),
 * or 4 when malformed.
 */
int ts_exp_op_value(const uint8_t *v, size_t len, const ts_record *r, const char *ns, int64_t *flags, uint8_t *ptype,
                    uint8_t **data, uint32_t *dlen, bool *unknown);

/**
 * Expression read op (op 7) value `[<exp>, flags]`: evaluates against r and
 * returns 0 with a particle (*ptype, malloc'd *data / *dlen; nil = type 0,
 * NULL). Result codes: 4 malformed, 26 evaluation failed (unless
 * EVAL_NO_FAIL, which yields nil).
 */
int ts_exp_op(const uint8_t *v, size_t len, const ts_record *r, const char *ns, bool modify, uint8_t *ptype,
              uint8_t **data, uint32_t *dlen);
/** Expression write op (op 8): computes and stores/deletes bin `name` of w per the op flags. */
int ts_exp_write_op(ts_record *w, const char *name, size_t name_len, const uint8_t *v, size_t len, const char *ns);

#endif
