/* app: the interactive explorer (ncursesw): layers, their details, the
 * image's waste on the left; the file tree at the selected layer on the
 * right; dive's keys. app.c lays out and runs the panes (pane.h), which
 * draw what the model, the analysis and the tree's view model hold. */
#ifndef FATHOM_APP_H
#define FATHOM_APP_H

#include "analysis/advice.h"
#include "analysis/waste.h"
#include "config/uiconfig.h"
#include "image/image.h"

/* Runs the explorer on the terminal until the user quits. Returns 0, or -1
 * with *cause (owned) when the terminal cannot be used. */
int app_run(struct image *img, const struct waste *waste, const struct advice *advice,
            const struct uiconfig *cfg, char **cause);

#endif
