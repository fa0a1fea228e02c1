/*
 * udf.h - aero-testserver UDF modules and record UDF execution (udf.c),
 * background jobs (udf_job.c), and the Lua 5.4 engine behind UDFs
 * (udf_lua.c, which runs Lua only when meson finds lua5.4: TS_HAVE_LUA).
 */
#ifndef AERO_TS_UDF_H
#define AERO_TS_UDF_H

#include "ts.h"

/** Where the server keeps user modules: error messages name files under it, as a real server's do. */
#define TS_UDF_USER_PATH "/opt/aerospike/usr/udf/lua"

/* ---- modules and jobs (udf.c) ---- */

/** Answer udf-put / udf-get / udf-remove / udf-list into o; caller holds ts->mu. */
void ts_udf_info(aero_testserver *ts, const char *cmd, const char *params, aero_buf *o);
/** Free the modules (server stop). */
void ts_udf_free(aero_testserver *ts);

/**
 * Run the record UDF a message names (UDF_PACKAGE_NAME, UDF_FUNCTION,
 * UDF_ARGLIST) on the record of its digest in ns, appending one answer
 * message (no frame): result 0 with bin SUCCESS, or 100 with bin FAILURE.
 * Takes the store lock itself. Returns the result code.
 */
int ts_udf_row(aero_testserver *ts, const ts_msg *m, ts_namespace *ns, uint32_t txn_ttl, aero_buf *out);

/* ---- background jobs (udf_job.c) ---- */

/** Answer query-show[:trid=N] for node into o; caller holds ts->mu. */
void ts_job_show(aero_testserver *ts, ts_node *node, const char *params, aero_buf *o);
/** Stop and join running jobs, free the job history (server stop, before the store goes). */
void ts_jobs_free(aero_testserver *ts);

/**
 * Start background job `trid` of node: apply m (write ops, or a UDF with
 * UDF_OP 2) to each of the n records digs[] (takes ownership of digs), as
 * single-record commands. Without RPS the job runs before this returns;
 * with RPS it runs on its own thread at that pace. Recorded for query-show.
 */
void ts_job_start(aero_testserver *ts, ts_node *node, const ts_msg *m, uint8_t (*digs)[20], size_t n, uint64_t trid);

/* ---- the Lua engine (udf_lua.c) ---- */

/** A record as a UDF sees it: the working copy and what the function did to it. */
typedef struct ts_udf_rec {
    ts_record *w;         /* working copy (bins set by the function); never NULL */
    ts_record *committed; /* state at the last aerospike:create/update, NULL if none */
    bool exists;          /* the record exists (as the function sees it) */
    bool has_updates;     /* create / update / remove was called */
    bool removed;         /* the last of them was remove */
    uint32_t ttl_left;    /* record.ttl() */
} ts_udf_rec;

/**
 * Compile `src` (module file `file`): 0, or -1 with the Lua message (without
 * the file and line) in msg and the line in *line. Without Lua: always 0.
 */
int ts_lua_validate(const char *file, const char *src, size_t len, char *msg, size_t cap, int *line);

/**
 * Call `function` of module `file` (source src) on r with the msgpack
 * argument list args. 0 with the return value as a particle (*ptype,
 * malloc'd *data / *dlen; nil: ptype 0, NULL); or -1 with the error message
 * (what the FAILURE bin carries) in msg.
 */
int ts_lua_apply(const char *file, const char *src, size_t len, const char *function, const uint8_t *args,
                 size_t args_len, ts_udf_rec *r, uint8_t *ptype, uint8_t **data, uint32_t *dlen, char *msg, size_t cap);

#endif
