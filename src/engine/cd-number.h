/* cd-number.h — a number as a user wrote it on a command line or in an
 * option: one, not one, or one outside double's range.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CD_NUMBER_OK,
  CD_NUMBER_NOT,             /* empty, not all of it a number, "inf", "nan", "0x10" */
  CD_NUMBER_OUT_OF_RANGE,    /* "1e999", "1e-400": strtod's ERANGE */
} CdNumberText;

/* What text is as a number, with '.' as the decimal point whatever the
 * locale; *out is set only for CD_NUMBER_OK. */
CdNumberText cd_number_scan (const char *text,
                             double     *out);

G_END_DECLS
