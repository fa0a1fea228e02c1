/* test_certs.c - see test_certs.h. */
#include "test_certs.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tc_ca {
    EVP_PKEY *key;
    X509 *cert;
};

static long serial_counter = 1;

bool tc_dir_make(tc_dir *d) {
    const char *t = getenv("TMPDIR");
    snprintf(d->path, sizeof d->path, "%s/aero-tls-XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(d->path) != NULL;
}

/* Remove every file of `path` and its subdirectories (one level deep is all the helpers make). */
static void remove_tree(const char *path, int depth) {
    DIR *dir = opendir(path);
    if (dir) {
        struct dirent *e;
        char sub[600];
        while ((e = readdir(dir))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            if (unlink(sub) != 0 && depth < 2)
                remove_tree(sub, depth + 1);
        }
        closedir(dir);
    }
    rmdir(path);
}

void tc_dir_remove(tc_dir *d) { remove_tree(d->path, 0); }

const char *tc_path(const tc_dir *d, const char *name) {
    static char ring[16][512];
    static unsigned k;
    char *b = ring[k++ % 16];
    snprintf(b, 512, "%s/%s", d->path, name);
    return b;
}

static EVP_PKEY *new_key(void) { return EVP_EC_gen("P-256"); }

static bool add_ext(X509 *cert, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext)
        return false;
    bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

static X509 *new_cert(const char *cn, EVP_PKEY *key, long nb, long na) {
    X509 *x = X509_new();
    if (!x)
        return NULL;
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial_counter++);
    X509_gmtime_adj(X509_getm_notBefore(x), nb);
    X509_gmtime_adj(X509_getm_notAfter(x), na);
    X509_set_pubkey(x, key);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    return x;
}

tc_ca *tc_ca_new(const char *cn) {
    tc_ca *ca = calloc(1, sizeof *ca);
    if (!ca)
        return NULL;
    ca->key = new_key();
    ca->cert = ca->key ? new_cert(cn, ca->key, -3600, 86400) : NULL;
    if (!ca->cert || !X509_set_issuer_name(ca->cert, X509_get_subject_name(ca->cert)) ||
        !add_ext(ca->cert, ca->cert, NID_basic_constraints, "critical,CA:TRUE") ||
        !add_ext(ca->cert, ca->cert, NID_key_usage, "critical,keyCertSign,cRLSign") ||
        !add_ext(ca->cert, ca->cert, NID_subject_key_identifier, "hash") ||
        !X509_sign(ca->cert, ca->key, EVP_sha256())) {
        tc_ca_free(ca);
        return NULL;
    }
    return ca;
}

void tc_ca_free(tc_ca *ca) {
    if (!ca)
        return;
    X509_free(ca->cert);
    EVP_PKEY_free(ca->key);
    free(ca);
}

static bool write_cert(X509 *x, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    bool ok = PEM_write_X509(f, x) == 1;
    return fclose(f) == 0 && ok;
}

bool tc_ca_write(const tc_ca *ca, const tc_dir *d, const char *name) {
    char file[128];
    snprintf(file, sizeof file, "%s.crt", name);
    return write_cert(ca->cert, tc_path(d, file));
}

bool tc_ca_write_hashed(const tc_ca *ca, const tc_dir *d, const char *subdir) {
    char dir[512], file[600];
    snprintf(dir, sizeof dir, "%s", tc_path(d, subdir));
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return false;
    snprintf(file, sizeof file, "%s/%08lx.0", dir, X509_subject_name_hash(ca->cert));
    return write_cert(ca->cert, file);
}

bool tc_key_encrypt(const tc_dir *d, const char *name, const char *out, const char *password) {
    char file[128];
    snprintf(file, sizeof file, "%s.key", name);
    FILE *f = fopen(tc_path(d, file), "r");
    EVP_PKEY *key = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    snprintf(file, sizeof file, "%s.key", out);
    f = key ? fopen(tc_path(d, file), "w") : NULL;
    bool ok = f && PEM_write_PrivateKey(f, key, EVP_aes_256_cbc(), NULL, 0, NULL, (void *)password) == 1;
    if (f && fclose(f) != 0)
        ok = false;
    EVP_PKEY_free(key);
    return ok;
}

bool tc_issue(const tc_ca *ca, const tc_dir *d, const char *name, const char *san, long not_before_s, long not_after_s,
              bool client) {
    EVP_PKEY *key = new_key();
    X509 *x = key ? new_cert(name, key, not_before_s, not_after_s) : NULL;
    bool ok = x && X509_set_issuer_name(x, X509_get_subject_name(ca->cert)) &&
              add_ext(x, ca->cert, NID_basic_constraints, "CA:FALSE") &&
              add_ext(x, ca->cert, NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
              add_ext(x, ca->cert, NID_ext_key_usage, client ? "clientAuth" : "serverAuth") &&
              (!san || add_ext(x, ca->cert, NID_subject_alt_name, san)) && X509_sign(x, ca->key, EVP_sha256());
    char file[128];
    snprintf(file, sizeof file, "%s.crt", name);
    ok = ok && write_cert(x, tc_path(d, file));
    snprintf(file, sizeof file, "%s.key", name);
    FILE *f = ok ? fopen(tc_path(d, file), "w") : NULL;
    ok = f && PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1;
    if (f && fclose(f) != 0)
        ok = false;
    X509_free(x);
    EVP_PKEY_free(key);
    return ok;
}

bool tc_crl_write(const tc_ca *ca, const tc_dir *d, const char *name, const char *revoked) {
    X509_CRL *crl = X509_CRL_new();
    bool ok = crl && X509_CRL_set_version(crl, 1) && X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca->cert));
    ASN1_TIME *t = ASN1_TIME_new();
    ok = ok && t && X509_gmtime_adj(t, -60) && X509_CRL_set1_lastUpdate(crl, t) && X509_gmtime_adj(t, 86400) &&
         X509_CRL_set1_nextUpdate(crl, t);
    if (ok && revoked) {
        char file[128];
        snprintf(file, sizeof file, "%s.crt", revoked);
        FILE *f = fopen(tc_path(d, file), "r");
        X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
        if (f)
            fclose(f);
        X509_REVOKED *r = X509_REVOKED_new();
        ASN1_TIME *when = ASN1_TIME_new();
        ok = x && r && when && X509_gmtime_adj(when, -30) &&
             X509_REVOKED_set_serialNumber(r, X509_get_serialNumber(x)) && X509_REVOKED_set_revocationDate(r, when) &&
             X509_CRL_add0_revoked(crl, r);
        if (ok)
            r = NULL;
        X509_REVOKED_free(r);
        ASN1_TIME_free(when);
        X509_free(x);
    }
    ok = ok && X509_CRL_sort(crl) && X509_CRL_sign(crl, ca->key, EVP_sha256());
    char file[128];
    snprintf(file, sizeof file, "%s.crl", name);
    FILE *f = ok ? fopen(tc_path(d, file), "w") : NULL;
    ok = f && PEM_write_X509_CRL(f, crl) == 1;
    if (f && fclose(f) != 0)
        ok = false;
    ASN1_TIME_free(t);
    X509_CRL_free(crl);
    return ok;
}
