/*
 * udf_internal.h - what udf.c shares with the batch builder and background
 * jobs (job.c): the UDF call fields, and one info command to one node.
 * Not installed.
 */
#ifndef AERO_UDF_INTERNAL_H
#define AERO_UDF_INTERNAL_H

#include <aero/value.h>

#include "cluster/cluster.h"
#include "proto/buf.h"
#include "proto/info.h"
#include "proto/msg.h"

/**
 * Check a UDF call (module and function names, argument count and values)
 * and append its fields to b, counting them into h: UDF_PACKAGE_NAME,
 * UDF_FUNCTION, UDF_ARGLIST (a msgpack list of the arguments) and, when
 * udf_op is not 0, UDF_OP. Returns AERO_OK, or AERO_ERR_PARAM with the
 * reason in msg (b may then hold part of the fields).
 */
aero_status aero_udf__fields(aero_buf *b, aero_msg_header *h, const char *module, const char *function,
                             const aero_value *args, size_t n_args, uint8_t udf_op, char *msg, size_t cap);

/**
 * Send info command `cmd` to node n before deadline_ns. On AERO_OK *body is
 * the malloc'd answer (caller frees) and *value the slice answered for cmd
 * (an error answer such as "ERROR:..." or "error=..." is returned as is:
 * check it with aero_info__value_error()). AERO_ERR_PROTOCOL when the answer
 * has no line for cmd.
 */
aero_status aero_udf__node_info(aero_node *n, const char *cmd, uint64_t deadline_ns, char **body, aero_strview *value,
                                aero_error *err);

#endif
