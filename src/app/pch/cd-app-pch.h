/* cd-app-pch.h — the precompiled header of the app library (meson's
 * c_pch, src/app/meson.build): libadwaita's and GTK's headers, which every
 * source of src/app reads first, directly or through its own header.
 * Parsing them was most of an app file's compile time (0.57 s of 0.75 s
 * for a small file under ASan, 2026-12-06); precompiled, they are read
 * once per build (cd-run-bar.c: 0.3 s of processor time with it, 0.5 to
 * 0.8 s without; about 15 s of each GUI build's 47 app files, for 2.7 s
 * to write it).  Meson passes it with -include: the sources still name
 * every header they use, and build without it.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
