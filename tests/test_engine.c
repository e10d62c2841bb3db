/* SPDX-License-Identifier: MIT
 *
 * test_engine.c - the event kernel: order, cancellation, run modes,
 * slot-free handler events, reproducibility and the error path of every
 * public function.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hailsham/hailsham.h>

#include "pes_impl.h"

/* A log of the events that ran. */
struct log {
    uint64_t data[4096];
    double t[4096];
    size_t n;
};

static void record(hs_engine *e, void *ctx, uint64_t data)
{
    struct log *l = ctx;
    assert_true(l->n < 4096);
    l->t[l->n] = hs_engine_now(e);
    l->data[l->n++] = data;
}

static hs_engine *make(enum hs_pes_kind kind)
{
    struct hs_engine_config c = hs_engine_config_default();
    c.pes = kind;
    hs_engine *e = NULL;
    assert_int_equal(hs_engine_create(&c, &e), HS_OK);
    assert_non_null(e);
    return e;
}

static void events_run_in_time_order(void **state)
{
    (void)state;
    hs_engine *e = make(HS_PES_AUTO);
    struct log l = {0};
    hs_rng r;
    hs_rng_init(&r, 7, 0, 1);
    for (uint64_t i = 0; i < 1000; i++)
        assert_int_equal(hs_engine_schedule(e, 100.0 * hs_rng_uniform(&r), 0, record, &l, i, NULL),
                         HS_OK);
    assert_int_equal(hs_engine_pending(e), 1000);
    assert_int_equal(hs_engine_run(e), HS_RUN_EMPTY);
    assert_int_equal(l.n, 1000);
    for (size_t i = 1; i < l.n; i++)
        assert_true(l.t[i - 1] <= l.t[i]);
    assert_int_equal(hs_engine_events_processed(e), 1000);
    assert_int_equal(hs_engine_pending(e), 0);
    hs_engine_destroy(e);
}

/* Equal times: higher priority first, then the order of scheduling. */
static void simultaneous_events_are_ordered(void **state)
{
    (void)state;
    for (int kind = HS_PES_AUTO; kind <= HS_PES_BINARY; kind++) {
        hs_engine *e = make((enum hs_pes_kind)kind);
        struct log l = {0};
        /* data = expected position */
        hs_engine_schedule(e, 5.0, 0, record, &l, 3, NULL);
        hs_engine_schedule(e, 5.0, 10, record, &l, 1, NULL);
        hs_engine_schedule(e, 5.0, 0, record, &l, 4, NULL);
        hs_engine_schedule(e, 5.0, -3, record, &l, 6, NULL);
        hs_engine_schedule(e, 5.0, 10, record, &l, 2, NULL);
        hs_engine_schedule(e, 5.0, 0, record, &l, 5, NULL);
        hs_engine_schedule(e, 4.0, HS_PRIORITY_MIN, record, &l, 0, NULL);
        hs_engine_schedule(e, 6.0, HS_PRIORITY_MAX, record, &l, 7, NULL);
        hs_engine_run(e);
        assert_int_equal(l.n, 8);
        for (uint64_t i = 0; i < 8; i++)
            assert_int_equal(l.data[i], i);
        hs_engine_destroy(e);
    }
}

/* An event scheduled at the current time from a callback runs after it. */
static void chain(hs_engine *e, void *ctx, uint64_t data)
{
    record(e, ctx, data);
    if (data < 5)
        hs_engine_schedule_in(e, 0.0, 0, chain, ctx, data + 1, NULL);
}

static void zero_delay_runs_next(void **state)
{
    (void)state;
    hs_engine *e = make(HS_PES_HEAP);
    struct log l = {0};
    hs_engine_schedule(e, 1.0, 0, chain, &l, 0, NULL);
    hs_engine_schedule(e, 1.0, 0, record, &l, 100, NULL);
    hs_engine_run(e);
    assert_int_equal(l.n, 7);
    assert_int_equal(l.data[0], 0);
    assert_int_equal(l.data[1], 100);
    for (size_t i = 2; i < 7; i++)
        assert_int_equal(l.data[i], i - 1);
    hs_engine_destroy(e);
}

