/* SPDX-License-Identifier: MIT
 *
 * engine.h - the discrete-event kernel.
 *
 * An engine owns a clock and a pending-event set.  An event is a time, a
 * priority, a callback and its payload (a context pointer and a 64-bit
 * datum, so that most models need no allocation per event).  Running the
 * engine removes events in order and calls their callbacks, which may
 * schedule and cancel further events.
 *
 * Order: events run by time; equal times by priority (higher first); equal
 * priorities by the order in which they were scheduled.  That order is
 * total, so a run is a deterministic function of its inputs.
 *
 * The engine holds no global state: any number of engines may live in one
 * process, one per thread.  An engine itself is not thread-safe.
 *
 * Errors: functions that can fail return HS_OK or a negative hs_status and
 * leave a one-line message readable with hs_engine_errmsg().
 */
#ifndef HAILSHAM_ENGINE_H
#define HAILSHAM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "pes.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hs_engine hs_engine;

/* Identifies a scheduled event; 0 is never a valid id. */
typedef uint64_t hs_event_id;

/* An event's callback.  `ctx` and `data` are what was given to schedule. */
typedef void (*hs_event_fn)(hs_engine *eng, void *ctx, uint64_t data);

/* Priorities lie in [HS_PRIORITY_MIN, HS_PRIORITY_MAX]; default 0. */
#define HS_PRIORITY_MIN (-32768)
#define HS_PRIORITY_MAX 32767

struct hs_engine_config {
    enum hs_pes_kind pes;     /* HS_PES_AUTO unless measuring */
    size_t expected_pending;  /* a sizing hint, 0 if unknown */
    double start_time;        /* the clock's initial value (finite) */
};

/* The defaults: automatic pending-event set, clock at 0. */
struct hs_engine_config hs_engine_config_default(void);

/* Create an engine.  cfg may be NULL for the defaults.  Returns HS_OK,
 * HS_EINVAL (bad config; *out is NULL) or HS_ENOMEM. */
int hs_engine_create(const struct hs_engine_config *cfg, hs_engine **out);
void hs_engine_destroy(hs_engine *eng);   /* NULL is allowed */

/* The current simulated time. */
double hs_engine_now(const hs_engine *eng);

/* Schedule fn(eng, ctx, data) at absolute time t (t >= now, finite) with
 * the given priority.  On success *id (if id is not NULL) receives the
 * event's id.  Errors: HS_EINVAL (NULL fn, time in the past or not finite,
 * priority out of range), HS_ERANGE (too many events scheduled in this
 * engine's lifetime: 2^48), HS_ENOMEM. */
int hs_engine_schedule(hs_engine *eng, double t, int priority, hs_event_fn fn,
                       void *ctx, uint64_t data, hs_event_id *id);

/* The same at now + delay (delay >= 0). */
int hs_engine_schedule_in(hs_engine *eng, double delay, int priority,
                          hs_event_fn fn, void *ctx, uint64_t data,
                          hs_event_id *id);

/* Slot-free events, for the common case of an event that is never
 * cancelled.  A handler is a callback and context registered once; an
 * event scheduled through it is only a (time, order, handler, datum) entry
 * in the pending set, so it costs no table slot (40 bytes less per pending
 * event) and running it reads no slot.  It has no id and cannot be
 * cancelled or queried: a model that replaces such events marks them stale
 * itself (a generation number in the datum, for instance).  The order
 * rules are those of every event: time, then priority, then the order of
 * scheduling, across both kinds.
 *
 * The datum is limited to 48 bits (HS_HANDLER_DATA_MAX) because the
 * handler number and the datum share the pending entry's 64-bit reference
 * with a tag bit; an engine holds at most HS_HANDLER_MAX handlers. */
#define HS_HANDLER_MAX 32767
#define HS_HANDLER_DATA_MAX ((((uint64_t)1) << 48) - 1)

/* Register fn(eng, ctx, data) as a handler; its number goes to
 * *handler_id.  Errors: HS_EINVAL (NULL fn or handler_id), HS_ERANGE (more
 * than HS_HANDLER_MAX handlers), HS_ENOMEM. */
int hs_engine_handler(hs_engine *eng, hs_event_fn fn, void *ctx, uint16_t *handler_id);

/* An optional hint for a handler's events: when a handler event is about
 * to run and the next pending event is one of this handler's, fn(ctx,
 * data) is called first with that next event's datum, so that a model
 * whose events touch scattered records can start loading the next record
 * (with a prefetch instruction) while the current callback runs.  It must
 * change nothing: the event it names may yet be preceded by one scheduled
 * meanwhile.  fn NULL removes the hint.  HS_OK or HS_EINVAL (unregistered
 * handler). */
typedef void (*hs_prefetch_fn)(void *ctx, uint64_t data);
int hs_engine_handler_prefetch(hs_engine *eng, uint16_t handler_id, hs_prefetch_fn fn);

/* Schedule the handler's callback with `data` at absolute time t (t >=
 * now, finite) with the given priority.  Errors: HS_EINVAL (unregistered
 * handler, bad time or priority), HS_ERANGE (data > HS_HANDLER_DATA_MAX,
 * or 2^48 events scheduled in this engine's lifetime), HS_ENOMEM. */
int hs_engine_schedule_handler(hs_engine *eng, double t, int priority,
                               uint16_t handler_id, uint64_t data);

/* Cancel a pending event (not a handler event: those have no id).  HS_OK,
 * or HS_ENOTFOUND when the id is not that of a pending event (already run,
 * already cancelled, or never issued). */
int hs_engine_cancel(hs_engine *eng, hs_event_id id);

/* 1 if the id is that of a pending (scheduled, not yet run or cancelled)
 * event, else 0. */
int hs_engine_is_pending(const hs_engine *eng, hs_event_id id);

/* The time of a pending event into *t: HS_OK or HS_ENOTFOUND. */
int hs_engine_event_time(const hs_engine *eng, hs_event_id id, double *t);

/* Why a run returned. */
enum hs_run_result {
    HS_RUN_EMPTY = 1,    /* no event left */
    HS_RUN_TIME = 2,     /* the time limit was reached */
    HS_RUN_STOPPED = 3   /* a callback called hs_engine_stop() */
};

/* Run until no event is left or a callback stops the engine.  Returns an
 * hs_run_result, or a negative status (HS_ESTATE when called from inside a
 * callback). */
int hs_engine_run(hs_engine *eng);

/* Run every event with time <= t_end, then set the clock to t_end (unless
 * stopped earlier).  t_end must be >= now.  Returns an hs_run_result or a
 * negative status. */
int hs_engine_run_until(hs_engine *eng, double t_end);

/* Run at most n events (a stepping aid for debuggers and tests). */
int hs_engine_step(hs_engine *eng, uint64_t n);

/* Ask the running engine to return after the current callback. */
void hs_engine_stop(hs_engine *eng);

/* Counters. */
uint64_t hs_engine_events_processed(const hs_engine *eng); /* callbacks run */
uint64_t hs_engine_events_scheduled(const hs_engine *eng);
uint64_t hs_engine_events_cancelled(const hs_engine *eng);
size_t hs_engine_pending(const hs_engine *eng);            /* live events */
enum hs_pes_kind hs_engine_pes_kind(const hs_engine *eng);

/* The message of the last failed call, or "" if none failed. */
const char *hs_engine_errmsg(const hs_engine *eng);

#ifdef __cplusplus
}
#endif
#endif
