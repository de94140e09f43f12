/* What the project reads of YAML text itself, beside libyaml: a check
 * before libyaml reads it, and where libyaml's marks are in the file.
 *
 * libyaml's scanner keeps
 * every open flow level's simple keys and walks them for each token, so
 * deep [ and { take time growing with the square of their depth (100,000
 * nested [ took 29 s in front matter, 20 s in a configuration). Both
 * readers refuse such text first. */
#ifndef DR_YAML_TEXT_H
#define DR_YAML_TEXT_H

#include <stddef.h>
#include <yaml.h>

/* Whether [ ] and { } nest more than max deep in the n bytes at y (quoted
 * runs and comments passed over); *line is then the line, from 0, where
 * the nesting passed max. */
int dr_yaml_flow_too_deep(const char *y, size_t n, int max, int *line);

/* Where libyaml's lines start in a text, as lines end in the file:
 * libyaml also ends a line at NEL, LS and PS (YAML 1.1), the file only at
 * LF, CRLF and CR, so a title holding U+2028 put every later key a line
 * low. Made once per text (a front matter has thousands of marks to
 * place), then each mark is a lookup. */
typedef struct dr_yaml_lines {
    size_t n;   /* libyaml's lines */
    int *phys;  /* the file's line, from 0, each starts on */
    int *chars; /* the characters before it on that file line */
} dr_yaml_lines;

void dr_yaml_lines_make(dr_yaml_lines *l, const char *y, size_t n);
/* A mark's line (from 0) and column (from 1, in characters, as libyaml
 * counts them, a byte order mark not counted) in the file. */
void dr_yaml_lines_place(const dr_yaml_lines *l, size_t mark_line, size_t mark_column, int *line, int *col);
void dr_yaml_lines_free(dr_yaml_lines *l);
/* Where the parser that failed on the n bytes at y (lines: their table)
 * found its problem: its mark, or for a character its reader refuses (a
 * control character, bad UTF-8) the offset, since the mark is the
 * scanner's and has not moved. Line from 0, column from 1. */
void dr_yaml_problem_place(const dr_yaml_lines *lines, const char *y, size_t n, const yaml_parser_t *p, int *line,
                           int *col);

#endif
