/* cd-json.c — a strict single-pass JSON parser into a block-allocated tree.
 *
 * This is the model-file reader's fast path.  Its contract is narrow on
 * purpose: for every input it accepts, the tree must be exactly what
 * json-glib 1.6 would build (same kinds, same int/double split, same
 * numbers to the bit, same decoded strings, members in file order), and
 * the reader's own byte checks (UTF-8, NUL, depth, repeated keys) must have
 * nothing to say.  Everything else — every error and every leniency of
 * json-glib's GScanner (comments, single quotes, hex, "- 1", …) — makes it
 * return NULL, and the caller takes the old path through json-glib, which
 * words the error messages.  The differential tests and the fuzz target
 * hold the two paths to the same result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cd-json.h"

/* ---- blocks -------------------------------------------------------------- */

typedef struct _Block Block;
struct _Block
{
  Block *next;
  gsize  size;
  gsize  used;
};

/* Keeps the data after the header aligned for doubles and pointers.  After
 * the first block (sized for the whole text), blocks grow to at most
 * BLOCK_MAX_GROWTH, so that a memory budget is checked at least that often. */
#define BLOCK_HEADER ((sizeof (Block) + 15) & ~(gsize) 15)
#define BLOCK_MAX_GROWTH ((gsize) 16 * 1024 * 1024)

struct _CdJsonDoc
{
  CdJsonValue root;
  gboolean    has_root;
  Block      *blocks;
  gsize       next_size;
  gsize       retired;     /* bytes used in the blocks before the current one */
  gsize       budget;      /* for the tree and the parse stacks; 0: none */
  gsize       stacks;      /* bytes the parse stacks hold */
  gboolean    over_budget;
};

/* The tree's bytes so far, the parse stacks' and `more`, against the budget. */
static gboolean
doc_within_budget (CdJsonDoc *doc,
                   gsize      more)
{
  gsize used = doc->retired + (doc->blocks ? doc->blocks->used : 0) + doc->stacks;

  if (doc->budget == 0 || (used <= doc->budget && more <= doc->budget - used))
    return TRUE;
  doc->over_budget = TRUE;
  return FALSE;
}

/* NULL (and doc->over_budget set) past the budget. */
static G_GNUC_NO_INLINE gpointer
doc_alloc_block (CdJsonDoc *doc,
                 gsize      size)
{
  gsize want = MAX (doc->next_size, size);
  Block *b;

  if (!doc_within_budget (doc, size))
    return NULL;
  b = g_malloc (BLOCK_HEADER + want);
  if (doc->blocks != NULL)
    doc->retired += doc->blocks->used;
  b->size = want;
  b->used = size;
  b->next = doc->blocks;
  doc->blocks = b;
  doc->next_size = MAX (MIN (want * 2, BLOCK_MAX_GROWTH), 4096);
  return (char *) b + BLOCK_HEADER;
}

/* align is a power of two. */
static inline gpointer
doc_alloc (CdJsonDoc *doc,
           gsize      size,
           gsize      align)
{
  Block *b = doc->blocks;

  if (G_LIKELY (b != NULL))
    {
      gsize at = (b->used + align - 1) & ~(align - 1);
      if (at <= b->size && b->size - at >= size)
        {
          b->used = at + size;
          return (char *) b + BLOCK_HEADER + at;
        }
    }
  return doc_alloc_block (doc, size);
}

static CdJsonDoc *
doc_new (gsize first_block)
{
  CdJsonDoc *doc = g_new0 (CdJsonDoc, 1);

  doc->next_size = MAX (first_block, 4096);
  return doc;
}

void
cd_json_doc_free (CdJsonDoc *doc)
{
  if (doc == NULL)
    return;
  while (doc->blocks != NULL)
    {
      Block *next = doc->blocks->next;
      g_free (doc->blocks);
      doc->blocks = next;
    }
  g_free (doc);
}

const CdJsonValue *
cd_json_doc_get_root (const CdJsonDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return doc->has_root ? &doc->root : NULL;
}

