/* SPDX-License-Identifier: MIT
 *
 * journal.c - the finished replications of an experiment, kept in
 * DIR/.journal so that a stopped experiment can resume.
 *
 *     DIR/.journal/lock              held (flock) while an experiment runs
 *     DIR/.journal/identity          the hash of every setting that decides
 *                                    the results
 *     DIR/.journal/p000001-r0000003.rec   point 1, replication 3 (record.c)
 *
 * Every file is written under a temporary name and renamed into place, so
 * a record is either complete or absent, whenever the process is killed;
 * temporaries left by a killed process are removed by the next one.  No
 * signal handler is needed: what is finished is already on disk.  The
 * lock keeps two experiments (or two unconnected copies of one, started by
 * the wrong mpiexec) from writing the same directory, and the identity
 * keeps a journal from being resumed by a different experiment.
 */
#include "experiment.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

struct hs_exp_journal {
    char *dir;      /* DIR/.journal */
    int lock;       /* its lock file, flock-ed */
};

#define JOURNAL ".journal"
/* A record file name: p<point>-r<replication>.rec */
#define RECNAME "p%06" PRIu32 "-r%07" PRIu32 ".rec"

uint64_t hs_exp_hash(uint64_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3u;
    }
    return h;
}

/* ---- files ------------------------------------------------------------- */

/* mkdir -p */
static int mkdirs(const char *path)
{
    char *p = strdup(path);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    struct stat st;
    if (rc == 0 && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))) {
        errno = ENOTDIR;
        rc = -1;
    }
    return rc;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", dir, name);
    return s;
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Write path atomically: a temporary beside it, flushed to disk, renamed.
 * 0, or -1 with errno. */
static int put_file(const char *path, const char *buf, size_t len)
{
    size_t n = strlen(path) + 5;
    char *tmp = malloc(n);
    if (!tmp) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(tmp, n, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    int rc = fd < 0 ? -1 : 0;
    if (rc == 0)
        rc = write_all(fd, buf, len) || fsync(fd) ? -1 : 0;
    int saved = errno;
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    errno = saved;
    return rc;
}

/* A whole small file; HS_ENOTFOUND if it does not exist. */
static int get_file(const char *path, char **buf, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? HS_ENOTFOUND : HS_EIO;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 28)) {
        close(fd);
        return HS_EPARSE;
    }
    size_t n = (size_t)st.st_size, got = 0;
    char *b = malloc(n + 1);
    if (!b) {
        close(fd);
        return HS_ENOMEM;
    }
    while (got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != n) {
        free(b);
        return HS_EIO;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return HS_OK;
}

/* ---- opening ----------------------------------------------------------- */

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

/* Is name a record file?  Its point and replication if so. */
static int record_name(const char *name, uint32_t *point, uint32_t *rep)
{
    unsigned long p = 0, r = 0;
    char again[64];
    if (sscanf(name, "p%8lu-r%8lu.rec", &p, &r) != 2 || p > UINT32_MAX || r > UINT32_MAX)
        return 0;
    /* only the names this file writes, exactly */
    snprintf(again, sizeof again, RECNAME, (uint32_t)p, (uint32_t)r);
    if (strcmp(again, name) != 0)
        return 0;
    *point = (uint32_t)p;
    *rep = (uint32_t)r;
    return 1;
}

/* Remove what a killed writer left (*.tmp), or with all set, everything
 * but the lock. */
static int sweep_dir(const char *dir, int all)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            !strcmp(e->d_name, "lock") || !(all || ends_with(e->d_name, ".tmp")))
            continue;
        char *p = join(dir, e->d_name);
        if (!p || unlink(p) != 0)
            rc = -1;
        free(p);
    }
    closedir(d);
    return rc;
}

static int take_lock(struct hs_exp_journal *j, const char *out, char *err, size_t errlen)
{
    char *path = join(j->dir, "lock");
    if (!path) {
        snprintf(err, errlen, "out of memory");
        return HS_ENOMEM;
    }
    j->lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    free(path);
    if (j->lock < 0) {
        snprintf(err, errlen, "cannot create %s/lock: %s", j->dir, strerror(errno));
        return HS_EIO;
    }
    if (flock(j->lock, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            snprintf(err, errlen, "another experiment is running in %s (its journal is "
                     "locked): wait for it to end, or give another --out", out);
            return HS_ESTATE;
        }
        snprintf(err, errlen, "cannot lock %s/lock: %s", j->dir, strerror(errno));
        return HS_EIO;
    }
    return HS_OK;
}

/* Count the records present, for the message about a foreign journal. */
static void count_one(void *ctx, uint32_t point, uint32_t rep)
{
    (void)point;
    (void)rep;
    ++*(size_t *)ctx;
}

/* Adopt the journal if it is this experiment's; start one if there is
 * none, or if it holds no finished replication (a journal without its
 * identity is the remains of a start that was killed at once, one of
 * another experiment with no record the remains of a failed start: they
 * hold nothing to keep). */
