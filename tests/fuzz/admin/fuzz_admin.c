/*
 * fuzz_admin.c - libFuzzer target for the security answer decoders
 * (runtime/src/proto/admin_msg.c): a login answer, and user and role query
 * blocks, read from untrusted bytes. The first byte picks the decoder; a
 * decoder must never read outside the input, leak, or leave a list that
 * its free function cannot release. A decoded login token lies inside the
 * input, and every decoded list entry is walked, so a bad pointer is found
 * by the address sanitizer here rather than by a user.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/admin_msg.h"

static volatile size_t sink;

static void walk_users(const aero_user_list *l) {
    for (size_t i = 0; i < l->n; i++) {
        const aero_user_info *u = &l->users[i];
        sink += strlen(u->name) + u->connections;
        for (size_t k = 0; k < u->n_roles; k++)
            sink += strlen(u->roles[k]);
        for (size_t k = 0; k < u->n_read_info; k++)
            sink += u->read_info[k];
        for (size_t k = 0; k < u->n_write_info; k++)
            sink += u->write_info[k];
    }
}

static void walk_roles(const aero_role_list *l) {
    for (size_t i = 0; i < l->n; i++) {
        const aero_role_info *r = &l->roles[i];
        sink += strlen(r->name) + r->read_quota + r->write_quota;
        for (size_t k = 0; k < r->n_privileges; k++)
            sink += strlen(r->privileges[k].ns) + strlen(r->privileges[k].set) + (size_t)r->privileges[k].code;
        for (size_t k = 0; k < r->n_whitelist; k++)
            sink += strlen(r->whitelist[k]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    uint8_t which = data[0] % 3;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    aero_error err;
    bool done = false;
    if (which == 0) {
        const uint8_t *tok = NULL;
        size_t tl = 0;
        uint32_t ttl = 0;
        if (aero_admin__parse_login(p, n, &tok, &tl, &ttl, &err) == AERO_OK) {
            if (!tok || tl == 0 || tl > AERO_ADMIN_TOKEN_MAX || tok < p || tok + tl > p + n)
                abort();
            sink += tok[0] + tok[tl - 1];
        }
    } else if (which == 1) {
        aero_user_list *l = calloc(1, sizeof *l);
        if (!l)
            return 0;
        (void)aero_admin__parse_users(p, n, l, &done, &err);
        walk_users(l); /* also what a failed parse kept */
        aero_user_list_free(l);
    } else {
        aero_role_list *l = calloc(1, sizeof *l);
        if (!l)
            return 0;
        (void)aero_admin__parse_roles(p, n, l, &done, &err);
        walk_roles(l);
        aero_role_list_free(l);
    }
    return 0;
}
