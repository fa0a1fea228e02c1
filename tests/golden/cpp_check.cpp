// The generated headers compile as C++ (-Wall -Wextra -Werror -pedantic), INIT
// macros and static inline wrappers included.
#include "ok_all_types.aero.h"
#include "ok_docs.aero.h"
#include "ok_indexes.aero.h"
#include "ok_ops.aero.h"
#include "ok_prefix.aero.h"
#include "users.aero.h"

int aerogen_cpp_check(aero_session *session);

int aerogen_cpp_check(aero_session *session) {
    sample s = SAMPLE_INIT;
    user u = USER_INIT;
    app_user pu = APP_USER_INIT;
    file_chunk f = FILE_CHUNK_INIT;
    type t = TYPE_INIT; /* documents, typed collections, hll */
    person pe = PERSON_INIT;
    static const place homes[1] = { PLACE_INIT };
    t.has_homes = true;
    t.homes.items = homes;
    t.homes.count = 1;
    pe.name = "p";
    t.owner = pe;
    (void)t;
    s.has_ratio = true;
    u.name = "x";
    pu.name = "y";
    aero_error err;
    aero_record holder;
    aero_record_init(&holder);
    int rc = (int)app_user_get(session, "k", &pu, &holder, &err) + (int)user_upsert(session, "k", &u, &err) +
             (int)file_chunk_exists(session, "k", 1, nullptr, &err);
    const char *keys[1] = { "k" };
    aero_status results[1];
    bool flags[1];
    rc += (int)user_upsert_many(session, keys, 1, &u, results, flags, &err) +
          (int)app_user_exists_many(session, keys, 1, flags, results, &err);
    aero_batch *b = aero_session_batch(session);
    user_batch_upsert(b, "k", &u);
    app_user_batch_get(b, "k");
    aero_batch_abandon(b);
    rc += (int)ix_ok_indexes_create_indexes(session, &err) + (int)ix_ok_indexes_indexes[0].type +
          IX_OK_INDEXES_INDEX_COUNT;
    /* typed operations: the builder casts and the typed outputs are clean C++ */
    int64_t age = 0;
    const char *tag = nullptr;
    bool found = false;
    aero_schema_write_opts opts = AERO_SCHEMA_WRITE_OPTS_INIT;
    member_ops *ops = member_operate(session, "k");
    member_ops_age_increment(ops, 1);
    member_ops_age_get(ops, &age);
    member_ops_tags_get(ops, 0, &tag, &found);
    member_ops_where_adults(ops, 18);
    rc += (int)member_ops_execute(ops, &opts, &holder, &err) + (int)age + (int)found;
    aero_record_dispose(&holder);
    return rc + (int)(s.has_ratio + (u.name != nullptr) + (f.n == 0) + (pu.age == 18) + SAMPLE_FIELD_COUNT +
                      APP_USER_FIELD_COUNT);
}
