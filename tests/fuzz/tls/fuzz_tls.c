/*
 * libFuzzer target for the TLS-name parsing a client does on text it is
 * given or told: seeds "host:tls_name:port" (aero_net__parse_seed and
 * aero_net__parse_host) and the peers-tls-std answer that carries each
 * peer's TLS name (aero_peers__parse). Invariants checked besides memory
 * safety: an accepted seed has a non-empty host, a port in 1..65535 and a
 * TLS name of DNS characters; printed back in canonical form it parses to
 * the same parts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/parse.h"
#include "net/conn.h"

static void check_seed(const char *s, size_t len) {
    char host[256], tls[256];
    uint16_t port = 0;
    if (aero_net__parse_seed(s, len, host, sizeof host, tls, sizeof tls, &port, 3000) != AERO_OK)
        return;
    if (!host[0] || port == 0 || strlen(host) >= sizeof host || strlen(tls) >= sizeof tls)
        __builtin_trap();
    for (const char *p = tls; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '.' || *p == '_' || *p == '*'))
            __builtin_trap();
    char again[700];
    bool v6 = strchr(host, ':') != NULL;
    int n = tls[0] ? snprintf(again, sizeof again, "%s%s%s:%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", tls, port)
                   : snprintf(again, sizeof again, "%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "", port);
    char host2[256], tls2[256];
    uint16_t port2 = 0;
    if (n < 0 || (size_t)n >= sizeof again ||
        aero_net__parse_seed(again, (size_t)n, host2, sizeof host2, tls2, sizeof tls2, &port2, 3000) != AERO_OK ||
        strcmp(host, host2) || strcmp(tls, tls2) || port != port2)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 4096)
        return 0;
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    /* every comma-separated entry, as the seed list is split */
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || s[i] == ',') {
            check_seed(s + start, i - start);
            start = i + 1;
        }
    }
    char host[256];
    uint16_t port;
    (void)aero_net__parse_host(s, size, host, sizeof host, &port, 3000);
    int64_t gen;
    aero_peer *peers = NULL;
    size_t n_peers = 0;
    if (aero_peers__parse(s, size, &gen, &peers, &n_peers) == AERO_OK) {
        for (size_t i = 0; i < n_peers; i++)
            if (!peers[i].name[0] || peers[i].n_hosts > AERO_PEER_MAX_HOSTS ||
                strlen(peers[i].tls_name) >= sizeof peers[i].tls_name)
                __builtin_trap();
    }
    free(peers);
    free(s);
    return 0;
}