const CdJsonValue *
cd_json_object_get_member (const CdJsonValue *object,
                           const char        *key)
{
  if (object == NULL || object->kind != CD_JSON_OBJECT)
    return NULL;
  for (guint i = 0; i < object->len; i++)
    if (strcmp (object->u.members[i].key, key) == 0)
      return &object->u.members[i].value;
  return NULL;
}

/* ---- the strict parser ---------------------------------------------------- */

typedef struct
{
  const guchar *p;
  const guchar *end;
  CdJsonDoc    *doc;
  int           max_depth;
  /* Entries of the containers still open, innermost last; a container
   * moves its entries into the doc in one piece when it closes. */
  CdJsonValue  *items;
  gsize         n_items, cap_items;
  CdJsonMember *members;
  gsize         n_members, cap_members;
  guint32      *slots;        /* hash table for repeated keys in big objects */
  gsize         n_slots;
  const guchar *data;
  CdJsonFailure failure;      /* why it stopped: the first reason found */
  /* Short texts kept once: the keys, the levels, the ids an edge names.
   * A model's tree is then little more than its text (and within the
   * memory budget for any model a person would write). */
  const char  **interned;
  guint32      *interned_hash;
  gsize         n_interned, cap_interned;
} Parser;

/* Texts up to this many bytes are interned, up to half of this many. */
#define INTERN_MAX   32
#define INTERN_SLOTS ((gsize) 1 << 16)

/* Notes why and where the parse stops (the innermost reason: the first
 * one set); returns FALSE for `return fail (…)`. */
static gboolean
fail (Parser        *ps,
      CdJsonFailureKind kind,
      CdJsonExpect  expected,
      const guchar *at)
{
  if (ps->failure.kind == CD_JSON_FAILURE_NONE)
    {
      ps->failure.kind = ps->doc->over_budget ? CD_JSON_FAILURE_BUDGET : kind;
      ps->failure.expected = expected;
      ps->failure.offset = (gsize) (MIN (at, ps->end) - ps->data);
    }
  return FALSE;
}

/* Grows a parse stack by doubling, within the budget; FALSE past it. */
static gboolean
stack_grow (Parser   *ps,
            gpointer *stack,
            gsize    *cap,
            gsize     size)
{
  gsize new_cap = MAX (64, 2 * *cap);

  if (!doc_within_budget (ps->doc, (new_cap - *cap) * size))
    return fail (ps, CD_JSON_FAILURE_BUDGET, CD_JSON_EXPECT_VALUE, ps->p);
  *stack = g_realloc_n (*stack, new_cap, size);
  ps->doc->stacks += (new_cap - *cap) * size;
  *cap = new_cap;
  return TRUE;
}

