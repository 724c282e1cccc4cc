/* cd-palette.c — colours, shapes and styles shared by every drawing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-palette.h"
#include "cd-system.h"
#include "cd-render-private.h"

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, \
                   ((hex) & 0xff) / 255.0, 1.0 }

/* Okabe–Ito.  Resistance is reddish purple rather than orange: orange sits
 * too close to vermillion (pressure) for normal vision on a projector, and
 * under deuteranopia the pair still differs in lightness. */
static const CdColor force_light[CD_N_FORCES] = {
  RGB (0x0072B2),   /* gravity: blue */
  RGB (0xD55E00),   /* pressure: vermillion */
  RGB (0x009E73),   /* thrust: bluish green */
  RGB (0xCC79A7),   /* resistance: reddish purple */
  RGB (0x222222),   /* net: ink */
};

/* Text in a force's colour (the labels beside the force diagram's arrows)
 * must read at WCAG AA, 4.5:1, on the light backgrounds; the fills above
 * do not (pressure 3.7:1, thrust 3.3:1, resistance 2.9:1 on #FAFAFA).  The
 * same hues, darkened to ≥ 4.6:1; resistance also turned a little toward
 * violet, so under deuteranopia (Machado et al. 2009) it stays ΔE ≥ 25
 * from thrust and gravity (the fills manage 18).  Gravity's fill already
 * passes. */
static const CdColor force_text_light[CD_N_FORCES] = {
  RGB (0x0072B2),   /* 5.0:1 on #FAFAFA */
  RGB (0xBB5300),   /* 4.6:1 */
  RGB (0x00805A),   /* 4.8:1 */
  RGB (0xA8478F),   /* 5.1:1 */
  RGB (0x222222),
};

/* On a dark background the same hues, lifted so they keep ≥ 4.5:1 contrast
 * (as fills and as text). */
static const CdColor force_dark[CD_N_FORCES] = {
  RGB (0x56B4E9),
  RGB (0xF07E3A),
  RGB (0x2FCB9A),
  RGB (0xEE9AD8),   /* bluer than #E59BC6: ΔE 25 from thrust under deuteranopia, not 17 */
  RGB (0xF2F2F2),
};

/* viridis at 9 even stops (matplotlib's table) */
static const CdColor viridis[9] = {
  RGB (0x440154), RGB (0x472D7B), RGB (0x3B528B), RGB (0x2C728E), RGB (0x21918C),
  RGB (0x28AE80), RGB (0x5EC962), RGB (0xADDC30), RGB (0xFDE725),
};

static const CdRenderStyle default_style = { FALSE, 1.0, 1.0, FALSE, NULL, FALSE, 0.0 };

const CdRenderStyle *
cd_render_style_or_default (const CdRenderStyle *style)
{
  return style != NULL ? style : &default_style;
}

void
cd_render_style_init (CdRenderStyle *style,
                      CdStylePreset  preset)
{
  g_return_if_fail (style != NULL);

  *style = default_style;
  switch (preset)
    {
    case CD_STYLE_NORMAL:
      break;
    case CD_STYLE_DARK:
      style->dark = TRUE;
      break;
    case CD_STYLE_PROJECTOR:
      /* Read from the back of a room: type about 1.6×, lines about 1.8×,
       * pure black on white, no faint greys. */
      style->font_scale = 1.6;
      style->line_scale = 1.8;
      style->high_contrast = TRUE;
      break;
    case CD_STYLE_PRINT:
      /* Figures for a page are drawn in points (1/72 in).  The smallest
       * type any drawing uses is 11 units (legends, marker labels), which
       * at 0.7 is 7.7 pt, the smallest a journal accepts at final size;
       * ticks come to 8.4 pt and titles to 10.5 pt.  Lines of 1–2 units
       * print at 0.7–1.4 pt. */
      style->font_scale = 0.7;
      style->line_scale = 0.7;
      style->paper = TRUE;
      break;
    default:
      g_return_if_reached ();
    }
}

gboolean
cd_style_preset_from_string (const char    *text,
                             CdStylePreset *out_preset)
{
  static const char * const names[] = { "normal", "dark", "projector", "print" };

  g_return_val_if_fail (text != NULL, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (text, names[i]) == 0)
      {
        if (out_preset)
          *out_preset = (CdStylePreset) i;
        return TRUE;
      }
  return FALSE;
}

