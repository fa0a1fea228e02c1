/*
 * aero/aero.h - umbrella header for libaero, the aero runtime.
 *
 * Include this one header to use the client directly:
 *   client.h   SyncClient: connect, info, close
 *   session.h  SyncSession: every aero_session_* call (writes, reads, get/put)
 *   behavior.h Behavior: timeouts, retries, write settings
 *   key.h      DataSet and keys
 *   value.h    values (bins, lists, maps)
 *   write.h    the write builder (upsert, insert, update, replace, delete...)
 *   query.h    point reads, batch reads, queries, fast paths
 *   stream.h   RecordStream
 *   record.h   records and typed getters
 *   ael.h      AEL filters and compiled expressions
 *   error.h    status codes and aero_error
 *   expr.h     building expressions in C (no AEL text)
 *   op.h       list and map operations as values (paths, return types, policies)
 *   cluster.h  cluster statistics
 *   admin.h    truncate, info to one node or all, nodes, namespaces, sets
 *   schema.h   entry points of aerogen-generated code
 *   schema_ops.h typed operations and typed write options (of generated code)
 *   types.h    the opaque handles (client, session, write, query, stream)
 *
 * The project's own documentation is in docs/ (docs/README.md indexes it).
 */
#ifndef AERO_AERO_H
#define AERO_AERO_H

#include <aero/common.h>
#include <aero/types.h>
#include <aero/error.h>
#include <aero/value.h>
#include <aero/key.h>
#include <aero/behavior.h>
#include <aero/client.h>
#include <aero/session.h>
#include <aero/record.h>
#include <aero/stream.h>
#include <aero/ael.h>
#include <aero/write.h>
#include <aero/query.h>
#include <aero/batch.h>
#include <aero/schema.h>
#include <aero/schema_ops.h>
#include <aero/expr.h>
#include <aero/op.h>
#include <aero/hll.h>
#include <aero/bit.h>
#include <aero/cluster.h>
#include <aero/index.h>
#include <aero/admin.h>
#include <aero/security.h>
#include <aero/udf.h>
#include <aero/job.h>

#endif