/* Bytes that end a run of plain string text. */
static const guint8 string_special[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   /* '"' */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,   /* '\\' */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static inline void
skip_space (Parser *ps)
{
  const guchar *p = ps->p, *end = ps->end;

  /* The four characters of RFC 8259; json-glib skips the same four. */
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  ps->p = p;
}

static inline gboolean
is_digit (guchar c)
{
  return (guint) (c - '0') < 10u;
}

static inline const guchar *
skip_digits (const guchar *p,
             const guchar *end)
{
  while (p < end && is_digit (*p))
    p++;
  return p;
}

static inline guint64
add_digits (guint64       m,
            const guchar *p,
            const guchar *end)
{
  for (; p < end; p++)
    m = m * 10 + (guint64) (*p - '0');
  return m;
}

static gboolean
hex4 (const guchar *s,
      const guchar *end,
      gunichar     *out)
{
  gunichar v = 0;

  if (end - s < 4)
    return FALSE;
  for (int k = 0; k < 4; k++)
    {
      int d = g_ascii_xdigit_value ((char) s[k]);
      if (d < 0)
        return FALSE;
      v = (v << 4) | (gunichar) d;
    }
  *out = v;
  return TRUE;
}

static inline guint32
text_hash (const guchar *text,
           gsize         len)
{
  guint32 h = 2166136261u;

  for (gsize i = 0; i < len; i++)
    h = (h ^ text[i]) * 16777619u;
  return h;
}

static gboolean
intern_grow (Parser *ps)
{
  gsize cap = MAX (1024, 2 * ps->cap_interned), mask = cap - 1;
  const char **table;
  guint32 *hashes;

  if (!doc_within_budget (ps->doc, cap * (sizeof *table + sizeof *hashes)))
    return FALSE;
  table = g_new0 (const char *, cap);
  hashes = g_new (guint32, cap);
  for (gsize i = 0; i < ps->cap_interned; i++)
    if (ps->interned[i] != NULL)
      {
        gsize at = ps->interned_hash[i] & mask;
        while (table[at] != NULL)
          at = (at + 1) & mask;
        table[at] = ps->interned[i];
        hashes[at] = ps->interned_hash[i];
      }
  g_free (ps->interned);
  g_free (ps->interned_hash);
  ps->doc->stacks += (cap - ps->cap_interned) * (sizeof *table + sizeof *hashes);
  ps->interned = table;
  ps->interned_hash = hashes;
  ps->cap_interned = cap;
  return TRUE;
}

/* The doc's copy of the short text [text, text + len), made once. */
static const char *
intern (Parser       *ps,
        const guchar *text,
        gsize         len)
{
  guint32 h = text_hash (text, len);
  gsize mask, at;
  char *copy;

  if (2 * (ps->n_interned + 1) > ps->cap_interned && ps->cap_interned < INTERN_SLOTS
      && !intern_grow (ps))
    return NULL;
  mask = ps->cap_interned - 1;
  for (at = h & mask; ps->interned[at] != NULL; at = (at + 1) & mask)
    if (ps->interned_hash[at] == h && memcmp (ps->interned[at], text, len) == 0
        && ps->interned[at][len] == '\0')
      return ps->interned[at];
  copy = doc_alloc (ps->doc, len + 1, 1);
  if (copy == NULL)
    return NULL;
  memcpy (copy, text, len);
  copy[len] = '\0';
  /* Full: the texts seen first (every key, the levels and kinds) stay
   * interned; later distinct ones, such as a large model's ids, are not
   * worth a bigger table. */
  if (2 * (ps->n_interned + 1) <= ps->cap_interned)
    {
      ps->interned[at] = copy;
      ps->interned_hash[at] = h;
      ps->n_interned++;
    }
  return copy;
}

/* At the opening quote.  The text goes into the doc, NUL-terminated. */
static gboolean
parse_string (Parser      *ps,
              const char **out)
{
  const guchar *start = ps->p + 1, *q = start, *end = ps->end;
  gboolean escaped = FALSE, high = FALSE;
  gsize raw;
  guchar *dst, *d;
  const guchar *esc;

  for (;;)
    {
      while (q < end && !string_special[*q])
        q++;
      if (q >= end)
        return fail (ps, CD_JSON_FAILURE_SYNTAX, CD_JSON_EXPECT_QUOTE, ps->p);
      if (*q == '"')
        break;
      if (*q == '\\')
        {
          escaped = TRUE;
          q += 2;
        }
      else if (*q >= 0x80)
        {
          high = TRUE;
          q++;
        }
      else   /* a raw control character, NUL included */
        return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, q);
    }
  raw = (gsize) (q - start);
  /* Escapes are ASCII, so the raw bytes are what the file-wide UTF-8 check
   * of the old path looked at; outside strings only ASCII is JSON. */
  if (high && !g_utf8_validate ((const char *) start, (gssize) raw, NULL))
    return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, start);
  if (!escaped && raw <= INTERN_MAX)
    {
      *out = intern (ps, start, raw);
      if (*out == NULL)
        return fail (ps, CD_JSON_FAILURE_BUDGET, CD_JSON_EXPECT_VALUE, ps->p);
      ps->p = q + 1;
      return TRUE;
    }
  dst = doc_alloc (ps->doc, raw + 1, 1);
  if (dst == NULL)
    return fail (ps, CD_JSON_FAILURE_BUDGET, CD_JSON_EXPECT_VALUE, ps->p);
  if (!escaped)
    {
      memcpy (dst, start, raw);
      dst[raw] = '\0';
      *out = (const char *) dst;
      ps->p = q + 1;
      return TRUE;
    }
  d = dst;
  for (const guchar *s = start; s < q;)
    {
      gunichar cp, low;

      if (*s != '\\')
        {
          *d++ = *s++;
          continue;
        }
      esc = s++;
      switch (*s++)
        {
        case '"':  *d++ = '"'; break;
        case '\\': *d++ = '\\'; break;
        case '/':  *d++ = '/'; break;
        case 'b':  *d++ = '\b'; break;
        case 'f':  *d++ = '\f'; break;
        case 'n':  *d++ = '\n'; break;
        case 'r':  *d++ = '\r'; break;
        case 't':  *d++ = '\t'; break;
        case 'u':
          if (!hex4 (s, q, &cp))
            return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, esc);
          s += 4;
          /* json-glib cuts the text at a \u0000 and keeps a lone surrogate
           * as bytes that are not UTF-8; the old path reports both. */
          if (cp == 0)
            return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, esc);
          if (cp >= 0xDC00 && cp <= 0xDFFF)
            return fail (ps, CD_JSON_FAILURE_SURROGATE, CD_JSON_EXPECT_VALUE, esc);
          if (cp >= 0xD800 && cp <= 0xDBFF)
            {
              if (q - s < 6 || s[0] != '\\' || s[1] != 'u' || !hex4 (s + 2, q, &low)
                  || low < 0xDC00 || low > 0xDFFF)
                return fail (ps, CD_JSON_FAILURE_SURROGATE, CD_JSON_EXPECT_VALUE, esc);
              s += 6;
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
          d += g_unichar_to_utf8 (cp, (char *) d);
          break;
        default:
          return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, esc);
        }
    }
  *d = '\0';
  *out = (const char *) dst;
  ps->p = q + 1;
  return TRUE;
}

