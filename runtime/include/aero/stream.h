/*
 * aero/stream.h - RecordStream: rows of a point read, batch or query.
 *
 * Iterate in a plain loop; each row is an aero_record owned by the stream and
 * valid until the next call on the stream. Results stream from the network:
 * memory stays flat however many records come. Close at any point; closing
 * early releases everything and leaves no connection in a bad state.
 *
 *     for (const aero_record *r; (r = aero_stream_next(st, &err)); ) { ... }
 *     if (err.code != AERO_OK) ... // the loop ended on an error
 *     aero_stream_close(st);
 */
#ifndef AERO_STREAM_H
#define AERO_STREAM_H

#include <aero/error.h>
#include <aero/record.h>
#include <aero/types.h>

AERO_BEGIN_DECLS

/**
 * Next row, or NULL at the end. At a normal end err->code is AERO_OK; if the
 * stream failed, err holds the error. Rows may carry a non-OK `result` (for
 * example with respond_all_keys()).
 */
AERO_API const aero_record *aero_stream_next(aero_stream *st, aero_error *err);

/** first(): the first row or NULL (then err tells an error from an empty stream). */
AERO_API const aero_record *aero_stream_first(aero_stream *st, aero_error *err);

/**
 * first_or_raise(): the first row in *out. An empty stream is
 * AERO_ERR_NO_MORE_RECORDS; a row whose result is not OK returns that code.
 */
AERO_API aero_status aero_stream_first_or_raise(aero_stream *st, const aero_record **out, aero_error *err);

/**
 * collect(): every remaining row, deep-copied into a new array of *n records.
 * Free it with aero_records_free().
 */
AERO_API aero_status aero_stream_collect(aero_stream *st, aero_record **out, size_t *n, aero_error *err);

/** Free an array returned by aero_stream_collect(). */
AERO_API void aero_records_free(aero_record *recs, size_t n);

/** After a chunk ended: true if a chunked query has records left (true before the first chunk). */
AERO_API bool aero_stream_has_more_chunks(const aero_stream *st);

/** Close and free the stream. NULL is a no-op. */
AERO_API void aero_stream_close(aero_stream *st);

AERO_END_DECLS

#endif
