/* cd-window-upgrade.c — "Upgrade to Model 2…": a version-1 model made
 * version 2 (docs/model.md, "Upgrade") as one undoable edit, after a
 * dialog that says plainly that results may change and what the upgrade
 * maps.  The mapping itself is the engine's (cd_model_upgrade), the same
 * one `coordyn-cli upgrade` uses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cd-window-private.h"

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             CdWindow         *self)
{
  g_autoptr (GError) error = NULL;

  if (!g_str_equal (response, "upgrade"))
    return;
  /* The version decides every panel's rows: a structural change. */
  if (!cd_document_apply (self->document, _("Upgrade to Model 2"), NULL, CD_CHANGE_STRUCTURE,
                          cd_edit_upgrade, NULL, &error))
    {
      cd_window_show_error (self, _("Could Not Upgrade the Model"),
                            error != NULL ? error->message : "");
      return;
    }
  cd_window_show_toast (self, _("Upgraded to model 2: undo to go back to model 1"));
}

GtkWidget *
cd_window_upgrade_model (CdWindow *self)
{
  GtkWidget *dialog, *mapping;

  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);

  if (cd_document_get_model (self->document)->version != 1)
    {
      cd_window_show_toast (self, _("This model is already model 2"));
      return NULL;
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Upgrade to Model 2?"), NULL);
  adw_message_dialog_set_body (
    ADW_MESSAGE_DIALOG (dialog),
    _("Model 2 gives each element of the theory its own channel. Results may change: "
      "run the model again and compare before you rely on them."));
  /* The mapping is a list: left-aligned, unlike the centred body. */
  mapping = gtk_label_new (
    _("The upgrade maps:\n"
      "• each government's fragmentation f to both its fragmentation of ideas and of "
      "powers;\n"
      "• resistance.fragmentation r to resistance.ideas and resistance.powers, r / 2 each, "
      "also in policy changes, scenarios and Monte Carlo ranges;\n"
      "• every command line to an administrative one;\n"
      "• appraisal to its default: 1 for a government with a superior, else 0.\n\n"
      "With supervision, law and every trust at 0 the model runs as before; otherwise "
      "trust and law now weaken resistance and the results differ. The upgrade is one "
      "step you can undo; the file changes only when you save."));
  gtk_label_set_wrap (GTK_LABEL (mapping), TRUE);
  gtk_label_set_xalign (GTK_LABEL (mapping), 0.0);
  gtk_label_set_max_width_chars (GTK_LABEL (mapping), 60);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), mapping);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "upgrade", _("_Upgrade"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "upgrade",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
