/* SPDX-License-Identifier: MIT
 *
 * hailsham.h - the public API of the hailsham simulation engine, in one
 * include: the event kernel, random streams, distributions, statistics.
 */
#ifndef HAILSHAM_H
#define HAILSHAM_H

#include "status.h"
#include "pes.h"
#include "engine.h"
#include "rng.h"
#include "dist.h"
#include "stats.h"
#include "hailsham/version.h"

#endif
