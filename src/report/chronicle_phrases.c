/* SPDX-License-Identifier: MIT
 *
 * chronicle_phrases.c - the narrator's phrasings: for each kind of sentence
 * of a life, several ways of saying it, one chosen by the donor's id
 * (chronicle.c), so that a cohort read together does not read as a
 * ledger.  {name} in a phrasing is a value of the life being told.
 */
#include "chronicle_phrases.h"

#define NOF(tbl) ((unsigned)(sizeof(tbl) / sizeof(tbl)[0]))

static const char *const from_hailsham_[] = {
    "{name} was born {born} and grew up at Hailsham. ",
    "{name} was a Hailsham student. {P} was born {born}. ",
    "I knew of {name} because {p} was from Hailsham; {p} had been there since {p} was born, "
    "{born}. ",
    "{name} was born {born}, and grew up at Hailsham, among the guardians and the "
    "Exchanges. ",
};
const struct phrases ph_from_hailsham = {from_hailsham_, NOF(from_hailsham_)};

static const char *const from_humane_[] = {
    "{name} came from {estate}. People said it was one of the better places, a little like "
    "Hailsham; {p} had been there since {p} was born, {born}. ",
    "{name} was born {born} and raised {at}, which, like Hailsham, was one of the places that "
    "tried to do things properly. ",
    "{name} was born {born} {at}. It was one of the homes people spoke of kindly, the way they "
    "spoke of Hailsham. ",
};
const struct phrases ph_from_humane = {from_humane_, NOF(from_humane_)};

static const char *const from_homes_[] = {
    "{name} was born {born} and raised {at}. We never heard much about those places, and what "
    "we did hear we tried not to think about. ",
    "{name} came from {estate}, where {p} had been since {p} was born, {born}. Nobody I knew "
    "ever talked about what it was like there. ",
    "{name} was born {born}, {at}. ",
    "{name} was born {born}. {P} grew up {at}, one of the big places none of us ever saw. ",
    "The records put {name}'s birth {born}, {at}. ",
    "{name} grew up {at}. {P} was born there {born}. ",
};
const struct phrases ph_from_homes = {from_homes_, NOF(from_homes_)};

static const char *const from_homes_plain_[] = {
    "{name} was born {born} and kept {at}, where children were raised for their organs in "
    "conditions nobody outside wanted to see. ",
    "{name} was made {born} and raised {at}, one of the places where children were kept for "
    "their organs and nobody outside asked how. ",
    "{name} was born {born} {at}, where children were raised for their organs and little "
    "else. ",
};
const struct phrases ph_from_homes_plain = {from_homes_plain_, NOF(from_homes_plain_)};

static const char *const gallery_[] = {
    "Madame took {n} of {pos} pictures for the Gallery, which at the time seemed to matter "
    "more than almost anything. ",
    "{P} made things for the Exchanges like everyone else, and Madame took {n} of them away "
    "for her Gallery. ",
    "Madame chose {things} of {poss} for the Gallery; {p} never found out what became of "
    "{them}. ",
};
const struct phrases ph_gallery = {gallery_, NOF(gallery_)};

static const char *const left_estate_[] = {
    "{P} left {estate} {t}, when {p} was {age}, and went to {to}. ",
    "{^t} {p} was sent on to {to}; {p} was {age}. ",
    "At {age} {p} left {estate} for {to}, {t}. ",
};
const struct phrases ph_left_estate = {left_estate_, NOF(left_estate_)};

static const char *const became_couple_[] = {
    "{P} and {q} became a couple at {to}. ",
    "At {to} {p} and {q} got together. ",
    "It was at {to} that {p} and {q} became a couple. ",
};
const struct phrases ph_became_couple = {became_couple_, NOF(became_couple_)};

static const char *const training_[] = {
    "{P} started {pos} training {t}", "{P} began the carers' courses {t}",
    "{^t} {p} went on to the training",
};
const struct phrases ph_training = {training_, NOF(training_)};

static const char *const carer_from_[] = {
    ", and became a carer {t}. ", ", and took up caring {t}. ",
};
const struct phrases ph_carer_from = {carer_from_, NOF(carer_from_)};

