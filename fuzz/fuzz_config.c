/* .docrules.yaml (validate/config.c): any bytes as the configuration, read
 * from a file as validate reads it; then a finding kept or not by it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../validate/internal.h"

static char path[64];

static void remove_file(void) { unlink(path); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/docrules-fuzz-config-%ld.yaml", (long)getpid());
        atexit(remove_file);
    }
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    /* The codes rules/validate.lua declares, as validate passes them. */
    static const char *artifacts[] = {"mt-too-glued", "mt-hello-for-the"};
    dr_vconfig c = {0};
    c.artifacts = artifacts;
    c.nartifacts = 2;
    dr_error err;
    dr_error_clear(&err);
    if (dr_vconfig_load(&c, path, &err) == DR_OK) {
        dr_finding fd = {0};
        fd.file = "docs/drafts/a.md";
        fd.code = "section-empty";
        fd.message = (char *)"x";
        (void)dr_vconfig_keep(&c, &fd);
    } else if (!err.message[0]) {
        abort(); /* a refusal always says why */
    }
    dr_vconfig_free(&c);
    return 0;
}
