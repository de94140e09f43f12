/* Build-time only (Makefile: build/gen/prelude.c): writes engine/prelude.lua
 * into a C file twice, as Lua bytecode and as text.
 *
 * Every Lua state an engine opens runs the prelude first, and compiling its
 * 1,300 lines was a third of the instructions of a `check --bundle` and of
 * each worker's start. Bytecode made here, from our own source by the Lua
 * the command links, is trusted as a rule script's never is (state.c loads
 * those as text only). It keeps its debug information, so a message or a
 * traceback names the same prelude lines. The text stays beside it for a
 * Lua whose bytecode format differs (a libdocrules.so run against another
 * liblua5.4 than it was built with): state.c falls back to compiling it.
 *
 * Usage: prelude_dump engine/prelude.lua > build/gen/prelude.c */
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct out {
    unsigned char *p;
    size_t n, cap;
} out;

static int add(lua_State *L, const void *p, size_t n, void *ud) {
    (void)L;
    out *o = ud;
    if (o->n + n > o->cap) {
        size_t cap = (o->n + n) * 2;
        unsigned char *q = realloc(o->p, cap);
        if (!q) return 1;
        o->p = q;
        o->cap = cap;
    }
    for (size_t i = 0; i < n; i++) o->p[o->n++] = ((const unsigned char *)p)[i];
    return 0;
}

/* `name` as a byte array and its length; a 0 after the bytes, not counted,
 * so the text is also a C string. */
static void array(const char *name, const unsigned char *p, size_t n) {
    printf("extern const unsigned char %s[];\nconst unsigned char %s[] = {", name, name);
    for (size_t i = 0; i < n; i++) printf("%s%u,", i % 24 ? "" : "\n", p[i]);
    printf("0};\nextern const unsigned long %s_len;\nconst unsigned long %s_len = %zu;\n", name, name, n);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s prelude.lua > prelude.c\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    out text = {0}, code = {0};
    char buf[65536];
    size_t k;
    while (f && (k = fread(buf, 1, sizeof buf, f)) > 0)
        if (add(NULL, buf, k, &text)) return fprintf(stderr, "out of memory\n"), 1;
    if (!f || ferror(f)) return fprintf(stderr, "%s: cannot read\n", argv[1]), 1;
    fclose(f);
    lua_State *L = luaL_newstate();
    /* The chunk name state.c gives the text, kept in the bytecode. */
    if (!L || luaL_loadbufferx(L, (const char *)text.p, text.n, "=prelude", "t") != LUA_OK)
        return fprintf(stderr, "%s: %s\n", argv[1], L ? lua_tostring(L, -1) : "no Lua state"), 1;
    if (lua_dump(L, add, &code, 0) != 0) return fprintf(stderr, "lua_dump failed\n"), 1;
    lua_close(L);
    printf("/* Generated from engine/prelude.lua by engine/gen/prelude_dump.c. */\n");
    array("dr_prelude_luac", code.p, code.n);
    array("dr_prelude_lua", text.p, text.n);
    free(code.p);
    free(text.p);
    return fflush(stdout) == 0 ? 0 : 1;
}
