/* SPDX-License-Identifier: MIT
 *
 * wrap.h - a sentence under a command's table, broken between words.
 */
#ifndef HS_CLI_WRAP_H
#define HS_CLI_WRAP_H

#include <stddef.h>

/* s on stdout, each line indented by two spaces and at most `columns`
 * wide with them (a word longer than that on a line of its own). */
void hs_cli_print_wrapped(const char *s, size_t columns);

#endif
