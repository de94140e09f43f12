/* The document model as the contract's JSON (docrules extract). */
#ifndef DR_DOC_JSON_H
#define DR_DOC_JSON_H

#include <jansson.h>

#include "doc.h"

/* A new reference the caller owns (json_decref). */
json_t *dr_doc_to_json(const dr_doc *d);
json_t *dr_fm_to_json(const dr_fm_value *v);

#endif
