/* Answers: JSON bodies, errors as {"error": MSG}, and a request's query
 * parameters read as the command line's options are. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/batchline.h"
#include "../common/dates.h"
#include "../common/list.h"
#include "internal.h"

static void dr_http_closing(const dr_req *r, struct MHD_Response *resp) {
    /* Once SIGTERM came, a kept-alive connection is closed after its
     * answer, so that the server drains rather than waits for idle ones:
     * during --drain too, so that a client's next request opens a new
     * connection, which a balancer sends to an instance still healthy,
     * and few idle ones are left to cut when the drain ends. */
    if (atomic_load(&r->s->draining) || atomic_load(&r->s->stopping))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
}

enum MHD_Result dr_http_send(struct MHD_Connection *c, dr_req *r, unsigned status, struct MHD_Response *resp,
                             const char *content_type) {
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    if (status == MHD_HTTP_UNAUTHORIZED) MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED && r->allow) MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
    dr_http_closing(r, resp);
    enum MHD_Result ret = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    r->status = status;
    r->answered = 1;
    return ret;
}

enum MHD_Result dr_http_json(struct MHD_Connection *c, dr_req *r, unsigned status, const char *body, size_t len) {
    /* MHD copies the bytes: the caller's buffer may go at once. */
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    return dr_http_send(c, r, status, resp, "application/json");
}

enum MHD_Result dr_http_error(struct MHD_Connection *c, dr_req *r, unsigned status, const char *fmt, ...) {
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    docrules_buf body = DOCRULES_BUF_INIT;
    dr_error_json(&body, 0, 0, msg);
    enum MHD_Result ret = dr_http_json(c, r, status, body.ptr, body.size);
    docrules_buf_dispose(&body);
    return ret;
}

typedef struct unknown {
    const char *const *known;
    char name[128];
    const char *why;        /* what is wrong with name, or NULL */
    unsigned char seen[32]; /* per known name */
} unknown;

/* Each parameter of the query, as sent (with its length: %00 makes a NUL
 * that strlen would stop at, and "action%00junk" read as "action"). */
static enum MHD_Result see_param(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                 const char *value, size_t value_size) {
    (void)kind;
    unknown *u = cls;
    if (key_size == 0 && !value) return MHD_YES; /* a stray '&' (?&a=1, ?a=1&): nothing given */
    snprintf(u->name, sizeof u->name, "%s", key);
    if (strlen(key) != key_size || (value && strlen(value) != value_size)) {
        u->why = "holds a NUL byte (%00)";
        return MHD_NO;
    }
    for (size_t i = 0; u->known[i]; i++)
        if (strcmp(u->known[i], key) == 0) {
            /* libmicrohttpd's lookup gives the first of a name given
             * twice: the second would go unread without a word. */
            if (i < sizeof u->seen && u->seen[i]++) {
                u->why = "is given twice: give it once";
                return MHD_NO;
            }
            return MHD_YES;
        }
    u->why = "unknown"; /* an empty name too: "?=x" once ended the check unseen */
    return MHD_NO;
}

int dr_http_unknown_param(struct MHD_Connection *c, dr_req *r, const char *const *known) {
    unknown u = {known, "", NULL, {0}};
    MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, see_param, &u);
    if (!u.why) return 0;
    if (strcmp(u.why, "unknown") != 0) {
        dr_http_error(c, r, MHD_HTTP_BAD_REQUEST, "parameter '%s' %s", u.name, u.why);
        return 1;
    }
    char list[256];
    dr_list_said(known, (size_t)-1, ", ", "", list, sizeof list);
    dr_http_error(c, r, MHD_HTTP_BAD_REQUEST, "unknown parameter '%s' (%s)", u.name, list[0] ? list : "none");
    return 1;
}

/* Parameter name: 1 with its value, "" for a name with no '=' (?strict),
 * which libmicrohttpd's plain lookup cannot tell from an absent one. */
static int param(struct MHD_Connection *c, const char *name, const char **v) {
    const char *value = NULL;
    if (MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, name, strlen(name), &value, NULL) != MHD_YES)
        return 0;
    *v = value ? value : "";
    return 1;
}

/* A yes/no parameter: absent keeps dflt; "", 1 and true are yes, 0 and
 * false no; -1 for anything else. */
static int flag(struct MHD_Connection *c, const char *name, int dflt) {
    const char *v;
    if (!param(c, name, &v)) return dflt;
    if (!*v || strcmp(v, "1") == 0 || strcmp(v, "true") == 0) return 1;
    if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0) return 0;
    return -1;
}

int dr_http_query(struct MHD_Connection *c, dr_req *r, docrules_engine *e, const docrules_query *base,
                  docrules_query *q, enum MHD_Result *ret) {
    *q = *base;
    const char *v;
    if (param(c, "action", &v)) q->action = v;
    if (param(c, "as_of", &v)) q->as_of = v;
    if (param(c, "locale", &v)) q->locale = v;
    if (param(c, "fields", &v)) q->fields = v;
    q->explain = flag(c, "explain", base->explain);
    q->strict = flag(c, "strict", base->strict);
    if (q->explain < 0 || q->strict < 0) {
        *ret = dr_http_error(c, r, MHD_HTTP_BAD_REQUEST, "%s is true or false (1 or 0)", q->explain < 0 ? "explain" : "strict");
        return 1;
    }
    long day;
    if (q->as_of && dr_date_from_iso(q->as_of, &day) != DR_OK) {
        /* The command line's message, with the parameter's name. */
        *ret = dr_http_error(c, r, MHD_HTTP_BAD_REQUEST, "as_of wants a date YYYY-MM-DD, not '%s'", q->as_of);
        return 1;
    }
    docrules_error err;
    if (docrules_query_check(e, q, &err) < 0) {
        /* The library names the parameter as the request does ("action is
         * cancel-subscription or ..., not 'x'"); the command line puts
         * "--" before the same words. */
        *ret = dr_http_error(c, r, MHD_HTTP_BAD_REQUEST, "%s", err.message);
        return 1;
    }
    return 0;
}
