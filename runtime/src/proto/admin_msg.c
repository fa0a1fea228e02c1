/*
 * proto/admin_msg.c - security message encoder and answer decoders.
 *
 * Query answers are lists of messages, one per user or role; the decoders
 * turn them into aero_user_list / aero_role_list. Each entry lives in one
 * malloc'd block (its name, its pointer arrays and its strings), recorded in
 * the list's private block table, so freeing is one pass. Every length is
 * checked against the bytes that are there before it is used: an answer is
 * untrusted input (tests/fuzz/admin).
 */
#include "proto/admin_msg.h"

#include "internal.h"
#include "proto/wire.h"

#include <stdlib.h>
#include <string.h>

/* ---------------- encoder ---------------- */

void aero_admin__begin(aero_buf *b, uint8_t command) {
    b->len = 0;
    uint8_t *p = aero_buf__append(b, 8 + AERO_ADMIN_HEADER_SIZE);
    if (!p)
        return;
    memset(p, 0, 8 + AERO_ADMIN_HEADER_SIZE);
    p[8 + 2] = command;
}

void aero_admin__field(aero_buf *b, uint8_t id, const void *data, size_t len) {
    if (b->failed || b->len < 8 + AERO_ADMIN_HEADER_SIZE || len > UINT32_MAX - 1)
        return;
    uint8_t *p = aero_buf__append(b, 5 + len);
    if (!p)
        return;
    aero_set_u32be(p, (uint32_t)len + 1);
    p[4] = id;
    if (len)
        memcpy(p + 5, data, len);
    b->data[8 + 3]++;
}

void aero_admin__field_str(aero_buf *b, uint8_t id, const char *s) { aero_admin__field(b, id, s, s ? strlen(s) : 0); }

void aero_admin__field_u32(aero_buf *b, uint8_t id, uint32_t v) {
    uint8_t be[4];
    aero_set_u32be(be, v);
    aero_admin__field(b, id, be, 4);
}

/* [u8 len][bytes] into p; returns the bytes written. */
static size_t put_str8(uint8_t *p, const char *s) {
    size_t n = s ? strlen(s) : 0;
    p[0] = (uint8_t)n;
    memcpy(p + 1, s ? s : "", n);
    return n + 1;
}

void aero_admin__field_roles(aero_buf *b, const char *const *roles, size_t n) {
    size_t total = 1;
    for (size_t i = 0; i < n; i++)
        total += 1 + strlen(roles[i]);
    uint8_t stack[512];
    uint8_t *tmp = total <= sizeof stack ? stack : malloc(total);
    if (!tmp) {
        b->failed = true;
        return;
    }
    size_t o = 0;
    tmp[o++] = (uint8_t)n;
    for (size_t i = 0; i < n; i++)
        o += put_str8(tmp + o, roles[i]);
    aero_admin__field(b, AERO_ADMIN_FIELD_ROLES, tmp, o);
    if (tmp != stack)
        free(tmp);
}

void aero_admin__field_privileges(aero_buf *b, const aero_privilege *privs, size_t n) {
    size_t total = 1 + n * (1 + 2 + AERO_PRIV_NS_SIZE + AERO_PRIV_SET_SIZE);
    uint8_t *tmp = malloc(total);
    if (!tmp) {
        b->failed = true;
        return;
    }
    size_t o = 0;
    tmp[o++] = (uint8_t)n;
    for (size_t i = 0; i < n; i++) {
        tmp[o++] = (uint8_t)privs[i].code;
        if (privs[i].code >= AERO_PRIV_READ) {
            o += put_str8(tmp + o, privs[i].ns);
            o += put_str8(tmp + o, privs[i].set);
        }
    }
    aero_admin__field(b, AERO_ADMIN_FIELD_PRIVILEGES, tmp, o);
    free(tmp);
}

void aero_admin__field_whitelist(aero_buf *b, const char *const *addrs, size_t n) {
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(addrs[i]) + 1;
    char *tmp = malloc(total ? total : 1);
    if (!tmp) {
        b->failed = true;
        return;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            tmp[o++] = ',';
        size_t l = strlen(addrs[i]);
        memcpy(tmp + o, addrs[i], l);
        o += l;
    }
    aero_admin__field(b, AERO_ADMIN_FIELD_WHITELIST, tmp, o);
    free(tmp);
}

