/* proto/compress.c - see compress.h. One-shot zlib calls: messages are whole in memory. */
#include "proto/compress.h"

#include "proto/msg.h"
#include "proto/wire.h"

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

aero_status aero_compress__wrap(const uint8_t *msg, size_t len, int level, aero_buf *out) {
#ifdef AERO_HAVE_ZLIB
    if (level < 1 || level > 9)
        level = 1;
    uLong bound = compressBound((uLong)len);
    size_t start = out->len;
    uint8_t *p = aero_buf__append(out, 16 + (size_t)bound);
    if (!p)
        return AERO_ERR_NO_MEMORY;
    uLongf zlen = bound;
    if (compress2(p + 16, &zlen, msg, (uLong)len, level) != Z_OK) {
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
    uint8_t type = 0;
    uint64_t size = 0;
    if (zr != Z_OK || got != orig || aero_proto__read_header(p, &type, &size) != AERO_OK || type != AERO_PROTO_MSG ||
        size + 8 != orig) {
        out->len = start;
        return zr == Z_MEM_ERROR ? AERO_ERR_NO_MEMORY : AERO_ERR_PROTOCOL;
    }
    return AERO_OK;
#else
    (void)body, (void)len, (void)limit, (void)out;
    return AERO_ERR_UNSUPPORTED_FEATURE;
#endif
}
