/* test-format.c — cd_format_g17() and cd_g17_put_cells() must write exactly
 * what printf's "%.17g" writes.
 *
 * The CSV writer formats numbers without printf (cd-g17.c) for speed; docs/model.md
 * promises 17 significant digits, so every finite double must come out byte
 * for byte as "%.17g" in the C locale.  Checked on edge cases and on millions
 * of random doubles of every exponent (more with `-m slow`), one at a time
 * and in rows (eight at a time where the processor has AVX-512).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cd-g17.h"

/* Random doubles for one run; the seed is printed so that a failure can be
 * reproduced with --seed. */
static guint64 rng_state;

static guint64
next_bits (void)
{
  /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * G_GUINT64_CONSTANT (2685821657736338717);
}

static double
from_bits (guint64 bits)
{
  double v;
  memcpy (&v, &bits, sizeof v);
  return v;
}

static guint n_failures;
static guint64 n_checked;

/* The row path: every value checked one at a time also goes through
 * cd_g17_put_cells(), in rows of 1 to ROW_MAX values (so that rows end at
 * every point of a block of eight), against the same printf text. */
#define ROW_MAX 37
static double row_values[ROW_MAX];
static char row_expected[ROW_MAX * 32];
static gsize row_expected_length;
static guint row_n, row_length = 1;
static guint64 n_rows;

static void
check_row (void)
{
  char got[ROW_MAX * 32 + 64];
  char *end;
  gsize length;

  if (row_n == 0)
    return;
  n_rows++;
  memset (got, 'X', sizeof got);
  end = cd_g17_put_cells (got, row_values, row_n);
  length = end - got;
  /* the text, and nothing written 32 bytes or more past it */
  if (length != row_expected_length || memcmp (got, row_expected, length) != 0
      || got[length + 32] != 'X' || got[length + 33] != 'X')
    {
      if (n_failures++ < 20)
        g_test_message ("a row of %u from %a: printf gives \"%.*s\", cd_g17_put_cells \"%.*s\"",
                        row_n, row_values[0], (int) row_expected_length, row_expected,
                        (int) MIN (length, sizeof got - 34), got);
    }
  row_n = 0;
  row_expected_length = 0;
  row_length = row_length % ROW_MAX + 1;
}

static void
add_to_row (double      value,
            const char *expected)
{
  gsize len = strlen (expected);

  row_values[row_n++] = value;
  row_expected[row_expected_length++] = ',';
  memcpy (row_expected + row_expected_length, expected, len);
  row_expected_length += len;
  if (row_n == row_length)
    check_row ();
}

/* Compares one value; reports the first few mismatches in full. */
static gboolean
check_one (double value)
{
  char expected[64], got[64];
  int len;

  n_checked++;
  snprintf (expected, sizeof expected, "%.17g", value);
  add_to_row (value, expected);
  memset (got, 'X', sizeof got);
  len = cd_format_g17 (got, value);
  if (len >= 0 && len < 32 && got[len] == '\0' && strcmp (expected, got) == 0)
    return TRUE;
  if (n_failures++ < 20)
    g_test_message ("%a: \"%%.17g\" gives \"%s\", cd_format_g17 \"%.*s\" (length %d)", value,
                    expected, (int) CLAMP (len, 0, 31), got, len);
  return FALSE;
}

static guint64
n_random (guint64 quick)
{
  return g_test_slow () ? quick * 10 : quick;
}

static void
finish (const char *what)
{
  check_row ();
  g_test_message ("%" G_GUINT64_FORMAT " %s compared, and in %" G_GUINT64_FORMAT
                  " rows (%s)", n_checked, what, n_rows,
                  cd_g17_vectorized () ? "eight at a time, AVX-512" : "one at a time");
  g_assert_cmpuint (n_checked, >, 0);
  g_assert_cmpuint (n_rows, >, 0);
  n_checked = 0;
  n_rows = 0;
  if (n_failures > 0)
    {
      g_test_message ("%u values differ from printf", n_failures);
      g_test_fail ();
    }
  n_failures = 0;
}