CdColor
cd_palette_force (CdForce              force,
                  const CdRenderStyle *style)
{
  style = cd_render_style_or_default (style);
  g_return_val_if_fail (force < CD_N_FORCES, force_light[CD_FORCE_NET]);

  if (style->dark)
    return force_dark[force];
  if (style->high_contrast && force == CD_FORCE_NET)
    return (CdColor) { 0, 0, 0, 1 };
  return force_light[force];
}

CdColor
cd_palette_force_text (CdForce              force,
                       const CdRenderStyle *style)
{
  style = cd_render_style_or_default (style);
  g_return_val_if_fail (force < CD_N_FORCES, force_text_light[CD_FORCE_NET]);

  if (style->dark || (style->high_contrast && force == CD_FORCE_NET))
    return cd_palette_force (force, style);
  return force_text_light[force];
}

const char *
cd_force_label (CdForce force)
{
  switch (force)
    {
    case CD_FORCE_GRAVITY:    return _("gravity");
    case CD_FORCE_PRESSURE:   return _("pressure");
    case CD_FORCE_THRUST:     return _("thrust");
    case CD_FORCE_RESISTANCE: return _("resistance");
    case CD_FORCE_NET:        return _("net force");
    case CD_N_FORCES:
    default:
      g_return_val_if_reached ("");
    }
}

const char *
cd_force_key (CdForce force)
{
  static const char * const keys[CD_N_FORCES] = {
    "gravity", "pressure", "thrust", "resistance", "net"
  };

  g_return_val_if_fail (force < CD_N_FORCES, "");
  return keys[force];
}

/* Short labels and sentence phrases of the factors; model 1's one
 * fragmentation channel has its own. */
static const struct
{
  const char *label;
  const char *phrase;
  guint       shade;
} factor_text[CD_N_FACTORS] = {
  [CD_FACTOR_G_INTEREST]  = { N_("interest"), N_("shared interest"), 0 },
  [CD_FACTOR_G_TRUST]     = { N_("trust"), N_("mutual trust"), 1 },
  [CD_FACTOR_P_ADMIN]     = { N_("administrative"), N_("administrative pressure"), 0 },
  [CD_FACTOR_P_COMMAND]   = { N_("command"), N_("emergency command"), 1 },
  [CD_FACTOR_P_CRISIS]    = { N_("crisis"), N_("the crisis itself"), 2 },
  [CD_FACTOR_T_INFO]      = { N_("information"), N_("information sharing"), 0 },
  [CD_FACTOR_T_APPRAISAL] = { N_("appraisal"), N_("performance appraisal"), 1 },
  [CD_FACTOR_R_IDEAS]     = { N_("ideas"), N_("fragmented ideas"), 0 },
  [CD_FACTOR_R_POWERS]    = { N_("powers"), N_("fragmented powers"), 1 },
  [CD_FACTOR_R_BENEFITS]  = { N_("benefits"), N_("uncompensated benefits"), 2 },
};

guint
cd_factor_parts (int           version,
                 CdForce       force,
                 CdFactorPart *parts)
{
  static const CdFactorForce of[CD_FORCE_NET] = {
    CD_FACTOR_OF_GRAVITY, CD_FACTOR_OF_PRESSURE, CD_FACTOR_OF_THRUST, CD_FACTOR_OF_RESISTANCE,
  };
  guint n = 0;

  g_return_val_if_fail (parts != NULL, 0);
  if (force >= CD_FORCE_NET)
    return 0;
  for (guint f = 0; f < CD_N_FACTORS; f++)
    {
      if (cd_factor_force ((CdFactor) f) != of[force])
        continue;
      if (version < 2 && f == CD_FACTOR_P_COMMAND)
        continue;   /* model 1 has no emergency command: not a zero part */
      if (version < 2 && f == CD_FACTOR_R_POWERS)
        continue;   /* one channel with ideas, below */
      parts[n].mask = 1u << f;
      parts[n].shade = factor_text[f].shade;
      parts[n].label = _(factor_text[f].label);
      parts[n].phrase = _(factor_text[f].phrase);
      if (version < 2 && f == CD_FACTOR_R_IDEAS)
        {
          /* docs/model.md gives model 1's r_f f_i half to ideas and half
           * to powers; drawn as the one channel it is */
          parts[n].mask |= 1u << CD_FACTOR_R_POWERS;
          parts[n].label = _("fragmentation");
          parts[n].phrase = _("fragmented ideas and powers");
        }
      n++;
    }
  return n;
}

