/* SPDX-License-Identifier: MIT
 *
 * publish.c - a set of output files replaces the previous set as a unit
 * (publish.h says how and why).
 *
 * Everything here works on real paths (symbolic links resolved) so that
 * the staging directory is a sibling of the directory it replaces, on the
 * same file system, and a symbolic link given as the output directory is
 * followed rather than replaced.  Directories are read with the *at()
 * calls relative to an open descriptor, so nothing is followed out of the
 * directory being cleaned.
 */
#define _GNU_SOURCE   /* renameat2 and RENAME_EXCHANGE (glibc 2.28) */

#include "publish.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hailsham/status.h>

struct hs_publish {
    const char *const *owned;
    int locked;       /* the caller holds the output directory's lock */
    char *dir;        /* real path of the output directory (it may not exist) */
    char *parent;     /* real path of its parent */
    char *base;       /* its last component */
    char *staging;    /* parent/.base.tmp-HOST-PID */
    int committed;
};

/* A directory is read again until a pass removes nothing: entries
 * removed while a directory is being read may make readdir skip others. */
#define PASSES 4

/* ---- small helpers ------------------------------------------------------ */

#if defined(__GNUC__) || defined(__clang__)
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
#endif

static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s) {
        va_start(ap, f);
        vsnprintf(s, (size_t)n + 1, f, ap);
        va_end(ap);
    }
    return s;
}

static int dots(const char *name)
{
    return !strcmp(name, ".") || !strcmp(name, "..");
}

/* This host's name as it goes into a staging directory's name: a process
 * id only means something on the host that gave it (an output directory
 * may be on a file system shared by a cluster). */