static void cancelled_events_never_run(void **state)
{
    (void)state;
    hs_engine *e = make(HS_PES_AUTO);
    struct log l = {0};
    hs_event_id id[10];
    for (uint64_t i = 0; i < 10; i++)
        assert_int_equal(hs_engine_schedule(e, (double)i, 0, record, &l, i, &id[i]), HS_OK);
    for (int i = 0; i < 10; i++)
        assert_true(hs_engine_is_pending(e, id[i]));
    double t = -1;
    assert_int_equal(hs_engine_event_time(e, id[4], &t), HS_OK);
    assert_true(t == 4.0);
    assert_int_equal(hs_engine_cancel(e, id[3]), HS_OK);
    assert_int_equal(hs_engine_cancel(e, id[7]), HS_OK);
    assert_false(hs_engine_is_pending(e, id[3]));
    assert_int_equal(hs_engine_cancel(e, id[3]), HS_ENOTFOUND);   /* twice */
    assert_true(strstr(hs_engine_errmsg(e), "not pending") != NULL);
    assert_int_equal(hs_engine_event_time(e, id[3], &t), HS_ENOTFOUND);
    assert_int_equal(hs_engine_pending(e), 8);
    hs_engine_run(e);
    assert_int_equal(l.n, 8);
    for (size_t i = 0; i < l.n; i++)
        assert_true(l.data[i] != 3 && l.data[i] != 7);
    assert_int_equal(hs_engine_cancel(e, id[0]), HS_ENOTFOUND);   /* already ran */
    assert_int_equal(hs_engine_cancel(e, 0), HS_ENOTFOUND);       /* never issued */
    assert_int_equal(hs_engine_cancel(e, (hs_event_id)1 << 40), HS_ENOTFOUND);
    assert_int_equal(hs_engine_events_cancelled(e), 2);
    hs_engine_destroy(e);
}

/* A stale id must not cancel the event that later reuses its slot. */
static void stale_id_does_not_cancel_reused_slot(void **state)
{
    (void)state;
    hs_engine *e = make(HS_PES_HEAP);
    struct log l = {0};
    hs_event_id a, b;
    hs_engine_schedule(e, 1.0, 0, record, &l, 1, &a);
    hs_engine_run(e);
    hs_engine_schedule(e, 2.0, 0, record, &l, 2, &b);
    assert_true(a != b);
    assert_int_equal(hs_engine_cancel(e, a), HS_ENOTFOUND);
    assert_true(hs_engine_is_pending(e, b));
    hs_engine_run(e);
    assert_int_equal(l.n, 2);
    hs_engine_destroy(e);
}

/* Mass cancellation purges the set; the survivors still run in order. */
static void mass_cancellation(void **state)
{
    (void)state;
    for (int kind = HS_PES_AUTO; kind <= HS_PES_BINARY; kind++) {
        hs_engine *e = make((enum hs_pes_kind)kind);
        struct log l = {0};
        enum { N = 50000 };
        hs_event_id *ids = malloc(N * sizeof *ids);
        assert_non_null(ids);
        for (uint64_t i = 0; i < N; i++)
            hs_engine_schedule(e, (double)((i * 7919) % N), 0, record, &l, i, &ids[i]);
        for (uint64_t i = 0; i < N; i++)
            if (i % 20 != 0)
                assert_int_equal(hs_engine_cancel(e, ids[i]), HS_OK);
        assert_int_equal(hs_engine_pending(e), N / 20);
        hs_engine_run(e);
        assert_int_equal(l.n, N / 20);
        for (size_t i = 0; i < l.n; i++) {
            assert_int_equal(l.data[i] % 20, 0);
            if (i > 0)
                assert_true(l.t[i - 1] <= l.t[i]);
        }
        free(ids);
        hs_engine_destroy(e);
    }
}

static void run_until_stops_at_time(void **state)
{
    (void)state;
    hs_engine *e = make(HS_PES_AUTO);
    struct log l = {0};
    for (uint64_t i = 1; i <= 10; i++)
        hs_engine_schedule(e, (double)i, 0, record, &l, i, NULL);
    assert_int_equal(hs_engine_run_until(e, 4.0), HS_RUN_TIME);
    assert_int_equal(l.n, 4);              /* the event at exactly 4 ran */
    assert_true(hs_engine_now(e) == 4.0);
    assert_int_equal(hs_engine_run_until(e, 4.5), HS_RUN_TIME);
    assert_true(hs_engine_now(e) == 4.5);
    assert_int_equal(l.n, 4);
    assert_int_equal(hs_engine_run_until(e, 3.0), HS_EINVAL);    /* the past */
    assert_int_equal(hs_engine_run_until(e, NAN), HS_EINVAL);
    assert_int_equal(hs_engine_run_until(e, 100.0), HS_RUN_TIME); /* empties, clock to 100 */
    assert_int_equal(l.n, 10);
    assert_true(hs_engine_now(e) == 100.0);
    assert_int_equal(hs_engine_run(e), HS_RUN_EMPTY);
    hs_engine_destroy(e);
}

