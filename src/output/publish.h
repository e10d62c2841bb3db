/* SPDX-License-Identifier: MIT
 *
 * publish.h - a set of output files replaces the previous set as a unit.
 *
 * A run writes three files and an experiment three more; renaming them
 * into place one after another would leave a mix of two runs if the
 * process were killed between two renames.  So the files are written into
 * a staging directory beside the output directory,
 *
 *     PARENT/.DIR.tmp-HOST-PID/
 *
 * and at commit that directory takes DIR's place in one step (Linux's
 * renameat2 RENAME_EXCHANGE; a plain rename when DIR does not exist yet).
 * Whenever the process dies, DIR holds the previous complete set, or the
 * new complete set, or (a first run) does not exist.  What DIR held
 * besides the set is kept: its files are hard-linked into the staging
 * directory before the exchange.  The old directory is then removed.
 *
 * A staging or old directory left by a killed process is removed by the
 * next publish into the same DIR: by one that holds DIR's lock (below),
 * every one there is stale; without it, once its process (named in the
 * directory's name, on this host) is gone.  Only what is the set's, what
 * was carried over (a file with another link) and known temporaries are
 * ever deleted; anything else keeps its directory, and the caller is told.
 *
 * docs/outputs.md describes this for users.  No state is kept between
 * calls beyond the handle.
 */
#ifndef HS_PUBLISH_H
#define HS_PUBLISH_H

#include <stddef.h>

struct hs_publish;
struct hs_publish_lock;

/* The output directory's lock, PARENT/.DIR.lock (flock), held by a run or
 * an experiment for its whole life so that a second one into the same
 * DIR is refused rather than taking the directory from under it.  The
 * kernel lets it go when the process dies, however it dies; the file is
 * removed when it is released and left (harmless, reused) by a killed
 * process.  Creates dir's parents.  what ("run", "experiment") goes into
 * the file for the message of a process refused.  HS_OK; HS_ESTATE when
 * another process holds it (err names dir, and the process when known);
 * HS_EIO / HS_ENOMEM with the reason in err.  On a file system without
 * locks the handle holds none and HS_OK is returned. */
int hs_publish_lock(const char *dir, const char *what, struct hs_publish_lock **out,
                    char *err, size_t errlen);
/* Release and free (NULL is allowed). */
void hs_publish_unlock(struct hs_publish_lock *l);

/* owned: the NULL-terminated names of DIR's entries that belong to the set
 * and are replaced or dropped with it: the set's files, and what goes
 * stale when they change (report.html, the experiment's .journal).  Their
 * temporaries (NAME.tmp..., .NAME.tmp...) are dropped too.  The list must
 * outlive the handle. */

/* Check that the set can be published into dir, before any work: dir is a
 * directory or absent, not the current directory or above it, and holds
 * no directory or special file that could not be carried over.  Removes
 * the stale staging directories: all of them when held is dir's lock,
 * else those of dead processes of this host.  HS_OK, or HS_EIO /
 * HS_ENOMEM with a one-line reason in err. */
int hs_publish_check(const char *dir, const char *const *owned,
                     const struct hs_publish_lock *held, char *err, size_t errlen);

/* hs_publish_check, then create the parents of dir and the staging
 * directory; the set's files are to be written into it by their final
 * names (hs_publish_path).  dir itself is not created until commit. */
int hs_publish_open(const char *dir, const char *const *owned,
                    const struct hs_publish_lock *held, struct hs_publish **out, char *err,
                    size_t errlen);

/* staging/name, or NULL when memory runs out; free it. */
char *hs_publish_path(const struct hs_publish *p, const char *name);

/* Flush the staged files to disk and put them in dir's place.  HS_OK, or
 * HS_EIO with the reason in err (dir is then as it was).  HS_OK with err
 * not empty is a warning: the old directory could not be removed whole
 * (err names it and why). */
int hs_publish_commit(struct hs_publish *p, char *err, size_t errlen);

/* Remove the staging directory unless committed, and free the handle
 * (NULL is allowed). */
void hs_publish_abort(struct hs_publish *p);

#endif
