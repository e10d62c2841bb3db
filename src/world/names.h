/* SPDX-License-Identifier: MIT
 *
 * names.h - first names for donors: the students of the novel first, then
 * names common in England for children born from the 1950s to the 1990s.
 */
#ifndef HS_WORLD_NAMES_H
#define HS_WORLD_NAMES_H

#include <stddef.h>

static const char *const hs_names_female[] = {
    "Kathy", "Ruth", "Laura", "Hannah", "Cynthia", "Chrissie", "Patricia", "Moira",
    "Susie", "Sylvia", "Midge", "Lucy", "Amanda", "Anne", "Alison", "Carol", "Clare",
    "Deborah", "Diane", "Elaine", "Emma", "Fiona", "Gillian", "Helen", "Jane", "Janet",
    "Jennifer", "Joanne", "Julie", "Karen", "Linda", "Lisa", "Margaret", "Mary",
    "Nicola", "Pauline", "Rachel", "Rebecca", "Sarah", "Sharon", "Stephanie", "Susan",
    "Tracey", "Valerie", "Wendy",
};
static const char *const hs_names_male[] = {
    "Tommy", "Rodney", "Harry", "Arthur", "Peter", "Gordon", "Roger", "Keith",
    "Alan", "Andrew", "Anthony", "Brian", "Christopher", "Colin", "Darren", "David",
    "Derek", "Gary", "Graham", "Ian", "James", "Jason", "John", "Kevin", "Lee",
    "Mark", "Martin", "Matthew", "Michael", "Neil", "Nigel", "Paul", "Philip",
    "Richard", "Robert", "Simon", "Stephen", "Stuart", "Terry", "Trevor", "William",
};
#define HS_NAMES_FEMALE (sizeof hs_names_female / sizeof hs_names_female[0])
#define HS_NAMES_MALE (sizeof hs_names_male / sizeof hs_names_male[0])

#endif
