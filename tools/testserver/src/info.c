/*
 * info.c - answers to info (type 1) requests, formatted as Aerospike 8.1 CE
 * prints them (protocol.md 2): each request line is echoed, then a tab, the
 * value and a newline. Unknown commands answer "ERROR:4:unrecognized command";
 * an empty request answers the summary list.
 */
#include "ts.h"

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

static void ns_info(aero_testserver *ts, ts_namespace *ns, aero_buf *o) {
    pthread_mutex_lock(&ts->store.mu);
    uint64_t objects = ts_store_count(&ts->store, ns, NULL, 0, ts_now2010());
    pthread_mutex_unlock(&ts->store.mu);
    unsigned rf = ts_cluster_rf(ts);
    printf_(o,
            "ns_cluster_size=%u;effective_replication_factor=%u;effective_is_quiesced=false;objects=%" PRIu64
            ";tombstones=0;xdr_tombstones=0;xdr_bin_cemeteries=0;master_objects=%" PRIu64
            ";master_tombstones=0;prole_objects=0;prole_tombstones=0;non_replica_objects=0;non_replica_tombstones=0;"
            "unreplicated_records=0;dead_partitions=0;unavailable_partitions=0;clock_skew_stop_writes=false;"
            "stop_writes=false;hwm_breached=false;",
            live_count(ts), rf, objects, objects);
    printf_(o,
            "allow-ttl-without-nsup=false;default-read-touch-ttl-pct=%u;default-ttl=%u;disable-cold-start-eviction="
            "false;disallow-expunge=false;disallow-null-setname=false;enable-benchmarks-batch-sub=false;"
            "enable-benchmarks-read=false;enable-benchmarks-udf=false;enable-benchmarks-write=false;"
            "enable-hist-proxy=false;evict-hist-buckets=10000;evict-indexes-memory-pct=0;evict-tenths-pct=5;"
            "ignore-migrate-fill-delay=false;index-stage-size=1073741824;indexes-memory-budget=0;"
            "inline-short-queries=false;max-record-size=0;migrate-order=5;migrate-retransmit-ms=5000;"
            "migrate-skip-unreadable=false;migrate-sleep=1;nsup-hist-period=3600;nsup-period=120;nsup-threads=1;"
            "partition-tree-sprigs=256;prefer-uniform-balance=true;rack-id=0;read-consistency-level-override=off;"
            "reject-non-xdr-writes=false;reject-xdr-writes=false;replication-factor=%u;sindex-stage-size=1073741824;"
            "single-query-threads=4;stop-writes-sys-memory-pct=90;strong-consistency=false;"
            "strong-consistency-allow-expunge=false;tomb-raider-eligible-age=86400;tomb-raider-period=86400;"
            "transaction-pending-limit=20;truncate-threads=4;write-commit-level-override=off;"
            "storage-engine=memory",
            ts->store.default_read_touch_pct, ts->store.default_ttl, ts->rf);
}

static void sets_info(aero_testserver *ts, ts_namespace *only_ns, const char *only_set, aero_buf *o) {
    pthread_mutex_lock(&ts->store.mu);
    uint32_t now = ts_now2010();
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
            uint64_t c = ts_store_count(&ts->store, ns, names[k], strlen(names[k]), now);
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

static void truncate_cmd(aero_testserver *ts, const char *params, aero_buf *o) {
    char nsname[64], set[64];
    if (!param(params, "namespace", nsname, sizeof nsname)) {
        puts_(o, "ERROR:4:missing namespace");
        return;
    }
    ts_namespace *ns = ts_store_ns(&ts->store, nsname, strlen(nsname));
    if (!ns) {
        puts_(o, "ERROR:20:namespace not found");
        return;
    }
    bool has_set = param(params, "set", set, sizeof set);
    char lut[32];
    uint64_t before = param(params, "lut", lut, sizeof lut) ? ts_clock_from_client_ns(strtoull(lut, NULL, 10)) : 0;
    pthread_mutex_lock(&ts->store.mu);
    ts_store_truncate_before(&ts->store, ns, has_set ? set : NULL, has_set ? strlen(set) : 0, before);
    pthread_mutex_unlock(&ts->store.mu);
    puts_(o, "ok");
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
    if (!strcmp(cmd, "node")) {
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
            ns_info(ts, ns, o);
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
        printf_(o, "%" PRIX64, ts->nodes[0].id ^ ts->partition_gen);
    } else if (!strcmp(cmd, "service-clear-std") || !strcmp(cmd, "service-clear-alt") || !strcmp(cmd, "service")) {
        printf_(o, "127.0.0.1:%u", node->port);
    } else if (!strcmp(cmd, "services") || !strcmp(cmd, "services-alumni")) {
        bool first = true;
        for (unsigned i = 0; i < ts->n_nodes; i++) {
            if (i == node->index || !ts->nodes[i].live)
                continue;
            printf_(o, "%s127.0.0.1:%u", first ? "" : ";", ts->nodes[i].port);
            first = false;
        }
    } else if (ts->tls_ctx && (!strcmp(cmd, "peers-tls-std") || !strcmp(cmd, "peers-tls-alt"))) {
        peers(ts, node, true, o);
    } else if (ts->tls_ctx && (!strcmp(cmd, "service-tls-std") || !strcmp(cmd, "service-tls-alt"))) {
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
            puts_(o, "ERROR::namespace not found");
        else
            sets_info(ts, ns, set, o);
    } else if (!strcmp(cmd, "sindex-list") || !strcmp(cmd, "sindex-create") || !strcmp(cmd, "sindex-delete") ||
               !strcmp(cmd, "sindex-stat")) {
        ts_sindex_info(ts, cmd, params, o);
    } else if (!strcmp(cmd, "truncate") || !strcmp(cmd, "truncate-namespace")) {
        truncate_cmd(ts, params, o);
    } else if (!strcmp(cmd, "query-show") || !strcmp(cmd, "scan-show")) {
        char v[32];
        unsigned long long trid = params && param(params, "trid", v, sizeof v) ? strtoull(v, NULL, 10) : 0;
        bool found = false;
        for (unsigned i = 0; i < 64 && !found; i++) {
            if (trid && ts->job_trid[i] == trid) {
                printf_(o,
                        "trid=%llu:job-type=query:status=done(ok):active-threads=0:recs-throttled=0:"
                        "recs-filtered-meta=0:recs-filtered-bins=0:recs-succeeded=%" PRIu64
                        ":recs-failed=0:records_read=%" PRIu64,
                        trid, ts->job_recs[i], ts->job_recs[i]);
                found = true;
            }
        }
        if (!found)
            puts_(o, "ERROR:2:job not found");
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
