/* bundle/inputs.c: the input files of a rule set, for the cache. */
#ifndef DR_BUNDLE_INPUTS_H
#define DR_BUNDLE_INPUTS_H

#include "bundle.h"

/* Walks what the loaders read: rules_dir's scripts (not tests/ nor
 * lexicons/), rules_dir/lexicons (the folder, and its scripts), and every
 * corpus path's .md; with hash, reads each file and hashes it. DR_EIO when
 * a root cannot be walked or a file read (a load would fail too). */
int dr_inputs_walk(const char *rules_dir, const char *const *corpus, size_t ncorpus, int hash, dr_inputs *out,
                   dr_error *err);
/* Whether the files walked now are those recorded: the same paths and
 * kinds, and each file's bytes (read only when its stat differs, or was
 * racy). Fills each of now's hashes from was; *touched when some file's
 * stat changed but not its bytes (the record is worth writing again); why
 * says what changed. */
int dr_inputs_same(const dr_inputs *was, dr_inputs *now, int *touched, char *why, size_t size);
/* Whether the recorded files are unchanged, without listing a folder:
 * each entry stat'ed again, a file whose stat differs (or was racy)
 * hashed. _start begins on a helper thread (for a list long enough to be
 * worth one), so the caller can do other work meanwhile; _finish takes
 * the caller's thread into what is left, waits for the helper, and frees
 * r. was's bytes must stay until then: its records are read where they lie. 1: unchanged (*touched: some stat changed, no bytes); 0: a file
 * changed (why says which); -1: a folder's entries may have changed, which
 * only a walk tells (dr_inputs_walk, dr_inputs_same). When unchanged and
 * *touched, now gets was's entries with their stats now, its paths was's
 * (dr_inputs_free it before was goes); else it is left empty. times
 * says how many entries each thread stat'ed and in how long. */
typedef struct dr_restat dr_restat;
dr_restat *dr_inputs_restat_start(const dr_inputs_raw *was);
int dr_inputs_restat_finish(dr_restat *r, dr_inputs *now, int *touched, char *why, size_t size, char *times,
                            size_t tsize);
/* Stops it, waits for the helper and frees r: for a bundle found unfit
 * while its files were being looked at (was's bytes may go after this). */
void dr_inputs_restat_cancel(dr_restat *r);
/* FNV-1a 64 of a file's bytes (common/hash.h). */
int dr_inputs_hash_file(const char *path, uint64_t *h);

#endif
