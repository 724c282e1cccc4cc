/* cd-event-row.h — one emergency in the Scenario panel, as an expander
 * row (template ui/cd-event-row.ui): its name, onset, magnitude, decay
 * time and the governments it hits, each with an impact.
 *
 * The row edits nothing itself: it emits "edit" with the emergency as it
 * should become (the panel applies it as an undo step), "remove", and
 * "pick-toggled" when the user starts or stops picking governments on the
 * network for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-document.h"

G_BEGIN_DECLS

#define CD_TYPE_EVENT_ROW (cd_event_row_get_type ())
G_DECLARE_FINAL_TYPE (CdEventRow, cd_event_row, CD, EVENT_ROW, AdwExpanderRow)

/* The row of emergency index of document's model; picking: whether its
 * governments are being picked on the network now. */
GtkWidget *cd_event_row_new       (CdDocument *document,
                                   guint       index,
                                   gboolean    picking);
guint      cd_event_row_get_index (CdEventRow *self);

G_END_DECLS
