/* cd-number.c — a number as a user wrote it (cd-number.h).
 *
 * "1e-400" is not 0, nor "1e400" infinite: a text strtod cannot hold is
 * told apart from one that is no number at all, so that the message can
 * say which (the CLI's options, sweep's bounds, a policy lever's cost).
 * Only decimal notation counts, as in a model file: strtod would also
 * read "0x10" as 16, " 1" as 1 and "0x1p-3" as 0.125.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "cd-number.h"

CdNumberText
cd_number_scan (const char *text,
                double     *out)
{
  char *end = NULL;
  double v;

  if (text == NULL || *text == '\0' || text[strspn (text, "0123456789+-.eE")] != '\0')
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
