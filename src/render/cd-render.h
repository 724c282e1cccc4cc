/* cd-render.h — everything the render library offers, in one include.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-palette.h"
#include "cd-plot.h"
#include "cd-network-view.h"
#include "cd-force-field.h"
#include "cd-export.h"
