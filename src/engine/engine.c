/* SPDX-License-Identifier: MIT
 *
 * engine.c - the discrete-event kernel: clock, scheduling, cancellation
 * and the run loop.
 *
 * Every scheduled event owns a slot in a table (callback, payload, time,
 * generation).  The pending-event set holds only (time, order key, slot
 * reference), so it moves 24-byte entries and never calls back into the
 * engine.  An event id is the slot index plus one in the low 32 bits and
 * the slot's generation in the high 32: a slot is reused after its event
 * runs or is cancelled, and the generation makes stale ids harmless.
 *
 * Cancellation is lazy: the slot is marked and its entry stays in the set
 * until it surfaces, when it is dropped.  When cancelled entries outnumber
 * live ones (and there are many), the set is filtered in one pass, so
 * memory stays proportional to the live events.
 *
 * The order key puts the priority in the top 16 bits (inverted, so higher
 * priority sorts first) and a 48-bit sequence number below it, which makes
 * (time, key) unique and the run order total.
 *
 * Handler events (hs_engine_schedule_handler) own no slot: the entry's
 * reference carries a tag bit, a 15-bit handler number and 48 bits of
 * datum, so running one reads no table but the small handler array.  At
 * national scale that is one random memory access and 40 bytes less per
 * pending event.  They take their order key from the same sequence as
 * every other event, so the run order rules are the same for both kinds.
 */
#include "hailsham/engine.h"
#include "pes_impl.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum slot_state { SLOT_FREE = 0, SLOT_PENDING = 1, SLOT_CANCELLED = 2 };

struct slot {
    hs_event_fn fn;
    void *ctx;
    uint64_t data;
    double t;
    uint32_t gen;
    uint32_t state;
};

/* A registered handler: the callback and context of slot-free events. */
struct handler {
    hs_event_fn fn;
    void *ctx;
    hs_prefetch_fn prefetch;   /* or NULL */
};

struct hs_engine {
    double now;
    hs_pes *pes;
    struct slot *slots;
    struct handler *handlers;
    uint32_t nhandlers;
    int any_prefetch;       /* some handler has a prefetch hint */
    uint32_t *free_stack;   /* indices of free slots */
    uint32_t nfree;
    uint32_t nslots;        /* slots allocated */
    uint64_t seq;           /* next sequence number */
    uint64_t processed, scheduled, cancelled;
    size_t live;            /* pending, not cancelled */
    size_t dead;            /* cancelled, still in the set */
    int stop;
    int running;
    char errmsg[160];
};

#define SEQ_BITS 48
#define SEQ_LIMIT ((uint64_t)1 << SEQ_BITS)
#define PURGE_MIN 4096

/* A slot reference is below 2^32, so the top bit marks a handler event:
 * bit 63 set, bits 48..62 the handler number, bits 0..47 the datum. */
#define REF_HANDLER ((uint64_t)1 << 63)
#define REF_DATA_MASK (HS_HANDLER_DATA_MAX)

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int fail(hs_engine *eng, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(eng->errmsg, sizeof eng->errmsg, fmt, ap);
    va_end(ap);
    return status;
}

struct hs_engine_config hs_engine_config_default(void)
{
    struct hs_engine_config c = {HS_PES_AUTO, 0, 0.0};
    return c;
}

int hs_engine_create(const struct hs_engine_config *cfg, hs_engine **out)
{
    struct hs_engine_config def = hs_engine_config_default();
    if (out == NULL)
        return HS_EINVAL;
    *out = NULL;
    if (cfg == NULL)
        cfg = &def;
    if (!isfinite(cfg->start_time) || (unsigned)cfg->pes > HS_PES_BINARY)
        return HS_EINVAL;
    hs_engine *eng = calloc(1, sizeof *eng);
    if (eng == NULL)
        return HS_ENOMEM;
    eng->now = cfg->start_time;
    eng->pes = hs_pes_create(cfg->pes, cfg->expected_pending);
    if (eng->pes == NULL) {
        free(eng);
        return HS_ENOMEM;
    }
    *out = eng;
    return HS_OK;
}

void hs_engine_destroy(hs_engine *eng)
{
    if (eng == NULL)
        return;
    hs_pes_destroy(eng->pes);
    free(eng->slots);
    free(eng->free_stack);
    free(eng->handlers);
    free(eng);
}

double hs_engine_now(const hs_engine *eng)
{
    return eng ? eng->now : NAN;
}

/* Double the slot table; the new slots go on the free stack in reverse so
 * that the lowest index is handed out first (keeps ids small and stable). */
