/* Comma-separated lists of names, as options give them: --fields
 * id,decision or --fail-on deny,escalate. */
#ifndef DR_LIST_H
#define DR_LIST_H

/* Whether name is one of the list's (NULL: a list of every name). */
int dr_list_has(const char *list, const char *name);

#endif
