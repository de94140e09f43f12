/* .docrules.yaml: what a docs team tunes, as markdownlint and Vale users
 * expect — codes turned off, severities changed, paths ignored — read with
 * libyaml:
 *
 *     disable: [mt-hello-for-the, link-file-missing]
 *     severity:
 *       policy-gap: error
 *       front-matter-absent: warning
 *     ignore:
 *       - "drafts/\*\*"  (everything under drafts)
 *       - "azure/\*.generated.md"  (generated files in azure/)
 *
 * Found in the validated folder or the nearest folder above it, or named
 * with --config. A key or code it does not know is an error at its line. */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "../common/alloc.h"
#include "../common/readfile.h"
#include "../common/yaml_text.h"
#include "internal.h"

/* Deeper [ ] and { } than any configuration has: refused before libyaml
 * reads them (common/yaml_text.h says why). */
#define CONFIG_MAX_DEPTH 64

static char **push(char **v, size_t *n, const char *s) {
    v = dr_xrealloc(v, (*n + 1) * sizeof *v);
    v[(*n)++] = dr_xstrdup(s);
    return v;
}

/* The configuration's path and text: a node's mark is placed in it. */
typedef struct cfg_src {
    const char *path;
    dr_yaml_lines lines;
} cfg_src;

static int bad(dr_error *err, const cfg_src *src, const yaml_node_t *n, const char *fmt, const char *arg) {
    int line = 0, col = 1;
    if (n) dr_yaml_lines_place(&src->lines, n->start_mark.line, n->start_mark.column, &line, &col);
    return dr_error_set(err, DR_EPARSE, src->path, line + 1, col, fmt, arg);
}

/* libyaml's own error, where it found it. */
static int not_yaml(const cfg_src *src, const char *text, size_t len, const yaml_parser_t *p, dr_error *err) {
    int line, col;
    dr_yaml_problem_place(&src->lines, text, len, p, &line, &col);
    return dr_error_set(err, DR_EPARSE, src->path, line + 1, col, "%s", p->problem ? p->problem : "not YAML");
}

static int known_code(const char *code, const dr_vconfig *c) {
    if (dr_code_info_of(code)) return 1;
    for (size_t i = 0; i < c->nartifacts; i++)
        if (strcmp(c->artifacts[i], code) == 0) return 1;
    return 0;
}

/* Whether a scalar is a string as YAML reads it: quoted, or plain but not
 * empty (null), a number or true/false. "ignore: 5" is a number where a
 * glob was meant; quoted, "5" is a glob. */
static int is_string(const yaml_node_t *n) {
    if (n->type != YAML_SCALAR_NODE) return 0;
    if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return 1;
    const char *v = (const char *)n->data.scalar.value;
    static const char *const not_strings[] = {"", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false",
                                              "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on", "On",
                                              "ON", "off", "Off", "OFF", ".inf", "-.inf", ".nan", NULL};
    for (const char *const *x = not_strings; *x; x++)
        if (strcmp(v, *x) == 0) return 0;
    char *end;
    errno = 0;
    (void)strtod(v, &end);
    return *end != '\0';
}

/* The strings of a sequence node (or one scalar). */
static int strings(yaml_document_t *doc, yaml_node_t *n, const cfg_src *file, const char *key, char ***out, size_t *nout,
                   dr_error *err) {
    if (n && n->type == YAML_SCALAR_NODE) {
        if (!is_string(n)) return bad(err, file, n, "%s: a list of strings (quote a value that looks like a number)", key);
        *out = push(*out, nout, (const char *)n->data.scalar.value);
        return DR_OK;
    }
    if (!n || n->type != YAML_SEQUENCE_NODE) return bad(err, file, n, "%s: a list of strings", key);
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        yaml_node_t *x = yaml_document_get_node(doc, *it);
        if (!x || !is_string(x)) return bad(err, file, x, "%s: a list of strings (quote a value that looks like a number)", key);
        *out = push(*out, nout, (const char *)x->data.scalar.value);
    }
    return DR_OK;
}

int dr_vfile_read(const char *path, size_t max, const char *what, char **text, size_t *len, dr_error *err) {
    size_t cap = 0;
    *text = NULL;
    dr_read_status st = dr_read_file(path, max, text, &cap, len);
    if (st == DR_READ_OK) return DR_OK;
    int e = errno;
    free(*text);
    *text = NULL;
    if (st == DR_READ_TOO_LARGE)
        return dr_error_set(err, DR_EIO, path, 0, 0, "cannot read%s: larger than %zu KiB", what, max >> 10);
    return dr_error_set(err, DR_EIO, path, 0, 0, "cannot read%s: %s", what,
                        st == DR_READ_NOT_REGULAR ? "not a regular file" : strerror(e));
}

