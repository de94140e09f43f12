/* A decision for a person: what, why (doc:line), what to do, money, dates. */
#include "render.h"

#include <string.h>

static const char *s(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void list(FILE *out, const char *label, json_t *a) {
    if (!json_is_array(a) || !json_array_size(a)) return;
    fprintf(out, "  %s: ", label);
    for (size_t i = 0; i < json_array_size(a); i++)
        fprintf(out, "%s%s", i ? ", " : "", json_string_value(json_array_get(a, i)));
    fputc('\n', out);
}

void dr_render_decision(FILE *out, json_t *d) {
    fprintf(out, "%s: %s", s(d, "id") ? s(d, "id") : "?", s(d, "decision") ? s(d, "decision") : "?");
    if (s(d, "action")) fprintf(out, " (%s)", s(d, "action"));
    fputc('\n', out);
    if (s(d, "error")) fprintf(out, "  error: %s\n", s(d, "error"));
    list(out, "through", json_object_get(d, "channels"));
    list(out, "who may", json_object_get(d, "required_roles"));
    json_t *r = json_object_get(d, "reasons");
    if (json_array_size(r)) fprintf(out, "  why:\n");
    for (size_t i = 0; i < json_array_size(r); i++) {
        json_t *x = json_array_get(r, i), *src = json_object_get(x, "source");
        fprintf(out, "    - %s\n", s(x, "message") ? s(x, "message") : "");
        if (src) {
            json_t *v = json_object_get(src, "value");
            char val[64] = "";
            if (json_is_integer(v)) snprintf(val, sizeof val, " = %lld", (long long)json_integer_value(v));
            fprintf(out, "      %s:%lld (%s%s, %s)\n", s(src, "doc"),
                    (long long)json_integer_value(json_object_get(src, "line")), s(src, "fact"), val,
                    s(src, "version") ? s(src, "version") : "undated");
        }
    }
    json_t *rem = json_object_get(d, "remedies");
    if (json_array_size(rem)) fprintf(out, "  to change it:\n");
    for (size_t i = 0; i < json_array_size(rem); i++) {
        json_t *x = json_array_get(rem, i);
        json_t *c = json_object_get(x, "count");
        if (c) fprintf(out, "    - %s: %lld\n", s(x, "id"), (long long)json_integer_value(c));
        else fprintf(out, "    - %s\n", s(x, "id"));
    }
    json_t *st = json_object_get(d, "steps");
    if (json_array_size(st) && s(d, "locale_asked"))
        fprintf(out, "  steps (in %s: none in %s):\n", s(d, "locale_used"), s(d, "locale_asked"));
    else if (json_array_size(st)) fprintf(out, "  steps:\n");
    for (size_t i = 0; i < json_array_size(st); i++) {
        json_t *x = json_array_get(st, i), *src = json_object_get(x, "source");
        fprintf(out, "    %zu. %s\n       (%s:%lld)\n", i + 1, s(x, "text"), s(src, "doc"),
                (long long)json_integer_value(json_object_get(src, "line")));
    }
    list(out, "still to do", json_object_get(d, "remaining"));
    json_t *x;
    if ((x = json_object_get(d, "refund")))
        fprintf(out, "  refund: %s %s (%s)\n", s(x, "amount"), s(x, "currency"), s(x, "when"));
    if ((x = json_object_get(d, "support_plan")))
        fprintf(out, "  support plan: %lld more monthly charges, %s %s, term ends %s\n",
                (long long)json_integer_value(json_object_get(x, "remaining_charges")), s(x, "amount"),
                s(x, "currency"), s(x, "term_end"));
    if ((x = json_object_get(d, "data_retention")))
        fprintf(out, "  data kept %lld days, deleted after %s\n",
                (long long)json_integer_value(json_object_get(x, "days")), s(x, "delete_after"));
    if ((x = json_object_get(d, "reactivation"))) {
        fprintf(out, "  reactivation:");
        json_t *c = json_object_get(x, "channels");
        for (size_t i = 0; i < json_array_size(c); i++)
            fprintf(out, " %s", json_string_value(json_array_get(c, i)));
        if (s(x, "until")) fprintf(out, " until %s", s(x, "until"));
        fputc('\n', out);
    }
    if (s(d, "as_of")) fprintf(out, "  policy in force on %s, revision %s\n", s(d, "as_of"), s(d, "revision") ? s(d, "revision") : "?");
}
