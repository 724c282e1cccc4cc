/* cd-g17.c — numbers as printf's "%.17g" writes them, without printf.
 *
 * Formatting the numbers is most of the work of writing a run's CSV (1.9
 * million of them on the national model).  One number at a time is exact
 * integer arithmetic (format_g17); a row of them, on a processor with
 * AVX-512, is eight at a time in double-double arithmetic, each lane that
 * is not certain — a rounding too close to call, an exponent the text shows
 * as e±NN, zero, infinities, NaN — handed to the one-number path.  Both are
 * checked against snprintf by tests/engine/test-format.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-g17.h"

/* ---- one number --------------------------------------------------------------
 *
 * glibc's printf converts through multi-precision arithmetic and took most of
 * the time of writing a run.  Here v·10^q is computed with a 64 × 128-bit
 * multiplication against a table of 10^q rounded down to 128 bits, which
 * gives the 17-digit integer part and the top 64 bits of the fraction with
 * an error of a few units in the last of those bits.  Only when the fraction
 * is that close to one half — where the correctly rounded result could go
 * either way, exact ties included — printf decides.  tests/engine/test-format.c
 * compares the result with snprintf over many millions of doubles. */

/* The fast path needs 128-bit integers (GCC and Clang on 64-bit targets)
 * and a little-endian machine (digits_8()); elsewhere printf does it all. */
#if defined(__SIZEOF_INT128__) && G_BYTE_ORDER == G_LITTLE_ENDIAN
# define CD_FAST_G17 1
#endif

#ifdef CD_FAST_G17

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

/* The 8 decimal digits of n < 10^8 as ASCII, the first digit in the lowest
 * byte (memcpy it out on a little-endian machine; see cd_format_g17()):
 * SWAR, two lanes of 4 digits, then four of 2, then eight of 1, each split
 * by a multiplication with a reciprocal that is exact in its range
 * (10486 / 2^20 for ÷100 below 10^4, 103 / 2^10 for ÷10 below 100), so
 * no division and no table.  The table of digit pairs it replaced cost
 * half the instructions of a number. */
static inline guint64
digits_8 (guint32 n)
{
  guint64 high = n / 10000, y, q, z, t;

  y = high | ((guint64) (n - high * 10000) << 32);
  q = ((y * 10486) >> 20) & G_GUINT64_CONSTANT (0x0000007F0000007F);
  z = q | ((y - q * 100) << 16);
  t = ((z * 103) >> 10) & G_GUINT64_CONSTANT (0x000F000F000F000F);
  return (t | ((z - t * 10) << 8)) + G_GUINT64_CONSTANT (0x3030303030303030);
}

#endif /* CD_FAST_G17 */

static int
format_g17_slow (char   *buf,
                 double  value)
{
  g_ascii_formatd (buf, 32, "%.17g", value);
  return (int) strlen (buf);
}

/* Inlined into the loops that format rows: the call, with the registers
 * it saves and restores, was a fifth of a number's time (25 → 20 ns a
 * number on the national run's values, bench/README.md, "Issue 17, third
 * pass"). */
