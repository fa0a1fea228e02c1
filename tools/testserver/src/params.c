/*
 * params.c - the ";"-separated key=value parameter lists of info, sindex and
 * control commands. A file of its own so that the info handler and the
 * commands it hands over to (control.c, sindex.c) all read parameters the
 * same way without calling back into each other.
 */
#include <string.h>

#include "ts.h"

int ts_info_param(const char *params, const char *key, char *val, size_t cap) {
    size_t kl = strlen(key);
    const char *p = params;
    while (p && *p) {
        if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
            const char *v = p + kl + 1;
            size_t n = strcspn(v, ";");
            int found = n < cap ? 1 : -1;
            if (n >= cap)
                n = cap - 1;
            memcpy(val, v, n);
            val[n] = 0;
            return found;
        }
        p = strchr(p, ';');
        if (p)
            p++;
    }
    return 0;
}
