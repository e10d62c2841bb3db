/* SPDX-License-Identifier: MIT
 *
 * chronicle_phrases.h - the narrator's phrasings (chronicle_phrases.c),
 * private to the chronicle.
 */
#ifndef HS_REPORT_CHRONICLE_PHRASES_H
#define HS_REPORT_CHRONICLE_PHRASES_H

/* Several ways of saying one thing. */
struct phrases {
    const char *const *v;
    unsigned n;
};

/* The closings of a life that has ended (ph_closing): the bracelet, a detail
 * of the film, only sometimes. */
enum { CLOSE_BRACELET = 0, CLOSE_RECORDS = 1, CLOSE_NOTHING = 2 };

extern const struct phrases
    ph_from_hailsham, ph_from_humane, ph_from_homes, ph_from_homes_plain, ph_gallery,
    ph_left_estate, ph_became_couple, ph_training, ph_carer_from, ph_carer_alone,
    ph_carer_span, ph_carer_span_now, ph_cared_many, ph_cared_one_died, ph_cared_one_lived,
    ph_notice_first, ph_notice_plain, ph_with_partner, ph_ask_own, ph_ask_theirs,
    ph_ask_either, ph_ask_plain, ph_ask_theirs_plain, ph_ask_either_plain,
    ph_first_donation, ph_next_donation, ph_completed_fourth, ph_completed_early,
    ph_operation_plain, ph_died_plain, ph_carer_first, ph_carer_same_estate,
    ph_carer_changed, ph_no_carer, ph_bed_wait, ph_agitated, ph_agitated_plain,
    ph_still_donor, ph_still_donor_plain, ph_still_carer, ph_still_carer_plain,
    ph_still_training, ph_still_young, ph_partner_end, ph_partner_end_plain, ph_closing,
    ph_closing_plain;

#endif
