/* A check of YAML text before libyaml reads it. libyaml's scanner keeps
 * every open flow level's simple keys and walks them for each token, so
 * deep [ and { take time growing with the square of their depth (100,000
 * nested [ took 29 s in front matter, 20 s in a configuration). Both
 * readers refuse such text first. */
#ifndef DR_YAML_DEPTH_H
#define DR_YAML_DEPTH_H

#include <stddef.h>

/* Whether [ ] and { } nest more than max deep in the n bytes at y (quoted
 * runs and comments passed over); *line is then the line, from 0, where
 * the nesting passed max. */
int dr_yaml_flow_too_deep(const char *y, size_t n, int max, int *line);

#endif