static inline G_ALWAYS_INLINE int
format_g17 (char   *buf,
            double  value)
{
#ifndef CD_FAST_G17
  return format_g17_slow (buf, value);
#else
  static const guint64 e16 = G_GUINT64_CONSTANT (10000000000000000);
  static const guint64 zeros = G_GUINT64_CONSTANT (0x3030303030303030);
  guint64 bits, m, n, fraction, high, first, second;
  int e2, k, x, lz, nd, len = 0;
  /* The 17 digits, then room for the fixed-size copies below. */
  char d[40] = { 0 };
  /* The text, written with fixed-size copies (cheaper than copies of the
   * exact length, and the caller's 32 bytes allow them); then 32 bytes of
   * it go to buf. */
  char text[48] = { 0 };

  memcpy (&bits, &value, sizeof bits);
  if (((bits >> 52) & 0x7ff) == 0x7ff)
    return format_g17_slow (buf, value);
  if (bits >> 63)
    {
      /* in both: the early returns write to buf */
      text[len] = '-';
      buf[len++] = '-';
    }
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
       * fewer, without a second multiplication.  With r = n mod 10 and
       * 2^64 = 10 ⌊2^64/10⌋ + 6, (r 2^64 + f)/10 in 64-bit arithmetic. */
      guint64 r = n % 10;

      n /= 10;
      fraction = r * G_GUINT64_CONSTANT (1844674407370955161) + fraction / 10
                 + (6 * r + fraction % 10) / 10;
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

  high = n / 100000000;               /* the first 9 digits */
  d[0] = (char) ('0' + high / 100000000);
  first = digits_8 ((guint32) (high % 100000000));
  second = digits_8 ((guint32) (n % 100000000));
  memcpy (d + 1, &first, 8);
  memcpy (d + 9, &second, 8);
  /* Trailing zeros: the last digits are the highest bytes. */
  if (second != zeros)
    nd = 17 - __builtin_clzll (second ^ zeros) / 8;
  else if (first != zeros)
    nd = 9 - __builtin_clzll (first ^ zeros) / 8;
  else
    nd = 1;

  if (x >= 0 && x < 17)
    {
      /* digits, '.', the rest: the copies reach text[len + x + 17] ≤ 34 */
      memcpy (text + len, d, 24);
      text[len + x + 1] = '.';
      memcpy (text + len + x + 2, d + x + 1, 16);
      len += nd > x + 1 ? nd + 1 : x + 1;
    }
  else if (x >= -4 && x < 0)
    {
      /* 0.000ddd…: up to text[len + 5 + 24] ≤ 30 */
      memcpy (text + len, "0.000000", 8);
      memcpy (text + len + 1 - x, d, 24);
      len += 1 - x + nd;
    }
  else
    {
      int ax = x < 0 ? -x : x;

      text[len++] = d[0];
      if (nd > 1)
        {
          text[len] = '.';
          memcpy (text + len + 1, d + 1, 16);
          len += nd;
        }
      text[len++] = 'e';
      text[len++] = x < 0 ? '-' : '+';
      if (ax >= 100)
        {
          text[len++] = (char) ('0' + ax / 100);
          ax %= 100;
        }
      text[len++] = (char) ('0' + ax / 10);
      text[len++] = (char) ('0' + ax % 10);
    }
  text[len] = '\0';
  memcpy (buf, text, 32);
  return len;
#endif
}

int
cd_format_g17 (char   *buf,
               double  value)
{
  return format_g17 (buf, value);
}


/* ---- a row of numbers ----------------------------------------------------- */

static inline char *
put_cells_scalar (char         *p,
                  const double *v,
                  gsize         n)
{
  for (gsize i = 0; i < n; i++)
    {
      *p++ = ',';
      p += format_g17 (p, v[i]);
    }
  return p;
}

#if defined(CD_FAST_G17) && defined(__x86_64__) && defined(__GNUC__)
# define CD_G17_AVX512 1
#endif

#ifdef CD_G17_AVX512

#include <immintrin.h>

#define AVX512 __attribute__ ((target ("avx512f,avx512dq,avx512bw,avx512vl,avx512cd,avx512vbmi")))

/* Eight at a time, for |v| in [VEC_MIN, VEC_MAX] whose text has no exponent
 * (decimal exponent x in [-4, 16]).
 *
 * With k = ⌊log10 |v|⌋ and q = 16 − k, |v|·10^q lies in [10^16, 10^17): its
 * integer part rounded is the 17 digits.  10^q is a double-double hi + lo
 * (from the 128-bit table above); |v|·hi = p + e exactly (p a double, e its
 * rounding error by a fused multiply-subtract), and |v|·lo = t is as small
 * as e.  p ≥ 2^53 is an integer, so the digits are p + ⌊e + t⌋, rounded up
 * when the fraction of e + t exceeds one half.  The error of that fraction
 * is below 10^-14 (the table's 2^-119, |v|·10^q < 2^57, two roundings of
 * numbers below 24); a lane whose fraction is within 2^-20 of one half goes
 * to format_g17, as does one whose digits fall outside [10^16, 10^17): k
 * was off by one (10^(k+1) rounded to a double on the wrong side of |v|),
 * or the digits rounded up to 10^17. */
#define VEC_MIN 1e-280
#define VEC_MAX 1e280
#define DD_MIN (-300)
#define DD_MAX 300
#define LAYOUTS 42   /* sign × x in [-4, 16] */

static double dd_hi[DD_MAX - DD_MIN + 1];
static double dd_lo[DD_MAX - DD_MIN + 1];

/* For each sign and x, which byte of a number's 32-byte source goes to each
 * byte of its text: the source is d1…d8, d9…d16, '0'+d0, ',', '-', '.',
 * then '0's.  layout_high is the same plus 32, for the upper number of a
 * 64-byte register. */
enum { SRC_D1 = 0, SRC_D0 = 16, SRC_COMMA = 17, SRC_MINUS = 18, SRC_POINT = 19, SRC_ZERO = 20 };
static guint8 layout_low[LAYOUTS][32];
static guint8 layout_high[LAYOUTS][32];