double
cd_factor_part_value (const CdFactorPart *part,
                      const double       *factor)
{
  double sum = 0;

  for (guint f = 0; f < CD_N_FACTORS; f++)
    if (part->mask & (1u << f))
      sum += factor[f];
  return sum;
}

CdColor
cd_palette_factor (CdForce              force,
                   guint                shade,
                   const CdRenderStyle *style)
{
  CdColor base = cd_palette_force (force, style);
  CdColor white = { 1, 1, 1, 1 }, black = { 0, 0, 0, 1 };

  style = cd_render_style_or_default (style);
  /* The tint goes toward the background, the shade toward the text: the
   * three parts differ in lightness, which survives every kind of colour
   * blindness and a washed-out projector. */
  switch (shade)
    {
    case 0:
      return base;
    case 1:
      return cd_color_mix (base, cd_palette_background (style), style->dark ? 0.45 : 0.5);
    default:
      return cd_color_mix (base, style->dark ? white : black, style->dark ? 0.45 : 0.4);
    }
}

CdColor
cd_palette_emergency_line (const CdRenderStyle *style)
{
  /* the emergencies' own colour (timeline markers): an emergency command
   * line is the crisis's chain of command */
  return cd_palette_event (style);
}

CdColor
cd_palette_background (const CdRenderStyle *style)
{
  style = cd_render_style_or_default (style);
  if (style->dark)
    return style->high_contrast ? (CdColor) { 0, 0, 0, 1 } : (CdColor) RGB (0x1E1E1E);
  /* paper is white: an off-white shows as a grey box on a journal's page */
  return style->high_contrast || style->paper ? (CdColor) { 1, 1, 1, 1 }
                                              : (CdColor) RGB (0xFAFAFA);
}

CdColor
cd_palette_foreground (const CdRenderStyle *style)
{
  style = cd_render_style_or_default (style);
  if (style->dark)
    return style->high_contrast ? (CdColor) { 1, 1, 1, 1 } : (CdColor) RGB (0xEDEDED);
  return style->high_contrast ? (CdColor) { 0, 0, 0, 1 } : (CdColor) RGB (0x202020);
}

CdColor
cd_palette_muted (const CdRenderStyle *style)
{
  style = cd_render_style_or_default (style);
  if (style->dark)
    return style->high_contrast ? (CdColor) RGB (0xDDDDDD) : (CdColor) RGB (0xA8A8A8);
  return style->high_contrast ? (CdColor) RGB (0x222222) : (CdColor) RGB (0x5E5E5E);
}

CdColor
cd_palette_grid (const CdRenderStyle *style)
{
  style = cd_render_style_or_default (style);
  if (style->dark)
    return style->high_contrast ? (CdColor) RGB (0x555555) : (CdColor) RGB (0x3A3A3A);
  return style->high_contrast ? (CdColor) RGB (0xAAAAAA) : (CdColor) RGB (0xE2E2E2);
}

CdColor
cd_palette_edge (CdEdgeKind           kind,
                 const CdRenderStyle *style)
{
  style = cd_render_style_or_default (style);
  /* Command lines are the hierarchy's skeleton: darker.  Partnerships are
   * many and carry width (trust): a lighter neutral so they do not drown
   * the force colours. */
  if (kind == CD_EDGE_COMMAND)
    {
      if (style->dark)
        return style->high_contrast ? (CdColor) RGB (0xE0E0E0) : (CdColor) RGB (0xB0B0B0);
      return style->high_contrast ? (CdColor) RGB (0x111111) : (CdColor) RGB (0x505050);
    }
  if (style->dark)
    return style->high_contrast ? (CdColor) RGB (0x9A9A9A) : (CdColor) RGB (0x7A7F88);
  return style->high_contrast ? (CdColor) RGB (0x6A6A6A) : (CdColor) RGB (0x9AA1AB);
}

CdColor
cd_palette_selection (const CdRenderStyle *style)
{
  style = cd_render_style_or_default (style);
  /* GNOME's accent blue family, but brighter than gravity's blue so a
   * selection ring never reads as a force. */
  return style->dark ? (CdColor) RGB (0x78AEED) : (CdColor) RGB (0x1C71D8);
}