void aero_admin__end(aero_buf *b) {
    if (b->failed || b->len < 8 + AERO_ADMIN_HEADER_SIZE)
        return;
    uint64_t h = ((uint64_t)AERO_PROTO_VERSION << 56) | ((uint64_t)AERO_PROTO_ADMIN << 48) | (uint64_t)(b->len - 8);
    aero_set_u64be(b->data, h);
}

aero_status aero_admin__check_name(const char *s, const char *what, aero_error *err) {
    if (!s || !*s)
        return aero_err__set(err, AERO_ERR_PARAM, "%s is missing (NULL or empty)", what);
    if (strlen(s) > 255)
        return aero_err__set(err, AERO_ERR_PARAM, "%s is %zu bytes long, the protocol allows 255", what, strlen(s));
    return AERO_OK;
}

aero_status aero_admin__check_names(const char *const *names, size_t n, const char *what, aero_error *err) {
    if (n > 255)
        return aero_err__set(err, AERO_ERR_PARAM, "%zu %ss: the protocol allows 255", n, what);
    if (n && !names)
        return aero_err__set(err, AERO_ERR_PARAM, "%zu %ss given as a NULL array", n, what);
    for (size_t i = 0; i < n; i++) {
        aero_status st = aero_admin__check_name(names[i], what, err);
        if (st != AERO_OK)
            return st;
    }
    return AERO_OK;
}

aero_status aero_admin__check_privileges(const aero_privilege *privs, size_t n, aero_error *err) {
    if (n > 255)
        return aero_err__set(err, AERO_ERR_PARAM, "%zu privileges: the protocol allows 255", n);
    if (n && !privs)
        return aero_err__set(err, AERO_ERR_PARAM, "%zu privileges given as a NULL array", n);
    for (size_t i = 0; i < n; i++) {
        const aero_privilege *p = &privs[i];
        size_t nl = strnlen(p->ns, AERO_PRIV_NS_SIZE), sl = strnlen(p->set, AERO_PRIV_SET_SIZE);
        if ((unsigned)p->code > 255 || strcmp(aero_privilege_code_str(p->code), "unknown") == 0)
            return aero_err__set(err, AERO_ERR_PARAM, "privilege %zu has an unknown code %d", i, (int)p->code);
        if (nl == AERO_PRIV_NS_SIZE || sl == AERO_PRIV_SET_SIZE)
            return aero_err__set(err, AERO_ERR_PARAM, "privilege %zu: namespace or set name not NUL-terminated", i);
        if (p->code < AERO_PRIV_READ && (nl || sl))
            return aero_err__set(err, AERO_ERR_PARAM, "privilege %zu (%s) is global: it takes no namespace or set", i,
                                 aero_privilege_code_str(p->code));
        if (sl && !nl)
            return aero_err__set(err, AERO_ERR_PARAM, "privilege %zu names a set without a namespace", i);
    }
    return AERO_OK;
}

AERO_API const char *aero_privilege_code_str(aero_privilege_code code) {
    switch (code) {
    case AERO_PRIV_USER_ADMIN: return "user-admin";
    case AERO_PRIV_SYS_ADMIN: return "sys-admin";
    case AERO_PRIV_DATA_ADMIN: return "data-admin";
    case AERO_PRIV_UDF_ADMIN: return "udf-admin";
    case AERO_PRIV_SINDEX_ADMIN: return "sindex-admin";
    case AERO_PRIV_READ: return "read";
    case AERO_PRIV_READ_WRITE: return "read-write";
    case AERO_PRIV_READ_WRITE_UDF: return "read-write-udf";
    case AERO_PRIV_WRITE: return "write";
    case AERO_PRIV_TRUNCATE: return "truncate";
    }
    return "unknown";
}

/* ---------------- decoder ---------------- */

