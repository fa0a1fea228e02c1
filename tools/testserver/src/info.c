/*
 * info.c - answers to info (type 1) requests, formatted as Aerospike 8.1 CE
 * prints them (protocol.md 2): each request line is echoed, then a tab, the
 * value and a newline. Unknown commands answer "ERROR:4:unrecognized command";
 * an empty request answers the summary list.
 */
#include "ts.h"
#include "udf.h"

#include "sindex.h"

#include <inttypes.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char FEATURES[] =
    "batch-any;batch-index;blob-bits;cdt-index;cdt-list;cdt-map;cluster-stable;float;geo;sindex-exists;peers;"
    "pipelining;pquery;pscans;query-show;relaxed-sc;replicas;replicas-all;replicas-master;replicas-max;"
    "truncate-namespace;udf";

static void puts_(aero_buf *o, const char *s) { aero_buf__put(o, s, strlen(s)); }

static void printf_(aero_buf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void printf_(aero_buf *o, const char *fmt, ...) {
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        aero_buf__put(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* key=... found (a value too long for val is cut short) */
static bool param(const char *params, const char *key, char *val, size_t cap) {
    return ts_info_param(params, key, val, cap) != 0;
}

/* replicas: ns:regime,n_replicas,b64,...; replicas-all (no_regime):
   ns:n_replicas,b64,...; replicas-master (master_only): ns:b64 of the
   partitions this node masters, no prefix (as a real 8.1 server) */
static void replicas(aero_testserver *ts, ts_node *node, unsigned max, bool master_only, bool no_regime, aero_buf *o) {
    unsigned rf = ts_cluster_rf(ts);
    if (max && max < rf)
        rf = max;
    if (rf == 0)
        rf = 1;
    uint8_t bm[512];
    char b64[700];
    for (unsigned i = 0; i < ts->store.n_ns; i++) {
        if (master_only)
            printf_(o, "%s%s:", i ? ";" : "", ts->store.ns[i]->name);
        else if (no_regime)
            printf_(o, "%s%s:%u", i ? ";" : "", ts->store.ns[i]->name, rf);
        else
            printf_(o, "%s%s:0,%u", i ? ";" : "", ts->store.ns[i]->name, rf);
        for (unsigned k = 0; k < rf; k++) {
            memset(bm, 0, sizeof bm);
            for (unsigned p = 0; p < TS_PARTITIONS; p++)
                if (ts_cluster_owner(ts, p, k) == (int)node->index)
                    bm[p >> 3] |= (uint8_t)(0x80 >> (p & 7));
            int n = EVP_EncodeBlock((unsigned char *)b64, bm, sizeof bm);
            if (!master_only)
                aero_buf__put_u8(o, ',');
            if (n > 0)
                aero_buf__put(o, b64, (size_t)n);
        }
    }
}

static void peers(aero_testserver *ts, ts_node *node, bool tls, aero_buf *o) {
    printf_(o, "%u,3000,[", ts->peers_gen);
    bool first = true;
    for (unsigned i = 0; i < ts->n_nodes; i++) {
        if (i == node->index || !ts->nodes[i].live)
            continue;
        if (tls) /* TLS ports are never the default one, and carry the certificate name */
            printf_(o, "%s[%s,%s,[127.0.0.1:%u]]", first ? "" : ",", ts->nodes[i].name, ts->tls_name,
                    ts->nodes[i].tls_port);
        else if (ts->nodes[i].port == 3000) /* the server drops the default port */
            printf_(o, "%s[%s,,[127.0.0.1]]", first ? "" : ",", ts->nodes[i].name);
        else
            printf_(o, "%s[%s,,[127.0.0.1:%u]]", first ? "" : ",", ts->nodes[i].name, ts->nodes[i].port);
        first = false;
    }
    puts_(o, "]");
}

static unsigned live_count(const aero_testserver *ts) {
    unsigned n = 0;
    for (unsigned i = 0; i < ts->n_nodes; i++)
        n += ts->nodes[i].live;
    return n;
}

/*
 * Records of ns (of `set` when set_len > 0) that node holds, as a real node
 * counts them: `objects` over the partitions it holds as master or replica,
 * `master` over those it masters. Caller holds ts->mu and the store lock.
 */
static void node_counts(aero_testserver *ts, const ts_node *node, ts_namespace *ns, const char *set, size_t set_len,
                        uint64_t *objects, uint64_t *master) {
    uint32_t now = ts_now2010();
    unsigned rf = ts_cluster_rf(ts);
    *objects = *master = 0;
    for (unsigned p = 0; p < TS_PARTITIONS; p++) {
        int role = -1;
        for (unsigned k = 0; k < rf && role < 0; k++)
            if (ts_cluster_owner(ts, p, k) == (int)node->index)
                role = (int)k;
        if (role < 0)
            continue;
        const ts_partition *part = &ns->parts[p];
        for (uint32_t r = 0; r < part->n; r++) {
            const ts_record *rec = part->recs[r];
            if (rec->void_time != 0 && rec->void_time <= now)
                continue; /* expired, not yet removed */
            if (set_len && (rec->set_len != set_len || memcmp(rec->set, set, set_len) != 0))
                continue;
            (*objects)++;
            *master += role == 0;
        }
    }
}

static void ns_info(aero_testserver *ts, ts_node *node, ts_namespace *ns, aero_buf *o) {
    uint64_t objects, master;
    pthread_mutex_lock(&ts->store.mu);
    node_counts(ts, node, ns, NULL, 0, &objects, &master);
    pthread_mutex_unlock(&ts->store.mu);
    unsigned rf = ts_cluster_rf(ts);
    printf_(o,
            "ns_cluster_size=%u;effective_replication_factor=%u;effective_is_quiesced=false;objects=%" PRIu64
            ";tombstones=0;xdr_tombstones=0;xdr_bin_cemeteries=0;master_objects=%" PRIu64
            ";master_tombstones=0;prole_objects=%" PRIu64
            ";prole_tombstones=0;non_replica_objects=0;non_replica_tombstones=0;"
            "unreplicated_records=0;dead_partitions=0;unavailable_partitions=0;clock_skew_stop_writes=false;"
            "stop_writes=false;hwm_breached=false;",
            live_count(ts), rf, objects, master, objects - master);
    printf_(o,
            "allow-ttl-without-nsup=false;default-read-touch-ttl-pct=%u;default-ttl=%u;disable-cold-start-eviction="
            "false;disallow-expunge=false;disallow-null-setname=false;enable-benchmarks-batch-sub=false;"
            "enable-benchmarks-read=false;enable-benchmarks-udf=false;enable-benchmarks-write=false;"
            "enable-hist-proxy=false;evict-hist-buckets=10000;evict-indexes-memory-pct=0;evict-tenths-pct=5;"
            "ignore-migrate-fill-delay=false;index-stage-size=1073741824;indexes-memory-budget=0;"
            "inline-short-queries=false;max-record-size=0;migrate-order=5;migrate-retransmit-ms=5000;"
            "migrate-skip-unreadable=false;migrate-sleep=1;nsup-hist-period=3600;nsup-period=120;nsup-threads=1;"
            "partition-tree-sprigs=256;prefer-uniform-balance=true;rack-id=%u;read-consistency-level-override=off;"
            "reject-non-xdr-writes=false;reject-xdr-writes=false;replication-factor=%u;sindex-stage-size=1073741824;"
            "single-query-threads=4;stop-writes-sys-memory-pct=90;strong-consistency=false;"
            "strong-consistency-allow-expunge=false;tomb-raider-eligible-age=86400;tomb-raider-period=86400;"
            "transaction-pending-limit=20;truncate-threads=4;write-commit-level-override=off;"
            "storage-engine=memory",
            ts->store.default_read_touch_pct, ts->store.default_ttl, ts->racks ? (unsigned)node->rack : 0u, ts->rf);
}

static void sets_info(aero_testserver *ts, ts_node *node, ts_namespace *only_ns, const char *only_set, aero_buf *o) {
    pthread_mutex_lock(&ts->store.mu);
    for (unsigned i = 0; i < ts->store.n_ns; i++) {
        ts_namespace *ns = ts->store.ns[i];
        if (only_ns && ns != only_ns)
            continue;
        /* collect distinct set names (small scale) */
        char names[64][64];
        unsigned n = 0;
        for (unsigned p = 0; p < TS_PARTITIONS; p++) {
            for (uint32_t r = 0; r < ns->parts[p].n; r++) {
                const ts_record *rec = ns->parts[p].recs[r];
                if (rec->set_len == 0)
                    continue;
                bool seen = false;
                for (unsigned k = 0; k < n && !seen; k++)
                    seen = strlen(names[k]) == rec->set_len && memcmp(names[k], rec->set, rec->set_len) == 0;
                if (!seen && n < 64) {
                    memcpy(names[n], rec->set, rec->set_len);
                    names[n][rec->set_len] = 0;
                    n++;
                }
            }
        }
        for (unsigned k = 0; k < n; k++) {
            if (only_set && strcmp(only_set, names[k]) != 0)
                continue;
            uint64_t c, master;
            node_counts(ts, node, ns, names[k], strlen(names[k]), &c, &master);
            if (!only_set)
                printf_(o, "ns=%s:set=%s:", ns->name, names[k]);
            printf_(o,
                    "objects=%" PRIu64 ":tombstones=0:data_used_bytes=0:truncate_lut=0:sindexes=0:"
                    "index_populating=false:truncating=false:default-read-touch-ttl-pct=0:default-ttl=0:"
                    "disable-eviction=false:enable-index=false:stop-writes-count=0:stop-writes-size=0;",
                    c);
        }
    }
    pthread_mutex_unlock(&ts->store.mu);
}

/*
 * A required or optional parameter as the server checks it
 * (as_info_required_param_is_ok / as_info_optional_param_is_ok): absent,
 * present but empty, or too long each answer their own error (code 20 for
 * namespace, 4 otherwise). Returns 1 with the value, 0 absent (optional
 * only), -1 answered.
 */
static int checked_param(const char *params, const char *key, bool required, char *val, size_t cap, aero_buf *o) {
    int r = params ? ts_info_param(params, key, val, cap) : 0;
    int code = strcmp(key, "namespace") == 0 ? 20 : 4;
    if (r == 0 && !required)
        return 0;
    if (r == 0)
        printf_(o, "ERROR:%d:missing '%s'", code, key);
    else if (r < 0)
        printf_(o, "ERROR:%d:'%s' value too long", code, key);
    else if (!val[0])
        printf_(o, "ERROR:%d:missing '%s' value", code, key);
    else
        return 1;
    return -1;
}

/*
 * truncate:namespace=<ns>;set=<set>[;lut=<ns since the epoch>] and
 * truncate-namespace:namespace=<ns>[;lut=...], answered as 8.1 does
 * (thr_info.c cmd_truncate*, truncate.c as_truncate_cmd): the set is
 * required by one and refused by the other; a lut before 2010 or after the
 * server's clock is refused; a namespace the node does not have is not
 * checked (the server only broadcasts the command), so it answers "ok".
 */
static void truncate_cmd(aero_testserver *ts, bool whole_ns, const char *params, aero_buf *o) {
    char nsname[32], set[64], lut[24];
    if (checked_param(params, "namespace", true, nsname, sizeof nsname, o) < 0)
        return;
    if (whole_ns) {
        char one[2];
        if (params && ts_info_param(params, "set", one, sizeof one) != 0) {
            puts_(o, "ERROR:4:unexpected set name");
            return;
        }
    } else if (checked_param(params, "set", true, set, sizeof set, o) < 0) {
        return;
    }
    int has_lut = checked_param(params, "lut", false, lut, sizeof lut, o);
    if (has_lut < 0)
        return;
    /* last-update times are kept in ms: a record updated in the cut-off's millisecond survives */
    uint64_t before = ts_now_ns() / 1000000u * 1000000u;
    if (has_lut) {
        uint64_t utc_ns = strtoull(lut, NULL, 0);
        uint64_t ms = utc_ns / 1000000u;
        if (ms <= 1262304000000ull) { /* ms since 2010 would be 0 */
            puts_(o, "ERROR:4:would truncate to 0");
            return;
        }
        uint64_t cut = ts_clock_from_client_ns(utc_ns) / 1000000u * 1000000u;
        if (cut > before) {
            puts_(o, "ERROR:4:would truncate in the future");
            return;
        }
        before = cut;
    }
    ts_namespace *ns = ts_store_ns(&ts->store, nsname, strlen(nsname));
    if (ns) {
        pthread_mutex_lock(&ts->store.mu);
        ts_store_truncate_before(&ts->store, ns, whole_ns ? NULL : set, whole_ns ? 0 : strlen(set), before);
        pthread_mutex_unlock(&ts->store.mu);
    }
    puts_(o, "ok");
}

/*
 * cluster-stable[:size=N;ignore-migrations=bool;namespace=ns]
 * (thr_info.c cmd_cluster_stable): the cluster key in hex, or code 7 when
 * the size differs. The test server has no migrations, so it is otherwise
 * always stable.
 */
static void cluster_stable(aero_testserver *ts, const char *params, aero_buf *o) {
    char v[32];
    int r = checked_param(params, "size", false, v, 4, o);
    if (r < 0)
        return;
    if (r > 0) {
        char *end;
        unsigned long size = strtoul(v, &end, 10);
        if (*end || v[0] == '-') {
            puts_(o, "ERROR:4:bad size");
            return;
        }
        if (size != live_count(ts)) {
            puts_(o, "ERROR:7:cluster not specified size");
            return;
        }
    }
    r = checked_param(params, "ignore-migrations", false, v, 6, o);
    if (r < 0)
        return;
    bool ignore = false;
    if (r > 0) {
        if (strcmp(v, "true") == 0) {
            ignore = true;
        } else if (strcmp(v, "false") != 0) {
            puts_(o, "ERROR:4:bad ignore migrations");
            return;
        }
    }
    if (!ignore) {
        r = checked_param(params, "namespace", false, v, 32, o);
        if (r < 0)
            return;
        if (r > 0 && !ts_store_ns(&ts->store, v, strlen(v))) {
            puts_(o, "ERROR:20:namespace not found on node");
            return;
        }
    }
    printf_(o, "%" PRIX64, ts->nodes[0].id ^ ts->partition_gen);
}

/*
 * racks[:namespace=<ns>] (thr_info.c cmd_racks, namespace_rack_info): per
 * namespace "rack_<id>=<node>,<node>:rack_<id>=..." over the live nodes in
 * rack order, with "ns=<ns>:" in front and ";" between namespaces when no
 * namespace is named (no trailing ";").
 */
static void racks_info(aero_testserver *ts, const char *params, aero_buf *o) {
    char nsname[32];
    int r = checked_param(params, "namespace", false, nsname, sizeof nsname, o);
    if (r < 0)
        return;
    if (r > 0 && !ts_store_ns(&ts->store, nsname, strlen(nsname))) {
        puts_(o, "ERROR:20:namespace not found on node");
        return;
    }
    unsigned order[TS_MAX_NODES], n = 0;
    for (unsigned i = 0; i < ts->n_nodes; i++)
        if (ts->nodes[i].live)
            order[n++] = i;
    for (unsigned i = 1; i < n; i++) /* by rack, then node id (a small insertion sort) */
        for (unsigned j = i; j > 0; j--) {
            const ts_node *a = &ts->nodes[order[j - 1]], *b = &ts->nodes[order[j]];
            if (a->rack < b->rack || (a->rack == b->rack && a->id <= b->id))
                break;
            unsigned t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (unsigned k = 0; k < ts->store.n_ns; k++) {
        const char *ns = ts->store.ns[k]->name;
        if (r > 0 && strcmp(ns, nsname) != 0)
            continue;
        if (r == 0)
            printf_(o, "%sns=%s:", k ? ";" : "", ns);
        for (unsigned i = 0; i < n; i++) {
            const ts_node *nd = &ts->nodes[order[i]];
            bool same = i > 0 && ts->nodes[order[i - 1]].rack == nd->rack;
            if (same)
                printf_(o, ",%" PRIX64, nd->id);
            else
                printf_(o, "%srack_%u=%" PRIX64, i ? ":" : "", (unsigned)nd->rack, nd->id);
        }
    }
}

/* Answer one command line (name[/args][:params]) into o (value only). */
static void answer_line(aero_testserver *ts, ts_node *node, char *line, aero_buf *o) {
    char *params = strchr(line, ':');
    if (params)
        *params++ = 0;
    char *args = strchr(line, '/');
    if (args)
        *args++ = 0;
    const char *cmd = line;
    const char *denied = ts_security_info_denied(ts->security, cmd);
    if (denied) {
        puts_(o, denied);
    } else if (!strcmp(cmd, "node")) {
        puts_(o, node->name);
    } else if (!strcmp(cmd, "build")) {
        puts_(o, ts->build);
    } else if (!strcmp(cmd, "version")) {
        printf_(o, "Aerospike Community Edition build %s", ts->build);
    } else if (!strcmp(cmd, "release")) {
        printf_(o, "edition=Aerospike Community Edition;version=%s;os=debian12;arch=x86_64;sha=05b91c64", ts->build);
    } else if (!strcmp(cmd, "compatibility-id")) {
        puts_(o, "15");
    } else if (!strcmp(cmd, "build_sha")) {
        puts_(o, "05b91c64");
    } else if (!strcmp(cmd, "build_ee_sha")) {
        /* empty on CE */
    } else if (!strcmp(cmd, "build_arch")) {
        puts_(o, "x86_64");
    } else if (!strcmp(cmd, "build_os")) {
        puts_(o, "debian12");
    } else if (!strcmp(cmd, "build_time")) {
        puts_(o, "Thu Nov 20 00:00:00 UTC 2025");
    } else if (!strcmp(cmd, "edition")) {
        puts_(o, "Aerospike Community Edition");
    } else if (!strcmp(cmd, "features")) {
        puts_(o, FEATURES);
    } else if (!strcmp(cmd, "namespaces")) {
        for (unsigned i = 0; i < ts->store.n_ns; i++)
            printf_(o, "%s%s", i ? ";" : "", ts->store.ns[i]->name);
    } else if (!strcmp(cmd, "namespace")) {
        ts_namespace *ns = args ? ts_store_ns(&ts->store, args, strlen(args)) : NULL;
        if (ns)
            ns_info(ts, node, ns, o);
        else
            puts_(o, "type=unknown");
    } else if (!strcmp(cmd, "partitions")) {
        puts_(o, "4096");
    } else if (!strcmp(cmd, "replicas") || !strcmp(cmd, "replicas-all")) {
        char v[16];
        unsigned max = params && param(params, "max", v, sizeof v) ? (unsigned)strtoul(v, NULL, 10) : 0;
        replicas(ts, node, max, false, !strcmp(cmd, "replicas-all"), o);
    } else if (!strcmp(cmd, "replicas-master")) {
        replicas(ts, node, 1, true, false, o);
    } else if (!strcmp(cmd, "peers-clear-std") || !strcmp(cmd, "peers-clear-alt")) {
        peers(ts, node, false, o);
    } else if (!strcmp(cmd, "peers-generation")) {
        printf_(o, "%u", ts->peers_gen);
    } else if (!strcmp(cmd, "partition-generation") || !strcmp(cmd, "rebalance-generation")) {
        printf_(o, "%u", ts->partition_gen);
    } else if (!strcmp(cmd, "cluster-name")) {
        puts_(o, ts->cluster_name);
    } else if (!strcmp(cmd, "cluster-stable")) {
        cluster_stable(ts, params, o);
    } else if (!strcmp(cmd, "service-clear-std")) {
        /* the node's access addresses, "host:port" joined by ',' (service_list.c print_list), "" for none */
        if (node->access_clear_set)
            puts_(o, node->access_clear);
        else
            printf_(o, "127.0.0.1:%u", node->port);
    } else if (!strcmp(cmd, "service-clear-alt") || !strcmp(cmd, "service")) {
        printf_(o, "127.0.0.1:%u", node->port);
    } else if (!strcmp(cmd, "services") || !strcmp(cmd, "services-alumni")) {
        bool first = true;
        for (unsigned i = 0; i < ts->n_nodes; i++) {
            if (i == node->index || !ts->nodes[i].live)
                continue;
            printf_(o, "%s127.0.0.1:%u", first ? "" : ";", ts->nodes[i].port);
            first = false;
        }
    } else if (ts->racks && !strcmp(cmd, "rack-ids")) {
        for (unsigned i = 0; i < ts->store.n_ns; i++)
            printf_(o, "%s%s:%u", i ? ";" : "", ts->store.ns[i]->name, (unsigned)node->rack);
    } else if (ts->racks && !strcmp(cmd, "racks")) {
        racks_info(ts, params, o);
    } else if (ts->tls_ctx && (!strcmp(cmd, "peers-tls-std") || !strcmp(cmd, "peers-tls-alt"))) {
        peers(ts, node, true, o);
    } else if (ts->tls_ctx && !strcmp(cmd, "service-tls-std")) {
        if (node->access_tls_set)
            puts_(o, node->access_tls);
        else
            printf_(o, "127.0.0.1:%u", node->tls_port);
    } else if (ts->tls_ctx && !strcmp(cmd, "service-tls-alt")) {
        printf_(o, "127.0.0.1:%u", node->tls_port);
    } else if (!strcmp(cmd, "peers-tls-std") || !strcmp(cmd, "peers-tls-alt") || !strcmp(cmd, "service-tls-std") ||
               !strcmp(cmd, "service-tls-alt") || !strcmp(cmd, "rack-ids") || !strcmp(cmd, "racks")) {
        puts_(o, "ERROR:25:enterprise only");
    } else if (!strcmp(cmd, "statistics")) {
        uint64_t objects = 0;
        pthread_mutex_lock(&ts->store.mu);
        for (unsigned i = 0; i < ts->store.n_ns; i++)
            objects += ts_store_count(&ts->store, ts->store.ns[i], NULL, 0, ts_now2010());
        pthread_mutex_unlock(&ts->store.mu);
        printf_(o,
                "cluster_size=%u;cluster_key=%" PRIX64 ";cluster_integrity=true;cluster_is_member=true;"
                "uptime=1;objects=%" PRIu64 ";client_connections=1",
                live_count(ts), ts->nodes[0].id ^ ts->partition_gen, objects);
    } else if (!strcmp(cmd, "sets")) {
        char *set = args ? strchr(args, '/') : NULL;
        if (set)
            *set++ = 0;
        ts_namespace *ns = args ? ts_store_ns(&ts->store, args, strlen(args)) : NULL;
        if (args && !ns)
            puts_(o, "ns_type=unknown"); /* what 8.1 answers (no ERROR form) */
        else
            sets_info(ts, node, ns, set, o);
    } else if (!strcmp(cmd, "sindex-list") || !strcmp(cmd, "sindex-create") || !strcmp(cmd, "sindex-delete") ||
               !strcmp(cmd, "sindex-stat") || !strcmp(cmd, "sindex-exists")) {
        ts_sindex_info(ts, cmd, params, o);
    } else if (!strcmp(cmd, "truncate") || !strcmp(cmd, "truncate-namespace")) {
        truncate_cmd(ts, !strcmp(cmd, "truncate-namespace"), params, o);
    } else if (!strcmp(cmd, "query-show")) {
        ts_job_show(ts, node, params, o);
    } else if (!strcmp(cmd, "udf-put") || !strcmp(cmd, "udf-get") || !strcmp(cmd, "udf-remove") ||
               !strcmp(cmd, "udf-list")) {
        ts_udf_info(ts, cmd, params, o);
    } else if (!strcmp(cmd, "user-agent-set")) {
        puts_(o, "ok");
    } else if (!strcmp(cmd, "testserver-control")) {
        char res[256];
        aero_testserver_control(ts, params ? params : "", res, sizeof res, NULL);
        puts_(o, res);
    } else {
        puts_(o, "ERROR:4:unrecognized command");
    }
}

void ts_info_answer(aero_testserver *ts, ts_node *node, const uint8_t *body, size_t len, aero_buf *out) {
    size_t f = out->len;
    pthread_mutex_lock(&ts->mu);
    ts_cluster_tick(ts);
    pthread_mutex_unlock(&ts->mu);
    aero_buf__append(out, 8);
    /* the server's summary list, in its order */
    static const char *const summary[] = { "features",        "node",         "compatibility-id",
                                           "edition",         "build_ee_sha", "build_sha",
                                           "build_arch",      "build_time",   "build_os",
                                           "build",           "version",      "statistics",
                                           "services-alumni", "services",     "partition-generation" };
    if (len == 0) {
        for (size_t i = 0; i < sizeof summary / sizeof summary[0]; i++) {
            char line[64];
            snprintf(line, sizeof line, "%s", summary[i]);
            puts_(out, summary[i]);
            aero_buf__put_u8(out, '\t');
            pthread_mutex_lock(&ts->mu);
            answer_line(ts, node, line, out);
            pthread_mutex_unlock(&ts->mu);
            aero_buf__put_u8(out, '\n');
        }
    } else {
        size_t pos = 0;
        while (pos < len) {
            size_t e = pos;
            while (e < len && body[e] != '\n')
                e++;
            size_t n = e - pos;
            if (n > 0) {
                char *line = malloc(n + 1);
                if (line) {
                    memcpy(line, body + pos, n);
                    line[n] = 0;
                    aero_buf__put(out, line, n);
                    aero_buf__put_u8(out, '\t');
                    /* control commands take the cluster lock themselves */
                    bool ctl = strncmp(line, "testserver-control", 18) == 0;
                    if (!ctl)
                        pthread_mutex_lock(&ts->mu);
                    answer_line(ts, node, line, out);
                    if (!ctl)
                        pthread_mutex_unlock(&ts->mu);
                    aero_buf__put_u8(out, '\n');
                    free(line);
                }
            }
            pos = e + 1;
        }
    }
    if (!out->failed) {
        uint64_t h = ((uint64_t)AERO_PROTO_VERSION << 56) | ((uint64_t)AERO_PROTO_INFO << 48) | (out->len - f - 8);
        aero_set_u64be(out->data + f, h);
    }
}