static const char *const carer_alone_[] = {
    "{P} became a carer {t}. ",
    "{^t} {p} became a carer. ",
};
const struct phrases ph_carer_alone = {carer_alone_, NOF(carer_alone_)};

static const char *const carer_span_[] = {
    "{P} was a carer for {s}. ", "{P} kept on caring for {s}. ",
    "All told, {p} was a carer for {s}. ",
};
const struct phrases ph_carer_span = {carer_span_, NOF(carer_span_)};

static const char *const carer_span_now_[] = {
    "{P} has been a carer for {s} now. ", "{P} has been caring for {s} now. ",
};
const struct phrases ph_carer_span_now = {carer_span_now_, NOF(carer_span_now_)};

/* {some}: "none of them", "two of them", "both of them", "all of them" */
static const char *const cared_many_[] = {
    "In that time {p} looked after {n}; {some} {died} while {p} was caring for them. ",
    "{P} looked after {n} in those years, and {some} {died} in {pos} care. ",
    ("Over those years {n} had {obj} as their carer; {some} {died} while {p} was looking "
     "after them. "),
};
const struct phrases ph_cared_many = {cared_many_, NOF(cared_many_)};

static const char *const cared_one_died_[] = {
    "In that time {p} looked after only one {one}, who {died} while {p} was caring for them. ",
    "{P} looked after a single {one} in those years, and that {one} {died} in {pos} care. ",
};
const struct phrases ph_cared_one_died = {cared_one_died_, NOF(cared_one_died_)};

static const char *const cared_one_lived_[] = {
    "In that time {p} looked after only one {one}, who did not {die} in {pos} care. ",
    "{P} looked after a single {one} in those years, who did not {die} while {p} was caring "
    "for them. ",
};
const struct phrases ph_cared_one_lived = {cared_one_lived_, NOF(cared_one_lived_)};

static const char *const notice_first_[] = {
    "{Pos} notice came {t}, when {p} was {age}. ",
    "{P} got {pos} notice {t}. {P} was {age}. ",
    "{^t}, when {p} was {age}, {pos} notice came. ",
    "The notice came for {obj} {t}; {p} was {age}. ",
};
const struct phrases ph_notice_first = {notice_first_, NOF(notice_first_)};

static const char *const notice_plain_[] = {
    "The order for {pos} first operation came {t}, when {p} was {age}. ",
    "{^t}, at {age}, {p} was told {pos} operations would begin. ",
};
const struct phrases ph_notice_plain = {notice_plain_, NOF(notice_plain_)};

static const char *const with_partner_[] = {
    "By then {p} was with {q}. ",
    ("{P} and {q} were together by then, as they had been since their time at {to}. "),
    "{P} was still with {q} then. ",
};
const struct phrases ph_with_partner = {with_partner_, NOF(with_partner_)};

/* a deferral asked for on this donor's notice */
static const char *const ask_own_[] = {
    "{P} and {q} asked for a deferral. They had heard, the way everyone heard things at {to}, "
    "that a couple who could show they were really in love might be given a few years. They "
    "were told that there had never been any such thing. ",
    "{P} and {q} went to ask for a deferral, because of what the veterans at {to} used to say. "
    "It was explained to them, kindly enough, that deferrals had never existed. ",
    "{P} and {q} went together to ask for a deferral. They came back knowing there had never "
    "been such a thing. ",
};
const struct phrases ph_ask_own = {ask_own_, NOF(ask_own_)};

/* on the partner's notice, {t} */
static const char *const ask_theirs_[] = {
    "When the notice came for {q}, {t}, the two of them asked for a deferral. They had heard, "
    "the way everyone heard things at {to}, that a couple who could show they were really in "
    "love might be given a few years. They were told that there had never been any such "
    "thing. ",
    "{^t}, when the notice came for {q}, the two of them went to ask for a deferral, because "
    "of what the veterans at {to} used to say. It was explained to them, kindly enough, that "
    "deferrals had never existed. ",
};
const struct phrases ph_ask_theirs = {ask_theirs_, NOF(ask_theirs_)};