static void stopper(hs_engine *e, void *ctx, uint64_t data)
{
    record(e, ctx, data);
    if (data == 3)
        hs_engine_stop(e);
}

static void stop_from_callback(void **state)
{
    (void)state;
    hs_engine *e = make(HS_PES_AUTO);
    struct log l = {0};
    for (uint64_t i = 1; i <= 6; i++)
        hs_engine_schedule(e, (double)i, 0, stopper, &l, i, NULL);
    assert_int_equal(hs_engine_run(e), HS_RUN_STOPPED);
    assert_int_equal(l.n, 3);
    assert_true(hs_engine_now(e) == 3.0);
    assert_int_equal(hs_engine_run(e), HS_RUN_EMPTY);           /* resumes */
    assert_int_equal(l.n, 6);
    hs_engine_destroy(e);
}

static void step_runs_n_events(void **state)
{
    (void)state;
    hs_engine *e = make(HS_PES_AUTO);
    struct log l = {0};
    for (uint64_t i = 1; i <= 5; i++)
        hs_engine_schedule(e, (double)i, 0, record, &l, i, NULL);
    assert_int_equal(hs_engine_step(e, 2), HS_RUN_STOPPED);
    assert_int_equal(l.n, 2);
    assert_int_equal(hs_engine_step(e, 0), HS_RUN_STOPPED);
    assert_int_equal(l.n, 2);
    assert_int_equal(hs_engine_step(e, 10), HS_RUN_EMPTY);
    assert_int_equal(l.n, 5);
    hs_engine_destroy(e);
}

static void reenter(hs_engine *e, void *ctx, uint64_t data)
{
    int *rc = ctx;
    *rc = hs_engine_run(e);
}

static void run_from_callback_is_refused(void **state)
{
    (void)state;
    hs_engine *e = make(HS_PES_AUTO);
    int rc = 0;
    hs_engine_schedule(e, 1.0, 0, reenter, &rc, 0, NULL);
    hs_engine_run(e);
    assert_int_equal(rc, HS_ESTATE);
    hs_engine_destroy(e);
}

static void bad_arguments_are_errors(void **state)
{
    (void)state;
    hs_engine *e = NULL;
    struct hs_engine_config c = hs_engine_config_default();
    assert_int_equal(hs_engine_create(&c, NULL), HS_EINVAL);
    c.start_time = NAN;
    assert_int_equal(hs_engine_create(&c, &e), HS_EINVAL);
    assert_null(e);
    c = hs_engine_config_default();
    c.pes = (enum hs_pes_kind)9;
    assert_int_equal(hs_engine_create(&c, &e), HS_EINVAL);
    c = hs_engine_config_default();
    c.start_time = 10.0;
    assert_int_equal(hs_engine_create(&c, &e), HS_OK);
    assert_true(hs_engine_now(e) == 10.0);

    struct log l = {0};
    assert_int_equal(hs_engine_schedule(e, 5.0, 0, record, &l, 0, NULL), HS_EINVAL);
    assert_true(strstr(hs_engine_errmsg(e), "in the past") != NULL);
    assert_int_equal(hs_engine_schedule(e, NAN, 0, record, &l, 0, NULL), HS_EINVAL);
    assert_true(strstr(hs_engine_errmsg(e), "not a number") != NULL);
    assert_int_equal(hs_engine_schedule(e, INFINITY, 0, record, &l, 0, NULL), HS_EINVAL);
    assert_int_equal(hs_engine_schedule(e, 11.0, 0, NULL, &l, 0, NULL), HS_EINVAL);
    assert_true(strstr(hs_engine_errmsg(e), "callback") != NULL);
    assert_int_equal(hs_engine_schedule(e, 11.0, HS_PRIORITY_MAX + 1, record, &l, 0, NULL),
                     HS_EINVAL);
    assert_int_equal(hs_engine_schedule(e, 11.0, HS_PRIORITY_MIN - 1, record, &l, 0, NULL),
                     HS_EINVAL);
    assert_int_equal(hs_engine_schedule_in(e, -1.0, 0, record, &l, 0, NULL), HS_EINVAL);
    assert_int_equal(hs_engine_schedule_in(e, NAN, 0, record, &l, 0, NULL), HS_EINVAL);
    assert_int_equal(hs_engine_pending(e), 0);
    assert_int_equal(hs_engine_event_time(e, 1, NULL), HS_EINVAL);

    /* NULL engines never crash */
    assert_int_equal(hs_engine_schedule(NULL, 1.0, 0, record, &l, 0, NULL), HS_EINVAL);
    assert_int_equal(hs_engine_cancel(NULL, 1), HS_EINVAL);
    assert_int_equal(hs_engine_run(NULL), HS_EINVAL);
    assert_int_equal(hs_engine_run_until(NULL, 1.0), HS_EINVAL);
    assert_int_equal(hs_engine_step(NULL, 1), HS_EINVAL);
    assert_false(hs_engine_is_pending(NULL, 1));
    assert_true(isnan(hs_engine_now(NULL)));
    assert_non_null(hs_engine_errmsg(NULL));
    hs_engine_stop(NULL);
    hs_engine_destroy(NULL);
    hs_engine_destroy(e);
}