static int grow_slots(hs_engine *eng)
{
    uint32_t old = eng->nslots;
    uint64_t want = old ? (uint64_t)old * 2 : 64;
    if (want > UINT32_MAX - 1)
        want = UINT32_MAX - 1;
    if (want <= old)
        return HS_ERANGE;
    struct slot *s = realloc(eng->slots, want * sizeof *s);
    if (s == NULL)
        return HS_ENOMEM;
    eng->slots = s;
    uint32_t *fs = realloc(eng->free_stack, want * sizeof *fs);
    if (fs == NULL)
        return HS_ENOMEM;  /* slots grew but are unused: harmless */
    eng->free_stack = fs;
    memset(s + old, 0, (want - old) * sizeof *s);
    for (uint64_t i = want; i > old; i--)
        fs[eng->nfree++] = (uint32_t)(i - 1);
    eng->nslots = (uint32_t)want;
    return HS_OK;
}

static inline hs_event_id make_id(uint32_t idx, uint32_t gen)
{
    return ((uint64_t)gen << 32) | ((uint64_t)idx + 1);
}

/* The slot of a pending or cancelled-but-queued id, or NULL. */
static struct slot *lookup(const hs_engine *eng, hs_event_id id)
{
    uint64_t low = id & 0xffffffffu;
    if (low == 0 || low > eng->nslots)
        return NULL;
    struct slot *s = &eng->slots[low - 1];
    if (s->gen != (uint32_t)(id >> 32))
        return NULL;
    return s;
}

/* The checks shared by both kinds of event: time, priority, sequence. */
static int check_when(hs_engine *eng, const char *what, double t, int priority)
{
    if (!(t >= eng->now) || isinf(t))   /* also rejects NaN */
        return fail(eng, HS_EINVAL,
                    "%s: time %g is %s (now is %g)", what, t,
                    isnan(t) ? "not a number" : isinf(t) ? "infinite" : "in the past",
                    eng->now);
    if (priority < HS_PRIORITY_MIN || priority > HS_PRIORITY_MAX)
        return fail(eng, HS_EINVAL, "%s: priority %d outside [%d, %d]",
                    what, priority, HS_PRIORITY_MIN, HS_PRIORITY_MAX);
    if (eng->seq >= SEQ_LIMIT)
        return fail(eng, HS_ERANGE, "%s: more than 2^48 events scheduled", what);
    return HS_OK;
}

static inline uint64_t order_key(const hs_engine *eng, int priority)
{
    return ((uint64_t)(HS_PRIORITY_MAX - priority) << SEQ_BITS) | eng->seq;
}

int hs_engine_schedule(hs_engine *eng, double t, int priority, hs_event_fn fn,
                       void *ctx, uint64_t data, hs_event_id *id)
{
    if (eng == NULL)
        return HS_EINVAL;
    if (fn == NULL)
        return fail(eng, HS_EINVAL, "schedule: the callback is NULL");
    int rc0 = check_when(eng, "schedule", t, priority);
    if (rc0 != HS_OK)
        return rc0;
    if (eng->nfree == 0) {
        int rc = grow_slots(eng);
        if (rc != HS_OK)
            return fail(eng, rc, "schedule: cannot grow the event table");
    }
    uint32_t idx = eng->free_stack[eng->nfree - 1];
    struct slot *s = &eng->slots[idx];
    struct hs_pes_entry e;
    e.t = t;
    e.ord = order_key(eng, priority);
    e.ref = idx;
    if (hs_pes_push(eng->pes, &e) != HS_OK)
        return fail(eng, HS_ENOMEM, "schedule: out of memory for the pending-event set");
    eng->nfree--;
    eng->seq++;
    s->fn = fn;
    s->ctx = ctx;
    s->data = data;
    s->t = t;
    s->state = SLOT_PENDING;
    eng->live++;
    eng->scheduled++;
    if (id != NULL)
        *id = make_id(idx, s->gen);
    return HS_OK;
}

int hs_engine_schedule_in(hs_engine *eng, double delay, int priority,
                          hs_event_fn fn, void *ctx, uint64_t data,
                          hs_event_id *id)
{
    if (eng == NULL)
        return HS_EINVAL;
    if (!(delay >= 0.0))
        return fail(eng, HS_EINVAL, "schedule_in: delay %g is negative or not a number", delay);
    return hs_engine_schedule(eng, eng->now + delay, priority, fn, ctx, data, id);
}