static int check_identity(struct hs_exp_journal *j, const char *out, uint64_t id,
                          char *err, size_t errlen)
{
    char want[64], *have = NULL, *path = join(j->dir, "identity");
    size_t len = 0;
    if (!path) {
        snprintf(err, errlen, "out of memory");
        return HS_ENOMEM;
    }
    snprintf(want, sizeof want, "hailsham experiment %016" PRIx64 "\n", id);
    int rc = get_file(path, &have, &len);
    size_t n = 0;
    if (rc == HS_OK && strcmp(have, want) != 0) {
        /* another experiment's journal with nothing finished in it (one
         * that failed or was stopped before its first replication ended)
         * holds nothing to keep: a corrected command takes its place */
        hs_exp_journal_scan(j, count_one, &n);
        if (n == 0)
            rc = HS_ENOTFOUND;
    }
    if (rc == HS_OK && strcmp(have, want) != 0) {
        snprintf(err, errlen, "%s holds the journal of another experiment (its scenario, "
                 "parameters, seed, sweep or replications differ), with %zu finished "
                 "replications: give another --out, or remove %s to discard them", out, n,
                 j->dir);
        rc = HS_ESTATE;
    } else if (rc == HS_ENOTFOUND || rc == HS_EPARSE) {
        rc = sweep_dir(j->dir, 1) != 0 || put_file(path, want, strlen(want)) != 0 ? HS_EIO
                                                                                : HS_OK;
        if (rc != HS_OK)
            snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
    } else if (rc != HS_OK) {
        snprintf(err, errlen, "cannot read %s", path);
    }
    free(have);
    free(path);
    return rc;
}

int hs_exp_journal_open(const char *dir, uint64_t id, struct hs_exp_journal **out,
                        char *err, size_t errlen)
{
    *out = NULL;
    struct hs_exp_journal *j = calloc(1, sizeof *j);
    if (!j || !(j->dir = join(dir, JOURNAL))) {
        free(j);
        snprintf(err, errlen, "out of memory");
        return HS_ENOMEM;
    }
    j->lock = -1;
    if (mkdirs(dir) != 0 || mkdirs(j->dir) != 0) {
        snprintf(err, errlen, "cannot create the directory %s: %s", j->dir, strerror(errno));
        hs_exp_journal_close(j);
        return HS_EIO;
    }
    int rc = take_lock(j, dir, err, errlen);
    if (rc == HS_OK)
        rc = check_identity(j, dir, id, err, errlen);
    if (rc == HS_OK && sweep_dir(j->dir, 0) != 0) {
        snprintf(err, errlen, "cannot clean %s: %s", j->dir, strerror(errno));
        rc = HS_EIO;
    }
    if (rc != HS_OK) {
        hs_exp_journal_close(j);
        return rc;
    }
    *out = j;
    return HS_OK;
}

/* ---- records ----------------------------------------------------------- */

static char *record_path(const struct hs_exp_journal *j, uint32_t point, uint32_t rep)
{
    char name[40];
    snprintf(name, sizeof name, RECNAME, point, rep);
    return join(j->dir, name);
}

int hs_exp_journal_put(struct hs_exp_journal *j, uint32_t point, uint32_t rep, const char *buf,
                       size_t len, char *err, size_t errlen)
{
    char *path = record_path(j, point, rep);
    if (!path) {
        snprintf(err, errlen, "out of memory");
        return HS_ENOMEM;
    }
    int rc = put_file(path, buf, len) == 0 ? HS_OK : HS_EIO;
    if (rc != HS_OK)
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
    free(path);
    return rc;
}

int hs_exp_journal_get(struct hs_exp_journal *j, uint32_t point, uint32_t rep, int want_years,
                       struct hs_exp_rec *r)
{
    char *path = record_path(j, point, rep), *buf = NULL;
    size_t len = 0;
    if (!path)
        return HS_ENOMEM;
    int rc = get_file(path, &buf, &len);
    free(path);
    if (rc != HS_OK)
        return rc;
    rc = hs_exp_rec_decode(buf, len, want_years, r);
    free(buf);
    if (rc == HS_OK && (r->point != point || r->rep != rep)) {
        hs_exp_rec_free(r);
        rc = HS_EPARSE;   /* a file renamed by hand */
    }
    return rc;
}

int hs_exp_journal_scan(struct hs_exp_journal *j,
                        void (*fn)(void *ctx, uint32_t point, uint32_t rep), void *ctx)
{
    DIR *d = opendir(j->dir);
    if (!d)
        return HS_EIO;
    uint32_t p, r;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (record_name(e->d_name, &p, &r))
            fn(ctx, p, r);
    closedir(d);
    return HS_OK;
}

int hs_exp_journal_remove(struct hs_exp_journal *j)
{
    int rc = sweep_dir(j->dir, 1);
    char *lock = join(j->dir, "lock");
    if (!lock || unlink(lock) != 0)
        rc = -1;
    free(lock);
    if (rc == 0 && rmdir(j->dir) != 0)
        rc = -1;
    hs_exp_journal_close(j);
    return rc == 0 ? HS_OK : HS_EIO;
}

void hs_exp_journal_close(struct hs_exp_journal *j)
{
    if (!j)
        return;
    if (j->lock >= 0)
        close(j->lock);
    free(j->dir);
    free(j);
}