int dr_vconfig_load(dr_vconfig *c, const char *path, dr_error *err) {
    char *text;
    size_t len;
    int rc = dr_vfile_read(path, 1 << 20, "", &text, &len, err);
    if (rc != DR_OK) return rc;
    int deep;
    if (dr_yaml_flow_too_deep(text, len, CONFIG_MAX_DEPTH, &deep)) {
        free(text);
        return dr_error_set(err, DR_EPARSE, path, deep + 1, 1, "[ ] and { } nest more than %d deep", CONFIG_MAX_DEPTH);
    }
    cfg_src src = {path, {0, NULL, NULL}};
    dr_yaml_lines_make(&src.lines, text, len);
    yaml_parser_t p;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&p)) dr_oom();
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    if (!yaml_parser_load(&p, &doc)) {
        rc = not_yaml(&src, text, len, &p, err);
        yaml_parser_delete(&p);
        free(text);
        dr_yaml_lines_free(&src.lines);
        return rc;
    }
    /* One document: what follows a --- or ... would be read by nobody. */
    yaml_document_t more;
    if (!yaml_parser_load(&p, &more)) {
        rc = not_yaml(&src, text, len, &p, err);
    } else {
        yaml_node_t *second = yaml_document_get_root_node(&more);
        /* (a --- closing the file starts a document with nothing in it) */
        int empty = second && second->type == YAML_SCALAR_NODE && second->data.scalar.length == 0;
        if (second && !empty)
            rc = bad(err, &src, second, "%s",
                     "a second YAML document: the configuration is one (disable, severity, ignore)");
        yaml_document_delete(&more);
    }
    /* YAML's "\0" puts a NUL in a scalar, where every reader below would
     * end the string: "disable\0x" would be disable, a glob would lose its
     * tail. The configuration is text: refused. */
    for (yaml_node_t *n = doc.nodes.start; rc == DR_OK && n < doc.nodes.top; n++)
        if (n->type == YAML_SCALAR_NODE && memchr(n->data.scalar.value, '\0', n->data.scalar.length))
            rc = bad(err, &src, n, "%s", "\\0 (the NUL character) is not allowed in the configuration");
    if (rc != DR_OK) {
        yaml_document_delete(&doc);
        yaml_parser_delete(&p);
        free(text);
        dr_yaml_lines_free(&src.lines);
        return rc;
    }
    char *slash = strrchr(path, '/');
    c->dir = slash ? dr_xstrndup(path, (size_t)(slash - path)) : dr_xstrdup(".");
    c->file = dr_xstrdup(path);
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root && root->type != YAML_MAPPING_NODE) rc = bad(err, &src, root, "%s", "the file is a mapping: disable, severity, ignore");
    /* Each key once: YAML allows no more, and libyaml reads a second one
     * that would be merged with or silently override the first. */
    int given[3] = {0, 0, 0};
    static const char *const keys[3] = {"disable", "ignore", "severity"};
    for (yaml_node_pair_t *pr = root && rc == DR_OK ? root->data.mapping.pairs.start : NULL;
         pr && pr < root->data.mapping.pairs.top && rc == DR_OK; pr++) {
        yaml_node_t *k = yaml_document_get_node(&doc, pr->key), *v = yaml_document_get_node(&doc, pr->value);
        const char *key = k && k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
        for (int i = 0; i < 3; i++)
            if (strcmp(key, keys[i]) == 0 && given[i]++) rc = bad(err, &src, k, "%s is given twice: give it once", key);
        if (rc != DR_OK) break;
        if (strcmp(key, "disable") == 0) {
            size_t from = c->ndisable;
            rc = strings(&doc, v, &src, key, &c->disable, &c->ndisable, err);
            for (size_t i = from; rc == DR_OK && i < c->ndisable; i++)
                if (!known_code(c->disable[i], c)) {
                    /* said at the item, not at the list's start */
                    yaml_node_t *at = v->type == YAML_SEQUENCE_NODE
                                          ? yaml_document_get_node(&doc, v->data.sequence.items.start[i - from])
                                          : v;
                    rc = bad(err, &src, at, "disable: %s is not a finding code", c->disable[i]);
                }
        } else if (strcmp(key, "ignore") == 0) {
            rc = strings(&doc, v, &src, key, &c->ignore, &c->nignore, err);
        } else if (strcmp(key, "severity") == 0) {
            if (!v || v->type != YAML_MAPPING_NODE) {
                rc = bad(err, &src, v, "%s: code: error, warning or note", key);
                break;
            }
            size_t from = c->nsev;
            for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top && rc == DR_OK; q++) {
                yaml_node_t *ck = yaml_document_get_node(&doc, q->key), *cv = yaml_document_get_node(&doc, q->value);
                const char *code = ck && ck->type == YAML_SCALAR_NODE ? (const char *)ck->data.scalar.value : "";
                const char *sev = cv && cv->type == YAML_SCALAR_NODE ? (const char *)cv->data.scalar.value : "";
                int s = strcmp(sev, "error") == 0 ? DR_SEV_ERROR : strcmp(sev, "warning") == 0 ? DR_SEV_WARNING
                        : strcmp(sev, "note") == 0 ? DR_SEV_NOTE : -1;
                int twice = 0;
                for (size_t i = from; i < c->nsev && !twice; i++) twice = strcmp(c->sev[i].code, code) == 0;
                if (twice) rc = bad(err, &src, ck, "severity: %s is given twice: give it once", code);
                else if (!known_code(code, c)) rc = bad(err, &src, ck, "severity: %s is not a finding code", code);
                else if (s < 0) rc = bad(err, &src, cv, "severity: %s is not error, warning or note", sev);
                else {
                    c->sev = dr_xrealloc(c->sev, (c->nsev + 1) * sizeof *c->sev);
                    c->sev[c->nsev].code = dr_xstrdup(code);
                    c->sev[c->nsev++].severity = (dr_severity)s;
                }
            }
        } else {
            rc = bad(err, &src, k, "%s is not a key of .docrules.yaml (disable, severity, ignore)", key);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&p);
    free(text);
    dr_yaml_lines_free(&src.lines);
    return rc;
}

