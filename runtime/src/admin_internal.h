/*
 * admin_internal.h - what admin.c and admin_lists.c share: a string pool for
 * the lists they return, and one info exchange with error conversion.
 * Not installed.
 */
#ifndef AERO_ADMIN_INTERNAL_H
#define AERO_ADMIN_INTERNAL_H

#include <aero/admin.h>

#include "client.h"
#include "proto/info.h"

/** Nodes an admin call looks at (more are ignored). */
#define AERO_ADMIN_MAX_NODES 256

/** Owned copies of strings, freed together. */
typedef struct aero_strpool {
    char **items;
    size_t n, cap;
} aero_strpool;

/** Copy s[0..len) (NUL added); NULL on allocation failure. */
const char *aero_strpool__add(aero_strpool *p, const char *s, size_t len);
void aero_strpool__free(aero_strpool *p);

/** Deadline of one admin exchange: 5 x connect_timeout_ms (5 s by default). */
uint64_t aero_admin__deadline(const aero_client *client);

/** A name usable inside an info command: 1..max bytes, none of ;:\n\t=/ */
bool aero_admin__word_ok(const char *s, size_t max);

/**
 * The node named node_name (NULL: any node), retained; NULL with
 * AERO_ERR_INVALID_NODE in err when there is none.
 */
aero_node *aero_admin__node(aero_client *client, const char *node_name, aero_error *err);

/**
 * Send `command` to `node`; on AERO_OK *body (free it) holds the answer and
 * *value the command's value. An ERROR answer becomes its status with the
 * server's message; err->node names the node on any failure (*body NULL).
 */
aero_status aero_admin__ask(aero_client *client, aero_node *node, const char *command, char **body, aero_strview *value,
                            aero_error *err);

#endif
