/*
 * gen_big.c - write a schema with N bins (default 1000) of every type and a
 * few queries, for the aerogen performance case: gen_big OUT.aero [N]
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1000;
    FILE *f = fopen(argv[1], "w");
    if (!f)
        return 1;
    static const char *const types[] = { "int",
                                         "double",
                                         "bool",
                                         "string",
                                         "blob",
                                         "geojson",
                                         "list<string>",
                                         "map<string, int>",
                                         "list<map<int, double>>" };
    fprintf(f, "namespace test;\n\nrecord big in set \"big\" {\n    key string;\n");
    for (long i = 0; i < n; i++) {
        const char *t = types[i % 9];
        fprintf(f, "    /// Field %ld.\n    field_%ld %s%s;\n", i, i, t, i % 7 == 0 ? " required" : "");
    }
    fprintf(f, "}\n\n");
    for (long i = 0; i < 10 && i * 9 < n; i++)
        fprintf(f, "query q%ld(v int) on big where \"$.field_%ld > ?0\";\n", i, i * 9);
    return fclose(f) == 0 ? 0 : 1;
}
