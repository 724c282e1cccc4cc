/* cd-palette.h — colours, shapes and styles shared by every drawing.
 *
 * One colour per force everywhere (canvas glyphs, force-field diagram, time
 * series, charts) so a reader learns it once.  The force colours are from
 * the Okabe–Ito set, which stays distinguishable under deuteranopia,
 * protanopia and tritanopia and on a washed-out projector; the forces are
 * also told apart by direction and label, never by colour alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "cd-model.h"

G_BEGIN_DECLS

typedef struct
{
  double r, g, b, a;
} CdColor;

typedef enum
{
  CD_FORCE_GRAVITY,
  CD_FORCE_PRESSURE,
  CD_FORCE_THRUST,
  CD_FORCE_RESISTANCE,
  CD_FORCE_NET,
  CD_N_FORCES
} CdForce;

/* How to draw: the same code serves a light desktop, a dark desktop and a
 * projector in a bright room. */
typedef struct
{
  gboolean    dark;          /* light text on a dark background */
  double      font_scale;    /* multiplies every font size (1.0 normal) */
  double      line_scale;    /* multiplies every line width and node size (1.0 normal) */
  gboolean    high_contrast; /* stronger outlines, no faint greys */
  const char *font_family;   /* NULL: "Sans" (fontconfig picks CJK fallbacks) */
  gboolean    paper;         /* for print: a white background, and chart legends beside
                              * the data rather than over them */
  double      title_end_inset; /* pixels at the right end of a chart's title line that
                                * the title leaves free (a button drawn over the figure's
                                * top right corner); 0: none.  A title too long for the
                                * rest takes two lines. */
} CdRenderStyle;

typedef enum
{
  CD_STYLE_NORMAL,
  CD_STYLE_DARK,
  CD_STYLE_PROJECTOR,        /* large type, thick lines, high contrast, light */
  CD_STYLE_PRINT,            /* a journal's page: sizes read as points, white, legends apart */
} CdStylePreset;

void        cd_render_style_init        (CdRenderStyle       *style,
                                         CdStylePreset        preset);
gboolean    cd_style_preset_from_string (const char          *text,
                                         CdStylePreset       *out_preset);

/* Colours.  style may be NULL (normal, light). */
CdColor     cd_palette_force            (CdForce              force,
                                         const CdRenderStyle *style);
/* A force's colour for text (the force diagram's labels): the fill colour
 * darkened where that reads below WCAG AA (4.5:1) on the background. */
CdColor     cd_palette_force_text       (CdForce              force,
                                         const CdRenderStyle *style);
const char *cd_force_label              (CdForce              force);  /* translated */
const char *cd_force_key                (CdForce              force);  /* "gravity", … */

/* The parts each force is split into where it is drawn (docs/model.md,
 * "Force factors"): gravity interest / trust; pressure administrative /
 * command / crisis; thrust information / appraisal; resistance ideas /
 * powers / benefits.  A part is one factor, or for model 1, whose ideas
 * and powers are one channel, both (shown as one "fragmentation" part);
 * model 1 has no emergency command, so it has no command part.  Each
 * factor keeps its shade in both versions, so a tint means the same thing
 * everywhere: 0 the force's own colour, 1 a paler tint, 2 a deeper shade
 * (hatched in the force diagram, where there is room for a pattern). */
#define CD_MAX_FACTOR_PARTS 3

typedef struct
{
  guint       mask;      /* bit f set: CdFactor f is summed into this part */
  guint       shade;     /* 0, 1 or 2, as above */
  const char *label;     /* short and translated: "interest", "powers" */
  const char *phrase;    /* translated, for a sentence: "fragmented powers" */
} CdFactorPart;

/* The parts of `force` (gravity … resistance) in a model of `version`, in
 * the order they are drawn and listed; returns how many (≤ 3, 0 for the
 * net force). */
guint       cd_factor_parts             (int                  version,
                                         CdForce              force,
                                         CdFactorPart        *parts);
/* The sum of a part's factors in `factor` (CD_N_FACTORS values). */
double      cd_factor_part_value        (const CdFactorPart  *part,
                                         const double        *factor);
