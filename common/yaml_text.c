#include "yaml_text.h"

#include <stdlib.h>

#include "alloc.h"

/* Whether c, the last non-blank character before a position on its line
 * ('\n' for none), lets a value start there: where libyaml would read [
 * as a flow collection and a quote as a quoted scalar, not as text of a
 * plain scalar ("range [0, 1)", "it's"). */
static int value_starts_after(char c) { return c == '\n' || c == ':' || c == '-' || c == '?'; }

int dr_yaml_flow_too_deep(const char *y, size_t n, int max, int *line) {
    int depth = 0, ln = 0;
    char q = 0;           /* the open quote, or 0 */
    long block = -1;      /* a block scalar's indicator line's indent: its more indented lines are text */
    size_t i = 0;
    while (i < n) {
        /* A line: its indent first. */
        size_t start = i, end = i;
        while (end < n && y[end] != '\n') end++;
        size_t indent = 0;
        while (start + indent < end && y[start + indent] == ' ') indent++;
        int blank = start + indent == end || y[start + indent] == '\r';
        if (block >= 0 && !q) {
            if (blank || (long)indent > block) {
                i = end < n ? end + 1 : end;
                ln++;
                continue;
            }
            block = -1;
        }
        char prev = '\n';
        for (size_t k = start; k < end; k++) {
            char c = y[k];
            if (q) {
                if (q == '"' && c == '\\') k++;          /* an escape: the next byte is text */
                else if (c == q && q == '\'' && k + 1 < end && y[k + 1] == '\'') k++; /* '' is a quote */
                else if (c == q) {
                    q = 0;
                    prev = c;
                }
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') continue;
            if (c == '#' && (k == start || y[k - 1] == ' ' || y[k - 1] == '\t')) break; /* a comment */
            int at_value = depth > 0 ? (prev == '\n' || prev == '[' || prev == '{' || prev == ',' || prev == ':' ||
                                        prev == '?' || prev == '-')
                                     : value_starts_after(prev);
            if ((c == '"' || c == '\'') && at_value) {
                q = c;
            } else if ((c == '[' || c == '{') && (depth > 0 || at_value)) {
                if (++depth > max) {
                    *line = ln;
                    return 1;
                }
            } else if ((c == ']' || c == '}') && depth > 0) {
                depth--;
            } else if ((c == '|' || c == '>') && depth == 0 && at_value) {
                block = (long)indent; /* the lines after it, more indented, are its text */
                break;
            }
            prev = c;
        }
        i = end < n ? end + 1 : end;
        ln++;
    }
    return 0;
}

/* Walks y, calling back at each start of a libyaml line after the
 * first; returns how many lines libyaml sees. */
static size_t walk_lines(const char *y, size_t n, dr_yaml_lines *fill) {
    const unsigned char *u = (const unsigned char *)y;
    size_t i = 0, lines = 1, chars = 0;
    int phys = 0;
    /* libyaml's reader drops a byte order mark before its columns count */
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) i = 3;
    if (fill) fill->phys[0] = 0, fill->chars[0] = 0;
    while (i < n) {
        unsigned char c = u[i];
        int brk = 0;
        if (c == '\n' || c == '\r') {
            i += c == '\r' && i + 1 < n && u[i + 1] == '\n' ? 2 : 1;
            phys++, chars = 0, brk = 1;
        } else if (c == 0xC2 && i + 1 < n && u[i + 1] == 0x85) { /* NEL */
            i += 2, chars++, brk = 1;
        } else if (c == 0xE2 && i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)) {
            i += 3, chars++, brk = 1; /* LS, PS */
        } else {
            chars += (c & 0xC0) != 0x80;
            i++;
        }
        if (brk) {
            if (fill) fill->phys[lines] = phys, fill->chars[lines] = (int)chars;
            lines++;
        }
    }
    return lines;
}

void dr_yaml_lines_make(dr_yaml_lines *l, const char *y, size_t n) {
    l->n = walk_lines(y, n, NULL);
    l->phys = dr_xcalloc(l->n, sizeof *l->phys);
    l->chars = dr_xcalloc(l->n, sizeof *l->chars);
    walk_lines(y, n, l);
}

void dr_yaml_lines_place(const dr_yaml_lines *l, size_t mark_line, size_t mark_column, int *line, int *col) {
    size_t k = mark_line < l->n ? mark_line : l->n - 1;
    *line = l->phys[k];
    *col = (int)((size_t)l->chars[k] + mark_column) + 1;
}

void dr_yaml_lines_free(dr_yaml_lines *l) {
    free(l->phys);
    free(l->chars);
    l->phys = l->chars = NULL;
    l->n = 0;
}

/* The line (from 0) and column (from 1, in characters) of byte at: lines
 * end at LF, CRLF and CR, as the file's do; a byte order mark is not
 * counted. */
static void offset_place(const char *y, size_t n, size_t at, int *line, int *col) {
    const unsigned char *u = (const unsigned char *)y;
    size_t i = n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF ? 3 : 0;
    *line = 0;
    *col = 1;
    while (i < at && i < n) {
        if (u[i] == '\n' || u[i] == '\r') {
            i += u[i] == '\r' && i + 1 < n && u[i + 1] == '\n' ? 2 : 1;
            (*line)++;
            *col = 1;
        } else {
            *col += (u[i] & 0xC0) != 0x80;
            i++;
        }
    }
}

void dr_yaml_problem_place(const dr_yaml_lines *lines, const char *y, size_t n, const yaml_parser_t *p, int *line,
                           int *col) {
    if (p->error == YAML_READER_ERROR) offset_place(y, n, p->problem_offset, line, col);
    else dr_yaml_lines_place(lines, p->problem_mark.line, p->problem_mark.column, line, col);
}