static void
test_format_edges (void)
{
  static const double fixed[] = {
    0.0, 1.0, 0.5, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 10.0, 100.0, 123456789.0,
    /* %g switches to exponent notation below 1e-4 and at 1e17 */
    1e-4, 1e-5, 0.0001, 0.00010000000000000001, 9.9999999999999991e-5, 1e-5 * 9.99,
    1e16, 1e17, 99999999999999984.0, 99999999999999992.0, 1e17 + 16,
    /* exact ties at the 17th digit: (4·10^15 + 1) / 4 = 1000000000000000.25 */
    1000000000000000.25, 1000000000000000.75, 4503599627370497.5, 2251799813685248.25,
    0.5 + DBL_EPSILON, 1.0 - DBL_EPSILON / 2, 1.0 + DBL_EPSILON,
    /* the ends of the range */
    DBL_MIN, DBL_MAX, DBL_TRUE_MIN, 4.9406564584124654e-324, 2.2250738585072009e-308,
    1.7976931348623157e308, 1e308, 1e-308, 1e-320, 1e-323,
    /* digits that round up to the next power of ten */
    9.9999999999999999e22, 9.999999999999999e22, 999999999999999999.0, 0.099999999999999999,
    9.5, 95.0, 0.95, 9.9999999999999995e-5,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    {
      check_one (fixed[i]);
      check_one (-fixed[i]);
      check_one (nextafter (fixed[i], 0.0));
      check_one (nextafter (fixed[i], INFINITY));
    }
  check_one (-0.0);

  /* Every power of ten, its neighbours, and the doubles either side of the
   * halfway points around it. */
  for (int e = -323; e <= 308; e++)
    {
      char text[16];
      double p, q;

      g_snprintf (text, sizeof text, "1e%d", e);
      p = q = g_ascii_strtod (text, NULL);

      for (int step = 0; step < 4; step++)
        {
          check_one (q);
          q = nextafter (q, INFINITY);
        }
      q = p;
      for (int step = 0; step < 4; step++)
        {
          q = nextafter (q, 0.0);
          check_one (q);
        }
      check_one (p * 5);
      check_one (p * 9.5);
    }

  /* Every power of two. */
  for (int e = -1074; e <= 1023; e++)
    {
      check_one (ldexp (1.0, e));
      check_one (nextafter (ldexp (1.0, e), 0.0));
    }

  /* Every subnormal with few bits, and the largest ones. */
  for (guint64 m = 1; m < 4096; m++)
    {
      check_one (from_bits (m));
      check_one (from_bits ((G_GUINT64_CONSTANT (1) << 52) - m));
    }
  finish ("edge cases");
}

/* Random bit patterns: every exponent is equally likely, so subnormals,
 * huge and tiny numbers get as many trials as ordinary ones. */
static void
test_format_random_bits (void)
{
  guint64 n = n_random (3000000);

  for (guint64 i = 0; i < n; i++)
    {
      double v = from_bits (next_bits ());

      if (!isfinite (v))
        continue;
      check_one (v);
    }
  finish ("random bit patterns");
}

/* What a simulation writes: values in [0, 1] (coordination, trust), forces
 * of a few units, losses up to thousands, times k·dt. */
static void
test_format_random_ranges (void)
{
  static const double scales[] = { 1.0, 1e-3, 10.0, 5000.0, 1e-12, 1e12 };
  guint64 n = n_random (2000000);

  for (guint64 i = 0; i < n; i++)
    {
      double u = (next_bits () >> 11) * 0x1p-53;
      check_one (u * scales[i % G_N_ELEMENTS (scales)]);
    }
  for (guint k = 0; k < 100000; k++)
    {
      check_one (k * 0.1);
      check_one (k * 0.05);
      check_one (k * 0.01);
    }
  finish ("random values in simulation ranges");
}

/* Doubles whose exact decimal value has 18 significant digits ending in 5,
 * so that "%.17g" must break a tie (to even), and their neighbours. */
static void
test_format_ties (void)
{
  guint64 n = n_random (500000);

  for (guint64 i = 0; i < n; i++)
    {
      /* m · 2^-j with m < 2^53 odd ends in 5 after j decimals; with
       * j = 2…4 and m ≥ 10^17 / 4^j that makes 18 significant digits. */
      guint j = 2 + i % 3;
      guint64 lo = G_GUINT64_CONSTANT (100000000000000000) >> (2 * j);  /* ≈ 10^17 / 4^j */
      guint64 m = (lo + next_bits () % lo) | 1;
      double v;

      if (m >= G_GUINT64_CONSTANT (1) << 53)
        continue;
      v = ldexp ((double) m, -(int) j);
      check_one (v);
      check_one (nextafter (v, 0.0));
      check_one (nextafter (v, INFINITY));
      check_one (ldexp (v, -20));   /* other digits, another exponent */
    }
  finish ("doubles at or next to 17-digit ties");
}

static void
test_format_not_finite (void)
{
  char buf[32];
  char expected[32];

  /* Not for the CSV (the simulator stops before), but the function must
   * still say what the value is. */
  cd_format_g17 (buf, INFINITY);
  g_assert_cmpstr (buf, ==, g_ascii_formatd (expected, sizeof expected, "%.17g", INFINITY));
  cd_format_g17 (buf, -INFINITY);
  g_assert_cmpstr (buf, ==, g_ascii_formatd (expected, sizeof expected, "%.17g", -INFINITY));
  cd_format_g17 (buf, NAN);
  g_assert_cmpstr (buf, ==, g_ascii_formatd (expected, sizeof expected, "%.17g", NAN));

  /* in a row, among numbers the row path formats eight at a time */
  {
    const double row[] = { 0.25, INFINITY, 0.5, -INFINITY, 0.75, NAN, -NAN, 1.0, 0.125,
                           -0.0, 0.0 };
    char got[G_N_ELEMENTS (row) * 32 + 32], *end;
    GString *want = g_string_new (NULL);

    for (guint i = 0; i < G_N_ELEMENTS (row); i++)
      {
        g_string_append_c (want, ',');
        g_string_append (want, g_ascii_formatd (expected, sizeof expected, "%.17g", row[i]));
      }
    end = cd_g17_put_cells (got, row, G_N_ELEMENTS (row));
    *end = '\0';
    g_assert_cmpstr (got, ==, want->str);
    g_string_free (want, TRUE);
  }
}

/* A locale with a decimal comma must not change the output. */
static void
test_format_locale (void)
{
  static const char *const commas[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8", NULL };
  const char *found = NULL;
  char buf[32], expected[32];

  for (guint i = 0; commas[i] != NULL && found == NULL; i++)
    if (setlocale (LC_NUMERIC, commas[i]) != NULL)
      found = commas[i];
  if (found == NULL)
    {
      g_test_skip ("SKIP: no locale with a decimal comma is installed (tried de_DE, fr_FR, "
                   "ru_RU); install locales-all to run this check");
      return;
    }
  cd_format_g17 (buf, 0.25);
  g_assert_cmpstr (buf, ==, "0.25");
  cd_format_g17 (buf, 1.0 / 3);
  g_assert_cmpstr (buf, ==, g_ascii_formatd (expected, sizeof expected, "%.17g", 1.0 / 3));
  g_assert_nonnull (strchr (buf, '.'));
  setlocale (LC_NUMERIC, "C");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The reference is printf in the C locale. */
  setlocale (LC_NUMERIC, "C");
  rng_state = (guint32) g_test_rand_int () | ((guint64) (guint32) g_test_rand_int () << 32) | 1;
  g_test_message ("random doubles from seed %" G_GUINT64_FORMAT, rng_state);

  g_test_add_func ("/engine/format/edges", test_format_edges);
  g_test_add_func ("/engine/format/random-bits", test_format_random_bits);
  g_test_add_func ("/engine/format/random-ranges", test_format_random_ranges);
  g_test_add_func ("/engine/format/ties", test_format_ties);
  g_test_add_func ("/engine/format/not-finite", test_format_not_finite);
  g_test_add_func ("/engine/format/locale", test_format_locale);
  return g_test_run ();
}
