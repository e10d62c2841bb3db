/* SPDX-License-Identifier: MIT
 *
 * charts.c - draws the report's charts with gnuplot and inlines its SVG.
 *
 * gnuplot (Debian's gnuplot-nox) is started once per chart with its
 * standard input on a pipe; the chart's commands, data included as inline
 * data blocks, go down the pipe, and gnuplot's svg terminal writes the
 * picture to a temporary file that is read back, stripped of its XML
 * prolog and given ids of its own, so that many charts can live on one
 * page.  gnuplot's exit status is checked and its error line reported.
 * One process per chart keeps an error attached to the chart that made it,
 * at about 0.1 s a chart.
 */
#include "charts.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hailsham/status.h>

extern char **environ;

/* ---- text buffer ---------------------------------------------------------- */

void hs_buf_init(struct hs_buf *b)
{
    memset(b, 0, sizeof *b);
}

void hs_buf_free(struct hs_buf *b)
{
    free(b->s);
    hs_buf_init(b);
}

static int reserve(struct hs_buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->failed = 1;
            return -1;
        }
        cap *= 2;
    }
    char *s = realloc(b->s, cap);
    if (s == NULL) {
        b->failed = 1;
        return -1;
    }
    b->s = s;
    b->cap = cap;
    return 0;
}

void hs_buf_putn(struct hs_buf *b, const char *s, size_t n)
{
    if (reserve(b, n) != 0)
        return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void hs_buf_put(struct hs_buf *b, const char *s)
{
    hs_buf_putn(b, s, strlen(s));
}

void hs_buf_printf(struct hs_buf *b, const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        b->failed = 1;
    else if (reserve(b, (size_t)n) == 0) {
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

void hs_buf_html(struct hs_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': hs_buf_put(b, "&amp;"); break;
        case '<': hs_buf_put(b, "&lt;"); break;
        case '>': hs_buf_put(b, "&gt;"); break;
        case '"': hs_buf_put(b, "&quot;"); break;
        default: hs_buf_putn(b, s, 1); break;
        }
    }
}

/* Single quotes: gnuplot substitutes backquotes (a shell command) and reads
 * backslash escapes inside double quotes, but inside single quotes nothing.
 * Its lexer does not reliably read the doubled quote that escapes a quote
 * there (three quotes are an empty string and a stray quote), so an
 * apostrophe closes the string and is joined on as "'", a string of one
 * character that holds nothing to expand: a'b is written 'a'."'".'b', an
 * expression every command that takes text accepts.  Text for the
 * enhanced-text terminal is read again for its own markup, so there its
 * markup characters and the backslash are escaped with a backslash, which
 * it shows as the character; a tic label is also a format, so a per cent
 * sign is doubled; a file name is read neither way and is written as it
 * is.  Control characters (a newline would end the command) become
 * spaces. */
enum gp_text { GP_FILE, GP_LABEL, GP_TIC };

static void gp_quote(struct hs_buf *b, const char *s, enum gp_text how)
{
    hs_buf_put(b, "'");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '\'') {
            hs_buf_put(b, "'.\"'\".'");
        } else if (*c < 0x20 || *c == 0x7f) {
            hs_buf_put(b, " ");
        } else if (*c == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f) {
            hs_buf_put(b, " ");             /* C1 controls, NEL among them */
            c++;
        } else if (*c == 0xe2 && c[1] == 0x80 && (c[2] == 0xa8 || c[2] == 0xa9)) {
            hs_buf_put(b, " ");             /* the line and paragraph separators */
            c += 2;
        } else if (how != GP_FILE && strchr("\\^_@&~{}", *c) != NULL) {
            hs_buf_put(b, "\\");
            hs_buf_putn(b, (const char *)c, 1);
        } else if (how == GP_TIC && *c == '%') {
            hs_buf_put(b, "%%");
        } else {
            hs_buf_putn(b, (const char *)c, 1);
        }
    }
    hs_buf_put(b, "'");
}

void hs_buf_gpstr(struct hs_buf *b, const char *s)
{
    gp_quote(b, s, GP_LABEL);
}

void hs_buf_gptic(struct hs_buf *b, const char *s)
{
    gp_quote(b, s, GP_TIC);
}

/* ---- the text of a chart's script ------------------------------------------ */

