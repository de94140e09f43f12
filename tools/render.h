#ifndef DR_RENDER_H
#define DR_RENDER_H

#include <jansson.h>
#include <stdio.h>

/* The text form of check: one decision for a person to read. */
void dr_render_decision(FILE *out, json_t *decision);
/* --explain as a tree: each rule tried, each condition and whether it
 * held, the facts it rests on with their values and doc lines. */
void dr_render_explain(FILE *out, json_t *explain);

#endif
