/*
 * proto/wire.h - protocol constants: proto types, AS_MSG flag bits, field ids,
 * op types, particle types, expression result types (those are the public
 * aero_ael_type values). Opcodes inside operations live in exp_ops.h,
 * cdt_ops.h, bit_ops.h and hll_ops.h.
 */
#ifndef AERO_PROTO_WIRE_H
#define AERO_PROTO_WIRE_H

#include <aero/ael.h>

#define AERO_PROTO_VERSION     2
#define AERO_PROTO_INFO        1
#define AERO_PROTO_ADMIN       2
#define AERO_PROTO_MSG         3
#define AERO_PROTO_COMPRESSED  4
#define AERO_PROTO_SIZE_MAX    (128u * 1024u * 1024u)
#define AERO_PROTO_HEADER_SIZE 8
#define AERO_MSG_HEADER_SIZE   22

/* info1 */
#define AERO_INFO1_READ              0x01
#define AERO_INFO1_GET_ALL           0x02
#define AERO_INFO1_SHORT_QUERY       0x04
#define AERO_INFO1_BATCH             0x08
#define AERO_INFO1_NOBINDATA         0x20
#define AERO_INFO1_READ_MODE_AP_ALL  0x40
#define AERO_INFO1_COMPRESS_RESPONSE 0x80
/* info2 */
#define AERO_INFO2_WRITE               0x01
#define AERO_INFO2_DELETE              0x02
#define AERO_INFO2_GENERATION          0x04
#define AERO_INFO2_GENERATION_GT       0x08
#define AERO_INFO2_DURABLE_DELETE      0x10
#define AERO_INFO2_CREATE_ONLY         0x20
#define AERO_INFO2_RELAX_AP_LONG_QUERY 0x40
#define AERO_INFO2_RESPOND_ALL_OPS     0x80
/* info3 */
#define AERO_INFO3_LAST              0x01
#define AERO_INFO3_COMMIT_MASTER     0x02
#define AERO_INFO3_PARTITION_DONE    0x04
#define AERO_INFO3_UPDATE_ONLY       0x08
#define AERO_INFO3_CREATE_OR_REPLACE 0x10
#define AERO_INFO3_REPLACE_ONLY      0x20
#define AERO_INFO3_SC_READ_TYPE      0x40
#define AERO_INFO3_SC_READ_RELAX     0x80

/* field ids */
#define AERO_FIELD_NAMESPACE        0
#define AERO_FIELD_SETNAME          1
#define AERO_FIELD_KEY              2
#define AERO_FIELD_RECORD_VERSION   3
#define AERO_FIELD_DIGEST           4
#define AERO_FIELD_TXN_ID           5
#define AERO_FIELD_TXN_DEADLINE     6
#define AERO_FIELD_TASK_ID          7
#define AERO_FIELD_SOCKET_TIMEOUT   9
#define AERO_FIELD_RPS              10
#define AERO_FIELD_PID_ARRAY        11
#define AERO_FIELD_DIGEST_ARRAY     12
#define AERO_FIELD_MAX_RECORDS      13
#define AERO_FIELD_BVAL_ARRAY       15
#define AERO_FIELD_INDEX_NAME       21
#define AERO_FIELD_INDEX_RANGE      22
#define AERO_FIELD_INDEX_CONTEXT    23
#define AERO_FIELD_INDEX_EXPRESSION 24
#define AERO_FIELD_INDEX_TYPE       26
#define AERO_FIELD_UDF_PACKAGE      30
#define AERO_FIELD_UDF_FUNCTION     31
#define AERO_FIELD_UDF_ARGLIST      32
#define AERO_FIELD_UDF_OP           33
#define AERO_FIELD_BATCH_INDEX      41
#define AERO_FIELD_FILTER           43

/* AS_MSG op types (AERO_MSG_OP_*: aero/behavior.h has AERO_OP_READ / AERO_OP_WRITE for the policy kinds) */
#define AERO_MSG_OP_READ       1
#define AERO_MSG_OP_WRITE      2
#define AERO_MSG_OP_CDT_READ   3
#define AERO_MSG_OP_CDT_MODIFY 4
#define AERO_MSG_OP_INCR       5
#define AERO_MSG_OP_EXP_READ   7
#define AERO_MSG_OP_EXP_MODIFY 8
#define AERO_MSG_OP_APPEND     9
#define AERO_MSG_OP_PREPEND    10
#define AERO_MSG_OP_TOUCH      11
#define AERO_MSG_OP_BIT_READ   12
#define AERO_MSG_OP_BIT_MODIFY 13
#define AERO_MSG_OP_DELETE     14
#define AERO_MSG_OP_HLL_READ   15
#define AERO_MSG_OP_HLL_MODIFY 16

/* particle types */
#define AERO_PT_NULL    0
#define AERO_PT_INTEGER 1
#define AERO_PT_FLOAT   2
#define AERO_PT_STRING  3
#define AERO_PT_BLOB    4
#define AERO_PT_BOOL    17
#define AERO_PT_HLL     18
#define AERO_PT_MAP     19
#define AERO_PT_LIST    20
#define AERO_PT_GEOJSON 23

/* expression result types (exp_type): the public aero_ael_type numbers */
#define AERO_EXP_TYPE_NIL   AERO_AEL_NIL
#define AERO_EXP_TYPE_BOOL  AERO_AEL_BOOL
#define AERO_EXP_TYPE_INT   AERO_AEL_INT
#define AERO_EXP_TYPE_STR   AERO_AEL_STRING
#define AERO_EXP_TYPE_LIST  AERO_AEL_LIST
#define AERO_EXP_TYPE_MAP   AERO_AEL_MAP
#define AERO_EXP_TYPE_BLOB  AERO_AEL_BLOB
#define AERO_EXP_TYPE_FLOAT AERO_AEL_FLOAT
#define AERO_EXP_TYPE_GEO   AERO_AEL_GEO
#define AERO_EXP_TYPE_HLL   AERO_AEL_HLL

/* TTL conventions on writes */
#define AERO_TTL_SERVER_DEFAULT 0u
#define AERO_TTL_NEVER_EXPIRE   0xFFFFFFFFu
#define AERO_TTL_DONT_UPDATE    0xFFFFFFFEu
#define AERO_TTL_MAX            315360000u
/* Aerospike epoch (2010-01-01 00:00:00 UTC) in Unix seconds */
#define AERO_CITRUSLEAF_EPOCH 1262304000u

#endif
