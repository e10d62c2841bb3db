/* SPDX-License-Identifier: MIT
 *
 * wrap.c - a sentence under a command's table, broken between words
 * (could-it-work's answer, run's word on its calibrated scale).
 */
#include "wrap.h"

#include <stdio.h>
#include <string.h>

void hs_cli_print_wrapped(const char *s, size_t columns)
{
    const size_t width = columns > 2 ? columns - 2 : 1;
    size_t col = 0;
    fputs("  ", stdout);
    while (*s) {
        size_t w = strcspn(s, " ");
        if (col > 0 && col + 1 + w > width) {
            fputs("\n  ", stdout);
            col = 0;
        } else if (col > 0) {
            fputc(' ', stdout);
            col++;
        }
        fwrite(s, 1, w, stdout);
        col += w;
        s += w;
        while (*s == ' ')
            s++;
    }
    fputc('\n', stdout);
}
