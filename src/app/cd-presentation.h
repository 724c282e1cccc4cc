/* cd-presentation.h — presentation mode: the model on a projector.
 *
 * A separate full-screen window that shows the network with its force
 * glyphs beside one chart (the time series of mean coordination, or the
 * force-field diagram of one government), a large time read-out and the
 * scenario's name, all drawn with the projector style: large type, thick
 * lines, high contrast, light or dark as the desktop is.  The keyboard (or
 * a presenter's clicker, which sends Page Up/Down) steps through time and
 * through the base model and the model's named scenarios; each scenario is
 * simulated in the background and kept, so stepping back is instant.
 *
 * It only reads the document: nothing said in a workshop changes the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-document.h"
#include "cd-runner.h"

G_BEGIN_DECLS

#define CD_TYPE_PRESENTATION (cd_presentation_get_type ())
G_DECLARE_FINAL_TYPE (CdPresentation, cd_presentation, CD, PRESENTATION, AdwWindow)

typedef enum
{
  CD_PRESENTATION_CHART_FORCES,      /* force-field diagram of one government */
  CD_PRESENTATION_CHART_TIMESERIES,  /* mean coordination and loss over time */
} CdPresentationChart;

/* run: the document's current run, reused for the base model when it
 * matches the model (may be NULL).  node: the government whose forces to
 * show (index into the document's model), or −1 to let the presentation
 * pick the one the emergencies hit hardest. */
CdPresentation *cd_presentation_new           (GtkWindow      *parent,
                                               CdDocument     *document,
                                               CdRun          *run,
                                               int             node);

/* Opens presentation mode for the CdWindow `window` (its document, run
 * and selected government), full screen on a second monitor when there is
 * one.  Adds `app.presentation` (F5, which also leaves) to the
 * application; call once from startup. */
void            cd_presentation_install_action (GtkApplication *app);

/* Shows the state at time t (clamped to the run), as the arrows do;
 * F5 opens the presentation at the main window's time cursor. */
void            cd_presentation_set_time      (CdPresentation *self,
                                               double          t);

/* State, for tests and for the window. */
double          cd_presentation_get_time      (CdPresentation *self);
/* −1: the base model; otherwise an index into the model's scenarios. */
int             cd_presentation_get_scenario  (CdPresentation *self);
CdPresentationChart cd_presentation_get_chart (CdPresentation *self);
int             cd_presentation_get_node      (CdPresentation *self);
/* The texts of the time and scenario read-outs, as shown. */
const char     *cd_presentation_get_time_text (CdPresentation *self);
const char     *cd_presentation_get_scenario_text (CdPresentation *self);
/* Whether the shown scenario's run has arrived (and so is drawn). */
gboolean        cd_presentation_get_ready     (CdPresentation *self);
/* What a person in the room sees, from the presentation's own layout:
 * appends to boxes (of CdRenderBox, in window coordinates) every text it
 * shows (read-outs, names, legend, chart or force diagram) and the
 * legend's box, sets *n_named to the governments named in the network,
 * and returns the smallest type size in px. */
double          cd_presentation_measure       (CdPresentation *self,
                                               GArray         *boxes,
                                               guint          *n_named);
/* The network's governments' shapes (CdRenderShape) and edges
 * (CdRenderSegment) as the presentation draws them, in window
 * coordinates, appended to shapes and segments. */
void            cd_presentation_measure_shapes (CdPresentation *self,
                                                GArray         *shapes,
                                                GArray         *segments);
/* How many texts of the force diagram, drawn for government `node` (-1:
 * the one shown) in the chart area at its size and the room's type, end
 * in "…" or are left out for want of room. */
guint           cd_presentation_force_cut     (CdPresentation *self,
                                               int             node);
/* The screen height the type is sized for (the window's, once it has
 * drawn at its size). */
int             cd_presentation_get_room_height (CdPresentation *self);
/* The shown scenario's run, or NULL while it is computed. */
CdRun          *cd_presentation_get_run       (CdPresentation *self);

G_END_DECLS
