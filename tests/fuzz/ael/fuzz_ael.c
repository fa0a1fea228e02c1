/*
 * libFuzzer target for the AEL front end: arbitrary text through the public
 * compiler (with placeholder values) and the typed/template compiler (with a
 * bin environment), then template fill. Must never crash, leak or read out
 * of bounds; errors must carry a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <aero/ael.h>

#include "ael/ael_index.h"
#include "ael/ael_typed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    static const aero_value items[] = { { .type = AERO_STR, .v.str = { "a", 1 } },
                                        { .type = AERO_STR, .v.str = { "b", 1 } } };
    aero_value args[4];
    args[0] = aero_int(5);
    args[1] = aero_str("x");
    args[2] = aero_list(items, 2);
    args[3] = aero_double(1.5);
    aero_error err;
    aero_expr *e = aero_ael_compile(text, args, 4, &err);
    if (e) {
        size_t n;
        if (!aero_expr_bytes(e, &n) || n == 0)
            abort();
        aero_expr_free(e);
    } else if (err.message[0] == '\0') {
        abort();
    }

    static const aero_ael_bin bins[] = {
        { "a", AERO_AEL_INT, NULL },   { "s", AERO_AEL_STRING, NULL }, { "l", AERO_AEL_LIST, NULL }, { "m", AERO_AEL_MAP, NULL },
        { "f", AERO_AEL_FLOAT, NULL }, { "b", AERO_AEL_BOOL, NULL },   { "x", AERO_AEL_ANY, NULL },
    };
    static const aero_ael_env env = { bins, sizeof bins / sizeof bins[0] };
    static const aero_ael_type pt[] = { AERO_AEL_INT, AERO_AEL_ANY, AERO_AEL_LIST };
    aero_ael_template t;
    aero_ael_diag d;
    if (aero_ael__compile_typed(text, &env, pt, 3, &t, &d) == AERO_OK) {
        aero_value targs[8];
        for (size_t i = 0; i < 8; i++)
            targs[i] = aero_int((int64_t)i);
        aero_expr *x = aero_ael_template_fill(t.bytes, t.len, t.slots, t.n_slots, targs, 8, &err);
        aero_expr_free(x);
        aero_ael__template_free(&t);
    } else if (d.message[0] == '\0') {
        abort();
    }
    static const uint8_t lctx[] = { 0x92, 0x10, 0x00 };
    static const aero_ael_index idx[] = {
        { "ia", "a", AERO_AEL_INT, NULL, 0, 1 },
        { "is", "s", AERO_AEL_STRING, NULL, 0, 2 },
        { "il", "l", AERO_AEL_INT, lctx, sizeof lctx, 3 },
        { "ib", "b", AERO_AEL_BLOB, NULL, 0, -1 },
    };
    aero_ael_filter f;
    aero_expr *rest;
    if (aero_ael__compile_with_index(text, args, 4, idx, 4, NULL, NULL, &f, &rest, &err) == AERO_OK) {
        if (!f.set && !rest)
            abort(); /* without a filter the whole expression remains */
        aero_ael__filter_free(&f);
        aero_expr_free(rest);
    }
    free(text);
    return 0;
}
