/* A decision for a person: what, why (doc:line), what to do, money, dates. */
#include "render.h"

#include <stdlib.h>
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
    /* What the account holds that its product does not declare: a
     * person reading the text must see it as a program reading JSON does. */
    json_t *w = json_object_get(d, "warnings");
    if (json_array_size(w)) {
        fprintf(out, "  warnings:\n");
        for (size_t i = 0; i < json_array_size(w); i++) fprintf(out, "    - %s\n", json_string_value(json_array_get(w, i)));
    }
    if (s(d, "as_of")) fprintf(out, "  policy in force on %s, revision %s\n", s(d, "as_of"), s(d, "revision") ? s(d, "revision") : "?");
}

static void value_text(json_t *v, char *buf, size_t size) {
    if (json_is_integer(v)) snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    else if (json_is_true(v)) snprintf(buf, size, "yes");
    else if (json_is_array(v)) {
        size_t n = 0, i;
        json_t *x;
        buf[0] = '\0';
        json_array_foreach(v, i, x) {
            if (n >= size) break;
            n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", json_is_string(x) ? json_string_value(x) : "?");
        }
    } else {
        char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        snprintf(buf, size, "%s", t ? t : "?");
        free(t);
    }
}

/* One value a condition compared, as JSON would write it (a string
 * quoted, a list in brackets: "25" and 25 read apart), or "absent". */
static void compared_value(FILE *out, json_t *v) {
    if (!v || json_is_null(v)) {
        fputs("absent", out);
        return;
    }
    char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    fputs(t ? t : "?", out);
    free(t);
}

/* On the condition's line, what it compared: "  (assigned_licenses = 30,
 * f.online_cancel_max_licenses = 25)", the values that made it false or
 * true beside it. */
static void compared(FILE *out, json_t *list) {
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) {
        fprintf(out, "%s%s = ", i ? ", " : "  (", s(c, "path") ? s(c, "path") : "?");
        compared_value(out, json_object_get(c, "value"));
        if (json_is_true(json_object_get(c, "truncated"))) fputs(" (cut short)", out);
    }
    if (json_array_size(list)) fputc(')', out);
}

void dr_render_explain(FILE *out, json_t *explain) {
    fputs("  explain (the rules in the order tried):\n", out);
    size_t i;
    json_t *e;
    json_array_foreach(explain, i, e) {
        const char *rule = s(e, "rule"), *at = s(e, "at");
        json_t *held = json_object_get(e, "held"), *missing = json_object_get(e, "missing_facts"),
               *inputs = json_object_get(e, "missing_inputs");
        const char *verdict = !json_is_true(json_object_get(e, "considered"))
                                  ? (s(e, "skipped_for") ? "not run for this decision" : "not tried: a fact it rests on is not stated")
                              : inputs ? "needs input"
                              : json_is_true(held) ? "HELD" : "did not hold";
        fprintf(out, "    %s  (%s)  %s\n", rule ? rule : "?", at ? at : "?", verdict);
        size_t k;
        json_t *x;
        json_array_foreach(missing, k, x) fprintf(out, "      no fact %s on this day\n", json_string_value(x));
        json_array_foreach(inputs, k, x) fprintf(out, "      the account lacks %s\n", json_string_value(x));
        json_array_foreach(json_object_get(e, "conditions"), k, x) {
            fprintf(out, "      %s %s", json_is_true(json_object_get(x, "held")) ? "[true] " : "[false]", s(x, "condition"));
            compared(out, json_object_get(x, "compared"));
            fputc('\n', out);
        }
        json_array_foreach(json_object_get(e, "facts"), k, x) {
            char v[160];
            value_text(json_object_get(x, "value"), v, sizeof v);
            fprintf(out, "      %s = %s   %s:%lld\n", s(x, "fact"), v, s(x, "doc"),
                    (long long)json_integer_value(json_object_get(x, "line")));
        }
    }
}