aero_status aero_admin__parse_login(const uint8_t *body, size_t len, const uint8_t **token, size_t *token_len,
                                    uint32_t *ttl_s, aero_error *err) {
    *token = NULL;
    *token_len = 0;
    *ttl_s = 0;
    aero_admin_msg m;
    size_t used = aero_admin__split(body, len, &m);
    if (used == 0)
        return aero_err__set(err, AERO_ERR_PROTOCOL, "malformed login answer (%zu bytes)", len);
    if (m.result != AERO_OK)
        return m.result;
    if (used != len)
        return aero_err__set(err, AERO_ERR_PROTOCOL, "%zu stray bytes after a login answer", len - used);
    for (unsigned i = 0; i < m.n_fields; i++) {
        const aero_admin_field *f = &m.fields[i];
        if (f->id == AERO_ADMIN_FIELD_SESSION_TOKEN && !*token) {
            if (f->len == 0 || f->len > AERO_ADMIN_TOKEN_MAX)
                return aero_err__set(err, AERO_ERR_PROTOCOL, "login answer has a session token of %u bytes",
                                     (unsigned)f->len);
            *token = f->data;
            *token_len = f->len;
        } else if (f->id == AERO_ADMIN_FIELD_SESSION_TTL) {
            if (f->len != 4)
                return aero_err__set(err, AERO_ERR_PROTOCOL, "login answer has a %u-byte session TTL",
                                     (unsigned)f->len);
            *ttl_s = aero_get_u32be(f->data);
        }
    }
    if (!*token)
        return aero_err__set(err, AERO_ERR_PROTOCOL, "login succeeded but the answer carries no session token");
    return AERO_OK;
}

/* The private side of a list: one block per entry. */
typedef struct list_mem {
    void **blocks;
    size_t cap;
} list_mem;

/* Make room for one more entry of `size` bytes in (*items, *n); returns its block table slot. */
static bool grow(void **items, size_t *n, void **mem, size_t item_size) {
    list_mem *lm = *mem;
    if (!lm) {
        lm = calloc(1, sizeof *lm);
        if (!lm)
            return false;
        *mem = lm;
    }
    if (*n == lm->cap) {
        size_t cap = lm->cap ? lm->cap * 2 : 8;
        void **blocks = realloc(lm->blocks, cap * sizeof *blocks);
        if (!blocks)
            return false;
        lm->blocks = blocks;
        void *it = realloc(*items, cap * item_size);
        if (!it)
            return false;
        *items = it;
        lm->cap = cap;
    }
    return true;
}

/* Count the [u8 len][bytes] strings after a u8 count; false if they overrun. */
static bool scan_str8_list(const uint8_t *p, uint32_t len, size_t *count, size_t *bytes) {
    if (len < 1)
        return false;
    size_t n = p[0], o = 1, total = 0;
    for (size_t i = 0; i < n; i++) {
        if (o >= len || p[o] > len - o - 1)
            return false;
        total += p[o] + 1u;
        o += 1u + p[o];
    }
    *count = n;
    *bytes = total;
    return o == len;
}

/* Count the u32 entries of READ_INFO / WRITE_INFO ([u8 count][u32 BE ...]). */
static bool scan_info(const aero_admin_field *f, size_t *count) {
    *count = 0;
    if (!f)
        return true;
    if (f->len < 1 || f->len != 1u + 4u * f->data[0])
        return false;
    *count = f->data[0];
    return true;
}

static char *copy_str(char **at, const uint8_t *p, size_t n) {
    char *s = *at;
    memcpy(s, p, n);
    s[n] = '\0';
    *at += n + 1;
    return s;
}

/*
 * The messages of one query answer block: each entry to `fn`, QUERY_END
 * sets *done, another non-zero result is the server's refusal.
 */
static aero_status each_message(const uint8_t *body, size_t len, const char *what,
                                aero_status (*fn)(const aero_admin_msg *m, void *list, aero_error *err), void *list,
                                bool *done, aero_error *err) {
    *done = false;
    aero_admin_msg m;
    size_t o = 0;
    while (o < len) {
        size_t used = aero_admin__split(body + o, len - o, &m);
        if (used == 0)
            return aero_err__set(err, AERO_ERR_PROTOCOL, "malformed %s query answer at byte %zu", what, o);
        o += used;
        if (m.result == AERO_ERR_QUERY_END) {
            *done = true;
            return AERO_OK;
        }
        if (m.result != AERO_OK)
            return aero_err__set(err, m.result, "%s query: %s", what, aero_status_str(m.result));
        aero_status st = fn(&m, list, err);
        if (st != AERO_OK)
            return st;
    }
    return AERO_OK;
}