static void
vector_init (void)
{
  for (int q = DD_MIN; q <= DD_MAX; q++)
    {
      const Pow10 *p = &pow10_table[q - POW10_MIN];
      double hi = (double) p->mantissa, lo;   /* rounded to nearest */

      if (hi == 0x1p128)
        lo = -(double) ((u128) 0 - p->mantissa);
      else if ((u128) hi >= p->mantissa)
        lo = -(double) ((u128) hi - p->mantissa);
      else
        lo = (double) (p->mantissa - (u128) hi);
      dd_hi[q - DD_MIN] = ldexp (hi, p->exponent);
      dd_lo[q - DD_MIN] = ldexp (lo, p->exponent);
    }
  for (int negative = 0; negative < 2; negative++)
    for (int x = -4; x <= 16; x++)
      {
        guint8 *row = layout_low[negative * 21 + x + 4];
        int j = 0;

        memset (row, SRC_ZERO, 32);
        row[j++] = SRC_COMMA;
        if (negative)
          row[j++] = SRC_MINUS;
        if (x < 0)
          {
            row[j++] = SRC_ZERO;
            row[j++] = SRC_POINT;
            for (int z = 0; z < -x - 1; z++)
              row[j++] = SRC_ZERO;
          }
        for (int d = 0; d < 17; d++)
          {
            row[j++] = d == 0 ? SRC_D0 : SRC_D1 + d - 1;
            if (d == x)
              row[j++] = SRC_POINT;
          }
        g_assert (j <= 32);
        for (int b = 0; b < 32; b++)
          layout_high[negative * 21 + x + 4][b] = row[b] + 32;
      }
}

/* The 8 decimal digits of each lane's n < 10^8, as digits_8() */
static inline AVX512 __m512i
digits_8_x8 (__m512i n)
{
#define C64(c) _mm512_set1_epi64 ((long long) (c))
  __m512i high = _mm512_srli_epi64 (_mm512_mullo_epi64 (n, C64 (3518437209u)), 45);  /* n / 10^4 */
  __m512i y = _mm512_or_si512 (high, _mm512_slli_epi64 (
                _mm512_sub_epi64 (n, _mm512_mullo_epi64 (high, C64 (10000))), 32));
  __m512i q = _mm512_and_si512 (_mm512_srli_epi64 (_mm512_mullo_epi64 (y, C64 (10486)), 20),
                                C64 (0x0000007F0000007Full));
  __m512i z = _mm512_or_si512 (q, _mm512_slli_epi64 (
                _mm512_sub_epi64 (y, _mm512_mullo_epi64 (q, C64 (100))), 16));
  __m512i t = _mm512_and_si512 (_mm512_srli_epi64 (_mm512_mullo_epi64 (z, C64 (103)), 10),
                                C64 (0x000F000F000F000Full));

  return _mm512_add_epi64 (_mm512_or_si512 (t, _mm512_slli_epi64 (
                             _mm512_sub_epi64 (z, _mm512_mullo_epi64 (t, C64 (10))), 8)),
                           C64 (0x3030303030303030ull));
}

/* n / 10^8 and n mod 10^8 for n < 2^57: the quotient from a double, which
 * is off by one at most, then corrected. */
static inline AVX512 __m512i
split_10e8 (__m512i  n,
            __m512i *remainder)
{
  const __m512i e8 = C64 (100000000);
  __m512i quotient = _mm512_cvttpd_epi64 (_mm512_mul_pd (_mm512_cvtepi64_pd (n),
                                                         _mm512_set1_pd (1e-8)));
  __m512i r = _mm512_sub_epi64 (n, _mm512_mullo_epi64 (quotient, e8));
  __mmask8 under = _mm512_cmplt_epi64_mask (r, _mm512_setzero_si512 ());
  __mmask8 over;

  quotient = _mm512_mask_sub_epi64 (quotient, under, quotient, C64 (1));
  r = _mm512_mask_add_epi64 (r, under, r, e8);
  over = _mm512_cmpge_epi64_mask (r, e8);
  quotient = _mm512_mask_add_epi64 (quotient, over, quotient, C64 (1));
  *remainder = _mm512_mask_sub_epi64 (r, over, r, e8);
  return quotient;
}

