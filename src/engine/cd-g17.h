/* cd-g17.h — numbers as printf's "%.17g" writes them, without printf.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes exactly 17 significant digits ("%.17g"), '.' as the decimal point;
 * returns the length.  buf must hold 32 bytes. */
int          cd_format_g17          (char           *buf,
                                     double          value);

/* Writes ",v[0],v[1],…,v[n-1]" at p, each number as cd_format_g17() writes
 * it, and returns the end of the text.  Up to 32 bytes past the end may be
 * written (not part of the text). */
char        *cd_g17_put_cells       (char           *p,
                                     const double   *v,
                                     gsize           n);

/* TRUE when cd_g17_put_cells() formats eight numbers at a time (AVX-512). */
gboolean     cd_g17_vectorized      (void);

G_END_DECLS