/* A part's colour: the force's colour in the part's shade. */
CdColor     cd_palette_factor           (CdForce              force,
                                         guint                shade,
                                         const CdRenderStyle *style);

/* Emergency command lines (version 2): dashed, in the emergency colour,
 * so they read apart from the administrative hierarchy without colour. */
CdColor     cd_palette_emergency_line   (const CdRenderStyle *style);

CdColor     cd_palette_background       (const CdRenderStyle *style);
CdColor     cd_palette_foreground       (const CdRenderStyle *style);
CdColor     cd_palette_muted            (const CdRenderStyle *style);  /* secondary text */
CdColor     cd_palette_grid             (const CdRenderStyle *style);  /* grid lines */
CdColor     cd_palette_edge             (CdEdgeKind           kind,
                                         const CdRenderStyle *style);
CdColor     cd_palette_selection        (const CdRenderStyle *style);
CdColor     cd_palette_event            (const CdRenderStyle *style);  /* emergency markers */
CdColor     cd_palette_intervention     (const CdRenderStyle *style);  /* policy markers */

/* Coordination x in [0, 1] → node fill: a perceptually ordered sequential
 * ramp (viridis), so more coordination reads as "more ink" on a light
 * background and as "more light" on a dark one.  x outside [0, 1] (or NaN)
 * is clamped (NaN draws as 0). */
CdColor     cd_palette_coordination     (double               x,
                                         const CdRenderStyle *style);

/* A categorical colour for the i-th of several series (Okabe–Ito order,
 * then repeating with lower alpha). */
CdColor     cd_palette_series           (guint                i,
                                         const CdRenderStyle *style);

/* Black or white, whichever reads better on `fill`. */
CdColor     cd_palette_text_on          (CdColor              fill);

/* Every colour the palette gives text in `style`, named, so a test can
 * hold each to WCAG AA against cd_palette_background; returns how many
 * there are (fills at most `max` of `out`, which may be NULL). */
typedef struct
{
  const char *name;
  CdColor     color;
} CdPaletteEntry;

guint       cd_palette_text_colors      (const CdRenderStyle *style,
                                         CdPaletteEntry      *out,
                                         guint                max);
/* The fills text is drawn on in cd_palette_text_on's colour (coordination
 * cells and bars); returns how many, as above. */
guint       cd_palette_text_fills       (CdColor             *out,
                                         guint                max);

/* WCAG 2 relative luminance of an sRGB colour (alpha ignored) and the
 * contrast ratio (1 to 21) of two colours. */
double      cd_color_luminance          (CdColor              c);
double      cd_color_contrast           (CdColor              a,
                                         CdColor              b);

CdColor     cd_color_mix                (CdColor              a,
                                         CdColor              b,
                                         double               t);
CdColor     cd_color_with_alpha         (CdColor              c,
                                         double               alpha);
void        cd_color_set_source         (cairo_t             *cr,
                                         CdColor              c);
/* "#RRGGBB" (alpha ignored); the caller frees the string. */
char       *cd_color_to_hex             (CdColor              c);

/* Levels of government: a shape and a relative size each, so levels read
 * without colour (colour is reserved for x and the forces). */
typedef enum
{
  CD_SHAPE_STAR,        /* central */
  CD_SHAPE_HEXAGON,     /* provincial */
  CD_SHAPE_CIRCLE,      /* municipal */
  CD_SHAPE_DIAMOND,     /* county */
  CD_SHAPE_SQUARE,      /* other */
} CdShape;

CdShape     cd_palette_level_shape      (CdLevel              level);
double      cd_palette_level_size       (CdLevel              level);  /* 1.0 = municipal */
const char *cd_level_label              (CdLevel              level);  /* translated */

/* Adds the outline of `shape` with circumradius r centred at (cx, cy) to
 * the current path (does not fill or stroke). */
void        cd_render_shape_path        (cairo_t             *cr,
                                         CdShape              shape,
                                         double               cx,
                                         double               cy,
                                         double               r);

G_END_DECLS
