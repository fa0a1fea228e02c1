/*
 * record_decode.h - decoding a single-record answer into an aero_record:
 * header (result, generation, TTL), then bins into the record's own storage.
 * Not installed.
 */
#ifndef AERO_RECORD_DECODE_H
#define AERO_RECORD_DECODE_H

#include <aero/error.h>
#include <aero/record.h>

#include "proto/arena.h"
#include "proto/msg.h"

/**
 * Decode a single-record answer into rec: generation, TTL, bins (names
 * NUL-terminated, values decoded into the record's arena), result code.
 * The response bytes must live in rec's own buffer or outlive rec's use.
 */
aero_status aero_record__decode(aero_record *rec, const aero_msg_view *m, aero_error *err);

/** Reset rec and take result, generation and TTL from the answer (no bins). */
void aero_record__decode_header(aero_record *rec, const aero_msg_view *m);

/** The record's arena (created on first use; NULL when out of memory). */
aero_arena *aero_record__arena(aero_record *rec);

/** Reset rec for a new answer (keeps its buffers). */
void aero_record__clear(aero_record *rec);

/**
 * Make room for n bins in rec's bin array (kept across reuse) and point
 * rec->bins at it. AERO_ERR_NO_MEMORY when it cannot grow (rec unchanged).
 */
aero_status aero_record__reserve_bins(aero_record *rec, uint32_t n);

#endif
