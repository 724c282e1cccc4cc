/* cd-render-text.c — text and small drawing helpers shared inside src/render.
 *
 * Sizes are absolute pixels (logical units), so a PNG, an SVG and the
 * screen lay text out identically whatever the display's DPI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-render-private.h"

PangoLayout *
cd_render_layout (cairo_t             *cr,
                  const CdRenderStyle *style,
                  double               size,
                  gboolean             bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc;

  style = cd_render_style_or_default (style);
  desc = pango_font_description_from_string (style->font_family ? style->font_family : "Sans");
  pango_font_description_set_absolute_size (desc, size * style->font_scale * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  return layout;
}

/* A combining macron (U+0304, "x̄", the mean coordination) is placed by
 * the font that draws its base letter, and a CJK font (Noto Sans CJK draws
 * the Latin letters of a Chinese desktop) sets it beside the x as a
 * glyph of its own: "x¯".  Where the font does that (the cluster's ink
 * reaches past its letter's), the render path draws the bar itself, as an overline
 * on the letter, so that a figure reads the same whatever font it gets;
 * where the font attaches the mark, its own macron is kept. */
#define MACRON 0x0304

static gboolean
macron_attaches (PangoLayout *layout,
                 const char  *base,
                 gsize        base_len)
{
  g_autoptr (PangoLayout) probe = pango_layout_copy (layout);
  g_autofree char *cluster = g_strdup_printf ("%.*s\xcc\x84", (int) base_len, base);
  PangoRectangle alone, with;

  /* by the ink: Noto Sans CJK gives the mark no advance but draws it past
   * the letter's right edge */
  pango_layout_set_attributes (probe, NULL);
  pango_layout_set_text (probe, base, (int) base_len);
  pango_layout_get_extents (probe, &alone, NULL);
  pango_layout_set_text (probe, cluster, -1);
  pango_layout_get_extents (probe, &with, NULL);
  return with.x >= alone.x - alone.width / 4
         && with.x + with.width <= alone.x + alone.width + alone.width / 4;
}

static void
set_text_with_bars (PangoLayout *layout,
                    const char  *text)
{
  g_autoptr (GString) plain = NULL;
  PangoAttrList *attrs;
  gsize base = 0;
  gboolean beside = FALSE;

  for (const char *p = strstr (text, "\xcc\x84"); p != NULL && !beside;
       p = strstr (p + 2, "\xcc\x84"))   /* U+0304 in UTF-8 */
    if (p > text)
      {
        const char *b = g_utf8_find_prev_char (text, p);
        beside = !macron_attaches (layout, b, p - b);
      }
  pango_layout_set_attributes (layout, NULL);
  if (!beside)
    {
      pango_layout_set_text (layout, text, -1);
      return;
    }
  plain = g_string_new (NULL);
  attrs = pango_attr_list_new ();
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == MACRON && plain->len > 0)
        {
          PangoAttribute *bar = pango_attr_overline_new (PANGO_OVERLINE_SINGLE);

          bar->start_index = base;
          bar->end_index = plain->len;
          pango_attr_list_insert (attrs, bar);
          continue;
        }
      base = plain->len;
      g_string_append_unichar (plain, c);
    }
  pango_layout_set_text (layout, plain->str, -1);
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

void
cd_render_layout_set (PangoLayout *layout,
                      const char  *text,
                      double      *width,
                      double      *height)
{
  PangoRectangle logical;

  set_text_with_bars (layout, text ? text : "");
  pango_layout_get_extents (layout, NULL, &logical);
  if (width)
    *width = (double) logical.width / PANGO_SCALE;
  if (height)
    *height = (double) logical.height / PANGO_SCALE;
}

/* Text sizes already measured, by font and text.  Shaping a name to learn
 * its size is most of what a label costs (≈ 70,000 instructions), and a
 * crowded canvas measures hundreds of names a frame only to find no room
 * for most of them; names change rarely.  Shared by every thread, so
 * locked; cleared when it grows past SIZE_CACHE_MAX. */
#define SIZE_CACHE_MAX 65536

G_LOCK_DEFINE_STATIC (size_cache);
static GHashTable *size_cache;

char *
cd_render_layout_key (PangoLayout *layout)
{
  PangoContext *context = pango_layout_get_context (layout);
  const cairo_font_options_t *options = pango_cairo_context_get_font_options (context);
  g_autofree char *font = pango_font_description_to_string (
    pango_layout_get_font_description (layout));

  /* the same font can measure differently with other hinting or resolution */
  return g_strdup_printf ("%s|%g|%lx|", font, pango_cairo_context_get_resolution (context),
                          options ? cairo_font_options_hash (options) : 0UL);
}