/* Powers of ten that a double holds exactly. */
static const double exact_pow10[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;

static const guint64 pow10_u64[20] = {
  1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
  10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
  1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
  10000000000000000000u,
};

/* 2^k for a k of the normal doubles; the products below are exact. */
static inline double
pow2 (int k)
{
  union { guint64 bits; double value; } u;

  g_assert (k >= -1022 && k <= 1023);
  u.bits = (guint64) (1023 + k) << 52;
  return u.value;
}

static int
bit_length (u128 n)
{
  guint64 hi = (guint64) (n >> 64);

  if (hi != 0)
    return 128 - __builtin_clzll (hi);
  return (guint64) n ? 64 - __builtin_clzll ((guint64) n) : 0;
}

/* The double nearest to (n + f) · 2^e2, where 0 < f < 1 if `inexact`, else
 * f = 0; ties to even, as strtod() rounds.  n > 0 and, when inexact, of
 * more than 54 bits, so that the bits below the 53 kept decide. */
static double
round_binary (u128     n,
              gboolean inexact,
              int      e2)
{
  int len = bit_length (n), shift = len - 53;
  u128 top, rest, half;

  if (shift <= 0)
    return (double) (guint64) n * pow2 (e2);
  top = n >> shift;
  rest = n & (((u128) 1 << shift) - 1);
  half = (u128) 1 << (shift - 1);
  if (rest > half || (rest == half && (inexact || (top & 1))))
    top++;
  /* top ≤ 2^53 is held exactly. */
  return (double) (guint64) top * pow2 (e2 + shift);
}

/* m · 10^e10, correctly rounded, for 0 < m < 2^64 and |e10| ≤ 19: exact
 * 128-bit integer arithmetic instead of strtod()'s arbitrary precision. */
static gboolean
decimal_to_double (guint64  m,
                   int      e10,
                   double  *out)
{
  if (e10 >= 0)
    *out = round_binary ((u128) m * pow10_u64[e10], FALSE, 0);
  else
    {
      guint64 d = pow10_u64[-e10];
      int s = 127 - bit_length (m);
      u128 scaled = (u128) m << s;
      /* scaled ≥ 2^126 and d < 2^64: the quotient has more than 62 bits. */
      *out = round_binary (scaled / d, scaled % d != 0, -s);
    }
  return TRUE;
}
#else
static gboolean
decimal_to_double (guint64  m,
                   int      e10,
                   double  *out)
{
  (void) m;
  (void) e10;
  (void) out;
  return FALSE;   /* strtod() does it */
}
#endif

static gboolean
parse_number (Parser      *ps,
              CdJsonValue *out)
{
  const guchar *s = ps->p, *q = s, *end = ps->end;
  const guchar *int_start, *int_end, *frac_start, *frac_end;
  gboolean negative = FALSE, is_float = FALSE, dropped;
  guint64 mantissa;
  int n_frac, exponent = 0;

  if (*q == '-')
    {
      negative = TRUE;
      q++;
    }
  int_start = q;
  q = int_end = skip_digits (q, end);
  /* The byte scan words these: no digit, leading zeros (json-glib would
   * read them as octal), a point or an exponent without digits. */
  if (int_end == int_start)
    return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, s);
  if (*int_start == '0' && int_end - int_start > 1)
    return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, s);
  frac_start = frac_end = q;
  if (q < end && *q == '.')
    {
      is_float = TRUE;
      frac_start = q + 1;
      q = frac_end = skip_digits (frac_start, end);
      if (frac_end == frac_start)
        return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, s);
    }
  if (q < end && (*q == 'e' || *q == 'E'))
    {
      gboolean exp_negative = FALSE;

      is_float = TRUE;
      q++;
      if (q < end && (*q == '+' || *q == '-'))
        exp_negative = *q++ == '-';
      if (q >= end || !is_digit (*q))
        return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, s);
      for (; q < end && is_digit (*q); q++)
        exponent = MIN (exponent * 10 + (*q - '0'), 100000);
      if (exp_negative)
        exponent = -exponent;
    }
  ps->p = q;

  if (!is_float)
    {
      /* json-glib reads an integer as an unsigned 64-bit number and then
       * negates it: exact within the 64-bit integers, which 19 digits
       * always hold unsigned.  Beyond them its wrap-around is not copied;
       * the byte scan refuses such integers. */
      if (int_end - int_start > 19)
        return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, s);
      mantissa = add_digits (0, int_start, int_end);
      if (mantissa > (guint64) G_MAXINT64 + (negative ? 1u : 0u))
        return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, s);
      out->kind = CD_JSON_INT;
      out->u.integer = negative ? (gint64) (0u - mantissa) : (gint64) mantissa;
      return TRUE;
    }

  /* The significant digits, without the leading zeros of "0.00…". */
  n_frac = (int) (frac_end - frac_start);
  if (*int_start == '0')
    {
      const guchar *first = frac_start;
      while (first < frac_end && *first == '0')
        first++;
      dropped = frac_end - first > 19;
      mantissa = dropped ? 0 : add_digits (0, first, frac_end);
    }
  else
    {
      dropped = (int_end - int_start) + n_frac > 19;
      mantissa = dropped ? 0 : add_digits (add_digits (0, int_start, int_end),
                                           frac_start, frac_end);
    }

  out->kind = CD_JSON_DOUBLE;
  if (!dropped)
    {
      int e10 = exponent - n_frac;
      double v;
      /* Clinger's fast path: an integer below 2^53 times or divided by an
       * exactly held power of ten is one correctly rounded operation, the
       * same double strtod() gives. */
      if (mantissa < (G_GUINT64_CONSTANT (1) << 53) && e10 >= -22 && e10 <= 22)
        {
          v = (double) mantissa;
          v = e10 >= 0 ? v * exact_pow10[e10] : v / exact_pow10[-e10];
          out->u.number = negative ? -v : v;
          return TRUE;
        }
      /* What the writer makes: 16 or 17 digits, such as 0.7983108849381594. */
      if (mantissa != 0 && e10 >= -19 && e10 <= 19 && decimal_to_double (mantissa, e10, &v))
        {
          out->u.number = negative ? -v : v;
          return TRUE;
        }
    }
  {
    char small[128];
    gsize len = (gsize) (q - s);
    g_autofree char *large = len >= sizeof small ? g_malloc (len + 1) : NULL;
    char *buf = large ? large : small;
    char *endp = NULL;
    double v;

    memcpy (buf, s, len);
    buf[len] = '\0';
    /* Out of range, this is ±inf or a subnormal or 0, as json-glib reads it
     * too (its scanner calls strtod() and keeps what it gives); the model
     * reader refuses the infinities by their place. */
    v = g_ascii_strtod (buf, &endp);
    if (endp != buf + len)
      return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, s);
    out->u.number = v;
    return TRUE;
  }
}

