/* cd-timeline.h — a strip of emergencies and policy changes over time.
 *
 * Markers sit at their onset/time over [0, t_end]; clicking one opens it
 * for editing, dragging it moves it in time (one undo step per drag), and
 * clicking empty strip moves the time cursor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cd-document.h"

G_BEGIN_DECLS

#define CD_TYPE_TIMELINE (cd_timeline_get_type ())
G_DECLARE_FINAL_TYPE (CdTimeline, cd_timeline, CD, TIMELINE, GtkWidget)

GtkWidget *cd_timeline_new          (void);
void       cd_timeline_set_document (CdTimeline *self,
                                     CdDocument *document);
/* Lines the strip's time axis up with this chart's (drawn right below it). */
void       cd_timeline_set_axis_source (CdTimeline *self,
                                        GtkWidget  *timeseries);
void       cd_timeline_set_cursor   (CdTimeline *self,
                                     double      t);

G_END_DECLS
