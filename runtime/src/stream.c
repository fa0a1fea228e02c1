/* stream.c - RecordStream over buffered rows (point and batch reads) or a live query. */
#include <aero/batch.h>
#include <aero/stream.h>

#include <stdlib.h>

#include "internal.h"
#include "query_internal.h"

AERO_API const aero_record *aero_stream_next(aero_stream *st, aero_error *err) {
    aero_err__reset(err);
    if (!st) {
        aero_err__set(err, AERO_ERR_PARAM, "stream is NULL");
        return NULL;
    }
    if (st->kind == AERO_STREAM_SCAN)
        return aero_scan__next(st->scan, err);
    return st->pos < st->n_rows ? &st->rows[st->pos++] : NULL;
}

AERO_API const aero_record *aero_stream_first(aero_stream *st, aero_error *err) { return aero_stream_next(st, err); }

AERO_API aero_status aero_stream_first_or_raise(aero_stream *st, const aero_record **out, aero_error *err) {
    const aero_record *r = aero_stream_next(st, err);
    if (out)
        *out = r;
    if (!r) {
        if (err && err->code != AERO_OK)
            return err->code;
        return aero_err__set(err, AERO_ERR_NO_MORE_RECORDS, "stream is empty");
    }
    if (r->result != AERO_OK) {
        aero_status rc = aero_err__set(err, r->result, "first row failed: %s", aero_status_str(r->result));
        if (err)
            err->in_doubt = r->in_doubt;
        return rc;
    }
    return AERO_OK;
}

aero_stream *aero_stream__list(aero_record *rows, size_t n, aero_error *err) {
    aero_stream *st = calloc(1, sizeof *st);
    if (!st) {
        aero_records_free(rows, n);
        aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory for a stream");
        return NULL;
    }
    st->kind = AERO_STREAM_LIST;
    st->rows = rows;
    st->n_rows = n;
    return st;
}

AERO_API void aero_records_free(aero_record *recs, size_t n) {
    if (!recs)
        return;
    for (size_t i = 0; i < n; i++)
        aero_record_dispose(&recs[i]);
    free(recs);
}

AERO_API aero_status aero_stream_collect(aero_stream *st, aero_record **out, size_t *n, aero_error *err) {
    aero_err__reset(err);
    if (!st || !out || !n)
        return aero_err__set(err, AERO_ERR_PARAM, "collect needs a stream and output pointers");
    *out = NULL;
    *n = 0;
    size_t cap = 0, len = 0;
    aero_record *arr = NULL;
    for (const aero_record *r; (r = aero_stream_next(st, err));) {
        if (len == cap) {
            size_t nc = cap ? cap * 2 : 16;
            aero_record *na = realloc(arr, nc * sizeof *na);
            if (!na) {
                aero_records_free(arr, len);
                return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory collecting %zu rows", len);
            }
            arr = na;
            cap = nc;
        }
        aero_record_init(&arr[len]);
        if (aero_record_copy(&arr[len], r, NULL) != AERO_OK) {
            aero_records_free(arr, len + 1);
            return aero_err__set(err, AERO_ERR_NO_MEMORY, "out of memory collecting rows");
        }
        len++;
    }
    if (err && err->code != AERO_OK) {
        aero_records_free(arr, len);
        return err->code;
    }
    *out = arr;
    *n = len;
    return AERO_OK;
}

AERO_API bool aero_stream_has_more_chunks(const aero_stream *st) {
    if (!st)
        return false;
    if (st->kind == AERO_STREAM_SCAN)
        return aero_scan__has_more(st->scan);
    return st->pos == 0 && st->n_rows > 0;
}

AERO_API void aero_stream_close(aero_stream *st) {
    if (!st)
        return;
    if (st->kind == AERO_STREAM_BATCH) {
        aero_batch_abandon(st->batch); /* the stream lives inside the builder, which goes back to its client */
        return;
    }
    if (st->kind == AERO_STREAM_SCAN)
        aero_scan__free(st->scan);
    else
        aero_records_free(st->rows, st->n_rows);
    free(st);
}