static inline gboolean
match_word (Parser     *ps,
            const char *word,
            gsize       len)
{
  if ((gsize) (ps->end - ps->p) < len || memcmp (ps->p, word, len) != 0)
    return fail (ps, CD_JSON_FAILURE_SYNTAX, CD_JSON_EXPECT_VALUE, ps->p);
  ps->p += len;
  return TRUE;
}

static guint32
key_hash (const char *key)
{
  guint32 h = 2166136261u;

  for (const guchar *k = (const guchar *) key; *k; k++)
    h = (h ^ *k) * 16777619u;
  return h;
}

/* FALSE when two members have the same key (decoded: the old path refused
 * keys repeated as written and merged the ones only equal once decoded;
 * both go back to it); *repeated is then the key. */
static gboolean
keys_distinct (Parser             *ps,
               const CdJsonMember *members,
               gsize               n,
               const char        **repeated)
{
  gsize size, mask;

  if (n <= 16)
    {
      for (gsize i = 1; i < n; i++)
        for (gsize j = 0; j < i; j++)
          if (members[i].key[0] == members[j].key[0]
              && strcmp (members[i].key, members[j].key) == 0)
            {
              *repeated = members[i].key;
              return FALSE;
            }
      return TRUE;
    }
  for (size = 64; size < 2 * n; size *= 2)
    ;
  if (ps->n_slots < size)
    {
      g_free (ps->slots);
      ps->slots = g_new (guint32, size);
      ps->n_slots = size;
    }
  memset (ps->slots, 0, size * sizeof (guint32));
  mask = size - 1;
  for (gsize i = 0; i < n; i++)
    {
      gsize at = key_hash (members[i].key) & mask;
      while (ps->slots[at] != 0)
        {
          if (strcmp (members[ps->slots[at] - 1].key, members[i].key) == 0)
            {
              *repeated = members[i].key;
              return FALSE;
            }
          at = (at + 1) & mask;
        }
      ps->slots[at] = (guint32) (i + 1);
    }
  return TRUE;
}