void hs_gp_prelude(struct hs_buf *gp, const char *title)
{
    hs_buf_put(gp, "set datafile missing '?'\n"
                   "set border 3 lc rgb '#555555'\n"
                   "set tics nomirror out textcolor rgb '#333333'\n"
                   "set grid ytics lc rgb '#e3e3e3' lt 1 lw 1\n"
                   "set key below center horizontal noreverse enhanced samplen 3 spacing 1.2 height 0.6\n"
                   "set key textcolor rgb '#222222'\n"
                   "set style fill solid 0.85 noborder\n"
                   "set title font ',14' textcolor rgb '#111111'\n"
                   "set title ");
    hs_buf_gpstr(gp, title);
    hs_buf_put(gp, "\n");
}

void hs_gp_axes(struct hs_buf *gp, const char *x, const char *y)
{
    hs_buf_put(gp, "set xlabel ");
    hs_buf_gpstr(gp, x);
    hs_buf_put(gp, "\nset ylabel ");
    hs_buf_gpstr(gp, y);
    hs_buf_put(gp, "\n");
}

void hs_gp_series(struct hs_buf *gp, int first, const char *spec, const char *title)
{
    hs_buf_put(gp, first ? "plot " : ", ");
    hs_buf_put(gp, spec);
    if (title) {
        hs_buf_put(gp, " title ");
        hs_buf_gpstr(gp, title);
    }
}

void hs_gp_tics(struct hs_buf *gp, const char *const *labels, size_t n)
{
    hs_buf_put(gp, "set xtics (");
    for (size_t i = 0; i < n; i++) {
        hs_buf_put(gp, i ? ", " : "");
        hs_buf_gptic(gp, labels[i]);
        hs_buf_printf(gp, " %zu", i);
    }
    hs_buf_put(gp, ")\n");
}

/* ---- temporary files ------------------------------------------------------ */

/* A directory for temporaries whose name gnuplot takes as it is: one with
 * a control character (which gp_quote would not keep) is not used. */
static const char *tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    if (t == NULL || *t != '/' || strlen(t) > 200)
        return "/tmp";
    for (const unsigned char *c = (const unsigned char *)t; *c; c++)
        if (*c < 0x20 || *c == 0x7f || (*c == 0xc2 && c[1] >= 0x80 && c[1] <= 0x9f))
            return "/tmp";
    return t;
}