void
cd_render_text_size_cached (const char  *key,
                            PangoLayout *layout,
                            const char  *text,
                            double      *width,
                            double      *height)
{
  g_autofree char *full = g_strconcat (key, text ? text : "", NULL);
  double *size;
  double w, h;

  G_LOCK (size_cache);
  size = size_cache ? g_hash_table_lookup (size_cache, full) : NULL;
  if (size != NULL)
    {
      w = size[0];
      h = size[1];
    }
  G_UNLOCK (size_cache);
  if (size == NULL)
    {
      /* measured outside the lock: two threads may both measure, harmlessly */
      cd_render_layout_set (layout, text, &w, &h);
      G_LOCK (size_cache);
      if (size_cache == NULL || g_hash_table_size (size_cache) >= SIZE_CACHE_MAX)
        {
          g_clear_pointer (&size_cache, g_hash_table_unref);
          size_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
        }
      size = g_new (double, 2);
      size[0] = w;
      size[1] = h;
      g_hash_table_replace (size_cache, g_steal_pointer (&full), size);
      G_UNLOCK (size_cache);
    }
  if (width)
    *width = w;
  if (height)
    *height = h;
}

/* ---- what was drawn, for tests -------------------------------------------- */

typedef struct
{
  double     min_size;
  GArray    *boxes;
  GPtrArray *texts;
} Probe;

static GPrivate probe_key = G_PRIVATE_INIT (NULL);

void
cd_render_probe_begin (void)
{
  Probe *probe = g_private_get (&probe_key);

  g_return_if_fail (probe == NULL);
  probe = g_new0 (Probe, 1);
  probe->min_size = INFINITY;
  probe->boxes = g_array_new (FALSE, FALSE, sizeof (CdRenderBox));
  probe->texts = g_ptr_array_new_with_free_func (g_free);
  g_private_set (&probe_key, probe);
}

double
cd_render_probe_end_texts (GArray    *boxes,
                           GPtrArray *texts)
{
  Probe *probe = g_private_get (&probe_key);
  double min_size;

  g_return_val_if_fail (probe != NULL, INFINITY);
  g_private_set (&probe_key, NULL);
  min_size = probe->min_size;
  if (boxes != NULL)
    g_array_append_vals (boxes, probe->boxes->data, probe->boxes->len);
  for (guint i = 0; texts != NULL && i < probe->texts->len; i++)
    g_ptr_array_add (texts, g_strdup (g_ptr_array_index (probe->texts, i)));
  g_array_unref (probe->boxes);
  g_ptr_array_unref (probe->texts);
  g_free (probe);
  return min_size;
}

double
cd_render_probe_end (GArray *boxes)
{
  return cd_render_probe_end_texts (boxes, NULL);
}

void
cd_render_probe_text (cairo_t     *cr,
                      PangoLayout *layout,
                      double       x,
                      double       y)
{
  Probe *probe = g_private_get (&probe_key);
  const PangoFontDescription *font;
  PangoRectangle logical;
  double bx[4], by[4], scale_x = 1, scale_y = 1;
  CdRenderBox box = { 0 };

  /* Text drawn into a group is a measurement or a layer drawn later as a
   * whole, not what the figure shows at that place. */
  if (probe == NULL || cairo_get_group_target (cr) != cairo_get_target (cr))
    return;
  pango_layout_get_extents (layout, NULL, &logical);
  if (logical.width <= 0 || logical.height <= 0 || pango_layout_get_character_count (layout) == 0)
    return;
  font = pango_layout_get_font_description (layout);
  /* the size on the page: a figure drawn at a device scale (a PNG at 300 dpi) is the same
   * figure in points */
  cairo_surface_get_device_scale (cairo_get_target (cr), &scale_x, &scale_y);
  if (font != NULL && pango_font_description_get_size (font) > 0)
    {
      double size = (double) pango_font_description_get_size (font) / PANGO_SCALE;
      double dx = size, dy = 0;

      /* in device units, then back to the figure's units */
      cairo_user_to_device_distance (cr, &dx, &dy);
      probe->min_size = MIN (probe->min_size, hypot (dx, dy) / scale_x);
    }
  /* the box's corners through the current transformation (rotated titles) */
  for (int k = 0; k < 4; k++)
    {
      bx[k] = x + (double) (logical.x + (k & 1 ? logical.width : 0)) / PANGO_SCALE;
      by[k] = y + (double) (logical.y + (k & 2 ? logical.height : 0)) / PANGO_SCALE;
      cairo_user_to_device (cr, &bx[k], &by[k]);
      bx[k] /= scale_x;
      by[k] /= scale_y;
    }
  box.x = MIN (MIN (bx[0], bx[1]), MIN (bx[2], bx[3]));
  box.y = MIN (MIN (by[0], by[1]), MIN (by[2], by[3]));
  box.width = MAX (MAX (bx[0], bx[1]), MAX (bx[2], bx[3])) - box.x;
  box.height = MAX (MAX (by[0], by[1]), MAX (by[2], by[3])) - box.y;
  box.kind = CD_BOX_TEXT;
  g_array_append_val (probe->boxes, box);
  g_ptr_array_add (probe->texts, g_strdup (pango_layout_get_text (layout)));
}

