/* cd-csv.c — streaming CSV output of a run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "cd-csv.h"
#include "cd-system-private.h"

struct _CdCsvWriter
{
  FILE           *out;
  const CdSystem *sys;
  gboolean        forces;
  gboolean        trust;
  gboolean        factors;
  double         *factor_buf;   /* CD_N_FACTORS × n_nodes, factor-major */
  CdWorkspace    *ws;           /* for the factors */
  GString        *line;
};

CdCsvWriter *
cd_csv_writer_new (FILE           *out,
                   const CdSystem *sys,
                   gboolean        forces,
                   gboolean        trust)
{
  CdCsvWriter *w = g_new0 (CdCsvWriter, 1);

  w->out = out;
  w->sys = sys;
  w->forces = forces;
  w->trust = trust;
  w->line = g_string_sized_new (64 + 24 * sys->n_nodes * (forces ? 5 : 1));
  return w;
}

void
cd_csv_writer_set_factors (CdCsvWriter *w,
                           gboolean     factors)
{
  g_return_if_fail (w != NULL);

  w->factors = factors;
  if (factors && w->factor_buf == NULL)
    {
      w->factor_buf = g_new (double, CD_N_FACTORS * (gsize) MAX (w->sys->n_nodes, 1));
      w->ws = cd_workspace_new (w->sys);
    }
}

void
cd_csv_writer_free (CdCsvWriter *w)
{
  if (w == NULL)
    return;
  g_string_free (w->line, TRUE);
  g_free (w->factor_buf);
  g_clear_pointer (&w->ws, cd_workspace_free);
  g_free (w);
}