int dr_vconfig_find(const char *start, char *out, size_t size) {
    char dir[4096];
    struct stat st;
    snprintf(dir, sizeof dir, "%s", start && start[0] ? start : ".");
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (slash) *slash = '\0';
        else snprintf(dir, sizeof dir, ".");
    }
    char abs[4096];
    if (!realpath(dir, abs)) return 0;
    for (;;) {
        snprintf(out, size, "%s/.docrules.yaml", strcmp(abs, "/") == 0 ? "" : abs);
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode)) return 1;
        char *slash = strrchr(abs, '/');
        if (!slash || slash == abs) {
            if (strcmp(abs, "/") == 0) return 0;
            snprintf(abs, sizeof abs, "/");
            continue;
        }
        *slash = '\0';
    }
}

/* Whether a finding's file is one the ignore globs name: matched against
 * the path as given and relative to the config's folder. */
static int ignored(const dr_vconfig *c, const char *file) {
    /* realpath(…, NULL) allocates: a path longer than PATH_MAX still works. */
    char *abs = realpath(file, NULL), *cdir = abs ? realpath(c->dir, NULL) : NULL;
    const char *rel = NULL;
    if (abs && cdir) {
        size_t n = strlen(cdir);
        if (strncmp(abs, cdir, n) == 0 && abs[n] == '/') rel = abs + n + 1;
    }
    int hit = 0;
    for (size_t i = 0; i < c->nignore && !hit; i++) {
        const char *g = c->ignore[i];
        size_t n = strlen(g);
        hit = fnmatch(g, file, FNM_PATHNAME | FNM_PERIOD) == 0 || (rel && fnmatch(g, rel, FNM_PATHNAME | FNM_PERIOD) == 0)
              /* "drafts/ and two stars": everything under drafts */
              || (n > 3 && strcmp(g + n - 3, "/**") == 0 && rel && strncmp(rel, g, n - 2) == 0);
    }
    free(abs);
    free(cdir);
    return hit;
}

int dr_vconfig_keep(const dr_vconfig *c, dr_finding *f) {
    for (size_t i = 0; i < c->ndisable; i++)
        if (strcmp(c->disable[i], f->code) == 0) return 0;
    if (c->nignore && ignored(c, f->file)) return 0;
    for (size_t i = 0; i < c->nsev; i++)
        if (strcmp(c->sev[i].code, f->code) == 0) f->severity = c->sev[i].severity;
    return 1;
}

void dr_vconfig_free(dr_vconfig *c) {
    for (size_t i = 0; i < c->ndisable; i++) free(c->disable[i]);
    for (size_t i = 0; i < c->nignore; i++) free(c->ignore[i]);
    for (size_t i = 0; i < c->nsev; i++) free(c->sev[i].code);
    free(c->disable);
    free(c->ignore);
    free(c->sev);
    free(c->dir);
    free(c->file);
    memset(c, 0, sizeof *c);
}
