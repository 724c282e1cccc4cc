/* cd-number.c — a number as a user wrote it (cd-number.h).
 *
 * "1e-400" is not 0, nor "1e400" infinite: a text strtod cannot hold is
 * told apart from one that is no number at all, so that the message can
 * say which (the CLI's options, sweep's bounds, a policy lever's cost).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>

#include "cd-number.h"

CdNumberText
cd_number_scan (const char *text,
                double     *out)
{
  char *end = NULL;
  double v;

  if (text == NULL || *text == '\0')
    return CD_NUMBER_NOT;
  errno = 0;
  v = g_ascii_strtod (text, &end);
  if (end == NULL || *end != '\0')
    return CD_NUMBER_NOT;
  if (errno == ERANGE)
    return CD_NUMBER_OUT_OF_RANGE;
  if (!isfinite (v))
    return CD_NUMBER_NOT;
  *out = v;
  return CD_NUMBER_OK;
}