int hs_engine_handler(hs_engine *eng, hs_event_fn fn, void *ctx, uint16_t *handler_id)
{
    if (eng == NULL)
        return HS_EINVAL;
    if (fn == NULL || handler_id == NULL)
        return fail(eng, HS_EINVAL, "handler: the callback or the id pointer is NULL");
    if (eng->nhandlers >= HS_HANDLER_MAX)
        return fail(eng, HS_ERANGE, "handler: more than %d handlers", HS_HANDLER_MAX);
    /* Grown one at a time: handlers are registered a few times per engine. */
    struct handler *h = realloc(eng->handlers, (eng->nhandlers + 1) * sizeof *h);
    if (h == NULL)
        return fail(eng, HS_ENOMEM, "handler: out of memory");
    eng->handlers = h;
    h[eng->nhandlers].fn = fn;
    h[eng->nhandlers].ctx = ctx;
    h[eng->nhandlers].prefetch = NULL;
    *handler_id = (uint16_t)eng->nhandlers++;
    return HS_OK;
}

int hs_engine_handler_prefetch(hs_engine *eng, uint16_t handler_id, hs_prefetch_fn fn)
{
    if (eng == NULL)
        return HS_EINVAL;
    if (handler_id >= eng->nhandlers)
        return fail(eng, HS_EINVAL, "handler_prefetch: handler %u was never registered",
                    (unsigned)handler_id);
    eng->handlers[handler_id].prefetch = fn;
    if (fn != NULL)
        eng->any_prefetch = 1;
    return HS_OK;
}

int hs_engine_schedule_handler(hs_engine *eng, double t, int priority,
                               uint16_t handler_id, uint64_t data)
{
    if (eng == NULL)
        return HS_EINVAL;
    if (handler_id >= eng->nhandlers)
        return fail(eng, HS_EINVAL, "schedule_handler: handler %u was never registered",
                    (unsigned)handler_id);
    if (data > HS_HANDLER_DATA_MAX)
        return fail(eng, HS_ERANGE, "schedule_handler: datum %llu does not fit in 48 bits",
                    (unsigned long long)data);
    int rc = check_when(eng, "schedule_handler", t, priority);
    if (rc != HS_OK)
        return rc;
    struct hs_pes_entry e;
    e.t = t;
    e.ord = order_key(eng, priority);
    e.ref = REF_HANDLER | ((uint64_t)handler_id << 48) | data;
    if (hs_pes_push(eng->pes, &e) != HS_OK)
        return fail(eng, HS_ENOMEM, "schedule_handler: out of memory for the pending-event set");
    eng->seq++;
    eng->live++;
    eng->scheduled++;
    return HS_OK;
}

static inline void free_slot(hs_engine *eng, uint32_t idx)
{
    struct slot *s = &eng->slots[idx];
    s->state = SLOT_FREE;
    s->gen++;
    eng->free_stack[eng->nfree++] = idx;
}

static int keep_live(void *ctx, const struct hs_pes_entry *e)
{
    hs_engine *eng = ctx;
    if (e->ref & REF_HANDLER)   /* handler events cannot be cancelled */
        return 1;
    uint32_t idx = (uint32_t)e->ref;
    if (eng->slots[idx].state == SLOT_CANCELLED) {
        free_slot(eng, idx);
        return 0;
    }
    return 1;
}

int hs_engine_cancel(hs_engine *eng, hs_event_id id)
{
    if (eng == NULL)
        return HS_EINVAL;
    struct slot *s = lookup(eng, id);
    if (s == NULL || s->state != SLOT_PENDING)
        return fail(eng, HS_ENOTFOUND, "cancel: event %llu is not pending",
                    (unsigned long long)id);
    s->state = SLOT_CANCELLED;
    eng->live--;
    eng->dead++;
    eng->cancelled++;
    if (eng->dead > PURGE_MIN && eng->dead > eng->live) {
        hs_pes_filter(eng->pes, keep_live, eng);
        eng->dead = 0;
    }
    return HS_OK;
}

int hs_engine_is_pending(const hs_engine *eng, hs_event_id id)
{
    if (eng == NULL)
        return 0;
    const struct slot *s = lookup(eng, id);
    return s != NULL && s->state == SLOT_PENDING;
}

int hs_engine_event_time(const hs_engine *eng, hs_event_id id, double *t)
{
    if (eng == NULL || t == NULL)
        return HS_EINVAL;
    const struct slot *s = lookup(eng, id);
    if (s == NULL || s->state != SLOT_PENDING)
        return HS_ENOTFOUND;
    *t = s->t;
    return HS_OK;
}

/* The run loop shared by run, run_until and step.  The one loop of the
 * library that is allowed to be long: it is the hot path. */