CdColor
cd_palette_event (const CdRenderStyle *style)
{
  style = cd_render_style_or_default (style);
  return style->dark ? (CdColor) RGB (0xFF7B63) : (CdColor) RGB (0xC01C28);
}

CdColor
cd_palette_intervention (const CdRenderStyle *style)
{
  style = cd_render_style_or_default (style);
  return style->dark ? (CdColor) RGB (0xC0C0C0) : (CdColor) RGB (0x4A4A4A);
}

CdColor
cd_palette_coordination (double               x,
                         const CdRenderStyle *style)
{
  double u, f;
  guint k;

  style = cd_render_style_or_default (style);
  if (!(x >= 0.0))
    x = 0.0;
  if (x > 1.0)
    x = 1.0;
  /* Light theme: x = 0 is the pale end, so the eye finds the coordinating
   * (dark) governments; dark theme: the reverse. */
  u = style->dark ? x : 1.0 - x;
  f = u * 8.0;
  k = (guint) floor (f);
  if (k >= 8)
    return viridis[8];
  return cd_color_mix (viridis[k], viridis[k + 1], f - k);
}

CdColor
cd_palette_series (guint                i,
                   const CdRenderStyle *style)
{
  /* Okabe–Ito without yellow (illegible on white) and black (the axes). */
  static const CdColor light[] = {
    RGB (0x0072B2), RGB (0xD55E00), RGB (0x009E73), RGB (0xCC79A7),
    RGB (0xE69F00), RGB (0x56B4E9), RGB (0x7F7F7F),
  };
  static const CdColor dark[] = {
    RGB (0x56B4E9), RGB (0xF07E3A), RGB (0x2FCB9A), RGB (0xEE9AD8),
    RGB (0xF0E442), RGB (0x9ED3F5), RGB (0xBBBBBB),
  };
  const CdColor *table;
  CdColor c;

  style = cd_render_style_or_default (style);
  table = style->dark ? dark : light;
  c = table[i % G_N_ELEMENTS (light)];
  if (i >= G_N_ELEMENTS (light))
    c.a = 0.6;
  return c;
}

CdColor
cd_palette_text_on (CdColor fill)
{
  CdColor black = { 0, 0, 0, 1 }, white = { 1, 1, 1, 1 };

  /* whichever contrasts more: at the worst fill (luminance 0.179) both
   * reach 4.58:1, so text on any fill passes WCAG AA */
  return cd_color_contrast (black, fill) >= cd_color_contrast (white, fill) ? black : white;
}

static double
channel_linear (double c)
{
  c = CLAMP (c, 0.0, 1.0);
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

double
cd_color_luminance (CdColor c)
{
  return 0.2126 * channel_linear (c.r) + 0.7152 * channel_linear (c.g)
         + 0.0722 * channel_linear (c.b);
}

double
cd_color_contrast (CdColor a,
                   CdColor b)
{
  double la = cd_color_luminance (a), lb = cd_color_luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

guint
cd_palette_text_colors (const CdRenderStyle *style,
                        CdPaletteEntry      *out,
                        guint                max)
{
  CdPaletteEntry all[CD_N_FORCES + 4];
  guint n = 0;

  all[n++] = (CdPaletteEntry) { "foreground", cd_palette_foreground (style) };
  all[n++] = (CdPaletteEntry) { "muted", cd_palette_muted (style) };
  for (guint k = 0; k < CD_N_FORCES; k++)
    all[n++] = (CdPaletteEntry) { cd_force_key ((CdForce) k),
                                  cd_palette_force_text ((CdForce) k, style) };
  /* marker labels (cd_plot_marker, tipping points, stale notes) take
   * their marker's colour */
  all[n++] = (CdPaletteEntry) { "event", cd_palette_event (style) };
  all[n++] = (CdPaletteEntry) { "intervention", cd_palette_intervention (style) };
  g_assert (n <= G_N_ELEMENTS (all));
  if (out != NULL)
    memcpy (out, all, MIN (n, max) * sizeof *out);
  return n;
}

guint
cd_palette_text_fills (CdColor *out,
                       guint    max)
{
  guint n = 0;

  /* the coordination ramp, in the steps a heat map or a bar can take */
  for (guint i = 0; i <= 64; i++, n++)
    if (out != NULL && n < max)
      out[n] = cd_palette_coordination (i / 64.0, NULL);
  return n;
}

CdColor
cd_color_mix (CdColor a,
              CdColor b,
              double  t)
{
  return (CdColor) { a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t,
                     a.a + (b.a - a.a) * t };
}

CdColor
cd_color_with_alpha (CdColor c,
                     double  alpha)
{
  c.a = alpha;
  return c;
}

void
cd_color_set_source (cairo_t *cr,
                     CdColor  c)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, c.a);
}