/* A random model: every event schedules 0-2 successors at random delays
 * and priorities, and sometimes cancels a pending one.  Its trace hash is
 * a function of the seed alone, and the same for every pending-set kind. */
struct chaos {
    hs_rng r;
    hs_event_id ring[64];
    uint64_t hash, count;
};

static void chaos_event(hs_engine *e, void *ctx, uint64_t data)
{
    struct chaos *c = ctx;
    double now = hs_engine_now(e);
    uint64_t tb;
    memcpy(&tb, &now, sizeof tb);
    c->hash = (c->hash ^ tb ^ (data * 0x9e3779b97f4a7c15u)) * 0x100000001b3u;
    if (++c->count > 200000)
        return;
    int kids = (int)hs_rng_below(&c->r, 3);
    for (int k = 0; k < kids; k++) {
        /* coarse delays make many ties */
        double d = (double)hs_rng_below(&c->r, 8) * 0.5;
        int prio = (int)hs_rng_below(&c->r, 5) - 2;
        hs_event_id id;
        hs_engine_schedule_in(e, d, prio, chaos_event, c, hs_rng_next(&c->r), &id);
        c->ring[hs_rng_below(&c->r, 64)] = id;
    }
    if (hs_rng_below(&c->r, 4) == 0)
        (void)hs_engine_cancel(e, c->ring[hs_rng_below(&c->r, 64)]);
}

static uint64_t chaos_run(uint64_t seed, enum hs_pes_kind kind)
{
    hs_engine *e = make(kind);
    struct chaos c = {0};
    hs_rng_init(&c.r, seed, 0, hs_rng_purpose("chaos"));
    for (uint64_t i = 0; i < 200; i++)
        hs_engine_schedule(e, (double)hs_rng_below(&c.r, 10), 0, chaos_event, &c, i, NULL);
    hs_engine_run(e);
    hs_engine_destroy(e);
    return c.hash ^ c.count;
}

static void same_seed_same_sequence(void **state)
{
    (void)state;
    uint64_t a = chaos_run(42, HS_PES_AUTO);
    assert_true(a == chaos_run(42, HS_PES_AUTO));
    assert_true(a == chaos_run(42, HS_PES_HEAP));
    assert_true(a == chaos_run(42, HS_PES_LADDER));
    assert_true(a == chaos_run(42, HS_PES_BINARY));
    assert_true(a != chaos_run(43, HS_PES_AUTO));
}

/* ---- slot-free handler events ------------------------------------------ */

/* Handler and slot events at equal times obey one order: priority, then
 * the order of scheduling, whichever kind each is; cancelling many slot
 * events (which filters the pending set) keeps every handler event. */