void
cd_render_layout_draw (cairo_t     *cr,
                       PangoLayout *layout,
                       double       x,
                       double       y,
                       CdAnchor     h,
                       CdAnchor     v,
                       CdColor      color)
{
  PangoRectangle logical;
  double w, hh;

  pango_layout_get_extents (layout, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  hh = (double) logical.height / PANGO_SCALE;
  cairo_move_to (cr, x - w * 0.5 * h, y - hh * 0.5 * v);
  cd_color_set_source (cr, color);
  cd_render_probe_text (cr, layout, x - w * 0.5 * h, y - hh * 0.5 * v);
  pango_cairo_show_layout (cr, layout);
  cairo_new_path (cr);
}

double
cd_render_text (cairo_t             *cr,
                const CdRenderStyle *style,
                const char          *text,
                double               size,
                gboolean             bold,
                double               x,
                double               y,
                CdAnchor             h,
                CdAnchor             v,
                CdColor              color,
                double              *height)
{
  PangoLayout *layout = cd_render_layout (cr, style, size, bold);
  double w;

  cd_render_layout_set (layout, text, &w, height);
  cd_render_layout_draw (cr, layout, x, y, h, v, color);
  g_object_unref (layout);
  return w;
}

double
cd_render_text_width (cairo_t             *cr,
                      const CdRenderStyle *style,
                      const char          *text,
                      double               size,
                      gboolean             bold)
{
  PangoLayout *layout = cd_render_layout (cr, style, size, bold);
  double w;

  cd_render_layout_set (layout, text, &w, NULL);
  g_object_unref (layout);
  return w;
}

void
cd_render_fill_background (cairo_t             *cr,
                           int                  width,
                           int                  height,
                           const CdRenderStyle *style)
{
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cd_color_set_source (cr, cd_palette_background (style));
  cairo_fill (cr);
  cairo_restore (cr);
}

void
cd_render_message (cairo_t             *cr,
                   int                  width,
                   int                  height,
                   const char          *message,
                   const CdRenderStyle *style)
{
  PangoLayout *layout = cd_render_layout (cr, style, 15, FALSE);
  double box = MAX (width - 40, 40);

  /* The layout centres each line in a box of the given width, so it is
   * the box that is placed (at 20, or centred when narrower than 40). */
  pango_layout_set_width (layout, (int) (box * PANGO_SCALE));
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  cd_render_layout_set (layout, message, NULL, NULL);
  cd_render_layout_draw (cr, layout, (width - box) / 2.0, height / 2.0, CD_ANCHOR_START,
                         CD_ANCHOR_CENTER, cd_palette_muted (style));
  g_object_unref (layout);
}

char *
cd_render_format_value (double value,
                        int    decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char fmt[8];

  if (!isfinite (value))
    return g_strdup ("—");
  decimals = CLAMP (decimals, 0, 9);
  g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
  g_ascii_formatd (buf, sizeof buf, fmt, value);
  /* "-0.00" reads as a sign error; and a true minus sign, not a hyphen. */
  if (buf[0] == '-')
    {
      gboolean zero = TRUE;
      for (const char *p = buf + 1; *p; p++)
        if (*p >= '1' && *p <= '9')
          zero = FALSE;
      if (zero)
        return g_strdup (buf + 1);
      return g_strconcat ("−", buf + 1, NULL);
    }
  return g_strdup (buf);
}

void
cd_render_arrow (cairo_t *cr,
                 double   x0,
                 double   y0,
                 double   x1,
                 double   y1,
                 double   head,
                 double   width)
{
  double dx = x1 - x0, dy = y1 - y0;
  double len = hypot (dx, dy);
  double ux, uy, bx, by;

  if (!(len > 1e-9))
    return;
  ux = dx / len;
  uy = dy / len;
  head = MIN (head, len);
  bx = x1 - ux * head;
  by = y1 - uy * head;
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, bx + ux * 0.5, by + uy * 0.5);
  cairo_stroke (cr);
  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, bx - uy * head * 0.5, by + ux * head * 0.5);
  cairo_line_to (cr, bx + uy * head * 0.5, by - ux * head * 0.5);
  cairo_close_path (cr);
  cairo_fill (cr);
}

gboolean
cd_render_box_intersects (const CdRenderBox *a,
                          const CdRenderBox *b)
{
  /* Touching edges are not an overlap: stacked rows share a border. */
  return a->x < b->x + b->width - 0.01 && b->x < a->x + a->width - 0.01
         && a->y < b->y + b->height - 0.01 && b->y < a->y + a->height - 0.01;
}