char *
cd_color_to_hex (CdColor c)
{
  return g_strdup_printf ("#%02X%02X%02X", (int) lround (CLAMP (c.r, 0, 1) * 255),
                          (int) lround (CLAMP (c.g, 0, 1) * 255),
                          (int) lround (CLAMP (c.b, 0, 1) * 255));
}

CdShape
cd_palette_level_shape (CdLevel level)
{
  switch (level)
    {
    case CD_LEVEL_CENTRAL:    return CD_SHAPE_STAR;
    case CD_LEVEL_PROVINCIAL: return CD_SHAPE_HEXAGON;
    case CD_LEVEL_MUNICIPAL:  return CD_SHAPE_CIRCLE;
    case CD_LEVEL_COUNTY:     return CD_SHAPE_DIAMOND;
    case CD_LEVEL_OTHER:
    case CD_N_LEVELS:
    default:
      return CD_SHAPE_SQUARE;
    }
}

double
cd_palette_level_size (CdLevel level)
{
  switch (level)
    {
    case CD_LEVEL_CENTRAL:    return 1.9;
    case CD_LEVEL_PROVINCIAL: return 1.45;
    case CD_LEVEL_MUNICIPAL:  return 1.0;
    case CD_LEVEL_COUNTY:     return 0.8;
    case CD_LEVEL_OTHER:
    case CD_N_LEVELS:
    default:
      return 0.85;
    }
}

const char *
cd_level_label (CdLevel level)
{
  switch (level)
    {
    case CD_LEVEL_CENTRAL:    return _("central");
    case CD_LEVEL_PROVINCIAL: return _("provincial");
    case CD_LEVEL_MUNICIPAL:  return _("municipal");
    case CD_LEVEL_COUNTY:     return _("county");
    case CD_LEVEL_OTHER:
    case CD_N_LEVELS:
    default:
      return _("other");
    }
}

static void
polygon (cairo_t *cr,
         double   cx,
         double   cy,
         double   r,
         int      n,
         double   phase)
{
  for (int k = 0; k < n; k++)
    {
      double a = phase + 2 * G_PI * k / n;
      if (k == 0)
        cairo_move_to (cr, cx + r * cos (a), cy + r * sin (a));
      else
        cairo_line_to (cr, cx + r * cos (a), cy + r * sin (a));
    }
  cairo_close_path (cr);
}

void
cd_render_shape_path (cairo_t *cr,
                      CdShape  shape,
                      double   cx,
                      double   cy,
                      double   r)
{
  switch (shape)
    {
    case CD_SHAPE_STAR:
      for (int k = 0; k < 10; k++)
        {
          double a = -G_PI / 2 + G_PI * k / 5;
          double rr = (k % 2 == 0) ? r : r * 0.5;
          if (k == 0)
            cairo_move_to (cr, cx + rr * cos (a), cy + rr * sin (a));
          else
            cairo_line_to (cr, cx + rr * cos (a), cy + rr * sin (a));
        }
      cairo_close_path (cr);
      break;
    case CD_SHAPE_HEXAGON:
      polygon (cr, cx, cy, r, 6, 0);
      break;
    case CD_SHAPE_DIAMOND:
      polygon (cr, cx, cy, r, 4, -G_PI / 2);
      break;
    case CD_SHAPE_SQUARE:
      /* same area impression as a circle of radius r */
      cairo_rectangle (cr, cx - r * 0.8, cy - r * 0.8, r * 1.6, r * 1.6);
      break;
    case CD_SHAPE_CIRCLE:
    default:
      cairo_new_sub_path (cr);
      cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
      cairo_close_path (cr);
      break;
    }
}