static int make_temp(char *path, size_t n, const char *what)
{
    snprintf(path, n, "%s/hailsham-%s-XXXXXX", tmp_dir(), what);
    int fd = mkstemp(path);
    if (fd >= 0)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

/* The whole of a small file, NUL-terminated; NULL if unreadable. */
static char *slurp(const char *path, size_t limit, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    struct hs_buf b;
    hs_buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= limit)
        hs_buf_putn(&b, chunk, n);
    int bad = ferror(f) || b.failed || b.len > limit;
    fclose(f);
    if (bad || b.s == NULL) {
        hs_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.s;
}

/* The last non-blank line of gnuplot's stderr: where it names the error. */
static void last_line(const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    char *s = slurp(path, 1 << 20, &len);
    if (s == NULL || len == 0) {
        snprintf(err, errlen, "gnuplot failed without a message");
        free(s);
        return;
    }
    char *end = s + len;
    while (end > s && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\r'))
        end--;
    *end = '\0';
    char *start = strrchr(s, '\n');
    start = start ? start + 1 : s;
    while (*start == ' ' || *start == '\t')
        start++;
    snprintf(err, errlen, "gnuplot failed: %s", start);
    free(s);
}

/* ---- running gnuplot -------------------------------------------------------- */

/* Write all of s to fd.  SIGPIPE is blocked around the writes by the caller,
 * so a gnuplot that stopped early shows as EPIPE here, not as our death. */
static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Feed the script through the pipe with SIGPIPE held back for this thread,
 * then discard a SIGPIPE that our own writes raised. */
static int feed(int fd, const char *s, size_t n)
{
    sigset_t pipe_set, old, pending;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigemptyset(&pending);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    sigpending(&pending);
    int was_pending = sigismember(&pending, SIGPIPE);
    int rc = write_all(fd, s, n);
    if (rc != 0 && errno == EPIPE && !was_pending) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR) {
        }
        errno = EPIPE;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

struct spawn_files {
    int in_read;          /* gnuplot's stdin */
    int err_fd;           /* gnuplot's stderr */
};

static int spawn_gnuplot(const struct spawn_files *f, pid_t *pid)
{
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return ENOMEM;
    int rc = posix_spawn_file_actions_adddup2(&fa, f->in_read, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, f->err_fd, 2);
    char *argv[] = {(char *)"gnuplot", NULL};
    if (rc == 0)
        rc = posix_spawnp(pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

static int wait_status(pid_t pid)
{
    int st = 0;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* Run gnuplot on the full script; its picture goes to svg_path. */
static int run_gnuplot(const char *script, size_t n, const char *err_path, int err_fd,
                       char *err, size_t errlen)
{
    int p[2];
    if (pipe(p) != 0) {
        snprintf(err, errlen, "cannot start gnuplot: %s", strerror(errno));
        return HS_EIO;
    }
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    struct spawn_files sf = {p[0], err_fd};
    pid_t pid;
    int rc = spawn_gnuplot(&sf, &pid);
    close(p[0]);
    if (rc != 0) {
        close(p[1]);
        if (rc == ENOENT)
            snprintf(err, errlen, "gnuplot is not installed; the report's charts need it "
                                  "(Debian: apt-get install gnuplot-nox)");
        else
            snprintf(err, errlen, "cannot start gnuplot: %s", strerror(rc));
        return rc == ENOENT ? HS_ENOTFOUND : HS_EIO;
    }
    int wrote = feed(p[1], script, n);
    close(p[1]);
    int status = wait_status(pid);
    if (status != 0) {
        last_line(err_path, err, errlen);
        return HS_EIO;
    }
    if (wrote != 0) {
        snprintf(err, errlen, "gnuplot stopped reading its commands: %s", strerror(errno));
        return HS_EIO;
    }
    return HS_OK;
}

/* ---- inlining the SVG ------------------------------------------------------- */

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Copy gnuplot's <svg> element into out: ids and references to them get the
 * chart's prefix, the generic <title> becomes the chart's, <desc> goes. */
static int inline_svg(const char *svg, int index, const char *title, struct hs_buf *out)
{
    const char *s = strstr(svg, "<svg");
    const char *end = s ? strstr(s, "</svg>") : NULL;
    if (s == NULL || end == NULL)
        return HS_EIO;
    end += strlen("</svg>");
    char prefix[32];
    snprintf(prefix, sizeof prefix, "c%d-", index);
    hs_buf_put(out, "<svg role=\"img\"");
    s += 4;
    static const char *const refs[] = {"id='", "id=\"", "href='#", "href=\"#", "url(#"};
    while (s < end) {
        size_t k;
        for (k = 0; k < sizeof refs / sizeof refs[0]; k++)
            if (starts(s, refs[k]))
                break;
        if (k < sizeof refs / sizeof refs[0]) {
            hs_buf_put(out, refs[k]);
            hs_buf_put(out, prefix);
            s += strlen(refs[k]);
        } else if (starts(s, "<title>Gnuplot</title>")) {
            hs_buf_put(out, "<title>");
            hs_buf_html(out, title);
            hs_buf_put(out, "</title>");
            s += strlen("<title>Gnuplot</title>");
        } else if (starts(s, "<desc>")) {
            const char *d = strstr(s, "</desc>");
            s = d ? d + strlen("</desc>") : s + 1;
        } else {
            hs_buf_putn(out, s, 1);
            s++;
        }
    }
    return out->failed ? HS_ENOMEM : HS_OK;
}

int hs_chart_svg(const char *script, int width, int height, int index, const char *title,
                 struct hs_buf *out, char *err, size_t errlen)
{
    char svg_path[256], err_path[256];
    int svg_fd = make_temp(svg_path, sizeof svg_path, "chart");
    if (svg_fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file in %s: %s", tmp_dir(),
                 strerror(errno));
        return HS_EIO;
    }
    close(svg_fd);
    int err_fd = make_temp(err_path, sizeof err_path, "gnuplot");
    if (err_fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file in %s: %s", tmp_dir(),
                 strerror(errno));
        unlink(svg_path);
        return HS_EIO;
    }
    struct hs_buf full;
    hs_buf_init(&full);
    hs_buf_printf(&full,
                  "set encoding utf8\n"
                  "set terminal svg size %d,%d dynamic enhanced font 'sans,12'\n"
                  "set output ",
                  width, height);
    gp_quote(&full, svg_path, GP_FILE);
    hs_buf_put(&full, "\n");
    hs_buf_put(&full, script);
    hs_buf_put(&full, "\nunset output\n");
    int rc = full.failed ? HS_ENOMEM : HS_OK;
    if (rc == HS_OK)
        rc = run_gnuplot(full.s, full.len, err_path, err_fd, err, errlen);
    else
        snprintf(err, errlen, "out of memory");
    close(err_fd);
    hs_buf_free(&full);
    if (rc == HS_OK) {
        size_t len = 0;
        char *svg = slurp(svg_path, 64u << 20, &len);
        rc = svg ? inline_svg(svg, index, title, out) : HS_EIO;
        if (rc != HS_OK)
            snprintf(err, errlen, "gnuplot wrote no usable SVG");
        free(svg);
    }
    unlink(svg_path);
    unlink(err_path);
    return rc;
}
