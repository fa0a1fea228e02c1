/*
 * wrong_op.c - a bin has only the ops its type supports: compiled by
 * wrong_op.sh against the header generated from ok_ops/schema.aero, once with
 * RIGHT_OPS (must compile: the ops its types have) and once per WRONG_OP=N
 * (must fail, naming the missing function).
 */
#include "schema.aero.h"

int wrong_op_check(aero_session *session);

int wrong_op_check(aero_session *session) {
    aero_error err;
    member_ops *ops = member_operate(session, "k");
    int64_t n = 0;
#if defined(RIGHT_OPS)
    member_ops_age_increment(ops, 1);
    member_ops_tags_append(ops, "x");
    member_ops_name_append(ops, "x");
    member_ops_prefs_increment(ops, "k", 1);
    member_ops_visits_size(ops, &n);
#elif WRONG_OP == 1
    member_ops_age_append(ops, 1); /* an int bin has no append */
#elif WRONG_OP == 2
    member_ops_tags_increment(ops, 1); /* a list has no increment */
#elif WRONG_OP == 3
    member_ops_name_increment(ops, 1); /* a string has no increment */
#elif WRONG_OP == 4
    member_ops_flags_increment(ops, n, true); /* map<blob, bool>: no increment for bool values */
#elif WRONG_OP == 5
    tally_ops *other = tally_operate(session, 1);
    tally_ops_hits_increment(ops, 1); /* ops of another record */
    tally_ops_abandon(other);
#endif
    return (int)member_ops_execute(ops, NULL, NULL, &err) + (int)n;
}
