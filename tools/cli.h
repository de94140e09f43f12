/* What the subcommands of the docrules command share. */
#ifndef DR_CLI_H
#define DR_CLI_H

#include <stddef.h>

#include "../common/clock.h"

/* Exit statuses from the contract. */
/* 3: check decided one of the decisions that fail it (error, and those
 * --fail-on names), so that a script can act on the exit status alone. */
enum { DR_EXIT_OK = 0, DR_EXIT_FINDINGS = 1, DR_EXIT_USAGE = 2, DR_EXIT_DECISION = 3 };

/* -j at most: each worker holds an engine or a parser and a thread, and
 * a bound keeps a typo (-j 20000) from taking the machine's memory. */
#define DR_CLI_MAX_JOBS 1024
/* --max-memory at most, in MiB (1 TiB): a Lua state's cap, and bytes
 * counted in a size_t without overflow. */
#define DR_CLI_MAX_MEMORY_MB (1L << 20)

typedef struct dr_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis;
    const char *options; /* every option, a line each, for COMMAND --help */
} dr_cmd;

int dr_cmd_extract(int argc, char **argv);
int dr_cmd_facts(int argc, char **argv);
int dr_cmd_check(int argc, char **argv);
int dr_cmd_batch(int argc, char **argv);
int dr_cmd_test(int argc, char **argv);
int dr_cmd_validate(int argc, char **argv);
int dr_cmd_serve(int argc, char **argv);
int dr_cmd_log(int argc, char **argv);
int dr_cmd_build(int argc, char **argv);


/* "docrules: message" on stderr. */
void dr_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "docrules: FILE:LINE:COL: message" on stderr, for an error of the public
 * library (what is unknown left out, as for the modules' errors). */
struct docrules_error;
void dr_cli_api_error(const struct docrules_error *e);
/* The same line appended to b: for a worker thread, whose errors the
 * thread that writes the output says in the input's order (tools/jobs.h). */
struct docrules_buf;
void dr_cli_api_error_put(struct docrules_buf *b, const struct docrules_error *e);
/* Prints the usage error and returns DR_EXIT_USAGE. */
int dr_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Markdown files under each path (a file is taken as is), sorted, without
 * following symlinks so a link loop cannot trap the walk. */
typedef struct dr_filelist {
    char **paths;
    size_t n, cap;
    size_t unreadable;  /* directories or files that could not be read */
} dr_filelist;
/* Adds the .md files under path (common/walk.h); DR_OK, or DR_EIO when path
 * cannot be read (said on stderr). */
int dr_filelist_collect(dr_filelist *fl, const char *path);
void dr_filelist_sort(dr_filelist *fl);
void dr_filelist_free(dr_filelist *fl);

/* The folder of the running binary (/proc/self/exe's) in dir: 0, or -1. */
int dr_exe_dir(char *dir, size_t size);
/* Where an installed binary's folder (PREFIX/bin, PREFIX/libexec/docrules)
 * ends its PREFIX: PREFIX's length, or 0 for a folder that is neither. The
 * install can be moved: data and helpers are found from it. */
size_t dr_install_prefix(const char *dir);

/* Peak resident set size of this process, in KiB. */
long dr_peak_rss_kib(void);

#endif