static void handler_events_order_with_slot_events(void **state)
{
    (void)state;
    for (int kind = HS_PES_AUTO; kind <= HS_PES_BINARY; kind++) {
        hs_engine *e = make((enum hs_pes_kind)kind);
        struct log l = {0};
        uint16_t h;
        assert_int_equal(hs_engine_handler(e, record, &l, &h), HS_OK);
        /* data = expected position */
        assert_int_equal(hs_engine_schedule_handler(e, 5.0, 0, h, 3), HS_OK);
        hs_engine_schedule(e, 5.0, 10, record, &l, 1, NULL);
        hs_engine_schedule(e, 5.0, 0, record, &l, 4, NULL);
        assert_int_equal(hs_engine_schedule_handler(e, 5.0, -3, h, 6), HS_OK);
        assert_int_equal(hs_engine_schedule_handler(e, 5.0, 10, h, 2), HS_OK);
        assert_int_equal(hs_engine_schedule_handler(e, 5.0, 0, h, 5), HS_OK);
        hs_engine_schedule(e, 4.0, HS_PRIORITY_MIN, record, &l, 0, NULL);
        assert_int_equal(hs_engine_schedule_handler(e, 6.0, HS_PRIORITY_MAX, h, 7), HS_OK);
        /* enough cancelled slot events to make the engine purge its set */
        for (int i = 0; i < 5000; i++) {
            hs_event_id id;
            assert_int_equal(hs_engine_schedule(e, 5.0, 0, record, &l, 99, &id), HS_OK);
            assert_int_equal(hs_engine_cancel(e, id), HS_OK);
        }
        assert_int_equal(hs_engine_pending(e), 8);
        /* run_until puts back a handler event that lies beyond the end */
        assert_int_equal(hs_engine_run_until(e, 5.5), HS_RUN_TIME);
        assert_int_equal(l.n, 7);
        assert_int_equal(hs_engine_pending(e), 1);
        assert_int_equal(hs_engine_run(e), HS_RUN_EMPTY);
        assert_int_equal(l.n, 8);
        for (uint64_t i = 0; i < 8; i++)
            assert_int_equal(l.data[i], i);
        assert_int_equal(hs_engine_events_processed(e), 8);
        assert_int_equal(hs_engine_events_scheduled(e), 5008);
        hs_engine_destroy(e);
    }
}

/* run_until with a set that cannot allocate: the event beyond each end
 * must stay pending, not vanish.  Every event is counted, in time order,
 * across a thousand boundaries, for every kind of set. */
struct tally {
    uint64_t n;
    double last;
    int disorder;
};

static void tally(hs_engine *e, void *ctx, uint64_t data)
{
    (void)data;
    struct tally *t = ctx;
    t->disorder |= hs_engine_now(e) < t->last;
    t->last = hs_engine_now(e);
    t->n++;
}

static void run_until_loses_nothing_without_memory(void **state)
{
    (void)state;
    static const enum hs_pes_kind kinds[] = {HS_PES_HEAP, HS_PES_LADDER, HS_PES_BINARY,
                                             HS_PES_AUTO};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        hs_engine *e = make(kinds[k]);
        struct tally l = {0, -1.0, 0};
        uint16_t h = 0;
        assert_int_equal(hs_engine_handler(e, tally, &l, &h), HS_OK);
        enum { N = 20000 };
        uint64_t x = 88172645463325252u;
        for (int i = 0; i < N; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            double t = (double)(x >> 11) * 0x1.0p-53 * 1000.0;
            if (i % 2)
                assert_int_equal(hs_engine_schedule_handler(e, t, 0, h, (uint64_t)i), HS_OK);
            else
                assert_int_equal(hs_engine_schedule(e, t, 0, tally, &l, (uint64_t)i, NULL),
                                 HS_OK);
        }
        hsi_pes_set_alloc_budget(hsi_engine_pes(e), 0);
        for (int b = 1; b <= 1000; b++) {
            assert_int_equal(hs_engine_run_until(e, (double)b), HS_RUN_TIME);
            assert_true(hs_engine_now(e) == (double)b);
        }
        hsi_pes_set_alloc_budget(hsi_engine_pes(e), SIZE_MAX);
        assert_int_equal(l.n, N);
        assert_false(l.disorder);
        assert_int_equal(hs_engine_events_processed(e), N);
        assert_int_equal(hs_engine_pending(e), 0);
        hs_engine_destroy(e);
    }
}