static void host_tag(char *buf, size_t n)
{
    char h[256];
    size_t k = 0;
    if (gethostname(h, sizeof h) != 0)
        h[0] = '\0';
    h[sizeof h - 1] = '\0';
    for (const char *c = h; *c && k + 1 < n && k < 64; c++) {
        int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                 (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-';
        buf[k++] = ok ? *c : '_';
    }
    if (k == 0 && n > 4)
        k = (size_t)snprintf(buf, n, "host");
    buf[k] = '\0';
}

/* name is one of owned, or a temporary of one: NAME.tmp... (report.c's)
 * or .NAME.tmp... (what earlier versions left beside their files). */
static int is_owned(const char *const *owned, const char *name)
{
    for (size_t i = 0; owned[i]; i++) {
        size_t n = strlen(owned[i]);
        if (!strcmp(name, owned[i]))
            return 1;
        if (!strncmp(name, owned[i], n) && !strncmp(name + n, ".tmp", 4))
            return 1;
        if (name[0] == '.' && !strncmp(name + 1, owned[i], n) && !strncmp(name + 1 + n, ".tmp", 4))
            return 1;
    }
    return 0;
}

/* ---- removing what a process left ---------------------------------------- */

/* Remove every file of directory name (in pfd) and then it: for a
 * directory that is wholly the set's, such as the experiment's journal.
 * 0 when it is gone; a directory inside keeps it. */
static int remove_flat(int pfd, const char *name)
{
    int fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    DIR *d = fdopendir(fd);
    if (d == NULL) {
        close(fd);
        return -1;
    }
    for (int pass = 0, removed = 1; pass < PASSES && removed; pass++) {
        removed = 0;
        rewinddir(d);
        for (struct dirent *e; (e = readdir(d)) != NULL;)
            if (!dots(e->d_name) && unlinkat(fd, e->d_name, 0) == 0)
                removed = 1;
    }
    closedir(d);
    return unlinkat(pfd, name, AT_REMOVEDIR);
}

/* Remove a staging or old directory: the set's entries, files carried
 * over (they have another link, in the output directory) and known
 * temporaries.  Anything else is kept, and with it the directory: 0 when
 * it is gone, else -1 with the reason in why. */
static int remove_stale(int pfd, const char *name, const char *const *owned, char *why,
                        size_t whylen)
{
    int fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    DIR *d = fdopendir(fd);
    if (d == NULL) {
        snprintf(why, whylen, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    for (int pass = 0, removed = 1; pass < PASSES && removed; pass++) {
        removed = 0;
        rewinddir(d);
        for (struct dirent *e; (e = readdir(d)) != NULL;) {
            struct stat st;
            if (dots(e->d_name) || fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
                continue;
            int mine = is_owned(owned, e->d_name);
            if (S_ISDIR(st.st_mode))
                removed |= mine && remove_flat(fd, e->d_name) == 0;
            else
                removed |= (mine || st.st_nlink > 1) && unlinkat(fd, e->d_name, 0) == 0;
        }
    }
    /* what is left, if anything, names the reason */
    why[0] = '\0';
    rewinddir(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (!dots(e->d_name)) {
            snprintf(why, whylen, "it holds %s, which is not an output", e->d_name);
            break;
        }
    closedir(d);
    if (why[0])
        return -1;
    if (unlinkat(pfd, name, AT_REMOVEDIR) != 0) {
        snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    return 0;
}

/* The staging and old directories of base, in its parent pfd, whose
 * process has ended: .base.tmp-HOST-PID and .base.old-HOST-PID.  With the
 * output directory's lock held (locked), every one is: a process writing
 * into the directory holds the lock for its whole life, whatever its host
 * or process id (a process id may have been given again since, in a
 * container or after a reboot, and another host's cannot be asked). */
static int is_stale(const char *name, const char *base, const char *host, int locked)
{
    size_t b = strlen(base), h = strlen(host);
    if (name[0] != '.' || strncmp(name + 1, base, b) != 0 ||
        (strncmp(name + 1 + b, ".tmp-", 5) != 0 && strncmp(name + 1 + b, ".old-", 5) != 0))
        return 0;
    if (locked)
        return 1;
    const char *rest = name + 1 + b + 5;
    if (strncmp(rest, host, h) != 0 || rest[h] != '-')
        return 0;   /* another host's: its process cannot be asked */
    const char *digits = rest + h + 1;
    char *end = NULL;
    errno = 0;
    long pid = strtol(digits, &end, 10);
    if (digits[0] < '0' || digits[0] > '9' || *end != '\0' || errno != 0 || pid <= 0 ||
        pid > INT_MAX)
        return 0;
    if ((pid_t)pid == getpid())
        return 1;   /* an earlier process that had this id: this one has made none yet */
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

static void clean_parent(const struct hs_publish *p)
{
    char host[80], why[320];
    host_tag(host, sizeof host);
    int fd = open(p->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    DIR *d = fdopendir(fd);
    if (d == NULL) {
        close(fd);
        return;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (is_stale(e->d_name, p->base, host, p->locked))
            (void)remove_stale(fd, e->d_name, p->owned, why, sizeof why);   /* kept: told when it was left */
    closedir(d);
}

/* ---- where ------------------------------------------------------------- */

/* mkdir -p; 0 or -1 with errno. */
static int mkdirs(const char *path)
{
    char *s = strdup(path);
    if (s == NULL)
        return -1;
    for (char *c = s + 1; *c; c++) {
        if (*c != '/')
            continue;
        *c = '\0';
        if (mkdir(s, 0777) != 0 && errno != EEXIST) {
            free(s);
            return -1;
        }
        *c = '/';
    }
    int rc = mkdir(s, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(s);
    struct stat st;
    if (rc == 0 && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))) {
        errno = ENOTDIR;
        rc = -1;
    }
    return rc;
}

/* Split the real path real into parent and base. */
static int split(struct hs_publish *p, const char *real)
{
    const char *slash = strrchr(real, '/');
    p->dir = strdup(real);
    p->parent = slash == real ? strdup("/") : strndup(real, (size_t)(slash - real));
    p->base = strdup(slash + 1);
    return p->dir && p->parent && p->base ? 0 : -1;
}

/* Fill p's paths from dir as given.  When the directory does not exist,
 * its parents are created if create is set; without them there is
 * nothing to check (*none is set). */
static int resolve(struct hs_publish *p, const char *dir, int create, int *none, char *err,
                   size_t errlen)
{
    size_t n = strlen(dir);
    struct stat st;
    *none = 0;
    while (n > 1 && dir[n - 1] == '/')
        n--;
    char *given = strndup(dir, n), *real = NULL;
    if (given == NULL)
        goto nomem;
    int rc = HS_EIO;
    if (lstat(given, &st) == 0) {
        real = realpath(given, NULL);
        if (real == NULL || stat(real, &st) != 0) {
            snprintf(err, errlen, "cannot create output directory %s: %s", dir, strerror(errno));
        } else if (!S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "cannot create output directory %s: it exists and is not a "
                     "directory", dir);
        } else if (strcmp(real, "/") == 0) {
            snprintf(err, errlen, "the output directory cannot be /");
        } else {
            rc = split(p, real) == 0 ? HS_OK : HS_ENOMEM;
        }
    } else if (errno != ENOENT) {
        snprintf(err, errlen, "cannot create output directory %s: %s", dir, strerror(errno));
    } else {
        char *slash = strrchr(given, '/');
        const char *base = slash ? slash + 1 : given;
        char *parent = slash == given ? strdup("/") : slash ? strndup(given, (size_t)(slash - given))
                                                            : strdup(".");
        if (parent == NULL) {
            free(given);
            goto nomem;
        }
        if (dots(base)) {
            snprintf(err, errlen, "cannot create output directory %s: give it by name", dir);
        } else if (create && mkdirs(parent) != 0) {
            snprintf(err, errlen, "cannot create output directory %s: %s", dir, strerror(errno));
        } else if ((real = realpath(parent, NULL)) == NULL) {
            if (!create && errno == ENOENT) {
                *none = 1;   /* nothing there to check or clean */
                rc = HS_OK;
            } else {
                snprintf(err, errlen, "cannot create output directory %s: %s", dir,
                         strerror(errno));
            }
        } else {
            char *full = fmt("%s/%s", strcmp(real, "/") ? real : "", base);
            rc = full && split(p, full) == 0 ? HS_OK : HS_ENOMEM;
            free(full);
        }
        free(parent);
    }
    free(given);
    free(real);
    if (rc == HS_ENOMEM)
        goto nomem;
    return rc;
nomem:
    snprintf(err, errlen, "out of memory");
    return HS_ENOMEM;
}

/* The working directory inside the output directory would be swapped
 * away under this process (and the user's shell). */
static int holds_cwd(const struct hs_publish *p)
{
    char *cwd = getcwd(NULL, 0);
    size_t n = strlen(p->dir);
    int in = cwd && !strncmp(cwd, p->dir, n) && (cwd[n] == '\0' || cwd[n] == '/');
    free(cwd);
    return in;
}

/* What the directory holds must survive the exchange: files are carried
 * over, directories and special files cannot be. */
static int scan_dir(const struct hs_publish *p, const char *dir, char *err, size_t errlen)
{
    int fd = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (d == NULL) {
        if (errno == ENOENT)
            return HS_OK;
        snprintf(err, errlen, "cannot read output directory %s: %s", dir, strerror(errno));
        if (fd >= 0)
            close(fd);
        return HS_EIO;
    }
    int rc = HS_OK;
    for (struct dirent *e; rc == HS_OK && (e = readdir(d)) != NULL;) {
        struct stat st;
        if (dots(e->d_name) || is_owned(p->owned, e->d_name) ||
            fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISREG(st.st_mode) ||
            S_ISLNK(st.st_mode))
            continue;
        snprintf(err, errlen, "output directory %s holds %s, which is not a file: new outputs "
                 "replace the directory as a whole, keeping only its files; move it away or "
                 "give another directory", dir, e->d_name);
        rc = HS_EIO;
    }
    closedir(d);
    return rc;
}

struct hs_publish_lock {
    char *dir;        /* real path of the output directory */
    char *path;       /* parent/.base.lock */
    int fd;           /* flock-ed; -1 where the file system has no locks */
};

static int check(struct hs_publish *p, const char *dir, const struct hs_publish_lock *held,
                 int create, char *err, size_t errlen)
{
    int none = 0;
    int rc = resolve(p, dir, create, &none, err, errlen);
    if (rc != HS_OK || none)
        return rc;
    p->locked = held != NULL && held->fd >= 0 && strcmp(held->dir, p->dir) == 0;
    if (holds_cwd(p)) {
        snprintf(err, errlen, "output directory %s is the current directory or holds it: new "
                 "outputs replace the directory as a whole; give another directory", dir);
        return HS_EIO;
    }
    /* the staging directory, made in the parent, must be able to take the
     * directory's place: not across file systems */
    struct stat d, up;
    if (stat(p->dir, &d) == 0 && stat(p->parent, &up) == 0 && d.st_dev != up.st_dev) {
        snprintf(err, errlen, "output directory %s is a mount point: new outputs replace the "
                 "directory as a whole; give a directory inside it", dir);
        return HS_EIO;
    }
    clean_parent(p);
    return scan_dir(p, dir, err, errlen);
}

static void release(struct hs_publish *p)
{
    free(p->dir);
    free(p->parent);
    free(p->base);
    free(p->staging);
}

int hs_publish_check(const char *dir, const char *const *owned,
                     const struct hs_publish_lock *held, char *err, size_t errlen)
{
    struct hs_publish p;
    memset(&p, 0, sizeof p);
    p.owned = owned;
    int rc = check(&p, dir, held, 0, err, errlen);
    release(&p);
    return rc;
}

int hs_publish_open(const char *dir, const char *const *owned,
                    const struct hs_publish_lock *held, struct hs_publish **out, char *err,
                    size_t errlen)
{
    char host[80];
    *out = NULL;
    struct hs_publish *p = calloc(1, sizeof *p);
    if (p == NULL) {
        snprintf(err, errlen, "out of memory");
        return HS_ENOMEM;
    }
    p->owned = owned;
    int rc = check(p, dir, held, 1, err, errlen);
    if (rc == HS_OK) {
        host_tag(host, sizeof host);
        p->staging = fmt("%s/.%s.tmp-%s-%ld", p->parent, p->base, host, (long)getpid());
        if (p->staging == NULL) {
            snprintf(err, errlen, "out of memory");
            rc = HS_ENOMEM;
        } else if (mkdir(p->staging, 0777) != 0) {
            snprintf(err, errlen, "cannot create %s: %s", p->staging, strerror(errno));
            free(p->staging);
            p->staging = NULL;
            rc = HS_EIO;
        }
    }
    if (rc != HS_OK) {
        release(p);
        free(p);
        return rc;
    }
    *out = p;
    return HS_OK;
}

char *hs_publish_path(const struct hs_publish *p, const char *name)
{
    return fmt("%s/%s", p->staging, name);
}

/* ---- commit --------------------------------------------------------------- */

/* Every staged file on disk, then the staging directory's entries. */
static int sync_staging(const struct hs_publish *p, char *err, size_t errlen)
{
    int fd = open(p->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (d == NULL) {
        snprintf(err, errlen, "cannot read %s: %s", p->staging, strerror(errno));
        if (fd >= 0)
            close(fd);
        return HS_EIO;
    }
    int rc = HS_OK;
    for (struct dirent *e; rc == HS_OK && (e = readdir(d)) != NULL;) {
        struct stat st;
        if (dots(e->d_name) || fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        int f = openat(fd, e->d_name, O_RDONLY | O_CLOEXEC);
        if (f < 0 || fsync(f) != 0) {
            snprintf(err, errlen, "cannot write %s/%s: %s", p->staging, e->d_name,
                     strerror(errno));
            rc = HS_EIO;
        }
        if (f >= 0)
            close(f);
    }
    if (rc == HS_OK && fsync(fd) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", p->staging, strerror(errno));
        rc = HS_EIO;
    }
    closedir(d);
    return rc;
}

/* Hard-link what the output directory holds besides the set into the
 * staging directory.  What cannot be linked stays in the old directory,
 * which is then kept (remove_stale) and reported. */
static void carry_over(const struct hs_publish *p)
{
    int from = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int to = open(p->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = from >= 0 && to >= 0 ? fdopendir(from) : NULL;
    if (d != NULL) {
        for (struct dirent *e; (e = readdir(d)) != NULL;)
            if (!dots(e->d_name) && !is_owned(p->owned, e->d_name))
                (void)linkat(from, e->d_name, to, e->d_name, 0);   /* a failure keeps it */
        closedir(d);
    } else if (from >= 0) {
        close(from);
    }
    if (to >= 0) {
        fsync(to);
        close(to);
    }
}

/* Put the staging directory in the place of the existing output
 * directory; *old receives where the old one went. */
static int exchange(const struct hs_publish *p, char **old, char *err, size_t errlen)
{
    struct stat st;
    if (stat(p->dir, &st) == 0)
        (void)chmod(p->staging, st.st_mode & 07777);   /* keep the directory's mode */
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, p->staging, AT_FDCWD, p->dir, RENAME_EXCHANGE) == 0) {
        *old = strdup(p->staging);
        return HS_OK;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
        snprintf(err, errlen, "cannot put the new outputs in place of %s: %s", p->dir,
                 strerror(errno));
        return HS_EIO;
    }
#endif
    /* No exchange on this system or file system: two renames, between
     * which the directory is absent ("none" rather than a mix). */
    char host[80];
    host_tag(host, sizeof host);
    char *aside = fmt("%s/.%s.old-%s-%ld", p->parent, p->base, host, (long)getpid());
    if (aside == NULL) {
        snprintf(err, errlen, "out of memory");
        return HS_ENOMEM;
    }
    if (rename(p->dir, aside) != 0) {
        snprintf(err, errlen, "cannot move %s aside: %s", p->dir, strerror(errno));
        free(aside);
        return HS_EIO;
    }
    if (rename(p->staging, p->dir) != 0) {
        snprintf(err, errlen, "cannot put the new outputs in place of %s: %s", p->dir,
                 strerror(errno));
        (void)rename(aside, p->dir);   /* the previous outputs back */
        free(aside);
        return HS_EIO;
    }
    *old = aside;
    return HS_OK;
}

int hs_publish_commit(struct hs_publish *p, char *err, size_t errlen)
{
    char *old = NULL;
    struct stat st;
    err[0] = '\0';
    int rc = sync_staging(p, err, errlen);
    if (rc != HS_OK)
        return rc;
    int exists = lstat(p->dir, &st) == 0;
    if (exists)
        carry_over(p);
    if (!exists && rename(p->staging, p->dir) != 0) {
        if (errno != EEXIST && errno != ENOTEMPTY) {
            snprintf(err, errlen, "cannot create output directory %s: %s", p->dir,
                     strerror(errno));
            return HS_EIO;
        }
        exists = 1;   /* made meanwhile, by another run */
        carry_over(p);
    }
    if (exists && (rc = exchange(p, &old, err, errlen)) != HS_OK)
        return rc;
    p->committed = 1;
    int pfd = open(p->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pfd >= 0)
        (void)fsync(pfd);   /* the new name on disk; the files already are */
    if (exists && old == NULL) {
        snprintf(err, errlen, "out of memory: the previous outputs are left in a hidden "
                 "directory beside %s", p->dir);
    } else if (old != NULL) {
        char why[320];
        const char *slash = strrchr(old, '/');
        if (pfd < 0 || remove_stale(pfd, slash + 1, p->owned, why, sizeof why) != 0)
            snprintf(err, errlen, "the previous outputs are left in %s: %s", old,
                     pfd < 0 ? strerror(errno) : why);
    }
    if (pfd >= 0)
        close(pfd);
    free(old);
    return HS_OK;
}

void hs_publish_abort(struct hs_publish *p)
{
    if (p == NULL)
        return;
    if (!p->committed && p->staging) {
        char why[320];
        int pfd = open(p->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (pfd >= 0) {
            (void)remove_stale(pfd, strrchr(p->staging, '/') + 1, p->owned, why, sizeof why);
            close(pfd);
        }
    }
    release(p);
    free(p);
}

/* ---- the output directory's lock ------------------------------------------ */

/* The holder of a lock file as it wrote itself there: "PID HOST WHAT". */
static void holder(int fd, const char *dir, char *err, size_t errlen)
{
    char buf[200], host[80], what[40];
    long pid = 0;
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    if (sscanf(buf, "%ld %79s %39s", &pid, host, what) == 3 && pid > 0)
        snprintf(err, errlen, "output directory %s is in use by hailsham %s (process %ld on "
                 "%s): wait for it to end, or give another directory", dir, what, pid, host);
    else
        snprintf(err, errlen, "output directory %s is in use by another hailsham process: "
                 "wait for it to end, or give another directory", dir);
}

/* The file system has no locks to give (some network file systems). */
static int no_locks(int e)
{
    return e == ENOLCK || e == EOPNOTSUPP || e == ENOSYS || e == EINVAL;
}

int hs_publish_lock(const char *dir, const char *what, struct hs_publish_lock **out,
                    char *err, size_t errlen)
{
    struct hs_publish p;
    int none = 0;
    *out = NULL;
    memset(&p, 0, sizeof p);
    struct hs_publish_lock *l = calloc(1, sizeof *l);
    if (l != NULL)
        l->fd = -1;   /* no lock file yet: unlocking must neither unlink nor close */
    int rc = l ? resolve(&p, dir, 1, &none, err, errlen) : HS_ENOMEM;
    if (rc == HS_OK) {
        l->dir = strdup(p.dir);
        l->path = fmt("%s/.%s.lock", p.parent, p.base);
        if (!l->dir || !l->path)
            rc = HS_ENOMEM;
    }
    release(&p);
    /* Whoever holds the lock removes the file before letting it go, so a
     * file opened just before that is not the lock any more: taken, it
     * must still be the file of that name, or it is opened again. */
    for (int tries = 0; rc == HS_OK && tries < 100; tries++) {
        int fd = open(l->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0) {
            snprintf(err, errlen, "cannot use the output directory %s: its lock file %s "
                     "cannot be created: %s", dir, l->path, strerror(errno));
            rc = HS_EIO;
            break;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            if (e == EWOULDBLOCK) {
                holder(fd, dir, err, errlen);
                rc = HS_ESTATE;
            } else if (!no_locks(e)) {
                snprintf(err, errlen, "cannot lock %s: %s", l->path, strerror(e));
                rc = HS_EIO;
            }
            close(fd);
            break;   /* no locks here: the process ids alone tell what is stale */
        }
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(l->path, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino) {
            char host[80], line[200];
            host_tag(host, sizeof host);
            int n = snprintf(line, sizeof line, "%ld %s %s\n", (long)getpid(), host, what);
            if (ftruncate(fd, 0) != 0 || pwrite(fd, line, (size_t)n, 0) != n) {
                /* only for the message of a process refused: no matter */
            }
            l->fd = fd;
            break;
        }
        close(fd);
    }
    if (rc == HS_ENOMEM)
        snprintf(err, errlen, "out of memory");
    if (rc != HS_OK) {
        hs_publish_unlock(l);
        return rc;
    }
    *out = l;
    return HS_OK;
}

void hs_publish_unlock(struct hs_publish_lock *l)
{
    if (l == NULL)
        return;
    if (l->fd >= 0) {
        (void)unlink(l->path);   /* while still held: see hs_publish_lock */
        close(l->fd);
    }
    free(l->dir);
    free(l->path);
    free(l);
}