static gboolean parse_value (Parser *ps, CdJsonValue *out, int depth);

/* After an array item or object member: 1 at the closing bracket (passed),
 * 0 after a comma (passed, and the spaces after it), -1 on anything else. */
static int
after_element (Parser *ps,
               char    close)
{
  CdJsonExpect expected = close == ']' ? CD_JSON_EXPECT_COMMA_OR_BRACKET
                                       : CD_JSON_EXPECT_COMMA_OR_BRACE;

  skip_space (ps);
  if (ps->p < ps->end && *ps->p == close)
    {
      ps->p++;
      return 1;
    }
  if (ps->p >= ps->end || *ps->p != ',')
    {
      fail (ps, CD_JSON_FAILURE_SYNTAX, expected, ps->p);
      return -1;
    }
  ps->p++;
  skip_space (ps);
  return 0;
}

/* The n entries of size `size` from index `base` of a parse stack, moved
 * into the document's blocks (NULL for none: the stack itself may still be
 * NULL then, and NULL + 0 is undefined). */
static gpointer
stack_to_doc (Parser        *ps,
              gconstpointer  stack,
              gsize          base,
              gsize          n,
              gsize          size)
{
  gpointer copy;

  if (n == 0)
    return NULL;
  copy = doc_alloc (ps->doc, n * size, 8);
  if (copy == NULL)
    {
      fail (ps, CD_JSON_FAILURE_BUDGET, CD_JSON_EXPECT_VALUE, ps->p);
      return NULL;
    }
  memcpy (copy, (const char *) stack + base * size, n * size);
  return copy;
}