static AVX512 char *
put_cells_avx512 (char         *p,
                  const double *v,
                  gsize         n)
{
  const __m512i one = C64 (1), zeros = C64 (0x3030303030303030ull);
  const __m512i e16 = C64 (10000000000000000ull), e17 = C64 (100000000000000000ull);
  /* numbers 0 and 2 of four 128-bit lanes of (digits, source tail) pairs */
  const __m512i pair_low = _mm512_set_epi64 (11, 10, 3, 2, 9, 8, 1, 0);
  const __m512i pair_high = _mm512_set_epi64 (15, 14, 7, 6, 13, 12, 5, 4);
  gsize i = 0;

  for (; i + 8 <= n; i += 8)
    {
      __m512d value = _mm512_loadu_pd (v + i);
      __m512i bits = _mm512_castpd_si512 (value);
      __m512d a = _mm512_abs_pd (value);
      __mmask8 negative = _mm512_cmplt_epi64_mask (bits, _mm512_setzero_si512 ());
      __mmask8 fast = _mm512_cmp_pd_mask (a, _mm512_set1_pd (VEC_MIN), _CMP_GE_OQ)
                      & _mm512_cmp_pd_mask (a, _mm512_set1_pd (VEC_MAX), _CMP_LE_OQ);
      __m512i e2, k, index, digits, d0, middle, last, first8, last8, trail, nd, x1, body, row;
      __m512d hi, lo, prod, r, floor_r, frac, threshold;
      __mmask8 up, point;
      guint64 length[8], rows[8];
      __m512i out[4];

      /* k = ⌊log10 |v|⌋: ⌊e2 log10 2⌋, or one more where |v| ≥ 10^(that + 1) */
      e2 = _mm512_sub_epi64 (_mm512_and_si512 (_mm512_srli_epi64 (bits, 52), C64 (0x7ff)),
                             C64 (1023));
      k = _mm512_cvtpd_epi64 (_mm512_roundscale_pd (
            _mm512_mul_pd (_mm512_cvtepi64_pd (e2), _mm512_set1_pd (0.30102999566398119521)),
            _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
      index = _mm512_sub_epi64 (_mm512_add_epi64 (k, one), C64 (DD_MIN));
      threshold = _mm512_mask_i64gather_pd (_mm512_set1_pd (1.0), fast, index, dd_hi, 8);
      up = _mm512_cmp_pd_mask (a, threshold, _CMP_GE_OQ);
      k = _mm512_mask_add_epi64 (k, up, k, one);

      /* |v|·10^(16−k) = p + r */
      index = _mm512_sub_epi64 (C64 (16 - DD_MIN), k);
      hi = _mm512_mask_i64gather_pd (_mm512_set1_pd (1.0), fast, index, dd_hi, 8);
      lo = _mm512_mask_i64gather_pd (_mm512_setzero_pd (), fast, index, dd_lo, 8);
      prod = _mm512_mul_pd (a, hi);
      r = _mm512_add_pd (_mm512_fmsub_pd (a, hi, prod), _mm512_mul_pd (a, lo));
      floor_r = _mm512_roundscale_pd (r, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
      frac = _mm512_sub_pd (r, floor_r);
      digits = _mm512_add_epi64 (_mm512_cvttpd_epi64 (prod), _mm512_cvttpd_epi64 (floor_r));
      fast &= _mm512_cmp_pd_mask (_mm512_abs_pd (_mm512_sub_pd (frac, _mm512_set1_pd (0.5))),
                                  _mm512_set1_pd (0x1p-20), _CMP_GE_OQ);
      digits = _mm512_mask_add_epi64 (digits,
                                      _mm512_cmp_pd_mask (frac, _mm512_set1_pd (0.5), _CMP_GT_OQ),
                                      digits, one);
      /* Digits outside [10^16, 10^17): k was off, or 99…9.5 rounded up to
       * the next power of ten (rare, and then k might have been off too) */
      fast &= _mm512_cmpge_epi64_mask (digits, e16) & _mm512_cmplt_epi64_mask (digits, e17)
              & _mm512_cmpge_epi64_mask (k, C64 (-4)) & _mm512_cmple_epi64_mask (k, C64 (16));

      /* the digits: d0, then d1…d8 and d9…d16 as ASCII, first digit lowest */
      middle = split_10e8 (digits, &last);
      d0 = split_10e8 (middle, &middle);
      first8 = digits_8_x8 (middle);
      last8 = digits_8_x8 (last);
      /* significant digits without trailing zeros (the last digits are the
       * highest bytes) */
      trail = _mm512_lzcnt_epi64 (_mm512_xor_si512 (last8, zeros));
      trail = _mm512_mask_add_epi64 (trail, _mm512_cmpeq_epi64_mask (last8, zeros), trail,
                                     _mm512_lzcnt_epi64 (_mm512_xor_si512 (first8, zeros)));
      nd = _mm512_sub_epi64 (C64 (17), _mm512_srli_epi64 (trail, 3));

      /* the text's length: ',' [ '-' ] then d.ddd (x ≥ 0; no point when
       * every digit after it is a trailing zero) or 0.000ddd (x < 0) */
      x1 = _mm512_add_epi64 (k, one);
      point = _mm512_cmpgt_epi64_mask (nd, x1);
      body = _mm512_mask_add_epi64 (x1, point, nd, one);
      body = _mm512_mask_sub_epi64 (body, _mm512_cmplt_epi64_mask (k, _mm512_setzero_si512 ()),
                                    _mm512_add_epi64 (nd, one), k);
      _mm512_storeu_si512 (length, _mm512_mask_add_epi64 (_mm512_add_epi64 (body, one), negative,
                                                           body, C64 (2)));
      row = _mm512_mask_add_epi64 (_mm512_add_epi64 (k, C64 (4)), negative,
                                   k, C64 (4 + 21));
      _mm512_storeu_si512 (rows, _mm512_maskz_mov_epi64 (fast, row));

      /* each number's 32-byte source, two to a register: (0, 2), (4, 6),
       * (1, 3), (5, 7) */
      {
        __m512i tail = _mm512_add_epi64 (d0, C64 (0x303030302E2D2C30ull));
        __m512i digits_even = _mm512_unpacklo_epi64 (first8, last8);
        __m512i digits_odd = _mm512_unpackhi_epi64 (first8, last8);
        __m512i tail_even = _mm512_unpacklo_epi64 (tail, zeros);
        __m512i tail_odd = _mm512_unpackhi_epi64 (tail, zeros);

        out[0] = _mm512_permutex2var_epi64 (digits_even, pair_low, tail_even);
        out[1] = _mm512_permutex2var_epi64 (digits_even, pair_high, tail_even);
        out[2] = _mm512_permutex2var_epi64 (digits_odd, pair_low, tail_odd);
        out[3] = _mm512_permutex2var_epi64 (digits_odd, pair_high, tail_odd);
      }
      /* each to its text */
      for (int j = 0; j < 4; j++)
        {
          static const int lane_low[4] = { 0, 4, 1, 5 };
          int l = lane_low[j];
          __m512i shuffle = _mm512_inserti64x4 (
            _mm512_castsi256_si512 (_mm256_loadu_si256 ((const __m256i *) layout_low[rows[l]])),
            _mm256_loadu_si256 ((const __m256i *) layout_high[rows[l + 2]]), 1);

          out[j] = _mm512_permutexvar_epi8 (shuffle, out[j]);
        }
      /* in order; the numbers' lanes are in registers 0 2 0 2 1 3 1 3, the
       * lower half for lanes 0, 1, 4, 5 */
      for (int l = 0; l < 8; l++)
        {
          static const int register_of[8] = { 0, 2, 0, 2, 1, 3, 1, 3 };
          __m512i o = out[register_of[l]];

          if (fast & (1u << l))
            {
              _mm256_storeu_si256 ((__m256i *) p, (l & 2) ? _mm512_extracti64x4_epi64 (o, 1)
                                                          : _mm512_castsi512_si256 (o));
              p += length[l];
            }
          else
            {
              *p++ = ',';
              p += format_g17 (p, v[i + l]);
            }
        }
    }
  return put_cells_scalar (p, v + i, n - i);
#undef C64
}

#endif /* CD_G17_AVX512 */

static gsize vector_ready = 0;
static gboolean vector_usable = FALSE;

gboolean
cd_g17_vectorized (void)
{
  if (g_once_init_enter (&vector_ready))
    {
#ifdef CD_G17_AVX512
      __builtin_cpu_init ();
      if (__builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx512dq")
          && __builtin_cpu_supports ("avx512bw") && __builtin_cpu_supports ("avx512vl")
          && __builtin_cpu_supports ("avx512cd") && __builtin_cpu_supports ("avx512vbmi"))
        {
          char warm[32];

          format_g17 (warm, 1.0);   /* the 128-bit table */
          vector_init ();
          vector_usable = TRUE;
        }
#endif
      g_once_init_leave (&vector_ready, 1);
    }
  return vector_usable;
}

char *
cd_g17_put_cells (char         *p,
                  const double *v,
                  gsize         n)
{
#ifdef CD_G17_AVX512
  if (cd_g17_vectorized ())
    return put_cells_avx512 (p, v, n);
#endif
  return put_cells_scalar (p, v, n);
}