/* on one of their notices, the records do not say whose */
static const char *const ask_either_[] = {
    "Once the notices had begun, {p} and {q} went to ask for a deferral; the records don't say "
    "whose notice it was. They were told that there had never been any such thing. ",
};
const struct phrases ph_ask_either = {ask_either_, NOF(ask_either_)};

static const char *const ask_plain_[] = {
    "{P} and {q} asked for a deferral: a few years' delay for a couple who could prove they "
    "were in love, as the older ones said. There was no such thing, and there never had "
    "been. ",
};
const struct phrases ph_ask_plain = {ask_plain_, NOF(ask_plain_)};

static const char *const ask_theirs_plain_[] = {
    "{^t}, when {q} was ordered in for a first operation, the two of them asked for a "
    "deferral: a few years' delay for a couple who could prove they were in love. There was "
    "no such thing, and there never had been. ",
};
const struct phrases ph_ask_theirs_plain = {ask_theirs_plain_, NOF(ask_theirs_plain_)};

static const char *const ask_either_plain_[] = {
    "When the orders for their operations began, {p} and {q} asked for a deferral, at whose "
    "order the records don't say. There was no such thing, and there never had been. ",
};
const struct phrases ph_ask_either_plain = {ask_either_plain_, NOF(ask_either_plain_)};

static const char *const first_donation_[] = {
    "{Pos} first donation was {t}, {at}. ", "{P} gave {pos} first donation {t}, {at}. ",
    "{^t} {p} made {pos} first donation, {at}. ",
};
const struct phrases ph_first_donation = {first_donation_, NOF(first_donation_)};

static const char *const next_donation_[] = {
    "The {ord} came {t}, {at}. ", "{P} gave {pos} {ord} donation {at}, {t}. ",
    "{^t} came the {ord}, {at}. ",
};
const struct phrases ph_next_donation = {next_donation_, NOF(next_donation_)};

static const char *const completed_fourth_[] = {
    "{P} completed at the fourth donation, {t}, {at}, as everyone does who gets that far. {P} "
    "was {age}. ",
    "{^t}, {at}, {p} completed at the fourth donation. {P} was {age}. ",
};
const struct phrases ph_completed_fourth = {completed_fourth_, NOF(completed_fourth_)};

static const char *const completed_early_[] = {
    "{P} completed after {pos} {ord} donation, {t}, {at}. {P} was {age}. ",
    "{^t}, {at}, {p} completed at {pos} {ord} donation; {p} was {age}. ",
    "{Pos} {ord} donation, {t}, {at}, was the one {p} didn't come back from. {P} was {age}. ",
};
const struct phrases ph_completed_early = {completed_early_, NOF(completed_early_)};

static const char *const operation_plain_[] = {
    "{Pos} {ord} operation was {at}, {t}, where they removed {org}; afterwards {p} was kept "
    "there for the next. ",
    "{^t}, {at}, surgeons removed {org}; {p} was held there, waiting for the next operation. ",
    "The {ord} operation, {t}, {at}, took {org}, and {p} was kept at the holding centre until "
    "the next. ",
};
const struct phrases ph_operation_plain = {operation_plain_, NOF(operation_plain_)};

static const char *const died_plain_[] = {
    "{P} died at the {ord} operation, {t}, {at}, when they took {org}. {P} was {age}. ",
    "{^t}, {at}, the {ord} operation took {org}, and {p} did not survive it. {P} was {age}. ",
};
const struct phrases ph_died_plain = {died_plain_, NOF(died_plain_)};

static const char *const carer_first_[] = {
    "{cn} was {pos} carer. ",
    "{cn} was looking after {obj} then. ",
    "{Pos} carer then was {cn}. ",
};
const struct phrases ph_carer_first = {carer_first_, NOF(carer_first_)};

static const char *const carer_same_estate_[] = {
    "{cn}, who had been at {ce} too, was {pos} carer. ",
    "{Pos} carer was {cn}, who had also been at {ce}. ",
};
const struct phrases ph_carer_same_estate = {carer_same_estate_, NOF(carer_same_estate_)};

static const char *const carer_changed_[] = {
    "By then {pos} carer was {cn}. ", "{cn} was {pos} carer by then. ",
    "{P} had a new carer by then, {cn}. ",
};
const struct phrases ph_carer_changed = {carer_changed_, NOF(carer_changed_)};

