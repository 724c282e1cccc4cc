/* test-macron.c — "x̄" is drawn with its bar over the x, in every language.
 *
 * A combining macron (U+0304) is placed by the font of its base letter; a
 * CJK font (Noto Sans CJK, which draws the Latin letters of a Chinese
 * desktop) set it beside the x, so the Chinese app showed "x¯".  Measured
 * from the ink of the glyphs, drawn into an image: the bar is over the x
 * when the cluster's ink is hardly wider than the x's alone, reaches above
 * the x, and its ink above the x lies over the x's columns.
 *
 * Checked: every base letter + combining mark in po/zh_CN.po, drawn as a
 * label draws it (plain Pango) in the fonts of its language (the English
 * msgid in "Sans", a Chinese msgstr in "Sans" and in Noto Sans CJK SC);
 * and the same clusters through the figures' text path
 * (cd_render_layout_set), which must be right in every font.  Without
 * Noto Sans CJK SC the CJK part SKIPs, loudly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "cd-render-private.h"

#define CJK_FONT "Noto Sans CJK SC"
#define SIZE 48

typedef struct
{
  int x0, y0, x1, y1;   /* ink, inclusive; x1 < x0 when there is none */
} Ink;

/* Ink of the text: `bars` draws through the figures' text path, else as
 * plain Pango (a GtkLabel).  `above` (if ≥ 0) limits the columns counted
 * in *over to the rows above it. */
static Ink
ink_of (const char *family,
        const char *text,
        gboolean    bars,
        int         above,
        Ink        *over)
{
  int w = 8 * SIZE, h = 3 * SIZE;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_A8, w, h);
  cairo_t *cr = cairo_create (surface);
  CdRenderStyle style;
  PangoLayout *layout;
  const guint8 *data;
  int stride;
  Ink ink = { w, h, -1, -1 };

  cd_render_style_init (&style, CD_STYLE_NORMAL);
  style.font_family = family;
  layout = cd_render_layout (cr, &style, SIZE, FALSE);
  if (bars)
    cd_render_layout_set (layout, text, NULL, NULL);
  else
    pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, SIZE / 2, SIZE / 2);
  pango_cairo_show_layout (cr, layout);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  if (over)
    *over = (Ink) { w, h, -1, -1 };
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (data[y * stride + x] > 96)
        {
          ink.x0 = MIN (ink.x0, x);
          ink.x1 = MAX (ink.x1, x);
          ink.y0 = MIN (ink.y0, y);
          ink.y1 = MAX (ink.y1, y);
          if (over && y < above)
            {
              over->x0 = MIN (over->x0, x);
              over->x1 = MAX (over->x1, x);
            }
        }
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return ink;
}

/* Fails unless the mark of `cluster` (base letter + combining marks) sits
 * over its base letter in `family`. */
static void
check_cluster (const char *family,
               const char *cluster,
               gboolean    bars,
               const char *where)
{
  g_autofree char *base = g_utf8_substring (cluster, 0, 1);
  Ink b = ink_of (family, base, bars, -1, NULL), mark, c;
  int bw = b.x1 - b.x0 + 1;
  const char *how = bars ? "figure text" : "label text";

  g_assert_cmpint (b.x1, >=, b.x0);
  c = ink_of (family, cluster, bars, b.y0 - 1, &mark);
  g_test_message ("%s, %s, “%s” from %s: base ink x %d–%d top %d; cluster x %d–%d top %d; "
                  "above the base x %d–%d", family, how, cluster, where, b.x0, b.x1, b.y0,
                  c.x0, c.x1, c.y0, mark.x0, mark.x1);
  if (c.y0 > b.y0 - 2 || mark.x1 < mark.x0)
    g_error ("%s (%s): “%s” from %s has no mark above its letter", family, how, cluster,
             where);
  if (c.x1 - c.x0 + 1 > bw * 1.3 + 2)
    g_error ("%s (%s): “%s” from %s is %d px wide, its letter alone %d: the mark is beside "
             "the letter, not over it", family, how, cluster, where, c.x1 - c.x0 + 1, bw);
  /* the mark's middle over the letter's middle half */
  if (0.5 * (mark.x0 + mark.x1) < b.x0 + 0.25 * bw || 0.5 * (mark.x0 + mark.x1) > b.x1 - 0.25 * bw)
    g_error ("%s (%s): the mark of “%s” from %s spans x %d–%d, its letter %d–%d", family,
             how, cluster, where, mark.x0, mark.x1, b.x0, b.x1);
}

