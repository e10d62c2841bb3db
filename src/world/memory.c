/* SPDX-License-Identifier: MIT
 *
 * memory.c - the memory this process may really use, for refusing a run
 * that would not fit before it starts rather than being killed by the
 * kernel in the middle: the smallest of its control group's limit
 * (cgroup v2 memory.max or v1 memory.limit_in_bytes, of its own group or
 * the nearest parent that sets one), its address-space limit (ulimit -v)
 * and the machine's physical memory.
 */
#include "world.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The number in file path, or INFINITY ("max", absent, unreadable, or the
 * "no limit" of cgroup v1, which is near 2^63). */
static double read_limit(const char *path)
{
    char buf[64];
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return INFINITY;
    char *got = fgets(buf, sizeof buf, f);
    fclose(f);
    if (got == NULL || buf[0] < '0' || buf[0] > '9')
        return INFINITY;
    double v = strtod(buf, NULL);
    return v > 0 && v < 0x1p60 ? v : INFINITY;
}

/* The group of this process in hierarchy `which` of /proc/self/cgroup:
 * "" for the unified one (v2, "0::/path"), "memory" for v1. */
static int own_group(const char *which, char *out, size_t n)
{
    char line[4096];
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (f == NULL)
        return -1;
    int found = -1;
    while (found < 0 && fgets(line, sizeof line, f) != NULL) {
        char *ctl = strchr(line, ':'), *path = ctl ? strchr(ctl + 1, ':') : NULL;
        if (path == NULL)
            continue;
        *path++ = '\0';
        ctl++;
        path[strcspn(path, "\n")] = '\0';
        int match = 0;
        if (which[0] == '\0') {
            match = ctl[0] == '\0';
        } else {   /* a list of controllers: "memory" or "cpu,memory" */
            for (char *t = strtok(ctl, ","); t && !match; t = strtok(NULL, ","))
                match = strcmp(t, which) == 0;
        }
        if (match && (size_t)snprintf(out, n, "%s", path) < n)
            found = 0;
    }
    fclose(f);
    return found;
}

/* The nearest limit up the group's path under root, in file `name`. */
static double group_limit(const char *root, const char *group, const char *name, char *src,
                          size_t n)
{
    char path[4096 + 128], dir[4096];
    snprintf(dir, sizeof dir, "%s", group);
    for (;;) {
        size_t len = strlen(dir);
        while (len > 0 && dir[len - 1] == '/')
            dir[--len] = '\0';
        snprintf(path, sizeof path, "%s%s/%s", root, dir, name);
        double v = read_limit(path);
        if (isfinite(v)) {
            snprintf(src, n, "%s", path);
            return v;
        }
        char *slash = strrchr(dir, '/');
        if (len == 0 || slash == NULL)
            return INFINITY;
        *slash = '\0';
    }
}

double hs_memory_limit(char *source, size_t n)
{
    char group[4096], where[4300];
    double limit = INFINITY, v;
    snprintf(source, n, "no limit found");
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0) {
        limit = (double)pages * (double)size;
        snprintf(source, n, "the machine's physical memory");
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (v = (double)rl.rlim_cur) < limit) {
        limit = v;
        snprintf(source, n, "the address-space limit (ulimit -v)");
    }
    if (own_group("", group, sizeof group) == 0 &&
        (v = group_limit("/sys/fs/cgroup", group, "memory.max", where, sizeof where)) < limit) {
        limit = v;
        snprintf(source, n, "the control group's limit (%s)", where);
    }
    if (own_group("memory", group, sizeof group) == 0 &&
        (v = group_limit("/sys/fs/cgroup/memory", group, "memory.limit_in_bytes", where,
                         sizeof where)) < limit) {
        limit = v;
        snprintf(source, n, "the control group's limit (%s)", where);
    }
    return limit;
}