static aero_status user_entry(const aero_admin_msg *m, void *vlist, aero_error *err) {
    aero_user_list *list = vlist;
    const aero_admin_field *name = NULL, *roles = NULL, *rinfo = NULL, *winfo = NULL, *conns = NULL;
    for (unsigned i = 0; i < m->n_fields; i++) {
        const aero_admin_field *f = &m->fields[i];
        switch (f->id) {
        case AERO_ADMIN_FIELD_USER: name = f; break;
        case AERO_ADMIN_FIELD_ROLES: roles = f; break;
        case AERO_ADMIN_FIELD_READ_INFO: rinfo = f; break;
        case AERO_ADMIN_FIELD_WRITE_INFO: winfo = f; break;
        case AERO_ADMIN_FIELD_CONNECTIONS: conns = f; break;
        default: break;
        }
    }
    if (!name || name->len == 0)
        return AERO_OK; /* the C client skips an entry without a name too */
    size_t n_roles = 0, role_bytes = 0, n_r = 0, n_w = 0;
    if ((roles && !scan_str8_list(roles->data, roles->len, &n_roles, &role_bytes)) || !scan_info(rinfo, &n_r) ||
        !scan_info(winfo, &n_w) || (conns && conns->len != 4))
        return aero_err__set(err, AERO_ERR_PROTOCOL, "malformed fields for user %.*s", (int)name->len,
                             (const char *)name->data);
    if (!grow((void **)&list->users, &list->n, &list->mem_, sizeof *list->users))
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a user list");
    size_t size = n_roles * sizeof(char *) + (n_r + n_w) * sizeof(uint32_t) + name->len + 1 + role_bytes;
    uint8_t *block = malloc(size);
    if (!block)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a user list");
    const char **role_ptrs = (const char **)block;
    uint32_t *ri = (uint32_t *)(block + n_roles * sizeof(char *));
    uint32_t *wi = ri + n_r;
    char *strs = (char *)(wi + n_w); /* pointers, then u32s, then the strings: each part stays aligned */
    aero_user_info *u = &list->users[list->n];
    ((list_mem *)list->mem_)->blocks[list->n] = block;
    list->n++;
    memset(u, 0, sizeof *u);
    u->name = copy_str(&strs, name->data, name->len);
    if (roles) {
        const uint8_t *p = roles->data + 1;
        for (size_t i = 0; i < n_roles; i++) {
            role_ptrs[i] = copy_str(&strs, p + 1, p[0]);
            p += 1u + p[0];
        }
    }
    for (size_t i = 0; i < n_r; i++)
        ri[i] = aero_get_u32be(rinfo->data + 1 + 4 * i);
    for (size_t i = 0; i < n_w; i++)
        wi[i] = aero_get_u32be(winfo->data + 1 + 4 * i);
    u->roles = role_ptrs;
    u->n_roles = n_roles;
    u->read_info = ri;
    u->n_read_info = n_r;
    u->write_info = wi;
    u->n_write_info = n_w;
    u->connections = conns ? aero_get_u32be(conns->data) : 0;
    return AERO_OK;
}

aero_status aero_admin__parse_users(const uint8_t *body, size_t len, aero_user_list *list, bool *done,
                                    aero_error *err) {
    return each_message(body, len, "user", user_entry, list, done, err);
}

/* Check a PRIVILEGES field; count the entries. */
static bool scan_privileges(const aero_admin_field *f, size_t *count) {
    *count = 0;
    if (!f)
        return true;
    if (f->len < 1)
        return false;
    size_t n = f->data[0], o = 1;
    for (size_t i = 0; i < n; i++) {
        if (o >= f->len)
            return false;
        uint8_t code = f->data[o++];
        if (code >= AERO_PRIV_READ) {
            for (int k = 0; k < 2; k++) {
                if (o >= f->len)
                    return false;
                size_t l = f->data[o];
                if (l >= (k == 0 ? AERO_PRIV_NS_SIZE : AERO_PRIV_SET_SIZE) || l > f->len - o - 1)
                    return false;
                o += 1 + l;
            }
        }
    }
    *count = n;
    return o == f->len;
}

