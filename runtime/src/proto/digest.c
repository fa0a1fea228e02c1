/*
 * proto/digest.c - RIPEMD-160 key digests through OpenSSL EVP.
 *
 * One EVP_MD_CTX per thread is kept and reused, so computing a digest does not
 * allocate after the first key a thread hashes. The RIPEMD-160 method is
 * fetched once (default provider first, then legacy for older OpenSSL 3).
 */
#include "proto/digest.h"

#include <openssl/evp.h>
#include <pthread.h>

static EVP_MD *g_ripemd; /* immutable after init: a cache, not state */
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static pthread_key_t g_ctx_key;

static void free_ctx(void *p) { EVP_MD_CTX_free(p); }

static void init_once(void) {
    g_ripemd = EVP_MD_fetch(NULL, "RIPEMD160", NULL);
    if (!g_ripemd)
        g_ripemd = EVP_MD_fetch(NULL, "RIPEMD160", "provider=legacy");
    pthread_key_create(&g_ctx_key, free_ctx);
}

_Bool aero_digest__compute(const char *set, size_t set_len, uint8_t key_type, const void *key, size_t key_len,
                           uint8_t out[20]) {
    pthread_once(&g_once, init_once);
    if (!g_ripemd)
        return 0;
    EVP_MD_CTX *ctx = pthread_getspecific(g_ctx_key);
    if (!ctx) {
        ctx = EVP_MD_CTX_new();
        if (!ctx)
            return 0;
        pthread_setspecific(g_ctx_key, ctx);
    }
    unsigned int len = 0;
    return EVP_DigestInit_ex(ctx, g_ripemd, NULL) == 1 && (set_len == 0 || EVP_DigestUpdate(ctx, set, set_len) == 1) &&
           EVP_DigestUpdate(ctx, &key_type, 1) == 1 && (key_len == 0 || EVP_DigestUpdate(ctx, key, key_len) == 1) &&
           EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == 20;
}
