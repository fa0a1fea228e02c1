/* proto/compress.c - see compress.h. One-shot zlib calls: messages are whole in memory. */
#include "proto/compress.h"

#include "proto/wire.h"

#include <string.h>

#ifdef AERO_HAVE_ZLIB
#include <zlib.h>
#endif

bool aero_compress__available(void) {
#ifdef AERO_HAVE_ZLIB
    return true;
#else
    return false;
#endif
}

#ifdef AERO_HAVE_ZLIB
/*
 * Deflate with a window no larger than the message needs (and a hash table
 * to match): zlib's defaults (32 KiB window, 64 KiB hash) cost ~300 KiB of
 * fresh memory per call, several times the work of compressing a request of
 * a few KiB. The stream stays standard zlib: its header names the window,
 * and any inflater with a 32 KiB window reads it.
 */
static bool deflate_sized(const uint8_t *in, size_t len, int level, uint8_t *dst, uLong *dst_len) {
    int wbits = 9;
    while (wbits < 15 && ((size_t)1 << wbits) < len)
        wbits++;
    int mem = wbits - 6 > 8 ? 8 : wbits - 6;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, level, Z_DEFLATED, wbits, mem, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)len;
    zs.next_out = dst;
    zs.avail_out = (uInt)*dst_len;
    int zr = deflate(&zs, Z_FINISH);
    *dst_len = zs.total_out;
    deflateEnd(&zs);
    return zr == Z_STREAM_END;
}
#endif

aero_status aero_compress__wrap(const uint8_t *msg, size_t len, int level, aero_buf *out) {
#ifdef AERO_HAVE_ZLIB
    if (level < 1 || level > 9)
        level = 1;
    if (len > UINT32_MAX / 2)
        return AERO_ERR_PARAM;
    uLong bound = compressBound((uLong)len);
    size_t start = out->len;
    uint8_t *p = aero_buf__append(out, 16 + (size_t)bound);
    if (!p)
        return AERO_ERR_NO_MEMORY;
    uLong zlen = bound;
    if (!deflate_sized(msg, len, level, p + 16, &zlen)) {
        out->len = start;
        return AERO_ERR_NO_MEMORY;
    }
    aero_set_u64be(p, ((uint64_t)AERO_PROTO_VERSION << 56) | ((uint64_t)AERO_PROTO_COMPRESSED << 48) | (8u + zlen));
    aero_set_u64be(p + 8, (uint64_t)len);
    out->len = start + 16 + (size_t)zlen;
    return AERO_OK;
#else
    (void)msg, (void)len, (void)level, (void)out;
    return AERO_ERR_UNSUPPORTED_FEATURE;
#endif
}

aero_status aero_compress__unwrap(const uint8_t *body, size_t len, size_t limit, aero_buf *out) {
#ifdef AERO_HAVE_ZLIB
    if (len < 8)
        return AERO_ERR_PROTOCOL;
    uint64_t orig = aero_get_u64be(body);
    if (orig < 8 || orig > limit || orig > (uint64_t)AERO_PROTO_SIZE_MAX + 8)
        return AERO_ERR_PROTOCOL;
    size_t start = out->len;
    uint8_t *p = aero_buf__append(out, (size_t)orig);
    if (!p)
        return AERO_ERR_NO_MEMORY;
    uLongf got = (uLongf)orig;
    int zr = uncompress(p, &got, body + 8, (uLong)(len - 8));
    /* the wrapped message: version 2, type 3, a size that is the rest of it (read here, not with
     * msg.c, so the test server can compile this file alone) */
    if (zr != Z_OK || got != orig || p[0] != AERO_PROTO_VERSION || p[1] != AERO_PROTO_MSG ||
        (aero_get_u64be(p) & 0xFFFFFFFFFFFFull) + 8 != orig) {
        out->len = start;
        return zr == Z_MEM_ERROR ? AERO_ERR_NO_MEMORY : AERO_ERR_PROTOCOL;
    }
    return AERO_OK;
#else
    (void)body, (void)len, (void)limit, (void)out;
    return AERO_ERR_UNSUPPORTED_FEATURE;
#endif
}
