/*
 * proto/bcrypt.h - bcrypt password hashing ($2a$, Provos and Mazieres'
 * eksblowfish), as Aerospike clients hash a password before it leaves the
 * client (protocol.md 10.2). No I/O.
 */
#ifndef AERO_PROTO_BCRYPT_H
#define AERO_PROTO_BCRYPT_H

#include <stdbool.h>
#include <stddef.h>

/** The fixed salt (cost 10) every Aerospike client hashes passwords with. */
#define AERO_BCRYPT_AEROSPIKE_SALT "$2a$10$7EqJtq98hPqEX7fNZaFWoO"
/** Length of a hash string "$2a$NN$" + 22 salt + 31 hash characters (no NUL). */
#define AERO_BCRYPT_HASH_LEN 60

/**
 * bcrypt(password, setting) into out (AERO_BCRYPT_HASH_LEN + 1 bytes,
 * NUL-terminated). `setting` is "$2a$NN$" or "$2b$NN$" / "$2y$NN$" with a
 * cost NN of 04..31 and at least 22 salt characters (more are ignored, so a
 * full hash works as its own setting). The key is the password's bytes and
 * its NUL, repeated, cut at 72 bytes. False (out = "") for a bad setting.
 */
bool aero_bcrypt__hash(const char *password, const char *setting, char out[AERO_BCRYPT_HASH_LEN + 1]);

/** The Aerospike credential: bcrypt(password, AERO_BCRYPT_AEROSPIKE_SALT). NULL hashes "". */
void aero_bcrypt__aerospike(const char *password, char out[AERO_BCRYPT_HASH_LEN + 1]);

#endif