static gboolean
parse_object (Parser      *ps,
              CdJsonValue *out,
              int          depth)
{
  gsize base = ps->n_members, n;
  const guchar *open = ps->p;
  const char *repeated = NULL;
  int end;

  if (depth > ps->max_depth)
    return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, ps->p);
  ps->p++;
  skip_space (ps);
  if (ps->p < ps->end && *ps->p == '}')
    ps->p++;
  else
    for (;;)
      {
        CdJsonMember m;

        if (ps->p >= ps->end || *ps->p != '"')
          return fail (ps, CD_JSON_FAILURE_SYNTAX, CD_JSON_EXPECT_KEY, ps->p);
        if (!parse_string (ps, &m.key))
          return FALSE;
        skip_space (ps);
        if (ps->p >= ps->end || *ps->p != ':')
          return fail (ps, CD_JSON_FAILURE_SYNTAX, CD_JSON_EXPECT_COLON, ps->p);
        ps->p++;
        skip_space (ps);
        if (!parse_value (ps, &m.value, depth))
          return FALSE;
        if (ps->n_members == ps->cap_members
            && !stack_grow (ps, (gpointer *) &ps->members, &ps->cap_members,
                            sizeof (CdJsonMember)))
          return FALSE;
        ps->members[ps->n_members++] = m;
        end = after_element (ps, '}');
        if (end < 0)
          return FALSE;
        if (end > 0)
          break;
      }
  n = ps->n_members - base;
  if (n > G_MAXUINT)
    return fail (ps, CD_JSON_FAILURE_BUDGET, CD_JSON_EXPECT_VALUE, open);
  /* members is still NULL before the first member of the file is kept. */
  if (n > 1 && !keys_distinct (ps, ps->members + base, n, &repeated))
    {
      if (ps->failure.kind == CD_JSON_FAILURE_NONE)
        ps->failure.key = g_strdup (repeated);
      return fail (ps, CD_JSON_FAILURE_DUPLICATE_KEY, CD_JSON_EXPECT_VALUE, open);
    }
  out->kind = CD_JSON_OBJECT;
  out->len = (guint) n;
  out->u.members = stack_to_doc (ps, ps->members, base, n, sizeof (CdJsonMember));
  ps->n_members = base;
  return n == 0 || out->u.members != NULL;
}

static gboolean
parse_array (Parser      *ps,
             CdJsonValue *out,
             int          depth)
{
  gsize base = ps->n_items, n;
  int end;

  if (depth > ps->max_depth)
    return fail (ps, CD_JSON_FAILURE_UNSUPPORTED, CD_JSON_EXPECT_VALUE, ps->p);
  ps->p++;
  skip_space (ps);
  if (ps->p < ps->end && *ps->p == ']')
    ps->p++;
  else
    for (;;)
      {
        CdJsonValue v;

        if (!parse_value (ps, &v, depth))
          return FALSE;
        if (ps->n_items == ps->cap_items
            && !stack_grow (ps, (gpointer *) &ps->items, &ps->cap_items, sizeof (CdJsonValue)))
          return FALSE;
        ps->items[ps->n_items++] = v;
        end = after_element (ps, ']');
        if (end < 0)
          return FALSE;
        if (end > 0)
          break;
      }
  n = ps->n_items - base;
  if (n > G_MAXUINT)
    return fail (ps, CD_JSON_FAILURE_BUDGET, CD_JSON_EXPECT_VALUE, ps->p);
  out->kind = CD_JSON_ARRAY;
  out->len = (guint) n;
  out->u.items = stack_to_doc (ps, ps->items, base, n, sizeof (CdJsonValue));
  ps->n_items = base;
  return n == 0 || out->u.items != NULL;
}

