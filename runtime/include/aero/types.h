/*
 * aero/types.h - the opaque handles, declared once.
 *
 * Every header that names a handle includes this one instead of declaring
 * the typedef itself, so the headers can include each other in any order
 * (a typedef may appear only once in C99). The handles and where they are
 * documented:
 *   aero_client   client.h   a connected cluster (SyncClient)
 *   aero_session  session.h  a client plus a resolved behavior (SyncSession)
 *   aero_write    write.h    a write builder for one key
 *   aero_query    query.h    a read builder: key, keys or dataset
 *   aero_stream   stream.h   the rows a query returns
 */
#ifndef AERO_TYPES_H
#define AERO_TYPES_H

#include <aero/common.h>

AERO_BEGIN_DECLS

typedef struct aero_client aero_client;
typedef struct aero_session aero_session;
typedef struct aero_write aero_write;
typedef struct aero_query aero_query;
typedef struct aero_stream aero_stream;
typedef struct aero_batch aero_batch;

AERO_END_DECLS

#endif
