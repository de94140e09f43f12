#include "yaml_depth.h"

int dr_yaml_flow_too_deep(const char *y, size_t n, int max, int *line) {
    int depth = 0, ln = 0;
    char q = 0;
    for (size_t i = 0; i < n; i++) {
        char c = y[i];
        if (c == '\n') ln++;
        if (q) {
            if (c == q) q = 0;
            else if (c == '\n' && q == '#') q = 0;
            continue;
        }
        if (c == '"' || c == '\'') q = c;
        else if (c == '#' && (i == 0 || y[i - 1] == ' ' || y[i - 1] == '\t' || y[i - 1] == '\n')) q = '#';
        else if (c == '[' || c == '{') {
            if (++depth > max) {
                *line = ln;
                return 1;
            }
        } else if ((c == ']' || c == '}') && depth > 0) depth--;
    }
    return 0;
}