/* At the first byte of a value (spaces skipped); depth is that of the
 * container holding it, 0 at the top. */
static gboolean
parse_value (Parser      *ps,
             CdJsonValue *out,
             int          depth)
{
  if (ps->p >= ps->end)
    return fail (ps, CD_JSON_FAILURE_SYNTAX, CD_JSON_EXPECT_VALUE, ps->p);
  out->len = 0;
  switch (*ps->p)
    {
    case '{':
      return parse_object (ps, out, depth + 1);
    case '[':
      return parse_array (ps, out, depth + 1);
    case '"':
      out->kind = CD_JSON_STRING;
      return parse_string (ps, &out->u.string);
    case 't':
      out->kind = CD_JSON_BOOLEAN;
      out->u.boolean = TRUE;
      return match_word (ps, "true", 4);
    case 'f':
      out->kind = CD_JSON_BOOLEAN;
      out->u.boolean = FALSE;
      return match_word (ps, "false", 5);
    case 'n':
      out->kind = CD_JSON_NULL;
      out->u.integer = 0;
      return match_word (ps, "null", 4);
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return parse_number (ps, out);
    default:
      return fail (ps, CD_JSON_FAILURE_SYNTAX, CD_JSON_EXPECT_VALUE, ps->p);
    }
}

CdJsonDoc *
cd_json_parse_strict_full (const char    *data,
                           gsize          length,
                           int            max_depth,
                           gsize          budget,
                           CdJsonFailure *failure)
{
  Parser ps = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  ps.p = ps.data = (const guchar *) data;
  ps.end = ps.p + length;
  ps.max_depth = max_depth;
  /* The tree takes about as many bytes as the text; one block usually. */
  ps.doc = doc_new (length + length / 4);
  ps.doc->budget = budget;
  /* json-glib skips a byte-order mark at the start. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    ps.p += 3;
  skip_space (&ps);
  /* Only an object or an array at the top: json-glib's reading of a lone
   * scalar is not worth copying, and a model is an object. */
  if (ps.p < ps.end && (*ps.p == '{' || *ps.p == '['))
    ok = parse_value (&ps, &ps.doc->root, 0);
  else
    ok = fail (&ps, CD_JSON_FAILURE_SYNTAX, CD_JSON_EXPECT_OBJECT, ps.p);
  if (ok)
    {
      skip_space (&ps);
      ok = ps.p == ps.end || fail (&ps, CD_JSON_FAILURE_SYNTAX, CD_JSON_EXPECT_END, ps.p);
    }
  g_free (ps.items);
  g_free (ps.members);
  g_free (ps.slots);
  g_free (ps.interned);
  g_free (ps.interned_hash);
  if (failure != NULL)
    *failure = ps.failure;
  else
    g_free (ps.failure.key);
  if (!ok)
    {
      cd_json_doc_free (ps.doc);
      return NULL;
    }
  ps.doc->has_root = TRUE;
  return ps.doc;
}

CdJsonDoc *
cd_json_parse_strict (const char *data,
                      gsize       length,
                      int         max_depth)
{
  return cd_json_parse_strict_full (data, length, max_depth, 0, NULL);
}

/* ---- for readers that build the tree themselves ------------------------- */

CdJsonDoc *
cd_json_doc_new (void)
{
  return doc_new (4096);
}

gpointer
cd_json_doc_alloc (CdJsonDoc *doc,
                   gsize      size,
                   gsize      align)
{
  g_return_val_if_fail (doc != NULL && doc->budget == 0, NULL);
  g_return_val_if_fail (align != 0 && (align & (align - 1)) == 0, NULL);
  return doc_alloc (doc, size, align);
}

CdJsonValue *
cd_json_doc_take_root (CdJsonDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  doc->has_root = TRUE;
  return &doc->root;
}