static gboolean
has_family (const char *name)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoFontFamily **families;
  int n;
  gboolean found = FALSE;

  pango_font_map_list_families (map, &families, &n);
  for (int i = 0; i < n && !found; i++)
    found = g_ascii_strcasecmp (pango_font_family_get_name (families[i]), name) == 0;
  g_free (families);
  return found;
}

/* Every base + combining-mark cluster in the catalog's English (msgid) or
 * Chinese (msgstr) strings. */
static GPtrArray *
catalog_clusters (gboolean chinese)
{
  const char *dir = g_getenv ("CD_PO_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : SOURCE_PO_DIR, "zh_CN.po", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  gboolean in_msgstr = FALSE;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s: %s", path, error->message);
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      const char *line = lines[l];

      if (g_str_has_prefix (line, "msgid"))
        in_msgstr = FALSE;
      else if (g_str_has_prefix (line, "msgstr"))
        in_msgstr = TRUE;
      if (line[0] == '#' || in_msgstr != chinese)
        continue;
      for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
        {
          const char *next = g_utf8_next_char (p);
          gunichar m = g_utf8_get_char (next);

          if (*next != '\0' && m >= 0x0300 && m <= 0x036F)
            {
              g_autofree char *cluster = g_strndup (p, g_utf8_next_char (next) - p);
              gboolean seen = FALSE;

              for (guint i = 0; i < out->len; i++)
                seen |= strcmp (g_ptr_array_index (out, i), cluster) == 0;
              if (!seen)
                g_ptr_array_add (out, g_steal_pointer (&cluster));
            }
        }
    }
  return out;
}

/* Labels: the clusters of each language in its fonts. */
static void
test_macron_labels (void)
{
  g_autoptr (GPtrArray) en = catalog_clusters (FALSE);
  g_autoptr (GPtrArray) zh = catalog_clusters (TRUE);

  /* the English strings use x̄; a catalog without it tests nothing */
  g_assert_cmpuint (en->len, >=, 1);
  for (guint i = 0; i < en->len; i++)
    check_cluster ("Sans", g_ptr_array_index (en, i), FALSE, "an English string");
  g_test_message ("%u clusters in the English strings, %u in the Chinese", en->len, zh->len);
  for (guint i = 0; i < zh->len; i++)
    check_cluster ("Sans", g_ptr_array_index (zh, i), FALSE, "a Chinese string");
  if (!has_family (CJK_FONT))
    {
      g_test_skip ("SKIP: " CJK_FONT " is not installed (fonts-noto-cjk): the Chinese "
                   "strings were not checked in the font a Chinese desktop uses");
      return;
    }
  for (guint i = 0; i < zh->len; i++)
    check_cluster (CJK_FONT, g_ptr_array_index (zh, i), FALSE, "a Chinese string");
}

/* Figures: their text path draws the bar itself, right in every font. */
static void
test_macron_figures (void)
{
  g_autoptr (GPtrArray) en = catalog_clusters (FALSE);
  const char *families[] = { "Sans", "Serif", CJK_FONT };

  g_assert_cmpuint (en->len, >=, 1);
  for (guint f = 0; f < G_N_ELEMENTS (families); f++)
    {
      if (!has_family (families[f]))
        {
          g_test_message ("SKIP: %s is not installed", families[f]);
          continue;
        }
      for (guint i = 0; i < en->len; i++)
        check_cluster (families[f], g_ptr_array_index (en, i), TRUE, "a figure");
    }
  if (!has_family (CJK_FONT))
    g_test_skip ("SKIP: " CJK_FONT " is not installed (fonts-noto-cjk)");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/macron/labels", test_macron_labels);
  g_test_add_func ("/render/macron/figures", test_macron_figures);
  return g_test_run ();
}