static void handler_bad_arguments_are_errors(void **state)
{
    (void)state;
    hs_engine *e = make(HS_PES_AUTO);
    struct log l = {0};
    uint16_t h = 0;
    assert_int_equal(hs_engine_handler(NULL, record, &l, &h), HS_EINVAL);
    assert_int_equal(hs_engine_handler(e, NULL, &l, &h), HS_EINVAL);
    assert_int_equal(hs_engine_handler(e, record, &l, NULL), HS_EINVAL);
    /* no handler registered yet: 0 is not a valid number */
    assert_int_equal(hs_engine_schedule_handler(e, 1.0, 0, 0, 1), HS_EINVAL);
    assert_string_not_equal(hs_engine_errmsg(e), "");
    assert_int_equal(hs_engine_handler(e, record, &l, &h), HS_OK);
    assert_int_equal(h, 0);
    assert_int_equal(hs_engine_schedule_handler(NULL, 1.0, 0, h, 1), HS_EINVAL);
    assert_int_equal(hs_engine_schedule_handler(e, 1.0, 0, (uint16_t)(h + 1), 1), HS_EINVAL);
    assert_int_equal(hs_engine_schedule_handler(e, 1.0, 0, UINT16_MAX, 1), HS_EINVAL);
    assert_int_equal(hs_engine_schedule_handler(e, 1.0, 0, h, HS_HANDLER_DATA_MAX + 1),
                     HS_ERANGE);
    assert_int_equal(hs_engine_schedule_handler(e, 1.0, 0, h, UINT64_MAX), HS_ERANGE);
    assert_int_equal(hs_engine_schedule_handler(e, NAN, 0, h, 1), HS_EINVAL);
    assert_int_equal(hs_engine_schedule_handler(e, INFINITY, 0, h, 1), HS_EINVAL);
    assert_int_equal(hs_engine_schedule_handler(e, 1.0, HS_PRIORITY_MAX + 1, h, 1), HS_EINVAL);
    assert_int_equal(hs_engine_schedule_handler(e, 1.0, HS_PRIORITY_MIN - 1, h, 1), HS_EINVAL);
    assert_int_equal(hs_engine_pending(e), 0);
    /* the largest datum arrives intact; a time in the past is refused */
    assert_int_equal(hs_engine_schedule_handler(e, 2.0, 0, h, HS_HANDLER_DATA_MAX), HS_OK);
    assert_int_equal(hs_engine_schedule_handler(e, 2.0, 0, h, 0), HS_OK);
    assert_int_equal(hs_engine_run(e), HS_RUN_EMPTY);
    assert_int_equal(l.n, 2);
    assert_true(l.data[0] == HS_HANDLER_DATA_MAX);
    assert_true(l.data[1] == 0);
    assert_int_equal(hs_engine_schedule_handler(e, 1.0, 0, h, 1), HS_EINVAL);
    hs_engine_destroy(e);
}

/* A prefetch hint sees the datum of the handler's next event when that
 * event is next, never changes the order, and is refused for an
 * unregistered handler. */
struct hint_log {
    uint64_t seen[16];
    size_t n;
};

static void hint(void *ctx, uint64_t data)
{
    struct hint_log *h = ctx;
    if (h->n < 16)
        h->seen[h->n++] = data;
}

static void hint_event(hs_engine *e, void *ctx, uint64_t data)
{
    (void)e;
    (void)ctx;
    (void)data;
}

static void handler_prefetch_hint(void **state)
{
    (void)state;
    hs_engine *e = make(HS_PES_AUTO);
    struct hint_log hl = {0};
    struct log l = {0};
    uint16_t plain, hinted;
    assert_int_equal(hs_engine_handler_prefetch(e, 0, hint), HS_EINVAL);
    assert_int_equal(hs_engine_handler_prefetch(NULL, 0, hint), HS_EINVAL);
    assert_int_equal(hs_engine_handler(e, record, &l, &plain), HS_OK);
    /* the hint gets the handler's context: here a log, and a callback
     * that does nothing */
    assert_int_equal(hs_engine_handler(e, hint_event, &hl, &hinted), HS_OK);
    assert_int_equal(hs_engine_handler_prefetch(e, hinted, hint), HS_OK);
    assert_int_equal(hs_engine_schedule_handler(e, 1.0, 0, plain, 0), HS_OK);
    assert_int_equal(hs_engine_schedule_handler(e, 2.0, 0, hinted, 7), HS_OK);
    assert_int_equal(hs_engine_schedule_handler(e, 3.0, 0, plain, 1), HS_OK);
    assert_int_equal(hs_engine_schedule_handler(e, 4.0, 0, hinted, 9), HS_OK);
    assert_int_equal(hs_engine_schedule(e, 5.0, 0, record, &l, 2, NULL), HS_OK);
    assert_int_equal(hs_engine_run(e), HS_RUN_EMPTY);
    /* hinted before the events at 2 and 4, each while its predecessor ran */
    assert_int_equal(hl.n, 2);
    assert_true(hl.seen[0] == 7 && hl.seen[1] == 9);
    assert_int_equal(l.n, 3);
    for (uint64_t i = 0; i < 3; i++)
        assert_int_equal(l.data[i], i);
    assert_int_equal(hs_engine_handler_prefetch(e, hinted, NULL), HS_OK);
    hs_engine_destroy(e);
}

