/* embed ACCOUNT.json [RULES_DIR CORPUS_DIR]: one decision, printed as
 * `docrules check ACCOUNT.json --format json` prints it, by a program that
 * knows only <docrules.h>. Build: cc embed.c $(pkg-config --cflags --libs docrules) */
#include <docrules.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 2 && argc != 4) return fprintf(stderr, "usage: embed ACCOUNT.json [RULES_DIR CORPUS_DIR]\n"), 2;
    FILE *f = fopen(argv[1], "rb");
    static char json[1 << 20];
    size_t len = f ? fread(json, 1, sizeof json, f) : 0;
    if (!f) return fprintf(stderr, "embed: cannot open %s\n", argv[1]), 2;
    fclose(f);
    const char *corpus[] = {argc == 4 ? argv[3] : "corpus"};
    docrules_ruleset_options ro = DOCRULES_RULESET_OPTIONS_INIT;
    ro.rules_dir = argc == 4 ? argv[2] : "rules";
    ro.corpus = corpus;
    ro.ncorpus = 1;
    docrules_ruleset *rs = NULL;
    docrules_engine *e = NULL;
    docrules_buf out = DOCRULES_BUF_INIT;
    docrules_error err;
    if (docrules_ruleset_open(&rs, &ro, &err) < 0 || docrules_engine_new(&e, rs, NULL, &err) < 0 ||
        docrules_decide(&out, e, json, len, NULL, &err) < 0) {
        fprintf(stderr, "embed: %s:%d:%d: %s\n", err.file[0] ? err.file : argv[1], err.line, err.col, err.message);
        return 2;
    }
    printf("%s\n", out.ptr);
    docrules_buf_dispose(&out);
    docrules_engine_free(e);
    docrules_ruleset_free(rs);
    return 0;
}