static int run_loop(hs_engine *eng, double t_end, uint64_t max_events)
{
    if (eng->running)
        return fail(eng, HS_ESTATE, "run: called from inside an event callback");
    eng->running = 1;
    eng->stop = 0;
    int result = HS_RUN_EMPTY;
    struct hs_pes_entry e;
    uint64_t done = 0;
    const int bounded = t_end < INFINITY;
    while (done < max_events) {
        /* With an end time, look before taking: an event beyond the end
         * stays where it is.  Taking it and putting it back would need the
         * set to allocate, and could lose the event if that failed. */
        if (bounded) {
            if (!hs_pes_peek(eng->pes, &e)) {
                result = HS_RUN_EMPTY;
                goto out;
            }
            if (e.t > t_end) {
                eng->now = t_end;
                result = HS_RUN_TIME;
                goto out;
            }
        }
        if (!hs_pes_pop(eng->pes, &e)) {
            result = HS_RUN_EMPTY;
            goto out;
        }
        if (e.ref & REF_HANDLER) {
            /* The id was checked when scheduled; handlers are never removed. */
            const struct handler *h = &eng->handlers[(e.ref >> 48) & 0x7fff];
            eng->now = e.t;
            eng->live--;
            eng->processed++;
            done++;
            /* Let the next event's model start loading its record while
             * this callback runs: at national scale each event's record
             * is a cache miss.  Only a hint; the order is not touched. */
            struct hs_pes_entry nx;
            if (eng->any_prefetch && hs_pes_peek(eng->pes, &nx) && (nx.ref & REF_HANDLER)) {
                const struct handler *hn = &eng->handlers[(nx.ref >> 48) & 0x7fff];
                if (hn->prefetch != NULL)
                    hn->prefetch(hn->ctx, nx.ref & REF_DATA_MASK);
            }
            h->fn(eng, h->ctx, e.ref & REF_DATA_MASK);
            if (eng->stop) {
                result = HS_RUN_STOPPED;
                goto out;
            }
            continue;
        }
        uint32_t idx = (uint32_t)e.ref;
        struct slot *s = &eng->slots[idx];
        if (s->state == SLOT_CANCELLED) {
            eng->dead--;
            free_slot(eng, idx);
            continue;
        }
        hs_event_fn fn = s->fn;
        void *ctx = s->ctx;
        uint64_t data = s->data;
        eng->now = e.t;
        eng->live--;
        free_slot(eng, idx);
        eng->processed++;
        done++;
        fn(eng, ctx, data);
        if (eng->stop) {
            result = HS_RUN_STOPPED;
            goto out;
        }
    }
    result = HS_RUN_STOPPED;
out:
    eng->running = 0;
    return result;
}

int hs_engine_run(hs_engine *eng)
{
    if (eng == NULL)
        return HS_EINVAL;
    return run_loop(eng, INFINITY, UINT64_MAX);
}

int hs_engine_run_until(hs_engine *eng, double t_end)
{
    if (eng == NULL)
        return HS_EINVAL;
    if (!(t_end >= eng->now))
        return fail(eng, HS_EINVAL, "run_until: end time %g is before now (%g) or not a number",
                    t_end, eng->now);
    int r = run_loop(eng, t_end, UINT64_MAX);
    if (r == HS_RUN_EMPTY && !isinf(t_end)) {
        eng->now = t_end;
        r = HS_RUN_TIME;
    }
    return r;
}

int hs_engine_step(hs_engine *eng, uint64_t n)
{
    if (eng == NULL)
        return HS_EINVAL;
    if (n == 0)
        return HS_RUN_STOPPED;
    return run_loop(eng, INFINITY, n);
}

void hs_engine_stop(hs_engine *eng)
{
    if (eng != NULL)
        eng->stop = 1;
}

uint64_t hs_engine_events_processed(const hs_engine *eng) { return eng ? eng->processed : 0; }
uint64_t hs_engine_events_scheduled(const hs_engine *eng) { return eng ? eng->scheduled : 0; }
uint64_t hs_engine_events_cancelled(const hs_engine *eng) { return eng ? eng->cancelled : 0; }
size_t hs_engine_pending(const hs_engine *eng) { return eng ? eng->live : 0; }

hs_pes *hsi_engine_pes(hs_engine *eng)
{
    return eng->pes;
}

enum hs_pes_kind hs_engine_pes_kind(const hs_engine *eng)
{
    return eng ? hs_pes_kind(eng->pes) : HS_PES_AUTO;
}

const char *hs_engine_errmsg(const hs_engine *eng)
{
    return eng ? eng->errmsg : "no engine";
}