/* The chaos model without cancellation, its events scheduled as slot
 * events (mode 0), handler events (mode 1) or either at random (mode 2):
 * the trace must not depend on the kind of event nor of pending set. */
struct tie_model {
    hs_rng r;
    uint16_t h;
    int mode;
    uint64_t hash, count;
};

static void tie_event(hs_engine *e, void *ctx, uint64_t data)
{
    struct tie_model *c = ctx;
    double now = hs_engine_now(e);
    uint64_t tb;
    memcpy(&tb, &now, sizeof tb);
    c->hash = (c->hash ^ tb ^ (data * 0x9e3779b97f4a7c15u)) * 0x100000001b3u;
    if (++c->count > 100000)
        return;
    int kids = (int)hs_rng_below(&c->r, 3);
    for (int k = 0; k < kids; k++) {
        double d = (double)hs_rng_below(&c->r, 8) * 0.5;
        int prio = (int)hs_rng_below(&c->r, 5) - 2;
        uint64_t datum = hs_rng_next(&c->r) & HS_HANDLER_DATA_MAX;
        int handler = c->mode == 2 ? (int)(datum & 1) : c->mode;
        if (handler)
            assert_int_equal(hs_engine_schedule_handler(e, now + d, prio, c->h, datum), HS_OK);
        else
            assert_int_equal(hs_engine_schedule(e, now + d, prio, tie_event, c, datum, NULL),
                             HS_OK);
    }
}

static uint64_t tie_run(uint64_t seed, enum hs_pes_kind kind, int mode)
{
    hs_engine *e = make(kind);
    struct tie_model c = {0};
    c.mode = mode;
    assert_int_equal(hs_engine_handler(e, tie_event, &c, &c.h), HS_OK);
    hs_rng_init(&c.r, seed, 0, hs_rng_purpose("ties"));
    for (uint64_t i = 0; i < 200; i++)
        hs_engine_schedule(e, (double)hs_rng_below(&c.r, 10), 0, tie_event, &c, i, NULL);
    assert_int_equal(hs_engine_run(e), HS_RUN_EMPTY);
    assert_true(hs_engine_events_processed(e) == hs_engine_events_scheduled(e));
    hs_engine_destroy(e);
    return c.hash ^ c.count;
}

static void handler_events_same_seed_same_sequence(void **state)
{
    (void)state;
    uint64_t a = tie_run(42, HS_PES_AUTO, 0);
    for (int kind = HS_PES_AUTO; kind <= HS_PES_LADDER; kind++)
        for (int mode = 0; mode <= 2; mode++)
            assert_true(a == tie_run(42, (enum hs_pes_kind)kind, mode));
    assert_true(a != tie_run(43, HS_PES_AUTO, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(events_run_in_time_order),
        cmocka_unit_test(simultaneous_events_are_ordered),
        cmocka_unit_test(zero_delay_runs_next),
        cmocka_unit_test(cancelled_events_never_run),
        cmocka_unit_test(stale_id_does_not_cancel_reused_slot),
        cmocka_unit_test(mass_cancellation),
        cmocka_unit_test(run_until_stops_at_time),
        cmocka_unit_test(run_until_loses_nothing_without_memory),
        cmocka_unit_test(stop_from_callback),
        cmocka_unit_test(step_runs_n_events),
        cmocka_unit_test(run_from_callback_is_refused),
        cmocka_unit_test(bad_arguments_are_errors),
        cmocka_unit_test(same_seed_same_sequence),
        cmocka_unit_test(handler_events_order_with_slot_events),
        cmocka_unit_test(handler_bad_arguments_are_errors),
        cmocka_unit_test(handler_events_same_seed_same_sequence),
        cmocka_unit_test(handler_prefetch_hint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