static aero_status role_entry(const aero_admin_msg *m, void *vlist, aero_error *err) {
    aero_role_list *list = vlist;
    const aero_admin_field *name = NULL, *privs = NULL, *wl = NULL, *rq = NULL, *wq = NULL;
    for (unsigned i = 0; i < m->n_fields; i++) {
        const aero_admin_field *f = &m->fields[i];
        switch (f->id) {
        case AERO_ADMIN_FIELD_ROLE: name = f; break;
        case AERO_ADMIN_FIELD_PRIVILEGES: privs = f; break;
        case AERO_ADMIN_FIELD_WHITELIST: wl = f; break;
        case AERO_ADMIN_FIELD_READ_QUOTA: rq = f; break;
        case AERO_ADMIN_FIELD_WRITE_QUOTA: wq = f; break;
        default: break;
        }
    }
    if (!name || name->len == 0)
        return AERO_OK;
    size_t n_priv = 0, n_wl = 0;
    if (!scan_privileges(privs, &n_priv) || (rq && rq->len != 4) || (wq && wq->len != 4))
        return aero_err__set(err, AERO_ERR_PROTOCOL, "malformed fields for role %.*s", (int)name->len,
                             (const char *)name->data);
    if (wl && wl->len) {
        n_wl = 1;
        for (uint32_t i = 0; i < wl->len; i++)
            n_wl += wl->data[i] == ',';
    }
    if (!grow((void **)&list->roles, &list->n, &list->mem_, sizeof *list->roles))
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a role list");
    size_t size = n_wl * sizeof(char *) + n_priv * sizeof(aero_privilege) + name->len + 1 + (wl ? wl->len + 1 : 0);
    uint8_t *block = malloc(size);
    if (!block)
        return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a role list");
    /* pointers first (8-aligned), then the privileges (4-aligned), then the strings */
    const char **wl_ptrs = (const char **)block;
    aero_privilege *pv = (aero_privilege *)(block + n_wl * sizeof(char *));
    char *strs = (char *)(pv + n_priv);
    aero_role_info *r = &list->roles[list->n];
    ((list_mem *)list->mem_)->blocks[list->n] = block;
    list->n++;
    memset(r, 0, sizeof *r);
    r->name = copy_str(&strs, name->data, name->len);
    if (privs) {
        const uint8_t *p = privs->data + 1;
        for (size_t i = 0; i < n_priv; i++) {
            memset(&pv[i], 0, sizeof pv[i]);
            pv[i].code = (aero_privilege_code)*p++;
            if (pv[i].code >= AERO_PRIV_READ) {
                memcpy(pv[i].ns, p + 1, p[0]);
                p += 1u + p[0];
                memcpy(pv[i].set, p + 1, p[0]);
                p += 1u + p[0];
            }
        }
    }
    if (n_wl) {
        char *all = copy_str(&strs, wl->data, wl->len);
        size_t k = 0;
        wl_ptrs[k++] = all;
        for (uint32_t i = 0; i < wl->len; i++) /* by length: a NUL inside must not shorten the count */
            if (all[i] == ',') {
                all[i] = '\0';
                wl_ptrs[k++] = all + i + 1;
            }
    }
    r->privileges = pv;
    r->n_privileges = n_priv;
    r->whitelist = wl_ptrs;
    r->n_whitelist = n_wl;
    r->read_quota = rq ? aero_get_u32be(rq->data) : 0;
    r->write_quota = wq ? aero_get_u32be(wq->data) : 0;
    return AERO_OK;
}

aero_status aero_admin__parse_roles(const uint8_t *body, size_t len, aero_role_list *list, bool *done,
                                    aero_error *err) {
    return each_message(body, len, "role", role_entry, list, done, err);
}

static void free_blocks(void *mem, size_t n) {
    list_mem *lm = mem;
    if (!lm)
        return;
    for (size_t i = 0; i < n; i++)
        free(lm->blocks[i]);
    free(lm->blocks);
    free(lm);
}

AERO_API void aero_user_list_free(aero_user_list *list) {
    if (!list)
        return;
    free_blocks(list->mem_, list->n);
    free(list->users);
    free(list);
}

AERO_API void aero_role_list_free(aero_role_list *list) {
    if (!list)
        return;
    free_blocks(list->mem_, list->n);
    free(list->roles);
    free(list);
}
