/* test-contrast.c — every colour the palette gives text reads at WCAG AA.
 *
 * For each style the app and the exporters draw in (normal, dark,
 * projector, print, and dark with high contrast), every text colour the
 * palette names (cd_palette_text_colors: foreground, muted, each force's
 * text shade, the marker colours) must reach a contrast ratio of 4.5:1
 * against the background it is drawn on, and the black-or-white text
 * put on coordination fills must reach it on every fill.  The forces
 * must also stay apart for a reader with deuteranopia: their colours,
 * passed through Machado, Oliveira and Fernandes's (2009) simulation, keep
 * a CIE76 colour difference of at least 20 as text and 15 as fills.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cd-palette.h"

#define AA 4.5

typedef struct
{
  const char   *name;
  CdRenderStyle style;
} Style;

static guint
all_styles (Style *out)
{
  static const struct { const char *name; CdStylePreset preset; } presets[] = {
    { "normal", CD_STYLE_NORMAL }, { "dark", CD_STYLE_DARK },
    { "projector", CD_STYLE_PROJECTOR }, { "print", CD_STYLE_PRINT },
  };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++, n++)
    {
      out[n].name = presets[i].name;
      cd_render_style_init (&out[n].style, presets[i].preset);
    }
  /* a dark desktop in high-contrast mode */
  out[n].name = "dark high-contrast";
  cd_render_style_init (&out[n].style, CD_STYLE_DARK);
  out[n].style.high_contrast = TRUE;
  return n + 1;
}

static void
test_contrast_wcag (void)
{
  Style styles[8];
  guint n_styles = all_styles (styles), checked = 0;
  double worst = 21;

  /* the formula itself, on known pairs: black on white is 21:1, and
   * #767676 is the lightest grey that passes on white (4.54:1) */
  g_assert_cmpfloat_with_epsilon (cd_color_contrast ((CdColor) { 0, 0, 0, 1 },
                                                     (CdColor) { 1, 1, 1, 1 }), 21.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (cd_color_contrast ((CdColor) { 0x76 / 255.0, 0x76 / 255.0,
                                                                 0x76 / 255.0, 1 },
                                                     (CdColor) { 1, 1, 1, 1 }), 4.54, 0.01);

  for (guint s = 0; s < n_styles; s++)
    {
      const CdRenderStyle *style = &styles[s].style;
      CdColor bg = cd_palette_background (style);
      guint n = cd_palette_text_colors (style, NULL, 0);
      g_autofree CdPaletteEntry *text = g_new (CdPaletteEntry, n);

      g_assert_cmpuint (n, >=, CD_N_FORCES + 2);
      g_assert_cmpuint (cd_palette_text_colors (style, text, n), ==, n);
      for (guint i = 0; i < n; i++)
        {
          double ratio = cd_color_contrast (text[i].color, bg);
          g_autofree char *fg_hex = cd_color_to_hex (text[i].color);
          g_autofree char *bg_hex = cd_color_to_hex (bg);

          g_test_message ("%s: %s %s on %s  %.2f:1", styles[s].name, text[i].name, fg_hex,
                          bg_hex, ratio);
          if (ratio < AA)
            g_error ("%s style: %s text %s on %s is %.2f:1, below WCAG AA %.1f:1",
                     styles[s].name, text[i].name, fg_hex, bg_hex, ratio, AA);
          worst = MIN (worst, ratio);
          checked++;
        }
    }

  /* text on a coloured fill takes cd_palette_text_on's black or white */
  {
    guint n = cd_palette_text_fills (NULL, 0);
    g_autofree CdColor *fills = g_new (CdColor, n);

    g_assert_cmpuint (n, >, 8);
    cd_palette_text_fills (fills, n);
    for (guint i = 0; i < n; i++)
      {
        double ratio = cd_color_contrast (cd_palette_text_on (fills[i]), fills[i]);
        g_autofree char *hex = cd_color_to_hex (fills[i]);

        if (ratio < AA)
          g_error ("text on fill %s is %.2f:1, below WCAG AA", hex, ratio);
        worst = MIN (worst, ratio);
        checked++;
      }
  }
  g_test_message ("%u text/background pairs, the lowest %.2f:1", checked, worst);
}

/* sRGB → linear, and back */
static double
lin (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
unlin (double c)
{
  c = CLAMP (c, 0.0, 1.0);
  return c <= 0.0031308 ? 12.92 * c : 1.055 * pow (c, 1 / 2.4) - 0.055;
}

/* Machado et al. 2009, deuteranopia at severity 1, on linear RGB */
static CdColor
deuteranopia (CdColor c)
{
  static const double m[3][3] = {
    { 0.367322, 0.860646, -0.227968 },
    { 0.280085, 0.672501, 0.047413 },
    { -0.011820, 0.042940, 0.968881 },
  };
  double in[3] = { lin (c.r), lin (c.g), lin (c.b) }, out[3];

  for (int i = 0; i < 3; i++)
    out[i] = unlin (m[i][0] * in[0] + m[i][1] * in[1] + m[i][2] * in[2]);
  return (CdColor) { out[0], out[1], out[2], 1 };
}

static void
to_lab (CdColor c,
        double  lab[3])
{
  double r = lin (c.r), g = lin (c.g), b = lin (c.b);
  double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  double v[3] = { x, y, z };

  for (int i = 0; i < 3; i++)
    v[i] = v[i] > 0.008856 ? cbrt (v[i]) : 7.787 * v[i] + 16.0 / 116;
  lab[0] = 116 * v[1] - 16;
  lab[1] = 500 * (v[0] - v[1]);
  lab[2] = 200 * (v[1] - v[2]);
}

static double
delta_e (CdColor a,
         CdColor b)
{
  double la[3], lb[3];

  to_lab (a, la);
  to_lab (b, lb);
  return sqrt ((la[0] - lb[0]) * (la[0] - lb[0]) + (la[1] - lb[1]) * (la[1] - lb[1])
               + (la[2] - lb[2]) * (la[2] - lb[2]));
}

static void
test_contrast_deuteranopia (void)
{
  Style styles[8];
  guint n_styles = all_styles (styles);

  for (guint s = 0; s < n_styles; s++)
    for (int text = 0; text < 2; text++)
      {
        double least = G_MAXDOUBLE, need = text ? 20 : 15;

        /* the four forces (the net force is ink, told apart by shape) */
        for (int i = 0; i < CD_FORCE_NET; i++)
          for (int j = i + 1; j < CD_FORCE_NET; j++)
            {
              CdColor a = text ? cd_palette_force_text ((CdForce) i, &styles[s].style)
                               : cd_palette_force ((CdForce) i, &styles[s].style);
              CdColor b = text ? cd_palette_force_text ((CdForce) j, &styles[s].style)
                               : cd_palette_force ((CdForce) j, &styles[s].style);
              double d = delta_e (deuteranopia (a), deuteranopia (b));

              if (d < need)
                g_error ("%s style: %s and %s %s are dE %.1f apart under deuteranopia "
                         "(need %.0f)", styles[s].name, cd_force_key ((CdForce) i),
                         cd_force_key ((CdForce) j), text ? "text" : "fills", d, need);
              least = MIN (least, d);
            }
        g_test_message ("%s: forces as %s at least dE %.1f apart under deuteranopia",
                        styles[s].name, text ? "text" : "fills", least);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/contrast/wcag", test_contrast_wcag);
  g_test_add_func ("/render/contrast/deuteranopia", test_contrast_deuteranopia);
  return g_test_run ();
}