static const char *const no_carer_[] = {
    "{P} had no carer then. ", "There was no carer for {obj} at that one. ",
};
const struct phrases ph_no_carer = {no_carer_, NOF(no_carer_)};

static const char *const bed_wait_[] = {
    "{P} waited {n} for a bed. ", "There was no bed for {obj} at first; {p} waited {n}. ",
};
const struct phrases ph_bed_wait = {bed_wait_, NOF(bed_wait_)};

static const char *const agitated_[] = {
    "{P} didn't take it well; the records call {obj} agitated after that one. ",
    "That one went badly for {obj}; the records call {obj} agitated afterwards. ",
};
const struct phrases ph_agitated = {agitated_, NOF(agitated_)};

static const char *const agitated_plain_[] = {
    "{P} was agitated afterwards, and it took {obj} longer to heal. ",
};
const struct phrases ph_agitated_plain = {agitated_plain_, NOF(agitated_plain_)};

static const char *const still_donor_[] = {
    "When this record ends, in {end}, {p} has made {n} and is {at}, recovering for the next. ",
    "The records stop in {end}. By then {p} had made {n}, and was {at}, recovering. ",
    "{P} is still between donations when the records stop, in {end}, with {n} behind {obj}. ",
};
const struct phrases ph_still_donor = {still_donor_, NOF(still_donor_)};

static const char *const still_donor_plain_[] = {
    "When this record ends, in {end}, {n} {have} taken {pos} organs, and {p} is waiting {at} "
    "for the next. ",
};
const struct phrases ph_still_donor_plain = {still_donor_plain_, NOF(still_donor_plain_)};

static const char *const still_carer_[] = {
    ("When this record ends, in {end}, {p} is still a carer, and {pos} notice has not come "
     "yet. "),
    "The records stop in {end} with {obj} still a carer; {pos} notice hadn't come. ",
    "{P} is still a carer when the records stop, in {end}. ",
};
const struct phrases ph_still_carer = {still_carer_, NOF(still_carer_)};

static const char *const still_carer_plain_[] = {
    "When this record ends, in {end}, {p} is still a carer, and the order for {pos} first "
    "operation has not come yet. ",
};
const struct phrases ph_still_carer_plain = {still_carer_plain_, NOF(still_carer_plain_)};

static const char *const still_training_[] = {
    "When this record ends, in {end}, {p} is still in training to be a carer. ",
    "The records stop in {end}, with {obj} still on the carers' courses. ",
};
const struct phrases ph_still_training = {still_training_, NOF(still_training_)};

static const char *const still_young_[] = {
    ("When this record ends, in {end}, {p} is still {at}, and has been told and not told what "
     "is coming. "),
    "The records stop in {end}, with {obj} still {at}. ",
    "{P} is still {at} when the records stop, in {end}. ",
};
const struct phrases ph_still_young = {still_young_, NOF(still_young_)};

static const char *const partner_end_[] = {
    "{q} completed {t}, at {qpos} {ord} donation. ",
    "As for {q}, {qp} completed {t}, at the {ord} donation. ",
};
const struct phrases ph_partner_end = {partner_end_, NOF(partner_end_)};

static const char *const partner_end_plain_[] = {
    "{q} died {t}, at the {ord} operation. ",
};
const struct phrases ph_partner_end_plain = {partner_end_plain_, NOF(partner_end_plain_)};

static const char *const closing_[] = {
    "The scanners read {pos} bracelet for the last time {at}, {d}. ",
    "That is all the records say. ",
    "",
    ("I didn't know {who} well, but I think of {obj} sometimes, on the long drives between "
     "centres. "),
    "Of {who} I've put down only what the records show; the rest went with {obj}. ",
    "",
};
const struct phrases ph_closing = {closing_, NOF(closing_)};

static const char *const closing_plain_[] = {
    "{Pos} tracking chip was last read {at}, {d}. ",
    "That is all the records hold. ",
    "",
    "I have written down what was done to {who}, in the words for it. ",
};
const struct phrases ph_closing_plain = {closing_plain_, NOF(closing_plain_)};