void
cd_csv_append_cell (GString    *out,
                    const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* ---- "%.17g" without printf ------------------------------------------------
 *
 * glibc's printf converts through multi-precision arithmetic and took most of
 * the time of writing a run.  Here v·10^q is computed with a 64 × 128-bit
 * multiplication against a table of 10^q rounded down to 128 bits, which
 * gives the 17-digit integer part and the top 64 bits of the fraction with
 * an error of a few units in the last of those bits.  Only when the fraction
 * is that close to one half — where the correctly rounded result could go
 * either way, exact ties included — printf decides.  tests/engine/test-format.c
 * compares the result with snprintf over many millions of doubles. */

/* The fast path needs 128-bit integers (GCC and Clang on 64-bit targets);
 * elsewhere printf does it all. */
#ifdef __SIZEOF_INT128__

#define POW10_MIN (-350)
#define POW10_MAX 350

typedef unsigned __int128 u128;

typedef struct
{
  u128 mantissa;   /* in [2^127, 2^128) */
  int  exponent;   /* 10^q ≈ mantissa · 2^exponent, rounded down */
} Pow10;

static Pow10 pow10_table[POW10_MAX - POW10_MIN + 1];
static gsize pow10_ready = 0;

static void
pow10_init (void)
{
  Pow10 *zero = &pow10_table[-POW10_MIN];

  zero->mantissa = (u128) 1 << 127;
  zero->exponent = -127;
  /* Up: ×10, truncating to 128 bits.  Exact up to 10^38. */
  for (int q = 1; q <= POW10_MAX; q++)
    {
      const Pow10 *prev = &pow10_table[q - 1 - POW10_MIN];
      Pow10 *cur = &pow10_table[q - POW10_MIN];
      guint64 hi = (guint64) (prev->mantissa >> 64), lo = (guint64) prev->mantissa;
      u128 lo10 = (u128) lo * 10, hi10 = (u128) hi * 10;
      /* 10 · mantissa = top · 2^64 + bottom, top < 2^68 */
      u128 top = hi10 + (lo10 >> 64);
      guint64 bottom = (guint64) lo10;
      int s = top >> 67 ? 4 : 3;   /* bits above 2^128 */

      cur->mantissa = (top << (64 - s)) | (bottom >> s);
      cur->exponent = prev->exponent + s;
    }
  /* Down: ÷10 with s more bits of quotient, truncating. */
  for (int q = -1; q >= POW10_MIN; q--)
    {
      const Pow10 *prev = &pow10_table[q + 1 - POW10_MIN];
      Pow10 *cur = &pow10_table[q - POW10_MIN];
      u128 quotient = prev->mantissa / 10;
      unsigned remainder = (unsigned) (prev->mantissa % 10);
      int s = quotient >> 124 ? 3 : 4;

      cur->mantissa = (quotient << s) + (((u128) remainder << s) / 10);
      cur->exponent = prev->exponent - s;
    }
}

/* v · 10^q for v = m · 2^e2 (m ≥ 2^63): the integer part and the top 64
 * bits of the fraction. */
static inline guint64
scale (guint64  m,
       int      e2,
       int      q,
       guint64 *fraction)
{
  const Pow10 *p = &pow10_table[q - POW10_MIN];
  u128 low = (u128) m * (guint64) p->mantissa;
  u128 high = (u128) m * (guint64) (p->mantissa >> 64);
  u128 upper = high + (low >> 64);     /* product bits 64…191 */
  int shift = -(e2 + p->exponent) - 64;  /* fraction bits left in upper */

  g_assert (shift > 64 && shift < 128);
  *fraction = (guint64) ((upper << (128 - shift)) >> 64);
  return (guint64) (upper >> shift);
}

static const char digit_pairs[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

/* The 8 digits of n < 10^8. */
static inline void
write_8_digits (char     *out,
                guint32   n)
{
  guint32 hi = n / 10000, lo = n % 10000;

  memcpy (out, digit_pairs + 2 * (hi / 100), 2);
  memcpy (out + 2, digit_pairs + 2 * (hi % 100), 2);
  memcpy (out + 4, digit_pairs + 2 * (lo / 100), 2);
  memcpy (out + 6, digit_pairs + 2 * (lo % 100), 2);
}

#endif /* __SIZEOF_INT128__ */

static int
format_g17_slow (char   *buf,
                 double  value)
{
  g_ascii_formatd (buf, 32, "%.17g", value);
  return (int) strlen (buf);
}

int
cd_format_g17 (char   *buf,
               double  value)
{
#ifndef __SIZEOF_INT128__
  return format_g17_slow (buf, value);
#else
  static const guint64 e16 = G_GUINT64_CONSTANT (10000000000000000);
  guint64 bits, m, n, fraction;
  int e2, k, x, lz, nd, len = 0;
  char d[17];

  memcpy (&bits, &value, sizeof bits);
  if (((bits >> 52) & 0x7ff) == 0x7ff)
    return format_g17_slow (buf, value);
  if (bits >> 63)
    buf[len++] = '-';
  bits &= ~(G_GUINT64_CONSTANT (1) << 63);
  if (bits == 0)
    {
      buf[len++] = '0';
      buf[len] = '\0';
      return len;
    }
  if (g_once_init_enter (&pow10_ready))
    {
      pow10_init ();
      g_once_init_leave (&pow10_ready, 1);
    }

  m = bits & ((G_GUINT64_CONSTANT (1) << 52) - 1);
  if (bits >> 52)
    {
      m |= G_GUINT64_CONSTANT (1) << 52;
      e2 = (int) (bits >> 52) - 1075;
    }
  else
    e2 = -1074;
  lz = __builtin_clzll (m);
  m <<= lz;
  e2 -= lz;

  /* k = ⌊log10 2^(e2+63)⌋ ≤ log10 v < k + 2 */
  k = ((e2 + 63) * 78913) >> 18;
  n = scale (m, e2, 16 - k, &fraction);
  x = k;
  if (n >= 10 * e16)
    {
      /* v·10^(q−1) = (n + f)/10 = ⌊n/10⌋ + (n mod 10 + f)/10: one digit
       * fewer, without a second multiplication. */
      u128 rest = ((u128) (n % 10) << 64) | fraction;
      n /= 10;
      fraction = (guint64) (rest / 10);
      x = k + 1;
    }
  /* Within a few units of one half the rounding is printf's to decide. */
  if (fraction - (G_GUINT64_CONSTANT (1) << 63) + (1u << 16) <= (2u << 16))
    return len + format_g17_slow (buf + len, value < 0 ? -value : value);
  if (fraction > G_GUINT64_CONSTANT (1) << 63)
    n++;
  if (n == 10 * e16)
    {
      n = e16;
      x++;
    }
  /* v·10^q just below 10^16 by the table's rounding has been rounded up to
   * it by now; anything else out of range would be a bug: let printf do it. */
  if (G_UNLIKELY (n < e16 || n >= 10 * e16))
    return len + format_g17_slow (buf + len, value < 0 ? -value : value);

  d[0] = (char) ('0' + n / e16);
  n %= e16;
  write_8_digits (d + 1, (guint32) (n / 100000000));
  write_8_digits (d + 9, (guint32) (n % 100000000));
  for (nd = 17; nd > 1 && d[nd - 1] == '0'; nd--)
    ;

  if (x >= -4 && x < 17)
    {
      if (x >= 0)
        {
          memcpy (buf + len, d, x + 1);
          len += x + 1;
          if (nd > x + 1)
            {
              buf[len++] = '.';
              memcpy (buf + len, d + x + 1, nd - x - 1);
              len += nd - x - 1;
            }
        }
      else
        {
          buf[len++] = '0';
          buf[len++] = '.';
          for (int z = 0; z < -x - 1; z++)
            buf[len++] = '0';
          memcpy (buf + len, d, nd);
          len += nd;
        }
    }
  else
    {
      int ax = x < 0 ? -x : x;

      buf[len++] = d[0];
      if (nd > 1)
        {
          buf[len++] = '.';
          memcpy (buf + len, d + 1, nd - 1);
          len += nd - 1;
        }
      buf[len++] = 'e';
      buf[len++] = x < 0 ? '-' : '+';
      if (ax >= 100)
        {
          buf[len++] = (char) ('0' + ax / 100);
          ax %= 100;
        }
      memcpy (buf + len, digit_pairs + 2 * ax, 2);
      len += 2;
    }
  buf[len] = '\0';
  return len;
#endif
}

static gboolean
flush_line (CdCsvWriter *w,
            GError     **error)
{
  if (fwrite (w->line->str, 1, w->line->len, w->out) != w->line->len)
    {
      int saved = errno;
      g_set_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT,
                   _("could not write the output: %s"), g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
append_prefixed (GString    *line,
                 const char *prefix,
                 char      **labels)
{
  for (guint i = 0; labels[i] != NULL; i++)
    {
      g_autofree char *cell = g_strconcat (prefix, labels[i], NULL);
      g_string_append_c (line, ',');
      cd_csv_append_cell (line, cell);
    }
}

gboolean
cd_csv_write_header (CdCsvWriter *w,
                     GError     **error)
{
  g_string_assign (w->line, "t,mean_coordination,loss");
  append_prefixed (w->line, "x:", w->sys->node_ids);
  if (w->forces)
    {
      append_prefixed (w->line, "G:", w->sys->node_ids);
      append_prefixed (w->line, "P:", w->sys->node_ids);
      append_prefixed (w->line, "T:", w->sys->node_ids);
      append_prefixed (w->line, "R:", w->sys->node_ids);
    }
  if (w->factors)
    for (guint k = 0; k < CD_N_FACTORS; k++)
      {
        g_autofree char *prefix = g_strconcat (cd_factor_name (k), ":", NULL);
        append_prefixed (w->line, prefix, w->sys->node_ids);
      }
  if (w->trust)
    append_prefixed (w->line, "trust:", w->sys->partnership_labels);
  g_string_append_c (w->line, '\n');
  return flush_line (w, error);
}

/* The longest cell: ",-2.2250738585072014e-308". */
#define MAX_CELL 26

static inline char *
put_numbers (char         *p,
             const double *v,
             guint         n)
{
  for (guint i = 0; i < n; i++)
    {
      *p++ = ',';
      p += cd_format_g17 (p, v[i]);
    }
  return p;
}

gboolean
cd_csv_write_sample (const CdSample *s,
                     gpointer        user_data,
                     GError        **error)
{
  CdCsvWriter *w = user_data;
  guint n = w->sys->n_nodes;
  gsize cells = 3 + (gsize) n * (w->forces ? 5 : 1) + (w->factors ? (gsize) n * CD_N_FACTORS : 0)
                + (w->trust ? w->sys->n_partnerships : 0);
  char *start, *p;

  /* Formats straight into the line's buffer: room for the widest row, plus
   * the 32 bytes cd_format_g17() may touch. */
  g_string_set_size (w->line, cells * MAX_CELL + 32);
  start = p = w->line->str;
  p += cd_format_g17 (p, s->t);
  p = put_numbers (p, &s->mean_coordination, 1);
  p = put_numbers (p, &s->loss, 1);
  p = put_numbers (p, s->x, n);
  if (w->forces && s->forces)
    {
      p = put_numbers (p, s->forces->gravity, n);
      p = put_numbers (p, s->forces->pressure, n);
      p = put_numbers (p, s->forces->thrust, n);
      p = put_numbers (p, s->forces->resistance, n);
    }
  if (w->factors)
    {
      /* From the sample's state, as the forces are (docs/model.md, "Numerics"). */
      cd_system_evaluate_factors (w->sys, s->t, s->x, s->trust, w->factor_buf, w->ws);
      p = put_numbers (p, w->factor_buf, CD_N_FACTORS * n);
    }
  if (w->trust)
    p = put_numbers (p, s->trust, w->sys->n_partnerships);
  *p++ = '\n';
  g_string_truncate (w->line, p - start);
  return flush_line (w, error);
}

/* ---- size estimates -------------------------------------------------------- */

double
cd_csv_estimate_table (double rows,
                       double columns)
{
  return rows * columns * CD_CSV_NUMBER_BYTES;
}

double
cd_csv_estimate_samples (const CdSystem *sys,
                         double          rows,
                         gboolean        forces,
                         gboolean        trust)
{
  double columns, header = 0;

  g_return_val_if_fail (sys != NULL, 0);
  columns = 3 + sys->n_nodes * (forces ? 5.0 : 1.0) + (trust ? sys->n_partnerships : 0);
  for (guint i = 0; i < sys->n_nodes; i++)
    header += (strlen (sys->node_ids[i]) + 3) * (forces ? 5 : 1);
  if (trust)
    for (guint e = 0; e < sys->n_partnerships; e++)
      header += strlen (sys->partnership_labels[e]) + 7;
  return header + cd_csv_estimate_table (rows, columns);
}

double
cd_csv_estimate_run (const CdSystem *sys,
                     double          t_end,
                     double          dt,
                     gboolean        forces,
                     gboolean        trust)
{
  g_return_val_if_fail (sys != NULL, 0);
  if (!(t_end > 0 && dt > 0 && isfinite (t_end)))
    return 0;
  /* As cd_run_n_samples() counts them, without its limit. */
  return cd_csv_estimate_samples (sys, floor (t_end / dt + 1e-9) + 1, forces, trust);
}
