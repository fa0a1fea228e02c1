/*
 * test_certs.h - certificates made at test time with OpenSSL's API, so no
 * key or certificate is ever checked in. A test makes a CA, signs server and
 * client certificates with it and gets PEM files in a temporary directory
 * (what a TLS client, the test server and stunnel all read).
 *
 *     tc_dir d;                       // mkdtemp, removed by tc_dir_remove
 *     tc_dir_make(&d);
 *     tc_ca *ca = tc_ca_new("aero test CA");
 *     tc_issue(ca, &d, "server", "DNS:node.aero.test", -60, 3600, false);  // server.crt, server.key
 *     tc_ca_write(ca, &d, "ca");      // ca.crt
 */
#ifndef AERO_TEST_CERTS_H
#define AERO_TEST_CERTS_H

#include <stdbool.h>

typedef struct tc_dir {
    char path[256];
} tc_dir;

typedef struct tc_ca tc_ca;

/** A fresh private directory under $TMPDIR (or /tmp); false on failure. */
bool tc_dir_make(tc_dir *d);
/** Delete every file made in it, then the directory. */
void tc_dir_remove(tc_dir *d);
/** "<dir>/<name>" in a ring of static buffers (valid for the next 15 calls). */
const char *tc_path(const tc_dir *d, const char *name);

/** A self-signed CA (EC P-256 key) with common name `cn`; NULL on failure. */
tc_ca *tc_ca_new(const char *cn);
void tc_ca_free(tc_ca *ca);
/** Write the CA certificate as "<name>.crt"; false on failure. */
bool tc_ca_write(const tc_ca *ca, const tc_dir *d, const char *name);

/**
 * Issue "<name>.crt" and "<name>.key" signed by `ca`: subject CN = name,
 * subjectAltName `san` (e.g. "DNS:a.test,IP:127.0.0.1"; NULL for none),
 * valid from now + not_before_s to now + not_after_s (negative values lie in
 * the past: an expired certificate is -7200, -3600). `client` sets the
 * clientAuth extended key usage instead of serverAuth.
 */
bool tc_issue(const tc_ca *ca, const tc_dir *d, const char *name, const char *san, long not_before_s, long not_after_s,
              bool client);

/**
 * Write the CA certificate into the directory "<dir>/<subdir>" (made if
 * needed) under its subject hash, "<hash>.0", as c_rehash does, so the
 * directory serves as a CA path; false on failure.
 */
bool tc_ca_write_hashed(const tc_ca *ca, const tc_dir *d, const char *subdir);

/** Write "<name>.key" again, encrypted (AES-256) with `password`, as "<out>.key"; false on failure. */
bool tc_key_encrypt(const tc_dir *d, const char *name, const char *out, const char *password);

/**
 * Write a CRL of `ca` revoking the certificate "<revoked>.crt" of d (NULL:
 * an empty CRL) as "<name>.crl"; false on failure.
 */
bool tc_crl_write(const tc_ca *ca, const tc_dir *d, const char *name, const char *revoked);

#endif
