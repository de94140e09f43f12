/* The error every fallible function fills: what went wrong and where, in the
 * input the user gave (file, 1-based line and column), never in our code. */
#ifndef DR_ERROR_H
#define DR_ERROR_H

/* 0 or a negative code, everywhere: the public header's DOCRULES_E*
 * are these. */
enum {
    DR_OK = 0,
    DR_EIO = -1,     /* a file could not be read or written */
    DR_EPARSE = -2,  /* input is not in the form it must be */
    DR_EUSAGE = -3,  /* the caller asked for something that makes no sense */
    DR_ELIMIT = -4,  /* a configured limit stopped the work */
    DR_ERULE = -5    /* a rule script failed */
};

typedef struct dr_error {
    int code;
    char file[512];
    int line, col;  /* 0 when unknown */
    char message[1024];
} dr_error;

/* Fills *e (when e is not NULL) and returns code, so callers can write
 * `return dr_error_set(e, DR_EIO, path, 0, 0, "...")`. */
int dr_error_set(dr_error *e, int code, const char *file, int line, int col,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void dr_error_clear(dr_error *e);
/* "FILE:LINE:COL: message", omitting what is unknown. */
const char *dr_error_format(const dr_error *e, char *buf, unsigned size);

#endif
