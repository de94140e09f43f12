#ifndef DR_RENDER_H
#define DR_RENDER_H

#include <jansson.h>
#include <stdio.h>

/* The text form of check: one decision for a person to read. */
void dr_render_decision(FILE *out, json_t *decision);

#endif
