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

/* Whether [ ] and { } nest more than max deep in the n bytes at y (quoted
 * runs and comments passed over); *line is then the line, from 0, where
 * the nesting passed max. */
int dr_yaml_flow_too_deep(const char *y, size_t n, int max, int *line);

/* Where a libyaml mark (its line and column, from 0) is in the n bytes at
 * y, as lines end in the file: libyaml also ends a line at NEL, LS and PS
 * (YAML 1.1), the file only at LF, CRLF and CR, so a title holding U+2028
 * put every later key a line low. *line from 0; *col from 1, in
 * characters, as libyaml counts them. */
void dr_yaml_place(const char *y, size_t n, size_t mark_line, size_t mark_column, int *line, int *col);

#endif
